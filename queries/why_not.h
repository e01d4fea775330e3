// SPDX-License-Identifier: Apache-2.0
// Why not: the ways a blocked question's traffic could take, each with every component that stops it.
#pragma once

#include <cstddef>
#include <vector>

#include "graph/forwarding_graph.h"
#include "model/network.h"
#include "queries/reach.h"

namespace vpcprove::queries {

/**
 * The reasons of an unreachable answer, way by way. A way is a candidate path of the
 * forwarding graph from a source member towards the destination, or a path on which the
 * traffic is really dropped (no route, blackhole). For each way: the FIRST component that
 * stops every packet of the space (Reason::first), then each later component that would
 * still stop it once the earlier ones let it through (found by relaxing them one by one),
 * each with its code, direction, the packet field that fails there (the field that, left
 * free at that hop alone, lets a packet pass: "destination-port 3306"), and the deciding
 * rule or route. Ways are numbered in the order of the graph's paths; ways with the same
 * blockers (the same steps, codes and failing fields, whatever packet the solver picked to
 * show them) are reported once; at most max_ways. Which reason a blocker gets is decided by
 * solver checks alone, never by a model's packet, so a Prover's context and a fresh one agree.
 * Empty when no way has a component that stops it (e.g. only the reply is blocked).
 * Answers "unknown" steps (solver limits) by stopping early; never claims more than it proved.
 */
inline constexpr std::size_t kWhyNotWays = 16;
std::vector<Reason> why_not(const model::Network& network, const graph::ForwardingGraph& graph,
                            const ReachQuery& query, std::size_t max_ways = kWhyNotWays);

/**
 * Replaces the reasons of an unreachable result by why_not's, source member by source member
 * (a member why_not has nothing for keeps the prover's reasons). No-op for other verdicts.
 */
void add_why_not(const model::Network& network, const graph::ForwardingGraph& graph, const ReachQuery& query,
                 ReachResult& result);
/** The same, on the prover that answered: its graph, Z3 context and encodings (no context of
 *  its own to build and tear down, which at 100k ENIs cost more than the question). */
void add_why_not(Prover& prover, const ReachQuery& query, ReachResult& result);
/** prover.reach and add_why_not as one: the same answer and reasons, without the prover's own
 *  explanation of the members why-not explains (it would be replaced). What the reach command prints. */
ReachResult reach_with_why_not(Prover& prover, const ReachQuery& query);

}  // namespace vpcprove::queries
