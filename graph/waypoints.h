// SPDX-License-Identifier: Apache-2.0
// Waypoints of a question: resources its paths must pass (--through, `through:`) or avoid
// (--not-through, `not_through:`), as Network Access Analyzer's ThroughResources.
//
// A waypoint restricts the candidate paths themselves, not one witness: a packet's walk is one
// candidate path (the model forwards deterministically), so "no packet is delivered on a path
// that avoids X" is proved over every packet exactly when every path avoiding X is empty.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "graph/forwarding_graph.h"
#include "model/network.h"

namespace vpcprove::graph {

/**
 * One resource, or a set of alternatives (a scope's ThroughResources), with everything inside
 * it that a path can name: a VPC holds its subnets, ENIs, NAT and internet gateways, route
 * tables and transit gateway attachments; a subnet its ENIs and NAT gateways; an instance its
 * ENIs; a NAT gateway (or another AWS-managed gateway) its ENI; a transit gateway its
 * attachments and route tables. A path passes the waypoint when one of its places (its first
 * and last included) or steps names one of ids.
 */
struct Waypoint {
  std::string text;  ///< as written, for answers
  std::set<model::Id> ids;
  /** It names single ENIs (eni-, i-): ENIs of one behaviour class may then differ in it. */
  bool names_interfaces = false;

  friend bool operator==(const Waypoint& a, const Waypoint& b) { return a.text == b.text && a.ids == b.ids; }
};

/**
 * The waypoint of an ID: vpc-, subnet-, eni-, i-, nat-, igw-, eigw-, pcx-, tgw-, tgw-attach-,
 * tgw-rtb-, rtb-, or a gateway that a route names (vpce-, vgw-, …); or tag:KEY=VALUE, every VPC,
 * subnet, ENI, gateway, transit gateway and attachment with that tag. Throws InputError naming
 * text when it is not in the snapshot (a tag no resource carries is a waypoint of nothing: no
 * path passes it and every path avoids it).
 */
Waypoint resolve_waypoint(const model::Network& network, const std::string& text);

/** Adds the resources inside id to w (as resolve_waypoint does); false when id is not in the snapshot. */
bool add_resource(const model::Network& network, const model::Id& id, Waypoint& w);

/** The waypoints of one question. Empty: every path counts. */
struct PathConstraints {
  std::vector<Waypoint> through;      ///< a path counts only when it passes each of them
  std::vector<Waypoint> not_through;  ///< a path that passes one of them is not enumerated at all

  [[nodiscard]] bool empty() const { return through.empty() && not_through.empty(); }
  /** Some waypoint names single ENIs (Waypoint::names_interfaces). */
  [[nodiscard]] bool names_interfaces() const;
  friend bool operator==(const PathConstraints&, const PathConstraints&) = default;
};

/** The place v names something inside w. */
bool touches(const ForwardingGraph& g, VertexId v, const Waypoint& w);
/** Edge e (one of its steps, or the place it leads to) names something inside w. */
bool touches(const ForwardingGraph& g, EdgeId e, const Waypoint& w);
/** Some place or step of path names something inside w. */
bool passes(const ForwardingGraph& g, VertexId start, const std::vector<EdgeId>& edges, const Waypoint& w);
/** Neither v nor, when given, the edge into it names anything a path must avoid. */
bool avoids(const ForwardingGraph& g, VertexId v, const PathConstraints& c);
bool avoids(const ForwardingGraph& g, EdgeId e, const PathConstraints& c);

/** " through X, Y; not through Z" for messages; "" when c is empty. */
std::string describe(const PathConstraints& c);

}  // namespace vpcprove::graph
