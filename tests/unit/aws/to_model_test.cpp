// SPDX-License-Identifier: Apache-2.0
// Tests of the converter: each rule of aws/to_model.h and docs/semantics.md that it implements.
#include <catch2/catch.hpp>

#include "tests/support/test_paths.h"
#include "tests/unit/aws/converter_facts.h"
#include "tests/unit/aws/temp_snapshot.h"

using Catch::Matchers::Contains;
using vpcprove::Ipv4Prefix;
using vpcprove::parse_ipv4;
using vpcprove::aws::test::TempSnapshot;
using vpcprove::aws::test::with_code;
namespace model = vpcprove::model;

namespace {

// One VPC 10.0.0.0/16 with two subnets, an attached IGW, and a second VPC 10.1.0.0/16.
const char* kBase = R"({
  "Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "111"},
           {"VpcId": "vpc-2", "CidrBlock": "10.1.0.0/16", "OwnerId": "111"}],
  "Subnets": [{"SubnetId": "subnet-a", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a"},
              {"SubnetId": "subnet-b", "VpcId": "vpc-1", "CidrBlock": "10.0.2.0/24", "AvailabilityZone": "us-east-1b"},
              {"SubnetId": "subnet-c", "VpcId": "vpc-2", "CidrBlock": "10.1.0.0/24", "AvailabilityZone": "us-east-1a"}],
  "InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"State": "available", "VpcId": "vpc-1"}]},
                       {"InternetGatewayId": "igw-2", "Attachments": [{"State": "available", "VpcId": "vpc-2"}]}]
})";

const model::Route* route_to(const model::RouteTable& t, const std::string& target) {
  for (const auto& r : t.routes) {
    if (r.target_id == target) return &r;
  }
  return nullptr;
}

bool any_message(const vpcprove::Diagnostics& d, const std::string& code, const std::string& a,
                 const std::string& b) {
  for (const auto& x : with_code(d, code)) {
    if (x.message.find(a) != std::string::npos && x.message.find(b) != std::string::npos) return true;
  }
  return false;
}

Ipv4Prefix cidr(const char* text) { return *Ipv4Prefix::parse(text); }

}  // namespace

// ---- routes --------------------------------------------------------------------------------

TEST_CASE("Routes are sorted longest prefix first, then static, prefix-list and propagated",
          "[aws][to_model][route]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("pl.json", R"({"PrefixLists": [{"PrefixListId": "pl-1", "Cidrs": ["172.31.0.0/24"]}]})");
  t.write("rt.json", R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1",
      "Associations": [{"Main": true, "RouteTableId": "rtb-1"}],
      "Routes": [
        {"DestinationCidrBlock": "172.31.0.0/24", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation", "State": "active"},
        {"DestinationPrefixListId": "pl-1", "GatewayId": "vpce-1", "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
        {"DestinationCidrBlock": "172.31.0.0/24", "GatewayId": "igw-1", "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "172.31.0.7/32", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation", "State": "active"},
        {"DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-1", "Origin": "CreateRoute", "State": "active"}]}]})");
  const auto n = t.network();
  const auto& routes = n.route_tables.at("rtb-1").routes;
  REQUIRE(routes.size() == 6);  // the IPv6 route is in routes6 (tests/unit/aws/ipv6_test.cpp)
  CHECK(routes[0].destination == cidr("172.31.0.7/32"));
  CHECK(routes[1].target_id == "igw-1");
  CHECK(routes[1].destination == cidr("172.31.0.0/24"));
  CHECK(routes[2].target_id == "vpce-1");
  CHECK(routes[2].prefix_list_id == "pl-1");
  CHECK(routes[3].target_id == "vgw-1");
  CHECK(routes[3].destination == cidr("172.31.0.0/24"));
  CHECK(routes[4].target_kind == model::RouteTargetKind::Local);
  CHECK(routes[4].target_id == "local");
  CHECK(routes[5].destination == cidr("0.0.0.0/0"));
  CHECK(routes[5].target_kind == model::RouteTargetKind::InternetGateway);
}

