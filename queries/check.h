// SPDX-License-Identifier: Apache-2.0
// `check`: every invariant of a spec answered with the prover as holds, violated or unknown.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "graph/waypoints.h"
#include "intent/spec.h"
#include "model/endpoint.h"
#include "model/network.h"
#include "queries/reach.h"

namespace vpcprove::queries {

/** holds: proved; violated: a counterexample exists; unknown: a solver limit (never "holds"). */
enum class CheckVerdict { Holds, Violated, Unknown };
const char* to_string(CheckVerdict v);  // "holds", "violated", "unknown"

/**
 * An invariant with its selectors resolved against one network: from and to with every
 * exemption (except, from_except, to_except) already removed from their ENI sets.
 */
struct ResolvedInvariant {
  Invariant invariant;
  model::Endpoint from;
  model::Endpoint to;
  graph::PathConstraints waypoints = {};  ///< invariant.through / not_through, resolved
};

/**
 * Resolves an endpoint the way spec files write it: the contract's forms through
 * model::resolve_endpoint, plus the spec-level selectors of is_spec_selector() (all-enis,
 * sg-name:NAME). Throws InputError naming the endpoint when it does not resolve.
 */
model::Endpoint resolve_spec_endpoint(const model::Network& network, const std::string& text);

/**
 * Resolves from, to and the exemptions of an invariant. An exemption removes ENIs from the
 * ENI-set sides (an internet or CIDR side keeps everything); an exemption that is itself the
 * internet or a CIDR is an error, as is an unknown ID. Errors are InputError naming the spec
 * file and the invariant's line ("specs/x.yaml:12: …"), exit 2 in the CLI.
 */
ResolvedInvariant resolve_invariant(const model::Network& network, const Invariant& invariant);

/** One (source member, destination member) pair of a reachable invariant that fails or is unknown. */
struct PairOutcome {
  model::Id from_member;  ///< ENI ID, or the endpoint text for an internet/CIDR side
  model::Id to_member;
  Verdict verdict = Verdict::Unknown;  ///< Unreachable (the pair fails) or Unknown
};

/** What check found for one invariant. */
struct InvariantResult {
  Invariant invariant;
  CheckVerdict verdict = CheckVerdict::Unknown;
  /**
   * The answer shown with the verdict, in the shape `reach` prints:
   * - unreachable invariants: the existential question over the whole sets (the proof with its
   *   reasons when it holds, the counterexample packet and path when violated);
   * - reachable invariants: the first failing pair's proof of unreachability when violated, the
   *   first unknown pair's answer when unknown, the first pair's witness when it holds.
   * from/to are the invariant's selectors; from_member/to_member name the pair.
   */
  ReachResult evidence;
  bool has_evidence = false;  ///< false for a vacuous invariant (an empty side) that asked nothing
  /** Reachable invariants: every pair that fails (Unreachable) or was not decided (Unknown), in order. */
  std::vector<PairOutcome> failing_pairs;
  /**
   * Every counterexample found, when the question enumerates them (Network Access Analyzer
   * scopes: one per (source, destination) pair, sorted); empty for spec invariants, whose one
   * counterexample is evidence.
   */
  std::vector<ReachResult> findings;
  std::size_t pairs = 0;           ///< questions asked to the prover for this invariant
  bool vacuous = false;            ///< a side had no members: holds without asking anything
  std::vector<std::string> notes;  ///< for people: vacuous sides, skipped self-pairs, assumptions
  /** What the verdict rests on: the assumptions of every answer behind it (reach's), sorted. */
  std::vector<model::Assumption> assumptions;
  /** Set when verdict is Unknown only because a proof rests on assumptions: the verdict under them. */
  std::optional<CheckVerdict> if_assumed;
  double elapsed_ms = 0;
};

/**
 * The counterexamples a report shows for a result: findings when there are any, else the
 * evidence of a violated invariant, else nothing.
 */
std::vector<const ReachResult*> counterexamples(const InvariantResult& result);

/** Totals of a run. */
struct CheckSummary {
  std::size_t holds = 0;
  std::size_t violated = 0;
  std::size_t unknown = 0;
};
CheckSummary summarize(const std::vector<InvariantResult>& results);

/** The contract's exit code for results: 1 if any violated, else 3 if any unknown, else 0. */
int exit_code_of(const CheckSummary& summary);

/** The prover call, replaceable in tests (e.g. to fake a solver limit). */
using AskFunction = std::function<ReachResult(Prover&, const ReachQuery&)>;

struct CheckOptions {
  unsigned timeout_ms = 0;  ///< per solver call; 0: none
  unsigned jobs = 1;        ///< worker threads, each with its own Prover (z3 context); 0: all cores
  /** Called after each invariant (done, total, name), from worker threads, serialised by check. */
  std::function<void(std::size_t, std::size_t, const std::string&)> progress;
  AskFunction ask;  ///< default: Prover::reach
  /**
   * When non-empty: answer only the invariants at these positions (ascending), and return their
   * results in this order (check --shard). Every invariant is still resolved, and a question an
   * earlier invariant repeats is noted as in the whole run, so a shard's results are the whole
   * run's at those positions.
   */
  std::vector<std::size_t> positions;
  /** Conditional: an invariant whose proof rests on assumptions is unknown (with if_assumed). */
  model::AssumptionPolicy assume = model::AssumptionPolicy::Conditional;
};

/**
 * Answers one invariant with prover (see InvariantResult for what is asked):
 * - expect unreachable: one question per dst port range with the whole sets (some member
 *   pair delivers a packet ⇔ violated); packet semantics unless the invariant says otherwise.
 * - expect reachable: one question per (from member, to member) pair, every pair must have a
 *   working connection (session semantics unless the invariant says otherwise). A pair of an
 *   ENI with itself is skipped (noted). Any failing pair: violated; else any unknown: unknown.
 */
InvariantResult check_invariant(Prover& prover, const ResolvedInvariant& resolved,
                                const CheckOptions& options);

/**
 * Resolves every invariant (InputError with file:line on the first bad one, before any
 * solving) and answers them, options.jobs at a time, one Prover per worker thread. Results
 * are in the order of invariants whatever the scheduling.
 */
std::vector<InvariantResult> run_check(const model::Network& network,
                                       const std::vector<Invariant>& invariants, const CheckOptions& options);

}  // namespace vpcprove::queries
