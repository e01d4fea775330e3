// SPDX-License-Identifier: Apache-2.0
// Transit gateways on the repository's own fixture, the shape of Batfish's test-transit-gateway
// (EXPECTED.md 2.8, 2.9): VPC A (10.10.0.0/16 and 10.11.0.0/16) with subnets in us-east-2c
// (subnet-0a1, the attachment's only one, and subnet-0a3) and us-east-2a (subnet-0a2); VPC B
// (192.168.0.0/16) in us-east-2b; one route table per attachment, each learning the other VPC;
// a static blackhole in A's, a static route equal to a propagated one in B's. Groups admit tcp/22.
#include <algorithm>
#include <catch2/catch.hpp>

#include "aws/load.h"
#include "queries/reach.h"
#include "tests/corpus/corpus_fixture.h"
#include "tests/support/test_paths.h"

using vpcprove::model::Disposition;
using vpcprove::model::Walk;
using namespace vpcprove::testing;

namespace {

const vpcprove::model::Network& fixture() {
  static const auto net =
      vpcprove::aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/tests/tgw/snapshot");
  return net;
}

void require_drop(const Walk& w, const std::string& code, const std::string& at) {
  REQUIRE(w.disposition == Disposition::Dropped);
  REQUIRE(w.drop.has_value());
  CHECK(w.drop->code == code);
  CHECK(w.drop->at == at);
}

}  // namespace

TEST_CASE("the converter reads the TGW, its attachments, associations, propagations and static routes",
          "[tgw][aws]") {
  const auto& n = fixture();
  REQUIRE(n.transit_gateways.count("tgw-0t"));
  CHECK(n.transit_gateways.at("tgw-0t").attachment_ids ==
        std::vector<std::string>{"tgw-attach-0a", "tgw-attach-0b"});
  const auto& a = n.transit_gateway_attachments.at("tgw-attach-0a");
  CHECK(a.resource_id == "vpc-0a");
  CHECK(a.subnet_ids == std::vector<std::string>{"subnet-0a1"});
  CHECK(a.route_table_id == "tgw-rtb-0a");
  CHECK_FALSE(a.appliance_mode);
  CHECK(n.transit_gateway_attachments.at("tgw-attach-0b").appliance_mode);
  CHECK_FALSE(n.transit_gateway_attachments.count("tgw-attach-0v"));  // deleted: not live
  // B's table: the static 10.11.0.0/16 before the propagated one of equal length; secondary CIDRs propagate.
  const auto& b = n.transit_gateway_route_tables.at("tgw-rtb-0b");
  REQUIRE(b.routes.size() == 3);
  CHECK(b.routes[0].destination.to_string() == "10.11.0.0/16");
  CHECK(b.routes[0].origin == "static");
  CHECK(b.routes[1].destination.to_string() == "10.10.0.0/16");
  CHECK(b.routes[1].origin == "propagated");
  CHECK(b.routes[2].destination.to_string() == "10.11.0.0/16");
  CHECK(b.routes[2].target_id == "tgw-attach-0a");
  const auto& rtb_a = n.transit_gateway_route_tables.at("tgw-rtb-0a");
  REQUIRE(rtb_a.routes.size() == 2);
  CHECK(rtb_a.routes[0].blackhole);  // 192.168.9.0/24
  CHECK(rtb_a.routes[1].target_id == "tgw-attach-0b");
}

