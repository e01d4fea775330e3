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
 * - the internet (internet == true): every globally routable IPv4 address and every IPv6
 *   address in 2000::/3 (common/ipv6.h is_internet6);
 * - IPv4 addresses (cidr set): an IPv4 address or CIDR;
 * - IPv6 addresses (cidr6 set): an IPv6 address (a /128) or CIDR ("2600:1f18::/56");
 * - a gateway endpoint (gateway_endpoint set): what it hands to its service (S3, DynamoDB).
 * text is what the user wrote, for messages.
 */
struct Endpoint {
  std::string text;
  std::vector<Id> interfaces;
  bool internet = false;
  std::optional<Ipv4Prefix> cidr;
  std::optional<Ipv6Prefix> cidr6{};  // {}: aggregate initializers written before it stay warning-free
  /** A gateway endpoint (vpce-… of Network::gateway_endpoints): as a destination, what it hands
   *  to its service; never a source (its service starts no connection into the VPC). */
  std::optional<Id> gateway_endpoint{};

  [[nodiscard]] bool is_interface_set() const { return !internet && !cidr && !cidr6 && !gateway_endpoint; }
};

/**
 * Whether an IPv6 address or CIDR may be an endpoint. A caller that reads Endpoint::cidr6 asks
 * for Accepted; for every other one it is bad input, so that no answer takes an IPv6 endpoint
 * for an empty set of interfaces (and "proves" it unreachable without having looked).
 */
enum class Ipv6Endpoints { Refused, Accepted };

/**
 * Resolves an endpoint per docs/cli-contract.md ("Endpoints"). Sets hold the ENIs that can
 * end a flow (NetworkInterface::in_sets: live, and not a NAT gateway's, transit gateway
 * attachment's or GWLB endpoint's, which are reached through the gateway's ID). An ENI or
 * instance named by ID is resolved even when it is inactive (not attached, instance stopped):
 * the answer then says it receives nothing. Throws InputError (CLI exit 2) for an unknown form,
 * an ID that is not in the snapshot, a malformed address or CIDR (IPv4 or IPv6), or an IPv6 one
 * when ipv6 is Refused, naming the endpoint.
 */
Endpoint resolve_endpoint(const Network& network, std::string_view text,
                          Ipv6Endpoints ipv6 = Ipv6Endpoints::Refused);

/** Subnets whose route table has a route to an internet gateway (the primer's "public subnet"). */
bool is_public_subnet(const Network& network, const Subnet& subnet);

/** Every ENI (of any kind) with a private IP inside prefix, in ID order: the ENIs a CIDR
 *  source sends from. */
std::vector<const NetworkInterface*> interfaces_with_address_in(const Network& network,
                                                                const Ipv4Prefix& prefix);

/** Every ENI (of any kind) with an IPv6 address or a delegated IPv6 prefix inside prefix (a
 *  delegated prefix that only overlaps prefix counts: some of its addresses are inside), in ID
 *  order: the ENIs an IPv6 CIDR source sends from. */
std::vector<const NetworkInterface*> interfaces_with_address_in6(const Network& network,
                                                                 const Ipv6Prefix& prefix);

}  // namespace vpcprove::model
