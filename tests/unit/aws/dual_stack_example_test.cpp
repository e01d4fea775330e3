// SPDX-License-Identifier: Apache-2.0
// examples/dual-stack loads with no warning, and the model holds what its README describes: the
// IPv6 blocks, addresses, routes (egress-only gateways, NAT64), rules and NACL entries.
#include <catch2/catch.hpp>

#include "aws/load.h"
#include "tests/support/test_paths.h"

using vpcprove::Ipv4Prefix;
using vpcprove::Ipv6Prefix;
using vpcprove::parse_ipv6;
namespace model = vpcprove::model;

namespace {

Ipv6Prefix p6(const char* text) { return *Ipv6Prefix::parse(text); }

std::vector<Ipv6Prefix> p6s(std::initializer_list<const char*> texts) {
  std::vector<Ipv6Prefix> out;
  for (const auto* t : texts) out.push_back(p6(t));
  return out;
}

}  // namespace

TEST_CASE(
    "examples/dual-stack loads with no warning and its IPv6 blocks, addresses, routes, rules and entries",
    "[aws][ipv6][example]") {
  const auto n = vpcprove::aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/examples/dual-stack");
  std::string diagnostics;
  for (const auto& d : n.diagnostics.items()) diagnostics += d.code + ": " + d.message + "\n";
  INFO(diagnostics);
  CHECK(n.diagnostics.items().empty());
  const model::Id web_vpc = "vpc-0d5a1c2b3e4f60718", private_vpc = "vpc-0e6b2d3c4f5a71829";
  REQUIRE(n.vpcs.size() == 2);
  CHECK(n.vpcs.at(web_vpc).ipv6_cidrs == p6s({"2600:1f16:1a2:3b00::/56"}));
  CHECK(n.vpcs.at(private_vpc).ipv6_cidrs == p6s({"2600:1f16:1a2:4c00::/56"}));
  REQUIRE(n.subnets.size() == 3);
  for (const auto& [id, s] : n.subnets) CHECK(s.ipv6_cidrs.size() == 1);
  CHECK(n.subnets.at("subnet-0c3d4e5f607182933").ipv6_only);
  REQUIRE(n.egress_only_internet_gateways.size() == 2);
  CHECK(n.egress_only_internet_gateways.at("eigw-0a7182939a4b5c6d7").vpc_id == private_vpc);
  CHECK(n.egress_only_internet_gateways.at("eigw-0f5061728394a5b6c").vpc_id == web_vpc);
  // The web ENI is dual-stack, the worker IPv6 only, the NAT gateway's IPv4 only.
  const auto& web = n.network_interfaces.at("eni-0a2b4c6d8e0f1a3b5");
  CHECK(web.ipv6_addresses == std::vector<vpcprove::Ipv6Address>{*parse_ipv6("2600:1f16:1a2:3b01::20")});
  CHECK(web.private_ips.size() == 1);
  const auto& worker = n.network_interfaces.at("eni-0c4d6e8f0a2b3c5d7");
  CHECK(worker.ipv6_addresses == std::vector<vpcprove::Ipv6Address>{*parse_ipv6("2600:1f16:1a2:3b03::40")});
  CHECK(worker.private_ips.empty());
  CHECK(worker.live());
  CHECK_FALSE(n.network_interfaces.at("eni-0d5e7f9a1b3c4d6e8").has_ipv6());
  int with_ipv6 = 0;
  for (const auto& [id, eni] : n.network_interfaces) with_ipv6 += eni.has_ipv6() ? 1 : 0;
  CHECK(with_ipv6 == 3);
  // Routes: ::/0 to the IGW (public), to the egress-only gateways, and NAT64 to the NAT gateway.
  const auto& pub = n.route_tables.at("rtb-0a1a2b3c4d5e6f701").routes6;
  REQUIRE(pub.size() == 2);
  CHECK(pub[0].target_kind == model::RouteTargetKind::Local);
  CHECK(pub[1].destination6 == p6("::/0"));
  CHECK(pub[1].target_id == "igw-0e4f5061728394a5b");
  const auto& v6only = n.route_tables.at("rtb-0c1c2d3e4f5a6b703").routes6;
  REQUIRE(v6only.size() == 3);
  CHECK(v6only[0].destination6 == p6("64:ff9b::/96"));
  CHECK(v6only[0].target_kind == model::RouteTargetKind::NatGateway);
  CHECK(v6only[0].target_id == "nat-0a6b7c8d9e0f1a2b3");
  CHECK(v6only[2].target_kind == model::RouteTargetKind::EgressOnlyInternetGateway);
  CHECK(v6only[2].target_id == "eigw-0f5061728394a5b6c");
  const auto& priv = n.route_tables.at("rtb-0b1b2c3d4e5f6a702");
  CHECK(priv.routes.size() == 1);  // the local IPv4 route only
  REQUIRE(priv.routes6.size() == 2);
  CHECK(priv.routes6[1].target_kind == model::RouteTargetKind::EgressOnlyInternetGateway);
  // sg-web: 443 to 0.0.0.0/0 and ::/0, and SSH to ::/0 only.
  const auto& sg_web = n.security_groups.at("sg-0a7b8c9d0e1f2a3b4");
  REQUIRE(sg_web.ingress.size() == 3);
  CHECK(sg_web.ingress[0].peer_prefixes == std::vector<Ipv4Prefix>{*Ipv4Prefix::parse("0.0.0.0/0")});
  CHECK(sg_web.ingress[1].peer_prefixes6 == p6s({"::/0"}));
  CHECK(sg_web.ingress[1].l4.ports.lo == 443);
  CHECK(sg_web.ingress[2].peer_prefixes6 == p6s({"::/0"}));
  CHECK(sg_web.ingress[2].peer_prefixes.empty());
  CHECK(sg_web.ingress[2].l4.ports.lo == 22);
  CHECK(sg_web.ingress[2].l4.ports.hi == 22);
  // Both NACLs allow both families: rule 101 for ::/0 each way.
  for (const auto* id : {"acl-0d1d2e3f4a5b6c704", "acl-0e2e3f4a5b6c7d815"}) {
    const auto& acl = n.network_acls.at(id);
    REQUIRE(acl.ingress6.size() == 1);
    REQUIRE(acl.egress6.size() == 1);
    CHECK(acl.ingress6[0].rule_number == 101);
    CHECK(acl.ingress6[0].cidr6 == p6("::/0"));
  }
  CHECK(n.has_ipv6());
}