TEST_CASE(
    "A prefix-list destination becomes one route per entry; a missing list drops the route with a warning",
    "[aws][to_model][route][prefix-list]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("pl.json",
          R"({"PrefixLists": [{"PrefixListId": "pl-s3", "PrefixListName": "com.amazonaws.us-east-1.s3",
      "Cidrs": ["52.216.0.0/15", "54.231.0.0/16", "2600:1f68::/32"]}]})");
  t.write("rt.json", R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
        {"DestinationPrefixListId": "pl-s3", "GatewayId": "vpce-s3", "Origin": "CreateRoute", "State": "active"},
        {"DestinationPrefixListId": "pl-gone", "GatewayId": "vpce-s3", "Origin": "CreateRoute", "State": "active"}]}]})");
  const auto n = t.network();
  const auto& routes = n.route_tables.at("rtb-1").routes;
  REQUIRE(routes.size() == 2);
  CHECK(routes[0].destination == cidr("54.231.0.0/16"));  // /16 before /15
  CHECK(routes[1].destination == cidr("52.216.0.0/15"));
  for (const auto& r : routes) {
    CHECK(r.prefix_list_id == "pl-s3");
    CHECK(r.target_kind == model::RouteTargetKind::GatewayEndpoint);
  }
  CHECK(any_message(n.diagnostics, "dangling-reference", "rtb-1", "pl-gone"));
  REQUIRE(n.opaque_gateways.count("vpce-s3") == 1);
  CHECK(n.opaque_gateways.at("vpce-s3").kind == model::RouteTargetKind::GatewayEndpoint);
}

TEST_CASE("A blackhole route stays a blackhole", "[aws][to_model][route]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("rt.json", R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
        {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-old", "Origin": "CreateRoute", "State": "blackhole"}]}]})");
  const auto n = t.network();
  const auto& r = n.route_tables.at("rtb-1").routes.at(0);
  CHECK(r.blackhole);
  CHECK(r.target_kind == model::RouteTargetKind::NatGateway);
  CHECK(r.target_id == "nat-old");
  CHECK(with_code(n.diagnostics, "dangling-reference").empty());  // AWS already says blackhole
}

TEST_CASE(
    "An active route to a target missing from the snapshot leaves the model, with a warning naming both ends",
    "[aws][to_model][route][dangling]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("rt.json", R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-gone", "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "1.0.0.0/8", "GatewayId": "igw-2", "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "2.0.0.0/8", "NatGatewayId": "nat-gone", "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "3.0.0.0/8", "VpcPeeringConnectionId": "pcx-gone", "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "4.0.0.0/8", "NetworkInterfaceId": "eni-gone", "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "5.0.0.0/8", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}]}]})");
  const auto n = t.network();
  const auto& table = n.route_tables.at("rtb-1");
  // AWS marks a route whose target is gone "blackhole"; an active one's target exists, the
  // snapshot just lacks it: the route leaves the model and answers name the target.
  const std::pair<const char*, model::RouteTargetKind> gone[] = {
      {"igw-gone", model::RouteTargetKind::InternetGateway},
      {"nat-gone", model::RouteTargetKind::NatGateway},
      {"pcx-gone", model::RouteTargetKind::VpcPeering},
      {"eni-gone", model::RouteTargetKind::NetworkInterface}};
  for (const auto& [target, kind] : gone) {
    INFO(target);
    REQUIRE(route_to(table, target));
    CHECK_FALSE(route_to(table, target)->blackhole);
    CHECK(route_to(table, target)->target_kind == model::RouteTargetKind::Other);
    REQUIRE(n.opaque_gateways.count(target));
    CHECK(n.opaque_gateways.at(target).missing);
    CHECK(n.opaque_gateways.at(target).kind == kind);
    CHECK(any_message(n.diagnostics, "dangling-reference", "rtb-1", target));
  }
  // An internet gateway attached to another VPC: a contradiction AWS would show as blackhole.
  CHECK(route_to(table, "igw-2")->blackhole);
  CHECK(any_message(n.diagnostics, "dangling-reference", "igw-2", "is not attached to vpc-1"));
  CHECK_THAT(with_code(n.diagnostics, "dangling-reference")[0].message,
             Contains("route rtb-1 0.0.0.0/0 -> igw-gone: igw-gone is not in the snapshot"));
  // Transit gateways are not followed: the route stays live and the gateway is opaque.
  CHECK_FALSE(route_to(table, "tgw-1")->blackhole);
  CHECK(n.opaque_gateways.at("tgw-1").vpc_ids == std::vector<std::string>{"vpc-1"});
  CHECK_FALSE(n.opaque_gateways.at("tgw-1").missing);
}

TEST_CASE("A route over a peering into a VPC outside the snapshot leaves the model",
          "[aws][to_model][route][dangling]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("pcx.json", R"({"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-x",
      "Status": {"Code": "active"},
      "RequesterVpcInfo": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "111"},
      "AccepterVpcInfo": {"VpcId": "vpc-other", "CidrBlock": "10.9.0.0/16", "OwnerId": "999"}}]})");
  t.write("rt.json", R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
        {"DestinationCidrBlock": "10.9.0.0/16", "VpcPeeringConnectionId": "pcx-x", "Origin": "CreateRoute", "State": "active"}]}]})");
  const auto n = t.network();
  const auto* r = route_to(n.route_tables.at("rtb-1"), "pcx-x");
  REQUIRE(r);
  CHECK(r->target_kind == model::RouteTargetKind::Other);
  REQUIRE(n.opaque_gateways.count("pcx-x"));
  CHECK(n.opaque_gateways.at("pcx-x").kind == model::RouteTargetKind::VpcPeering);
  CHECK(any_message(n.diagnostics, "dangling-reference", "pcx-x", "vpc-other"));
}

