// SPDX-License-Identifier: Apache-2.0
// reach --through / --not-through: waypoints restrict the prover's paths, for every packet, and
// the witness of such a question replays through trace on a path that honours them.
#include "graph/waypoints.h"

#include <catch2/catch.hpp>

#include "aws/load.h"
#include "model/endpoint.h"
#include "queries/reach.h"
#include "queries/why_not.h"
#include "tests/support/network_builder.h"
#include "tests/support/test_paths.h"
#include "trace/trace.h"

namespace vpcprove {
namespace {

using queries::Verdict;

/**
 * eni-host (public IP) leaves two ways: to 1.2.3.0/24 straight by igw-1, to the rest of the
 * internet through nat-1. The shortest way is the direct one, so a witness of a plain question
 * does not pass nat-1, while most packets do. With block_direct, a NACL drops 1.2.3.0/24, so that
 * every packet that gets out passes nat-1.
 */
model::Network two_exits(bool block_direct) {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1");
  b.route_table("rtb-host", "vpc-1").route("0.0.0.0/0", "nat-1").route("1.2.3.0/24", "igw-1");
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub");
  auto host = b.subnet("subnet-host", "vpc-1", "10.0.2.0/24").route_table("rtb-host");
  if (block_direct) {
    b.nacl("acl-host", "vpc-1").allow_all().deny_out(50, testing::any_l4(), "1.2.3.0/24");
    host.nacl("acl-host");
  }
  b.nat("nat-1", "subnet-pub", "10.0.1.10", "3.3.3.3");
  b.sg("sg-1", "vpc-1").ingress_all().egress_all();
  b.eni("eni-host", "subnet-host", {"10.0.2.30"}).public_ip("54.0.0.30").groups({"sg-1"});
  return b.build();
}

queries::ReachResult ask(const model::Network& n, const std::vector<std::string>& through,
                         const std::vector<std::string>& not_through) {
  queries::ReachQuery q{model::resolve_endpoint(n, "eni-host"), model::resolve_endpoint(n, "internet"), {}};
  for (const auto& x : through) q.waypoints.through.push_back(graph::resolve_waypoint(n, x));
  for (const auto& x : not_through) q.waypoints.not_through.push_back(graph::resolve_waypoint(n, x));
  queries::Prover prover(n);
  return prover.reach(q);
}

bool passes(const std::vector<model::Hop>& hops, const std::string& id) {
  return std::any_of(hops.begin(), hops.end(), [&](const model::Hop& h) { return h.at == id; });
}

/** The witness replays through trace, hop for hop. */
void replays(const model::Network& n, const queries::ReachResult& r) {
  REQUIRE(r.verdict == Verdict::Reachable);
  const auto w = trace::walk(n, trace::Start::interface(*r.from_member), *r.packet);
  CHECK(w.disposition == r.disposition);
  CHECK(w.hops == r.path);
}

TEST_CASE("through: a packet whose own path passes the resource, not the shortest one", "[waypoints]") {
  const auto n = two_exits(false);
  const auto plain = ask(n, {}, {});
  replays(n, plain);
  CHECK_FALSE(passes(plain.path, "nat-1"));  // the shortest way is the direct one
  const auto r = ask(n, {"nat-1"}, {});
  replays(n, r);
  CHECK(passes(r.path, "nat-1"));
  CHECK(r.through == std::vector<std::string>{"nat-1"});
  // Through the NAT gateway's subnet works the same; through its ENI too.
  CHECK(passes(ask(n, {"subnet-pub"}, {}).path, "nat-1"));
}

TEST_CASE("not through: a packet that avoids the resource, or a proof that none does", "[waypoints]") {
  const auto open = two_exits(false);
  const auto r = ask(open, {}, {"nat-1"});
  replays(open, r);
  CHECK_FALSE(passes(r.path, "nat-1"));
  CHECK(Ipv4Prefix::parse("1.2.3.0/24")->contains(r.packet->dst_ip));

  // Every packet that gets out passes nat-1: a proof over every packet and path, while a plain
  // question (and --through nat-1) still finds a way out.
  const auto closed = two_exits(true);
  const auto proof = ask(closed, {}, {"nat-1"});
  CHECK(proof.verdict == Verdict::Unreachable);
  CHECK(proof.assumptions.empty());
  CHECK(ask(closed, {}, {}).verdict == Verdict::Reachable);
  replays(closed, ask(closed, {"nat-1"}, {}));
  // Avoiding the internet gateway leaves nothing: every way out ends there.
  CHECK(ask(open, {}, {"igw-1"}).verdict == Verdict::Unreachable);
  // Through one and avoiding the other at once: nat-1 without subnet-pub is impossible.
  CHECK(ask(open, {"nat-1"}, {"subnet-pub"}).verdict == Verdict::Unreachable);
}

TEST_CASE("why-not of a --not-through question names no way through the avoided resource", "[waypoints]") {
  const auto n = two_exits(true);
  queries::ReachQuery q{model::resolve_endpoint(n, "eni-host"), model::resolve_endpoint(n, "internet"), {}};
  q.waypoints.not_through.push_back(graph::resolve_waypoint(n, "nat-1"));
  queries::Prover prover(n);
  const auto r = queries::reach_with_why_not(prover, q);
  REQUIRE(r.verdict == Verdict::Unreachable);
  REQUIRE_FALSE(r.reasons.empty());
  for (const auto& reason : r.reasons) {
    CHECK(reason.at != "nat-1");
    for (const auto& v : reason.path) CHECK(v.find("nat-1") == std::string::npos);
  }
  // What stops the direct way is the NACL's deny of 1.2.3.0/24.
  CHECK(std::any_of(r.reasons.begin(), r.reasons.end(),
                    [](const queries::Reason& x) { return x.step == "nacl-egress"; }));
}

TEST_CASE("hub-and-spoke: every spoke packet to the internet passes inspection and egress",
          "[waypoints][tgw]") {
  const auto n = aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/examples/hub-and-spoke");
  queries::Prover prover(n);
  auto q = [&](const char* from, const char* to) {
    return queries::ReachQuery{model::resolve_endpoint(n, from), model::resolve_endpoint(n, to), {}};
  };
  for (const char* avoided : {"vpc-0inspect000000001", "eni-0firewall00000001",
                              "tgw-attach-0inspect000000001", "tag:Segment=inspection"}) {
    INFO(avoided);
    auto x = q("vpc-0sp0ke1000000001", "internet");
    x.waypoints.not_through.push_back(graph::resolve_waypoint(n, avoided));
    // A proof with nothing assumed: the paths that would need the firewall are not this question's.
    const auto r = prover.reach(x);
    CHECK(r.verdict == Verdict::Unreachable);
    CHECK(r.assumptions.empty());
  }
  for (const char* avoided : {"vpc-0egress0000000001", "nat-0egress0000000001"}) {
    INFO(avoided);
    auto x = q("vpc-0sp0ke1000000001", "internet");
    x.waypoints.not_through.push_back(graph::resolve_waypoint(n, avoided));
    // Here the traffic meets the firewall first, and what an appliance does is assumed.
    const auto r = prover.reach(x);
    CHECK(r.verdict == Verdict::Unknown);
    CHECK(r.if_assumed == Verdict::Unreachable);
    x.assume = model::AssumptionPolicy::OpaqueDrops;
    CHECK(prover.reach(x).verdict == Verdict::Unreachable);
  }
  auto x = q("vpc-0sp0ke1000000001", "i-0shared0api0000001");
  x.waypoints.through.push_back(graph::resolve_waypoint(n, "eni-0firewall00000001"));
  const auto r = prover.reach(x);
  REQUIRE(r.verdict == Verdict::Reachable);
  CHECK(passes(r.path, "eni-0firewall00000001"));
  const auto w = trace::walk(n, trace::Start::interface(*r.from_member), *r.packet);
  CHECK(w.hops == r.path);
}

}  // namespace
}  // namespace vpcprove
