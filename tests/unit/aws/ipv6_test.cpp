// SPDX-License-Identifier: Apache-2.0
// Tests of IPv6 reading and conversion: every IPv6 field of the snapshot into the model's typed
// fields, and every malformed IPv6 value an InputError naming the file, the resource and the field.
#include <catch2/catch.hpp>

#include "tests/unit/aws/temp_snapshot.h"

using Catch::Matchers::Contains;
using vpcprove::Ipv4Prefix;
using vpcprove::Ipv6Prefix;
using vpcprove::parse_ipv6;
using vpcprove::aws::test::load_error;
using vpcprove::aws::test::TempSnapshot;
using vpcprove::aws::test::with_code;
namespace model = vpcprove::model;

namespace {

Ipv6Prefix p6(const char* text) { return *Ipv6Prefix::parse(text); }

std::vector<Ipv6Prefix> p6s(std::initializer_list<const char*> texts) {
  std::vector<Ipv6Prefix> out;
  for (const auto* t : texts) out.push_back(p6(t));
  return out;
}

// A dual-stack VPC: 10.0.0.0/16 and 2600:1f18:aaaa:bb00::/56 (and a disassociated /56 that must
// not count), a dual-stack subnet, an IPv6-only subnet, an IGW and an egress-only gateway.
const char* kDualStack = R"({
  "Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16",
            "Ipv6CidrBlockAssociationSet": [
              {"AssociationId": "a1", "Ipv6CidrBlock": "2600:1f18:aaaa:bb00::/56", "Ipv6CidrBlockState": {"State": "associated"}},
              {"AssociationId": "a2", "Ipv6CidrBlock": "2600:1f18:cccc:dd00::/56", "Ipv6CidrBlockState": {"State": "disassociated"}}]}],
  "Subnets": [{"SubnetId": "subnet-ds", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a",
               "Ipv6CidrBlockAssociationSet": [
                 {"Ipv6CidrBlock": "2600:1f18:aaaa:bb01::/64", "Ipv6CidrBlockState": {"State": "associated"}},
                 {"Ipv6CidrBlock": "2600:1f18:aaaa:bb09::/64", "Ipv6CidrBlockState": {"State": "disassociating"}}]},
              {"SubnetId": "subnet-v6", "VpcId": "vpc-1", "AvailabilityZone": "us-east-1a", "Ipv6Native": true,
               "Ipv6CidrBlockAssociationSet": [
                 {"Ipv6CidrBlock": "2600:1f18:aaaa:bb02::/64", "Ipv6CidrBlockState": {"State": "associated"}}]}],
  "InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"State": "available", "VpcId": "vpc-1"}]}],
  "EgressOnlyInternetGateways": [{"EgressOnlyInternetGatewayId": "eigw-1",
                                  "Attachments": [{"State": "attached", "VpcId": "vpc-1"}]}],
  "NetworkInterfaces": [
    {"NetworkInterfaceId": "eni-web", "SubnetId": "subnet-ds", "VpcId": "vpc-1", "Status": "in-use",
     "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.10", "Primary": true}],
     "Ipv6Addresses": [{"Ipv6Address": "2600:1f18:aaaa:bb01::10"}, {"Ipv6Address": "2600:1F18:AAAA:BB01:0:0:0:11"}],
     "Ipv6Prefixes": [{"Ipv6Prefix": "2600:1f18:aaaa:bb01:1::/80"}],
     "Groups": [{"GroupId": "sg-web", "GroupName": "web"}]},
    {"NetworkInterfaceId": "eni-v6", "SubnetId": "subnet-v6", "VpcId": "vpc-1", "Status": "in-use",
     "Ipv6Addresses": [{"Ipv6Address": "2600:1f18:aaaa:bb02::20"}],
     "Groups": [{"GroupId": "sg-app", "GroupName": "app"}]}]
})";

}  // namespace

