// SPDX-License-Identifier: Apache-2.0
// Tests of the snapshot loader: file discovery, top-level keys, live resources, and bad input.
#include <catch2/catch.hpp>

#include "aws/snapshot_loader.h"
#include "temp_snapshot.h"
#include "tests/support/test_paths.h"

using Catch::Matchers::Contains;
using vpcprove::aws::load_snapshot;
using vpcprove::aws::test::load_error;
using vpcprove::aws::test::TempSnapshot;
using vpcprove::aws::test::with_code;

namespace {

const char* kSubnet =
    R"({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"}]})";

}  // namespace

// ---- bad input: every case names the file and, where known, the resource --------------------

TEST_CASE("Broken JSON is an InputError naming the file and the line", "[aws][loader][bad-input]") {
  TempSnapshot t;
  const auto file = t.write("Vpcs.json", "{\"Vpcs\": [\n  {\"VpcId\": \"vpc-1\",, }\n]}");
  const auto msg = load_error(t.path());
  CHECK_THAT(msg, Contains(file) && Contains("broken JSON") && Contains("line 2"));
}

TEST_CASE("A known top-level key whose value is not a list is an InputError", "[aws][loader][bad-input]") {
  TempSnapshot t;
  const auto file = t.write("Subnets.json", R"({"Subnets": {"SubnetId": "subnet-1"}})");
  CHECK_THAT(load_error(t.path()), Contains(file) && Contains("Subnets") && Contains("expected a list"));
}

TEST_CASE("A file whose top level is not a JSON object is an InputError", "[aws][loader][bad-input]") {
  TempSnapshot t;
  const auto file = t.write("Vpcs.json", R"([{"VpcId": "vpc-1"}])");
  CHECK_THAT(load_error(t.path()), Contains(file) && Contains("expected a JSON object"));
}

TEST_CASE("A field of the wrong JSON type is an InputError naming file, resource and field",
          "[aws][loader][bad-input]") {
  TempSnapshot t;
  const auto file = t.write("Subnets.json",
                            R"({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": 42}]})");
  CHECK_THAT(load_error(t.path()), Contains(file) && Contains("subnet-1") && Contains("CidrBlock") &&
                                       Contains("expected a string"));
}

TEST_CASE("A boolean field holding a string is an InputError", "[aws][loader][bad-input]") {
  TempSnapshot t;
  const auto file =
      t.write("NetworkInterfaces.json", R"({"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1",
      "SubnetId": "subnet-1", "VpcId": "vpc-1", "SourceDestCheck": "yes"}]})");
  CHECK_THAT(load_error(t.path()), Contains(file) && Contains("eni-1") && Contains("SourceDestCheck"));
}

TEST_CASE("A /33 CIDR block is an InputError naming the subnet and the field", "[aws][loader][bad-input]") {
  TempSnapshot t;
  const auto file =
      t.write("Subnets.json",
              R"({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/33"}]})");
  CHECK_THAT(load_error(t.path()),
             Contains(file) && Contains("subnet-1") && Contains("CidrBlock") && Contains("10.0.0.0/33"));
}

TEST_CASE("An address with an octet of 300 is an InputError naming the ENI and the field",
          "[aws][loader][bad-input]") {
  TempSnapshot t;
  const auto file =
      t.write("NetworkInterfaces.json", R"({"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1",
      "SubnetId": "subnet-1", "VpcId": "vpc-1",
      "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.300.1", "Primary": true}]}]})");
  CHECK_THAT(load_error(t.path()), Contains(file) && Contains("eni-1") &&
                                       Contains("PrivateIpAddresses[0].PrivateIpAddress") &&
                                       Contains("10.0.300.1"));
}

TEST_CASE("A port of 70000 is an InputError naming the group and the field", "[aws][loader][bad-input]") {
  TempSnapshot t;
  const auto file =
      t.write("SecurityGroups.json", R"({"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1",
      "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 70000, "ToPort": 70000,
                         "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]})");
  CHECK_THAT(load_error(t.path()), Contains(file) && Contains("sg-1") &&
                                       Contains("IpPermissions[0].FromPort") && Contains("70000"));
}

