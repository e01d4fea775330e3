// SPDX-License-Identifier: Apache-2.0
// VPC endpoints on the repository's own fixture (tests/vpce/snapshot), the shapes of Batfish's
// test-vpc-endpoint-gateway and test-vpc-endpoint-interface (EXPECTED.md 2.13, 2.14):
// - vpc-0gw 10.1.0.0/16: subnet-0pub (rtb-0pub: local, 0.0.0.0/0 -> igw-0gw, pl-0s3 -> vpce-0s3),
//   subnet-0priv and subnet-0strict (rtb-0priv: local, pl-0s3 -> vpce-0s3, 198.51.100.0/24 to a
//   Gateway Load Balancer endpoint, 192.0.2.0/24 -> vpce-0s3, a route AWS would not make); the S3
//   gateway endpoint vpce-0s3; subnet-0strict's NACL admits only 10.0.0.0/8 inbound.
// - vpc-0if 10.2.0.0/16: an interface endpoint's ENI eni-0trail (10.2.101.97, group admitting
//   tcp/443 from the VPC) in subnet-0if2 beside eni-0if2; eni-0if1 in subnet-0if1.
#include <algorithm>
#include <catch2/catch.hpp>

#include "aws/load.h"
#include "common/diagnostics.h"
#include "model/endpoint.h"
#include "queries/reach.h"
#include "tests/corpus/corpus_fixture.h"
#include "tests/support/test_paths.h"
#include "trace/trace.h"

using vpcprove::model::Disposition;
using vpcprove::model::Walk;
using namespace vpcprove::testing;
namespace model = vpcprove::model;
namespace queries = vpcprove::queries;
namespace trace = vpcprove::trace;

namespace {

const model::Network& fixture() {
  static const auto net =
      vpcprove::aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/tests/vpce/snapshot");
  return net;
}

bool has_hop(const Walk& w, const std::string& at, const std::string& step, const std::string& by_part = "") {
  return std::any_of(w.hops.begin(), w.hops.end(), [&](const model::Hop& h) {
    return h.at == at && h.step == step && h.by.find(by_part) != std::string::npos;
  });
}

trace::SessionWalk session(const std::string& eni, const std::string& dst, int port = 443) {
  const auto& n = fixture();
  model::Packet p;
  p.src_ip = n.network_interfaces.at(eni).private_ips.front().address;
  p.dst_ip = *vpcprove::parse_ipv4(dst);
  p.protocol = model::kTcp;
  p.src_port = 49152;
  p.dst_port = static_cast<std::uint16_t>(port);
  return trace::walk_session(n, trace::Start::interface(eni), p);
}

queries::ReachResult reach_to(const std::string& from, const std::string& to, queries::Semantics semantics,
                              int port = 443,
                              model::AssumptionPolicy assume = model::AssumptionPolicy::Conditional) {
  const auto& n = fixture();
  queries::ReachQuery q{model::resolve_endpoint(n, from), model::resolve_endpoint(n, to), {}, semantics};
  q.assume = assume;
  q.header.protocol = model::kTcp;
  q.header.dst_ports =
      vpcprove::PortRange{static_cast<std::uint16_t>(port), static_cast<std::uint16_t>(port)};
  queries::Prover prover(n, {}, queries::eni_scope(n, q));
  return prover.reach(q);
}

}  // namespace

TEST_CASE(
    "the converter keeps a gateway endpoint with its service's prefix list; a GWLB endpoint stays opaque",
    "[vpce][aws]") {
  const auto& n = fixture();
  REQUIRE(n.gateway_endpoints.count("vpce-0s3"));
  const auto& e = n.gateway_endpoints.at("vpce-0s3");
  CHECK(e.vpc_id == "vpc-0gw");
  CHECK(e.service_name == "com.amazonaws.us-east-1.s3");
  CHECK(e.prefix_list_id == "pl-0s3");
  CHECK(e.route_table_ids == std::vector<std::string>{"rtb-0pub", "rtb-0priv"});
  CHECK(e.service_cidrs.size() == 4);
  CHECK(e.serves(*vpcprove::parse_ipv4("52.216.237.77")));
  CHECK_FALSE(e.serves(*vpcprove::parse_ipv4("54.222.57.1")));
  CHECK_FALSE(e.serves(*vpcprove::parse_ipv4("52.94.0.1")));  // DynamoDB's list is another service's
  // Followed: no assumption names it. The GWLB endpoint is still a gateway vpcprove does not follow.
  CHECK_FALSE(n.opaque_gateways.count("vpce-0s3"));
  REQUIRE(n.opaque_gateways.count("vpce-0gwlb"));
  CHECK(n.opaque_gateways.at("vpce-0gwlb").kind == model::RouteTargetKind::GatewayEndpoint);
  // The interface endpoint is its ENI: kind vpc-endpoint, a member of sets.
  const auto& trail = n.network_interfaces.at("eni-0trail");
  CHECK(trail.kind == model::InterfaceKind::VpcEndpoint);
  CHECK(trail.in_sets());
  CHECK(model::resolve_endpoint(n, "kind:vpc-endpoint").interfaces == std::vector<std::string>{"eni-0trail"});
  CHECK(model::resolve_endpoint(n, "vpce-0s3").gateway_endpoint == std::optional<std::string>("vpce-0s3"));
  CHECK_THROWS_AS(model::resolve_endpoint(n, "vpce-0gwlb"), vpcprove::InputError);
}