TEST_CASE("VPC and subnet IPv6 blocks: associated ones only, typed", "[aws][ipv6]") {
  TempSnapshot t;
  t.write("net.json", kDualStack);
  const auto n = t.network();
  CHECK(n.vpcs.at("vpc-1").ipv6_cidrs == p6s({"2600:1f18:aaaa:bb00::/56"}));
  CHECK(n.vpcs.at("vpc-1").cidrs == std::vector<Ipv4Prefix>{*Ipv4Prefix::parse("10.0.0.0/16")});
  CHECK(n.subnets.at("subnet-ds").ipv6_cidrs == p6s({"2600:1f18:aaaa:bb01::/64"}));
  CHECK_FALSE(n.subnets.at("subnet-ds").ipv6_only);
  CHECK(n.subnets.at("subnet-v6").ipv6_only);
  CHECK(n.subnets.at("subnet-v6").ipv6_cidrs == p6s({"2600:1f18:aaaa:bb02::/64"}));
  CHECK(n.has_ipv6());
}

TEST_CASE("ENI IPv6 addresses and delegated IPv6 prefixes are read into the model", "[aws][ipv6]") {
  TempSnapshot t;
  t.write("net.json", kDualStack);
  const auto n = t.network();
  const auto& web = n.network_interfaces.at("eni-web");
  REQUIRE(web.ipv6_addresses.size() == 2);
  CHECK(web.ipv6_addresses[0] == *parse_ipv6("2600:1f18:aaaa:bb01::10"));
  CHECK(web.ipv6_addresses[1] == *parse_ipv6("2600:1f18:aaaa:bb01::11"));  // upper case, zeros spelled out
  CHECK(web.ipv6_delegated_prefixes == p6s({"2600:1f18:aaaa:bb01:1::/80"}));
  CHECK(web.owns6(*parse_ipv6("2600:1f18:aaaa:bb01:1::beef")));
  CHECK(n.interface_owning6("vpc-1", *parse_ipv6("2600:1f18:aaaa:bb02::20"))->id == "eni-v6");
}

TEST_CASE("Egress-only internet gateways are read from describe-egress-only-internet-gateways",
          "[aws][ipv6]") {
  TempSnapshot t;
  t.write("net.json", kDualStack);
  t.write("eigw.json", R"({"EgressOnlyInternetGateways": [
      {"EgressOnlyInternetGatewayId": "eigw-2", "Attachments": [{"State": "attached", "VpcId": "vpc-gone"}]},
      {"EgressOnlyInternetGatewayId": "eigw-3", "Attachments": [{"State": "detached", "VpcId": "vpc-1"}]}]})");
  const auto n = t.network();
  REQUIRE(n.egress_only_internet_gateways.size() == 3);
  CHECK(n.egress_only_internet_gateways.at("eigw-1").vpc_id == "vpc-1");
  CHECK(n.egress_only_internet_gateways.at("eigw-3").vpc_id.empty());  // detached
  CHECK(n.egress_only_internet_gateways.at("eigw-1").origin.file.find("net.json") != std::string::npos);
  bool named = false;
  for (const auto& d : with_code(n.diagnostics, "dangling-reference"))
    named = named || (d.message.find("eigw-2") != std::string::npos &&
                      d.message.find("vpc-gone") != std::string::npos);
  CHECK(named);
}

