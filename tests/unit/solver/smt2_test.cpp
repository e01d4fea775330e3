// SPDX-License-Identifier: Apache-2.0
// --emit-smt2 below the CLI: every check as SMT-LIB 2 that replays to Z3's own answers.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "common/diagnostics.h"
#include "solver/smt2_file.h"
#include "solver/smt2_script.h"
#include "solver/smt2_sink.h"
#include "solver/solver.h"

namespace vpcprove {
namespace {

using solver::Smt2Sink;

/** What a fresh Z3 prints running script: one answer line per check-sat, errors included. */
std::string replay(const std::string& script) {
  z3::context fresh;
  return Z3_eval_smtlib2_string(fresh, script.c_str());
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_CASE("each check is a push, its assumptions, Z3's answer as status, check-sat and a pop", "[smt2]") {
  std::ostringstream out;
  {
    Smt2Sink sink(out, "test header");
    z3::context c;
    solver::Solver s(c, solver::Options{0, &sink});
    const z3::expr port = c.bv_const("h.dst_port", 16);
    s.define("h/well-formed", z3::ugt(port, c.bv_val(0, 16)));
    z3::expr_vector a(c);
    a.push_back(s.track("sg-1/ingress", port == c.bv_val(22, 16)));
    CHECK(s.check(a).outcome == solver::Outcome::Sat);
    a.push_back(s.track("acl-1/ingress", port == c.bv_val(443, 16)));
    CHECK(s.check(a).outcome == solver::Outcome::Unsat);
  }
  const std::string text = out.str();
  CHECK(text.rfind("; test header\n(set-logic QF_BV)\n", 0) == 0);
  CHECK(count(text, "(declare-fun h.dst_port () (_ BitVec 16))") == 1);  // once, though used thrice
  CHECK(count(text, "(check-sat)") == 2);
  CHECK_THAT(text, Catch::Contains(
                       "(push 1)\n(assert sg-1/ingress)\n(set-info :status sat)\n(check-sat)\n(pop 1)\n"));
  CHECK_THAT(text,
             Catch::Contains("(assert acl-1/ingress)\n(set-info :status unsat)\n(check-sat)\n(pop 1)\n"));
  CHECK(replay(text) == "sat\nunsat\n");
}

TEST_CASE("a wrong status in the script is caught by the solver that replays it", "[smt2]") {
  // The cross-check relies on this: a replaying solver refuses an answer the file contradicts.
  std::ostringstream out;
  {
    Smt2Sink sink(out, "");
    z3::context c;
    solver::Solver s(c, solver::Options{0, &sink});
    z3::expr_vector a(c);
    a.push_back(s.track("x", c.bv_const("v", 8) == c.bv_val(1, 8)));
    s.check(a);
  }
  std::string text = out.str();
  const auto at = text.find(":status sat");
  REQUIRE(at != std::string::npos);
  text.replace(at, 11, ":status unsat");
  CHECK_THAT(replay(text), Catch::Contains("error"));
}

TEST_CASE("names SMT-LIB cannot quote are renamed, the rename noted, the answers kept", "[smt2]") {
  CHECK(solver::smt2_safe_name("eni-0abc/owns-dst") == "eni-0abc/owns-dst");
  CHECK(solver::smt2_safe_name("query1/from eni-1") == "query1/from eni-1");
  CHECK(solver::smt2_safe_name("sg-|x\\y") == "sg-%7Cx%5Cy");
  CHECK(solver::smt2_safe_name("a\nb") == "a%0Ab");
  CHECK(solver::smt2_safe_name("$x1") == "%24x1");
  std::ostringstream out;
  {
    Smt2Sink sink(out, "");
    z3::context c;
    solver::Solver s(c, solver::Options{0, &sink});
    const z3::expr v = c.bv_const("h|ip", 32);
    z3::expr_vector a(c);
    a.push_back(s.track("acl-|1|/ingress", v == c.bv_val(7, 32)));
    CHECK(s.check(a).outcome == solver::Outcome::Sat);
    a.push_back(s.track("sg-\\2", v == c.bv_val(8, 32)));
    CHECK(s.check(a).outcome == solver::Outcome::Unsat);
  }
  const std::string text = out.str();
  CHECK_THAT(text, Catch::Contains("; acl-%7C1%7C/ingress is the constant vpcprove names acl-|1|/ingress"));
  CHECK_THAT(text, !Catch::Contains("\\|"));
  CHECK(replay(text) == "sat\nunsat\n");
}

TEST_CASE("segments follow the order solvers were made, whatever the order they finish in", "[smt2]") {
  std::ostringstream out;
  Smt2Sink sink(out, "");
  z3::context c1, c2;
  auto first = std::make_unique<solver::Solver>(c1, solver::Options{0, &sink});
  auto second = std::make_unique<solver::Solver>(c2, solver::Options{0, &sink});
  // The same name in both contexts: each segment's push scopes its own declaration.
  z3::expr_vector a1(c1), a2(c2);
  a2.push_back(second->track("lit", c2.bool_val(false)));
  second->check(a2);
  a1.push_back(first->track("lit", c1.bool_val(true)));
  first->check(a1);
  second.reset();
  CHECK(out.str().find("(check-sat)") == std::string::npos);  // held until the first is done
  first.reset();
  const std::string text = out.str();
  CHECK(text.find("; solver 1") < text.find("; solver 2"));
  CHECK(replay(text) == "sat\nunsat\n");
  CHECK(sink.checks_written() == 2);
}

TEST_CASE("a solver replaced by assignment closes its segment and the new one opens the next", "[smt2]") {
  // Provers may swap in a fresh solver per candidate path: each is its own segment, in order.
  std::ostringstream out;
  Smt2Sink sink(out, "");
  z3::context c;
  solver::Solver s(c, solver::Options{0, &sink});
  z3::expr_vector a(c);
  a.push_back(s.track("first", c.bool_val(true)));
  s.check(a);
  s = solver::Solver(c, solver::Options{0, &sink});
  CHECK(sink.checks_written() == 1);
  z3::expr_vector b(c);
  b.push_back(s.track("first", c.bool_val(false)));  // the same name, declared again in its segment
  s.check(b);
  sink.finish();
  CHECK(count(out.str(), "; solver ") == 2);
  CHECK(replay(out.str()) == "sat\nunsat\n");
}

TEST_CASE("solvers made while a sink is installed record to it, and only they", "[smt2]") {
  std::ostringstream out;
  Smt2Sink sink(out, "");
  z3::context c;
  {
    const Smt2Sink::Install recording(&sink);
    solver::Solver s(c);
    z3::expr_vector a(c);
    a.push_back(s.track("recorded", c.bool_val(true)));
    s.check(a);
  }
  {
    solver::Solver s(c);
    z3::expr_vector a(c);
    a.push_back(s.track("not-recorded", c.bool_val(true)));
    s.check(a);
  }
  sink.finish();
  CHECK_THAT(out.str(), Catch::Contains("recorded"));
  CHECK_THAT(out.str(), !Catch::Contains("not-recorded"));
  CHECK(Smt2Sink::installed() == nullptr);
}

TEST_CASE("finish writes the solvers still alive, and of a solver without checks only its notes", "[smt2]") {
  std::ostringstream out;
  Smt2Sink sink(out, "");
  z3::context c;
  solver::Solver idle(c, solver::Options{0, &sink});
  idle.define("d", c.bool_val(true));
  idle.note("query1: asked by the solvers after this one");
  solver::Solver busy(c, solver::Options{0, &sink});
  z3::expr_vector a(c);
  a.push_back(busy.track("x", c.bool_val(true)));
  busy.check(a);
  CHECK(sink.finish());
  CHECK(count(out.str(), "; solver ") == 1);
  CHECK_THAT(out.str(), Catch::Contains("\n; query1: asked by the solvers after this one\n\n; solver 1"));
  CHECK_THAT(out.str(), !Catch::Contains("(assert true)"));
  CHECK(replay(out.str()) == "sat\n");
}

TEST_CASE("the SMT-LIB file refuses stdout (-) and names a file it cannot write", "[smt2]") {
  CHECK_THROWS_WITH(solver::Smt2File("-", ""), Catch::Contains("standard output"));
  CHECK_THROWS_AS(solver::Smt2File("/nonexistent-dir/q.smt2", ""), InputError);
  CHECK_THROWS_WITH(solver::Smt2File("/nonexistent-dir/q.smt2", ""),
                    Catch::Contains("/nonexistent-dir/q.smt2"));
}

}  // namespace
}  // namespace vpcprove
