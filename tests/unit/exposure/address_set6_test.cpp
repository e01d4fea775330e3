// SPDX-License-Identifier: Apache-2.0
// The IPv6 instance of exposure's interval algebra: the same merges over 128-bit addresses, where
// a step past the low half must carry into the high one.
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>

#include "queries/address_set.h"

namespace vpcprove::queries {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

Ipv6Prefix prefix6(const char* text) { return *Ipv6Prefix::parse(text); }
Ipv6Address ip6(const char* text) { return *parse_ipv6(text); }

TEST_CASE("IPv6 address sets keep both ends of the space through subtraction and union",
          "[exposure][geometry][ipv6]") {
  const auto top = AddressSet6::of(prefix6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"));
  const auto bottom = AddressSet6::of(prefix6("::/128"));
  const auto middle = AddressSet6::all().subtract(top).subtract(bottom);
  CHECK_FALSE(middle.contains({0, 0}));
  CHECK_FALSE(middle.contains({kMax, kMax}));
  CHECK(middle.contains({0, 1}));
  CHECK(middle.contains({kMax, kMax - 1}));
  CHECK(middle.unite(top).unite(bottom) == AddressSet6::all());
  CHECK(AddressSet6::all().intervals().size() == 1);
}

TEST_CASE("IPv6 address sets carry across the two 64-bit halves", "[exposure][geometry][ipv6]") {
  // 2001:db8::/64 ends at {hi, kMax}; the next /64 starts at {hi + 1, 0}: adjacent, so one interval.
  const auto a = AddressSet6::of(prefix6("2001:db8::/64")), b = AddressSet6::of(prefix6("2001:db8:0:1::/64"));
  const auto u = a.unite(b);
  REQUIRE(u.intervals().size() == 1);
  CHECK(u == AddressSet6::of(prefix6("2001:db8::/63")));
  // Taking the last address of the low /64 away leaves two intervals that meet the carry exactly.
  const auto hole = u.subtract(AddressSet6::of(prefix6("2001:db8::ffff:ffff:ffff:ffff/128")));
  REQUIRE(hole.intervals().size() == 2);
  CHECK(hole.intervals()[0].second == ip6("2001:db8::ffff:ffff:ffff:fffe"));
  CHECK(hole.intervals()[1].first == ip6("2001:db8:0:1::"));
  CHECK_FALSE(hole.contains(ip6("2001:db8::ffff:ffff:ffff:ffff")));
}

TEST_CASE("the IPv6 internet as an address set is 2000::/3", "[exposure][geometry][ipv6]") {
  const auto& inet = AddressSet6::internet();
  for (const char* a : {"2000::", "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2600:1f18::1"}) {
    INFO(a);
    CHECK(inet.contains(ip6(a)));
    CHECK(is_internet6(ip6(a)));
  }
  for (const char* a :
       {"1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "4000::", "fd00:ec2::254", "::1", "64:ff9b::808:808"}) {
    INFO(a);
    CHECK_FALSE(inet.contains(ip6(a)));
    CHECK_FALSE(is_internet6(ip6(a)));
  }
  CHECK(*inet.lowest_in(prefix6("::/0")) == ip6("2000::"));
  CHECK_FALSE(inet.lowest_in(prefix6("fc00::/7")));
}

TEST_CASE("IPv6 union, intersection and difference agree address by address around the halves' seam",
          "[exposure][geometry][ipv6]") {
  // Prefixes of 2001:db8:0:0:ffff:ffff:ffff:ff00/120 and its right neighbour (across the carry):
  // 512 addresses, each checked.
  const Ipv6Address base{0x20010db800000000ULL, kMax - 255};
  auto at = [&](std::uint64_t k) {
    return k <= 255 ? Ipv6Address{base.hi, base.lo + k} : Ipv6Address{base.hi + 1, k - 256};
  };
  std::mt19937 rng(7);
  auto random_set = [&]() {
    AddressSet6 s;
    const int n = static_cast<int>(rng() % 4);
    for (int i = 0; i < n; ++i) {
      const auto len = static_cast<std::uint8_t>(119 + rng() % 10);
      s = s.unite(AddressSet6::of(Ipv6Prefix::make(at(rng() % 512), len)));
    }
    return s;
  };
  for (int round = 0; round < 200; ++round) {
    const auto a = random_set(), b = random_set();
    const auto u = a.unite(b), x = a.intersect(b), d = a.subtract(b);
    for (std::uint64_t k = 0; k < 512; ++k) {
      const auto v = at(k);
      INFO("round " << round << " address " << format_ipv6(v));
      REQUIRE(u.contains(v) == (a.contains(v) || b.contains(v)));
      REQUIRE(x.contains(v) == (a.contains(v) && b.contains(v)));
      REQUIRE(d.contains(v) == (a.contains(v) && !b.contains(v)));
    }
    CHECK(a.unite(b) == b.unite(a));
    CHECK(d.unite(x) == a);
  }
}

}  // namespace
}  // namespace vpcprove::queries
