// SPDX-License-Identifier: Apache-2.0
// ENIs that behave identically at one end of a first packet, and witnesses redrawn for the member
// of a class the witness's packet belongs to. Solving once per class instead of once per ENI is
// what keeps a 100k-ENI set question proportional to the behaviours, not the ENIs.
#pragma once

#include <z3++.h>

#include <optional>
#include <vector>

#include "encoder/path_encoding.h"
#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "queries/question.h"

namespace vpcprove::queries {

/**
 * The classes of enis, as lists whose first member represents the rest. As sources: the same
 * start vertex kind, subnet and security groups in order give the same edges after the first
 * one. As destinations: delivered only through their subnet's SubnetIn vertex (no route names
 * them) with the same groups, so the paths to one differ from the paths to another only in the
 * last edge. Everything else that depends on the ENI is its addresses, which the caller turns
 * into a disjunction over the members. An inactive ENI is a class of its own (its reason names it).
 */
std::vector<std::vector<model::Id>> behaviour_classes(const graph::ForwardingGraph& g,
                                                      const std::vector<model::Id>& enis,
                                                      bool as_destination);

/** A witness path redrawn for the class members its packet belongs to. */
struct MemberPath {
  graph::Path path;
  model::Id from;               ///< the source member (src.member when not a class)
  std::optional<model::Id> to;  ///< the destination member, when the path ends at a class
};

/**
 * The members of a source class (src.owned_by) and of a destination class (to_class) that own
 * the witness's source and delivered addresses (m is the witness's model over ep), and the path
 * with its first and last edges swapped for theirs: members of a class share every other edge.
 */
MemberPath member_path(const graph::ForwardingGraph& g, const graph::Path& path, const QuestionSource& src,
                       const std::vector<model::Id>* to_class, const encoder::EncodedPath& ep,
                       const z3::model& m);

}  // namespace vpcprove::queries
