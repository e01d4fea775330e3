// SPDX-License-Identifier: Apache-2.0
// One network per reason code: each is the smallest snapshot (built like the converter builds
// one) on which an unreachable answer carries that code, with its place, direction and field.
#include <catch2/catch.hpp>

#include "model/drop_code.h"
#include "model/endpoint.h"
#include "model/hop_step.h"
#include "queries/explain.h"
#include "queries/reach.h"
#include "tests/support/network_builder.h"
#include "tests/support/random_network.h"

namespace vpcprove::queries {
namespace {

using testing::NetworkBuilder;
using testing::tcp;

/**
 * vpc-1 10.0.0.0/16 with igw-1. subnet-pub 10.0.1.0/24 routes 0.0.0.0/0 to igw-1 and holds
 * eni-web 10.0.1.20 (public 54.0.0.20, sg-web: in tcp 443 from anywhere, out all).
 */
NetworkBuilder base() {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1");
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub");
  b.eni("eni-web", "subnet-pub", {"10.0.1.20"}).public_ip("54.0.0.20").groups({"sg-web"});
  b.sg("sg-web", "vpc-1").ingress_tcp(443, "0.0.0.0/0").egress_all();
  b.sg("sg-all", "vpc-1").ingress_all().egress_all();
  return b;
}

struct Answer {
  ReachResult result;
  const Reason* with(const std::string& code) const {
    for (const auto& r : result.reasons) {
      if (r.code == code) return &r;
    }
    return nullptr;
  }
};

/** Each reason as one line, without what depends on the packet the solver's model picks (the
 *  "66.4.0.0" of "destination-ip 66.4.0.0"; the NACL entry that denies that packet): two Z3
 *  contexts may pick different packets. */
std::vector<std::string> lines_of(const std::vector<Reason>& reasons) {
  std::vector<std::string> out;
  for (const auto& r : reasons) {
    INFO(r.code);
    CHECK(model::parse_drop_code(r.code).has_value());  // one vocabulary (model/drop_code.h)
    // and model/hop_step.h; a reason may also be about the question itself or the reply.
    CHECK((model::parse_hop_step(r.step).has_value() || r.step == "query" || r.step == "reply"));
    const std::string field = r.field.substr(0, r.field.find(' '));
    out.push_back(r.from_member + '|' + std::to_string(r.way) + '|' + (r.first ? "first" : "then") + '|' +
                  r.at + '|' + r.step + '|' + r.code + '|' + r.direction + '|' + field);
  }
  return out;
}

/** The reasons three ways: reach_with_why_not (what the reach command prints), reach then
 *  add_why_not on the prover's context, and (when own_context) reach then why-not on a context
 *  of its own. Two provers, as a prover that deferred keeps no state a later reach could see. */
struct ThreeWays {
  ReachResult printed, on_prover, own_context;
};
ThreeWays three_ways(Prover& deferring, Prover& p, const ReachQuery& q, bool own_context = true) {
  ThreeWays t;
  t.printed = reach_with_why_not(deferring, q);
  t.on_prover = p.reach(q);
  t.own_context = t.on_prover;
  add_why_not(p, q, t.on_prover);
  if (own_context) add_why_not(p.graph().network(), p.graph(), q, t.own_context);
  return t;
}

/** Asks as reach does, and checks that the other two ways give the same reasons. */
Answer ask(const model::Network& n, const std::string& from, const std::string& to, HeaderSpace hs = {}) {
  const ReachQuery q{model::resolve_endpoint(n, from), model::resolve_endpoint(n, to), hs, Semantics::Packet,
                     0};
  Prover deferring(n), p(n);
  const ThreeWays t = three_ways(deferring, p, q);
  CHECK(lines_of(t.printed.reasons) == lines_of(t.on_prover.reasons));
  CHECK(lines_of(t.printed.reasons) == lines_of(t.own_context.reasons));
  return Answer{t.printed};
}

HeaderSpace tcp_port(std::uint16_t port) {
  HeaderSpace hs;
  hs.protocol = model::kTcp;
  hs.dst_ports = PortRange{port, port};
  return hs;
}

TEST_CASE("ENI_SG_RULES_MISMATCH names the group, ingress and the destination port", "[reasons]") {
  const auto a = ask(base().build(), "internet", "eni-web", tcp_port(22));
  REQUIRE(a.result.verdict == Verdict::Unreachable);
  const auto* r = a.with("ENI_SG_RULES_MISMATCH");
  REQUIRE(r);
  CHECK(r->at == "sg-web");
  CHECK(r->step == "sg-ingress");
  CHECK(r->direction == "ingress");
  CHECK(r->field == "destination-port 22");
  CHECK(r->first);
  CHECK(r->way == 1);
}

TEST_CASE("SG_HAS_NO_RULES when the ENI's groups have no rule in that direction", "[reasons]") {
  auto b = base();
  b.eni("eni-bare", "subnet-pub", {"10.0.1.21"}).public_ip("54.0.0.21").groups({"sg-empty"});
  b.sg("sg-empty", "vpc-1");
  const auto a = ask(b.build(), "internet", "eni-bare");
  REQUIRE(a.result.verdict == Verdict::Unreachable);
  const auto* r = a.with("SG_HAS_NO_RULES");
  REQUIRE(r);
  CHECK(r->at == "sg-empty");
  CHECK(r->field.empty());  // no single field would help: nothing passes
}

TEST_CASE("SUBNET_ACL_RESTRICTION names the deny entry that decides", "[reasons]") {
  auto b = base();
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub").nacl("acl-pub");
  b.nacl("acl-pub", "vpc-1")
      .deny_in(50, tcp(443))
      .allow_in(100, testing::any_l4())
      .allow_out(100, testing::any_l4());
  const auto a = ask(b.build(), "internet", "eni-web", tcp_port(443));
  REQUIRE(a.result.verdict == Verdict::Unreachable);
  const auto* r = a.with("SUBNET_ACL_RESTRICTION");
  REQUIRE(r);
  CHECK(r->at == "acl-pub");
  CHECK(r->step == "nacl-ingress");
  CHECK(r->rule == "acl-pub rule 50 deny (tcp 443 0.0.0.0/0)");
  CHECK(r->field == "destination-port 443");
}

TEST_CASE("a way lists the first component that stops it and every later one that also would", "[reasons]") {
  auto b = base();
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub").nacl("acl-pub");
  b.nacl("acl-pub", "vpc-1")
      .deny_in(50, tcp(22))
      .allow_in(100, testing::any_l4())
      .allow_out(100, testing::any_l4());
  const auto a = ask(b.build(), "internet", "eni-web", tcp_port(22));
  REQUIRE(a.result.verdict == Verdict::Unreachable);
  REQUIRE(a.result.reasons.size() >= 2);
  CHECK(a.result.reasons[0].code == "SUBNET_ACL_RESTRICTION");
  CHECK(a.result.reasons[0].first);
  CHECK(a.result.reasons[1].code == "ENI_SG_RULES_MISMATCH");
  CHECK_FALSE(a.result.reasons[1].first);
  CHECK(a.result.reasons[1].way == a.result.reasons[0].way);
}

TEST_CASE("NO_ROUTE_TO_DESTINATION where the subnet's table has no route for it", "[reasons]") {
  auto b = base();
  b.route_table("rtb-iso", "vpc-1");
  b.subnet("subnet-iso", "vpc-1", "10.0.2.0/24").route_table("rtb-iso");
  b.eni("eni-iso", "subnet-iso", {"10.0.2.5"}).groups({"sg-all"});
  const auto a = ask(b.build(), "eni-iso", "internet", tcp_port(443));
  REQUIRE(a.result.verdict == Verdict::Unreachable);
  const auto* r = a.with("NO_ROUTE_TO_DESTINATION");
  REQUIRE(r);
  CHECK(r->at == "rtb-iso");
}

TEST_CASE("MORE_SPECIFIC_ROUTE when a longer prefix sends the destination elsewhere", "[reasons]") {
  auto b = base();
  b.opaque_gateway("tgw-1", {"vpc-1"});
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1").route("8.8.8.0/24", "tgw-1");
  HeaderSpace hs = tcp_port(443);
  hs.dst_ip = testing::prefix("8.8.8.8/32");
  const auto a = ask(b.build(), "eni-web", "internet", hs);
  // The transit gateway is not followed: the proof rests on it, and the reasons are those it
  // would have under that assumption.
  REQUIRE(a.result.verdict == Verdict::Unknown);
  REQUIRE(a.result.if_assumed == Verdict::Unreachable);
  const auto* r = a.with("MORE_SPECIFIC_ROUTE");
  REQUIRE(r);
  CHECK(r->at == "rtb-pub");
  CHECK(r->field == "destination-ip 8.8.8.8");
  CHECK(r->rule.find("8.8.8.0/24 -> tgw-1") != std::string::npos);
}

TEST_CASE("BAD_STATE_ROUTE when a blackhole route takes the destination", "[reasons]") {
  auto b = base();
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1").blackhole("9.9.9.0/24", "igw-old");
  HeaderSpace hs = tcp_port(443);
  hs.dst_ip = testing::prefix("9.9.9.9/32");
  const auto a = ask(b.build(), "eni-web", "internet", hs);
  REQUIRE(a.result.verdict == Verdict::Unreachable);
  const auto* r = a.with("BAD_STATE_ROUTE");
  REQUIRE(r);
  CHECK(r->at == "rtb-pub");
}

TEST_CASE("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS for an ENI with no public IP", "[reasons]") {
  auto b = base();
  b.eni("eni-priv", "subnet-pub", {"10.0.1.30"}).groups({"sg-web"});
  const auto a = ask(b.build(), "internet", "eni-priv", tcp_port(443));
  REQUIRE(a.result.verdict == Verdict::Unreachable);
  const auto* r = a.with("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS");
  REQUIRE(r);
  CHECK(r->at == "eni-priv");
  CHECK(r->direction == "ingress");
}

TEST_CASE("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS for a sender with no public IP", "[reasons]") {
  auto b = base();
  b.eni("eni-priv", "subnet-pub", {"10.0.1.30"}).groups({"sg-web"});
  const auto a = ask(b.build(), "eni-priv", "internet", tcp_port(443));
  REQUIRE(a.result.verdict == Verdict::Unreachable);
  const auto* r = a.with("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
  REQUIRE(r);
  CHECK(r->at == "igw-1");
  CHECK(r->direction == "egress");
  CHECK(r->field == "source-ip 10.0.1.30");
}

TEST_CASE("IGW_DESTINATION_NOT_PUBLIC for a public sender to an address the internet does not route",
          "[reasons]") {
  const auto a = ask(base().build(), "eni-web", "192.168.5.5/32", tcp_port(443));
  REQUIRE(a.result.verdict == Verdict::Unreachable);
  const auto* r = a.with("IGW_DESTINATION_NOT_PUBLIC");
  REQUIRE(r);
  CHECK(r->at == "igw-1");
  CHECK(r->field == "destination-ip 192.168.5.5");
}

TEST_CASE("a sender with no public IP to a private address: the gateway's source check decides, as in trace",
          "[reasons]") {
  // Both fail for every packet; the gateway checks the source first (docs/semantics.md), so the
  // code is trace's, and the rule says the destination would fail too.
  auto b = base();
  b.eni("eni-priv", "subnet-pub", {"10.0.1.30"}).groups({"sg-web"});
  const auto a = ask(b.build(), "eni-priv", "192.168.5.5/32", tcp_port(443));
  REQUIRE(a.result.verdict == Verdict::Unreachable);
  REQUIRE_FALSE(a.with("IGW_DESTINATION_NOT_PUBLIC"));
  const auto* r = a.with("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
  REQUIRE(r);
  CHECK(r->at == "igw-1");
  CHECK(r->field.empty());  // neither field alone would let a packet through
  CHECK(r->rule == "the source has no public or Elastic IP, nor is the destination an internet address");
}

TEST_CASE("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR when the peering does not carry the destination", "[reasons]") {
  auto b = base();
  b.vpc("vpc-2", "10.1.0.0/16");
  b.subnet("subnet-b", "vpc-2", "10.1.1.0/24");
  b.eni("eni-b", "subnet-b", {"10.1.1.5"}).groups({"sg-b"});
  b.sg("sg-b", "vpc-2").ingress_all().egress_all();
  b.peering("pcx-1", "vpc-1", "vpc-2").accepter_cidrs({"10.1.2.0/24"});
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1").route("10.1.0.0/16", "pcx-1");
  const auto a = ask(b.build(), "eni-web", "eni-b", tcp_port(443));
  REQUIRE(a.result.verdict == Verdict::Unreachable);
  for (const auto& x : a.result.reasons)
    UNSCOPED_INFO(x.way << " " << x.at << " " << x.step << " " << x.code << " " << x.field);
  const auto* r = a.with("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR");
  REQUIRE(r);
  CHECK(r->at == "pcx-1");
}

TEST_CASE("ENI_SOURCE_DEST_CHECK_RESTRICTION when a route points at an ENI that checks", "[reasons]") {
  auto b = base();
  b.eni("eni-fw", "subnet-pub", {"10.0.1.40"}).public_ip("54.0.0.40").groups({"sg-all"});
  b.route_table("rtb-app", "vpc-1").route("0.0.0.0/0", "eni-fw");
  b.subnet("subnet-app", "vpc-1", "10.0.3.0/24").route_table("rtb-app");
  b.eni("eni-app", "subnet-app", {"10.0.3.5"}).groups({"sg-all"});
  const auto a = ask(b.build(), "eni-app", "internet", tcp_port(443));
  REQUIRE(a.result.verdict == Verdict::Unreachable);
  const auto* r = a.with("ENI_SOURCE_DEST_CHECK_RESTRICTION");
  REQUIRE(r);
  CHECK(r->at == "eni-fw");
}

TEST_CASE("NGW_UNSUPPORTED_PROTOCOL for a protocol a NAT gateway does not carry", "[reasons]") {
  auto b = base();
  b.nat("nat-1", "subnet-pub", "10.0.1.10", "3.3.3.3");
  b.route_table("rtb-nat", "vpc-1").route("0.0.0.0/0", "nat-1");
  b.subnet("subnet-nat", "vpc-1", "10.0.4.0/24").route_table("rtb-nat");
  b.eni("eni-n", "subnet-nat", {"10.0.4.5"}).groups({"sg-all"});
  HeaderSpace hs;
  hs.protocol = 50;
  const auto a = ask(b.build(), "eni-n", "internet", hs);
  REQUIRE(a.result.verdict == Verdict::Unreachable);
  const auto* r = a.with("NGW_UNSUPPORTED_PROTOCOL");
  REQUIRE(r);
  CHECK(r->at == "nat-1");
  CHECK(r->field == "protocol 50");
}

/** Asks every question between the internet and the ENIs of the random networks of seeds, in
 *  both semantics, both ways (why-not first, prover first), and checks that the reasons agree. */
void compare_on_random_networks(const std::vector<std::uint32_t>& seeds) {
  int unreachable = 0;
  for (const std::uint32_t seed : seeds) {
    const auto n = testing::random_network(seed);
    Prover deferring(n), p(n);  // one each per network, as check asks many questions of one
    std::vector<std::string> ends{"internet"};
    for (const auto& [id, eni] : n.network_interfaces) {
      if (eni.in_sets()) ends.push_back(id);
    }
    for (const auto& from : ends) {
      for (const auto& to : ends) {
        if (from == to) continue;
        for (const auto semantics : {Semantics::Packet, Semantics::Session}) {
          const ReachQuery q{
              model::resolve_endpoint(n, from), model::resolve_endpoint(n, to), {}, semantics, 0};
          const ThreeWays t = three_ways(deferring, p, q, false);
          INFO("seed " << seed << ": " << from << " -> " << to << " (" << to_string(semantics) << ")");
          REQUIRE(t.printed.verdict == t.on_prover.verdict);
          CHECK(lines_of(t.printed.reasons) == lines_of(t.on_prover.reasons));
          if (t.printed.verdict == Verdict::Unreachable) ++unreachable;
        }
      }
    }
  }
  CHECK(unreachable >= 10 * static_cast<int>(seeds.size()));
}

// Seed 3 holds both disagreements of the two orders this caught: ways told apart by the packet
// the solver's model picked, and an internet gateway's code read off that packet. The unit run
// (reasons.random-networks) compares seeds 2-4, ~15 s of CPU in an optimised build; seed 1 costs
// 11 s alone and runs in the slow tier (reasons.random-networks-more) with 5-16. Debug and
// sanitizer builds, about 10x slower, compare seed 3, and 1-2 in the slow tier.
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
const std::vector<std::uint32_t> kRandomSeeds{2, 3, 4},
    kMoreRandomSeeds{1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
#else
const std::vector<std::uint32_t> kRandomSeeds{3}, kMoreRandomSeeds{1, 2};
#endif

TEST_CASE("reasons are the same whether the prover explains first or why-not does, on random networks",
          "[.reasons-random]") {
  compare_on_random_networks(kRandomSeeds);
}

TEST_CASE("reasons are the same whether the prover explains first or why-not does, on more random networks",
          "[.reasons-random-more]") {
  compare_on_random_networks(kMoreRandomSeeds);
}

TEST_CASE("members past why-not's limit of ways keep the prover's own reasons", "[reasons][limit]") {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.sg("sg-open", "vpc-1").ingress_all().egress_all();
  b.subnet("subnet-target", "vpc-1", "10.0.200.0/24");
  b.eni("eni-target", "subnet-target", {"10.0.200.5"}).groups({"sg-open"});
  // More sources than why-not explains ways, each its own behaviour class, each stopped by
  // its own group having no egress rule.
  const int sources = static_cast<int>(kWhyNotWays) + 4;
  for (int i = 0; i < sources; ++i) {
    const std::string k = std::to_string(i);
    b.subnet("subnet-" + k, "vpc-1", "10.0." + k + ".0/24");
    b.sg("sg-" + k, "vpc-1");
    b.eni("eni-" + k, "subnet-" + k, {"10.0." + k + ".5"}).groups({"sg-" + k});
  }
  const auto n = b.build();
  Prover deferring(n), p(n);
  model::Endpoint from = model::resolve_endpoint(n, "vpc-1");
  from.interfaces.erase(std::find(from.interfaces.begin(), from.interfaces.end(), "eni-target"));
  const ReachQuery all{from, model::resolve_endpoint(n, "eni-target"), {}, Semantics::Packet, 0};
  const ThreeWays t = three_ways(deferring, p, all);
  REQUIRE(t.printed.verdict == Verdict::Unreachable);
  CHECK(lines_of(t.printed.reasons) == lines_of(t.on_prover.reasons));
  std::set<std::string> explained;
  for (const auto& r : t.printed.reasons) explained.insert(r.from_member);
  CHECK(explained.size() == static_cast<std::size_t>(sources));  // every source, not only the first 16
}

}  // namespace
}  // namespace vpcprove::queries