TEST_CASE("2.13.1 shape: the private subnet reaches S3 through the endpoint, and the reply comes back",
          "[vpce][gateway]") {
  const auto s = session("eni-0priv", "52.216.237.77");
  const Walk& w = s.forward;
  REQUIRE(w.disposition == Disposition::GatewayEndpoint);
  CHECK(w.endpoint == "vpce-0s3");
  CHECK(has_hop(w, "rtb-0priv", "route", "pl-0s3 (52.216.0.0/15) -> vpce-0s3"));
  CHECK(has_hop(w, "vpce-0s3", "vpce", "com.amazonaws.us-east-1.s3"));
  CHECK(has_hop(w, "subnet-0priv", "nacl-egress"));
  REQUIRE(s.reply.has_value());
  CHECK(s.established);
  CHECK(visits_in_order(hop_ids(*s.reply), {"vpce-0s3", "subnet-0priv", "eni-0priv"}));
  CHECK(has_hop(*s.reply, "subnet-0priv", "nacl-ingress"));
  require_reach_agrees(fixture(), "eni-0priv", w);
}

TEST_CASE("2.13.2 shape: the prefix-list route beats 0.0.0.0/0 in the public subnet", "[vpce][gateway]") {
  const auto s = session("eni-0pub", "52.216.237.77");
  REQUIRE(s.forward.disposition == Disposition::GatewayEndpoint);
  CHECK(has_hop(s.forward, "rtb-0pub", "route", "-> vpce-0s3"));
  CHECK_FALSE(has_hop(s.forward, "igw-0gw", "igw-egress"));
  CHECK(s.established);
  require_reach_agrees(fixture(), "eni-0pub", s.forward);
}

TEST_CASE("2.13.3 shape: another AWS prefix has no route from the private subnet (NO_ROUTE)",
          "[vpce][gateway]") {
  const Walk w = session("eni-0priv", "54.222.57.1").forward;
  REQUIRE(w.disposition == Disposition::Dropped);
  CHECK(w.drop->code == "NO_ROUTE_TO_DESTINATION");
  CHECK(w.drop->at == "rtb-0priv");
  require_reach_agrees(fixture(), "eni-0priv", w);
}

TEST_CASE("2.13.4 shape: the public subnet reaches another AWS prefix through the internet gateway",
          "[vpce][gateway]") {
  const auto s = session("eni-0pub", "54.222.57.1");
  REQUIRE(s.forward.disposition == Disposition::ExitsInternet);
  CHECK(s.forward.endpoint == "igw-0gw");
  CHECK(s.established);
  require_reach_agrees(fixture(), "eni-0pub", s.forward);
}

TEST_CASE("the subnet's NACL applies to the service's reply (stateless), the group does not (stateful)",
          "[vpce][gateway]") {
  const auto s = session("eni-0strict", "52.216.237.77");
  REQUIRE(s.forward.disposition == Disposition::GatewayEndpoint);
  CHECK_FALSE(s.established);
  REQUIRE(s.reply_drop.has_value());
  CHECK(s.reply_drop->code == "SUBNET_ACL_RESTRICTION");
  CHECK(s.reply_drop->at == "acl-0strict");
  // reach agrees: the first packet gets there, the session does not.
  CHECK(reach_to("eni-0strict", "vpce-0s3", queries::Semantics::Packet).verdict ==
        queries::Verdict::Reachable);
  const auto r = reach_to("eni-0strict", "vpce-0s3", queries::Semantics::Session, 443,
                          model::AssumptionPolicy::OpaqueDrops);
  REQUIRE(r.verdict == queries::Verdict::Unreachable);
  CHECK(std::any_of(r.reasons.begin(), r.reasons.end(),
                    [](const queries::Reason& x) { return x.code == "SUBNET_ACL_RESTRICTION"; }));
  // The proof rests on the GWLB endpoint alone (the question's packets to 198.51.100.0/24 meet it),
  // never on the followed gateway endpoint.
  REQUIRE(r.assumptions.size() == 1);
  CHECK(r.assumptions.front().id == "vpce-0gwlb");
}

