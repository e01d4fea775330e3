// SPDX-License-Identifier: Apache-2.0
// A dual-stack guard "none of these addresses" (IPv4 and IPv6 halves) taken a run at a time
// answers as the exact guard does.
#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <random>
#include <vector>

#include "solver/solver.h"

namespace vpcprove {
namespace {

Ipv6Address plus(Ipv6Address a, std::uint64_t n) {
  const std::uint64_t lo = a.lo + n;
  return {lo < a.lo ? a.hi + 1 : a.hi, lo};
}

bool in(const std::vector<Ipv6Address>& set, const std::vector<Ipv6Prefix>& prefixes, const Ipv6Address& a) {
  return std::binary_search(set.begin(), set.end(), a) ||
         std::any_of(prefixes.begin(), prefixes.end(), [&](const Ipv6Prefix& p) { return p.contains(a); });
}

// Windows of each family that the sets cover wholly (a run, a delegated prefix), cover their
// even addresses one run each (more runs than the solver takes one at a time), sparsely, or not
// at all; and windows of both families at once, where only the family the sets leave open can
// answer.
TEST_CASE("a dual-stack guard taken lazily answers as the exact guard", "[solver][lazy][ipv6]") {
  std::mt19937_64 rng(23);
  for (int round = 0; round < 30; ++round) {
    z3::context c;
    const auto h = encoder::Header::make(c, "h", true);
    std::vector<Ipv4Address> set4;
    const Ipv4Address base4 = 0x34000000u + static_cast<Ipv4Address>(rng() % 4096) * 256;
    for (Ipv4Address a = base4; a < base4 + 200; ++a) set4.push_back(a);
    for (int i = 0; i < 100; ++i) set4.push_back(base4 + 1024 + static_cast<Ipv4Address>(rng() % 1024));
    std::vector<Ipv6Address> set6;
    const Ipv6Address base6{0x26001f0000000000ULL | (rng() & 0xFFFF00ULL), 0};
    for (std::uint64_t i = 0; i < 200; ++i) set6.push_back(plus(base6, 0x100 + i));      // a run of 200
    for (std::uint64_t i = 0; i < 300; i += 2) set6.push_back(plus(base6, 0x1000 + i));  // 150 runs of 1
    for (int i = 0; i < 100; ++i) set6.push_back(plus(base6, 0x8000 + rng() % 1024));    // sparse
    const std::vector<Ipv6Prefix> prefixes{Ipv6Prefix::make(plus(base6, 0x20000), 112)};
    std::sort(set4.begin(), set4.end());
    set4.erase(std::unique(set4.begin(), set4.end()), set4.end());
    std::sort(set6.begin(), set6.end());
    set6.erase(std::unique(set6.begin(), set6.end()), set6.end());

    const z3::expr exact6 =
        !(encoder::in_address_set(h.dst_ip6, set6) || encoder::in_prefix6(h.dst_ip6, prefixes[0]));
    const z3::expr exact = z3::ite(h.ip6, exact6, !encoder::in_address_set(h.dst_ip, set4));
    const encoder::OutsideAddresses outside{
        h.dst_ip, std::make_shared<const std::vector<Ipv4Address>>(set4),
        encoder::OutsideAddresses::Ipv6Half{h.ip6, h.dst_ip6,
                                            std::make_shared<const std::vector<Ipv6Address>>(set6),
                                            std::make_shared<const std::vector<Ipv6Prefix>>(prefixes)}};

    auto window6 = [&](std::uint64_t lo, std::uint64_t hi) {
      return h.ip6 && z3::uge(h.dst_ip6, encoder::ipv6_value(c, plus(base6, lo))) &&
             z3::ule(h.dst_ip6, encoder::ipv6_value(c, plus(base6, hi)));
    };
    auto window4 = [&](Ipv4Address lo, Ipv4Address hi) {
      return !h.ip6 && z3::uge(h.dst_ip, c.bv_val(lo, 32)) && z3::ule(h.dst_ip, c.bv_val(hi, 32));
    };
    const std::uint64_t r = rng() % 50;
    z3::expr window = c.bool_val(true);
    switch (round % 6) {
      case 0:  // inside the IPv6 run of 200: wholly covered
        window = window6(0x100 + r, 0x100 + r + rng() % 50);
        break;
      case 1:  // even IPv6 addresses only: more runs of one than kOutsideRuns, then maybe a gap
        window = window6(0x1000,
                         round / 6 % 2 ? 0x1000 + 300 : 0x1000 + 2 * (solver::Solver::kOutsideRuns + 10)) &&
                 h.dst_ip6.extract(0, 0) == c.bv_val(0, 1);
        break;
      case 2:  // inside the delegated prefix: wholly covered
        window = window6(0x20000 + r, 0x20000 + r + 0x100);
        break;
      case 3:  // around the sparse part
        window = window6(0x8000 + r * 16, 0x8000 + r * 16 + rng() % 64);
        break;
      case 4:  // either family, both windows wholly covered: unsat; or the IPv4 one open
        window = window6(0x100, 0x100 + 150) ||
                 window4(base4 + static_cast<Ipv4Address>(r),
                         base4 + static_cast<Ipv4Address>(r) + (round / 6 % 2 ? 100 : 200));
        break;
      default:  // the IPv4 half: covered wholly, or around the sparse part
        window = round / 6 % 2 ? window4(base4 + static_cast<Ipv4Address>(r), base4 + 120)
                               : window4(base4 + 1024 + static_cast<Ipv4Address>(r), base4 + 1100);
    }
    solver::Solver eager(c), lazy(c);
    z3::expr_vector ea(c), la(c);
    ea.push_back(eager.track("window", window));
    ea.push_back(eager.track("not-owned", exact));
    la.push_back(lazy.track("window", window));
    la.push_back(lazy.track("not-owned", exact, &outside));
    const auto e = eager.check(ea);
    const auto l = lazy.check(la);
    INFO("round " << round);
    REQUIRE(e.outcome != solver::Outcome::Unknown);
    REQUIRE(l.outcome == e.outcome);
    if (l.outcome == solver::Outcome::Sat) {
      const auto p = solver::packet(*l.model, h);
      CHECK(l.model->eval(window, true).is_true());
      if (p.is_ipv6()) {
        CHECK_FALSE(in(set6, prefixes, p.dst_ip6));
      } else {
        CHECK_FALSE(std::binary_search(set4.begin(), set4.end(), p.dst_ip));
      }
      if (round % 6 == 1) CHECK(p.dst_ip6 == plus(base6, 0x1000 + 300));
    } else {
      CHECK(std::find(l.core.begin(), l.core.end(), "not-owned") != l.core.end());
    }
    CHECK(lazy.check(la).outcome == e.outcome);  // asked again, the refinements kept
  }
}

}  // namespace
}  // namespace vpcprove