TEST_CASE("Two ENIs holding one public IP: a warning naming both, and the address recorded as contested",
          "[aws][to_model][contradiction]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("eni.json", R"({"NetworkInterfaces": [
      {"NetworkInterfaceId": "eni-old", "SubnetId": "subnet-a", "VpcId": "vpc-1", "Status": "in-use",
       "InterfaceType": "interface", "PrivateIpAddress": "10.0.1.5",
       "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.5", "Association": {"PublicIp": "203.0.113.9"}}]},
      {"NetworkInterfaceId": "eni-new", "SubnetId": "subnet-b", "VpcId": "vpc-1", "Status": "in-use",
       "InterfaceType": "interface", "PrivateIpAddress": "10.0.2.5",
       "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.2.5", "Association": {"PublicIp": "203.0.113.9"}}]}]})");
  const auto n = t.network();
  CHECK(any_message(n.diagnostics, "duplicate-public-ip", "eni-new", "eni-old"));
  const auto ip = *parse_ipv4("203.0.113.9");
  REQUIRE(n.contested_public_ips.count(ip));
  CHECK(n.contested_public_ips.at(ip) == std::vector<model::Id>{"eni-new", "eni-old"});
}

TEST_CASE("IPv6 rules, routes and NACL entries are also kept as text for the answers that name them",
          "[aws][to_model][ipv6]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("v6.json", R"({
    "Subnets": [{"SubnetId": "subnet-v6", "VpcId": "vpc-1", "AvailabilityZone": "us-east-1a",
                 "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18::/64", "Ipv6CidrBlockState": {"State": "associated"}}]}],
    "NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Entries": [
        {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"},
        {"RuleNumber": 101, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "Ipv6CidrBlock": "::/0"},
        {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0"},
        {"RuleNumber": 32768, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "Ipv6CidrBlock": "::/0"}]}],
    "SecurityGroups": [{"GroupId": "sg-1", "GroupName": "web", "VpcId": "vpc-1",
        "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [], "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}],
        "IpPermissionsEgress": []}],
    "RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
        {"DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-1", "Origin": "CreateRoute", "State": "active"}]}],
    "NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-a", "VpcId": "vpc-1", "Status": "in-use",
        "InterfaceType": "interface", "PrivateIpAddress": "10.0.1.5",
        "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.5"}],
        "Ipv6Addresses": [{"Ipv6Address": "2600:1f18::5"}]}]})");
  const auto n = t.network();
  const auto& acl = n.network_acls.at("acl-1");
  CHECK(acl.ingress.size() == 1);  // the IPv4 allow; both "*" rules are the built-in default
  CHECK(acl.ipv6_entries == std::vector<std::string>{"ingress rule 101 allow ::/0"});
  CHECK(n.security_groups.at("sg-1").ipv6_ingress == std::vector<std::string>{"tcp 22 ::/0"});
  CHECK(n.route_tables.at("rtb-1").ipv6_routes == std::vector<std::string>{"::/0 -> igw-1"});
  CHECK(n.network_interfaces.at("eni-1").ipv6_addresses ==
        std::vector<vpcprove::Ipv6Address>{*vpcprove::parse_ipv6("2600:1f18::5")});
  const auto& v6 = n.subnets.at("subnet-v6");
  CHECK(v6.ipv6_only);
  CHECK(v6.ipv6_cidrs == std::vector<vpcprove::Ipv6Prefix>{*vpcprove::Ipv6Prefix::parse("2600:1f18::/64")});
  CHECK(n.subnet_containing("vpc-1", 0) == nullptr);
}

