// SPDX-License-Identifier: Apache-2.0
// The address family a candidate path carries, fixed in its formulas: over a dual-stack header
// an IPv4 path need not carry the IPv6 half of every filter into the solver, nor the reverse.
#pragma once

#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "encoder/path_encoding.h"

namespace vpcprove::encoder {

/**
 * The family of every packet that takes the path (true: IPv6, false: IPv4), read off the graph's
 * steps before the path is encoded: when a step of it admits one family only (a subnet's or a
 * transit gateway's route, an egress-only gateway) and nothing on it makes an IPv6 packet IPv4 (a
 * NAT gateway: NAT64); none otherwise, or over IPv4-only headers (dual_stack false).
 */
std::optional<bool> path_family(const graph::ForwardingGraph& graph, const graph::Path& path,
                                bool dual_stack);

/**
 * Guards of one family: each guard g over header h becomes "h is of the family, and g with h's
 * IPv6 flag replaced by that constant", simplified, so the other family's address tests are gone
 * before a solver bit-blasts them. Kept per formula: paths share most guards (Encoder::cached).
 */
class FamilyGuards {
 public:
  /**
   * The first packet's path, each guard of its family (ipv6, as path_family named it), its
   * literal marked with the family (" [ipv4]", " [ipv6]"): a literal names one formula in a
   * solver, and paths of both families may share a solver and a step. Exact for the path: its
   * route step implies the family and every translation on it (NAT64 aside) keeps it, so the
   * conjunction of its steps admits the same packets. A prefix of the steps now admits only the
   * path's family (a blocker is where no packet of the family passes). Guards not yet built (the
   * snapshot's addresses, taken a run at a time) and definitions are left as they are.
   */
  void fix(EncodedPath& path, bool ipv6);

 private:
  // (formula id, its header's flag id, family) -> (formula, its fixed form); the formula is held
  // so that its id stays its own.
  std::map<std::tuple<unsigned, unsigned, bool>, std::pair<z3::expr, z3::expr>> fixed_;
};

}  // namespace vpcprove::encoder
