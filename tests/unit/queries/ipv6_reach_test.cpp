// SPDX-License-Identifier: Apache-2.0
// reach over both families on a dual-stack network (tests/support/dual_stack_network.h): one
// question covers IPv4 and IPv6 unless it names one, and every witness replays through trace.
#include <catch2/catch.hpp>

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

}  // namespace
}  // namespace vpcprove
