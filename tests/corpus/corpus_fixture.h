// SPDX-License-Identifier: Apache-2.0
// Loading corpus snapshots once and asking concrete questions of them, for the fact tests.
#pragma once

#include <string>

#include "model/network.h"
#include "model/walk.h"
#include "queries/reach.h"

namespace vpcprove::testing {

/** The network of a corpus snapshot, path relative to the corpus folder (VPCPROVE_CORPUS_DIR); loaded once
 * per path. */
const model::Network& corpus_network(const std::string& relative_path);

/** A packet header for a corpus flow. Batfish's "any flow" is IP protocol 0 without ports. */
struct Flow {
  std::string dst_ip;
  int protocol = 0;
  int dst_port = 0;
  std::string src_ip{};  ///< "" = the source ENI's primary private IP (or 8.8.8.8 from the internet)
};

/** trace::walk from the first ENI of an endpoint ("i-…", "eni-…") or from "internet". */
model::Walk trace_flow(const model::Network& network, const std::string& from, const Flow& flow);

/**
 * reach's answer (the prover's verdict, why-not's reasons) for exactly the packet walk started with: from the
 * first ENI of from (or the internet), as trace_flow started it, to the walk's initial destination address,
 * with every header field fixed. One Prover per network, shared by the tests.
 */
queries::ReachResult reach_exact(const model::Network& network, const std::string& from,
                                 const model::Walk& walk);

/** Checks that reach agrees with trace on walk: delivered, exits-internet or handed to a gateway
 *  endpoint's service iff reachable, the
 *  witness path equals trace's hops, and an unreachable answer names trace's drop code (or,
 *  for exits-unmodelled, lists the gateway under assumptions). */
void require_reach_agrees(const model::Network& network, const std::string& from, const model::Walk& walk);

/** The IDs named by the hops of a walk, in order, without repeats of the same ID in a row. */
std::vector<std::string> hop_ids(const model::Walk& walk);

/** true when expected appears in ids as a subsequence (in order, gaps allowed). */
bool visits_in_order(const std::vector<std::string>& ids, const std::vector<std::string>& expected);

}  // namespace vpcprove::testing
