// SPDX-License-Identifier: Apache-2.0
// Invariants answered pair by pair (reachable) or existentially (unreachable), in parallel.
#include "queries/check.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "common/diagnostics.h"
#include "queries/explain.h"

namespace vpcprove::queries {

const char* to_string(CheckVerdict v) {
  switch (v) {
    case CheckVerdict::Holds:
      return "holds";
    case CheckVerdict::Violated:
      return "violated";
    case CheckVerdict::Unknown:
      return "unknown";
  }
  return "unknown";
}

CheckSummary summarize(const std::vector<InvariantResult>& results) {
  CheckSummary s;
  for (const auto& r : results) {
    switch (r.verdict) {
      case CheckVerdict::Holds:
        ++s.holds;
        break;
      case CheckVerdict::Violated:
        ++s.violated;
        break;
      case CheckVerdict::Unknown:
        ++s.unknown;
        break;
    }
  }
  return s;
}

std::vector<const ReachResult*> counterexamples(const InvariantResult& r) {
  std::vector<const ReachResult*> out;
  for (const auto& f : r.findings) out.push_back(&f);
  if (out.empty() && r.verdict == CheckVerdict::Violated && r.has_evidence) out.push_back(&r.evidence);
  return out;
}

int exit_code_of(const CheckSummary& s) {
  if (s.violated > 0) return 1;
  if (s.unknown > 0) return 3;
  return 0;
}

model::Endpoint resolve_spec_endpoint(const model::Network& network, const std::string& text) {
  if (!is_spec_selector(text)) return model::resolve_endpoint(network, text, model::Ipv6Endpoints::Accepted);
  model::Endpoint e;
  e.text = text;
  std::set<model::Id> groups;
  const bool all = text == "all-enis";
  if (!all) {
    const std::string name = text.substr(std::string("sg-name:").size());
    for (const auto& [id, sg] : network.security_groups) {
      if (sg.name == name) groups.insert(id);
    }
  }
  for (const auto& [id, eni] : network.network_interfaces) {
    if (!eni.in_sets()) continue;
    if (all || std::any_of(eni.security_group_ids.begin(), eni.security_group_ids.end(),
                           [&](const model::Id& g) { return groups.count(g) > 0; })) {
      e.interfaces.push_back(id);
    }
  }
  return e;
}

ResolvedInvariant resolve_invariant(const model::Network& network, const Invariant& inv) {
  const std::string where = inv.file + ':' + std::to_string(inv.line);
  auto resolve = [&](const char* key, const std::string& text) {
    try {
      return resolve_spec_endpoint(network, text);
    } catch (const InputError& e) {
      throw InputError(where, "", "invariant '" + inv.name + "': '" + key + "': " + e.what());
    }
  };
  ResolvedInvariant out{inv, resolve("from", inv.from), resolve("to", inv.to), {}};
  auto waypoints = [&](const char* key, const std::vector<std::string>& list,
                       std::vector<graph::Waypoint>& into) {
    for (const auto& text : list) {
      try {
        into.push_back(graph::resolve_waypoint(network, text));
      } catch (const InputError& e) {
        throw InputError(where, "", "invariant '" + inv.name + "': '" + key + "': " + e.what());
      }
    }
  };
  waypoints("through", inv.through, out.waypoints.through);
  waypoints("not_through", inv.not_through, out.waypoints.not_through);
  auto exempt = [&](const char* key, const std::vector<std::string>& list, bool from_side, bool to_side) {
    for (const auto& text : list) {
      const model::Endpoint x = resolve(key, text);
      if (!x.is_interface_set()) {
        throw InputError(where, "",
                         "invariant '" + inv.name + "': '" + key + "': '" + text +
                             "' is not a set of network interfaces (only ENI sets can be exempted)");
      }
      const std::set<model::Id> drop(x.interfaces.begin(), x.interfaces.end());
      for (auto* side : {from_side ? &out.from : nullptr, to_side ? &out.to : nullptr}) {
        if (!side || !side->is_interface_set()) continue;
        std::erase_if(side->interfaces, [&](const model::Id& id) { return drop.count(id) > 0; });
      }
    }
  };
  exempt("except", inv.except, true, true);
  exempt("from_except", inv.from_except, true, false);
  exempt("to_except", inv.to_except, false, true);
  return out;
}

namespace {

ReachResult default_ask(Prover& prover, const ReachQuery& q) { return prover.reach(q); }

/** The members of a side, one query endpoint each: its ENIs, or the side itself (internet, CIDR). */
std::vector<model::Endpoint> members_of(const model::Endpoint& side) {
  if (!side.is_interface_set()) return {side};
  std::vector<model::Endpoint> out;
  for (const auto& id : side.interfaces) {
    model::Endpoint m;
    m.text = id;
    m.interfaces = {id};
    out.push_back(std::move(m));
  }
  return out;
}

/** The invariant's header space; a port list is one set, so the whole list is one question. */
HeaderSpace header_space(const Invariant& inv) {
  HeaderSpace h = inv.header;
  h.dst_port_set = inv.dst_port_list;
  return h;
}

void check_unreachable(Prover& prover, const ResolvedInvariant& ri, const CheckOptions& o,
                       const AskFunction& ask, InvariantResult& out) {
  ReachResult r = ask(prover, {ri.from, ri.to, header_space(ri.invariant), ri.invariant.effective_semantics(),
                               o.timeout_ms, o.assume, ri.waypoints});
  apply_assumption_policy(r, o.assume);  // an AskFunction may leave it to check
  ++out.pairs;
  out.verdict = r.verdict == Verdict::Reachable ? CheckVerdict::Violated
                : r.verdict == Verdict::Unknown ? CheckVerdict::Unknown
                                                : CheckVerdict::Holds;
  out.assumptions = r.assumptions;
  if (r.if_assumed) {
    out.if_assumed = CheckVerdict::Holds;
    out.notes.push_back("holds only under the assumptions listed (--assume opaque-drops accepts them)");
  } else if (out.verdict == CheckVerdict::Holds && !r.assumptions.empty()) {
    out.notes.push_back("holds under the assumptions listed (accepted by --assume opaque-drops)");
  }
  for (const auto& a : r.assumptions) out.notes.push_back("assumption: " + model::describe(a));
  out.evidence = std::move(r);
  out.has_evidence = true;
}

void check_reachable(Prover& prover, const ResolvedInvariant& ri, const CheckOptions& o,
                     const AskFunction& ask, InvariantResult& out) {
  const auto sources = members_of(ri.from);
  const auto targets = members_of(ri.to);
  const HeaderSpace header = ri.invariant.header;
  const Semantics semantics = ri.invariant.effective_semantics();
  bool have_witness = false;
  bool have_failure = false;
  bool have_unknown = false;
  bool only_assumed_unknowns = true;  // every unknown pair is one only because of assumptions
  std::size_t self_pairs = 0;
  for (const auto& src : sources) {
    for (const auto& dst : targets) {
      if (ri.from.is_interface_set() && ri.to.is_interface_set() && src.interfaces == dst.interfaces) {
        ++self_pairs;  // an ENI talking to itself never leaves it: not a network question
        continue;
      }
      ReachResult r = ask(prover, {src, dst, header, semantics, o.timeout_ms, o.assume, ri.waypoints});
      apply_assumption_policy(r, o.assume);
      ++out.pairs;
      model::add_assumptions(out.assumptions, r.assumptions);
      if (r.verdict == Verdict::Unknown && !r.if_assumed) only_assumed_unknowns = false;
      if (r.verdict == Verdict::Reachable) {
        if (!have_witness && !have_failure && !have_unknown) {
          out.evidence = std::move(r);
          out.has_evidence = true;
          have_witness = true;
        }
        continue;
      }
      out.failing_pairs.push_back({src.text, dst.text, r.verdict});
      r.from_member = src.text;
      r.to_member = dst.text;
      if (r.verdict == Verdict::Unreachable && !have_failure) {
        // The pair shown as evidence gets the full why-not reasons, as reach prints them;
        // only this one, so a large failing set costs one explanation, not one per pair.
        add_why_not(prover, {src, dst, header, semantics, o.timeout_ms, o.assume, ri.waypoints}, r);
        out.evidence = std::move(r);
        out.has_evidence = true;
        have_failure = true;
      } else if (r.verdict == Verdict::Unknown && !have_failure && !have_unknown) {
        out.evidence = std::move(r);
        out.has_evidence = true;
        have_unknown = true;
      }
    }
  }
  if (self_pairs > 0) {
    out.notes.push_back(std::to_string(self_pairs) + " pair(s) of an interface with itself skipped");
  }
  if (have_failure) {
    out.verdict = CheckVerdict::Violated;
  } else if (have_unknown) {
    out.verdict = CheckVerdict::Unknown;
    // Under its assumptions such a pair is unreachable: the invariant would be violated.
    if (only_assumed_unknowns) {
      out.if_assumed = CheckVerdict::Violated;
      out.notes.push_back("violated under the assumptions listed (--assume opaque-drops accepts them)");
    }
  } else {
    out.verdict = CheckVerdict::Holds;
    if (out.pairs == 0) {
      out.vacuous = true;
      out.notes.push_back("no pair to check (every pair is an interface with itself): holds vacuously");
    }
  }
  for (const auto& a : out.assumptions) out.notes.push_back("assumption: " + model::describe(a));
}

}  // namespace

InvariantResult check_invariant(Prover& prover, const ResolvedInvariant& ri, const CheckOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const AskFunction ask = options.ask ? options.ask : AskFunction(default_ask);
  InvariantResult out;
  out.invariant = ri.invariant;
  for (const auto* side : {&ri.from, &ri.to}) {
    if (side->is_interface_set() && side->interfaces.empty()) {
      out.vacuous = true;
      out.notes.push_back("'" + side->text +
                          "' has no member in this snapshot (after exemptions): holds vacuously");
    }
  }
  if (out.vacuous) {
    out.verdict = CheckVerdict::Holds;
  } else if (ri.invariant.expect == Expectation::Unreachable) {
    check_unreachable(prover, ri, options, ask, out);
  } else {
    check_reachable(prover, ri, options, ask, out);
  }
  out.evidence.from = ri.invariant.from;
  out.evidence.to = ri.invariant.to;
  out.evidence.semantics = ri.invariant.effective_semantics();
  out.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

/**
 * Whether two invariants ask the network the same question: the same members on each side,
 * header space, semantics and expectation (CIS 5.4 and FSBP EC2.2 are one question, for example).
 */
bool same_question(const ResolvedInvariant& a, const ResolvedInvariant& b) {
  auto same_side = [](const model::Endpoint& x, const model::Endpoint& y) {
    return x.internet == y.internet && x.cidr == y.cidr && x.interfaces == y.interfaces;
  };
  const Invariant& x = a.invariant;
  const Invariant& y = b.invariant;
  return same_side(a.from, b.from) && same_side(a.to, b.to) && x.header == y.header &&
         x.dst_port_list == y.dst_port_list && x.expect == y.expect &&
         x.effective_semantics() == y.effective_semantics() && a.waypoints == b.waypoints;
}

std::vector<InvariantResult> run_check(const model::Network& network,
                                       const std::vector<Invariant>& invariants,
                                       const CheckOptions& options) {
  std::vector<ResolvedInvariant> resolved;
  resolved.reserve(invariants.size());
  for (const auto& inv : invariants) resolved.push_back(resolve_invariant(network, inv));

  // Each distinct question is answered once; an invariant that repeats one takes its answer.
  std::vector<std::size_t> answered_by(resolved.size());
  std::vector<std::size_t> work;
  for (std::size_t i = 0; i < resolved.size(); ++i) {
    answered_by[i] = i;
    for (std::size_t j : work) {
      if (same_question(resolved[j], resolved[i])) {
        answered_by[i] = j;
        break;
      }
    }
    if (answered_by[i] == i) work.push_back(i);
  }
  // A shard answers the questions its positions need (an earlier invariant's, when repeated).
  std::vector<std::size_t> wanted = options.positions;
  if (wanted.empty()) {
    for (std::size_t i = 0; i < resolved.size(); ++i) wanted.push_back(i);
  } else {
    std::vector<bool> needed(resolved.size(), false);
    for (const std::size_t p : wanted) needed.at(answered_by.at(p)) = true;
    std::erase_if(work, [&](std::size_t i) { return !needed[i]; });
  }

  std::vector<InvariantResult> results(resolved.size());
  unsigned jobs = options.jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.jobs;
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, work.size())));

  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::mutex progress_mutex;
  std::mutex error_mutex;
  std::exception_ptr error;
  auto worker = [&] {
    try {
      std::unique_ptr<Prover> prover;  // built on first use, in this thread: one z3 context per thread
      for (std::size_t w = next++; w < work.size(); w = next++) {
        const std::size_t i = work[w];
        if (!prover) prover = std::make_unique<Prover>(network);
        results[i] = check_invariant(*prover, resolved[i], options);
        const std::size_t n = ++done;
        if (options.progress) {
          std::lock_guard<std::mutex> lock(progress_mutex);
          options.progress(n, wanted.size(), resolved[i].invariant.name);
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      next = work.size();  // stop the others early
    }
  };
  if (jobs <= 1) {
    worker();
  } else {
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
  }
  if (error) std::rethrow_exception(error);
  for (const std::size_t i : wanted) {
    const std::size_t j = answered_by[i];
    if (j == i) continue;
    InvariantResult r = results[j];
    r.invariant = resolved[i].invariant;
    r.evidence.from = r.invariant.from;
    r.evidence.to = r.invariant.to;
    r.elapsed_ms = 0;
    r.notes.push_back("the same question as '" + resolved[j].invariant.name + "', answered once");
    results[i] = std::move(r);
    if (options.progress) options.progress(++done, wanted.size(), resolved[i].invariant.name);
  }
  if (options.positions.empty()) return results;
  std::vector<InvariantResult> kept;
  kept.reserve(wanted.size());
  for (const std::size_t i : wanted) kept.push_back(std::move(results[i]));
  return kept;
}

}  // namespace vpcprove::queries