TEST_CASE("Security-group Ipv6Ranges become rules with peer_prefixes6, in AWS's order of peers",
          "[aws][ipv6][sg]") {
  TempSnapshot t;
  t.write("net.json", kDualStack);
  t.write("pl.json", R"({"ManagedPrefixLists": [{"PrefixListId": "pl-mixed", "PrefixListName": "mixed",
      "AddressFamily": "IPv6", "Entries": [{"Cidr": "2001:db8:1::/48"}, {"Cidr": "192.0.2.0/24"}]}]})");
  t.write("sg.json", R"({"SecurityGroups": [
    {"GroupId": "sg-web", "GroupName": "web", "VpcId": "vpc-1",
     "IpPermissions": [
       {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
        "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [{"CidrIpv6": "::/0", "Description": "world6"}],
        "UserIdGroupPairs": [{"GroupId": "sg-app"}], "PrefixListIds": [{"PrefixListId": "pl-mixed"}]},
       {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
       {"IpProtocol": "icmpv6", "FromPort": 128, "ToPort": -1, "Ipv6Ranges": [{"CidrIpv6": "2001:db8::/32"}],
        "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
     "IpPermissionsEgress": [{"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]},
    {"GroupId": "sg-app", "GroupName": "app", "VpcId": "vpc-1",
     "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
                        "UserIdGroupPairs": [{"GroupId": "sg-web"}]}]}]})");
  const auto n = t.network();
  const auto& web = n.security_groups.at("sg-web");
  REQUIRE(web.ingress.size() == 6);
  // Permission 0: IpRanges, Ipv6Ranges, UserIdGroupPairs, PrefixListIds.
  CHECK(web.ingress[0].peer == "0.0.0.0/0");
  CHECK(web.ingress[0].peer_prefixes6.empty());
  CHECK(web.ingress[1].peer == "::/0");
  CHECK(web.ingress[1].peer_prefixes.empty());
  CHECK(web.ingress[1].peer_prefixes6 == p6s({"::/0"}));
  CHECK(web.ingress[1].description == "world6");
  CHECK(web.ingress[1].l4.protocol == model::kTcp);
  CHECK(web.ingress[1].l4.ports.lo == 443);
  CHECK(web.ingress[1].index == 1);
  CHECK(web.ingress[2].peer == "sg-app");
  CHECK(web.ingress[2].peer_prefixes6 == p6s({"2600:1f18:aaaa:bb02::20/128"}));
  CHECK(web.ingress[3].peer == "pl-mixed");
  CHECK(web.ingress[3].peer_prefixes6 == p6s({"2001:db8:1::/48"}));
  CHECK(web.ingress[3].peer_prefixes == std::vector<Ipv4Prefix>{*Ipv4Prefix::parse("192.0.2.0/24")});
  // SSH open to ::/0 only.
  CHECK(web.ingress[4].peer_prefixes6 == p6s({"::/0"}));
  CHECK(web.ingress[4].peer_prefixes.empty());
  CHECK(web.ingress[4].l4.ports.lo == 22);
  // ICMPv6 takes a type and code like ICMP, and exists in IPv6 only: its IpRanges give no rule.
  CHECK(web.ingress[5].peer == "2001:db8::/32");
  CHECK(web.ingress[5].l4.protocol == model::kIcmpv6);
  CHECK(web.ingress[5].l4.icmp_type == 128);
  CHECK(web.ingress[5].l4.icmp_code == -1);
  REQUIRE(web.egress.size() == 1);
  CHECK(web.egress[0].peer_prefixes6 == p6s({"::/0"}));
  CHECK(web.egress[0].l4.protocol == model::kAnyProtocol);
  // A reference to sg-web: a /128 per IPv6 address and each delegated prefix of its ENIs.
  const auto& app = n.security_groups.at("sg-app");
  REQUIRE(app.ingress.size() == 1);
  CHECK(app.ingress[0].peer_prefixes6 ==
        p6s({"2600:1f18:aaaa:bb01::10/128", "2600:1f18:aaaa:bb01::11/128", "2600:1f18:aaaa:bb01:1::/80"}));
  CHECK(app.ingress[0].peer_prefixes == std::vector<Ipv4Prefix>{*Ipv4Prefix::parse("10.0.1.10/32")});
  // The prefix list keeps both families.
  CHECK(n.prefix_lists.at("pl-mixed").ipv6_cidrs == p6s({"2001:db8:1::/48"}));
  // The text the not-yet-IPv6 answers name is still there.
  CHECK(web.ipv6_ingress.size() == 3);
  CHECK(web.ipv6_egress.size() == 1);
}

TEST_CASE("NACL IPv6 entries go to ingress6/egress6 by rule number; the IPv6 * rule is dropped",
          "[aws][ipv6][nacl]") {
  TempSnapshot t;
  t.write("net.json", kDualStack);
  t.write("acl.json",
          R"({"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Entries": [
      {"RuleNumber": 32768, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "Ipv6CidrBlock": "::/0"},
      {"RuleNumber": 120, "Protocol": "6", "RuleAction": "allow", "Egress": false, "Ipv6CidrBlock": "::/0",
       "PortRange": {"From": 443, "To": 443}},
      {"RuleNumber": 100, "Protocol": "6", "RuleAction": "deny", "Egress": false, "Ipv6CidrBlock": "2001:db8::/32",
       "PortRange": {"From": 22, "To": 22}},
      {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"},
      {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0"},
      {"RuleNumber": 101, "Protocol": "58", "RuleAction": "allow", "Egress": true, "Ipv6CidrBlock": "::/0",
       "IcmpTypeCode": {"Type": 128, "Code": 0}},
      {"RuleNumber": 32768, "Protocol": "-1", "RuleAction": "deny", "Egress": true, "Ipv6CidrBlock": "::/0"}]}]})");
  const auto n = t.network();
  const auto& acl = n.network_acls.at("acl-1");
  REQUIRE(acl.ingress.size() == 1);
  CHECK(acl.ingress[0].cidr == *Ipv4Prefix::parse("0.0.0.0/0"));
  CHECK_FALSE(acl.ingress[0].cidr6);
  REQUIRE(acl.ingress6.size() == 2);
  CHECK(acl.ingress6[0].rule_number == 100);
  CHECK(acl.ingress6[0].cidr6 == p6("2001:db8::/32"));
  CHECK_FALSE(acl.ingress6[0].allow);
  CHECK(acl.ingress6[0].l4.ports.lo == 22);
  CHECK(acl.ingress6[1].rule_number == 120);
  CHECK(acl.ingress6[1].cidr6 == p6("::/0"));
  CHECK(acl.ingress6[1].allow);
  CHECK(acl.ingress6[1].direction == model::Direction::Ingress);
  REQUIRE(acl.egress6.size() == 1);
  CHECK(acl.egress6[0].rule_number == 101);
  CHECK(acl.egress6[0].direction == model::Direction::Egress);
  CHECK(acl.egress6[0].l4.protocol == model::kIcmpv6);
  CHECK(acl.egress6[0].l4.icmp_type == 128);
  CHECK(acl.egress6[0].l4.icmp_code == 0);
  CHECK(acl.egress.empty());
  CHECK(acl.ipv6_entries.size() == 3);  // still named by the answers that do not read IPv6 yet
}

