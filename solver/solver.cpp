// SPDX-License-Identifier: Apache-2.0
// The Z3 wrapper: tracked literals, timeouts and the mapping of Z3's three answers.
#include "solver/solver.h"

#include <algorithm>
#include <iterator>

#include "solver/deadline.h"
#include "solver/smt2_script.h"

namespace vpcprove::solver {

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::Sat:
      return "sat";
    case Outcome::Unsat:
      return "unsat";
    case Outcome::Unknown:
      return "unknown";
  }
  return "unknown";
}

std::string name_limit(const std::string& z3_reason, unsigned timeout_ms) {
  if (timeout_ms > 0 && (z3_reason == "canceled" || z3_reason == "timeout" || z3_reason == "interrupted")) {
    return "--timeout-ms " + std::to_string(timeout_ms) + " reached (z3: " + z3_reason + ")";
  }
  return z3_reason;
}

Solver::Solver(z3::context& ctx, unsigned timeout_ms) : Solver(ctx, Options{timeout_ms, nullptr}) {}

// QF_BV: Z3 bit-blasts to its incremental SAT solver, which keeps assumptions and unsat cores.
// The default (combined) solver answered the same path checks 2.6x slower (check of
// "internet -> every ENI on tcp 22" on a 1k-ENI estate: 90 checks, 293 ms -> 114 ms).
Solver::Solver(z3::context& ctx, const Options& options) : ctx_(&ctx), solver_(ctx, "QF_BV") {
  set_timeout(options.timeout_ms);
  Smt2Sink* sink = options.smt2 ? options.smt2 : Smt2Sink::installed();
  if (sink) smt2_ = std::make_unique<Smt2Script>(ctx, *sink);
}

Solver::~Solver() = default;
Solver::Solver(Solver&&) noexcept = default;
Solver& Solver::operator=(Solver&&) noexcept = default;

void Solver::note(const std::string& text) {
  if (smt2_) smt2_->note(text);
}

void Solver::set_timeout(unsigned timeout_ms) {
  timeout_ms_ = timeout_ms;
  z3::params p(*ctx_);
  // Z3 reads 0 as "time out at once"; UINT_MAX is its own "no limit".
  p.set("timeout", timeout_ms == 0 ? 4294967295u : timeout_ms);
  solver_.set(p);
}

void Solver::define(const std::string& name, const z3::expr& formula) {
  if (!defined_.insert(name).second) return;
  solver_.add(formula);
  if (smt2_) smt2_->add(formula);
}

z3::expr Solver::track(const std::string& name, const z3::expr& formula) {
  z3::expr lit = ctx_->bool_const(name.c_str());
  if (tracked_.insert(name).second) {
    const z3::expr guarded = z3::implies(lit, formula);
    solver_.add(guarded);
    if (smt2_) smt2_->add(guarded);
  }
  return lit;
}

z3::expr Solver::track(const std::string& name, const encoder::Guard& formula,
                       const encoder::OutsideAddresses* outside) {
  if (!outside || tracked_.count(name)) return track(name, formula.get());
  z3::expr lit = ctx_->bool_const(name.c_str());
  tracked_.insert(name);
  lazy_.push_back({lit, formula, *outside});
  // The record stays a plain script: the exact guard, as another solver should read it.
  if (smt2_) smt2_->add(z3::implies(lit, formula.get()));
  return lit;
}

namespace {

/** The run of consecutive addresses of sorted (ascending, no repeats) around *it. */
template <typename Address, typename Next>
std::pair<Address, Address> run_around(const std::vector<Address>& sorted,
                                       typename std::vector<Address>::const_iterator it, Next next) {
  auto first = it, last = it;
  while (first != sorted.begin() && next(*std::prev(first)) == *first) --first;
  while (std::next(last) != sorted.end() && next(*last) == *std::next(last)) ++last;
  return {*first, *last};
}

Ipv6Address next6(const Ipv6Address& a) { return {a.lo == ~std::uint64_t{0} ? a.hi + 1 : a.hi, a.lo + 1}; }

/** The 128-bit value of ip in m. */
Ipv6Address value6(const z3::model& m, const z3::expr& ip) {
  return {m.eval(ip.extract(127, 64), true).get_numeral_uint64(),
          m.eval(ip.extract(63, 0), true).get_numeral_uint64()};
}

/** What m's value of ip6 breaks of an IPv6 half, as a formula over ip6 to exclude; nullopt when
 *  m keeps it. */
std::optional<z3::expr> broken6(const z3::model& m, const encoder::OutsideAddresses::Ipv6Half& six) {
  const auto v = value6(m, six.ip6);
  const auto& all = *six.addresses6;
  z3::context& c = six.ip6.ctx();
  if (auto it = std::lower_bound(all.begin(), all.end(), v); it != all.end() && *it == v) {
    const auto [first, last] = run_around(all, it, next6);
    return z3::uge(six.ip6, encoder::ipv6_value(c, first)) && z3::ule(six.ip6, encoder::ipv6_value(c, last));
  }
  for (const auto& p : *six.prefixes6) {
    if (p.contains(v)) return encoder::in_prefix6(six.ip6, p);
  }
  return std::nullopt;
}

}  // namespace

