// SPDX-License-Identifier: Apache-2.0
// AddressSet: merges of sorted interval lists (64-bit arithmetic at the ends of the space).
#include "queries/address_set.h"

#include <algorithm>

namespace vpcprove::queries {

namespace {

constexpr Ipv4Address kTop = 0xFFFFFFFFu;

/** Appends [lo, hi] to a sorted list, joining it to the last interval when they touch. */
void append(std::vector<AddressSet::Interval>& out, Ipv4Address lo, Ipv4Address hi) {
  if (!out.empty() && std::uint64_t{out.back().second} + 1 >= lo) {
    out.back().second = std::max(out.back().second, hi);
  } else {
    out.emplace_back(lo, hi);
  }
}

}  // namespace

AddressSet AddressSet::all() { return AddressSet({{0, kTop}}); }

AddressSet AddressSet::of(const Ipv4Prefix& prefix) { return AddressSet({{prefix.first(), prefix.last()}}); }

const AddressSet& AddressSet::internet() {
  static const AddressSet set = [] {
    AddressSet blocked;
    for (const auto& p : non_internet_blocks()) blocked = blocked.unite(of(p));
    return all().subtract(blocked);
  }();
  return set;
}

bool AddressSet::contains(Ipv4Address a) const {
  auto it = std::upper_bound(intervals_.begin(), intervals_.end(), a,
                             [](Ipv4Address v, const Interval& i) { return v < i.first; });
  return it != intervals_.begin() && std::prev(it)->second >= a;
}

std::optional<Ipv4Address> AddressSet::lowest() const {
  if (intervals_.empty()) return std::nullopt;
  return intervals_.front().first;
}

std::optional<Ipv4Address> AddressSet::lowest_in(const Ipv4Prefix& prefix) const {
  const Ipv4Address lo = prefix.first(), hi = prefix.last();
  // The first interval that ends at or after lo.
  auto it = std::lower_bound(intervals_.begin(), intervals_.end(), lo,
                             [](const Interval& i, Ipv4Address v) { return i.second < v; });
  if (it == intervals_.end() || it->first > hi) return std::nullopt;
  return std::max(it->first, lo);
}

AddressSet AddressSet::unite(const AddressSet& other) const {
  std::vector<Interval> out;
  out.reserve(intervals_.size() + other.intervals_.size());
  auto a = intervals_.begin(), b = other.intervals_.begin();
  while (a != intervals_.end() || b != other.intervals_.end()) {
    const bool take_a = b == other.intervals_.end() || (a != intervals_.end() && a->first <= b->first);
    const Interval& i = take_a ? *a++ : *b++;
    append(out, i.first, i.second);
  }
  return AddressSet(std::move(out));
}

AddressSet AddressSet::intersect(const AddressSet& other) const {
  std::vector<Interval> out;
  auto a = intervals_.begin(), b = other.intervals_.begin();
  while (a != intervals_.end() && b != other.intervals_.end()) {
    const Ipv4Address lo = std::max(a->first, b->first), hi = std::min(a->second, b->second);
    if (lo <= hi) out.emplace_back(lo, hi);  // disjoint inputs: never adjacent to the last
    if (a->second < b->second) {
      ++a;
    } else {
      ++b;
    }
  }
  return AddressSet(std::move(out));
}

AddressSet AddressSet::subtract(const AddressSet& other) const {
  std::vector<Interval> out;
  auto b = other.intervals_.begin();
  for (const auto& [first, last] : intervals_) {
    std::uint64_t lo = first;  // the next address of [first, last] not yet decided
    while (b != other.intervals_.end() && b->second < lo) ++b;
    for (auto c = b; c != other.intervals_.end() && c->first <= last && lo <= last; ++c) {
      if (c->first > lo) out.emplace_back(static_cast<Ipv4Address>(lo), c->first - 1);
      lo = std::uint64_t{c->second} + 1;
    }
    if (lo <= last) out.emplace_back(static_cast<Ipv4Address>(lo), last);
  }
  return AddressSet(std::move(out));
}

}  // namespace vpcprove::queries