TEST_CASE("A synthesised allow-all NACL also allows IPv6 in a VPC with IPv6 blocks", "[aws][ipv6][nacl]") {
  TempSnapshot t;
  t.write("net.json", kDualStack);
  const auto n = t.network();
  const auto& acl = n.network_acls.at("acl-default-vpc-1");
  REQUIRE(acl.ingress6.size() == 1);
  CHECK(acl.ingress6[0].allow);
  CHECK(acl.ingress6[0].cidr6 == p6("::/0"));
  REQUIRE(acl.egress6.size() == 1);
  CHECK(acl.egress6[0].cidr6 == p6("::/0"));
}

TEST_CASE("IPv6 routes go to routes6 in decision order, with the implied local IPv6 route",
          "[aws][ipv6][route]") {
  TempSnapshot t;
  t.write("net.json", kDualStack);
  t.write("nat.json", R"({"NatGateways": [{"NatGatewayId": "nat-1", "VpcId": "vpc-1", "SubnetId": "subnet-ds",
      "State": "available", "NatGatewayAddresses": [{"PrivateIp": "10.0.1.5", "PublicIp": "198.51.100.5",
      "NetworkInterfaceId": "eni-nat", "IsPrimary": true}]}]})");
  t.write("rt.json", R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1",
      "Associations": [{"Main": true}],
      "Routes": [
        {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
        {"DestinationIpv6CidrBlock": "::/0", "EgressOnlyInternetGatewayId": "eigw-1", "Origin": "CreateRoute", "State": "active"},
        {"DestinationIpv6CidrBlock": "64:ff9b::/96", "NatGatewayId": "nat-1", "Origin": "CreateRoute", "State": "active"},
        {"DestinationIpv6CidrBlock": "2001:db8::/32", "GatewayId": "igw-1", "Origin": "CreateRoute", "State": "active"},
        {"DestinationIpv6CidrBlock": "2001:db8:5::/48", "GatewayId": "eigw-gone", "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "Origin": "CreateRoute", "State": "active"}]}]})");
  const auto n = t.network();
  const auto& table = n.route_tables.at("rtb-1");
  REQUIRE(table.routes.size() == 2);
  CHECK(table.routes[0].destination == *Ipv4Prefix::parse("10.0.0.0/16"));
  REQUIRE(table.routes6.size() == 5);
  CHECK(table.routes6[0].destination6 == p6("64:ff9b::/96"));
  CHECK(table.routes6[0].target_kind == model::RouteTargetKind::NatGateway);
  CHECK(table.routes6[0].target_id == "nat-1");
  CHECK(table.routes6[1].destination6 == p6("2600:1f18:aaaa:bb00::/56"));  // implied local route
  CHECK(table.routes6[1].target_kind == model::RouteTargetKind::Local);
  CHECK(table.routes6[1].target_id == "local");
  CHECK(table.routes6[2].destination6 == p6("2001:db8:5::/48"));
  // An active route to an egress-only gateway the snapshot lacks leaves the model, named.
  CHECK(table.routes6[2].target_kind == model::RouteTargetKind::Other);
  CHECK(table.routes6[2].target_id == "eigw-gone");
  CHECK(n.opaque_gateways.at("eigw-gone").missing);
  CHECK(n.opaque_gateways.at("eigw-gone").kind == model::RouteTargetKind::EgressOnlyInternetGateway);
  bool named = false;
  for (const auto& d : with_code(n.diagnostics, "dangling-reference"))
    named = named || (d.message.find("rtb-1") != std::string::npos &&
                      d.message.find("eigw-gone") != std::string::npos);
  CHECK(named);
  CHECK(table.routes6[3].destination6 == p6("2001:db8::/32"));
  CHECK(table.routes6[3].target_kind == model::RouteTargetKind::InternetGateway);
  CHECK(table.routes6[4].destination6 == p6("::/0"));
  CHECK(table.routes6[4].target_kind == model::RouteTargetKind::EgressOnlyInternetGateway);
  CHECK(table.routes6[4].target_id == "eigw-1");
  CHECK_FALSE(table.routes6[4].blackhole);
  for (const auto& r : table.routes) CHECK_FALSE(r.destination6);
  CHECK(table.ipv6_routes.size() == 4);  // still named by the answers that do not read IPv6 yet
}

TEST_CASE("A listed local IPv6 route is not doubled; an eigw of another VPC is a blackhole",
          "[aws][ipv6][route]") {
  TempSnapshot t;
  t.write("net.json", kDualStack);
  t.write("more.json", R"({"Vpcs": [{"VpcId": "vpc-2", "CidrBlock": "10.2.0.0/16"}],
      "EgressOnlyInternetGateways": [{"EgressOnlyInternetGatewayId": "eigw-2",
                                      "Attachments": [{"State": "attached", "VpcId": "vpc-2"}]}],
      "RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
        {"DestinationIpv6CidrBlock": "2600:1f18:aaaa:bb00::/56", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
        {"DestinationIpv6CidrBlock": "::/0", "EgressOnlyInternetGatewayId": "eigw-2", "Origin": "CreateRoute", "State": "active"}]}]})");
  const auto n = t.network();
  const auto& table = n.route_tables.at("rtb-1");
  REQUIRE(table.routes6.size() == 2);
  CHECK(table.routes6[0].target_kind == model::RouteTargetKind::Local);
  CHECK(table.routes6[1].blackhole);
  bool named = false;
  for (const auto& d : with_code(n.diagnostics, "dangling-reference"))
    named = named || d.message.find("eigw-2 is not attached to vpc-1") != std::string::npos;
  CHECK(named);
}

