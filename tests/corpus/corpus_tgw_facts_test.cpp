// SPDX-License-Identifier: Apache-2.0
// EXPECTED.md's transit-gateway facts (2.8-2.12, hybrid-cloud 4.1), replayed by trace and reach.
//
// Batfish's node names map to vpcprove hops as in corpus_facts_test.cpp; a TGW is named by its
// tgw-… hop, its route table by the tgw-rtb-… route hop. Batfish's NULL_ROUTED for the
// Availability-Zone rule is TGW_ATTACHMENT_AZ_RESTRICTION; its NO_ROUTE at a TGW is
// NO_ROUTE_TO_DESTINATION at the TGW route table. TGW peering attachments are not followed:
// those flows leave the model at the attachment, an assumption reach names.
#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/corpus/corpus_fixture.h"

using vpcprove::model::Disposition;
using vpcprove::model::Walk;
using namespace vpcprove::testing;

namespace {

const char* const kTgw = "batfish/aws/test-transit-gateway/aws_configs";
const char* const kMultiTable = "batfish/aws/test-transit-gateway-multi-table/aws_configs";
const char* const kAsymmetric = "batfish/aws/test-transit-gateway-asymmetric-paths/aws_configs";
const char* const kMultiAccount = "batfish/aws/test-transit-gateway-multi-account/aws_configs";
const char* const kPeering = "batfish/aws/test-transit-gateway-peering/aws_configs";
const char* const kHybrid = "pybatfish/hybrid-cloud/aws_configs";

void require_sg_drop(const Walk& walk, const std::string& sg) {
  REQUIRE(walk.disposition == Disposition::Dropped);
  REQUIRE(walk.drop.has_value());
  CHECK(walk.drop->code == "ENI_SG_RULES_MISMATCH");
  CHECK(walk.drop->step == "sg-ingress");
  CHECK(walk.drop->at == sg);
}

void require_drop(const Walk& walk, const std::string& code, const std::string& at) {
  REQUIRE(walk.disposition == Disposition::Dropped);
  REQUIRE(walk.drop.has_value());
  CHECK(walk.drop->code == code);
  CHECK(walk.drop->at == at);
}

// test-transit-gateway and -multi-table share their VPCs, instances and groups.
const char* const kInstA = "i-06ba034d88c84ef07";   // 10.10.10.157, subnet A (us-east-2c)
const char* const kInstA2 = "i-075e846ed41670385";  // 10.10.20.154, subnet A2 (us-east-2a)
const char* const kInstB = "i-0b14080af811fda3d";   // 192.168.1.106, subnet B (us-east-2b)
const char* const kSgA = "sg-09606ce9642cac154";
const char* const kSgA2 = "sg-051f619de836dbaf3";
const char* const kSgB = "sg-065c26b39e45ae384";
const char* const kTgwId = "tgw-044be4464fcc69aff";

}  // namespace

TEST_CASE("2.8.1 A to B crosses the transit gateway and is denied by B's security group", "[corpus][tgw]") {
  const auto& net = corpus_network(kTgw);
  const Walk w = trace_flow(net, kInstA, {"192.168.1.106"});
  require_sg_drop(w, kSgB);
  CHECK(visits_in_order(hop_ids(w), {"subnet-006a19c846f047bd7", kTgwId, "tgw-rtb-0fa40c8df355dce6e",
                                     "tgw-attach-0ae2696617bb06fb4"}));
  require_reach_agrees(net, kInstA, w);
}

TEST_CASE("2.8.2 B to A crosses the transit gateway and is denied by A's security group", "[corpus][tgw]") {
  const auto& net = corpus_network(kTgw);
  const Walk w = trace_flow(net, kInstB, {"10.10.10.157"});
  require_sg_drop(w, kSgA);
  CHECK(visits_in_order(hop_ids(w), {"subnet-0ebf6378a79a3e534", kTgwId, "tgw-rtb-0fa40c8df355dce6e",
                                     "tgw-attach-07f5ec59e9f540021"}));
  require_reach_agrees(net, kInstB, w);
}

TEST_CASE("2.8.3 A2's zone has no subnet of the attachment: its route to the TGW drops (NULL_ROUTED)",
          "[corpus][tgw]") {
  const auto& net = corpus_network(kTgw);
  const Walk w = trace_flow(net, kInstA2, {"192.168.1.106"});
  require_drop(w, "TGW_ATTACHMENT_AZ_RESTRICTION", "tgw-attach-07f5ec59e9f540021");
  CHECK_THAT(w.drop->detail, Catch::Contains("us-east-2a"));
  require_reach_agrees(net, kInstA2, w);
}

TEST_CASE("2.8.4 inbound through the TGW still reaches A2 (the zone rule binds senders only)",
          "[corpus][tgw]") {
  const auto& net = corpus_network(kTgw);
  const Walk w = trace_flow(net, kInstB, {"10.10.20.154"});
  require_sg_drop(w, kSgA2);
  // B's zone (us-east-2b) has no subnet of A's attachment: it enters at subnet A, A's only one.
  CHECK(visits_in_order(hop_ids(w), {kTgwId, "tgw-attach-07f5ec59e9f540021", "subnet-0b5b8ddd5a69fcfcd"}));
  require_reach_agrees(net, kInstB, w);
  // The same packet on tcp/22, which A2's group admits, is delivered.
  const Walk ssh = trace_flow(net, kInstB, {"10.10.20.154", 6, 22});
  CHECK(ssh.disposition == Disposition::Delivered);
  require_reach_agrees(net, kInstB, ssh);
}

