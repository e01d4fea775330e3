// SPDX-License-Identifier: Apache-2.0
// gen_estate --dual-stack: the IPv6 half of every object gen_estate writes (VPC /56 blocks, subnet
// /64s, ENI addresses, ::/0 routes, Ipv6Ranges, IPv6 NACL entries, egress-only gateways).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "benchmarks/json_writer.h"

namespace vpcprove::benchmarks::dual_stack {

/** VPC v's /56 out of Amazon's 2600:1f00::/24 pool: 2600:1fvv:vvvv:vv00::/56 for v < 2^24. */
std::string vpc_block(std::uint32_t vpc);
/** The /64 of the VPC's subnet number subnet (0..255): the VPC's /56 with subnet as its 8 last bits. */
std::string subnet_block(std::uint32_t vpc, std::uint32_t subnet);
/** The IPv6 address of the ENI numbered eni (estate-wide) in that subnet: the /64 with ::eni+16. */
std::string eni_address(std::uint32_t vpc, std::uint32_t subnet, std::uint64_t eni);

/** An Ipv6CidrBlockAssociationSet of one associated block (a VPC's also names its pool). */
void write_association_set(JsonWriter& w, const std::string& block, const std::string& association_id,
                           bool of_vpc);
/** One route to an IPv6 destination, as describe-route-tables prints it. */
void write_route(JsonWriter& w, const std::string& destination, std::string_view target_key,
                 const std::string& target, std::string_view origin);
/** The IPv6 peers that stand beside an IPv4 rule's: ::/0 for 0.0.0.0/0 and the VPC's /56 for the
 *  VPC's own CIDR (other peers, the office's or a partner's, stay IPv4 only). */
std::vector<std::string> peers(const std::vector<std::string>& cidrs, const std::string& vpc_cidr,
                               const std::string& vpc_block6);
/** The egress-only internet gateway of a VPC (for its private subnets' ::/0). */
void write_egress_only_gateway(JsonWriter& w, const std::string& id, const std::string& vpc_id,
                               const std::string& name);

}  // namespace vpcprove::benchmarks::dual_stack
