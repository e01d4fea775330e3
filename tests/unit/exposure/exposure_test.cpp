// SPDX-License-Identifier: Apache-2.0
// Tests of queries::exposure: exact merged ranges, the rules that open them, agreement with trace.
#include "queries/exposure.h"

#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "aws/load.h"
#include "queries/reach.h"
#include "tests/support/network_builder.h"
#include "tests/support/random_network.h"
#include "tests/support/test_paths.h"
#include "trace/trace.h"

namespace vpcprove::queries {
namespace {

using testing::icmp;
using testing::ip;
using testing::NetworkBuilder;
using testing::tcp;
using testing::udp;

const EniExposure* find(const ExposureResult& r, const std::string& eni) {
  for (const auto& e : r.enis) {
    if (e.eni == eni) return &e;
  }
  return nullptr;
}

const Exposed* part(const EniExposure& e, const std::string& protocol) {
  for (const auto& x : e.exposed) {
    if (x.protocol == protocol) return &x;
  }
  return nullptr;
}

bool in(const std::vector<PortRange>& ranges, std::uint32_t v) {
  for (const auto& r : ranges) {
    if (r.contains(v)) return true;
  }
  return false;
}

/** Does the exposure say the internet can deliver a packet with p's protocol and port? */
bool allows(const EniExposure* e, const model::Packet& p) {
  if (!e) return false;
  for (const auto& x : e->exposed) {
    if (x.protocol == "all") return true;
    if (x.protocol == "tcp" && p.protocol == model::kTcp && in(x.ports, p.dst_port)) return true;
    if (x.protocol == "udp" && p.protocol == model::kUdp && in(x.ports, p.dst_port)) return true;
    if (x.protocol == "icmp" && p.protocol == model::kIcmp && in(x.ports, p.icmp_type())) return true;
    if (x.protocol == "other" && in(x.protocols, p.protocol) && p.protocol != model::kTcp &&
        p.protocol != model::kUdp && p.protocol != model::kIcmp) {
      return true;
    }
  }
  return false;
}

/** One web server behind a custom NACL: the shapes exposure must cut exactly. */
NetworkBuilder web_network() {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1");
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub").nacl("acl-pub");
  b.nacl("acl-pub", "vpc-1")
      .deny_in(50, tcp(1500))
      .allow_in(100, tcp(0, 65535))
      .allow_in(110, udp(53))
      .allow_in(120, icmp(8))
      .allow_out(100, testing::any_l4());
  b.eni("eni-web", "subnet-pub", {"10.0.1.20"}).public_ip("54.0.0.20").groups({"sg-web"});
  b.eni("eni-web2", "subnet-pub", {"10.0.1.21"}).public_ip("54.0.0.21").groups({"sg-web"});
  b.eni("eni-ssh", "subnet-pub", {"10.0.1.22"}).public_ip("54.0.0.22").groups({"sg-ssh"});
  b.eni("eni-private", "subnet-pub", {"10.0.1.23"}).groups({"sg-web"});
  b.sg("sg-web", "vpc-1")
      .ingress(tcp(1000, 2000), "0.0.0.0/0")
      .ingress(tcp(443), "0.0.0.0/0")
      .ingress(tcp(444), "198.51.100.0/24")
      .ingress(udp(0, 65535), "0.0.0.0/0")
      .ingress(icmp(-1, -1), "0.0.0.0/0")
      .egress_all();
  b.sg("sg-ssh", "vpc-1").ingress_tcp(22, "203.0.113.0/24").ingress_tcp(22, "10.0.0.0/8").egress_all();
  return b;
}

TEST_CASE("exposure cuts the port space at every rule boundary and merges adjacent open pieces",
          "[exposure]") {
  const auto n = web_network().build();
  const auto r = exposure(n);
  REQUIRE(r.complete);
  const auto* web = find(r, "eni-web");
  REQUIRE(web);
  const auto* t = part(*web, "tcp");
  REQUIRE(t);
  // 1000-2000 minus the NACL's deny of 1500, plus 443 and 444 merged into one range.
  CHECK(t->ports == std::vector<PortRange>{{443, 444}, {1000, 1499}, {1501, 2000}});
  const auto* u = part(*web, "udp");
  REQUIRE(u);
  CHECK(u->ports == std::vector<PortRange>{{53, 53}});
  const auto* i = part(*web, "icmp");
  REQUIRE(i);
  CHECK(i->ports == std::vector<PortRange>{{8, 8}});
  CHECK(part(*web, "other") == nullptr);
  CHECK(web->public_ips == std::vector<Ipv4Address>{ip("54.0.0.20")});
}

TEST_CASE("exposure names the security-group rule and NACL entry that open each range", "[exposure]") {
  const auto n = web_network().build();
  const auto r = exposure(n);
  const auto* t = part(*find(r, "eni-web"), "tcp");
  REQUIRE(t);
  REQUIRE(t->range_by.size() == t->ports.size());
  const auto& by443 = t->range_by[0];
  CHECK(std::find(by443.begin(), by443.end(), "acl-pub rule 100 allow (tcp all ports 0.0.0.0/0)") !=
        by443.end());
  CHECK(std::any_of(by443.begin(), by443.end(),
                    [](const std::string& s) { return s.rfind("sg-web ingress rule 1", 0) == 0; }));
  CHECK(std::find(t->by.begin(), t->by.end(), "acl-pub rule 100 allow (tcp all ports 0.0.0.0/0)") !=
        t->by.end());
}

TEST_CASE("exposure gives ENIs of one class the same answer and solves the class once", "[exposure]") {
  const auto n = web_network().build();
  const auto r = exposure(n);
  const auto* a = find(r, "eni-web");
  const auto* b = find(r, "eni-web2");
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(a->exposed.size() == b->exposed.size());
  for (std::size_t i = 0; i < a->exposed.size(); ++i) CHECK(a->exposed[i].ports == b->exposed[i].ports);
  // eni-web + eni-web2 | eni-ssh | eni-private (no public IP): three classes.
  CHECK(r.classes == 3);
  // Without a public IP nothing from the internet is addressed to it.
  const auto* p = find(r, "eni-private");
  CHECK((p == nullptr || p->exposed.empty()));
}

TEST_CASE("exposure reports an administration port open to one office range", "[exposure]") {
  const auto n = web_network().build();
  const auto r = exposure(n);
  const auto* s = find(r, "eni-ssh");
  REQUIRE(s);
  REQUIRE(s->exposed.size() == 1);
  CHECK(s->exposed[0].protocol == "tcp");
  CHECK(s->exposed[0].ports == std::vector<PortRange>{{22, 22}});
  // The 10.0.0.0/8 rule never admits an internet source: only the office rule opens it.
  CHECK(s->exposed[0].by == std::vector<std::string>{"acl-pub rule 100 allow (tcp all ports 0.0.0.0/0)",
                                                     "sg-ssh ingress rule 0 (tcp 22 203.0.113.0/24)"});
}

TEST_CASE("exposure collapses an all-traffic opening into one entry", "[exposure]") {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.main_route_table("vpc-1").route("0.0.0.0/0", "igw-1");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24");
  b.eni("eni-open", "subnet-a", {"10.0.1.5"}).public_ip("54.0.0.5").groups({"sg-open"});
  b.sg("sg-open", "vpc-1").ingress_all().egress_all();
  const auto r = exposure(b.build());
  const auto* e = find(r, "eni-open");
  REQUIRE(e);
  REQUIRE(e->exposed.size() == 1);
  CHECK(e->exposed[0].protocol == "all");
  CHECK(e->exposed[0].ports == std::vector<PortRange>{{0, 65535}});
}

TEST_CASE("exposure lists other protocols by number", "[exposure]") {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.main_route_table("vpc-1").route("0.0.0.0/0", "igw-1");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24");
  b.eni("eni-vpn", "subnet-a", {"10.0.1.5"}).public_ip("54.0.0.5").groups({"sg-vpn"});
  b.sg("sg-vpn", "vpc-1")
      .ingress(testing::proto(50), "0.0.0.0/0")
      .ingress(udp(500), "0.0.0.0/0")
      .egress_all();
  const auto r = exposure(b.build());
  const auto* e = find(r, "eni-vpn");
  REQUIRE(e);
  REQUIRE(e->exposed.size() == 2);
  CHECK(e->exposed[0].protocol == "udp");
  CHECK(e->exposed[1].protocol == "other");
  CHECK(e->exposed[1].protocols == std::vector<PortRange>{{50, 50}});
}

TEST_CASE("exposure with session semantics drops ports whose reply the NACL stops", "[exposure]") {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.main_route_table("vpc-1").route("0.0.0.0/0", "igw-1");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24").nacl("acl-a");
  // Replies go out only to tcp ports 1024-65535: fine for tcp, but nothing lets udp back out.
  b.nacl("acl-a", "vpc-1").allow_in(100, testing::any_l4()).allow_out(100, tcp(1024, 65535));
  b.eni("eni-1", "subnet-a", {"10.0.1.5"}).public_ip("54.0.0.5").groups({"sg-1"});
  b.sg("sg-1", "vpc-1").ingress_tcp(443, "0.0.0.0/0").ingress_udp(53, "0.0.0.0/0").egress_all();
  const auto n = b.build();
  const auto packet = exposure(n);
  REQUIRE(packet.enis.size() == 1);
  CHECK(packet.enis[0].exposed.size() == 2);
  ExposureOptions o;
  o.semantics = Semantics::Session;
  const auto session = exposure(n, o);
  REQUIRE(session.complete);
  REQUIRE(session.enis.size() == 1);
  REQUIRE(session.enis[0].exposed.size() == 1);
  CHECK(session.enis[0].exposed[0].protocol == "tcp");
  CHECK(session.enis[0].exposed[0].ports == std::vector<PortRange>{{443, 443}});
}

TEST_CASE("exposure gives the same answer with several jobs", "[exposure]") {
  const auto n = testing::random_network(7);
  ExposureOptions one, two;
  two.jobs = 2;
  const auto a = exposure(n, one), b = exposure(n, two);
  REQUIRE(a.enis.size() == b.enis.size());
  for (std::size_t i = 0; i < a.enis.size(); ++i) {
    CHECK(a.enis[i].eni == b.enis[i].eni);
    REQUIRE(a.enis[i].exposed.size() == b.enis[i].exposed.size());
    for (std::size_t k = 0; k < a.enis[i].exposed.size(); ++k) {
      CHECK(a.enis[i].exposed[k].ports == b.enis[i].exposed[k].ports);
    }
  }
}

TEST_CASE("exposure of the primer: web on 22, 80 and 443, app and db not at all", "[exposure][primer]") {
  const auto n = aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/examples/primer");
  const auto r = exposure(n);
  REQUIRE(r.complete);
  const auto* web = find(r, "eni-0c4d941a10da0333c");
  REQUIRE(web);
  REQUIRE(web->exposed.size() == 1);
  CHECK(web->exposed[0].ports == std::vector<PortRange>{{22, 22}, {80, 80}, {443, 443}});
  for (const char* id : {"eni-02d8722b580a174f6", "eni-048dd1e45e6cc4df4"}) {
    const auto* e = find(r, id);
    CHECK((e == nullptr || e->exposed.empty()));
  }
}

// ---- Agreement with trace ------------------------------------------------------------------

/** Internet sources worth trying: the ends of every rule's prefixes that are internet addresses. */
std::vector<Ipv4Address> internet_sources(const model::Network& n) {
  std::set<Ipv4Address> out{ip("8.8.8.8"), ip("203.0.113.7"), ip("198.51.100.9")};
  auto add = [&](const Ipv4Prefix& p) {
    for (auto a : {p.first(), p.last(), p.first() + 1}) {
      if (n.is_internet_address(a)) out.insert(a);
    }
  };
  for (const auto& [id, g] : n.security_groups) {
    for (const auto& r : g.ingress) {
      for (const auto& p : r.peer_prefixes) add(p);
    }
  }
  for (const auto& [id, a] : n.network_acls) {
    for (const auto& e : a.ingress) add(e.cidr);
  }
  return {out.begin(), out.end()};
}

/** Values of one protocol's port (type, number) dimension where an answer could change. */
std::set<std::uint32_t> boundaries(const model::Network& n, const EniExposure* e, int protocol) {
  const std::uint32_t top = protocol == model::kTcp || protocol == model::kUdp ? 0xFFFF : 0xFF;
  std::set<std::uint32_t> out{0, top};
  auto add = [&](std::uint32_t lo, std::uint32_t hi) {
    for (auto v : {lo, hi}) out.insert(v);
    if (lo > 0) out.insert(lo - 1);
    if (hi < top) out.insert(hi + 1);
  };
  auto add_match = [&](const model::L4Match& m) {
    if (m.protocol != protocol) return;
    if (protocol == model::kIcmp && m.icmp_type >= 0) add(m.icmp_type, m.icmp_type);
    if (protocol != model::kIcmp) add(m.ports.lo, m.ports.hi);
  };
  for (const auto& [id, g] : n.security_groups) {
    for (const auto& r : g.ingress) add_match(r.l4);
  }
  for (const auto& [id, a] : n.network_acls) {
    for (const auto& x : a.ingress) add_match(x.l4);
  }
  if (e) {
    for (const auto& x : e->exposed) {
      for (const auto& r : x.ports) add(r.lo, std::min<std::uint32_t>(r.hi, top));
    }
  }
  return out;
}

model::Packet packet_for(Ipv4Address src, Ipv4Address dst, int protocol, std::uint32_t v) {
  model::Packet p;
  p.src_ip = src;
  p.dst_ip = dst;
  p.protocol = static_cast<std::uint8_t>(protocol);
  if (protocol == model::kTcp || protocol == model::kUdp) {
    p.src_port = 50000;
    p.dst_port = static_cast<std::uint16_t>(v);
  } else if (protocol == model::kIcmp) {
    p.dst_port = static_cast<std::uint16_t>(v);  // type; code 0
  }
  return p;
}

/** Trace follows one behaviour of what vpcprove does not model (a rule naming a missing prefix
 *  list matches nothing, ...): exposure is held to it under the same assumptions. */
ExposureOptions under_assumptions() {
  ExposureOptions o;
  o.assume = model::AssumptionPolicy::OpaqueDrops;
  return o;
}

/** At every boundary: trace delivering means exposure says open; exposure saying open means the
 *  prover finds a packet from the internet with that protocol and port, which trace delivers. */
void check_boundaries(const model::Network& n) {
  const auto r = exposure(n, under_assumptions());
  REQUIRE(r.complete);
  const auto sources = internet_sources(n);
  Prover prover(n);
  for (const auto& [id, eni] : n.network_interfaces) {
    if (!eni.in_sets()) continue;
    const auto* e = find(r, id);
    for (int protocol : {model::kTcp, model::kUdp, model::kIcmp}) {
      for (auto v : boundaries(n, e, protocol)) {
        const auto probe = packet_for(0, 0, protocol, v);
        const bool claimed = allows(e, probe);
        bool delivered = false;
        for (const auto& pip : eni.private_ips) {
          if (!pip.public_ip) continue;
          for (auto src : sources) {
            const auto w =
                trace::walk(n, trace::Start::internet(), packet_for(src, *pip.public_ip, protocol, v));
            delivered = delivered || (w.disposition == model::Disposition::Delivered && w.endpoint == id);
          }
        }
        INFO(id << " protocol " << protocol << " value " << v);
        if (delivered) CHECK(claimed);
        if (claimed && !delivered) {
          // No tried source got through: the prover must still find one, and trace must agree with it.
          HeaderSpace hs;
          hs.protocol = protocol;
          hs.dst_ports = PortRange{static_cast<std::uint16_t>(v), static_cast<std::uint16_t>(v)};
          const auto rr = prover.reach({{"internet", {}, true, std::nullopt},
                                        {id, {id}, false, std::nullopt},
                                        hs,
                                        Semantics::Packet,
                                        0});
          REQUIRE(rr.verdict == Verdict::Reachable);
          const auto w = trace::walk(n, trace::Start::internet(), *rr.packet);
          CHECK(w.disposition == model::Disposition::Delivered);
          CHECK(w.endpoint == id);
        }
      }
    }
  }
}

TEST_CASE("exposure agrees with trace on every port boundary of a hand-built network", "[exposure][trace]") {
  check_boundaries(web_network().build());
}

TEST_CASE("exposure agrees with trace on every port boundary of random networks", "[exposure][trace]") {
  for (std::uint32_t seed = 1; seed <= 12; ++seed) {
    INFO("seed " << seed);
    check_boundaries(testing::random_network(seed));
  }
}

TEST_CASE("exposure agrees with trace on random packets from the internet over random networks",
          "[exposure][trace]") {
  std::size_t delivered = 0, blocked = 0;
  for (std::uint32_t seed = 100; seed < 130; ++seed) {
    const auto n = testing::random_network(seed);
    const auto r = exposure(n, under_assumptions());
    REQUIRE(r.complete);
    std::mt19937 rng(seed);
    for (int i = 0; i < 400; ++i) {
      const auto s = testing::random_packet(n, rng);
      if (s.from != "internet") continue;
      const auto w = trace::walk(n, trace::Start::internet(), s.packet);
      INFO("seed " << seed << ": " << model::describe(s.packet));
      if (w.disposition == model::Disposition::Delivered) {
        ++delivered;
        CHECK(allows(find(r, w.endpoint), s.packet));
      } else if (const auto* x = n.interface_with_public_ip(s.packet.dst_ip); x && x->in_sets()) {
        blocked += !allows(find(r, x->id), s.packet);
      }
    }
  }
  // The sample must exercise both answers, or the test proves nothing.
  CHECK(delivered > 0);
  CHECK(blocked > 0);
}

}  // namespace
}  // namespace vpcprove::queries
