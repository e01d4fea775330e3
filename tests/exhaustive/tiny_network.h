// SPDX-License-Identifier: Apache-2.0
// The tiny random networks of the bounded-exhaustive tier (exhaustive_test.cpp): IPv4-only, and
// dual-stack (the same IPv4 draws, then IPv6 ones on the same generator).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/network.h"
#include "tests/support/network_builder.h"

namespace vpcprove::exhaustive {

struct Rng {
  std::mt19937 gen;
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(gen); }
  bool chance(double p) { return std::bernoulli_distribution(p)(gen); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(uniform(0, static_cast<int>(v.size()) - 1))];
  }
};

inline std::string n(int i) { return std::to_string(i); }

/** A tiny random network: 1-2 VPCs, 1-3 subnets, 2-4 workload ENIs, IGW, NAT, peering, rules, and
 *  missing references (a route to a target the network lacks, rules naming a missing group or list). */
struct Tiny {
  model::Network network;
  std::vector<model::Id> enis;  // workload ENIs
};

/**
 * The IPv4 draws of tiny_network, their values kept in order. Seeds stand for these networks
 * (the counts the test checks were measured on them), so draws are only ever appended.
 */
Tiny tiny_network(std::uint32_t seed);

/**
 * tiny_network(seed) with IPv6 on top (draws after the IPv4 ones, on the same generator): most
 * VPCs a block 2600:1f18:V::/56 and most of their subnets a /64 2600:1f18:V:S::/64; an
 * egress-only internet gateway eigw-V on some VPCs (most of those without an internet gateway);
 * most ENIs in such a subnet an address 2600:1f18:V:S::1K (some a second ::2K, some a delegated
 * /80 2600:1f18:V:S:K+1::/80); now and then an IPv6-only subnet with an ENI without IPv4;
 * security-group rules with IPv6 peers and ICMPv6; IPv6 entries in the custom NACLs and now and
 * then a deny in a default one; IPv6 routes (::/0, 2000::/3, 2001:db8::/32, the other VPC's
 * block, a subnet's /64 to an ENI) to igw / eigw / pcx / eni / tgw-0 / blackhole / a target the
 * network lacks; peerings that carry less IPv6 than the VPC has; static IPv6 routes in the
 * transit gateway's tables.
 */
Tiny tiny_dual_stack_network(std::uint32_t seed);

namespace tiny_detail {

using testing::NetworkBuilder;

/** What the IPv4 draws made, for the IPv6 draws to build on. */
struct Layout {
  std::vector<std::string> vpc_ids, subnets;
  std::map<std::string, std::string> vpc_of, igw_of, nat_of, vpc_of_eni, subnet_of_eni;
  std::map<std::string, std::vector<std::string>> subnets_of, sgs_of;
  std::map<std::string, NetworkBuilder::VpcHandle> vpc_handles;
  std::map<std::string, NetworkBuilder::SubnetHandle> subnet_handles;
  std::map<std::string, NetworkBuilder::EniHandle> eni_handles;
  std::map<std::string, NetworkBuilder::SgHandle> sg_handles;
  std::vector<std::pair<NetworkBuilder::NaclHandle, std::string>> custom_nacls;    // (NACL, VPC)
  std::map<std::string, std::vector<NetworkBuilder::RouteTableHandle>> tables_of;  // main first, edge too
  std::optional<NetworkBuilder::PeeringHandle> peering;                            // pcx-01, vpc-0 <-> vpc-1
  std::vector<NetworkBuilder::TgwRouteTableHandle> tgw_tables;                     // tgw-0 described
};

/** The IPv6 draws of tiny_dual_stack_network (tiny_dual_stack.cpp). */
void ipv6_draws(Rng& r, NetworkBuilder& b, Layout& layout, Tiny& t);

}  // namespace tiny_detail

}  // namespace vpcprove::exhaustive
