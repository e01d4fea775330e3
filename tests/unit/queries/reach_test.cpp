// SPDX-License-Identifier: Apache-2.0
// reach on the primer network (examples/primer/README.md): every fact, every witness replayed.
#include "queries/reach.h"

#include <catch2/catch.hpp>

#include "aws/load.h"
#include "model/endpoint.h"
#include "tests/support/network_builder.h"
#include "tests/support/test_paths.h"
#include "trace/trace.h"

namespace vpcprove {
namespace {

using queries::HeaderSpace;
using queries::Semantics;
using queries::Verdict;

const char* kWeb = "eni-0c4d941a10da0333c";
const char* kApp = "eni-02d8722b580a174f6";
const char* kDb = "eni-048dd1e45e6cc4df4";

const model::Network& primer() {
  static const model::Network n = aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/examples/primer");
  return n;
}

HeaderSpace tcp(std::uint16_t lo, std::uint16_t hi) {
  HeaderSpace h;
  h.protocol = model::kTcp;
  h.dst_ports = PortRange{lo, hi};
  return h;
}

queries::ReachResult ask(const std::string& from, const std::string& to, const HeaderSpace& h,
                         Semantics s = Semantics::Packet) {
  static queries::Prover prover(primer());
  const auto& n = primer();
  return prover.reach({model::resolve_endpoint(n, from), model::resolve_endpoint(n, to), h, s, 0});
}

/** Every witness replays through trace: same disposition, same hops. */
void replays(const queries::ReachResult& r) {
  REQUIRE(r.verdict == Verdict::Reachable);
  const auto start =
      *r.from_member == "internet" ? trace::Start::internet() : trace::Start::interface(*r.from_member);
  const auto w = trace::walk(primer(), start, *r.packet);
  CHECK(w.disposition == r.disposition);
  CHECK(w.hops == r.path);
  if (w.disposition == model::Disposition::Delivered) CHECK(w.endpoint == *r.to_member);
}

TEST_CASE("primer 1: the internet reaches web on 443 and 80 through the IGW", "[queries][reach][primer]") {
  for (std::uint16_t port : {443, 80}) {
    const auto r = ask("internet", kWeb, tcp(port, port));
    replays(r);
    CHECK(r.path.front().step == "igw-ingress");
    CHECK(r.packet->dst_port == port);
  }
}

TEST_CASE("primer 2: ssh to web only from the office prefix", "[queries][reach][primer]") {
  HeaderSpace office = tcp(22, 22);
  office.src_ip = Ipv4Prefix::parse("203.0.113.0/24");
  replays(ask("internet", kWeb, office));
  HeaderSpace elsewhere = tcp(22, 22);
  elsewhere.src_ip = Ipv4Prefix::parse("8.0.0.0/8");
  const auto r = ask("internet", kWeb, elsewhere);
  REQUIRE(r.verdict == Verdict::Unreachable);
  REQUIRE_FALSE(r.reasons.empty());
  CHECK(r.reasons.front().code == "ENI_SG_RULES_MISMATCH");
}

TEST_CASE("primer 3: app reaches the internet through the NAT gateway, and back (session)",
          "[queries][reach][primer]") {
  const auto r = ask(kApp, "internet", tcp(443, 443), Semantics::Session);
  replays(r);
  bool nat = false;
  for (const auto& h : r.path) nat = nat || h.step == "nat";
  CHECK(nat);
  REQUIRE(r.session);
  CHECK(r.session->established);
}

TEST_CASE("primer 4: the internet cannot reach app or db on any protocol or port",
          "[queries][reach][primer]") {
  for (const char* to : {kApp, kDb}) {
    const auto r = ask("internet", to, {});
    CHECK(r.verdict == Verdict::Unreachable);
    CHECK_FALSE(r.reasons.empty());
  }
}

TEST_CASE("primer 5: db accepts 5432 from app only; the session needs an ephemeral source port",
          "[queries][reach][primer]") {
  replays(ask(kApp, kDb, tcp(5432, 5432)));
  const auto web = ask(kWeb, kDb, tcp(5432, 5432));
  REQUIRE(web.verdict == Verdict::Unreachable);
  CHECK(web.reasons.front().code == "SUBNET_ACL_RESTRICTION");
  CHECK(ask(kApp, kDb, tcp(0, 5431)).verdict == Verdict::Unreachable);
  HeaderSpace low = tcp(5432, 5432);
  low.src_ports = PortRange{0, 1023};
  CHECK(ask(kApp, kDb, low, Semantics::Packet).verdict == Verdict::Reachable);
  CHECK(ask(kApp, kDb, low, Semantics::Session).verdict == Verdict::Unreachable);
  const auto s = ask(kApp, kDb, tcp(5432, 5432), Semantics::Session);
  replays(s);
  CHECK(s.packet->src_port >= 1024);
}

TEST_CASE("primer 6: db has no way out of the VPC (no route)", "[queries][reach][primer]") {
  const auto r = ask(kDb, "8.8.8.8", {});
  REQUIRE(r.verdict == Verdict::Unreachable);
  CHECK(r.reasons.front().code == "NO_ROUTE_TO_DESTINATION");
  CHECK(ask(kDb, "internet", {}).verdict == Verdict::Unreachable);
}

TEST_CASE("primer 7: web reaches app on 8080 and nothing else", "[queries][reach][primer]") {
  replays(ask(kWeb, kApp, tcp(8080, 8080)));
  CHECK(ask(kWeb, kApp, tcp(0, 8079)).verdict == Verdict::Unreachable);
  CHECK(ask(kWeb, kApp, tcp(8081, 65535)).verdict == Verdict::Unreachable);
}

TEST_CASE("primer 8: nothing is delivered to the stopped instance's address", "[queries][reach][primer]") {
  CHECK(ask(kWeb, "10.0.2.31", {}).verdict == Verdict::Unreachable);
}

TEST_CASE("sets are existential and the witness names both members", "[queries][reach][sets]") {
  const auto r = ask("vpc-0af3841a0ca2bbffe", "subnet-054278e8b2caec359", tcp(5432, 5432));
  replays(r);
  CHECK(*r.from_member == kApp);
  CHECK(*r.to_member == kDb);
}

TEST_CASE("an unreachable answer through an unmodelled gateway lists it as an assumption",
          "[queries][reach][assumptions]") {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.opaque_gateway("tgw-1", {"vpc-1"});
  b.route_table("rtb-1", "vpc-1").route("0.0.0.0/0", "tgw-1");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24").route_table("rtb-1");
  b.sg("sg-1", "vpc-1").egress_all();
  b.eni("eni-1", "subnet-a", {"10.0.1.5"}).groups({"sg-1"});
  const auto n = b.build();
  queries::Prover p(n);
  const auto r = p.reach({model::resolve_endpoint(n, "eni-1"),
                          model::resolve_endpoint(n, "internet"),
                          {},
                          Semantics::Packet,
                          0,
                          model::AssumptionPolicy::OpaqueDrops});
  REQUIRE(r.verdict == Verdict::Unreachable);
  REQUIRE(r.assumptions.size() == 1);
  CHECK(r.assumptions[0].id == "tgw-1");
  CHECK(r.assumptions[0].kind == "transit-gateway");
  CHECK_FALSE(r.if_assumed);

  SECTION("without --assume opaque-drops the proof is unknown, with the verdict under the assumption") {
    const auto u = p.reach({model::resolve_endpoint(n, "eni-1"),
                            model::resolve_endpoint(n, "internet"),
                            {},
                            Semantics::Packet,
                            0});
    REQUIRE(u.verdict == Verdict::Unknown);
    REQUIRE(u.if_assumed);
    CHECK(*u.if_assumed == Verdict::Unreachable);
    CHECK(u.assumptions == r.assumptions);
    CHECK(u.unknown_reason.find("tgw-1") != std::string::npos);
  }
}

TEST_CASE(
    "the builder's route to a missing target and rule naming a missing prefix list are the converter's "
    "missing references",
    "[queries][reach][assumptions]") {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.route_table("rtb-1", "vpc-1").route_to_missing("0.0.0.0/0", "igw-9");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24").route_table("rtb-1");
  b.sg("sg-1", "vpc-1").egress_all().ingress_tcp(22, "pl-9");
  b.eni("eni-1", "subnet-a", {"10.0.1.5"}).groups({"sg-1"});
  const auto n = b.build();
  REQUIRE(n.opaque_gateways.count("igw-9"));
  CHECK(n.opaque_gateways.at("igw-9").missing);
  CHECK(n.opaque_gateways.at("igw-9").kind == model::RouteTargetKind::InternetGateway);
  CHECK(n.route_tables.at("rtb-1").routes.back().target_kind == model::RouteTargetKind::Other);
  CHECK(n.security_groups.at("sg-1").ingress.at(0).peer_prefixes.empty());
  const auto w = trace::walk(n, trace::Start::interface("eni-1"), testing::packet("10.0.1.5", "8.8.8.8"));
  CHECK(w.disposition == model::Disposition::ExitsUnmodelled);
  CHECK(w.endpoint == "igw-9");
  queries::Prover p(n);
  const auto out = p.reach({model::resolve_endpoint(n, "eni-1"),
                            model::resolve_endpoint(n, "internet"),
                            {},
                            Semantics::Packet,
                            0,
                            model::AssumptionPolicy::OpaqueDrops});
  CHECK(out.verdict == Verdict::Unreachable);
  REQUIRE(out.assumptions.size() == 1);
  CHECK(out.assumptions[0].id == "igw-9");
  CHECK(out.assumptions[0].kind == "missing-route-target");
  const auto in = p.reach({model::resolve_endpoint(n, "internet"),
                           model::resolve_endpoint(n, "eni-1"),
                           {},
                           Semantics::Packet,
                           0,
                           model::AssumptionPolicy::OpaqueDrops});
  CHECK(in.verdict == Verdict::Unreachable);
  REQUIRE(in.assumptions.size() == 1);
  CHECK(in.assumptions[0].id == "sg-1/ingress/0");
  CHECK(in.assumptions[0].kind == "missing-prefix-list");
}

TEST_CASE("a proof that meets no assumption stays a proof and lists none", "[queries][reach][assumptions]") {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.opaque_gateway("tgw-1", {"vpc-1"});
  b.route_table("rtb-1", "vpc-1").route("192.168.0.0/16", "tgw-1");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24").route_table("rtb-1");
  b.sg("sg-1", "vpc-1").egress_all();
  b.eni("eni-1", "subnet-a", {"10.0.1.5"}).groups({"sg-1"});
  const auto n = b.build();
  queries::Prover p(n);
  // Only traffic to 192.168.0.0/16 meets the gateway; this question asks about 8.8.8.8.
  const auto r = p.reach(
      {model::resolve_endpoint(n, "eni-1"), model::resolve_endpoint(n, "8.8.8.8"), {}, Semantics::Packet, 0});
  CHECK(r.verdict == Verdict::Unreachable);
  CHECK(r.assumptions.empty());
  CHECK_FALSE(r.if_assumed);
}

}  // namespace
}  // namespace vpcprove