TEST_CASE("Route targets map to their kinds and a route to an instance uses its primary ENI",
          "[aws][to_model][route]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("res.json", R"({"Reservations": [{"OwnerId": "111", "Instances": [{"InstanceId": "i-fw",
      "State": {"Name": "running"}, "SubnetId": "subnet-a", "VpcId": "vpc-1",
      "NetworkInterfaces": [
        {"NetworkInterfaceId": "eni-fw1", "SubnetId": "subnet-a", "VpcId": "vpc-1", "Attachment": {"DeviceIndex": 1},
         "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.11", "Primary": true}]},
        {"NetworkInterfaceId": "eni-fw0", "SubnetId": "subnet-a", "VpcId": "vpc-1", "Attachment": {"DeviceIndex": 0},
         "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.10", "Primary": true}]}]}]}]})");
  t.write("eigw.json", R"({"EgressOnlyInternetGateways": [{"EgressOnlyInternetGatewayId": "eigw-1",
      "Attachments": [{"State": "attached", "VpcId": "vpc-1"}]}]})");
  t.write("rt.json", R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
        {"DestinationCidrBlock": "9.0.0.0/8", "InstanceId": "i-fw", "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "8.0.0.0/8", "EgressOnlyInternetGatewayId": "eigw-1", "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "7.0.0.0/8", "CarrierGatewayId": "cagw-1", "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "6.0.0.0/8", "GatewayId": "vgw-1", "Origin": "CreateRoute", "State": "active"}]}]})");
  const auto n = t.network();
  const auto& table = n.route_tables.at("rtb-1");
  REQUIRE(route_to(table, "eni-fw0"));
  CHECK(route_to(table, "eni-fw0")->target_kind == model::RouteTargetKind::NetworkInterface);
  CHECK_FALSE(route_to(table, "eni-fw0")->blackhole);
  CHECK(route_to(table, "eigw-1")->target_kind == model::RouteTargetKind::EgressOnlyInternetGateway);
  CHECK(route_to(table, "cagw-1")->target_kind == model::RouteTargetKind::Other);
  CHECK(route_to(table, "vgw-1")->target_kind == model::RouteTargetKind::VirtualPrivateGateway);
  CHECK(n.instances.at("i-fw").network_interface_ids == std::vector<std::string>{"eni-fw0", "eni-fw1"});
}

TEST_CASE("A subnet uses its explicitly associated route table, else the VPC's main table",
          "[aws][to_model][association]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("rt.json", R"({"RouteTables": [
      {"RouteTableId": "rtb-main", "VpcId": "vpc-1", "Associations": [{"Main": true, "RouteTableId": "rtb-main"}]},
      {"RouteTableId": "rtb-a", "VpcId": "vpc-1", "Associations": [
          {"Main": false, "RouteTableId": "rtb-a", "SubnetId": "subnet-a", "AssociationState": {"State": "associated"}},
          {"Main": false, "RouteTableId": "rtb-a", "SubnetId": "subnet-b", "AssociationState": {"State": "disassociated"}}]}]})");
  const auto n = t.network();
  CHECK(n.subnets.at("subnet-a").route_table_id == "rtb-a");
  CHECK(n.subnets.at("subnet-b").route_table_id == "rtb-main");
  CHECK(n.vpcs.at("vpc-1").main_route_table_id == "rtb-main");
  CHECK(n.route_tables.at("rtb-main").is_main);
  CHECK(n.subnets.at("subnet-c").route_table_id.empty());  // vpc-2 has no table at all
  CHECK(any_message(n.diagnostics, "no-route-table", "subnet-c", "vpc-2"));
}

// ---- network ACLs --------------------------------------------------------------------------

TEST_CASE("A subnet uses its explicitly associated NACL, else the VPC's default NACL",
          "[aws][to_model][nacl]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("acl.json", R"({"NetworkAcls": [
      {"NetworkAclId": "acl-default", "VpcId": "vpc-1", "IsDefault": true, "Entries": []},
      {"NetworkAclId": "acl-a", "VpcId": "vpc-1", "IsDefault": false, "Entries": [],
       "Associations": [{"NetworkAclAssociationId": "aclassoc-1", "NetworkAclId": "acl-a", "SubnetId": "subnet-a"}]}]})");
  const auto n = t.network();
  CHECK(n.subnets.at("subnet-a").nacl_id == "acl-a");
  CHECK(n.subnets.at("subnet-b").nacl_id == "acl-default");
  CHECK(n.vpcs.at("vpc-1").default_nacl_id == "acl-default");
  // vpc-2 has NACLs nowhere: synthesised allow-all, with a warning naming the VPC.
  CHECK(n.subnets.at("subnet-c").nacl_id == "acl-default-vpc-2");
  const auto& synth = n.network_acls.at("acl-default-vpc-2");
  CHECK(synth.synthesized);
  REQUIRE(synth.ingress.size() == 1);
  CHECK(synth.ingress[0].allow);
  CHECK(synth.ingress[0].cidr == cidr("0.0.0.0/0"));
  CHECK(synth.ingress[0].l4.protocol == model::kAnyProtocol);
  REQUIRE(synth.egress.size() == 1);
  CHECK(any_message(n.diagnostics, "synthesized-nacl", "vpc-2", "acl-default-vpc-2"));
  CHECK(with_code(n.diagnostics, "no-network-acls").empty());
}