TEST_CASE("A NACL rule number outside 1..32767 is an InputError", "[aws][loader][bad-input]") {
  TempSnapshot t;
  const auto file =
      t.write("NetworkAcls.json", R"({"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1",
      "Entries": [{"RuleNumber": 40000, "Protocol": "-1", "RuleAction": "allow", "Egress": false,
                   "CidrBlock": "0.0.0.0/0"}]}]})");
  CHECK_THAT(load_error(t.path()),
             Contains(file) && Contains("acl-1") && Contains("RuleNumber") && Contains("40000"));
}

TEST_CASE("A protocol outside -1..255 is an InputError", "[aws][loader][bad-input]") {
  TempSnapshot t;
  const auto file =
      t.write("NetworkAcls.json", R"({"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1",
      "Entries": [{"RuleNumber": 100, "Protocol": "300", "RuleAction": "allow", "Egress": false,
                   "CidrBlock": "0.0.0.0/0"}]}]})");
  CHECK_THAT(load_error(t.path()),
             Contains(file) && Contains("acl-1") && Contains("Protocol") && Contains("300"));
}

TEST_CASE("A missing path is an InputError naming the path", "[aws][loader][bad-input]") {
  TempSnapshot t;
  const auto missing = t.path("no-such-snapshot");
  CHECK_THAT(load_error(missing), Contains(missing) && Contains("no such file"));
}

TEST_CASE("An empty folder is an InputError", "[aws][loader][bad-input]") {
  TempSnapshot t;
  CHECK_THAT(load_error(t.path()), Contains(t.path()) && Contains("no *.json file"));
}

TEST_CASE("A folder holding no JSON file is an InputError", "[aws][loader][bad-input]") {
  TempSnapshot t;
  t.write("notes.txt", "not a snapshot");
  CHECK_THAT(load_error(t.path()), Contains("no *.json file"));
}

TEST_CASE("A subnet without CidrBlock is an InputError naming the subnet and the field",
          "[aws][loader][bad-input]") {
  TempSnapshot t;
  const auto file = t.write("Subnets.json", R"({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1"}]})");
  CHECK_THAT(load_error(t.path()),
             Contains(file) && Contains("subnet-1") && Contains("CidrBlock") && Contains("missing"));
}

TEST_CASE("A resource without its ID is named by its position in the file", "[aws][loader][bad-input]") {
  TempSnapshot t;
  const auto file =
      t.write("Subnets.json", R"({"Subnets": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24"}]})");
  CHECK_THAT(load_error(t.path()), Contains(file) && Contains("Subnets[0]") && Contains("SubnetId"));
}

TEST_CASE("A route without a destination is an InputError naming the route table",
          "[aws][loader][bad-input]") {
  TempSnapshot t;
  t.write("RouteTables.json", R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1",
      "Routes": [{"GatewayId": "local"}]}]})");
  CHECK_THAT(load_error(t.path()), Contains("rtb-1") && Contains("Routes[0]"));
}

TEST_CASE("An error in a sub-folder names the sub-folder's file", "[aws][loader][bad-input]") {
  TempSnapshot t;
  t.write("a/Subnets.json", kSubnet);
  const auto file =
      t.write("b/us-east-1/Vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "1.2.3.4/40"}]})");
  CHECK_THAT(load_error(t.path()), Contains(file) && Contains("vpc-1"));
}

// ---- what is read --------------------------------------------------------------------------

TEST_CASE("A single JSON file with several top-level keys is a snapshot", "[aws][loader]") {
  TempSnapshot t;
  const auto file = t.write("all.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
      "Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"}]})");
  const auto s = load_snapshot(file);
  REQUIRE(s.vpcs.size() == 1);
  REQUIRE(s.subnets.size() == 1);
  CHECK(s.subnets[0].source.file == file);
}

TEST_CASE("Folders are read recursively in sorted order and the first of two equal IDs wins",
          "[aws][loader]") {
  TempSnapshot t;
  t.write("b/Vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.2.0.0/16"}]})");
  t.write("a/Vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16"}]})");
  const auto s = t.snapshot();
  REQUIRE(s.vpcs.size() == 1);
  CHECK(s.vpcs[0].cidr_block->to_string() == "10.1.0.0/16");
  CHECK(with_code(s.diagnostics, "duplicate-resource").size() == 1);
}

