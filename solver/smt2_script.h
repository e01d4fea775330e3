// SPDX-License-Identifier: Apache-2.0
// One solver's assertions and checks as SMT-LIB 2 text, into its segment of an Smt2Sink.
#pragma once

#include <z3++.h>

#include <string>
#include <unordered_set>

#include "solver/smt2_sink.h"

namespace vpcprove::solver {

/**
 * Mirrors one incremental solver as an SMT-LIB 2 script another solver can replay:
 * assertions at the segment's level, each preceded by the declarations of the constants it
 * is the first to use, and each check as
 *   (push 1) (assert <assumption>)... (set-info :status <Z3's answer>) (check-sat) (pop 1)
 * Asserting an assumption inside a push is what checking under it means, and keeps the file
 * linear in the solver's work instead of repeating every assertion at every check.
 *
 * Constants keep their names (AWS IDs, header fields). The few names SMT-LIB cannot quote
 * (with '|', '\\' or a line break) or that could meet the printer's let names ('$...') are
 * renamed with %XX escapes and the rename is listed in a comment.
 */
class Smt2Script {
 public:
  Smt2Script(z3::context& ctx, Smt2Sink& sink);
  ~Smt2Script();  ///< closes the segment
  Smt2Script(const Smt2Script&) = delete;
  Smt2Script& operator=(const Smt2Script&) = delete;

  /** (assert formula), after any declarations it needs. */
  void add(const z3::expr& formula);
  /** One check under assumptions that Z3 answered status ("sat", "unsat" or "unknown"). */
  void check(const z3::expr_vector& assumptions, const char* status);
  /** A comment line, for people reading the file. */
  void note(const std::string& text);

 private:
  void declare_constants(const z3::expr& formula);
  std::string assertion(const z3::expr& formula);

  z3::context* ctx_;
  Smt2Sink* sink_;
  Smt2Sink::Segment* segment_;
  z3::expr_vector kept_;  // every formula seen, alive, so the AST ids in visited_ are not reused
  std::unordered_set<unsigned> visited_;
  std::unordered_set<unsigned> declared_;  // func_decl ids
  z3::expr_vector renamed_from_, renamed_to_;
};

/** name, or its %XX-escaped form when SMT-LIB cannot write it as it is (see Smt2Script). */
std::string smt2_safe_name(const std::string& name);

}  // namespace vpcprove::solver