TEST_CASE("VPC peering Ipv6CidrBlockSet of both sides is read", "[aws][ipv6]") {
  TempSnapshot t;
  t.write("net.json", kDualStack);
  t.write("pcx.json",
          R"({"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-1", "Status": {"Code": "active"},
      "RequesterVpcInfo": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16",
                           "Ipv6CidrBlockSet": [{"Ipv6CidrBlock": "2600:1f18:aaaa:bb00::/56"}]},
      "AccepterVpcInfo": {"VpcId": "vpc-9", "CidrBlock": "10.9.0.0/16",
                          "Ipv6CidrBlockSet": [{"Ipv6CidrBlock": "2600:1f18:9999:9900::/56"}]}}]})");
  const auto n = t.network();
  const auto& p = n.vpc_peerings.at("pcx-1");
  CHECK(p.requester_ipv6_cidrs == p6s({"2600:1f18:aaaa:bb00::/56"}));
  CHECK(p.accepter_ipv6_cidrs == p6s({"2600:1f18:9999:9900::/56"}));
}

TEST_CASE("A peering side that prints no block of either family stands for its VPC's IPv6 blocks too",
          "[aws][ipv6]") {
  TempSnapshot t;
  t.write("net.json", kDualStack);
  t.write("pcx.json",
          R"({"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-1", "Status": {"Code": "active"},
      "RequesterVpcInfo": {"VpcId": "vpc-1"},
      "AccepterVpcInfo": {"VpcId": "vpc-9", "CidrBlock": "10.9.0.0/16"}}]})");
  const auto n = t.network();
  const auto& p = n.vpc_peerings.at("pcx-1");
  CHECK(p.requester_ipv6_cidrs == p6s({"2600:1f18:aaaa:bb00::/56"}));
  CHECK(p.accepter_ipv6_cidrs.empty());  // printed an IPv4 block and no IPv6 one: it has none
}

