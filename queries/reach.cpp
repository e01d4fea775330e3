// SPDX-License-Identifier: Apache-2.0
// reach: candidate paths from the graph, each checked by Z3; witnesses named like trace.
// This file asks the question and walks its candidate paths; the phases of an answer are in
// prover_witness.cpp, prover_blocked.cpp and prover_unreached.cpp (queries/prover_impl.h).
#include "queries/reach.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "graph/paths.h"
#include "graph/step_meaning.h"
#include "model/describe.h"
#include "model/drop_code.h"
#include "model/hop_step.h"
#include "queries/assumptions.h"
#include "queries/behaviour_classes.h"
#include "queries/header_space.h"
#include "queries/prover_impl.h"
#include "queries/question.h"
#include "solver/least_packet.h"

namespace vpcprove::queries {

using encoder::EncodedPath;
using encoder::Header;
using graph::StepKind;
using model::Id;
using solver::Outcome;

std::string unfollowed_gateway_text(const std::string& gateway, const std::string& route) {
  return "the traffic leaves by " + gateway + (route.empty() ? "" : " (route " + route + ")") +
         ", a gateway vpcprove does not follow: where it goes beyond " + gateway + " is not modelled";
}

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::Reachable:
      return "reachable";
    case Verdict::Unreachable:
      return "unreachable";
    case Verdict::Unknown:
      return "unknown";
  }
  return "unknown";
}

void apply_assumption_policy(ReachResult& r, model::AssumptionPolicy policy) {
  if (policy != model::AssumptionPolicy::Conditional || r.verdict != Verdict::Unreachable ||
      r.assumptions.empty()) {
    return;
  }
  r.verdict = Verdict::Unknown;
  r.if_assumed = Verdict::Unreachable;
  std::string names;
  for (const auto& a : r.assumptions) names += (names.empty() ? "" : ", ") + a.id + " (" + a.kind + ")";
  r.unknown_reason = "unreachable only if vpcprove's assumptions hold about " + names +
                     " (--assume opaque-drops accepts them)";
}

Prover::Impl::Impl(const model::Network& n, const graph::ForwardingGraph& graph,
                   const solver::Options& options, std::unique_ptr<z3::context> context)
    : net(n),
      g(graph),
      own_ctx(std::move(context)),
      ctx(*own_ctx),
      // IPv6 packets exist where the network has IPv6 at all; elsewhere IPv4-only formulas.
      enc(ctx, n, n.has_ipv6()),
      paths(enc, graph),
      options(options),
      solver(ctx, options),
      h(enc.header("h")),
      refuter(n) {
  solver.define("h/well-formed", encoder::well_formed(h));
}

const std::vector<std::vector<Id>>& Prover::Impl::classes_of(const std::vector<Id>& enis,
                                                             bool as_destination) {
  for (const auto& r : remembered_classes) {
    if (r.as_destination == as_destination && r.enis == enis) return r.classes;
  }
  remembered_classes.push_back({enis, as_destination, behaviour_classes(g, enis, as_destination)});
  return remembered_classes.back().classes;
}

Asking Prover::Impl::ask(const ReachQuery& q) {
  Asking a{q, "query" + std::to_string(++queries), {}, nullptr, {}, {}, false, {}, {}, {}};
  a.out.from = q.from.text;
  a.out.to = q.to.text;
  a.out.semantics = q.semantics;
  for (const auto& w : q.waypoints.through) a.out.through.push_back(w.text);
  for (const auto& w : q.waypoints.not_through) a.out.not_through.push_back(w.text);
  solver.note(a.qid + ": reach from " + q.from.text + " to " + q.to.text + " (" + to_string(q.semantics) +
              " semantics)");
  a.base.emplace_back(a.qid + "/header-space", encode_header_space(enc, h, q));
  // Sources and targets, ENIs grouped by behaviour class for first packets.
  Classes classes(*this);
  // A waypoint naming single ENIs tells members of one behaviour class apart: each ENI alone then.
  a.question = std::make_shared<const Question>(q.waypoints.names_interfaces() ? resolve_each_eni_alone(g, q)
                                                                               : resolve(g, q, classes));
  for (const auto& qs : a.question->sources) a.sources.push_back({qs, std::nullopt});
  return a;
}

