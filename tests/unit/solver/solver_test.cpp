// SPDX-License-Identifier: Apache-2.0
// The solver wrapper: three outcomes, cores named by literals, a timeout is unknown.
#include "solver/solver.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

namespace vpcprove {
namespace {

TEST_CASE("a satisfiable check gives a model whose header is a concrete packet", "[solver]") {
  z3::context c;
  solver::Solver s(c);
  const auto h = encoder::Header::make(c, "h");
  z3::expr_vector a(c);
  a.push_back(s.track("dst", h.dst_ip == c.bv_val(0x08080808u, 32) && h.protocol == c.bv_val(6, 8)));
  const auto r = s.check(a);
  REQUIRE(r.outcome == solver::Outcome::Sat);
  const auto p = solver::packet(*r.model, h);
  CHECK(p.dst_ip == 0x08080808u);
  CHECK(p.protocol == 6);
}

TEST_CASE("an unsat check names the tracked components in its core", "[solver]") {
  z3::context c;
  solver::Solver s(c);
  const auto h = encoder::Header::make(c, "h");
  z3::expr_vector a(c);
  a.push_back(s.track("sg-1/ingress", h.dst_port == c.bv_val(22, 16)));
  a.push_back(s.track("acl-1/ingress", h.dst_port == c.bv_val(443, 16)));
  a.push_back(s.track("irrelevant", h.protocol == c.bv_val(6, 8)));
  const auto r = s.check(a);
  REQUIRE(r.outcome == solver::Outcome::Unsat);
  CHECK(std::find(r.core.begin(), r.core.end(), "sg-1/ingress") != r.core.end());
  CHECK(std::find(r.core.begin(), r.core.end(), "acl-1/ingress") != r.core.end());
}

TEST_CASE("a check that hits its timeout is unknown, never unsat", "[solver][timeout]") {
  z3::context c;
  solver::Solver s(c, 1);
  // Proving that (2^31-1)(2^61-1) has no other factors, over 128 bits so nothing wraps: a
  // multiplier circuit no SAT solver refutes in 1 ms, or in the 100 ms a loaded machine may take
  // to deliver the timeout (mod 2^64, as this test first had it, other factors exist and Z3
  // sometimes found one before the timeout fired).
  const z3::expr x = c.bv_const("x", 64), y = c.bv_const("y", 64);
  z3::expr_vector a(c);
  auto u64 = [&](std::uint64_t v) { return c.bv_val(v, 64); };
  const std::uint64_t p = 2147483647, q = 2305843009213693951;  // both prime
  const z3::expr n = z3::zext(u64(p), 64) * z3::zext(u64(q), 64);
  a.push_back(s.track("factor", z3::zext(x, 64) * z3::zext(y, 64) == n && z3::ugt(x, u64(1)) &&
                                    z3::ugt(y, u64(1)) && z3::ult(x, u64(std::uint64_t{1} << 32)) &&
                                    x != u64(p)));
  const auto r = s.check(a);
  CHECK(r.outcome == solver::Outcome::Unknown);
  CHECK_THAT(r.reason_unknown, Catch::Contains("--timeout-ms 1"));

  SECTION("and the solver answers nothing after it: its later checks are unknown too") {
    z3::expr_vector easy(c);
    easy.push_back(s.track("easy", x == u64(3)));
    const auto later = s.check(easy);
    CHECK(later.outcome == solver::Outcome::Unknown);
    CHECK_THAT(later.reason_unknown, Catch::Contains("--timeout-ms 1"));
    CHECK(s.checks() == 2);
  }
}

// A guard over many addresses taken a run at a time must answer as the exact guard does: the
// same outcome on every question, and a sat model that keeps the guard. The questions confine
// dst_ip to windows that the set covers wholly, whose even addresses it covers one run each
// (more runs than the solver takes one at a time: then the whole guard), sparsely, or not at all.
TEST_CASE("a guard taken lazily answers as the exact guard", "[solver][lazy]") {
  std::mt19937 rng(11);
  int built = 0, unbuilt = 0;
  for (int round = 0; round < 24; ++round) {
    z3::context c;
    const auto h = encoder::Header::make(c, "h");
    std::vector<Ipv4Address> set;
    const Ipv4Address base = 0x34000000u + static_cast<Ipv4Address>(rng() % 4096) * 256;
    for (int i = 0; i < 300; ++i) set.push_back(base + static_cast<Ipv4Address>(rng() % 1024));
    for (Ipv4Address a = base + 2048; a < base + 2048 + 200; ++a) set.push_back(a);     // a run of 200
    for (Ipv4Address a = base + 4096; a < base + 4096 + 300; a += 2) set.push_back(a);  // 150 runs of 1
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    const auto shared = std::make_shared<const std::vector<Ipv4Address>>(set);
    const z3::expr exact = !encoder::in_address_set(h.dst_ip, set);
    Ipv4Address lo = 0, hi = 0;
    switch (round % 4) {
      case 0:  // inside the run of 200: wholly covered
        lo = base + 2048 + static_cast<Ipv4Address>(rng() % 100);
        hi = lo + static_cast<Ipv4Address>(rng() % 50);
        break;
      case 1:  // even addresses only (below): more runs of one than kOutsideRuns, then maybe a gap
        lo = base + 4096;
        hi = round / 4 % 2 ? base + 4096 + 300 : base + 4096 + 2 * (solver::Solver::kOutsideRuns + 10);
        break;
      case 2:  // around the sparse part
        lo = base + static_cast<Ipv4Address>(rng() % 1024);
        hi = lo + static_cast<Ipv4Address>(rng() % 64);
        break;
      default:  // beside the set
        lo = base - 512;
        hi = base - 1;
    }
    z3::expr window = z3::uge(h.dst_ip, c.bv_val(lo, 32)) && z3::ule(h.dst_ip, c.bv_val(hi, 32));
    if (round % 4 == 1) window = window && h.dst_ip.extract(0, 0) == c.bv_val(0, 1);
    solver::Solver eager(c), lazy(c);
    const encoder::OutsideAddresses outside{h.dst_ip, shared};
    z3::expr_vector ea(c), la(c);
    ea.push_back(eager.track("window", window));
    ea.push_back(eager.track("not-public", exact));
    la.push_back(lazy.track("window", window));
    int builds = 0;  // the exact guard is built only when the runs run out (encoder::Guard::lazy)
    la.push_back(lazy.track("not-public", encoder::Guard::lazy([&] {
                              ++builds;
                              return exact;
                            }),
                            &outside));
    const auto e = eager.check(ea);
    const auto l = lazy.check(la);
    INFO("round " << round << ", window " << lo << ".." << hi);
    REQUIRE(e.outcome != solver::Outcome::Unknown);
    REQUIRE(l.outcome == e.outcome);
    if (l.outcome == solver::Outcome::Sat) {
      const auto p = solver::packet(*l.model, h);
      CHECK(!std::binary_search(set.begin(), set.end(), p.dst_ip));
      CHECK(p.dst_ip >= lo);
      CHECK(p.dst_ip <= hi);
      if (round % 4 == 1) CHECK(p.dst_ip == base + 4096 + 300);
    } else {
      CHECK(std::find(l.core.begin(), l.core.end(), "not-public") != l.core.end());
    }
    // Asked again (as least_model does), the refinements kept: the same outcome.
    CHECK(lazy.check(la).outcome == e.outcome);
    CHECK(builds <= 1);
    (builds ? built : unbuilt) += 1;
  }
  // Most questions never need the whole guard; the window of more runs than kOutsideRuns does.
  CHECK(unbuilt > 0);
  CHECK(built > 0);
}

}  // namespace
}  // namespace vpcprove