TEST_CASE("A snapshot without NetworkAcls gets an allow-all NACL per VPC and one warning",
          "[aws][to_model][nacl]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  const auto n = t.network();
  CHECK(n.subnets.at("subnet-a").nacl_id == "acl-default-vpc-1");
  CHECK(n.subnets.at("subnet-c").nacl_id == "acl-default-vpc-2");
  CHECK(n.network_acls.at("acl-default-vpc-1").synthesized);
  CHECK(with_code(n.diagnostics, "no-network-acls").size() == 1);
  CHECK(with_code(n.diagnostics, "synthesized-nacl").empty());
}

TEST_CASE("NACL entries are sorted by rule number, without the 32767 default and IPv6 entries",
          "[aws][to_model][nacl]") {
  TempSnapshot t;
  t.write("acl.json",
          R"({"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Entries": [
      {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0"},
      {"RuleNumber": 200, "Protocol": "6", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0",
       "PortRange": {"From": 443, "To": 443}},
      {"RuleNumber": 100, "Protocol": "6", "RuleAction": "deny", "Egress": false, "CidrBlock": "10.9.0.0/16",
       "PortRange": {"From": 22, "To": 22}},
      {"RuleNumber": 101, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "Ipv6CidrBlock": "::/0"},
      {"RuleNumber": 100, "Protocol": "17", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"}]}]})");
  const auto n = t.network();
  const auto& acl = n.network_acls.at("acl-1");
  REQUIRE(acl.ingress.size() == 2);
  CHECK(acl.ingress[0].rule_number == 100);
  CHECK_FALSE(acl.ingress[0].allow);
  CHECK(acl.ingress[0].l4.ports == vpcprove::PortRange{22, 22});
  CHECK(acl.ingress[0].cidr == cidr("10.9.0.0/16"));
  CHECK(acl.ingress[0].label() == "acl-1/ingress/100");
  CHECK(acl.ingress[1].rule_number == 200);
  REQUIRE(acl.egress.size() == 1);
  CHECK(acl.egress[0].l4.protocol == model::kUdp);
  CHECK(acl.egress[0].l4.ports.is_all());
}

TEST_CASE("A default NACL with one deny entry converts entry by entry; its dangling association warns",
          "[aws][to_model][nacl]") {
  const auto n =
      vpcprove::aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/tests/unit/aws/data/nacl_edges.json");
  const auto& acl = n.network_acls.at("acl-edges");
  vpcprove::aws::test::check_default_nacl_with_one_deny(acl, "203.0.113.44/32");
  // The association names a subnet the fixture does not have.
  CHECK(any_message(n.diagnostics, "dangling-reference", "acl-edges", "subnet-not-in-snapshot"));
}

TEST_CASE("NACL ICMP entries keep their type and code (-1 = any)", "[aws][to_model][nacl]") {
  const auto n =
      vpcprove::aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/tests/unit/aws/data/nacl_edges.json");
  const auto& acl = n.network_acls.at("acl-icmp");
  vpcprove::aws::test::check_nacl_icmp_egress(acl);
}

// ---- security groups -----------------------------------------------------------------------

TEST_CASE("Security-group port and ICMP edge cases: half-open and -1 ports, ICMP type and code",
          "[aws][to_model][sg]") {
  vpcprove::aws::test::check_security_group_edge_cases(
      {std::string(VPCPROVE_SOURCE_DIR) + "/tests/unit/aws/data/security_group_edges.json", "198.51.100.7/32",
       "sg-edge00/ingress/0", "203.0.113.8/32"});
}

TEST_CASE("Security-group protocols are read by name and number; IPv6-only ICMP is skipped",
          "[aws][to_model][sg]") {
  TempSnapshot t;
  t.write("sg.json", R"({"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": [
      {"IpProtocol": "6", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
      {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
      {"IpProtocol": "icmpv6", "FromPort": -1, "ToPort": -1, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
      {"IpProtocol": "50", "IpRanges": [{"CidrIp": "192.0.2.0/24"}, {"CidrIp": "198.51.100.0/24"}]}]}]})");
  const auto n = t.network();
  const auto& in = n.security_groups.at("sg-1").ingress;
  REQUIRE(in.size() == 4);
  CHECK(in[0].l4.protocol == model::kTcp);
  CHECK(in[1].l4.protocol == model::kUdp);
  CHECK(in[2].l4.protocol == 50);
  CHECK(in[2].index == 2);
  CHECK(in[3].index == 3);
  CHECK(in[3].peer == "198.51.100.0/24");
}

TEST_CASE("A group reference expands to /32s of every ENI carrying the group, across VPCs",
          "[aws][to_model][sg]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("sg.json", R"({"SecurityGroups": [
      {"GroupId": "sg-web", "VpcId": "vpc-1"},
      {"GroupId": "sg-db", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
        "IpRanges": [{"CidrIp": "10.9.0.0/16"}],
        "UserIdGroupPairs": [{"GroupId": "sg-web", "UserId": "111"}, {"GroupId": "sg-gone", "UserId": "222"}],
        "PrefixListIds": [{"PrefixListId": "pl-gone"}]}]}]})");
  t.write("eni.json", R"({"NetworkInterfaces": [
      {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-a", "VpcId": "vpc-1", "Groups": [{"GroupId": "sg-web"}],
       "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.6", "Primary": false},
                              {"PrivateIpAddress": "10.0.1.5", "Primary": true}]},
      {"NetworkInterfaceId": "eni-2", "SubnetId": "subnet-c", "VpcId": "vpc-2", "Groups": [{"GroupId": "sg-web"}],
       "PrivateIpAddresses": [{"PrivateIpAddress": "10.1.0.7", "Primary": true}]}]})");
  const auto n = t.network();
  const auto& in = n.security_groups.at("sg-db").ingress;
  REQUIRE(in.size() == 4);  // IpRanges, then UserIdGroupPairs, then PrefixListIds
  CHECK(in[0].peer == "10.9.0.0/16");
  CHECK(in[1].peer == "sg-web");
  CHECK(in[1].peer_prefixes ==
        std::vector<Ipv4Prefix>{cidr("10.0.1.5/32"), cidr("10.0.1.6/32"), cidr("10.1.0.7/32")});
  CHECK(in[2].peer == "sg-gone");
  CHECK(in[2].peer_prefixes.empty());
  CHECK(in[3].peer == "pl-gone");
  CHECK(in[3].peer_prefixes.empty());
  CHECK(any_message(n.diagnostics, "dangling-reference", "sg-db", "sg-gone"));
  CHECK(any_message(n.diagnostics, "dangling-reference", "sg-db", "pl-gone"));
  // Primary address first on the ENI.
  CHECK(n.network_interfaces.at("eni-1").private_ips[0].address == *parse_ipv4("10.0.1.5"));
}