TrackedBase Prover::Impl::source_base(Asking& a, AskedSource& src) {
  if (!src.constraint) src.constraint = source_address(enc, h, net, src);
  auto base = a.base;
  base.emplace_back(a.qid + "/from " + src.member, *src.constraint);
  return base;
}

bool Prover::Impl::find_witness(Asking& a) {
  const ReachQuery& q = a.query;
  for (std::size_t si = 0; si < a.sources.size(); ++si) {
    const TrackedBase base = source_base(a, a.sources[si]);
    // Waypoints restrict the candidate paths themselves (graph/waypoints.h): a proof over the
    // paths left is a proof over every packet whose walk is one of them.
    const auto fwd = graph::enumerate_paths(g, a.sources[si].start, a.question->targets, graph::Mode::Forward,
                                            q.waypoints);
    a.truncated = a.truncated || fwd.truncated;
    a.out.candidate_paths += fwd.paths.size();
    std::optional<SourceAddresses> sends_from;  // made at the source's first path: many have none
    for (const auto& path : fwd.paths) {
      auto blocked_at = [&](std::size_t prefix, bool from_core = true) {
        a.unexplained.push_back({a.out.reasons.size(), si, path, prefix, from_core});
        a.out.reasons.emplace_back();
      };
      const EncodedPath ep = encode_candidate(path, *a.question, a.qid);
      // A group on the way admits none of the source's addresses, or a route carries a family
      // the source has none of (queries/source_refutation.h): the prefix of literals up to that
      // step is unsat, as a check would have found, and no solver is made for the path. Its
      // reason is found as for any blocked path (explain_blocked: the first blocking literal,
      // the same one whatever unsat prefix the search starts from).
      if (refute_by_addresses && !sends_from) sends_from = source_addresses(net, a.sources[si]);
      if (const auto k = refute_by_addresses ? refuter.refuted_at(ep, *sends_from, h.name) : std::nullopt) {
        ++refuted_paths;
        blocked_at(*k + 1, false);
        continue;
      }
      const std::vector<z3::expr> sbase = begin_path(base, q.timeout_ms);
      const auto lits = load(ep, false);
      // A private ENI behind an internet gateway, a NACL that denies everything: no check needed.
      if (const auto k = first_constant_false(lits)) {
        blocked_at(*k + 1);
        continue;
      }
      const auto r = check(sbase, lits, lits.size());
      if (r.outcome == Outcome::Unknown) {
        a.unknown = r.reason_unknown;
        continue;
      }
      if (r.outcome == Outcome::Unsat) {
        blocked_at(unsat_prefix(lits, r.core));
        continue;
      }
      const CarryingPath carrying{si, path, ep, lits, sbase};
      // The assumptions the model satisfies: the witness is made least under them (least_model).
      z3::expr_vector witnessed(ctx);
      for (const auto& b : sbase) witnessed.push_back(b);
      for (const auto& l : lits) witnessed.push_back(l.literal);
      // An AWS service answers unfiltered: its reply always comes back (trace: walk_session).
      const bool to_service = g.vertex(path.end(g.graph())).kind == graph::VertexKind::AwsService;
      z3::model model = *r.model;
      if (q.semantics == Semantics::Session && !to_service) {
        a.open_members.insert(a.sources[si].member);
        const auto replied = answered_reply(a, carrying, witnessed);
        if (!replied) continue;
        model = *replied;
      }
      show_witness(a, carrying, readable_witness(a, carrying, model, witnessed));
      return true;
    }
  }
  return false;
}

graph::EniScope eni_scope(const model::Network& network, const ReachQuery& query) {
  if (query.to.cidr || query.to.cidr6) return graph::EniScope::every();
  std::vector<Id> enis = query.from.interfaces;
  enis.insert(enis.end(), query.to.interfaces.begin(), query.to.interfaces.end());
  if (query.from.cidr) {
    for (const auto* e : model::interfaces_with_address_in(network, *query.from.cidr)) enis.push_back(e->id);
  }
  if (query.from.cidr6) {
    for (const auto* e : model::interfaces_with_address_in6(network, *query.from.cidr6))
      enis.push_back(e->id);
  }
  return graph::EniScope::only(std::move(enis));
}

