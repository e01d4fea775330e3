// SPDX-License-Identifier: Apache-2.0
// Candidate paths: the loop-free ways through the forwarding graph from a start to targets.
#pragma once

#include <cstddef>
#include <set>
#include <vector>

#include "graph/forwarding_graph.h"

namespace vpcprove::graph {

/** First packets use the forward edges; replies also use the reply-only ones. */
enum class Mode { Forward, Reply };

/** A walk through the graph: start, then edges in order. */
struct Path {
  VertexId start{};
  std::vector<EdgeId> edges;
  [[nodiscard]] VertexId end(const Graph& g) const {
    return edges.empty() ? start : boost::target(edges.back(), g);
  }
};

struct PathSet {
  std::vector<Path> paths;  ///< shortest (fewest steps) first
  /** true when a limit cut the enumeration: a proof over these paths alone is not a proof. */
  bool truncated = false;
};

/**
 * Every path from start to a vertex of targets that no delivered or exiting walk could
 * skip. Paths are loop-free within a destination epoch: the route lookup depends only on
 * the destination address and the translations on the way are idempotent, so a walk that
 * visits a vertex twice without its destination changing in between repeats itself and is
 * dropped ROUTING_LOOP (docs/semantics.md); only the steps that rewrite the destination
 * (igw-ingress, a NAT gateway's reply translation) start a new epoch. When
 * ForwardingGraph::public_private_disjoint(), a second igw-ingress after one (with no NAT reply
 * translation between) is pruned: its guard can never hold. In replies, each NAT reply edge is
 * taken at most once per path (a reply translated back twice by one NAT is not followed:
 * session answers may then miss such a contrived path, never packet answers). Within an
 * epoch, a path whose route choices (VPC and TGW route tables) no destination makes at once is
 * pruned (graph/route_choices.h): no packet takes it. This is what keeps transit gateway
 * hairpins (VPC -> TGW -> VPC -> TGW ...) from multiplying. At most
 * max_epochs epochs and max_paths paths are enumerated; hitting either sets truncated.
 */
PathSet enumerate_paths(const ForwardingGraph& graph, VertexId start, const std::set<VertexId>& targets,
                        Mode mode, std::size_t max_paths = 20000, int max_epochs = 6);

struct PathConstraints;

/**
 * enumerate_paths restricted by waypoints (graph/waypoints.h): edges that touch a resource of
 * constraints.not_through are never taken (so no path through one is enumerated, nor counted
 * against max_paths), and a path to a target is kept only when it passes every resource of
 * constraints.through. Both are facts about the path, the same for every packet on it.
 */
PathSet enumerate_paths(const ForwardingGraph& graph, VertexId start, const std::set<VertexId>& targets,
                        Mode mode, const PathConstraints& constraints, std::size_t max_paths = 20000,
                        int max_epochs = 6);

/** true when the edge rewrites the destination address (starts a new epoch): an internet
 *  gateway's ingress, a NAT reply's translation back, NAT64. */
bool rewrites_destination(const Edge& edge);

/** The names of path's vertices, start first: a path for people. */
std::vector<std::string> vertex_names(const ForwardingGraph& graph, const Path& path);

}  // namespace vpcprove::graph