TEST_CASE("A to B crosses the TGW and is denied by B's group, and tcp/22 is delivered", "[tgw]") {
  const auto& n = fixture();
  const Walk w = trace_flow(n, "eni-0a1", {"192.168.1.106"});
  REQUIRE(w.disposition == Disposition::Dropped);
  CHECK(w.drop->code == "ENI_SG_RULES_MISMATCH");
  CHECK(w.drop->at == "sg-0b");
  const auto ids = hop_ids(w);
  CHECK(std::find(ids.begin(), ids.end(), "tgw-0t") != ids.end());
  require_reach_agrees(n, "eni-0a1", w);
  const Walk ssh = trace_flow(n, "eni-0a1", {"192.168.1.106", 6, 22});
  REQUIRE(ssh.disposition == Disposition::Delivered);
  bool named_route = false;
  for (const auto& h : ssh.hops) {
    if (h.at == "tgw-rtb-0a" && h.step == "route" && h.by == "192.168.0.0/16 -> tgw-attach-0b")
      named_route = true;
  }
  CHECK(named_route);
  require_reach_agrees(n, "eni-0a1", ssh);
}

TEST_CASE("A2's zone has no subnet of A's attachment: its route to the TGW drops", "[tgw]") {
  const auto& n = fixture();
  const Walk w = trace_flow(n, "eni-0a2", {"192.168.1.106", 6, 22});
  require_drop(w, "TGW_ATTACHMENT_AZ_RESTRICTION", "tgw-attach-0a");
  require_reach_agrees(n, "eni-0a2", w);
}

TEST_CASE("the prover names the zone rule's drop as the tgw step at the attachment, not a route", "[tgw]") {
  const auto& n = fixture();
  vpcprove::queries::HeaderSpace ssh;
  ssh.protocol = 6;
  ssh.dst_ports = vpcprove::PortRange{22, 22};
  const auto r = vpcprove::queries::reach(n, "eni-0a2", "eni-0b1", ssh);
  REQUIRE(r.verdict == vpcprove::queries::Verdict::Unreachable);
  const auto it = std::find_if(r.reasons.begin(), r.reasons.end(), [](const vpcprove::queries::Reason& x) {
    return x.code == "TGW_ATTACHMENT_AZ_RESTRICTION";
  });
  REQUIRE(it != r.reasons.end());
  CHECK(it->step == "tgw");  // as trace names the same drop
  CHECK(it->at == "tgw-attach-0a");
  CHECK(it->detail.find("tgw-attach-0a has no subnet in us-east-2a, so subnet-0a2 cannot reach tgw-0t") !=
        std::string::npos);
  const Walk w = trace_flow(n, "eni-0a2", {"192.168.1.106", 6, 22});
  REQUIRE(w.drop.has_value());
  CHECK(w.drop->step == it->step);
}

TEST_CASE("inbound through the TGW still reaches A2, entering at the attachment's subnet", "[tgw]") {
  const auto& n = fixture();
  const Walk w = trace_flow(n, "eni-0b1", {"10.10.20.154", 6, 22});
  REQUIRE(w.disposition == Disposition::Delivered);
  CHECK(w.endpoint == "eni-0a2");
  bool entered = false;
  for (const auto& h : w.hops) {
    if (h.at == "tgw-attach-0a" && h.step == "tgw") {
      entered = true;
      CHECK(h.by == "into vpc-0a at subnet-0a1 (us-east-2c; none in us-east-2b)");
    }
  }
  CHECK(entered);
  require_reach_agrees(n, "eni-0b1", w);
  // A secondary CIDR of A, by the static route before the propagated one.
  const Walk second = trace_flow(n, "eni-0b1", {"10.11.30.5", 6, 22});
  REQUIRE(second.disposition == Disposition::Delivered);
  require_reach_agrees(n, "eni-0b1", second);
}

TEST_CASE("a TGW blackhole route drops, and a destination no TGW route holds has no route", "[tgw]") {
  const auto& n = fixture();
  const Walk hole = trace_flow(n, "eni-0a1", {"192.168.9.9", 6, 22});
  require_drop(hole, "BAD_STATE_ROUTE", "tgw-rtb-0a");
  require_reach_agrees(n, "eni-0a1", hole);
  const Walk none = trace_flow(n, "eni-0b1", {"10.12.0.1", 6, 22});
  require_drop(none, "NO_ROUTE_TO_DESTINATION", "tgw-rtb-0b");
  require_reach_agrees(n, "eni-0b1", none);
}