TEST_CASE("A missing group that ENIs still name: the warning says the rule matches their addresses",
          "[aws][to_model][sg][dangling]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("sg.json", R"({"SecurityGroups": [
      {"GroupId": "sg-db", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
        "UserIdGroupPairs": [{"GroupId": "sg-gone", "UserId": "222"}, {"GroupId": "sg-unused", "UserId": "222"}]}]}]})");
  t.write("eni.json", R"({"NetworkInterfaces": [
      {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-a", "VpcId": "vpc-1", "Groups": [{"GroupId": "sg-gone"}],
       "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.5", "Primary": true}]}]})");
  const auto n = t.network();
  const auto& in = n.security_groups.at("sg-db").ingress;
  REQUIRE(in.size() == 2);
  // eni-1 names sg-gone, so the reference matches 10.0.1.5 (a witness may use the rule) ...
  CHECK(in[0].peer_prefixes == std::vector<Ipv4Prefix>{cidr("10.0.1.5/32")});
  bool said_members = false, said_nothing_wrongly = false;
  for (const auto& d : with_code(n.diagnostics, "dangling-reference")) {
    if (d.message.find("sg-gone") == std::string::npos) continue;
    said_members = said_members || d.message.find("1 private address") != std::string::npos;
    said_nothing_wrongly = said_nothing_wrongly || d.message.find("matches no address") != std::string::npos;
  }
  CHECK(said_members);
  CHECK_FALSE(said_nothing_wrongly);
  // ... while sg-unused, which no ENI names, matches nothing, and the warning says so.
  CHECK(in[1].peer_prefixes.empty());
  CHECK(any_message(n.diagnostics, "dangling-reference", "sg-unused", "matches no address of the snapshot"));
}

TEST_CASE("A group reference lists each member address once, where it first appears", "[aws][to_model][sg]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("sg.json", R"({"SecurityGroups": [
      {"GroupId": "sg-web", "VpcId": "vpc-1"},
      {"GroupId": "sg-db", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
        "UserIdGroupPairs": [{"GroupId": "sg-web"}]}]}]})");
  // eni-3 reuses eni-1's address in another VPC.
  t.write("eni.json", R"({"NetworkInterfaces": [
      {"NetworkInterfaceId": "eni-3", "SubnetId": "subnet-c", "VpcId": "vpc-2", "Groups": [{"GroupId": "sg-web"}],
       "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.6", "Primary": true}]},
      {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-a", "VpcId": "vpc-1", "Groups": [{"GroupId": "sg-web"}],
       "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.6", "Primary": true},
                              {"PrivateIpAddress": "10.0.1.9", "Primary": false}]},
      {"NetworkInterfaceId": "eni-2", "SubnetId": "subnet-c", "VpcId": "vpc-2", "Groups": [{"GroupId": "sg-web"}],
       "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.5", "Primary": true}]}]})");
  const auto n = t.network();
  const auto& in = n.security_groups.at("sg-db").ingress;
  REQUIRE(in.size() == 1);
  // Members in ENI ID order (eni-1, eni-2, eni-3), each address once.
  CHECK(in[0].peer_prefixes ==
        std::vector<Ipv4Prefix>{cidr("10.0.1.6/32"), cidr("10.0.1.9/32"), cidr("10.0.1.5/32")});
}

