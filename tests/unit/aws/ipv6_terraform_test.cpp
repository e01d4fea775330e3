// SPDX-License-Identifier: Apache-2.0
// Tests of IPv6 in Terraform plans: the attributes that carry IPv6 (ipv6_cidr_block,
// ipv6_cidr_blocks, destination_ipv6_cidr_block, egress_only_gateway_id) read into the same
// model fields as describe-* snapshots, and a value of the wrong family an InputError.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "aws/terraform_plan.h"
#include "tests/unit/aws/temp_snapshot.h"

using Catch::Matchers::Contains;
using vpcprove::Ipv6Prefix;
using vpcprove::aws::test::load_error;
using vpcprove::aws::test::TempSnapshot;
namespace model = vpcprove::model;
using nlohmann::json;

namespace {

json resource(const std::string& type, const std::string& name, json values) {
  return {{"address", type + "." + name},
          {"mode", "managed"},
          {"type", type},
          {"name", name},
          {"values", std::move(values)}};
}

std::string plan(const json& resources) {
  return json{{"format_version", "1.2"},
              {"terraform_version", "1.7.0"},
              {"planned_values", {{"root_module", {{"resources", resources}}}}}}
      .dump(2);
}

json dual_stack_resources() {
  return json::array({
      resource("aws_vpc", "main",
               {{"id", "vpc-0a1"},
                {"cidr_block", "10.0.0.0/16"},
                {"ipv6_cidr_block", "2600:1f18:aaaa:bb00::/56"}}),
      resource("aws_subnet", "web",
               {{"id", "subnet-0web"},
                {"vpc_id", "vpc-0a1"},
                {"cidr_block", "10.0.1.0/24"},
                {"ipv6_cidr_block", "2600:1f18:aaaa:bb01::/64"},
                {"availability_zone", "us-east-1a"}}),
      resource("aws_subnet", "v6only",
               {{"id", "subnet-0v6"},
                {"vpc_id", "vpc-0a1"},
                {"ipv6_native", true},
                {"ipv6_cidr_block", "2600:1f18:aaaa:bb02::/64"},
                {"availability_zone", "us-east-1a"}}),
      resource("aws_egress_only_internet_gateway", "eigw", {{"id", "eigw-0a1"}, {"vpc_id", "vpc-0a1"}}),
      resource("aws_vpc_ipv6_cidr_block_association", "second",
               {{"id", "vpc-cidr-assoc-0v6"},
                {"vpc_id", "vpc-0a1"},
                {"ipv6_cidr_block", "2600:1f18:cccc:dd00::/56"}}),
      resource("aws_route_table", "private",
               {{"id", "rtb-0priv"},
                {"vpc_id", "vpc-0a1"},
                {"route", json::array({{{"cidr_block", ""},
                                        {"ipv6_cidr_block", "::/0"},
                                        {"egress_only_gateway_id", "eigw-0a1"},
                                        {"gateway_id", ""},
                                        {"nat_gateway_id", ""}}})}}),
      resource("aws_security_group", "web",
               {{"id", "sg-0web"},
                {"vpc_id", "vpc-0a1"},
                {"name", "web"},
                {"ingress", json::array({{{"protocol", "tcp"},
                                          {"from_port", 22},
                                          {"to_port", 22},
                                          {"cidr_blocks", json::array()},
                                          {"ipv6_cidr_blocks", json::array({"::/0"})}}})},
                {"egress", json::array()}}),
      resource("aws_network_acl", "web",
               {{"id", "acl-0web"},
                {"vpc_id", "vpc-0a1"},
                {"ingress", json::array({{{"rule_no", 100},
                                          {"action", "allow"},
                                          {"protocol", "tcp"},
                                          {"from_port", 443},
                                          {"to_port", 443},
                                          {"cidr_block", ""},
                                          {"ipv6_cidr_block", "::/0"}}})},
                {"egress", json::array()}}),
  });
}

Ipv6Prefix p6(const char* text) { return *Ipv6Prefix::parse(text); }

}  // namespace