bool Solver::refine(const z3::model& m) {
  bool refined = false;
  for (auto& l : lazy_) {
    if (l.whole || !m.eval(l.literal, true).is_true()) continue;
    const auto& six = l.outside.six;
    const bool v6 = six && m.eval(six->family, true).is_true();
    std::optional<z3::expr> broken;
    if (v6) {
      broken = broken6(m, *six);
    } else {
      const auto& all = *l.outside.addresses;
      const auto v = static_cast<Ipv4Address>(m.eval(l.outside.ip, true).get_numeral_uint64());
      if (auto it = std::lower_bound(all.begin(), all.end(), v); it != all.end() && *it == v) {
        // The run of consecutive addresses around v: one interval, two comparisons.
        const auto [first, last] = run_around(all, it, [](Ipv4Address a) { return a + 1; });
        const z3::expr& ip = l.outside.ip;
        const unsigned w = ip.get_sort().bv_size();
        broken = z3::uge(ip, ctx_->bv_val(std::uint64_t{first}, w)) &&
                 z3::ule(ip, ctx_->bv_val(std::uint64_t{last}, w));
      }
    }
    if (!broken) continue;  // the model keeps this guard
    refined = true;
    if (++l.runs > kOutsideRuns) {
      solver_.add(z3::implies(l.literal, l.formula.get()));
      l.whole = true;
      continue;
    }
    // A run is excluded for its own family only (the other half still stands).
    if (six) broken = v6 ? six->family && *broken : !six->family && *broken;
    solver_.add(z3::implies(l.literal, !*broken));
  }
  return refined;
}

CheckResult Solver::check(const z3::expr_vector& assumptions) {
  ++checks_;
  CheckResult r;
  if (stopped_) {
    // Once Z3 stopped at a limit, this solver's later answers are not trusted: Z3 4.8's
    // incremental bit-vector solver was seen answering sat, after a cancel, with a model that
    // did not satisfy the question. unknown is always a true answer.
    r.outcome = Outcome::Unknown;
    r.reason_unknown = *stopped_;
    if (smt2_) smt2_->check(assumptions, to_string(r.outcome));
    return r;
  }
  z3::check_result outcome;
  {
    // One deadline for the check and its refinements: the limit is per check() asked.
    const Deadline deadline(*ctx_, timeout_ms_);
    outcome = solver_.check(assumptions);
    // Lazily taken guards (track with OutsideAddresses): a model that breaks one is refuted by
    // the run it lands on, and the check asked again, until a model keeps every guard.
    while (outcome == z3::sat && !lazy_.empty() && refine(solver_.get_model()))
      outcome = solver_.check(assumptions);
  }
  switch (outcome) {
    case z3::sat:
      r.outcome = Outcome::Sat;
      r.model = solver_.get_model();
      break;
    case z3::unsat: {
      r.outcome = Outcome::Unsat;
      const z3::expr_vector core = solver_.unsat_core();
      for (unsigned i = 0; i < core.size(); ++i) r.core.push_back(core[i].decl().name().str());
      break;
    }
    case z3::unknown:
      r.outcome = Outcome::Unknown;
      r.reason_unknown = name_limit(solver_.reason_unknown(), timeout_ms_);
      stopped_ = r.reason_unknown;
      break;
  }
  if (smt2_) smt2_->check(assumptions, to_string(r.outcome));
  return r;
}

}  // namespace vpcprove::solver