namespace vpcprove {
namespace {

TEST_CASE("with ingress routing, the edge table's local route delivers from the internet (seed 100810)",
          "[queries][reach][edge]") {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.1.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.subnet("subnet-11", "vpc-1", "10.1.1.0/24");
  b.subnet("subnet-13", "vpc-1", "10.1.3.0/24");
  b.sg("sg-1", "vpc-1").ingress(testing::icmp(8), "203.0.113.0/24").egress_all();
  b.eni("eni-111", "subnet-11", {"10.1.1.11"}).groups({"sg-1"});
  b.eni("eni-131", "subnet-13", {"10.1.3.11"}).public_ip("54.1.1.21").groups({"sg-1"});
  b.route_table("rtb-edge", "vpc-1").edge("igw-1").route("10.1.1.0/24", "eni-111");
  const auto n = b.build();
  queries::Prover p(n);
  HeaderSpace h;
  h.protocol = model::kIcmp;
  const auto r = p.reach({model::resolve_endpoint(n, "internet"), model::resolve_endpoint(n, "eni-131"), h,
                          Semantics::Packet, 0});
  REQUIRE(r.verdict == Verdict::Reachable);
  const auto w = trace::walk(n, trace::Start::internet(), *r.packet);
  CHECK(w.disposition == model::Disposition::Delivered);
  CHECK(w.hops == r.path);
  CHECK(r.path.at(1).by == "10.1.0.0/16 -> local");
}

}  // namespace
}  // namespace vpcprove

