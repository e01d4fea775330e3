// SPDX-License-Identifier: Apache-2.0
// `graph`: the network's topology in Graphviz DOT, with a reach result's path or blocks drawn on it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/network.h"

namespace vpcprove::queries {

/** One hop of a witness as `reach --format json` prints it. */
struct HighlightHop {
  std::string at;
  std::string step;
  std::string by;
};

/** One reason of an unreachable answer as `reach --format json` prints it. */
struct HighlightReason {
  std::string at;
  std::string step;
  std::string code;
  std::string detail;
  std::vector<std::string> path;  ///< the candidate path's vertices (IDs or "internet")
};

/** What of a reach result the picture shows. */
struct Highlight {
  std::string verdict;      ///< "reachable", "unreachable" or "unknown"
  std::string from_member;  ///< reachable: the source ENI or "internet"
  std::string to_member;    ///< reachable: the ENI delivered to or "internet"
  std::vector<HighlightHop> path;
  std::vector<HighlightHop> reply;  ///< the reply's hops, when the result has them
  std::vector<HighlightReason> reasons;
};

/**
 * Reads a `reach --format json` answer (or one element of `check --format json`'s "results").
 * Throws InputError naming file when the JSON is not such an answer.
 */
Highlight highlight_from_json(const nlohmann::json& result, const std::string& file);

/** text as the inside of a DOT double-quoted string: backslash, quote and control characters escaped. */
std::string dot_escape(std::string_view text);

/**
 * The topology as a DOT digraph: each VPC a cluster (with its router, route tables and
 * internet gateway), each subnet a cluster inside it (with its workload ENIs, their private
 * and public IPs, and its NAT gateways), peerings and unmodelled gateways between them, the
 * internet outside. Non-local routes are edges from their table to their target.
 * With a highlight: a reachable path is drawn as numbered red edges through the nodes its
 * hops name; for an unreachable one every reason's candidate path is drawn dashed up to the
 * component that stops it, which is filled red with its code (security groups and NACLs,
 * which are not nodes of the topology, get a node of their own next to what they guard).
 * Every ID, tag and label is escaped.
 */
std::string topology_dot(const model::Network& network, const Highlight* highlight = nullptr);

}  // namespace vpcprove::queries
