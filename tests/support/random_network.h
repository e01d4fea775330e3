// SPDX-License-Identifier: Apache-2.0
// Seeded random small networks and packets for the differential tests of trace and reach.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "model/network.h"
#include "model/packet.h"

namespace vpcprove::testing {

/**
 * A random network built with NetworkBuilder (so it obeys the converter's invariants): 1-3
 * VPCs (10.V.0.0/16), 1-3 subnets each (10.V.S.0/24), 1-3 ENIs per subnet (some with a
 * secondary IP, some with a public IP 54.0.V.x, some with source/dest check off), an internet
 * gateway (usually), NAT gateways (public or private), 1-3 security groups per VPC with random
 * rules (CIDR, group-reference and documentation-prefix peers), custom NACLs with random
 * ordered allow/deny entries, custom route tables with random routes to local / igw / nat /
 * eni / pcx / tgw / blackhole, and peerings; some ENIs are a load balancer's, database's,
 * function's, endpoint's or other's, some are Network Load Balancers without groups, some
 * delegate a /28, some are inactive (not attached, instance stopped); edge route tables of
 * internet gateways (to an appliance, also where a NAT gateway's replies enter), and sometimes
 * a VPC in a public range (vpc-4, 8.8.0.0/16, which holds internet addresses the packets use);
 * missing references: active routes to an igw-/nat-/eni-/pcx- target the network lacks (as the
 * converter makes them: they leave the model) and security-group rules naming a group or
 * prefix list the network lacks (they match no address); a transit gateway (subnets in 1-3
 * zones, attachments with a subnet in some, 1-3 TGW route tables with static, propagated and
 * blackhole routes, a VPN attachment vpcprove does not follow, appliances at attachment subnets).
 * Addresses and ports come from small pools so rules, routes and packets collide often. The
 * same seed gives the same network.
 */
model::Network random_network(std::uint32_t seed);

/** Where a sampled packet starts: an ENI ID, or "internet". */
struct SampledStart {
  std::string from;  ///< ENI ID or "internet"
  model::Packet packet;
};

/**
 * A random well-formed packet for network: from a random ENI (one of its private IPs) or from
 * the internet, to an address drawn from the network's private and public IPs, NAT addresses
 * and a few internet addresses; protocol and ports from small pools (TCP, UDP, ICMP with echo,
 * timestamp, information and address-mask types, ESP). Now and then the destination is a bogon,
 * a link-local AWS service or the VPC's DNS server, and an internet source a bogon or an address
 * inside a VPC's public CIDR.
 */
SampledStart random_packet(const model::Network& network, std::mt19937& rng);

}  // namespace vpcprove::testing
