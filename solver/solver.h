// SPDX-License-Identifier: Apache-2.0
// A thin wrapper over z3::solver: per-call timeout, tracked components, sat/unsat/unknown.
#pragma once

#include <z3++.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "encoder/header.h"
#include "model/packet.h"

namespace vpcprove::solver {

class Smt2Sink;
class Smt2Script;

/** unknown is its own answer: a timeout or a solver limit is never read as unsat. */
enum class Outcome { Sat, Unsat, Unknown };
const char* to_string(Outcome o);  // "sat", "unsat", "unknown"

/**
 * Z3's reason for an unknown answer, naming the limit vpcprove set when Z3's timer ran out:
 * "--timeout-ms 5 reached (z3: canceled)" (Z3 4.8 says "canceled" for its own timer, and
 * "interrupted" when solver/deadline.h stopped the check in its place). Every
 * solver of vpcprove, this class's or a query's own z3::solver, words it so (the contract: a
 * limit gives unknown, naming the limit).
 */
std::string name_limit(const std::string& z3_reason, unsigned timeout_ms);

struct CheckResult {
  Outcome outcome = Outcome::Unknown;
  std::optional<z3::model> model;  ///< set for Sat
  std::vector<std::string> core;   ///< for Unsat: names of the assumed literals in the unsat core
  std::string reason_unknown;  ///< for Unknown: the limit hit ("--timeout-ms 5 reached (z3: canceled)") or
                               ///< Z3's reason
};

struct Options {
  unsigned timeout_ms = 0;  ///< per check(); 0: no limit
  /**
   * Records every assertion and check as SMT-LIB 2 (--emit-smt2). nullptr: the sink
   * installed when the solver is made (Smt2Sink::Install), if any, so every solver of a
   * command is recorded without each query passing it on.
   */
  Smt2Sink* smt2 = nullptr;
};

/**
 * One incremental solver over one context. Components are asserted once as "literal implies
 * formula" and switched on per check through assumptions, so one solver serves every path of
 * every query on a network and unsat cores name components. Not thread-safe.
 */
class Solver {
 public:
  /** timeout_ms 0: no limit. */
  explicit Solver(z3::context& ctx, unsigned timeout_ms = 0);
  Solver(z3::context& ctx, const Options& options);
  ~Solver();
  Solver(Solver&&) noexcept;
  Solver& operator=(Solver&&) noexcept;

  /** Limit for each later check() in milliseconds (0: none); sets Z3's "timeout" parameter. */
  void set_timeout(unsigned timeout_ms);
  /** Asserts formula unconditionally (definitions, well-formedness). Once per name. */
  void define(const std::string& name, const z3::expr& formula);
  /** The Boolean literal name, asserting name => formula the first time it is seen. */
  z3::expr track(const std::string& name, const z3::expr& formula);
  /**
   * track for a formula that is "outside->ip is none of outside->addresses" (exactly): the
   * literal means the same, but Z3 is given it lazily. A check whose model puts the address
   * on one of them asserts "name => not in that run of consecutive addresses" and checks
   * again; after kOutsideRuns such runs it asserts the whole formula. A sat answer is
   * therefore a model of the exact formula, and an unsat one is unsat under a weaker one (so
   * under the exact one too); cores name the same literal. With an IPv6 half (outside->six)
   * the formula is "if family, ip6 is none of addresses6 and in none of prefixes6, else ip is
   * none of addresses", and a run (or a delegated prefix) is excluded for its own family only.
   * A lazy formula (encoder::Guard::lazy) is built only then, or for the SMT-LIB record.
   * outside == nullptr: track.
   */
  z3::expr track(const std::string& name, const encoder::Guard& formula,
                 const encoder::OutsideAddresses* outside);
  static constexpr unsigned kOutsideRuns = 64;
  /** Checks the assertions under the given literals; after one unknown, every check is unknown. */
  CheckResult check(const z3::expr_vector& assumptions);
  /** A comment in the SMT-LIB file before the next check, when one is being written. */
  void note(const std::string& text);
  /** Number of check() calls so far (for tests and statistics). */
  [[nodiscard]] unsigned checks() const { return checks_; }

 private:
  z3::context* ctx_;
  z3::solver solver_;
  unsigned timeout_ms_ = 0;
  std::unordered_set<std::string> tracked_, defined_;
  unsigned checks_ = 0;
  std::optional<std::string> stopped_;  // the limit a check hit; every later check is unknown
  std::unique_ptr<Smt2Script> smt2_;    // set when recording
  struct Lazy {
    z3::expr literal;
    encoder::Guard formula;  // the exact guard, built and asserted once runs reach kOutsideRuns
    encoder::OutsideAddresses outside;
    unsigned runs = 0;
    bool whole = false;
  };
  std::vector<Lazy> lazy_;
  /** Asserts what the model violates of lazy_ (a run, or the whole guard); false when nothing. */
  bool refine(const z3::model& m);
};

/** The concrete packet a model gives header h. */
inline model::Packet packet(const z3::model& m, const encoder::Header& h) { return encoder::packet_of(m, h); }

}  // namespace vpcprove::solver