TEST_CASE("Transit gateway IPv6 routes, static and propagated, go to routes6", "[aws][ipv6][tgw]") {
  TempSnapshot t;
  t.write("net.json", kDualStack);
  t.write("tgw.json", R"({
    "TransitGateways": [{"TransitGatewayId": "tgw-1", "State": "available"}],
    "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1", "TransitGatewayId": "tgw-1",
      "ResourceId": "vpc-1", "ResourceType": "vpc", "State": "available",
      "Association": {"TransitGatewayRouteTableId": "tgw-rtb-1"}},
      {"TransitGatewayAttachmentId": "tgw-attach-vpn", "TransitGatewayId": "tgw-1",
      "ResourceId": "vpn-1", "ResourceType": "vpn", "State": "available"}],
    "TransitGatewayVpcAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1", "TransitGatewayId": "tgw-1",
      "VpcId": "vpc-1", "State": "available", "SubnetIds": ["subnet-ds"]}],
    "TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "TransitGatewayId": "tgw-1",
      "State": "available"}],
    "TransitGatewayStaticRoutes": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "Routes": [
      {"DestinationIpv6CidrBlock": "::/0", "State": "active", "Type": "static",
       "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1"}]},
      {"DestinationCidrBlock": "0.0.0.0/0", "State": "active", "Type": "static",
       "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1"}]}]}],
    "TransitGatewayPropagations": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "TransitGatewayRouteTablePropagations": [
      {"TransitGatewayAttachmentId": "tgw-attach-1", "ResourceId": "vpc-1", "ResourceType": "vpc", "State": "enabled"},
      {"TransitGatewayAttachmentId": "tgw-attach-vpn", "ResourceId": "vpn-1", "ResourceType": "vpn", "State": "enabled"}]}]
  })");
  const auto n = t.network();
  const auto& rt = n.transit_gateway_route_tables.at("tgw-rtb-1");
  REQUIRE(rt.routes6.size() == 3);
  CHECK(rt.routes6[0].destination6 == p6("2600:1f18:aaaa:bb00::/56"));
  CHECK(rt.routes6[0].origin == "propagated");
  CHECK(rt.routes6[1].destination6 == p6("::/0"));
  CHECK(rt.routes6[1].origin == "static");  // before the propagated ::/0 of equal length
  CHECK(rt.routes6[1].target_id == "tgw-attach-1");
  CHECK(rt.routes6[1].target_kind == model::RouteTargetKind::TransitGatewayAttachment);
  // The VPN's unknown routes stand as ::/0 to it, as 0.0.0.0/0 does for IPv4.
  CHECK(rt.routes6[2].destination6 == p6("::/0"));
  CHECK(rt.routes6[2].origin == "propagated");
  CHECK(rt.routes6[2].target_id == "tgw-attach-vpn");
  REQUIRE(rt.routes.size() == 3);
  for (const auto& r : rt.routes) CHECK_FALSE(r.destination6);
}

// ---- bad IPv6 input: exit 2 naming the file, the resource and the field ---------------------

namespace {

struct BadCase {
  const char* what;
  const char* file_text;
  const char* resource;
  const char* field;
  const char* value;
};

}  // namespace