TEST_CASE("2.9 with a route table per attachment, A and B still reach each other's groups", "[corpus][tgw]") {
  const auto& net = corpus_network(kMultiTable);
  const Walk ab = trace_flow(net, kInstA, {"192.168.1.106"});
  require_sg_drop(ab, kSgB);
  CHECK(visits_in_order(hop_ids(ab), {kTgwId, "tgw-rtb-0fa40c8df355dce6e", "tgw-attach-0ae2696617bb06fb4"}));
  require_reach_agrees(net, kInstA, ab);
  const Walk ba = trace_flow(net, kInstB, {"10.10.10.157"});
  require_sg_drop(ba, kSgA);
  CHECK(visits_in_order(hop_ids(ba), {kTgwId, "tgw-rtb-096a7119299ab1c42", "tgw-attach-07f5ec59e9f540021"}));
  require_reach_agrees(net, kInstB, ba);
}

TEST_CASE("2.10 asymmetric paths: each VPC reaches the other through its own TGW", "[corpus][tgw]") {
  const auto& net = corpus_network(kAsymmetric);
  const Walk bat = trace_flow(net, "i-04bbbcaefdd1937f9", {"10.2.1.100"});
  require_sg_drop(bat, "sg-0c6a627999ec6b8df");
  CHECK(visits_in_order(hop_ids(bat), {"tgw-01e19888e3ba041ac", "tgw-rtb-0ac69a6cb81e20019"}));
  require_reach_agrees(net, "i-04bbbcaefdd1937f9", bat);
  const Walk fish = trace_flow(net, "i-0973ce90749865a7f", {"10.1.1.100"});
  require_sg_drop(fish, "sg-002171e90685d74fa");
  CHECK(visits_in_order(hop_ids(fish), {"tgw-0a33c739a4f8978a8", "tgw-rtb-061e69b98b99d5da8"}));
  require_reach_agrees(net, "i-0973ce90749865a7f", fish);
}

TEST_CASE("2.11 a TGW shared across accounts carries tcp/22 both ways", "[corpus][tgw]") {
  const auto& net = corpus_network(kMultiAccount);
  const Walk there = trace_flow(net, "i-0bdf35d561be3d962", {"10.2.1.183", 6, 22});
  REQUIRE(there.disposition == Disposition::Delivered);
  CHECK(visits_in_order(hop_ids(there), {"tgw-0efdeab79e9a8e490", "tgw-rtb-0b2c8eeefcf19371b"}));
  require_reach_agrees(net, "i-0bdf35d561be3d962", there);
  const Walk back = trace_flow(net, "i-03df168b3f73cc262", {"10.1.1.100", 6, 22});
  REQUIRE(back.disposition == Disposition::Delivered);
  require_reach_agrees(net, "i-03df168b3f73cc262", back);
}

TEST_CASE("2.12 TGW peering: no route where Batfish finds none; the peering itself is an assumption",
          "[corpus][tgw]") {
  const auto& net = corpus_network(kPeering);
  // 1: bat's TGW route table has no route to fish's 192.168.0.0/16.
  const Walk bat = trace_flow(net, "i-08f3abb6471637c66", {"192.168.1.100"});
  require_drop(bat, "NO_ROUTE_TO_DESTINATION", "tgw-rtb-05d2952671d1f460a");
  require_reach_agrees(net, "i-08f3abb6471637c66", bat);
  // 2: bat2's table sends it to the peering attachment, which vpcprove does not follow yet.
  const Walk bat2 = trace_flow(net, "i-05e25e43074216229", {"192.168.1.100"});
  REQUIRE(bat2.disposition == Disposition::ExitsUnmodelled);
  CHECK(bat2.endpoint == "tgw-attach-012e5d602f859dd80");
  require_reach_agrees(net, "i-05e25e43074216229", bat2);
  // 3: fish's TGW has no route to 10.10.0.0/16.
  const Walk fish = trace_flow(net, "i-0afb0a59f6bf36397", {"10.10.1.100"});
  require_drop(fish, "NO_ROUTE_TO_DESTINATION", "tgw-rtb-00be87593fb2cd0ae");
  require_reach_agrees(net, "i-0afb0a59f6bf36397", fish);
}

TEST_CASE("4.1 east2_private reaches east2_public on tcp/22 through the transit gateway",
          "[corpus][hybrid-cloud][tgw]") {
  const auto& net = corpus_network(kHybrid);
  const Walk w = trace_flow(net, "i-04cd3db5124a05ee6", {"10.20.1.207", 6, 22});
  REQUIRE(w.disposition == Disposition::Delivered);
  CHECK(w.endpoint == "eni-01997085076a9b98a");
  CHECK(visits_in_order(
      hop_ids(w), {"tgw-06b348adabd13452d", "tgw-rtb-00e37bc5142347b03", "tgw-attach-0648110513acd6de5"}));
  require_reach_agrees(net, "i-04cd3db5124a05ee6", w);
}
