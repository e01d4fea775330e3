// SPDX-License-Identifier: Apache-2.0
// The solver wrapper: three outcomes, cores named by literals, a timeout is unknown.
#include "solver/solver.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>

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

}  // namespace
}  // namespace vpcprove
