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

/**
 * random_network(seed) with IPv6 on top (its IPv4 draws come first and are the same; the IPv6
 * draws follow on the same generator): most VPCs get a block 2600:1f18:V00::/56 and most of
 * their subnets a /64 2600:1f18:V00:S::/64; an egress-only internet gateway eigw-V on some VPCs
 * (most of those without an internet gateway, so some have only one); many ENIs an IPv6 address
 * 2600:1f18:V00:S::1K (some a second ::10K, some a delegated /80 2600:1f18:V00:S:K::/80); now
 * and then an IPv6-only subnet subnet-V9 (2600:1f18:V00:9::/64, no IPv4 CIDR) with one or two
 * ENIs that have no IPv4 address; security-group rules with IPv6 peers (::/0, the VPC's /56, a
 * subnet's /64, a /128, 2001:db8::/32, group references, which match both families) and
 * ICMPv6 rules; IPv6 entries in the custom NACLs, numbered between the IPv4 ones, and a deny in
 * some default NACLs; IPv6 routes (::/0, 2000::/3, internet prefixes, other VPCs' blocks and
 * /64s, a /64 of the VPC's own block to an ENI only) to igw / eigw / pcx / eni / tgw-1 /
 * blackhole and to targets the network lacks; peerings that share less IPv6 than the VPC has
 * (a /64, or nothing); a subnet's /64 in some internet gateways' edge tables; static IPv6 routes
 * and blackholes in the transit gateway's tables (VPC attachments propagate their IPv6 blocks).
 * No NAT64 route (64:ff9b::/96 to a NAT gateway): the prover does not follow NAT64.
 */
model::Network random_dual_stack_network(std::uint32_t seed);

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
 *
 * On a network with IPv6 (model::Network::has_ipv6) about half the packets are IPv6 (ip_version
 * 6; on other networks the draws are those of before): from an ENI with IPv6 (one of its
 * addresses or an address of its delegated prefix, now and then one it does not own) or from
 * the internet (2001:db8::9, ..., now and then a bogon outside 2000::/3 or a VPC's address;
 * mostly to an ENI's address), to the ENIs' IPv6 addresses, addresses in their delegated prefixes, unassigned
 * addresses of the VPC blocks, internet addresses (2001:4860:4860::8888, ...), now and then a bogon (fd00::5,
 * fe80::1, 64:ff9b::808:808, ...); TCP, UDP, ICMPv6 (58: echo request 128, echo reply 129,
 * types 1, 3 and 135) and ESP. IPv4 packets then come only from ENIs with an IPv4 address.
 */
SampledStart random_packet(const model::Network& network, std::mt19937& rng);

}  // namespace vpcprove::testing
