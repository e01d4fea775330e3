// SPDX-License-Identifier: Apache-2.0
// Z3 formulas to SMT-LIB 2 text: declarations once each, assertions, checks with Z3's answer.
#include "solver/smt2_script.h"

#include <cstdio>
#include <vector>

namespace vpcprove::solver {

std::string smt2_safe_name(const std::string& name) {
  // SMT-LIB 2.6 quoted symbols may hold any printable character but '|' and '\'. Z3 would
  // print them as "\|", which cvc5 rejects. '$' first: Z3's benchmark printer names its let
  // bindings $x<n>.
  bool plain = !name.empty() && name.front() != '$';
  for (const unsigned char ch : name) {
    if (ch == '|' || ch == '\\' || ch == '%' || ch < 0x20 || ch == 0x7f) plain = false;
  }
  if (plain) return name;
  std::string out;
  for (const unsigned char ch : name) {
    if (ch == '|' || ch == '\\' || ch == '%' || ch == '$' || ch < 0x20 || ch == 0x7f) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      out += buf;
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out;
}

Smt2Script::Smt2Script(z3::context& ctx, Smt2Sink& sink)
    : ctx_(&ctx), sink_(&sink), segment_(sink.open()), kept_(ctx), renamed_from_(ctx), renamed_to_(ctx) {}

Smt2Script::~Smt2Script() { sink_->close(segment_); }

void Smt2Script::note(const std::string& text) {
  const std::string line = "; " + smt2_comment_text(text) + '\n';
  segment_->text += line;
  segment_->notes += line;
}

void Smt2Script::declare_constants(const z3::expr& formula) {
  kept_.push_back(formula);
  std::vector<z3::expr> todo{formula};
  while (!todo.empty()) {
    const z3::expr e = todo.back();
    todo.pop_back();
    if (!visited_.insert(Z3_get_ast_id(*ctx_, e)).second) continue;
    if (e.is_quantifier()) {
      todo.push_back(e.body());
      continue;
    }
    if (!e.is_app()) continue;  // bound variables
    const unsigned arity = e.num_args();
    for (unsigned i = 0; i < arity; ++i) todo.push_back(e.arg(i));
    const z3::func_decl d = e.decl();
    if (d.decl_kind() != Z3_OP_UNINTERPRETED || !declared_.insert(Z3_get_func_decl_id(*ctx_, d)).second)
      continue;
    const std::string name = d.name().str();
    const std::string safe = smt2_safe_name(name);
    if (safe == name) {
      segment_->text += Z3_func_decl_to_string(*ctx_, d) + std::string("\n");
      continue;
    }
    // Only constants get renamed: vpcprove declares no functions.
    const z3::expr to = ctx_->constant(safe.c_str(), e.get_sort());
    renamed_from_.push_back(e);
    renamed_to_.push_back(to);
    declared_.insert(Z3_get_func_decl_id(*ctx_, to.decl()));
    segment_->text += "; " + safe + " is the constant vpcprove names " + smt2_comment_text(name) + '\n';
    segment_->text += Z3_func_decl_to_string(*ctx_, to.decl()) + std::string("\n");
  }
}

std::string Smt2Script::assertion(const z3::expr& formula) {
  declare_constants(formula);
  z3::expr f = formula;
  if (!renamed_from_.empty()) f = f.substitute(renamed_from_, renamed_to_);
  // The benchmark printer writes shared subterms once (let) and never elides; its output is
  // "; \n(set-info ...)\n(declare-fun ...)*\n(assert\n ...)\n(check-sat)\n". Names hold no line
  // breaks (smt2_safe_name), so the first line starting "(assert" is the assertion.
  const std::string all = Z3_benchmark_to_smtlib_string(*ctx_, "", "", "unknown", "", 0, nullptr, f);
  const std::size_t from = all.find("\n(assert");
  const std::size_t to = all.rfind("(check-sat)");
  if (from == std::string::npos || to == std::string::npos || to < from) {
    return "(assert " + f.to_string() + ")\n";  // not the layout above: the plain printer
  }
  return all.substr(from + 1, to - from - 1);
}

void Smt2Script::add(const z3::expr& formula) { segment_->text += assertion(formula); }

void Smt2Script::check(const z3::expr_vector& assumptions, const char* status) {
  std::string text = "(push 1)\n";
  for (unsigned i = 0; i < assumptions.size(); ++i) {
    const z3::expr a = assumptions[i];
    if (a.is_const() && a.decl().decl_kind() == Z3_OP_UNINTERPRETED &&
        declared_.count(Z3_get_func_decl_id(*ctx_, a.decl())) && renamed_from_.empty()) {
      text += "(assert " + a.to_string() + ")\n";  // the usual case: a tracked literal
    } else {
      text += assertion(a);  // its declarations go to the segment now, before this push
    }
  }
  segment_->text += text + "(set-info :status " + status + ")\n(check-sat)\n(pop 1)\n";
  ++segment_->checks;
}

}  // namespace vpcprove::solver