TEST_CASE("A Terraform plan's IPv6 attributes fill the model's IPv6 fields", "[aws][ipv6][terraform]") {
  TempSnapshot t;
  const auto file = t.write("plan.json", plan(dual_stack_resources()));
  const auto n = vpcprove::aws::load_network(file);
  CHECK(n.vpcs.at("vpc-0a1").ipv6_cidrs ==
        std::vector<Ipv6Prefix>{p6("2600:1f18:aaaa:bb00::/56"), p6("2600:1f18:cccc:dd00::/56")});
  CHECK(n.subnets.at("subnet-0web").ipv6_cidrs == std::vector<Ipv6Prefix>{p6("2600:1f18:aaaa:bb01::/64")});
  CHECK_FALSE(n.subnets.at("subnet-0web").ipv6_only);
  CHECK(n.subnets.at("subnet-0v6").ipv6_only);
  REQUIRE(n.egress_only_internet_gateways.count("eigw-0a1"));
  CHECK(n.egress_only_internet_gateways.at("eigw-0a1").vpc_id == "vpc-0a1");
  const auto& routes6 = n.route_tables.at("rtb-0priv").routes6;
  const auto eigw = std::find_if(routes6.begin(), routes6.end(),
                                 [](const model::Route& r) { return r.destination6 == p6("::/0"); });
  REQUIRE(eigw != routes6.end());
  CHECK(eigw->target_kind == model::RouteTargetKind::EgressOnlyInternetGateway);
  CHECK(eigw->target_id == "eigw-0a1");
  CHECK_FALSE(eigw->blackhole);
  const auto& sg = n.security_groups.at("sg-0web");
  REQUIRE(sg.ingress.size() == 1);
  CHECK(sg.ingress[0].peer_prefixes6 == std::vector<Ipv6Prefix>{p6("::/0")});
  CHECK(sg.ingress[0].peer_prefixes.empty());
  const auto& acl = n.network_acls.at("acl-0web");
  CHECK(acl.ingress.empty());
  REQUIRE(acl.ingress6.size() == 1);
  CHECK(acl.ingress6[0].cidr6 == p6("::/0"));
  CHECK(acl.ingress6[0].l4.ports.lo == 443);
}

