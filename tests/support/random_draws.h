// SPDX-License-Identifier: Apache-2.0
// What random_network.cpp and random_dual_stack.cpp share: the generator, and what the IPv4
// draws made, on which the IPv6 draws build. Internal to tests/support.
#pragma once

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/network_builder.h"
#include "tests/support/random_network.h"

namespace vpcprove::testing::random_detail {

struct Rng {
  std::mt19937 gen;
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(gen); }
  bool chance(double p) { return std::bernoulli_distribution(p)(gen); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(uniform(0, static_cast<int>(v.size()) - 1))];
  }
};

inline std::string v(int i) { return std::to_string(i); }

/** What the IPv4 draws made, for the IPv6 draws of random_dual_stack_network to build on. */
struct Layout {
  std::vector<std::string> vpc_ids, all_subnets, all_enis;
  std::map<std::string, std::vector<std::string>> subnets_of, enis_of, sgs_of, nats_of;
  std::map<std::string, std::string> igw_of;
  std::map<std::string, NetworkBuilder::VpcHandle> vpc_handles;
  std::map<std::string, NetworkBuilder::SubnetHandle> subnet_handles;
  std::map<std::string, NetworkBuilder::EniHandle> eni_handles;
  std::map<std::string, NetworkBuilder::SgHandle> sg_handles;
  std::map<std::string, std::vector<NetworkBuilder::RouteTableHandle>> route_tables_of;  // main first
  std::map<std::string, std::vector<NetworkBuilder::RouteTableHandle>> edge_tables_of;
  std::map<std::string, NetworkBuilder::PeeringHandle> peering_handles;
  std::vector<std::pair<NetworkBuilder::NaclHandle, std::string>> custom_nacls;  // (NACL, VPC)
  std::map<std::string, std::vector<std::pair<std::string, std::string>>>
      peers_of;                // vpc -> (pcx, other vpc)
  bool tgw = false;            // routes may name tgw-1
  bool tgw_described = false;  // and it is a transit gateway with route tables
  std::vector<NetworkBuilder::TgwRouteTableHandle> tgw_tables;
  std::vector<std::string> tgw_attachments;
};

/** The draws of random_network, in their order (the seeds tests pin stand for these networks). */
void ipv4_draws(Rng& r, NetworkBuilder& b, Layout& layout);
/** The gateway endpoints' draws: the last of random_network's and of random_dual_stack_network's. */
void gateway_endpoint_draws(Rng& r, NetworkBuilder& b, Layout& layout);
/** The IPv6 draws of random_dual_stack_network, after (and on top of) the IPv4 ones. */
void ipv6_draws(Rng& r, NetworkBuilder& b, Layout& layout);
/** random_packet's IPv6 packets. */
SampledStart random_packet6(const model::Network& n, Rng& r);

}  // namespace vpcprove::testing::random_detail
