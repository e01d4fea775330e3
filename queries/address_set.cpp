// SPDX-License-Identifier: Apache-2.0
// BasicAddressSet: merges of sorted interval lists. The ends of the space are never stepped
// past: an interval that reaches the top address has no successor to join or resume from.
#include "queries/address_set.h"

#include <algorithm>
#include <limits>

namespace vpcprove::queries {

namespace {

bool is_top(Ipv4Address a) { return a == std::numeric_limits<Ipv4Address>::max(); }
bool is_top(const Ipv6Address& a) {
  return a.hi == std::numeric_limits<std::uint64_t>::max() &&
         a.lo == std::numeric_limits<std::uint64_t>::max();
}
Ipv4Address top_of(Ipv4Address) { return std::numeric_limits<Ipv4Address>::max(); }
Ipv6Address top_of(const Ipv6Address&) {
  return {std::numeric_limits<std::uint64_t>::max(), std::numeric_limits<std::uint64_t>::max()};
}
/** a + 1; a is not the top address. */
Ipv4Address next(Ipv4Address a) { return a + 1; }
Ipv6Address next(const Ipv6Address& a) {
  return a.lo == std::numeric_limits<std::uint64_t>::max() ? Ipv6Address{a.hi + 1, 0}
                                                           : Ipv6Address{a.hi, a.lo + 1};
}
/** a - 1; a is not the lowest address. */
Ipv4Address prev(Ipv4Address a) { return a - 1; }
Ipv6Address prev(const Ipv6Address& a) {
  return a.lo == 0 ? Ipv6Address{a.hi - 1, std::numeric_limits<std::uint64_t>::max()}
                   : Ipv6Address{a.hi, a.lo - 1};
}

/** Appends [lo, hi] to a sorted list, joining it to the last interval when they touch. */
template <class Address>
void append(std::vector<std::pair<Address, Address>>& out, const Address& lo, const Address& hi) {
  if (!out.empty() && (is_top(out.back().second) || next(out.back().second) >= lo)) {
    out.back().second = std::max(out.back().second, hi);
  } else {
    out.emplace_back(lo, hi);
  }
}

}  // namespace

template <class Address, class Prefix>
BasicAddressSet<Address, Prefix> BasicAddressSet<Address, Prefix>::all() {
  return BasicAddressSet({{Address{}, top_of(Address{})}});
}

template <class Address, class Prefix>
BasicAddressSet<Address, Prefix> BasicAddressSet<Address, Prefix>::of(const Prefix& prefix) {
  return BasicAddressSet({{prefix.first(), prefix.last()}});
}

template <class Address, class Prefix>
BasicAddressSet<Address, Prefix> BasicAddressSet<Address, Prefix>::of_all(std::vector<Prefix> prefixes) {
  std::sort(prefixes.begin(), prefixes.end(),
            [](const Prefix& a, const Prefix& b) { return a.first() < b.first(); });
  std::vector<Interval> out;
  out.reserve(prefixes.size());
  for (const auto& p : prefixes) append(out, p.first(), p.last());
  return BasicAddressSet(std::move(out));
}

template <>
const AddressSet& AddressSet::internet() {
  static const AddressSet set = [] {
    AddressSet blocked;
    for (const auto& p : non_internet_blocks()) blocked = blocked.unite(of(p));
    return all().subtract(blocked);
  }();
  return set;
}

template <>
const AddressSet6& AddressSet6::internet() {
  static const AddressSet6 set = of(ipv6_global_unicast());
  return set;
}

template <class Address, class Prefix>
bool BasicAddressSet<Address, Prefix>::contains(const Address& a) const {
  auto it = std::upper_bound(intervals_.begin(), intervals_.end(), a,
                             [](const Address& v, const Interval& i) { return v < i.first; });
  return it != intervals_.begin() && std::prev(it)->second >= a;
}

template <class Address, class Prefix>
std::optional<Address> BasicAddressSet<Address, Prefix>::lowest() const {
  if (intervals_.empty()) return std::nullopt;
  return intervals_.front().first;
}

template <class Address, class Prefix>
std::optional<Address> BasicAddressSet<Address, Prefix>::lowest_in(const Prefix& prefix) const {
  const Address lo = prefix.first(), hi = prefix.last();
  // The first interval that ends at or after lo.
  auto it = std::lower_bound(intervals_.begin(), intervals_.end(), lo,
                             [](const Interval& i, const Address& v) { return i.second < v; });
  if (it == intervals_.end() || it->first > hi) return std::nullopt;
  return std::max(it->first, lo);
}

template <class Address, class Prefix>
BasicAddressSet<Address, Prefix> BasicAddressSet<Address, Prefix>::unite(const BasicAddressSet& other) const {
  std::vector<Interval> out;
  out.reserve(intervals_.size() + other.intervals_.size());
  auto a = intervals_.begin(), b = other.intervals_.begin();
  while (a != intervals_.end() || b != other.intervals_.end()) {
    const bool take_a = b == other.intervals_.end() || (a != intervals_.end() && a->first <= b->first);
    const Interval& i = take_a ? *a++ : *b++;
    append(out, i.first, i.second);
  }
  return BasicAddressSet(std::move(out));
}

template <class Address, class Prefix>
BasicAddressSet<Address, Prefix> BasicAddressSet<Address, Prefix>::intersect(
    const BasicAddressSet& other) const {
  std::vector<Interval> out;
  auto a = intervals_.begin(), b = other.intervals_.begin();
  while (a != intervals_.end() && b != other.intervals_.end()) {
    const Address lo = std::max(a->first, b->first), hi = std::min(a->second, b->second);
    if (lo <= hi) out.emplace_back(lo, hi);  // disjoint inputs: never adjacent to the last
    if (a->second < b->second) {
      ++a;
    } else {
      ++b;
    }
  }
  return BasicAddressSet(std::move(out));
}

template <class Address, class Prefix>
BasicAddressSet<Address, Prefix> BasicAddressSet<Address, Prefix>::subtract(
    const BasicAddressSet& other) const {
  std::vector<Interval> out;
  auto b = other.intervals_.begin();
  for (const auto& [first, last] : intervals_) {
    Address lo = first;  // the next address of [first, last] not yet decided
    bool done = false;   // every address up to last is decided
    while (b != other.intervals_.end() && b->second < lo) ++b;
    for (auto c = b; c != other.intervals_.end() && c->first <= last && !done; ++c) {
      if (c->first > lo) out.emplace_back(lo, prev(c->first));
      if (c->second >= last) {
        done = true;
      } else {
        lo = next(c->second);
      }
    }
    if (!done) out.emplace_back(lo, last);
  }
  return BasicAddressSet(std::move(out));
}

template class BasicAddressSet<Ipv4Address, Ipv4Prefix>;
template class BasicAddressSet<Ipv6Address, Ipv6Prefix>;

}  // namespace vpcprove::queries
