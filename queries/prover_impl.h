// SPDX-License-Identifier: Apache-2.0
// The prover's inside (queries/reach.h's Prover::Impl), shared by the files that answer one
// question in phases: reach.cpp (the question and its candidate paths), prover_witness.cpp
// (a reachable answer: the reply and the witness), prover_blocked.cpp (why paths are empty)
// and prover_unreached.cpp (an unreachable answer: where traffic goes instead, and what the
// proof rests on). Not a public header: nothing outside those files includes it.
#pragma once

#include <z3++.h>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "encoder/encoder.h"
#include "encoder/path_encoding.h"
#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "queries/question.h"
#include "queries/reach.h"
#include "queries/source_refutation.h"
#include "solver/solver.h"

namespace vpcprove::queries {

/** A source of the question, with what its address may be once asked. Built on first use for
 *  ENI classes: at 100k ENIs the sources' formulas cost more than a question answered at its
 *  first source. */
struct AskedSource : QuestionSource {
  std::optional<z3::expr> constraint;
};

/** A candidate path found empty, explained only once no path carries a packet: finding the
 *  first component that blocks a path costs a few checks, wasted on a reachable answer. */
struct Unexplained {
  std::size_t slot;  // its place in the reasons, so reasons keep the order of the paths
  std::size_t source;
  graph::Path path;
  std::size_t unsat_prefix;  // a prefix of its literals known to be unsat
  /** false when no check found the prefix (queries/source_refutation.h refuted the path): the
   *  explanation then asks the prefix once for a core, which is often much shorter, as the
   *  check would have given (the search below it costs a check per halving). */
  bool from_core = true;
};

/** Named formulas every solver of one question tracks (the header space, a source's address). */
using TrackedBase = std::vector<std::pair<std::string, z3::expr>>;

/** What explaining the blocked paths of one answer needs (Impl::explain_blocked). */
struct Blocked {
  TrackedBase base;
  std::vector<AskedSource> sources;  // constraints built: every source was asked
  std::map<graph::VertexId, const std::vector<model::Id>*> target_members;
  std::vector<Unexplained> unexplained;
  std::string qid;
  unsigned timeout_ms = 0;
  std::size_t slots = 0;             // reasons[0, slots) are the paths' reasons, deduplicated together
  std::set<model::Id> open_members;  // their blocked first-packet paths are not explained (Asking)
  std::shared_ptr<const Question> question;  // keeps the groups sources point into
};

/** A literal of a path and the step it guards (null: the session match of a reply). */
struct Lit {
  z3::expr literal;
  const encoder::EncodedStep* step;
  bool reply;
};

/** One question while it is answered: what the phases of Prover::reach share. */
struct Asking {
  const ReachQuery& query;
  std::string qid;  // one literal prefix per query, so queries on one solver never mix
  TrackedBase base;
  std::shared_ptr<const Question> question;
  std::vector<AskedSource> sources;
  ReachResult out;
  bool truncated = false;  // some path enumeration hit its limit
  std::string unknown;     // why a check stopped, when one did
  std::vector<Unexplained> unexplained;
  /** Session semantics: sources whose first packet gets through on some path. What stops their
   *  session is the reply; why their other first-packet paths are empty would only mislead. */
  std::set<model::Id> open_members;
};

/** A candidate path that carries a first packet: its encoding, literals and the solver's base. */
struct CarryingPath {
  std::size_t source;
  const graph::Path& path;
  const encoder::EncodedPath& encoded;
  const std::vector<Lit>& lits;
  const std::vector<z3::expr>& source_base;
};

struct Prover::Impl {
  const model::Network& net;
  const graph::ForwardingGraph& g;
  std::unique_ptr<z3::context> own_ctx;
  z3::context& ctx;
  encoder::Encoder enc;
  encoder::PathEncoder paths;
  solver::Options options;
  /** The solver of the current candidate path (begin_path), also the query's notebook. */
  solver::Solver solver;
  encoder::Header h;
  /** Candidate paths no packet of a source takes, by its addresses alone: no check needed. */
  SourceRefuter refuter;
  bool refute_by_addresses = true;  ///< false: every candidate path is checked (tests compare the two)
  std::size_t refuted_paths = 0;    ///< candidate paths refuted without a check, over every question
  unsigned queries = 0;
  unsigned retired_checks = 0;  // checks of the solvers begin_path replaced
  /** Set by first_blocking when its first check hit a limit; read (and cleared) by reason_for. */
  std::string stopped_before_naming;

  Impl(const model::Network& n, const graph::ForwardingGraph& graph, const solver::Options& options,
       std::unique_ptr<z3::context> context);

  [[nodiscard]] unsigned checks() const { return retired_checks + solver.checks(); }

  // --- The question (reach.cpp) ---

  /** The question's literals, sources and targets, its sources grouped by behaviour class. */
  Asking ask(const ReachQuery& q);
  /** The tracked base of one source: the question's, and what the source's address may be. */
  TrackedBase source_base(Asking& a, AskedSource& src);
  /** Checks every candidate path of every source until one carries the question's packets;
   *  true, with a.out filled as reachable, when one does. Empty paths go to a.unexplained. */
  bool find_witness(Asking& a);

