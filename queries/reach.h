// SPDX-License-Identifier: Apache-2.0
// `reach`: can some packet of a header space get from one endpoint to another? Witness or proof.
#pragma once

#include <z3++.h>

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/ipv4.h"
#include "encoder/encoder.h"
#include "encoder/path_encoding.h"
#include "graph/forwarding_graph.h"
#include "graph/waypoints.h"
#include "intent/question.h"
#include "model/assumption.h"
#include "model/endpoint.h"
#include "model/network.h"
#include "model/walk.h"
#include "solver/solver.h"
#include "trace/trace.h"

namespace vpcprove::queries {

enum class Verdict { Reachable, Unreachable, Unknown };
const char* to_string(Verdict v);  // "reachable", "unreachable", "unknown"

/** A reason's detail for traffic handed to a gateway vpcprove does not follow (a transit or
 *  virtual private gateway, ...): "the traffic leaves by tgw-1 (route: 10.2.0.0/16 -> tgw-1),
 *  a gateway vpcprove does not follow: ..."; route may be "". */
std::string unfollowed_gateway_text(const std::string& gateway, const std::string& route);

/** Where one way the traffic could go stops, for unreachable answers. */
struct Reason {
  std::string at;    ///< AWS ID of the resource that stops it
  std::string step;  ///< the hop kind ("sg-ingress", "nacl-egress", "route", ...)
  std::string code;  ///< docs/semantics.md / Reachability Analyzer style code
  std::string detail;
  std::string from_member;        ///< the source member this path starts at
  std::vector<std::string> path;  ///< the vertices of the candidate path, for people
  // Set by why_not (queries/explain.h); empty / 0 / true when the prover alone filled the reason.
  std::string direction;  ///< "ingress" or "egress" for filters and gateways, else ""
  std::string
      field;         ///< the packet field that fails here, "destination-port 3306"; "" when no one field does
  std::string rule;  ///< the deciding rule or route ("acl-0d4 rule 50 deny (...)"), or what is missing
  int way = 0;       ///< which way (candidate path) of the answer this is on, from 1; 0: not numbered
  bool first = true;  ///< the first component that stops this way; false: a later one that also would
};

struct ReachResult {
  Verdict verdict = Verdict::Unknown;
  Semantics semantics = Semantics::Packet;
  std::string from;  ///< as the user wrote it
  std::string to;
  std::vector<std::string> through;  ///< the question's waypoints, as written (ReachQuery::waypoints)
  std::vector<std::string> not_through;
  // Set when reachable:
  std::optional<model::Id> from_member;  ///< the source ENI, or "internet"
  std::optional<model::Id> to_member;    ///< the ENI delivered to, or "internet"
  std::optional<model::Packet> packet;   ///< the witness's first header
  std::vector<model::Hop> path;          ///< its hops, named exactly as trace names them
  model::Disposition disposition = model::Disposition::Dropped;
  std::optional<trace::SessionWalk> session;  ///< the witness replayed with its reply (trace::walk_session)
  // Set when unreachable (reasons) or unknown (unknown_reason):
  std::vector<Reason> reasons;
  /**
   * What the answer rests on (cli-contract.md, "Proofs never rest on silent assumptions"):
   * for a proof, every unfollowed gateway, missing resource, appliance, unread IPv6 field or
   * contradiction that traffic of this space meets; for a witness, those its path passes.
   * Sorted, distinct.
   */
  std::vector<model::Assumption> assumptions;
  /** Set when verdict is Unknown only because a proof rests on assumptions (and the policy was
   *  Conditional): the verdict under them (Unreachable). */
  std::optional<Verdict> if_assumed;
  std::string unknown_reason;
  double elapsed_ms = 0;
  /** Of elapsed_ms, building the prover when the command did (its forwarding graph, with its Z3
   *  context made meanwhile); else 0. */
  double graph_ms = 0;
  unsigned solver_checks = 0;
  std::size_t candidate_paths = 0;
};

struct ReachQuery {
  model::Endpoint from;
  model::Endpoint to;
  HeaderSpace header;
  Semantics semantics = Semantics::Packet;
  unsigned timeout_ms = 0;  ///< per solver call; 0: none
  /** Conditional: a proof resting on assumptions is Unknown (if_assumed Unreachable). */
  model::AssumptionPolicy assume = model::AssumptionPolicy::Conditional;
  /** Waypoints (graph/waypoints.h): only the paths that pass each waypoint of through and touch
   *  none of not_through count, for the verdict and the witness alike. The reply of a session is
   *  not constrained (a scope's ThroughResources are about the path of the flow). */
  graph::PathConstraints waypoints = {};
};

/** The source members reasons are about. */
std::set<model::Id> reason_members(const std::vector<Reason>& reasons);
/** Replaces result's reasons by first, member by member: first's reasons, then result's own for
 *  the members first does not name. */
void merge_reasons(std::vector<Reason> first, ReachResult& result);

/**
 * Applies policy to an answer whose assumptions are filled: an Unreachable answer with
 * assumptions becomes Unknown with if_assumed Unreachable under Conditional; nothing changes
 * otherwise. Idempotent.
 */
void apply_assumption_policy(ReachResult& result, model::AssumptionPolicy policy);

/** The ENIs one question needs vertices for: its endpoints' (every ENI when the destination is
 *  a CIDR, which any ENI may own). A Prover of this scope answers that question only. */
graph::EniScope eni_scope(const model::Network& network, const ReachQuery& query);

/**
 * Answers reach questions over one network. Builds the forwarding graph, one Z3 context and
 * one incremental solver once; every later query shares their encodings. Not thread-safe:
 * one Prover per thread. The network must outlive it.
 */
class Prover {
 public:
  /** solver_options.timeout_ms is overridden by each query's; smt2 records its checks (--emit-smt2).
   *  A scope other than every() answers only questions whose endpoints it holds (eni_scope). */
  explicit Prover(const model::Network& network, const solver::Options& solver_options = {},
                  const graph::EniScope& scope = graph::EniScope::every());
  ~Prover();
  Prover(const Prover&) = delete;
  Prover& operator=(const Prover&) = delete;