TEST_CASE("An ENI naming a group missing from the snapshot drops it with a warning", "[aws][to_model][sg]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("eni.json", R"({"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-a",
      "VpcId": "vpc-1", "Groups": [{"GroupId": "sg-gone"}], "PrivateIpAddress": "10.0.1.5"}]})");
  const auto n = t.network();
  CHECK(n.network_interfaces.at("eni-1").security_group_ids.empty());
  CHECK(any_message(n.diagnostics, "dangling-reference", "eni-1", "sg-gone"));
}

// ---- interfaces, instances, NAT gateways, addresses ----------------------------------------

TEST_CASE("ENIs come from NetworkInterfaces, Reservations and NAT gateways, with their public IPs",
          "[aws][to_model][eni]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("eni.json", R"({"NetworkInterfaces": [
      {"NetworkInterfaceId": "eni-web", "SubnetId": "subnet-a", "VpcId": "vpc-1", "InterfaceType": "interface",
       "SourceDestCheck": false, "Attachment": {"InstanceId": "i-web", "DeviceIndex": 0, "Status": "attached"},
       "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.5", "Primary": true,
                               "Association": {"PublicIp": "54.0.0.5"}},
                              {"PrivateIpAddress": "10.0.1.6", "Primary": false}]},
      {"NetworkInterfaceId": "eni-old", "SubnetId": "subnet-a", "VpcId": "vpc-1",
       "Attachment": {"InstanceId": "i-stopped", "DeviceIndex": 0, "Status": "attached"},
       "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.9", "Primary": true}]},
      {"NetworkInterfaceId": "eni-vpce", "SubnetId": "subnet-b", "VpcId": "vpc-1", "InterfaceType": "vpc_endpoint",
       "RequesterManaged": true, "PrivateIpAddress": "10.0.2.50"}]})");
  t.write("res.json", R"({"Reservations": [{"OwnerId": "111", "Instances": [
      {"InstanceId": "i-web", "State": {"Name": "running"}, "SubnetId": "subnet-a", "VpcId": "vpc-1",
       "NetworkInterfaces": [{"NetworkInterfaceId": "eni-web", "SubnetId": "subnet-a", "VpcId": "vpc-1",
                              "Attachment": {"DeviceIndex": 0}, "PrivateIpAddress": "10.0.1.5"}]},
      {"InstanceId": "i-app", "State": {"Name": "running"}, "SubnetId": "subnet-b", "VpcId": "vpc-1",
       "PublicIpAddress": "54.0.0.20",
       "NetworkInterfaces": [{"NetworkInterfaceId": "eni-app", "SubnetId": "subnet-b", "VpcId": "vpc-1",
                              "Attachment": {"DeviceIndex": 0}, "Groups": [{"GroupId": "sg-app"}],
                              "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.2.20", "Primary": true}]}]},
      {"InstanceId": "i-stopped", "State": {"Name": "stopped"}}]}]})");
  t.write("sg.json", R"({"SecurityGroups": [{"GroupId": "sg-app", "VpcId": "vpc-1"}]})");
  t.write("nat.json", R"({"NatGateways": [{"NatGatewayId": "nat-1", "State": "available", "VpcId": "vpc-1",
      "SubnetId": "subnet-a", "NatGatewayAddresses": [{"NetworkInterfaceId": "eni-nat", "PrivateIp": "10.0.1.100",
      "PublicIp": "3.3.3.3", "IsPrimary": true}]}]})");
  t.write("addr.json", R"({"Addresses": [{"PublicIp": "54.0.0.6", "AllocationId": "eipalloc-1",
      "NetworkInterfaceId": "eni-web", "PrivateIpAddress": "10.0.1.6"},
      {"PublicIp": "54.0.0.99", "AllocationId": "eipalloc-2"}]})");
  const auto n = t.network();

  const auto& web = n.network_interfaces.at("eni-web");
  CHECK(web.kind == model::InterfaceKind::Instance);
  CHECK(web.instance_id == "i-web");
  CHECK_FALSE(web.source_dest_check);
  REQUIRE(web.private_ips.size() == 2);
  CHECK(web.private_ips[0].public_ip == parse_ipv4("54.0.0.5"));
  CHECK(web.private_ips[1].public_ip == parse_ipv4("54.0.0.6"));  // Elastic IP from Addresses

  // Only in Reservations: still built, with the instance's public IP on its primary address.
  const auto& app = n.network_interfaces.at("eni-app");
  CHECK(app.kind == model::InterfaceKind::Instance);
  CHECK(app.instance_id == "i-app");
  CHECK(app.security_group_ids == std::vector<std::string>{"sg-app"});
  CHECK(app.private_ips.at(0).public_ip == parse_ipv4("54.0.0.20"));

  // Attached to a stopped instance: kept, inactive (asked for by ID it is answered), in no set.
  REQUIRE(n.network_interfaces.count("eni-old") == 1);
  CHECK(n.network_interfaces.at("eni-old").inactive_code == "INSTANCE_NOT_RUNNING");
  CHECK_FALSE(n.network_interfaces.at("eni-old").in_sets());
  CHECK(n.instances.count("i-stopped") == 0);

  const auto& nat_eni = n.network_interfaces.at("eni-nat");
  CHECK(nat_eni.kind == model::InterfaceKind::NatGateway);
  CHECK(nat_eni.gateway_id == "nat-1");
  CHECK(nat_eni.private_ips.at(0).address == *parse_ipv4("10.0.1.100"));
  CHECK(nat_eni.private_ips.at(0).public_ip == parse_ipv4("3.3.3.3"));
  const auto& nat = n.nat_gateways.at("nat-1");
  CHECK(nat.network_interface_id == "eni-nat");
  CHECK(nat.public_ip == parse_ipv4("3.3.3.3"));
  CHECK(nat.is_public);
  CHECK(n.nat_gateway_with_public_ip(*parse_ipv4("3.3.3.3")) != nullptr);

  CHECK(n.network_interfaces.at("eni-vpce").kind == model::InterfaceKind::VpcEndpoint);
  CHECK(n.interface_with_public_ip(*parse_ipv4("54.0.0.6"))->id == "eni-web");
}

