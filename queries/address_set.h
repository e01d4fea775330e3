// SPDX-License-Identifier: Apache-2.0
// Sets of addresses of one family as sorted, disjoint, non-adjacent closed intervals: the exact
// algebra exposure's geometry needs for source addresses (prefixes cut by allow-lists and
// ordered first-match lists), with no solver. One template over both families, so the IPv4 and
// IPv6 passes run the same merges.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "common/ipv4.h"
#include "common/ipv6.h"

namespace vpcprove::queries {

template <class Address, class Prefix>
class BasicAddressSet {
 public:
  /** A closed interval [first, second] of addresses. */
  using Interval = std::pair<Address, Address>;

  BasicAddressSet() = default;  ///< the empty set
  static BasicAddressSet all();
  static BasicAddressSet of(const Prefix& prefix);
  /** The union of prefixes, in any order (one sort, where unite one at a time is quadratic). */
  static BasicAddressSet of_all(std::vector<Prefix> prefixes);
  /**
   * The contract's internet of the family, as a set: IPv4, every address in no
   * non_internet_blocks() (common/ipv4.h is_internet); IPv6, 2000::/3 (common/ipv6.h is_internet6).
   */
  static const BasicAddressSet& internet();

  [[nodiscard]] bool empty() const { return intervals_.empty(); }
  [[nodiscard]] bool contains(const Address& a) const;
  /** The lowest address of the set, if any. */
  [[nodiscard]] std::optional<Address> lowest() const;
  /** The lowest address in both this set and prefix, if any (a binary search, no new set). */
  [[nodiscard]] std::optional<Address> lowest_in(const Prefix& prefix) const;

  [[nodiscard]] BasicAddressSet unite(const BasicAddressSet& other) const;
  [[nodiscard]] BasicAddressSet intersect(const BasicAddressSet& other) const;
  [[nodiscard]] BasicAddressSet subtract(const BasicAddressSet& other) const;

  [[nodiscard]] const std::vector<Interval>& intervals() const { return intervals_; }
  friend bool operator==(const BasicAddressSet&, const BasicAddressSet&) = default;

 private:
  explicit BasicAddressSet(std::vector<Interval> sorted) : intervals_(std::move(sorted)) {}
  std::vector<Interval> intervals_;  // ascending, disjoint, never adjacent
};

using AddressSet = BasicAddressSet<Ipv4Address, Ipv4Prefix>;
using AddressSet6 = BasicAddressSet<Ipv6Address, Ipv6Prefix>;

template <>
const AddressSet& AddressSet::internet();
template <>
const AddressSet6& AddressSet6::internet();

extern template class BasicAddressSet<Ipv4Address, Ipv4Prefix>;
extern template class BasicAddressSet<Ipv6Address, Ipv6Prefix>;

}  // namespace vpcprove::queries
