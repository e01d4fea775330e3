// SPDX-License-Identifier: Apache-2.0
// Which of the things vpcprove does not model exactly an answer rests on (model/assumption.h).
//
// reach finds on the forwarding graph the unfollowed gateways and appliances a proof's traffic
// meets; the functions here name the rest, from a witness's hops, a question's endpoints or an
// ENI's own configuration, so that reach, check and exposure name them the same way.
#pragma once

#include <vector>

#include "model/assumption.h"
#include "model/network.h"
#include "model/walk.h"
#include "queries/reach.h"

namespace vpcprove::queries {

/** An ENI with source/dest check off that a route sends traffic to (docs/semantics.md, "Appliances"). */
model::Assumption appliance(const model::NetworkInterface& eni);

/** The assumptions a witness path rests on: the appliances it passes (eni-forward hops) and the
 *  contested public addresses it is translated by. Sorted, distinct. */
std::vector<model::Assumption> witness_assumptions(const model::Network& network,
                                                   const std::vector<model::Hop>& hops);

/**
 * What a proof about query may rest on through its endpoints' own configuration:
 * - rules of the sources' egress / destinations' ingress groups that name a security group or
 *   prefix list missing from the snapshot and whose protocol and ports meet the question's;
 * - a public IP more than one ENI claims, when the question goes to it from outside.
 * Sorted, distinct.
 */
std::vector<model::Assumption> endpoint_assumptions(const model::Network& network, const ReachQuery& query);

/** What the internet's reach of eni (its exposure) may rest on beyond the model: missing
 *  prefix lists in its groups' ingress rules, a public IP another ENI also claims. Sorted,
 *  distinct. */
std::vector<model::Assumption> exposure_assumptions(const model::Network& network,
                                                    const model::NetworkInterface& eni);

}  // namespace vpcprove::queries
