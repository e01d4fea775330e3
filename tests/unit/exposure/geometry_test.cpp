// SPDX-License-Identifier: Apache-2.0
// The interval algebra of exposure's geometry, and the geometry held to the solver and trace.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <functional>
#include <random>

#include "queries/address_set.h"
#include "queries/exposure.h"
#include "queries/exposure_geometry.h"
#include "queries/exposure_ipv6.h"
#include "tests/support/dual_stack_network.h"
#include "tests/support/network_builder.h"
#include "tests/support/random_network.h"
#include "tests/unit/exposure/geometry_agreement.h"

namespace vpcprove::queries {
namespace {

using testing::ip;
using testing::NetworkBuilder;
using testing::tcp;

Ipv4Prefix prefix(const char* text) { return *Ipv4Prefix::parse(text); }

// ---- AddressSet ------------------------------------------------------------------------------

TEST_CASE("an address set of a prefix holds exactly the prefix's addresses", "[exposure][geometry]") {
  const auto s = AddressSet::of(prefix("10.1.2.0/24"));
  CHECK(s.contains(ip("10.1.2.0")));
  CHECK(s.contains(ip("10.1.2.255")));
  CHECK_FALSE(s.contains(ip("10.1.1.255")));
  CHECK_FALSE(s.contains(ip("10.1.3.0")));
  CHECK(*s.lowest() == ip("10.1.2.0"));
  CHECK(AddressSet().empty());
  CHECK_FALSE(AddressSet().lowest());
  const auto all = AddressSet::all();
  CHECK(all.contains(0));
  CHECK(all.contains(0xFFFFFFFFu));
  CHECK(all.intervals().size() == 1);
}

TEST_CASE("union, intersection and difference of address sets agree address by address on random prefixes",
          "[exposure][geometry]") {
  // Prefixes inside 10.0.0.0/23 (and that block's neighbours) so that every address can be checked.
  std::mt19937 rng(42);
  auto random_set = [&]() {
    AddressSet s;
    const int n = static_cast<int>(rng() % 4);
    for (int i = 0; i < n; ++i) {
      const auto len = static_cast<std::uint8_t>(23 + rng() % 10);
      s = s.unite(AddressSet::of(Ipv4Prefix::make(ip("10.0.0.0") + rng() % 512, len)));
    }
    return s;
  };
  for (int round = 0; round < 300; ++round) {
    const auto a = random_set(), b = random_set();
    const auto u = a.unite(b), x = a.intersect(b), d = a.subtract(b);
    for (Ipv4Address v = ip("10.0.0.0") - 2; v <= ip("10.0.2.0") + 1; ++v) {
      INFO("round " << round << " address " << format_ipv4(v));
      REQUIRE(u.contains(v) == (a.contains(v) || b.contains(v)));
      REQUIRE(x.contains(v) == (a.contains(v) && b.contains(v)));
      REQUIRE(d.contains(v) == (a.contains(v) && !b.contains(v)));
    }
    // Canonical: sorted, disjoint and never adjacent, so equal sets compare equal.
    for (const auto* s : {&u, &x, &d}) {
      for (std::size_t i = 1; i < s->intervals().size(); ++i)
        REQUIRE(std::uint64_t{s->intervals()[i - 1].second} + 1 < s->intervals()[i].first);
    }
    CHECK(a.unite(b) == b.unite(a));
    CHECK(d.unite(x) == a);
  }
}

TEST_CASE("the space's ends survive subtraction and union", "[exposure][geometry]") {
  const auto top = AddressSet::of(prefix("255.255.255.255/32"));
  const auto bottom = AddressSet::of(prefix("0.0.0.0/32"));
  const auto middle = AddressSet::all().subtract(top).subtract(bottom);
  CHECK_FALSE(middle.contains(0));
  CHECK_FALSE(middle.contains(0xFFFFFFFFu));
  CHECK(middle.contains(1));
  CHECK(middle.contains(0xFFFFFFFEu));
  CHECK(middle.unite(top).unite(bottom) == AddressSet::all());
}

TEST_CASE("the internet as an address set is is_internet, on both sides of every block's edge",
          "[exposure][geometry]") {
  const auto& inet = AddressSet::internet();
  for (const auto& p : non_internet_blocks()) {
    for (auto a : {p.first(), p.last(), p.first() - 1, p.last() + 1}) {
      INFO(format_ipv4(a));
      CHECK(inet.contains(a) == is_internet(a));
    }
  }
  CHECK(inet.contains(ip("8.8.8.8")));
  CHECK_FALSE(inet.contains(ip("10.0.0.1")));
}

TEST_CASE("lowest_in finds the lowest common address of a set and a prefix", "[exposure][geometry]") {
  const auto s = AddressSet::of(prefix("10.0.0.8/29")).unite(AddressSet::of(prefix("10.0.1.0/24")));
  CHECK(*s.lowest_in(prefix("10.0.0.0/16")) == ip("10.0.0.8"));
  CHECK(*s.lowest_in(prefix("10.0.0.12/30")) == ip("10.0.0.12"));
  CHECK(*s.lowest_in(prefix("10.0.1.128/25")) == ip("10.0.1.128"));
  CHECK_FALSE(s.lowest_in(prefix("10.0.0.0/29")));
  CHECK_FALSE(s.lowest_in(prefix("10.0.0.16/28")));
  CHECK_FALSE(s.lowest_in(prefix("10.0.2.0/24")));
}

// ---- open_pieces on the plain way in ----------------------------------------------------------

NetworkBuilder office_network() {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.main_route_table("vpc-1").route("0.0.0.0/0", "igw-1");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24").nacl("acl-a");
  // First match: the office's /25 is denied ssh before the /24 is allowed everything.
  b.nacl("acl-a", "vpc-1")
      .deny_in(10, tcp(22), "203.0.113.0/25")
      .allow_in(20, testing::any_l4(), "203.0.113.0/24")
      .allow_out(100, testing::any_l4());
  b.eni("eni-1", "subnet-a", {"10.0.1.5"}).public_ip("54.0.0.5").groups({"sg-1"});
  b.sg("sg-1", "vpc-1").ingress(tcp(20, 30), "203.0.113.0/26").ingress(tcp(25), "0.0.0.0/0").egress_all();
  return b;
}

TEST_CASE("open_pieces follows the NACL's first match and the groups' union, naming both",
          "[exposure][geometry]") {
  const auto n = office_network().build();
  const auto& eni = n.network_interfaces.at("eni-1");
  const std::vector<PortRange> pieces{{0, 19}, {20, 21}, {22, 22}, {23, 24}, {25, 25}, {26, 30}, {31, 65535}};
  const auto open = open_pieces(n, eni, model::kTcp, pieces);
  REQUIRE(open.size() == 4);
  // 22: the /26 is inside the denied /25 and 0.0.0.0/0 has no tcp 22 rule.
  CHECK(open[0].piece == PortRange{20, 21});
  CHECK(open[1].piece == PortRange{23, 24});
  CHECK(open[2].piece == PortRange{25, 25});
  CHECK(open[3].piece == PortRange{26, 30});
  CHECK(open[0].witness.src_ip == ip("203.0.113.0"));
  // 25: only 203.0.113.0/24 gets past the NACL; the first rule admitting its lowest address is rule 0.
  CHECK(open[2].by == std::vector<std::string>{"acl-a rule 20 allow (all traffic 203.0.113.0/24)",
                                               "sg-1 ingress rule 0 (tcp 20-30 203.0.113.0/26)"});
  CHECK(open_pieces(n, eni, model::kUdp, {{0, 65535}}).empty());
}

TEST_CASE(
    "open_pieces counts internet sources only, even where a NACL carves a private block out of a public one",
    "[exposure][geometry]") {
  NetworkBuilder b;
  b.vpc("vpc-1", "172.31.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.main_route_table("vpc-1").route("0.0.0.0/0", "igw-1");
  b.subnet("subnet-a", "vpc-1", "172.31.1.0/24").nacl("acl-a");
  // 10.0.0.0/7 holds internet addresses (11/8), but 11/8 is denied first: what tcp 22 may
  // come from is 10/8, no internet address. tcp 80 is allowed from everywhere.
  b.nacl("acl-a", "vpc-1")
      .deny_in(10, tcp(22), "11.0.0.0/8")
      .allow_in(20, tcp(22), "10.0.0.0/7")
      .allow_in(30, tcp(80))
      .allow_out(100, testing::any_l4());
  b.eni("eni-1", "subnet-a", {"172.31.1.5"}).public_ip("54.0.0.5").groups({"sg-1"});
  b.sg("sg-1", "vpc-1").ingress(tcp(0, 65535), "0.0.0.0/0").egress_all();
  const auto n = b.build();
  const auto open = open_pieces(n, n.network_interfaces.at("eni-1"), model::kTcp, {{22, 22}, {80, 80}});
  REQUIRE(open.size() == 1);
  CHECK(open[0].piece == PortRange{80, 80});
  CHECK(is_internet(open[0].witness.src_ip));
  const auto r = exposure(n);
  REQUIRE(r.enis.size() == 1);
  REQUIRE(r.enis[0].exposed.size() == 1);
  CHECK(r.enis[0].exposed[0].ports == std::vector<PortRange>{{80, 80}});
}

TEST_CASE("exposure decides plain ways in without the solver, the same as the solver",
          "[exposure][geometry]") {
  const auto n = office_network().build();
  const auto fast = exposure(n);
  ExposureOptions solver_only;
  solver_only.geometry = false;
  const auto slow = exposure(n, solver_only);
  CHECK(fast.geometry_classes == fast.classes);
  CHECK(fast.solver_checks == 0);
  CHECK(slow.geometry_classes == 0);
  CHECK(slow.solver_checks > 0);
  REQUIRE(fast.enis.size() == 1);
  REQUIRE(slow.enis.size() == 1);
  REQUIRE(fast.enis[0].exposed.size() == 1);
  CHECK(fast.enis[0].exposed[0].ports == std::vector<PortRange>{{20, 21}, {23, 30}});
  CHECK(fast.enis[0].exposed[0].ports == slow.enis[0].exposed[0].ports);
}

// ---- Against the solver and trace over random networks ----------------------------------------

/**
 * A random network of plain ways in only, dense in what the geometry must get right: one VPC,
 * subnets with NACLs of ordered allow/deny entries over overlapping prefixes (internet ones,
 * private ones, and public ones with private blocks inside), ENIs with 1-3 groups of random
 * rules (TCP/UDP ranges, ICMP types and codes, other protocols, everything), most with a public IP.
 */
model::Network random_plain_network(std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](const auto& pool) { return pool[rng() % std::size(pool)]; };
  // Few prefixes, nested, so that entries shadow each other: 10.0.0.0/7 is public (11/8) with a
  // private block inside (10/8), 8.0.0.0/6 holds both, the office /24 holds a /25 and a /32.
  static const char* const cidrs[] = {"0.0.0.0/0",      "8.0.0.0/6",      "10.0.0.0/7",     "11.0.0.0/8",
                                      "203.0.113.0/24", "203.0.113.0/25", "203.0.113.7/32", "10.0.0.0/8"};
  auto l4 = [&]() -> model::L4Match {
    switch (rng() % 12) {
      case 0:
        return testing::any_l4();
      case 1:
        return tcp(22);
      case 2:
        return tcp(0, 1023);
      case 3:
        return tcp(1000, 2000);
      case 4:
        return tcp(1024, 65535);
      case 5:
        return tcp(443);
      case 6:
        return testing::udp(53);
      case 7:
        return testing::udp(0, 65535);
      case 8: {
        static const std::pair<int, int> icmps[] = {{-1, -1}, {8, -1}, {8, 0}, {3, 4}, {-1, 4}, {0, -1}};
        const auto [type, code] = pick(icmps);
        return testing::icmp(type, code);
      }
      case 9:
        return testing::proto(static_cast<int>(pick(std::array{50, 47, 132})));
      case 10:
        return tcp(0, 65535);
      default:
        return tcp(static_cast<std::uint16_t>(rng() % 3000), static_cast<std::uint16_t>(3000 + rng() % 3000));
    }
  };
  NetworkBuilder b;
  b.vpc("vpc-1", "172.31.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.main_route_table("vpc-1").route("0.0.0.0/0", "igw-1");
  const int groups = 2 + static_cast<int>(rng() % 4);
  for (int g = 0; g < groups; ++g) {
    auto h = b.sg("sg-" + std::to_string(g), "vpc-1");
    for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k) h.ingress(l4(), pick(cidrs));
    h.egress_all();
  }
  int address = 10;
  for (int s = 0; s < 3; ++s) {
    const std::string subnet = "subnet-" + std::to_string(s), acl = "acl-" + std::to_string(s);
    b.subnet(subnet, "vpc-1", "172.31." + std::to_string(s) + ".0/24").nacl(acl);
    auto a = b.nacl(acl, "vpc-1");
    int number = 10;
    if (rng() % 3 == 0) {
      // The carve: what the pair lets in is 10/8 only, no internet address (exposure must not count it).
      const auto m = l4();
      a.ingress(number, false, m, "11.0.0.0/8").ingress(number + 10, true, m, "10.0.0.0/7");
      number += 20;
    }
    for (int k = static_cast<int>(rng() % 9); k > 0; --k, number += 10)
      a.ingress(number, rng() % 5 < 3, l4(), pick(cidrs));
    a.allow_out(100, testing::any_l4());
    for (int e = 0; e < 4; ++e, ++address) {
      const std::string id = "eni-" + std::to_string(s) + std::to_string(e);
      auto x = b.eni(id, subnet, {"172.31." + std::to_string(s) + "." + std::to_string(address)});
      if (rng() % 5 != 0) x.public_ip("54.0." + std::to_string(s) + "." + std::to_string(address));
      std::vector<std::string> mine;
      for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k)
        mine.push_back("sg-" + std::to_string(rng() % groups));
      std::sort(mine.begin(), mine.end());
      mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
      x.groups(mine);
    }
  }
  return b.build();
}

TEST_CASE(
    "exposure by geometry agrees with the solver and with trace on every boundary of random plain networks",
    "[exposure][geometry][trace]") {
  std::size_t geometry = 0, probes = 0;
  for (std::uint32_t seed = 1; seed <= 30; ++seed) {
    const auto n = random_plain_network(seed);
    const auto r = testing::check_geometry_agrees(n);
    INFO("seed " << seed);
    for (const auto& d : r.disagreements) FAIL_CHECK(d);
    CHECK(r.geometry_classes > 0);
    geometry += r.geometry_classes;
    probes += r.probes;
  }
  CHECK(geometry > 200);
  CHECK(probes > 2000);
}

TEST_CASE("exposure by geometry agrees with the solver and with trace on every boundary of random networks",
          "[exposure][geometry][trace]") {
  std::size_t geometry = 0, classes = 0, probes = 0;
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    const auto n = testing::random_network(seed);
    const auto r = testing::check_geometry_agrees(n);
    INFO("seed " << seed);
    for (const auto& d : r.disagreements) FAIL_CHECK(d);
    geometry += r.geometry_classes;
    classes += r.classes;
    probes += r.probes;
  }
  // The sample must exercise the geometry (and leave some classes to the solver), or it proves nothing.
  CHECK(geometry > 20);
  CHECK(geometry < classes);
  CHECK(probes > 1000);
}

