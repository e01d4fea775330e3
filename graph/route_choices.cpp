// SPDX-License-Identifier: Apache-2.0
// Route choices as one required prefix and excluded prefixes (graph/route_choices.h).
#include "graph/route_choices.h"

#include <algorithm>

namespace vpcprove::graph {

namespace {

Ipv4Prefix destination4(const model::Route& r) { return r.destination; }
// A route of routes6 always has destination6 (model::RouteTable).
Ipv6Prefix destination6(const model::Route& r) { return r.destination6.value_or(Ipv6Prefix{}); }

}  // namespace

bool RouteChoices::family_is(int family) {
  if (family_ != 0 && family_ != family) empty_ = true;
  family_ = family;
  return !empty_;
}

void RouteChoices::choose(const std::vector<model::Route>& routes, int index) {
  if (empty_ || !family_is(4)) return;
  narrow(within_, excluded_, routes, index, &destination4);
}

void RouteChoices::choose6(const std::vector<model::Route>& routes6, int index) {
  if (empty_ || !family_is(6)) return;
  narrow(within6_, excluded6_, routes6, index, &destination6);
}

template <typename Prefix>
void RouteChoices::narrow(Prefix& within, std::vector<Prefix>& excluded,
                          const std::vector<model::Route>& routes, int index,
                          Prefix (*destination)(const model::Route&)) {
  const Prefix mine = destination(routes[static_cast<std::size_t>(index)]);
  // Two prefixes are nested or disjoint: their intersection is the longer one, or nothing.
  bool narrowed = false;
  if (!mine.contains(within)) {
    if (!within.contains(mine)) {
      empty_ = true;
      return;
    }
    within = mine;
    narrowed = true;
  }
  const std::size_t before = excluded.size();
  for (int j = 0; j < index; ++j) {
    const Prefix other = destination(routes[static_cast<std::size_t>(j)]);
    // An earlier route that overlaps this one takes its addresses first (Encoder::selected
    // leaves the disjoint ones out for the same reason: they constrain nothing here).
    if (other.contains(mine) || mine.contains(other)) excluded.push_back(other);
  }
  // When the required prefix narrowed, every exclusion may now cover it; otherwise only new ones.
  const auto from = excluded.begin() + static_cast<std::ptrdiff_t>(narrowed ? 0 : before);
  empty_ = std::any_of(from, excluded.end(), [&](const Prefix& e) { return e.contains(within); });
}

bool RouteChoices::admits6(const Ipv6Prefix& block) const {
  if (empty_ || family_ == 4) return false;
  // Nested or disjoint: the common part is the longer prefix.
  const Ipv6Prefix* common = block.contains(within6_)   ? &within6_
                             : within6_.contains(block) ? &block
                                                        : nullptr;
  return common && std::none_of(excluded6_.begin(), excluded6_.end(),
                                [&](const Ipv6Prefix& e) { return e.contains(*common); });
}

void RouteChoices::restore(const Mark& m) {
  within_ = m.within;
  within6_ = m.within6;
  empty_ = m.empty;
  family_ = m.family;
  excluded_.resize(m.excluded);
  excluded6_.resize(m.excluded6);
}

}  // namespace vpcprove::graph