TEST_CASE("Files read side by side are merged in file order: resources, diagnostics, first error",
          "[aws][loader]") {
  TempSnapshot t;
  for (int i = 0; i < 30; ++i) {
    const std::string n = (i < 10 ? "0" : "") + std::to_string(i);
    t.write("f" + n + ".json", R"({"Vpcs": [{"VpcId": "vpc-)" + std::to_string(i % 7) +
                                   R"(", "CidrBlock": "10.)" + std::to_string(i) +
                                   R"(.0.0/16"}], "Odd": [1]})");
  }
  const auto s = t.snapshot();
  REQUIRE(s.vpcs.size() == 7);
  for (std::size_t i = 0; i < 7; ++i)
    CHECK(s.vpcs[i].cidr_block->to_string() == "10." + std::to_string(i) + ".0.0/16");
  const auto repeats = with_code(s.diagnostics, "duplicate-resource");
  REQUIRE(repeats.size() == 23);
  CHECK_THAT(repeats.front().message, Contains("vpc-0") && Contains("f00.json"));
  CHECK_THAT(repeats.front().file, Contains("f07.json"));
  CHECK(with_code(s.diagnostics, "unknown-key").size() == 1);

  t.write("f12.json", "{");
  t.write("f25.json", R"({"Vpcs": 7})");
  CHECK_THAT(load_error(t.path()), Contains("f12.json") && Contains("broken JSON"));
}

TEST_CASE("A repeated VPC peering is not read further, so its details cannot fail the load",
          "[aws][loader][live]") {
  TempSnapshot t;
  const std::string good = R"({"VpcPeeringConnectionId": "pcx-1", "Status": {"Code": "active"},
      "RequesterVpcInfo": {"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16"},
      "AccepterVpcInfo": {"VpcId": "vpc-2", "CidrBlock": "10.2.0.0/16"}})";
  const std::string broken = R"({"VpcPeeringConnectionId": "pcx-1", "Status": {"Code": "active"},
      "RequesterVpcInfo": {"CidrBlock": "10.1.0.0/16"}})";
  t.write("a.json", R"({"VpcPeeringConnections": [)" + good + "]}");
  t.write("b.json", R"({"VpcPeeringConnections": [)" + broken + "]}");
  CHECK(t.snapshot().vpc_peering_connections.size() == 1);
  t.write("a.json", R"({"VpcPeeringConnections": [)" + broken + "]}");
  CHECK_THAT(load_error(t.path()),
             Contains("a.json") && Contains("pcx-1") && Contains("RequesterVpcInfo.VpcId"));
}

TEST_CASE("Account and region come from an ACCOUNT/REGION folder layout", "[aws][loader]") {
  TempSnapshot t;
  t.write("aws_configs/accounts/111/us-west-1/Vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1"}]})");
  t.write("aws_configs/eu-central-1/Vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-2"}]})");
  t.write("aws_configs/Vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-3"}]})");
  const auto s = t.snapshot();
  REQUIRE(s.vpcs.size() == 3);
  CHECK(s.vpcs[0].source.account == "");
  CHECK(s.vpcs[0].source.region == "");
  CHECK(s.vpcs[1].source.account == "111");
  CHECK(s.vpcs[1].source.region == "us-west-1");
  CHECK(s.vpcs[2].source.account == "");
  CHECK(s.vpcs[2].source.region == "eu-central-1");
}

TEST_CASE("Unknown top-level keys give one diagnostic per key, never an error", "[aws][loader]") {
  TempSnapshot t;
  t.write("a.json", R"({"FancyNewThings": [{"Id": 1}], "AvailabilityZones": [{"ZoneName": "us-east-1a"}],
      "VpnGateways": [{"VpnGatewayId": "vgw-1"}], "EmptyThings": []})");
  t.write("b.json", R"({"FancyNewThings": [{"Id": 2}], "syncToken": "123"})");
  const auto s = t.snapshot();
  const auto unknown = with_code(s.diagnostics, "unknown-key");
  REQUIRE(unknown.size() == 2);  // FancyNewThings once, syncToken once; EmptyThings not at all
  CHECK_THAT(unknown[0].message, Contains("FancyNewThings"));
  CHECK(with_code(s.diagnostics, "ignored-key").size() == 1);
  CHECK(with_code(s.diagnostics, "unmodelled-key").size() == 1);
}