// ---- IPv6: the same geometry over 128-bit sources ------------------------------------------------

/** exposure's IPv6 pass alone, with or without geometry (one thread). */
exposure_detail::Ipv6Exposure ipv6_pass(const model::Network& n, bool geometry) {
  ExposureOptions o;
  o.assume = model::AssumptionPolicy::OpaqueDrops;
  o.geometry = geometry;
  return exposure_detail::ipv6_exposure(n, o, {},
                                        [](const std::function<void()>& work, std::size_t) { work(); });
}

TEST_CASE("IPv6 exposure by geometry lists what the solver lists, with no solver check on the plain way in",
          "[exposure][geometry][ipv6]") {
  const auto n = testing::dual_stack().build();
  const auto boxes = ipv6_pass(n, true), solver = ipv6_pass(n, false);
  REQUIRE_FALSE(boxes.unknown);
  REQUIRE_FALSE(solver.unknown);
  CHECK(boxes.geometry_classes > 0);
  CHECK(solver.geometry_classes == 0);
  CHECK(boxes.checks < solver.checks);
  REQUIRE(boxes.class_of.size() == solver.class_of.size());
  for (const auto& [eni, cls] : solver.class_of) {
    INFO(eni);
    const auto& exposed = solver.by_class[cls];
    REQUIRE(boxes.of(eni));
    const auto& mine = *boxes.of(eni);
    REQUIRE(mine.size() == exposed.size());
    for (std::size_t i = 0; i < mine.size(); ++i) {
      CHECK(mine[i].protocol == exposed[i].protocol);
      CHECK(mine[i].ports == exposed[i].ports);
      CHECK(mine[i].protocols == exposed[i].protocols);
      CHECK(mine[i].ip_version == 6);
    }
  }
  // SSH open to ::/0 only (tests/support/dual_stack_network.h): found by the boxes too.
  REQUIRE(boxes.of("eni-web"));
  const auto& web = *boxes.of("eni-web");
  CHECK(std::any_of(web.begin(), web.end(), [](const Exposed& x) {
    return x.protocol == "tcp" &&
           std::any_of(x.ports.begin(), x.ports.end(), [](const PortRange& r) { return r.contains(22); });
  }));
}

TEST_CASE("exposure by geometry agrees with the solver over both families of random dual-stack networks",
          "[exposure][geometry][ipv6]") {
  std::size_t geometry6 = 0, classes6 = 0, compared = 0;
  for (std::uint32_t seed = 1; seed <= 25; ++seed) {
    const auto n = testing::random_dual_stack_network(seed);
    INFO("seed " << seed);
    const auto r = testing::check_geometry_agrees(n, 10);
    for (const auto& d : r.disagreements) FAIL_CHECK(d);
    compared += r.enis_compared;
    const auto v6 = ipv6_pass(n, true);
    geometry6 += v6.geometry_classes;
    classes6 += v6.classes;
  }
  // The sample must exercise the IPv6 geometry and leave some IPv6 classes to the solver.
  CHECK(geometry6 > 10);
  CHECK(geometry6 < classes6);
  CHECK(compared > 50);
}

}  // namespace
}  // namespace vpcprove::queries