  // --- A reachable answer (prover_witness.cpp) ---

  /** Session semantics: the model of a packet whose reply gets back along some reply path, its
   *  literals added to witnessed; nullopt, with the reply's reason in a.out, when none does. */
  std::optional<z3::model> answered_reply(Asking& a, const CarryingPath& p, z3::expr_vector& witnessed);
  /** The packet model to show for a carrying path: the most readable tier the space allows
   *  (packet semantics), least under the literals it satisfies. */
  z3::model readable_witness(Asking& a, const CarryingPath& p, z3::model model, z3::expr_vector& witnessed);
  /** Fills a.out as reachable by the witness model on p: packet, member path, hops, session. */
  void show_witness(Asking& a, const CarryingPath& p, const z3::model& model);

  // --- Why candidate paths are empty (prover_blocked.cpp) ---

  /** Explains b's paths into reasons (the slots b.slots before left empty), except those of
   *  source members in skip, whose slots are dropped; then one reason per (member, place, code)
   *  among the paths' reasons, as many candidate paths stop at the same resource. */
  void explain_blocked(const Blocked& b, std::vector<Reason>& reasons, const std::set<model::Id>& skip);
  /**
   * A fresh solver for the next candidate path (and its replies and witness), with the
   * query's tracked formulas: an incremental solver keeps every path it was ever given, and
   * one solver per prover made each check slower than the last (check of specs/ on 1k ENIs:
   * minutes). Returns the literals of base.
   */
  std::vector<z3::expr> begin_path(const TrackedBase& base, unsigned timeout_ms);
  /** Asserts the path's definitions and guards; returns its literals in path order. */
  std::vector<Lit> load(const encoder::EncodedPath& p, bool reply);
  solver::CheckResult check(const std::vector<z3::expr>& base, const std::vector<Lit>& lits,
                            std::size_t count);
  /** The path's encoding, its destination widened to the class it ends at (widen_destination). */
  encoder::EncodedPath encode_candidate(const graph::Path& path, const Question& question,
                                        const std::string& qid);
  /**
   * Turns the path's "dst is the representative's address" step into "dst is the address of
   * some member of its destination class" (behaviour_classes), named per query: the class is
   * the query's.
   */
  void widen_destination(encoder::EncodedPath& ep, const std::vector<model::Id>& members,
                         const std::string& qid);
  /** The length of the shortest prefix of lits the unsat core already covers. */
  static std::size_t unsat_prefix(const std::vector<Lit>& lits, const std::vector<std::string>& core);
  /** The first literal whose component is the constant false: it blocks every packet, unsolved. */
  static std::optional<std::size_t> first_constant_false(const std::vector<Lit>& lits);
  /**
   * The first literal of lits at which no packet of the space is left, given that the prefix
   * of hi literals is unsat; nullopt when base alone is. base_sat: whether base alone has a
   * packet, when the caller already knows (it is the same for every path of a source).
   */
  std::optional<std::size_t> first_blocking(const std::vector<z3::expr>& base, const std::vector<Lit>& lits,
                                            std::size_t hi, std::optional<bool> base_sat = std::nullopt);
  Reason reason_for(const std::vector<Lit>& lits, std::optional<std::size_t> at, const AskedSource& src,
                    const std::vector<std::string>& vertices);

  // --- An unreachable answer (prover_unreached.cpp) ---

  /** For each source no candidate path explains: where its traffic does go instead (an
   *  unfollowed gateway it leaves by, a drop on the way), or that no path leads anywhere. */
  void explain_sources_without_path(Asking& a, const WayEnds& ends);
  /** The assumptions the proof rests on: unfollowed gateways and appliances some packet of the
   *  space meets, and the endpoints'. */
  void add_assumptions_met(Asking& a, const WayEnds& ends);

  // --- Behaviour classes, remembered (reach.cpp) ---

  /**
   * behaviour_classes, remembered per (ENI list, side): a spec asks many questions of one set
   * (all-enis), and grouping 100k ENIs took longer than answering one of them. The lists are
   * compared, not copied; a deque keeps the classes where earlier answers point.
   */
  const std::vector<std::vector<model::Id>>& classes_of(const std::vector<model::Id>& enis,
                                                        bool as_destination);
  /** classes_of as the question's grouping (queries/question.h). */
  class Classes final : public EniGrouping {
   public:
    explicit Classes(Impl& impl) : impl_(impl) {}
    const std::vector<std::vector<model::Id>>& groups(const std::vector<model::Id>& enis,
                                                      bool as_destination) override {
      return impl_.classes_of(enis, as_destination);
    }

   private:
    Impl& impl_;
  };
  struct RememberedClasses {
    std::vector<model::Id> enis;
    bool as_destination;
    std::vector<std::vector<model::Id>> classes;
  };
  std::deque<RememberedClasses> remembered_classes;
};

}  // namespace vpcprove::queries