TEST_CASE("a packet routed to the endpoint outside its service's addresses is dropped there",
          "[vpce][gateway]") {
  const Walk w = session("eni-0priv", "192.0.2.10").forward;
  REQUIRE(w.disposition == Disposition::Dropped);
  CHECK(w.drop->code == "VPCE_DESTINATION_NOT_IN_SERVICE");
  CHECK(w.drop->at == "vpce-0s3");
  CHECK(w.drop->step == "vpce");
  require_reach_agrees(fixture(), "eni-0priv", w);
}

TEST_CASE("a Gateway Load Balancer endpoint is still not followed: an assumption", "[vpce][gateway]") {
  const Walk w = session("eni-0priv", "198.51.100.10").forward;
  REQUIRE(w.disposition == Disposition::ExitsUnmodelled);
  CHECK(w.endpoint == "vpce-0gwlb");
  require_reach_agrees(fixture(), "eni-0priv", w);
  const auto r = reach_to("eni-0priv", "internet", queries::Semantics::Packet);
  CHECK(r.verdict == queries::Verdict::Unknown);
  CHECK(std::any_of(r.assumptions.begin(), r.assumptions.end(), [](const model::Assumption& a) {
    return a.id == "vpce-0gwlb" && a.kind == "gateway-endpoint";
  }));
  CHECK_FALSE(std::any_of(r.assumptions.begin(), r.assumptions.end(),
                          [](const model::Assumption& a) { return a.id == "vpce-0s3"; }));
}

TEST_CASE("reach --to vpce-… and --to an S3 address: exact witnesses that name the prefix-list route",
          "[vpce][gateway][reach]") {
  for (const char* to : {"vpce-0s3", "52.216.237.77"}) {
    INFO(to);
    const auto r = reach_to("eni-0priv", to, queries::Semantics::Session);
    REQUIRE(r.verdict == queries::Verdict::Reachable);
    CHECK(r.disposition == Disposition::GatewayEndpoint);
    CHECK(r.to_member == std::optional<std::string>("vpce-0s3"));
    CHECK(r.assumptions.empty());
    CHECK(std::any_of(r.path.begin(), r.path.end(), [](const model::Hop& h) {
      return h.at == "rtb-0priv" && h.step == "route" && h.by.find("pl-0s3") != std::string::npos &&
             h.by.find("-> vpce-0s3") != std::string::npos;
    }));
    REQUIRE(r.session.has_value());
    CHECK(r.session->established);
    CHECK(r.session->forward.hops == r.path);  // the witness replays through trace
  }
  // A source outside the gateway endpoint's VPC has no way to it.
  CHECK(reach_to("eni-0if1", "vpce-0s3", queries::Semantics::Packet).verdict ==
        queries::Verdict::Unreachable);
}

TEST_CASE("2.14.1 shape: an instance reaches the interface endpoint's ENI in its own subnet",
          "[vpce][interface]") {
  const auto s = session("eni-0if2", "10.2.101.97");
  REQUIRE(s.forward.disposition == Disposition::Delivered);
  CHECK(s.forward.endpoint == "eni-0trail");
  CHECK_FALSE(has_hop(s.forward, "subnet-0if2", "nacl-egress"));  // same subnet: no NACL
  CHECK(has_hop(s.forward, "eni-0trail", "sg-ingress"));
  CHECK(s.established);
  require_reach_agrees(fixture(), "eni-0if2", s.forward);
}

TEST_CASE("2.14.2 shape: an instance of another subnet reaches it through both NACLs", "[vpce][interface]") {
  const auto s = session("eni-0if1", "10.2.101.97");
  REQUIRE(s.forward.disposition == Disposition::Delivered);
  CHECK(visits_in_order(hop_ids(s.forward),
                        {"eni-0if1", "rtb-0if", "subnet-0if1", "subnet-0if2", "eni-0trail"}));
  CHECK(s.established);
  require_reach_agrees(fixture(), "eni-0if1", s.forward);
  // Its group admits only 443.
  const Walk ssh = session("eni-0if1", "10.2.101.97", 22).forward;
  REQUIRE(ssh.disposition == Disposition::Dropped);
  CHECK(ssh.drop->code == "ENI_SG_RULES_MISMATCH");
  CHECK(ssh.drop->at == "sg-0trail");
  require_reach_agrees(fixture(), "eni-0if1", ssh);
  // kind:vpc-endpoint as a destination set.
  CHECK(reach_to("eni-0if1", "kind:vpc-endpoint", queries::Semantics::Session).verdict ==
        queries::Verdict::Reachable);
}

TEST_CASE("a gateway endpoint is no source", "[vpce][reach]") {
  CHECK_THROWS_AS(reach_to("vpce-0s3", "eni-0priv", queries::Semantics::Packet), vpcprove::InputError);
}