  /**
   * Reasons another engine gives for an unreachable answer (why-not, queries/why_not.h), asked
   * with the answer so far (its verdict, assumptions and the prover's reasons for sources with
   * no candidate path). They replace the prover's own reasons for the source members they
   * name, and the prover spends no checks explaining those members' blocked paths.
   */
  using ReasonsFirst = std::function<std::vector<Reason>(const ReachResult& unreachable)>;

  /** Reachable (with a witness that trace replays), unreachable (with reasons), or unknown.
   *  reasons_first, when given, is asked for the reasons of an answer that is unreachable, or
   *  unknown only because it rests on assumptions. */
  ReachResult reach(const ReachQuery& query, const ReasonsFirst& reasons_first = nullptr);

  [[nodiscard]] const graph::ForwardingGraph& graph() const { return graph_; }
  /** This prover's encodings (its Z3 context, rule sets, ingress maps), for work on the same
   *  thread that asks more of the same question (add_why_not) without a context of its own. */
  [[nodiscard]] encoder::PathEncoder& encodings();
  /**
   * true (the default): a candidate path that a group on the way closes to every address of the
   * source, or a route of a family the source has no address of, is blocked without a solver
   * check (queries/source_refutation.h); false: every path is checked. The answers are the same
   * (the tests hold the two to each other); only the number of checks differs.
   */
  void refute_by_addresses(bool on);
  /** Candidate paths refuted so, over every question this prover answered. */
  [[nodiscard]] std::size_t refuted_paths() const;

 private:
  struct Impl;
  const model::Network& network_;
  std::future<std::unique_ptr<z3::context>> pending_context_;  ///< made while graph_ is built
  graph::ForwardingGraph graph_;
  std::unique_ptr<Impl> impl_;
};

/** One-shot convenience: resolves the endpoints (InputError on bad ones) and answers. */
ReachResult reach(const model::Network& network, const std::string& from, const std::string& to,
                  const HeaderSpace& header, Semantics semantics = Semantics::Packet,
                  unsigned timeout_ms = 0);

}  // namespace vpcprove::queries
