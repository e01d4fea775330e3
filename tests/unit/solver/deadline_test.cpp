// SPDX-License-Identifier: Apache-2.0
// The deadline behind Z3's own timer: it alone stops a check that would run for ever, and
// stops nothing once it is gone.
#include "solver/deadline.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>

#include "solver/solver.h"

namespace vpcprove {
namespace {

/** Factoring the product of two 61- and 31-bit primes in 128-bit arithmetic: no SAT solver
 *  refutes it in minutes, so only an interrupt ends the check. */
z3::expr other_factor(z3::context& c) {
  const z3::expr x = c.bv_const("x", 64), y = c.bv_const("y", 64);
  auto u64 = [&](std::uint64_t v) { return c.bv_val(v, 64); };
  const std::uint64_t p = 2147483647, q = 2305843009213693951;
  const z3::expr n = z3::zext(u64(p), 64) * z3::zext(u64(q), 64);
  return z3::zext(x, 64) * z3::zext(y, 64) == n && z3::ugt(x, u64(1)) && z3::ugt(y, u64(1)) &&
         z3::ult(x, u64(std::uint64_t{1} << 32)) && x != u64(p);
}

TEST_CASE("a deadline stops a check Z3's own timer does not limit", "[solver][timeout]") {
  z3::context c;
  z3::solver s(c);  // no "timeout" parameter: only the deadline can stop this check
  s.add(other_factor(c));
  const auto t0 = std::chrono::steady_clock::now();
  z3::check_result r;
  {
    const solver::Deadline deadline(c, 20);
    r = s.check();
  }
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  CHECK(r == z3::unknown);
  CHECK(s.reason_unknown() == "interrupted");
  CHECK(solver::name_limit(s.reason_unknown(), 20) == "--timeout-ms 20 reached (z3: interrupted)");
  // 20 ms, the grace, and whatever a loaded machine adds; minutes without the deadline.
  CHECK(ms < 30000);

  SECTION("and once it is gone, the context's next check runs to its answer") {
    z3::solver easy(c);
    const z3::expr z = c.bv_const("z", 64);
    easy.add(z * z == c.bv_val(49, 64) && z3::ult(z, c.bv_val(100, 64)));
    CHECK(easy.check() == z3::sat);
  }
}

TEST_CASE("a deadline of 0 ms stops nothing", "[solver][timeout]") {
  z3::context c;
  z3::solver s(c);
  const z3::expr z = c.bv_const("z", 64);
  s.add(z * z == c.bv_val(49, 64) && z3::ult(z, c.bv_val(100, 64)));
  const solver::Deadline none(c, 0);
  CHECK(s.check() == z3::sat);
}

}  // namespace
}  // namespace vpcprove
