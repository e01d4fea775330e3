// SPDX-License-Identifier: Apache-2.0
// gen_estate --dual-stack: IPv6 blocks, addresses, routes, rules and gateways, written beside the
// IPv4 ones by gen_estate's own writers (streaming: nothing per ENI is kept).
#include "benchmarks/dual_stack.h"

#include "common/ipv6.h"

namespace vpcprove::benchmarks::dual_stack {

namespace {

Ipv6Address vpc_base(std::uint32_t vpc) {
  // 2600:1f00::/24 is one of Amazon's pools; the VPC's 24 bits follow it, then 8 bits of subnet.
  return Ipv6Address{0x26001f0000000000ULL | (static_cast<std::uint64_t>(vpc & 0xFFFFFFU) << 8), 0};
}

}  // namespace

std::string vpc_block(std::uint32_t vpc) { return Ipv6Prefix{vpc_base(vpc), 56}.to_string(); }

std::string subnet_block(std::uint32_t vpc, std::uint32_t subnet) {
  Ipv6Address a = vpc_base(vpc);
  a.hi |= subnet & 0xFFU;
  return Ipv6Prefix{a, 64}.to_string();
}

std::string eni_address(std::uint32_t vpc, std::uint32_t subnet, std::uint64_t eni) {
  Ipv6Address a = vpc_base(vpc);
  a.hi |= subnet & 0xFFU;
  a.lo = eni + 16;  // clear of the addresses AWS reserves at the start of a subnet
  return format_ipv6(a);
}

void write_association_set(JsonWriter& w, const std::string& block, const std::string& association_id,
                           bool of_vpc) {
  w.key("Ipv6CidrBlockAssociationSet");
  w.begin_array();
  w.begin_object();
  w.field("AssociationId", association_id);
  w.field("Ipv6CidrBlock", block);
  w.key("Ipv6CidrBlockState");
  w.begin_object();
  w.field("State", "associated");
  w.end_object();
  if (of_vpc) {
    w.field("NetworkBorderGroup", "us-east-1");
    w.field("Ipv6Pool", "Amazon");
  }
  w.end_object();
  w.end_array();
}

void write_route(JsonWriter& w, const std::string& destination, std::string_view target_key,
                 const std::string& target, std::string_view origin) {
  w.begin_object();
  w.field("DestinationIpv6CidrBlock", destination);
  w.field(target_key, target);
  w.field("Origin", origin);
  w.field("State", "active");
  w.end_object();
}

std::vector<std::string> peers(const std::vector<std::string>& cidrs, const std::string& vpc_cidr,
                               const std::string& vpc_block6) {
  std::vector<std::string> out;
  for (const auto& c : cidrs) {
    if (c == "0.0.0.0/0") out.emplace_back("::/0");
    if (c == vpc_cidr) out.push_back(vpc_block6);
  }
  return out;
}

void write_egress_only_gateway(JsonWriter& w, const std::string& id, const std::string& vpc_id,
                               const std::string& name) {
  w.begin_object();
  w.key("Attachments");
  w.begin_array();
  w.begin_object();
  w.field("State", "attached");
  w.field("VpcId", vpc_id);
  w.end_object();
  w.end_array();
  w.field("EgressOnlyInternetGatewayId", id);
  w.key("Tags");
  w.begin_array();
  w.begin_object();
  w.field("Key", "Name");
  w.field("Value", name);
  w.end_object();
  w.end_array();
  w.end_object();
}

}  // namespace vpcprove::benchmarks::dual_stack
