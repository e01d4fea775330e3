// SPDX-License-Identifier: Apache-2.0
// Each fact of ../shared/corpus/EXPECTED.md whose features vpcprove models, replayed by trace.
//
// Section numbers (2.1, 2.2, …) and row numbers are EXPECTED.md's. Batfish node names map to
// vpcprove hop IDs as: instance -> its ENI, subnet router -> the subnet (NACL hops), VPC router
// -> the route table, gateways -> themselves. Facts that need VPN or load balancers are left
// out or pinned to vpcprove's honest "exits-unmodelled" answer; the transit-gateway facts are in
// corpus_tgw_facts_test.cpp.
#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/corpus/corpus_fixture.h"

using vpcprove::model::Disposition;
using vpcprove::model::Walk;
using namespace vpcprove::testing;

namespace {

const char* const kPublicSubnet = "batfish/aws/test-public-subnet/aws_configs";
const char* const kPublicPrivate = "batfish/aws/test-public-private-subnet/aws_configs";
const char* const kSubnet = "batfish/aws/test-subnet/aws_configs";
const char* const kPeering = "batfish/aws/test-vpc-peering/aws_configs";
const char* const kHybrid = "pybatfish/hybrid-cloud/aws_configs";

bool has_step(const Walk& walk, const std::string& step) {
  return std::any_of(walk.hops.begin(), walk.hops.end(), [&](const auto& h) { return h.step == step; });
}

/** Dropped by the security groups of eni (the drop names the ENI's group and the ENI). */
void require_sg_drop(const Walk& walk, const std::string& sg, const std::string& eni) {
  REQUIRE(walk.disposition == Disposition::Dropped);
  REQUIRE(walk.drop.has_value());
  CHECK(walk.drop->code == "ENI_SG_RULES_MISMATCH");
  CHECK(walk.drop->step == "sg-ingress");
  CHECK(walk.drop->at == sg);
  CHECK_THAT(walk.drop->detail, Catch::Contains(eni));
}

}  // namespace

TEST_CASE(
    "2.1.1 internet to the public IP on tcp/80 is translated by the IGW and denied by the instance's SG",
    "[corpus][public-subnet]") {
  const auto& net = corpus_network(kPublicSubnet);
  const Walk w = trace_flow(net, "internet", {"18.216.80.133", 6, 80});
  require_sg_drop(w, "sg-09ccba6656672061b", "eni-00064850627e198ee");
  CHECK(visits_in_order(hop_ids(w), {"igw-0a409e562d251f766", "subnet-0bb82ae8b3ea5dc78"}));
  CHECK(w.final_packet.dst_ip == *vpcprove::parse_ipv4("10.0.0.91"));
  require_reach_agrees(net, "internet", w);
}

TEST_CASE("2.1.1 the same internet flow on tcp/22, which launch-wizard-1 opens, is delivered",
          "[corpus][public-subnet]") {
  const auto& net = corpus_network(kPublicSubnet);
  const Walk w = trace_flow(net, "internet", {"18.216.80.133", 6, 22});
  REQUIRE(w.disposition == Disposition::Delivered);
  CHECK(w.endpoint == "eni-00064850627e198ee");
  require_reach_agrees(net, "internet", w);
}

