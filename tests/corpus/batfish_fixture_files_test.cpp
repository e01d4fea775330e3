// SPDX-License-Identifier: Apache-2.0
// Batfish's own converter fixtures (the corpus folder's batfish/aws/*.json) read by the converter:
// the facts Batfish's Java tests assert of them. tests/unit/aws states the same facts on the
// repository's own fixtures, so a clone without the corpus still checks them.
#include <catch2/catch.hpp>

#include "tests/support/test_paths.h"
#include "tests/unit/aws/converter_facts.h"
#include "tests/unit/aws/temp_snapshot.h"

using vpcprove::Ipv4Prefix;
using vpcprove::aws::test::TempSnapshot;
using vpcprove::aws::test::with_code;
namespace model = vpcprove::model;

namespace {

bool any_message(const vpcprove::Diagnostics& d, const std::string& code, const std::string& a,
                 const std::string& b) {
  for (const auto& x : with_code(d, code)) {
    if (x.message.find(a) != std::string::npos && x.message.find(b) != std::string::npos) return true;
  }
  return false;
}

Ipv4Prefix cidr(const char* text) { return *Ipv4Prefix::parse(text); }

}  // namespace

TEST_CASE("Batfish's NetworkAclTest fixture converts to its asserted entries",
          "[aws][to_model][nacl][corpus][file]") {
  const auto n =
      vpcprove::aws::load_network(std::string(VPCPROVE_CORPUS_DIR) + "/batfish/aws/NetworkAclTest.json");
  const auto& acl = n.network_acls.at("acl-4db39c28");
  vpcprove::aws::test::check_default_nacl_with_one_deny(acl, "162.243.144.192/32");
  // The association names a subnet the fixture does not have.
  CHECK(any_message(n.diagnostics, "dangling-reference", "acl-4db39c28", "subnet-1f315846"));
}

TEST_CASE("Batfish's NetworkAclIcmpTest fixture keeps ICMP type and code",
          "[aws][to_model][nacl][corpus][file]") {
  const auto n =
      vpcprove::aws::load_network(std::string(VPCPROVE_CORPUS_DIR) + "/batfish/aws/NetworkAclIcmpTest.json");
  const auto& acl = n.network_acls.at("acl-4db39c28");
  vpcprove::aws::test::check_nacl_icmp_egress(acl);
}

// ---- security groups -----------------------------------------------------------------------

TEST_CASE("Security-group port and ICMP edge cases follow Batfish's SecurityGroupTest",
          "[aws][to_model][sg][corpus][file]") {
  vpcprove::aws::test::check_security_group_edge_cases(
      {std::string(VPCPROVE_CORPUS_DIR) + "/batfish/aws/SecurityGroupTest.json", "1.2.3.4/32",
       "sg-01a88a2ecd621d9ba/ingress/0", "5.6.7.8/32"});
}

TEST_CASE("Only active peerings reach the model, with both sides' CIDR sets",
          "[aws][to_model][pcx][corpus][file]") {
  const auto n = vpcprove::aws::load_network(std::string(VPCPROVE_CORPUS_DIR) +
                                             "/batfish/aws/VpcPeeringConnectionsTestIgnoreNonActive.json");
  REQUIRE(n.vpc_peerings.size() == 1);
  const auto& p = n.vpc_peerings.at("pcx-f754069e");
  CHECK(p.requester_vpc_id == "vpc-07acbc61");
  CHECK(p.accepter_vpc_id == "vpc-f6c5c790");
  CHECK(p.requester_cidrs == std::vector<Ipv4Prefix>{cidr("10.130.0.0/16")});
  CHECK(p.accepter_cidrs == std::vector<Ipv4Prefix>{cidr("10.199.100.0/24")});
  CHECK(p.tags.at("Name") == "peering-test");
}

TEST_CASE("Only active VPC peerings are kept (Batfish's IgnoreNonActive fixture)", "[corpus][file][loader]") {
  const auto s = vpcprove::aws::load_snapshot(std::string(VPCPROVE_CORPUS_DIR) +
                                              "/batfish/aws/VpcPeeringConnectionsTestIgnoreNonActive.json");
  REQUIRE(s.vpc_peering_connections.size() == 1);
  CHECK(s.vpc_peering_connections[0].vpc_peering_connection_id == "pcx-f754069e");
  CHECK(s.not_live.size() == 2);
}

// ---- IPv6 ----------------------------------------------------------------------------------

TEST_CASE("Batfish's NetworkAclV6Test fixture loads its IPv6 egress entry into egress6",
          "[aws][to_model][nacl][ipv6][corpus][file]") {
  const auto n =
      vpcprove::aws::load_network(std::string(VPCPROVE_CORPUS_DIR) + "/batfish/aws/NetworkAclV6Test.json");
  const auto& acl = n.network_acls.at("acl-4db39c28");
  CHECK(acl.is_default);
  CHECK(acl.ingress.empty());
  CHECK(acl.egress.empty());
  CHECK(acl.ingress6.empty());
  REQUIRE(acl.egress6.size() == 1);
  const auto& e = acl.egress6[0];
  CHECK(e.rule_number == 100);
  CHECK(e.allow);
  CHECK(e.direction == model::Direction::Egress);
  CHECK(e.l4.protocol == model::kAnyProtocol);
  CHECK(e.cidr6 == vpcprove::Ipv6Prefix::parse("::/0"));
  CHECK(e.label() == "acl-4db39c28/egress/100");
  CHECK(n.has_ipv6());
}

TEST_CASE("Batfish's RouteV6TableTest fixture loads its local IPv6 route into routes6",
          "[aws][to_model][route][ipv6][corpus][file]") {
  const auto n =
      vpcprove::aws::load_network(std::string(VPCPROVE_CORPUS_DIR) + "/batfish/aws/RouteV6TableTest.json");
  const auto& table = n.route_tables.at("rtb-296bf350");
  CHECK(table.is_main);
  CHECK(table.routes.empty());
  REQUIRE(table.routes6.size() == 1);
  const auto& r = table.routes6[0];
  CHECK(r.destination6 == vpcprove::Ipv6Prefix::parse("2600:1f16:751:7800::/56"));
  CHECK(r.target_kind == model::RouteTargetKind::Local);
  CHECK(r.target_id == "local");
  CHECK(r.origin == "CreateRouteTable");
  CHECK_FALSE(r.blackhole);
  CHECK(table.tags.at("Name") == "GNS3-BGP-Test");
  // The fixture has no VPC: the table's VPC is named as missing.
  CHECK(any_message(n.diagnostics, "dangling-reference", "rtb-296bf350", "vpc-815775e7"));
}
