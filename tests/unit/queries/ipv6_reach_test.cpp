// SPDX-License-Identifier: Apache-2.0
// reach over both families on a dual-stack network (tests/support/dual_stack_network.h): one
// question covers IPv4 and IPv6 unless it names one, and every witness replays through trace.
#include <catch2/catch.hpp>

#include "graph/waypoints.h"
#include "model/endpoint.h"
#include "queries/reach.h"
#include "tests/support/dual_stack_network.h"
#include "trace/trace.h"

namespace vpcprove {
namespace {

using queries::HeaderSpace;
using queries::Semantics;
using queries::Verdict;

const model::Network& network() {
  static const model::Network n = testing::dual_stack().build();
  return n;
}

HeaderSpace tcp(std::uint16_t port, std::optional<int> ip_version = std::nullopt) {
  HeaderSpace h;
  h.protocol = model::kTcp;
  h.dst_ports = PortRange{port, port};
  h.ip_version = ip_version;
  return h;
}

queries::ReachResult ask(const std::string& from, const std::string& to, const HeaderSpace& h,
                         Semantics s = Semantics::Packet) {
  static queries::Prover prover(network());
  const auto& n = network();
  return prover.reach({model::resolve_endpoint(n, from), model::resolve_endpoint(n, to), h, s, 0});
}

/** The witness replays through trace: same disposition and hops (and, for a session, the reply). */
void replays(const queries::ReachResult& r, Semantics s = Semantics::Packet) {
  REQUIRE(r.verdict == Verdict::Reachable);
  const auto start =
      *r.from_member == "internet" ? trace::Start::internet() : trace::Start::interface(*r.from_member);
  const auto w = trace::walk(network(), start, *r.packet);
  CHECK(w.disposition == r.disposition);
  CHECK(w.hops == r.path);
  if (s == Semantics::Session) CHECK(trace::walk_session(network(), start, *r.packet).established);
}

TEST_CASE("a question covers both families: SSH open to ::/0 only is reached over IPv6",
          "[queries][reach][ipv6]") {
  const auto r = ask("internet", "eni-web", tcp(22));
  replays(r);
  CHECK(r.packet->is_ipv6());
  CHECK(r.packet->dst_ip6 == *parse_ipv6("2600:1f18:1:1::20"));
  CHECK(r.path.front().at == "igw-1");
  CHECK(r.assumptions.empty());
  // Named family: IPv6 still, IPv4 proved unreachable by sg-web.
  replays(ask("internet", "eni-web", tcp(22, 6)));
  const auto v4 = ask("internet", "eni-web", tcp(22, 4));
  CHECK(v4.verdict == Verdict::Unreachable);
}

TEST_CASE("an egress-only gateway keeps new connections out, IPv6 included", "[queries][reach][ipv6]") {
  // eni-worker's group admits every IPv6 source: only the gateway refuses.
  HeaderSpace any;
  const auto r = ask("internet", "eni-worker", any);
  CHECK(r.verdict == Verdict::Unreachable);
  CHECK(r.assumptions.empty());
}

TEST_CASE("out through an egress-only gateway, with its reply (session)", "[queries][reach][ipv6]") {
  const auto r = ask("eni-worker", "internet", tcp(443), Semantics::Session);
  replays(r, Semantics::Session);
  CHECK(r.packet->is_ipv6());
  bool eigw = false;
  for (const auto& h : r.path) eigw = eigw || (h.at == "eigw-2" && h.step == "igw-egress");
  CHECK(eigw);
  // No IPv4 route leaves vpc-2.
  CHECK(ask("eni-worker", "internet", tcp(443, 4)).verdict == Verdict::Unreachable);
}

TEST_CASE("IPv6 between ENIs by the local IPv6 route, groups by reference", "[queries][reach][ipv6]") {
  // sg-app admits 8080 from sg-web's members, whose IPv6 addresses count too.
  const auto r = ask("eni-web", "eni-app", tcp(8080, 6));
  replays(r);
  CHECK(r.packet->src_ip6 == *parse_ipv6("2600:1f18:1:1::20"));
  CHECK(r.packet->dst_ip6 == *parse_ipv6("2600:1f18:1:2::30"));
  CHECK(ask("eni-web", "eni-app", tcp(22)).verdict == Verdict::Unreachable);
}

TEST_CASE("an IPv6 network reached over IPv6 from outside its VPC has an IPv6 internet source",
          "[queries][reach][ipv6]") {
  HeaderSpace h = tcp(443, 6);
  const auto r = ask("internet", "eni-web", h);
  replays(r);
  CHECK(is_internet6(r.packet->src_ip6));
  // A source restricted to an IPv6 prefix outside 2000::/3 is no internet host.
  h.src_ip6 = Ipv6Prefix::parse("fc00::/7");
  CHECK(ask("internet", "eni-web", h).verdict == Verdict::Unreachable);
}

/**
 * vpc-1 (10.0.0.0/16, 2600:1f18:1::/56), no gateway: subnet-a's only route to subnet-c's /64 is an
 * IPv6 route to the appliance eni-fw (source/destination check off) in subnet-b, whose table
 * sends 2001:db8::/32 to eni-fw again. No IPv4 route names eni-fw.
 */
model::Network ipv6_appliance_network() {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16").ipv6("2600:1f18:1::/56");
  b.route_table("rtb-a", "vpc-1").route("2600:1f18:1:3::/64", "eni-fw").route("2001:db8::/32", "eni-fw");
  b.route_table("rtb-b", "vpc-1").route("2001:db8::/32", "eni-fw");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24").ipv6("2600:1f18:1:1::/64").route_table("rtb-a");
  b.subnet("subnet-b", "vpc-1", "10.0.2.0/24").ipv6("2600:1f18:1:2::/64").route_table("rtb-b");
  b.subnet("subnet-c", "vpc-1", "10.0.3.0/24").ipv6("2600:1f18:1:3::/64");
  b.sg("sg-open", "vpc-1").ingress_all("::/0").egress_all("::/0").ingress_all().egress_all();
  b.eni("eni-a", "subnet-a", {"10.0.1.10"}).ipv6({"2600:1f18:1:1::10"}).groups({"sg-open"});
  b.eni("eni-fw", "subnet-b", {"10.0.2.10"})
      .ipv6({"2600:1f18:1:2::10"})
      .groups({"sg-open"})
      .source_dest_check(false);
  b.eni("eni-c", "subnet-c", {"10.0.3.10"}).ipv6({"2600:1f18:1:3::10"}).groups({"sg-open"});
  return b.build();
}

TEST_CASE("a proof whose IPv6 traffic an appliance forwards names it, though only IPv6 routes reach it",
          "[queries][reach][assumptions][appliance][ipv6]") {
  // eni-a's IPv6 packets to the internet go to eni-fw, which forwards them to itself again
  // (ROUTING_LOOP in trace): the proof rests on eni-fw forwarding unchanged. It was missed when
  // only IPv4 routes were searched for appliances (found by the exhaustive tier, seed 1125).
  const auto n = ipv6_appliance_network();
  queries::Prover p(n);
  HeaderSpace h;
  h.ip_version = 6;
  const queries::ReachQuery q{model::resolve_endpoint(n, "eni-a"), model::resolve_endpoint(n, "internet"), h,
                              Semantics::Packet, 0};
  const auto r = p.reach(q);
  REQUIRE(r.verdict == Verdict::Unknown);
  REQUIRE(r.if_assumed);
  CHECK(*r.if_assumed == Verdict::Unreachable);
  REQUIRE(r.assumptions.size() == 1);
  CHECK(r.assumptions[0].id == "eni-fw");
  CHECK(r.assumptions[0].kind == "appliance");
}

TEST_CASE("a prover scoped to a question's ENIs follows an appliance only IPv6 routes name",
          "[queries][reach][appliance][ipv6]") {
  // The CLI's prover holds only the question's ENIs and those routes send traffic to; an
  // appliance only an IPv6 route names was left out, and the route then led nowhere real.
  const auto n = ipv6_appliance_network();
  HeaderSpace h;
  h.ip_version = 6;
  const queries::ReachQuery q{model::resolve_endpoint(n, "eni-a"), model::resolve_endpoint(n, "eni-c"), h,
                              Semantics::Packet, 0};
  queries::Prover scoped(n, {}, queries::eni_scope(n, q));
  queries::Prover every(n);
  for (auto* p : {&scoped, &every}) {
    const auto r = p->reach(q);
    REQUIRE(r.verdict == Verdict::Reachable);
    const auto w = trace::walk(n, trace::Start::interface("eni-a"), *r.packet);
    CHECK(w.disposition == model::Disposition::Delivered);
    CHECK(w.endpoint == "eni-c");
    CHECK(w.hops == r.path);
    REQUIRE(r.assumptions.size() == 1);
    CHECK(r.assumptions[0].id == "eni-fw");
  }
}

TEST_CASE("through an egress-only gateway (--through), which only IPv6 routes name",
          "[queries][reach][ipv6][waypoints]") {
  // eigw-2 is no internet gateway, peering or table: it is known as a route's target, an IPv6 one.
  const auto& n = network();
  auto q = queries::ReachQuery{model::resolve_endpoint(n, "eni-worker"),
                               model::resolve_endpoint(n, "internet"), tcp(443), Semantics::Packet, 0};
  q.waypoints.through.push_back(graph::resolve_waypoint(n, "eigw-2"));
  queries::Prover p(n);
  const auto r = p.reach(q);
  replays(r);
  CHECK(r.path.back().at == "eigw-2");
}

}  // namespace
}  // namespace vpcprove
