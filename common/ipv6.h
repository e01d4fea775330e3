// SPDX-License-Identifier: Apache-2.0
// IPv6 addresses and prefixes: the value types every stage shares beside the IPv4 ones.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/ipv4.h"

namespace vpcprove {

/** An IPv6 address as two 64-bit halves in host order (2001:db8::1 == {0x20010db800000000, 1}). */
struct Ipv6Address {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;

  /** Bit i counted from the most significant (bit 0 is the top bit of hi). */
  [[nodiscard]] bool bit(unsigned i) const { return ((i < 64 ? hi >> (63 - i) : lo >> (127 - i)) & 1U) != 0; }
  /** The 32 low bits: the IPv4 address an IPv4-embedding prefix (64:ff9b::/96) carries. */
  [[nodiscard]] Ipv4Address low32() const { return static_cast<Ipv4Address>(lo & 0xFFFFFFFFU); }

  friend bool operator==(const Ipv6Address&, const Ipv6Address&) = default;
  friend auto operator<=>(const Ipv6Address&, const Ipv6Address&) = default;
};

/**
 * Parses RFC 4291 text: eight groups of 1-4 hex digits, "::" once for a run of zero groups, and
 * an IPv4 dotted quad in place of the last two groups ("::ffff:10.0.0.1", "64:ff9b::8.8.8.8").
 * nullopt on anything else ("2001:db8:::1", "::ffff:300.1.1.1", a zone index, brackets).
 */
std::optional<Ipv6Address> parse_ipv6(std::string_view text);

/** RFC 5952 text: lower-case hex, no leading zeros, the longest run of two or more zero groups
 *  (the first of equal runs) as "::". */
std::string format_ipv6(const Ipv6Address& address);

/** The address with only its top len bits kept (len <= 128). */
Ipv6Address ipv6_mask(const Ipv6Address& address, unsigned len);

/** An IPv6 CIDR block. Invariant: len <= 128 and the host bits of addr are zero. */
struct Ipv6Prefix {
  Ipv6Address addr;
  std::uint8_t len = 0;

  /** "2001:db8::/56" or a bare address (read as /128); nullopt on a bad address, /129 or a missing
   *  length; host bits below the length are cleared (as for Ipv4Prefix). */
  static std::optional<Ipv6Prefix> parse(std::string_view text);
  /** addr with its host bits cleared; len must be <= 128. */
  static Ipv6Prefix make(const Ipv6Address& addr, std::uint8_t len);

  [[nodiscard]] bool contains(const Ipv6Address& address) const;
  /** true when every address of other is also in this prefix. */
  [[nodiscard]] bool contains(const Ipv6Prefix& other) const;
  [[nodiscard]] Ipv6Address first() const { return addr; }
  [[nodiscard]] Ipv6Address last() const;
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const Ipv6Prefix&, const Ipv6Prefix&) = default;
  friend auto operator<=>(const Ipv6Prefix&, const Ipv6Prefix&) = default;
};

/** 2000::/3, the global unicast space: the contract's "internet" for IPv6. */
Ipv6Prefix ipv6_global_unicast();
/** 64:ff9b::/96, the well-known NAT64 prefix (RFC 6052) that DNS64 answers point into. */
Ipv6Prefix nat64_prefix();
/** true when address is in 2000::/3. */
bool is_internet6(const Ipv6Address& address);
/** The NAT64 address of an IPv4 address: 64:ff9b::a.b.c.d. */
Ipv6Address nat64_address(Ipv4Address v4);

/** true when text holds a ':' and so can only be meant as IPv6 (for messages that say which
 *  family a field wanted). */
inline bool looks_like_ipv6(std::string_view text) { return text.find(':') != std::string_view::npos; }

}  // namespace vpcprove