namespace vpcprove {
namespace {

/**
 * Two subnets, three ENIs each with the same group: each subnet's ENIs form one behaviour
 * class. Only one source address (10.0.1.7) and one destination address (10.0.2.9) are let
 * through, neither of them a class's first (representative) member.
 */
model::Network classes_network() {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.nacl("acl-a", "vpc-1").allow_in(100, testing::any_l4()).allow_out(100, testing::any_l4(), "10.0.2.9/32");
  b.nacl("acl-b", "vpc-1").allow_in(100, testing::any_l4()).allow_out(100, testing::any_l4());
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24").nacl("acl-a");
  b.subnet("subnet-b", "vpc-1", "10.0.2.0/24").nacl("acl-b");
  b.sg("sg-src", "vpc-1").egress_all();
  b.sg("sg-dst", "vpc-1").ingress_tcp(5432, "10.0.1.7/32").egress_all();
  for (const auto& [id, addr] :
       {std::pair{"eni-a1", "10.0.1.5"}, {"eni-a2", "10.0.1.6"}, {"eni-a3", "10.0.1.7"}})
    b.eni(id, "subnet-a", {addr}).groups({"sg-src"});
  for (const auto& [id, addr] :
       {std::pair{"eni-b1", "10.0.2.5"}, {"eni-b2", "10.0.2.9"}, {"eni-b3", "10.0.2.6"}})
    b.eni(id, "subnet-b", {addr}).groups({"sg-dst"});
  return b.build();
}

TEST_CASE("a set question solved per behaviour class names the members the witness belongs to",
          "[queries][reach][sets][classes]") {
  const auto n = classes_network();
  queries::Prover p(n);
  model::Endpoint from{"subnet-a", {"eni-a1", "eni-a2", "eni-a3"}, false, std::nullopt};
  model::Endpoint to{"subnet-b", {"eni-b1", "eni-b2", "eni-b3"}, false, std::nullopt};
  const auto r = p.reach({from, to, tcp(5432, 5432), Semantics::Packet, 0});
  REQUIRE(r.verdict == Verdict::Reachable);
  CHECK(*r.from_member == "eni-a3");
  CHECK(*r.to_member == "eni-b2");
  const auto w = trace::walk(n, trace::Start::interface("eni-a3"), *r.packet);
  CHECK(w.disposition == model::Disposition::Delivered);
  CHECK(w.endpoint == "eni-b2");
  CHECK(w.hops == r.path);
}

TEST_CASE("a behaviour class proves unreachability for every member, not just its representative",
          "[queries][reach][sets][classes]") {
  const auto n = classes_network();
  queries::Prover p(n);
  // Without eni-a3 no source is allowed; without eni-b2 no destination is.
  model::Endpoint some_sources{"a1,a2", {"eni-a1", "eni-a2"}, false, std::nullopt};
  model::Endpoint all_sources{"subnet-a", {"eni-a1", "eni-a2", "eni-a3"}, false, std::nullopt};
  model::Endpoint some_targets{"b1,b3", {"eni-b1", "eni-b3"}, false, std::nullopt};
  model::Endpoint all_targets{"subnet-b", {"eni-b1", "eni-b2", "eni-b3"}, false, std::nullopt};
  CHECK(p.reach({some_sources, all_targets, tcp(5432, 5432), Semantics::Packet, 0}).verdict ==
        Verdict::Unreachable);
  CHECK(p.reach({all_sources, some_targets, tcp(5432, 5432), Semantics::Packet, 0}).verdict ==
        Verdict::Unreachable);
  CHECK(p.reach({all_sources, all_targets, tcp(5433, 5433), Semantics::Packet, 0}).verdict ==
        Verdict::Unreachable);
}

}  // namespace
}  // namespace vpcprove

