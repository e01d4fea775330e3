// SPDX-License-Identifier: Apache-2.0
// Sets of IPv4 addresses as sorted, disjoint, non-adjacent closed intervals: the exact algebra
// exposure's geometry needs for source addresses (prefixes cut by allow-lists and ordered
// first-match lists), with no solver.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "common/ipv4.h"

namespace vpcprove::queries {

class AddressSet {
 public:
  /** A closed interval [first, second] of addresses. */
  using Interval = std::pair<Ipv4Address, Ipv4Address>;

  AddressSet() = default;  ///< the empty set
  static AddressSet all();
  static AddressSet of(const Ipv4Prefix& prefix);
  /** Every address in no non_internet_blocks(): common/ipv4.h is_internet, as a set. */
  static const AddressSet& internet();

  [[nodiscard]] bool empty() const { return intervals_.empty(); }
  [[nodiscard]] bool contains(Ipv4Address a) const;
  /** The lowest address of the set, if any. */
  [[nodiscard]] std::optional<Ipv4Address> lowest() const;
  /** The lowest address in both this set and prefix, if any (a binary search, no new set). */
  [[nodiscard]] std::optional<Ipv4Address> lowest_in(const Ipv4Prefix& prefix) const;

  [[nodiscard]] AddressSet unite(const AddressSet& other) const;
  [[nodiscard]] AddressSet intersect(const AddressSet& other) const;
  [[nodiscard]] AddressSet subtract(const AddressSet& other) const;

  [[nodiscard]] const std::vector<Interval>& intervals() const { return intervals_; }
  friend bool operator==(const AddressSet&, const AddressSet&) = default;

 private:
  explicit AddressSet(std::vector<Interval> sorted) : intervals_(std::move(sorted)) {}
  std::vector<Interval> intervals_;  // ascending, disjoint, never adjacent
};

}  // namespace vpcprove::queries