// ---- VPCs, peerings, IGWs, places ----------------------------------------------------------

TEST_CASE("VPC CIDRs, IGW attachments, accounts and regions are filled in", "[aws][to_model][vpc]") {
  TempSnapshot t;
  t.write("us-east-1/base.json", kBase);
  t.write("us-east-1/vpc3.json", R"({"Vpcs": [{"VpcId": "vpc-3", "CidrBlock": "10.3.0.0/16",
      "CidrBlockAssociationSet": [{"CidrBlock": "10.3.0.0/16", "CidrBlockState": {"State": "associated"}},
                                  {"CidrBlock": "100.64.0.0/16", "CidrBlockState": {"State": "associated"}}]}]})");
  const auto n = t.network();
  CHECK(n.vpcs.at("vpc-3").cidrs == std::vector<Ipv4Prefix>{cidr("10.3.0.0/16"), cidr("100.64.0.0/16")});
  CHECK(n.vpcs.at("vpc-1").internet_gateway_id == "igw-1");
  CHECK(n.internet_gateways.at("igw-2").vpc_id == "vpc-2");
  CHECK(n.accounts == std::vector<std::string>{"111"});
  CHECK(n.regions == std::vector<std::string>{"us-east-1"});
  CHECK(n.subnets.at("subnet-a").origin.region == "us-east-1");
}

TEST_CASE("Only active peerings reach the model, with both sides' CIDR sets", "[aws][to_model][pcx]") {
  const auto n = vpcprove::aws::load_network(std::string(VPCPROVE_SOURCE_DIR) +
                                             "/tests/unit/aws/data/peering_states.json");
  REQUIRE(n.vpc_peerings.size() == 1);
  const auto& p = n.vpc_peerings.at("pcx-active");
  CHECK(p.requester_vpc_id == "vpc-req");
  CHECK(p.accepter_vpc_id == "vpc-acc");
  CHECK(p.requester_cidrs == std::vector<Ipv4Prefix>{cidr("10.130.0.0/16")});
  CHECK(p.accepter_cidrs == std::vector<Ipv4Prefix>{cidr("10.199.100.0/24")});
  CHECK(p.tags.at("Name") == "peering-test");
}

TEST_CASE("Converting the same snapshot twice gives the same model and diagnostics", "[aws][to_model]") {
  TempSnapshot t;
  t.write("base.json", kBase);
  t.write("rt.json", R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-gone", "Origin": "CreateRoute", "State": "active"}]}]})");
  const auto a = t.network();
  const auto b = t.network();
  REQUIRE(a.diagnostics.items().size() == b.diagnostics.items().size());
  for (std::size_t i = 0; i < a.diagnostics.items().size(); ++i) {
    CHECK(a.diagnostics.items()[i].message == b.diagnostics.items()[i].message);
  }
  CHECK(a.route_tables.at("rtb-1").routes.size() == b.route_tables.at("rtb-1").routes.size());
}