namespace vpcprove {
namespace {

/** A private subnet whose default route goes to an appliance (a NAT instance) in a public one. */
model::Network appliance_network() {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1");
  b.route_table("rtb-priv", "vpc-1").route("0.0.0.0/0", "eni-nat");
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub");
  b.subnet("subnet-priv", "vpc-1", "10.0.2.0/24").route_table("rtb-priv");
  b.sg("sg-nat", "vpc-1").ingress_all("10.0.0.0/16").egress_all();
  b.sg("sg-app", "vpc-1").egress_all();
  b.eni("eni-nat", "subnet-pub", {"10.0.1.10"})
      .groups({"sg-nat"})
      .source_dest_check(false)
      .public_ip("54.0.0.10");
  b.eni("eni-app", "subnet-priv", {"10.0.2.10"}).groups({"sg-app"});
  b.eni("eni-pub", "subnet-pub", {"10.0.1.20"}).groups({"sg-app"}).public_ip("54.0.0.20");
  return b.build();
}

TEST_CASE("a proof whose traffic an appliance forwards is unknown, naming it; opaque-drops gives the proof",
          "[queries][reach][assumptions][appliance]") {
  const auto n = appliance_network();
  queries::Prover p(n);
  // Forwarded unchanged, 10.0.2.10 has no public IP and the gateway drops it; a NAT instance
  // would rewrite the source to 10.0.1.10, which has one: AWS delivers.
  const queries::ReachQuery q{model::resolve_endpoint(n, "eni-app"),
                              model::resolve_endpoint(n, "internet"),
                              {},
                              Semantics::Packet,
                              0};
  const auto r = p.reach(q);
  REQUIRE(r.verdict == Verdict::Unknown);
  REQUIRE(r.if_assumed);
  CHECK(*r.if_assumed == Verdict::Unreachable);
  REQUIRE(r.assumptions.size() == 1);
  CHECK(r.assumptions[0].id == "eni-nat");
  CHECK(r.assumptions[0].kind == "appliance");

  auto accepted = q;
  accepted.assume = model::AssumptionPolicy::OpaqueDrops;
  const auto a = p.reach(accepted);
  CHECK(a.verdict == Verdict::Unreachable);
  CHECK(a.assumptions == r.assumptions);
}

TEST_CASE("a witness through an appliance is reachable and lists it",
          "[queries][reach][assumptions][appliance]") {
  const auto n = appliance_network();
  queries::Prover p(n);
  // eni-app -> 10.0.1.20 is local; to reach eni-pub's public address it goes out by the appliance.
  const auto r = p.reach({model::resolve_endpoint(n, "eni-app"),
                          model::resolve_endpoint(n, "eni-nat"),
                          {},
                          Semantics::Packet,
                          0});
  REQUIRE(r.verdict == Verdict::Reachable);
  CHECK(r.assumptions.empty());  // delivered to the appliance itself: nothing forwarded

  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.route_table("rtb-a", "vpc-1").route("10.0.3.0/24", "eni-fw");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24").route_table("rtb-a");
  b.subnet("subnet-b", "vpc-1", "10.0.2.0/24");
  b.subnet("subnet-c", "vpc-1", "10.0.3.0/24");
  b.sg("sg-open", "vpc-1").ingress_all().egress_all();
  b.eni("eni-a", "subnet-a", {"10.0.1.10"}).groups({"sg-open"});
  b.eni("eni-fw", "subnet-b", {"10.0.2.10"}).groups({"sg-open"}).source_dest_check(false);
  b.eni("eni-c", "subnet-c", {"10.0.3.10"}).groups({"sg-open"});
  const auto m = b.build();
  queries::Prover q(m);
  const auto w = q.reach(
      {model::resolve_endpoint(m, "eni-a"), model::resolve_endpoint(m, "eni-c"), {}, Semantics::Packet, 0});
  REQUIRE(w.verdict == Verdict::Reachable);
  REQUIRE(w.assumptions.size() == 1);
  CHECK(w.assumptions[0].id == "eni-fw");
  CHECK(w.assumptions[0].kind == "appliance");
}

TEST_CASE("IPv6 is encoded, not assumed: an ENI's IPv6 rule is proved open, no assumption named",
          "[queries][reach][assumptions][ipv6]") {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16").ipv6("2600:1f18::/56");
  b.igw("igw-1", "vpc-1");
  b.route_table("rtb-1", "vpc-1").route("0.0.0.0/0", "igw-1").route("::/0", "igw-1");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24").ipv6("2600:1f18:0:1::/64").route_table("rtb-1");
  b.sg("sg-1", "vpc-1").ingress_tcp(22, "::/0").egress_all().egress_all("::/0");
  b.eni("eni-v6", "subnet-a", {"10.0.1.10"})
      .groups({"sg-1"})
      .public_ip("54.0.0.10")
      .ipv6({"2600:1f18:0:1::10"});
  b.eni("eni-v4", "subnet-a", {"10.0.1.11"}).groups({"sg-1"}).public_ip("54.0.0.11");
  const auto n = b.build();
  queries::Prover p(n);
  auto ask = [&](const char* from, const char* to) {
    return p.reach(
        {model::resolve_endpoint(n, from), model::resolve_endpoint(n, to), {}, Semantics::Packet, 0});
  };
  const auto v6 = ask("internet", "eni-v6");
  REQUIRE(v6.verdict == Verdict::Reachable);
  CHECK(v6.packet->is_ipv6());
  CHECK(v6.packet->dst_port == 22);
  CHECK(v6.assumptions.empty());
  // eni-v4 has no IPv6 address and no IPv4 rule admits anything: a proof, resting on nothing.
  const auto v4 = ask("internet", "eni-v4");
  CHECK(v4.verdict == Verdict::Unreachable);
  CHECK(v4.assumptions.empty());
}

}  // namespace
}  // namespace vpcprove
