// SPDX-License-Identifier: Apache-2.0
// Endpoints of queries (--from, --to, spec selectors) resolved against a network.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/network.h"

namespace vpcprove::model {

/**
 * What an endpoint stands for. Exactly one of:
 * - a set of ENIs (eni-, i-, subnet-, sg-, vpc-, tag:K=V, kind:K, public-subnets, private-subnets,
 *   nat-): interfaces holds their IDs, sorted; may be empty (a set with no members);
 * - the internet (internet == true);
 * - addresses (cidr set): an IP or CIDR.
 * text is what the user wrote, for messages.
 */
struct Endpoint {
  std::string text;
  std::vector<Id> interfaces;
  bool internet = false;
  std::optional<Ipv4Prefix> cidr;

  [[nodiscard]] bool is_interface_set() const { return !internet && !cidr; }
};

/**
 * Resolves an endpoint per docs/cli-contract.md ("Endpoints"). Sets hold the ENIs that can
 * end a flow (NetworkInterface::in_sets: live, and not a NAT gateway's, transit gateway
 * attachment's or GWLB endpoint's, which are reached through the gateway's ID). An ENI or
 * instance named by ID is resolved even when it is inactive (not attached, instance stopped):
 * the answer then says it receives nothing. Throws InputError (CLI exit 2) for an unknown form
 * or an ID that is not in the snapshot, naming the endpoint.
 */
Endpoint resolve_endpoint(const Network& network, std::string_view text);

/** Subnets whose route table has a route to an internet gateway (the primer's "public subnet"). */
bool is_public_subnet(const Network& network, const Subnet& subnet);

/** Every ENI (of any kind) with a private IP inside prefix, in ID order: the ENIs a CIDR
 *  source sends from. */
std::vector<const NetworkInterface*> interfaces_with_address_in(const Network& network,
                                                                const Ipv4Prefix& prefix);

}  // namespace vpcprove::model
