// SPDX-License-Identifier: Apache-2.0
// The destinations a path's route choices leave: a cheap, sound test that a path carries no packet.
#pragma once

#include <cstddef>
#include <vector>

#include "common/ipv4.h"
#include "common/ipv6.h"
#include "model/network.h"

namespace vpcprove::graph {

/**
 * The destination addresses for which every route a path chose so far (in VPC and transit
 * gateway route tables, within one destination epoch: graph/paths.h) is the route the lookup
 * picks. A route lookup is a function of the destination address alone (docs/semantics.md,
 * "Route priority"; routes are in decision order, model::RouteTable), so choosing route i of
 * a table means: the destination is in route i's prefix and in no earlier route's prefix. The
 * encoder states exactly that (Encoder::route_selected); this keeps its cheap part, as one
 * prefix every destination must be in and the prefixes none may be in.
 *
 * empty() is true only when no address is left: some excluded prefix contains the required
 * one (or the required prefixes are disjoint). Several excluded prefixes that together cover
 * the required one are not noticed; that only keeps a path the solver then refutes. So a path
 * that empty() prunes is one whose route guards no destination satisfies at once: no packet
 * takes it, and dropping it loses none. This is what stops transit gateway hairpins (a VPC's
 * 10.0.0.0/8 -> TGW, the TGW's route for VPC k's CIDR into VPC k, VPC k's 10.0.0.0/8 -> TGW
 * again, ...): VPC k's local route is earlier than its 10.0.0.0/8 route and contains every
 * destination the TGW sent there. It also covers a second lookup in one table (VPC or TGW)
 * between translations choosing a route other than the first: two routes of one table are
 * either disjoint or one is earlier and contains the other's addresses the later one needs.
 * The same route of a table chosen twice is kept: it is the same choice, and the walks may still
 * differ (a TGW enters the attachment's subnet in the sender's zone, which can change on the
 * way); where they do not, the second visit repeats a vertex and is a loop (graph/paths.h).
 *
 * IPv4 routes (routes) and IPv6 routes (routes6) keep their destinations apart; a packet is of
 * one family between translations, so a path choosing routes of both in one epoch carries
 * nothing either.
 */
class RouteChoices {
 public:
  /** Narrows to the destinations for which routes[index] is the route chosen. */
  void choose(const std::vector<model::Route>& routes, int index);
  /** Narrows to the IPv6 destinations for which routes6[index] is the route chosen. */
  void choose6(const std::vector<model::Route>& routes6, int index);
  /** No destination is left (sound, not complete: see the class comment). */
  [[nodiscard]] bool empty() const { return empty_; }
  /** 4 or 6 once a route of that family was chosen, 0 before. */
  [[nodiscard]] int family() const { return family_; }
  /** Some IPv6 destination in block may be left (false only when none is: block is disjoint
   *  from the required prefix, or inside an excluded one). */
  [[nodiscard]] bool admits6(const Ipv6Prefix& block) const;

  /** A point to go back to (depth-first search): restore(mark()) undoes every choose since. */
  struct Mark {
    Ipv4Prefix within;
    Ipv6Prefix within6;
    bool empty = false;
    int family = 0;
    std::size_t excluded = 0;
    std::size_t excluded6 = 0;
  };
  [[nodiscard]] Mark mark() const {
    return {within_, within6_, empty_, family_, excluded_.size(), excluded6_.size()};
  }
  void restore(const Mark& m);

 private:
  /** Narrows one family's (required, excluded) prefixes by routes[index] of destination field. */
  template <typename Prefix>
  void narrow(Prefix& within, std::vector<Prefix>& excluded, const std::vector<model::Route>& routes,
              int index, Prefix (*destination)(const model::Route&));
  bool family_is(int family);

  Ipv4Prefix within_{};   ///< every IPv4 destination is in it (0.0.0.0/0 at first)
  Ipv6Prefix within6_{};  ///< every IPv6 destination is in it (::/0 at first)
  bool empty_ = false;
  int family_ = 0;                     ///< 4 or 6 once a route of that family is chosen, 0 before
  std::vector<Ipv4Prefix> excluded_;   ///< no IPv4 destination is in any of them
  std::vector<Ipv6Prefix> excluded6_;  ///< no IPv6 destination is in any of them
};

}  // namespace vpcprove::graph
