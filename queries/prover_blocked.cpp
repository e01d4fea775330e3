// SPDX-License-Identifier: Apache-2.0
// Why candidate paths are empty: one solver per path, the first literal no packet passes, and
// the reason it names (the resource, its hop step and a Reachability Analyzer style code).
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "graph/paths.h"
#include "graph/step_meaning.h"
#include "model/drop_code.h"
#include "model/hop_step.h"
#include "queries/prover_impl.h"

namespace vpcprove::queries {

using encoder::EncodedPath;
using graph::StepKind;
using model::Id;
using solver::Outcome;

std::vector<z3::expr> Prover::Impl::begin_path(const TrackedBase& base, unsigned timeout_ms) {
  retired_checks += solver.checks();
  solver = solver::Solver(ctx, options);
  solver.set_timeout(timeout_ms);
  solver.define("h/well-formed", encoder::well_formed(h));
  std::vector<z3::expr> out;
  for (const auto& [name, formula] : base) out.push_back(solver.track(name, formula));
  return out;
}

std::vector<Lit> Prover::Impl::load(const EncodedPath& p, bool reply) {
  std::vector<Lit> out;
  for (const auto& d : p.definitions) solver.define(d.name, d.formula);
  for (const auto& s : p.steps) {
    if (s.literal.empty()) continue;
    out.push_back({solver.track(s.literal, s.guard, s.outside ? &*s.outside : nullptr), &s, reply});
  }
  return out;
}

solver::CheckResult Prover::Impl::check(const std::vector<z3::expr>& base, const std::vector<Lit>& lits,
                                        std::size_t count) {
  z3::expr_vector a(ctx);
  for (const auto& b : base) a.push_back(b);
  for (std::size_t i = 0; i < count && i < lits.size(); ++i) a.push_back(lits[i].literal);
  return solver.check(a);
}

EncodedPath Prover::Impl::encode_candidate(const graph::Path& path, const Question& question,
                                           const std::string& qid) {
  EncodedPath ep = paths.encode(path, h);
  const auto class_of_end = question.target_members.find(path.end(g.graph()));
  if (class_of_end != question.target_members.end()) widen_destination(ep, *class_of_end->second, qid);
  return ep;
}

void Prover::Impl::widen_destination(EncodedPath& ep, const std::vector<Id>& members,
                                     const std::string& qid) {
  for (auto it = ep.steps.rbegin(); it != ep.steps.rend(); ++it) {
    if (it->step->kind != StepKind::OwnsDst || it->step->id != members.front()) continue;
    z3::expr_vector owned(ctx);
    for (const auto& id : members)
      owned.push_back(enc.delivered_to(net.network_interfaces.at(id), it->before));
    it->guard = z3::mk_or(owned);
    it->literal = qid + '/' + members.front() + "/owns-dst(class of " + std::to_string(members.size()) +
                  ") @" + it->before.name;
    return;
  }
}

std::size_t Prover::Impl::unsat_prefix(const std::vector<Lit>& lits, const std::vector<std::string>& core) {
  if (core.empty()) return lits.size();
  std::set<std::string> names(core.begin(), core.end());
  for (std::size_t i = lits.size(); i-- > 0;) {
    if (names.count(lits[i].literal.decl().name().str())) return i + 1;
  }
  return lits.size();
}

std::optional<std::size_t> Prover::Impl::first_constant_false(const std::vector<Lit>& lits) {
  for (std::size_t i = 0; i < lits.size(); ++i) {
    if (lits[i].step && lits[i].step->guard.is_false()) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> Prover::Impl::first_blocking(const std::vector<z3::expr>& base,
                                                        const std::vector<Lit>& lits, std::size_t hi,
                                                        std::optional<bool> base_sat) {
  if (!base_sat) {
    const auto r = check(base, lits, 0);
    // A limit hit here says nothing about the header space: reason_for names the limit.
    if (r.outcome == Outcome::Unknown) stopped_before_naming = r.reason_unknown;
    base_sat = r.outcome == Outcome::Sat;
  }
  if (!*base_sat) return std::nullopt;  // the query alone is empty (or the solver stopped)
  std::size_t lo = 0;                   // prefix of lo literals is sat; prefix of hi is unsat (or unknown)
  while (hi - lo > 1) {
    const std::size_t mid = (lo + hi) / 2;
    if (check(base, lits, mid).outcome == Outcome::Sat) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi - 1;
}

Reason Prover::Impl::reason_for(const std::vector<Lit>& lits, std::optional<std::size_t> at,
                                const AskedSource& src, const std::vector<std::string>& vertices) {
  Reason r;
  r.from_member = src.member;
  r.path = vertices;
  if (!at && !stopped_before_naming.empty()) {
    r.at = src.member;
    r.step = "query";
    r.code = model::to_string(model::DropCode::Unknown);
    r.detail = "the solver stopped before naming where this way stops: " + stopped_before_naming;
    stopped_before_naming.clear();
    return r;
  }
  if (!at) {
    r.at = src.member;
    r.step = "query";
    r.code = model::to_string(model::DropCode::NoPacketInHeaderSpace);
    r.detail = "no packet of the asked header space can leave " + src.member;
    return r;
  }
  const Lit& l = lits[*at];
  if (!l.step) {
    r.at = src.member;
    r.step = "reply";
    r.code = model::to_string(model::DropCode::ReplyDoesNotMatchSession);
    r.detail = "the reply does not come back to the initiator with the header it sent, reversed";
    return r;
  }
  const auto& st = *l.step->step;
  const auto* x =
      st.kind == StepKind::OwnsDst ? model::Network::find(net.network_interfaces, st.id) : nullptr;
  if (x && !x->has_public_ip() && l.step->before.name.find("igw-in:") != std::string::npos) {
    // Entered from the internet: only ENIs with a public IP are addressable at all.
    r.at = x->id;
    r.step = model::to_string(model::HopStep::IgwIngress);
    r.code = model::to_string(model::DropCode::IgwPrivateIpAssociationForIngress);
    r.detail = x->id + " has no public or Elastic IP, so nothing from the internet is addressed to it";
    return r;
  }
  r.at = graph::blamed_resource(net, *l.step->step);
  r.step = model::to_string(graph::hop_step(l.step->step->kind));
  r.code = st.kind == StepKind::Active ? net.network_interfaces.at(st.id).inactive_code
                                       : model::to_string(graph::drop_code(st));
  r.detail = (l.reply ? "reply: " : "") + std::string("no packet passes ") + l.literal.decl().name().str();
  return r;
}
void Prover::Impl::explain_blocked(const Blocked& b, std::vector<Reason>& reasons, const std::set<Id>& skip) {
  std::vector<bool> dropped(b.slots, false);
  std::vector<std::optional<bool>> has_packets(b.sources.size());  // a source's space alone, asked once
  for (const auto& u : b.unexplained) {
    const AskedSource& src = b.sources[u.source];
    if (skip.count(src.member) || b.open_members.count(src.member)) {
      dropped[u.slot] = true;
      continue;
    }
    auto source_base = b.base;
    source_base.emplace_back(b.qid + "/from " + src.member, *src.constraint);
    const std::vector<z3::expr> sbase = begin_path(source_base, b.timeout_ms);
    const EncodedPath ep = encode_candidate(u.path, *b.question, b.qid);
    const auto lits = load(ep, false);
    auto& known = has_packets[u.source];
    std::optional<bool> base_sat = known;
    if (!base_sat) {
      const auto r = check(sbase, lits, 0);
      if (r.outcome == Outcome::Unknown) {
        stopped_before_naming = r.reason_unknown;  // not cached: the next path may get an answer
        base_sat = false;
      } else {
        known = base_sat = r.outcome == Outcome::Sat;
      }
    }
    std::size_t hi = u.unsat_prefix;
    if (!u.from_core && base_sat.value_or(true)) {
      const auto r = check(sbase, lits, hi);
      if (r.outcome == Outcome::Unsat) hi = std::min(hi, unsat_prefix(lits, r.core));
    }
    reasons[u.slot] =
        reason_for(lits, first_blocking(sbase, lits, hi, base_sat), src, graph::vertex_names(g, u.path));
  }
  std::vector<Reason> unique;
  std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    if (i < b.slots && dropped[i]) continue;
    auto& r = reasons[i];
    if (i >= b.slots || seen.insert({r.from_member, r.at, r.step, r.code}).second)
      unique.push_back(std::move(r));
  }
  reasons = std::move(unique);
}

}  // namespace vpcprove::queries