TEST_CASE("Only running instances are kept; the others are noted as not live", "[aws][loader][live]") {
  TempSnapshot t;
  t.write("Reservations.json", R"({"Reservations": [{"OwnerId": "111", "Instances": [
      {"InstanceId": "i-run", "State": {"Code": 16, "Name": "running"}},
      {"InstanceId": "i-stop", "State": {"Code": 80, "Name": "stopped"}}]}]})");
  const auto s = t.snapshot();
  REQUIRE(s.instances.size() == 1);
  CHECK(s.instances[0].instance_id == "i-run");
  CHECK(s.instances[0].owner_id == "111");
  REQUIRE(s.not_live.size() == 1);
  CHECK(s.not_live[0].id == "i-stop");
  CHECK(with_code(s.diagnostics, "not-live").size() == 1);
}

TEST_CASE("Only available NAT gateways, IGW attachments and associated VPC CIDRs are kept",
          "[aws][loader][live]") {
  TempSnapshot t;
  t.write("all.json", R"({
      "NatGateways": [{"NatGatewayId": "nat-1", "State": "available", "VpcId": "vpc-1", "SubnetId": "subnet-1"},
                      {"NatGatewayId": "nat-2", "State": "deleted", "VpcId": "vpc-1", "SubnetId": "subnet-1"}],
      "InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"State": "detaching", "VpcId": "vpc-1"}]}],
      "Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "CidrBlockAssociationSet": [
          {"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}},
          {"CidrBlock": "10.9.0.0/16", "CidrBlockState": {"State": "disassociated"}}]}]})");
  const auto s = t.snapshot();
  REQUIRE(s.nat_gateways.size() == 1);
  CHECK(s.nat_gateways[0].nat_gateway_id == "nat-1");
  REQUIRE(s.internet_gateways.size() == 1);
  CHECK(s.internet_gateways[0].attachments.empty());
  REQUIRE(s.vpcs[0].cidr_block_association_set.size() == 1);
  CHECK(s.vpcs[0].cidr_block_association_set[0].cidr_block.to_string() == "10.0.0.0/16");
}

TEST_CASE("Only active VPC peerings are kept (deleted and failed ones are not live)", "[aws][loader][live]") {
  const auto s = load_snapshot(std::string(VPCPROVE_SOURCE_DIR) + "/tests/unit/aws/data/peering_states.json");
  REQUIRE(s.vpc_peering_connections.size() == 1);
  CHECK(s.vpc_peering_connections[0].vpc_peering_connection_id == "pcx-active");
  CHECK(s.not_live.size() == 2);
}

TEST_CASE("Managed prefix-list entries given separately join their list", "[aws][loader][prefix-list]") {
  TempSnapshot t;
  t.write("a.json", R"({"ManagedPrefixLists": [{"PrefixListId": "pl-1", "PrefixListName": "office",
      "AddressFamily": "IPv4", "State": "create-complete"}]})");
  t.write("b.json",
          R"({"PrefixListId": "pl-1", "Entries": [{"Cidr": "192.0.2.0/24"}, {"Cidr": "2001:db8::/32"}]})");
  t.write("c.json",
          R"({"PrefixListEntries": [{"PrefixListId": "pl-1", "Entries": [{"Cidr": "198.51.100.0/24"}]}]})");
  const auto s = t.snapshot();
  REQUIRE(s.prefix_lists.size() == 1);
  REQUIRE(s.prefix_lists[0].cidrs.size() == 2);
  CHECK(s.prefix_lists[0].cidrs[0].to_string() == "192.0.2.0/24");
  CHECK(s.prefix_lists[0].cidrs[1].to_string() == "198.51.100.0/24");
  REQUIRE(s.prefix_lists[0].ipv6_cidrs.size() == 1);
  CHECK(s.prefix_lists[0].ipv6_cidrs[0].to_string() == "2001:db8::/32");
  CHECK(with_code(s.diagnostics, "unknown-key").empty());
}

TEST_CASE("Regions are recognised from folder names and availability zones", "[aws][loader]") {
  using vpcprove::aws::looks_like_region;
  using vpcprove::aws::region_of_availability_zone;
  CHECK(looks_like_region("us-east-1"));
  CHECK(looks_like_region("us-gov-west-1"));
  CHECK_FALSE(looks_like_region("accounts"));
  CHECK_FALSE(looks_like_region("111"));
  CHECK(region_of_availability_zone("us-east-2b") == "us-east-2");
  CHECK(region_of_availability_zone("us-west-2-lax-1a") == "us-west-2");
  CHECK_FALSE(region_of_availability_zone("somewhere").has_value());
}