TEST_CASE("2.1.2 internet to an EC2 public IP no snapshot ENI holds never enters the VPC",
          "[corpus][public-subnet]") {
  const auto& net = corpus_network(kPublicSubnet);
  const Walk w = trace_flow(net, "internet", {"54.191.107.23", 0, 0});
  REQUIRE(w.disposition == Disposition::Dropped);
  CHECK(w.drop->code == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS");
  require_reach_agrees(net, "internet", w);
}

TEST_CASE("2.1.3 internet to the instance's private IP never enters the VPC", "[corpus][public-subnet]") {
  const auto& net = corpus_network(kPublicSubnet);
  const Walk w = trace_flow(net, "internet", {"10.0.0.91", 0, 0});
  REQUIRE(w.disposition == Disposition::Dropped);
  CHECK(w.drop->code == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS");
  require_reach_agrees(net, "internet", w);
}

TEST_CASE("2.1.5 the instance reaches 8.8.8.8 through the IGW, which rewrites the source to its public IP",
          "[corpus][public-subnet]") {
  const auto& net = corpus_network(kPublicSubnet);
  const Walk w = trace_flow(net, "i-06669a407b2ef3ae5", {"8.8.8.8", 0, 0});
  REQUIRE(w.disposition == Disposition::ExitsInternet);
  CHECK(w.endpoint == "igw-0a409e562d251f766");
  CHECK(w.final_packet.src_ip == *vpcprove::parse_ipv4("18.216.80.133"));
  CHECK(visits_in_order(hop_ids(w),
                        {"eni-00064850627e198ee", "subnet-0bb82ae8b3ea5dc78", "igw-0a409e562d251f766"}));
  require_reach_agrees(net, "i-06669a407b2ef3ae5", w);
}

TEST_CASE(
    "2.2.1 and 2.2.7 the private subnet's default route leads to the VGW, which vpcprove does not follow",
    "[corpus][public-private-subnet]") {
  const auto& net = corpus_network(kPublicPrivate);
  for (const char* dst : {"13.58.55.60", "8.8.8.8"}) {
    const Walk w = trace_flow(net, "i-099cf38911942421c", {dst, 0, 0});
    INFO(dst);
    require_reach_agrees(net, "i-099cf38911942421c", w);
    REQUIRE(w.disposition == Disposition::ExitsUnmodelled);
    CHECK(w.endpoint == "vgw-070087240d6fa2989");
  }
}

TEST_CASE("2.2.2 private instance to the public instance is denied by the public instance's SG",
          "[corpus][public-private-subnet]") {
  const auto& net = corpus_network(kPublicPrivate);
  const Walk w = trace_flow(net, "i-099cf38911942421c", {"10.0.0.47", 0, 0});
  require_sg_drop(w, "sg-0662342465612f419", "eni-09da8cad43844dc1f");
  CHECK(visits_in_order(hop_ids(w), {"subnet-0f263105946ad1a1d", "subnet-0cf7a93fbd779f3a3"}));
  require_reach_agrees(net, "i-099cf38911942421c", w);
}

TEST_CASE("2.2.3 public instance to the private instance is denied by the private instance's SG",
          "[corpus][public-private-subnet]") {
  const auto& net = corpus_network(kPublicPrivate);
  const Walk w = trace_flow(net, "i-094a9e5b545a4fde4", {"10.0.1.204", 0, 0});
  require_sg_drop(w, "sg-063f2bb51713c3236", "eni-07c1506e49d784fe0");
  CHECK(visits_in_order(hop_ids(w), {"subnet-0cf7a93fbd779f3a3", "subnet-0f263105946ad1a1d"}));
  require_reach_agrees(net, "i-094a9e5b545a4fde4", w);
}

TEST_CASE("2.2.4 internet to the public instance's public IP enters through the IGW and meets its SG",
          "[corpus][public-private-subnet]") {
  const auto& net = corpus_network(kPublicPrivate);
  const Walk w = trace_flow(net, "internet", {"13.58.55.60", 0, 0});
  require_sg_drop(w, "sg-0662342465612f419", "eni-09da8cad43844dc1f");
  CHECK(visits_in_order(hop_ids(w), {"igw-0eac198308206c358", "subnet-0cf7a93fbd779f3a3"}));
  require_reach_agrees(net, "internet", w);
}

TEST_CASE("2.2.5 internet to the public instance's private IP never enters",
          "[corpus][public-private-subnet]") {
  const auto& net = corpus_network(kPublicPrivate);
  const Walk w = trace_flow(net, "internet", {"10.0.0.47", 0, 0});
  REQUIRE(w.disposition == Disposition::Dropped);
  CHECK(w.drop->code == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS");
  require_reach_agrees(net, "internet", w);
}

TEST_CASE("2.2.6 and 2.2.8 the public instance reaches internet addresses through the IGW",
          "[corpus][public-private-subnet]") {
  const auto& net = corpus_network(kPublicPrivate);
  for (const char* dst : {"8.8.8.8", "19.168.0.0"}) {
    const Walk w = trace_flow(net, "i-094a9e5b545a4fde4", {dst, 0, 0});
    INFO(dst);
    require_reach_agrees(net, "i-094a9e5b545a4fde4", w);
    REQUIRE(w.disposition == Disposition::ExitsInternet);
    CHECK(w.endpoint == "igw-0eac198308206c358");
  }
}

TEST_CASE("2.3.1 two instances in one subnet talk directly: SG egress then SG ingress, no NACL",
          "[corpus][subnet]") {
  const auto& net = corpus_network(kSubnet);
  const Walk w = trace_flow(net, "i-08ef86e76fceabd8d", {"10.10.1.44", 0, 0});
  require_sg_drop(w, "sg-02566e413c0030c70", "eni-029bf1092de61fb40");
  CHECK(w.hops.front().step == "sg-egress");
  CHECK(w.hops.front().at == "eni-010f649a7fc5c1e34");
  CHECK_FALSE(has_step(w, "nacl-egress"));
  CHECK_FALSE(has_step(w, "nacl-ingress"));
  require_reach_agrees(net, "i-08ef86e76fceabd8d", w);
}

TEST_CASE("2.3.2 an address of the VPC that no subnet holds is dropped", "[corpus][subnet]") {
  const auto& net = corpus_network(kSubnet);
  const Walk w = trace_flow(net, "i-08ef86e76fceabd8d", {"10.10.0.1", 0, 0});
  REQUIRE(w.disposition == Disposition::Dropped);
  CHECK(w.drop->code == "DESTINATION_ADDRESS_NOT_ASSIGNED");
  CHECK_THAT(w.drop->detail, Catch::Contains("is in no subnet of"));
  require_reach_agrees(net, "i-08ef86e76fceabd8d", w);
}

TEST_CASE("2.6.1 A reaches B over pcx A-B and is denied by B's SG", "[corpus][peering]") {
  const auto& net = corpus_network(kPeering);
  const Walk w = trace_flow(net, "i-06ba034d88c84ef07", {"192.168.1.106", 0, 0});
  require_sg_drop(w, "sg-065c26b39e45ae384", "eni-0024c0af5aa1387e5");
  CHECK(visits_in_order(hop_ids(w),
                        {"subnet-006a19c846f047bd7", "pcx-0b89b559e3319d6cf", "subnet-0ebf6378a79a3e534"}));
  require_reach_agrees(net, "i-06ba034d88c84ef07", w);
}

TEST_CASE("2.6.1 the same flow on tcp/22, which the SGs open, is delivered to B", "[corpus][peering]") {
  const auto& net = corpus_network(kPeering);
  const Walk w = trace_flow(net, "i-06ba034d88c84ef07", {"192.168.1.106", 6, 22});
  REQUIRE(w.disposition == Disposition::Delivered);
  CHECK(w.endpoint == "eni-0024c0af5aa1387e5");
  require_reach_agrees(net, "i-06ba034d88c84ef07", w);
}

TEST_CASE("2.6.2 B reaches A over pcx A-B and is denied by A's SG", "[corpus][peering]") {
  const auto& net = corpus_network(kPeering);
  const Walk w = trace_flow(net, "i-0b14080af811fda3d", {"10.10.10.157", 0, 0});
  require_sg_drop(w, "sg-09606ce9642cac154", "eni-0f0708220e812876c");
  CHECK(visits_in_order(hop_ids(w), {"pcx-0b89b559e3319d6cf", "subnet-006a19c846f047bd7"}));
  require_reach_agrees(net, "i-0b14080af811fda3d", w);
}

TEST_CASE("2.6.3 A has no route to the unused part of B's and C's /16", "[corpus][peering]") {
  const auto& net = corpus_network(kPeering);
  const Walk w = trace_flow(net, "i-06ba034d88c84ef07", {"192.168.100.1", 0, 0});
  REQUIRE(w.disposition == Disposition::Dropped);
  CHECK(w.drop->code == "NO_ROUTE_TO_DESTINATION");
  require_reach_agrees(net, "i-06ba034d88c84ef07", w);
}

TEST_CASE("2.6.4 B's packet to an address of A that no subnet holds crosses the peering and is dropped in A",
          "[corpus][peering]") {
  const auto& net = corpus_network(kPeering);
  const Walk w = trace_flow(net, "i-0b14080af811fda3d", {"10.10.100.1", 0, 0});
  REQUIRE(w.disposition == Disposition::Dropped);
  CHECK(w.drop->code == "DESTINATION_ADDRESS_NOT_ASSIGNED");
  CHECK(visits_in_order(hop_ids(w), {"pcx-0b89b559e3319d6cf"}));
  require_reach_agrees(net, "i-0b14080af811fda3d", w);
}

TEST_CASE("2.6.5 B's packet to an unassigned address in A's subnet is dropped there", "[corpus][peering]") {
  const auto& net = corpus_network(kPeering);
  const Walk w = trace_flow(net, "i-0b14080af811fda3d", {"10.10.10.11", 0, 0});
  REQUIRE(w.disposition == Disposition::Dropped);
  CHECK(w.drop->code == "DESTINATION_ADDRESS_NOT_ASSIGNED");
  require_reach_agrees(net, "i-0b14080af811fda3d", w);
}

TEST_CASE("4.2 east2_public to west2_public's private IP goes to the IGW, which drops a private destination",
          "[corpus][hybrid-cloud]") {
  const auto& net = corpus_network(kHybrid);
  const Walk w = trace_flow(net, "i-01602d9efaed4409a", {"10.40.2.80", 6, 22});
  REQUIRE(w.disposition == Disposition::Dropped);
  CHECK(w.drop->code == "IGW_DESTINATION_NOT_PUBLIC");
  require_reach_agrees(net, "i-01602d9efaed4409a", w);
}

TEST_CASE("4.3 east2_public reaches west2_public's public IP out of one IGW and in through the other",
          "[corpus][hybrid-cloud]") {
  const auto& net = corpus_network(kHybrid);
  const Walk w = trace_flow(net, "i-01602d9efaed4409a", {"54.191.42.182", 6, 22});
  REQUIRE(w.disposition == Disposition::Delivered);
  CHECK(w.endpoint == "eni-087e18628dadd9b48");
  CHECK(visits_in_order(hop_ids(w),
                        {"igw-02fd68f94367a67c7", "igw-0a8309f3192e7cea3", "eni-087e18628dadd9b48"}));
  CHECK(w.final_packet.src_ip == *vpcprove::parse_ipv4("13.59.144.125"));
  require_reach_agrees(net, "i-01602d9efaed4409a", w);
}

TEST_CASE(
    "4.6 and 4.8 the internet reaches both public instances on tcp/22, and only east2_public on tcp/3306",
    "[corpus][hybrid-cloud]") {
  const auto& net = corpus_network(kHybrid);
  CHECK(trace_flow(net, "internet", {"13.59.144.125", 6, 22}).disposition == Disposition::Delivered);
  CHECK(trace_flow(net, "internet", {"54.191.42.182", 6, 22}).disposition == Disposition::Delivered);
  const Walk east = trace_flow(net, "internet", {"13.59.144.125", 6, 3306});
  CHECK(east.disposition == Disposition::Delivered);
  CHECK(east.endpoint == "eni-01997085076a9b98a");
  const Walk west = trace_flow(net, "internet", {"54.191.42.182", 6, 3306});
  REQUIRE(west.disposition == Disposition::Dropped);
  CHECK(west.drop->code == "ENI_SG_RULES_MISMATCH");
  require_reach_agrees(net, "internet", east);
  require_reach_agrees(net, "internet", west);
}
