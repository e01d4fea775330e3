// SPDX-License-Identifier: Apache-2.0
// A reach question resolved against one forwarding graph: where its packets start, where they
// may end, and what the source and destination addresses may be. Built once per question by
// resolve(); the prover (queries/reach.cpp), why-not (queries/why_not.cpp) and explain all
// answer this one type, so they cannot disagree about what was asked.
#pragma once

#include <z3++.h>

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "common/ipv4.h"
#include "encoder/encoder.h"
#include "graph/forwarding_graph.h"
#include "queries/reach.h"
#include "trace/trace.h"

namespace vpcprove::queries {

/**
 * How the ENIs at one end of a question are grouped: each group is answered as one source or
 * target, its first member standing for the rest. The prover groups ENIs that behave
 * identically (behaviour classes, remembered across questions); why-not and explain name
 * every ENI in their answers and keep each alone (EachEniAlone).
 */
class EniGrouping {
 public:
  virtual ~EniGrouping() = default;
  /** The groups of enis, in the order of enis' first members; the reference outlives the question. */
  virtual const std::vector<std::vector<model::Id>>& groups(const std::vector<model::Id>& enis,
                                                            bool as_destination) = 0;
  /** Every group is one ENI: targets need no groups made (only groups of several are kept). */
  [[nodiscard]] virtual bool each_alone() const { return false; }
};

/** Every ENI a group of its own. */
class EachEniAlone final : public EniGrouping {
 public:
  const std::vector<std::vector<model::Id>>& groups(const std::vector<model::Id>& enis, bool) override;
  [[nodiscard]] bool each_alone() const override { return true; }

 private:
  std::deque<std::vector<std::vector<model::Id>>> made_;
};

struct QuestionSource {
  graph::VertexId start;
  model::Id member;  ///< the ENI (a group's first member) or "internet"
  trace::Start trace_start;
  /** The ENIs whose addresses it sends from; nullptr for the internet. */
  const std::vector<model::Id>* owned_by = nullptr;
  std::optional<Ipv4Prefix> within;   ///< and inside this CIDR (a CIDR source)
  std::optional<Ipv6Prefix> within6;  ///< and inside this IPv6 CIDR (an IPv6 CIDR source)
};

struct Question {
  std::vector<QuestionSource> sources;
  std::set<graph::VertexId> targets;
  /** Destination groups of more than one ENI, by the delivered vertex of their first member. */
  std::map<graph::VertexId, const std::vector<model::Id>*> target_members;
  /** The groups of a session question, whose ENIs are alone whatever the grouping, and of
   *  resolve_each_eni_alone (their addresses stay put when the question is moved: std::deque's
   *  move keeps its elements where they are). */
  EachEniAlone alone;
};

/**
 * The sources and targets of q over g. Source ENIs without an address are left out; so are
 * IDs the network lacks. A CIDR source is the ENIs with an address in it and the internet's
 * part of it; a CIDR destination is every ENI, the internet and the AWS services inside it.
 * With session semantics every ENI is alone (a reply comes back to one ENI), whatever grouping says.
 */
Question resolve(const graph::ForwardingGraph& g, const ReachQuery& q, EniGrouping& grouping);

/** resolve with every ENI alone, the groups held by the question itself (Question::alone). */
Question resolve_each_eni_alone(const graph::ForwardingGraph& g, const ReachQuery& q);

/** What the source address of src may be. */
z3::expr source_address(encoder::Encoder& enc, const encoder::Header& h, const model::Network& n,
                        const QuestionSource& src);

/** The destination address is one of the question's destination ENIs' (private or public);
 *  true when the destination is not a list of ENIs. */
z3::expr addressed_to(encoder::Encoder& enc, const encoder::Header& h, const model::Network& n,
                      const ReachQuery& q);

/** The graph's vertices where traffic is dropped and where it leaves by a gateway vpcprove does
 *  not follow: the ends of the ways a blocked question's reasons walk. */
struct WayEnds {
  std::set<graph::VertexId> drops;
  std::set<graph::VertexId> leaves;
};
WayEnds way_ends(const graph::ForwardingGraph& g);

/** A question with every ENI alone (each reason and fix names its own ENI), encoded over h:
 *  what why-not and explain ask. */
struct EncodedQuestion {
  Question question;
  z3::expr space;                        ///< the header space, well formed
  std::vector<z3::expr> source_address;  ///< per source of question
  z3::expr addressed;                    ///< dst is an address of the destination (addressed_to)
  WayEnds ends;
};
EncodedQuestion encode_each_eni_alone(const model::Network& n, const graph::ForwardingGraph& g,
                                      encoder::Encoder& enc, const encoder::Header& h, const ReachQuery& q);

}  // namespace vpcprove::queries