// Creating a Z3 context takes ~7 ms, about what a question's forwarding graph takes at 100k
// ENIs: the context is made on another thread meanwhile (or here, deferred, when no thread can
// be started).
Prover::Prover(const model::Network& network, const solver::Options& solver_options,
               const graph::EniScope& scope)
    : network_(network),
      pending_context_(std::async(std::launch::async | std::launch::deferred,
                                  [] { return std::make_unique<z3::context>(); })),
      graph_(network, scope),
      impl_(std::make_unique<Impl>(network_, graph_, solver_options, pending_context_.get())) {}

Prover::~Prover() = default;

encoder::PathEncoder& Prover::encodings() { return impl_->paths; }

void Prover::refute_by_addresses(bool on) { impl_->refute_by_addresses = on; }

std::size_t Prover::refuted_paths() const { return impl_->refuted_paths; }

std::set<Id> reason_members(const std::vector<Reason>& reasons) {
  std::set<Id> out;
  for (const auto& r : reasons) out.insert(r.from_member);
  return out;
}

void merge_reasons(std::vector<Reason> first, ReachResult& result) {
  const std::set<Id> covered = reason_members(first);
  for (auto& r : result.reasons) {
    if (!covered.count(r.from_member)) first.push_back(std::move(r));
  }
  result.reasons = std::move(first);
}

ReachResult Prover::reach(const ReachQuery& q, const ReasonsFirst& reasons_first) {
  const auto t0 = std::chrono::steady_clock::now();
  Impl& I = *impl_;
  const unsigned checks_before = I.checks();
  I.solver.set_timeout(q.timeout_ms);
  Asking a = I.ask(q);
  auto finish = [&]() {
    a.out.solver_checks = I.checks() - checks_before;
    a.out.elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return std::move(a.out);
  };
  if (I.find_witness(a)) return finish();

  for (const auto& u : a.unexplained) a.out.reasons[u.slot].from_member = a.sources[u.source].member;
  const Blocked blocked{a.base,    a.sources,    a.question->target_members, std::move(a.unexplained),
                        a.qid,     q.timeout_ms, a.out.reasons.size(),       std::move(a.open_members),
                        a.question};
  if (!reasons_first || a.truncated || !a.unknown.empty()) I.explain_blocked(blocked, a.out.reasons, {});
  if (a.truncated || !a.unknown.empty()) {
    a.out.verdict = Verdict::Unknown;
    a.out.unknown_reason = !a.unknown.empty() ? a.unknown : "too many candidate paths (enumeration limit)";
    return finish();
  }
  a.out.verdict = Verdict::Unreachable;
  // Explain sources with no candidate path at all by where their traffic does go, and list
  // what the proof rests on.
  const WayEnds ends = way_ends(graph_);
  I.explain_sources_without_path(a, ends);
  I.add_assumptions_met(a, ends);
  apply_assumption_policy(a.out, q.assume);
  if (reasons_first) {
    // The blocked paths' slots are still empty: the other engine's reasons come first, and the
    // prover explains only the members they leave out.
    std::vector<Reason> theirs = reasons_first(a.out);
    I.explain_blocked(blocked, a.out.reasons, reason_members(theirs));
    merge_reasons(std::move(theirs), a.out);
  }
  return finish();
}

ReachResult reach(const model::Network& network, const std::string& from, const std::string& to,
                  const HeaderSpace& header, Semantics semantics, unsigned timeout_ms) {
  const ReachQuery query{model::resolve_endpoint(network, from, model::Ipv6Endpoints::Accepted),
                         model::resolve_endpoint(network, to, model::Ipv6Endpoints::Accepted), header,
                         semantics, timeout_ms};
  Prover prover(network, {}, eni_scope(network, query));
  return prover.reach(query);
}

}  // namespace vpcprove::queries
