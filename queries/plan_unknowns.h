// SPDX-License-Identifier: Apache-2.0
// Values a Terraform plan leaves unknown until apply, and the answers that rest on them.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/network.h"
#include "queries/reach.h"

namespace vpcprove::queries {

/**
 * The unknown values of network that can decide an answer, as "address.attribute" names, each
 * with the resource it sets. A placeholder private address decides nothing when no rule, route
 * or CIDR of the network splits its subnet (every address AWS could give behaves alike); a
 * placeholder public address decides nothing (only whether there is one does, and that is
 * known). Everything else unknown (a rule's CIDR, a route's target, a subnet's CIDR) may.
 */
std::vector<model::UnknownValue> deciding_unknowns(const model::Network& network);

/** The resources an answer rests on: its path's and reasons' resources, its end ENIs, and
 *  those ENIs' groups, subnets, route tables and NACLs. */
std::set<model::Id> resources_of_answer(const model::Network& network, const ReachResult& result);

/** The deciding unknowns on resources, named "address.attribute", sorted and distinct. */
std::vector<std::string> unknowns_on(const model::Network& network, const std::set<model::Id>& resources);

/**
 * Makes result unknown when it rests on a value unknown until apply (docs/cli-contract.md,
 * exit 3); a reachable answer does not rest on an unknown rule of a security group (groups only
 * allow, so the witness stands).
 * unknown_reason and assumptions name each value ("address.attribute"); returns true when it did.
 */
bool mark_plan_unknowns(const model::Network& network, ReachResult& result);

}  // namespace vpcprove::queries