TEST_CASE(
    "A Terraform IPv6 attribute holding IPv4 (or the reverse) is an InputError naming resource and attribute",
    "[aws][ipv6][terraform][bad-input]") {
  struct Case {
    const char* what;
    json resource;
    const char* address;
    const char* attribute;
    const char* value;
  };
  const Case cases[] = {
      {"IPv4 in ipv6_cidr_blocks",
       resource("aws_security_group", "bad",
                {{"id", "sg-0bad"},
                 {"vpc_id", "vpc-0a1"},
                 {"ingress", json::array({{{"protocol", "tcp"},
                                           {"from_port", 22},
                                           {"to_port", 22},
                                           {"ipv6_cidr_blocks", json::array({"10.0.0.0/8"})}}})}}),
       "aws_security_group.bad", "ipv6_cidr_blocks", "10.0.0.0/8"},
      {"IPv6 in cidr_blocks",
       resource("aws_security_group", "bad",
                {{"id", "sg-0bad"},
                 {"vpc_id", "vpc-0a1"},
                 {"ingress", json::array({{{"protocol", "tcp"},
                                           {"from_port", 22},
                                           {"to_port", 22},
                                           {"cidr_blocks", json::array({"::/0"})}}})}}),
       "aws_security_group.bad", "cidr_blocks", "::/0"},
      {"a /129 subnet block",
       resource("aws_subnet", "bad",
                {{"id", "subnet-0bad"},
                 {"vpc_id", "vpc-0a1"},
                 {"cidr_block", "10.0.9.0/24"},
                 {"ipv6_cidr_block", "2600:1f18::/129"}}),
       "aws_subnet.bad", "ipv6_cidr_block", "2600:1f18::/129"},
      {"IPv6 in a route's destination_cidr_block",
       resource(
           "aws_route", "bad",
           {{"route_table_id", "rtb-0priv"}, {"destination_cidr_block", "::/0"}, {"gateway_id", "igw-0a1"}}),
       "aws_route.bad", "destination_cidr_block", "::/0"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    auto resources = dual_stack_resources();
    resources.push_back(c.resource);
    TempSnapshot t;
    const auto file = t.write("plan.json", plan(resources));
    CHECK_THAT(load_error(file),
               Contains(file) && Contains(c.address) && Contains(c.attribute) && Contains(c.value));
  }
}

TEST_CASE("A VPC's generated IPv6 block, unknown until apply, is recorded as such",
          "[aws][ipv6][terraform]") {
  auto resources = json::array({resource(
      "aws_vpc", "gen",
      {{"id", "vpc-0gen"}, {"cidr_block", "10.9.0.0/16"}, {"assign_generated_ipv6_cidr_block", true}})});
  auto document = json::parse(plan(resources));
  document["resource_changes"] = json::array(
      {{{"address", "aws_vpc.gen"},
        {"type", "aws_vpc"},
        {"change", {{"actions", json::array({"create"})}, {"after_unknown", {{"ipv6_cidr_block", true}}}}}}});
  TempSnapshot t;
  const auto file = t.write("plan.json", document.dump());
  const auto n = vpcprove::aws::load_network(file);
  CHECK(n.vpcs.at("vpc-0gen").ipv6_cidrs.empty());
  const auto it = std::find_if(n.unknown_until_apply.begin(), n.unknown_until_apply.end(),
                               [](const model::UnknownValue& u) { return u.attribute == "ipv6_cidr_block"; });
  REQUIRE(it != n.unknown_until_apply.end());
  CHECK(it->resource == "vpc-0gen");
  CHECK(it->address == "aws_vpc.gen");
}

TEST_CASE("A plan deleting an IPv6 security-group rule removes that rule only, not the IPv4 one beside it",
          "[aws][ipv6][terraform]") {
  // AWS prints both as one permission with two peers.
  TempSnapshot t;
  t.write("base/sg.json", R"({"Vpcs": [{"VpcId": "vpc-0a1", "CidrBlock": "10.0.0.0/16"}],
    "SecurityGroups": [{"GroupId": "sg-0web", "VpcId": "vpc-0a1", "IpPermissions": [
      {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
       "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
      {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]}]})");
  auto document = json::parse(plan(json::array()));
  document["resource_changes"] = json::array({{{"address", "aws_vpc_security_group_ingress_rule.ssh6"},
                                               {"mode", "managed"},
                                               {"type", "aws_vpc_security_group_ingress_rule"},
                                               {"change",
                                                {{"actions", json::array({"delete"})},
                                                 {"before",
                                                  {{"id", "sgr-0ssh6"},
                                                   {"security_group_id", "sg-0web"},
                                                   {"ip_protocol", "tcp"},
                                                   {"from_port", 22},
                                                   {"to_port", 22},
                                                   {"cidr_ipv6", "::/0"}}},
                                                 {"after", nullptr}}}}});
  const auto plan_file = t.write("plan.json", document.dump());
  auto s = vpcprove::aws::load_snapshot(t.path("base"));
  vpcprove::aws::apply_plan(s, plan_file);
  const auto n = vpcprove::aws::to_model(s);
  const auto& sg = n.security_groups.at("sg-0web");
  REQUIRE(sg.ingress.size() == 2);
  CHECK(sg.ingress[0].peer == "0.0.0.0/0");
  CHECK(sg.ingress[0].l4.ports.lo == 22);
  CHECK(sg.ingress[1].peer == "::/0");  // the same peer on another port stays
  CHECK(sg.ingress[1].l4.ports.lo == 443);
  CHECK(vpcprove::aws::test::with_code(n.diagnostics, "plan-deleted-rule-not-found").empty());
}