TEST_CASE("Malformed IPv6 values and values of the wrong family are InputErrors naming file, resource, field",
          "[aws][ipv6][bad-input]") {
  const BadCase cases[] = {
      {"a /129 subnet block",
       R"({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24",
           "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2001:db8::/129"}]}]})",
       "subnet-1", "Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock", "2001:db8::/129"},
      {"a bad embedded dotted quad",
       R"({"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1",
           "Ipv6Addresses": [{"Ipv6Address": "::ffff:300.1.1.1"}]}]})",
       "eni-1", "Ipv6Addresses[0].Ipv6Address", "::ffff:300.1.1.1"},
      {"an IPv6 CIDR in CidrIp",
       R"({"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": [
           {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "::/0"}]}]}]})",
       "sg-1", "IpPermissions[0].IpRanges[0].CidrIp", "::/0"},
      {"an IPv4 CIDR in CidrIpv6",
       R"({"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": [
           {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "Ipv6Ranges": [{"CidrIpv6": "0.0.0.0/0"}]}]}]})",
       "sg-1", "IpPermissions[0].Ipv6Ranges[0].CidrIpv6", "0.0.0.0/0"},
      {"an IPv6 CIDR in DestinationCidrBlock",
       R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
           {"DestinationCidrBlock": "::/0", "GatewayId": "igw-1"}]}]})",
       "rtb-1", "Routes[0].DestinationCidrBlock", "::/0"},
      {"an IPv4 CIDR in DestinationIpv6CidrBlock",
       R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
           {"DestinationIpv6CidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}]}]})",
       "rtb-1", "Routes[0].DestinationIpv6CidrBlock", "0.0.0.0/0"},
      {"an IPv6 CIDR in a NACL CidrBlock",
       R"({"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "Entries": [
           {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "2001:db8::/32"}]}]})",
       "acl-1", "Entries[0].CidrBlock", "2001:db8::/32"},
      {"an IPv4 CIDR in a NACL Ipv6CidrBlock",
       R"({"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "Entries": [
           {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "Ipv6CidrBlock": "10.0.0.0/8"}]}]})",
       "acl-1", "Entries[0].Ipv6CidrBlock", "10.0.0.0/8"},
      {"an IPv6 CIDR in a VPC CidrBlock", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "2001:db8::/56"}]})",
       "vpc-1", "CidrBlock", "2001:db8::/56"},
      {"a bare address as a VPC IPv6 block",
       R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16",
           "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2001:db8::"}]}]})",
       "vpc-1", "Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock", "2001:db8::"},
      {"three colons in a delegated prefix",
       R"({"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1",
           "Ipv6Prefixes": [{"Ipv6Prefix": "2001:db8:::/80"}]}]})",
       "eni-1", "Ipv6Prefixes[0].Ipv6Prefix", "2001:db8:::/80"},
      {"an IPv4 block in a peering Ipv6CidrBlockSet",
       R"({"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-1", "Status": {"Code": "active"},
           "RequesterVpcInfo": {"VpcId": "vpc-1", "Ipv6CidrBlockSet": [{"Ipv6CidrBlock": "10.0.0.0/16"}]},
           "AccepterVpcInfo": {"VpcId": "vpc-2"}}]})",
       "pcx-1", "Ipv6CidrBlockSet[0].Ipv6CidrBlock", "10.0.0.0/16"},
      {"a /129 prefix-list entry",
       R"({"ManagedPrefixLists": [{"PrefixListId": "pl-1", "Entries": [{"Cidr": "2001:db8::/129"}]}]})",
       "pl-1", "Cidr", "2001:db8::/129"},
      {"a /129 transit gateway route",
       R"({"TransitGatewayStaticRoutes": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "Routes": [
           {"DestinationIpv6CidrBlock": "2001:db8::/129", "State": "active"}]}]})",
       "tgw-rtb-1", "Routes[0].DestinationIpv6CidrBlock", "2001:db8::/129"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    TempSnapshot t;
    const auto file = t.write("bad.json", c.file_text);
    CHECK_THAT(load_error(t.path()), Contains(file) && Contains(c.resource) && Contains(c.field) &&
                                         Contains(std::string("'") + c.value + "'"));
  }
}

TEST_CASE("The message for a value of the wrong family says which family it is", "[aws][ipv6][bad-input]") {
  TempSnapshot t;
  t.write("bad.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "2001:db8::/56"}]})");
  CHECK_THAT(load_error(t.path()), Contains("not an IPv4 CIDR block") && Contains("it is IPv6"));
  TempSnapshot u;
  u.write("bad.json", R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
      {"DestinationIpv6CidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}]}]})");
  CHECK_THAT(load_error(u.path()), Contains("not an IPv6 CIDR block") && Contains("it is IPv4"));
}
