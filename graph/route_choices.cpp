// SPDX-License-Identifier: Apache-2.0
// Route choices as one required prefix and excluded prefixes (graph/route_choices.h).
#include "graph/route_choices.h"

#include <algorithm>

namespace vpcprove::graph {

void RouteChoices::choose(const std::vector<model::Route>& routes, int index) {
  if (empty_) return;
  const Ipv4Prefix& mine = routes[static_cast<std::size_t>(index)].destination;
  // Two prefixes are nested or disjoint: their intersection is the longer one, or nothing.
  bool narrowed = false;
  if (!mine.contains(within_)) {
    if (!within_.contains(mine)) {
      empty_ = true;
      return;
    }
    within_ = mine;
    narrowed = true;
  }
  const std::size_t before = excluded_.size();
  for (int j = 0; j < index; ++j) {
    const Ipv4Prefix& other = routes[static_cast<std::size_t>(j)].destination;
    // An earlier route that overlaps this one takes its addresses first (Encoder::selected
    // leaves the disjoint ones out for the same reason: they constrain nothing here).
    if (other.contains(mine) || mine.contains(other)) excluded_.push_back(other);
  }
  // When the required prefix narrowed, every exclusion may now cover it; otherwise only new ones.
  const auto from = excluded_.begin() + static_cast<std::ptrdiff_t>(narrowed ? 0 : before);
  empty_ = std::any_of(from, excluded_.end(), [&](const Ipv4Prefix& e) { return e.contains(within_); });
}

void RouteChoices::restore(const Mark& m) {
  within_ = m.within;
  empty_ = m.empty;
  excluded_.resize(m.excluded);
}

}  // namespace vpcprove::graph
