// SPDX-License-Identifier: Apache-2.0
// IPv4 addresses, prefixes and port ranges: the value types every stage shares.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpcprove {

/** An IPv4 address in host byte order (10.0.0.1 == 0x0A000001). */
using Ipv4Address = std::uint32_t;

/** Parses dotted-quad text ("10.0.0.1"); nullopt on anything else (octet 300, "1.2.3"). */
std::optional<Ipv4Address> parse_ipv4(std::string_view text);

/** Formats an address as dotted-quad text. */
std::string format_ipv4(Ipv4Address address);

/**
 * A CIDR block. Invariant: len <= 32 and the host bits of addr are zero.
 * Construct through parse() or make() so the invariant holds.
 */
struct Ipv4Prefix {
  Ipv4Address addr = 0;
  std::uint8_t len = 0;

  /** "10.0.0.0/16" or a bare address (read as /32). nullopt on a bad address, /33, or
   *  a missing length; host bits set below the length are cleared (AWS accepts and
   *  normalises them the same way). */
  static std::optional<Ipv4Prefix> parse(std::string_view text);
  /** addr with its host bits cleared; len must be <= 32. */
  static Ipv4Prefix make(Ipv4Address addr, std::uint8_t len);

  /** The netmask of this prefix (0 for /0). */
  [[nodiscard]] Ipv4Address mask() const;
  [[nodiscard]] bool contains(Ipv4Address address) const;
  /** true when every address of other is also in this prefix. */
  [[nodiscard]] bool contains(const Ipv4Prefix& other) const;
  [[nodiscard]] Ipv4Address first() const { return addr; }
  [[nodiscard]] Ipv4Address last() const { return addr | ~mask(); }
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const Ipv4Prefix&, const Ipv4Prefix&) = default;
  friend auto operator<=>(const Ipv4Prefix&, const Ipv4Prefix&) = default;
};

/** An inclusive range of 16-bit values (ports; for ICMP, types or codes). */
struct PortRange {
  std::uint16_t lo = 0;
  std::uint16_t hi = 0xFFFF;

  [[nodiscard]] bool contains(std::uint32_t port) const { return lo <= port && port <= hi; }
  [[nodiscard]] bool is_all() const { return lo == 0 && hi == 0xFFFF; }
  [[nodiscard]] std::string to_string() const;  // "22", "1000-2000", "all"

  friend bool operator==(const PortRange&, const PortRange&) = default;
  friend auto operator<=>(const PortRange&, const PortRange&) = default;
};

/** RFC 1918 (10/8, 172.16/12, 192.168/16) private space. */
bool is_rfc1918(Ipv4Address address);
/** RFC 6598 (100.64/10) shared address space (carrier-grade NAT). */
bool is_rfc6598(Ipv4Address address);

/**
 * The IPv4 blocks that are not "the internet" (../shared/cli-contract.md, Endpoints): this
 * network (0/8), RFC 1918 (10/8, 172.16/12, 192.168/16), shared space (100.64/10), loopback
 * (127/8), link-local (169.254/16), multicast (224/4) and reserved (240/4, which holds the
 * broadcast address). Sorted by address. RFC 6890 lists them as not globally reachable.
 */
const std::vector<Ipv4Prefix>& non_internet_blocks();
/** true when address is in no non_internet_blocks(): a globally routable IPv4 address. */
bool is_internet(Ipv4Address address);

}  // namespace vpcprove
