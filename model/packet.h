// SPDX-License-Identifier: Apache-2.0
// The packet header the whole tool reasons about: 104 bits of IPv4 5-tuple.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "common/ipv4.h"
#include "common/ipv6.h"

namespace vpcprove::model {

/** IP protocol numbers with names in AWS rules. kAnyProtocol is AWS's "-1" (every protocol). */
inline constexpr int kAnyProtocol = -1;
inline constexpr int kIcmp = 1;
inline constexpr int kTcp = 6;
inline constexpr int kUdp = 17;
inline constexpr int kIcmpv6 = 58;

/**
 * One packet header, IPv4 or IPv6.
 *
 * Field conventions (the encoder uses the same bit layout):
 * - ip_version 4: src_ip and dst_ip are the addresses, src_ip6 and dst_ip6 are zero;
 *   ip_version 6: src_ip6 and dst_ip6 are, src_ip and dst_ip are zero.
 * - TCP (6) and UDP (17): src_port and dst_port are the ports.
 * - ICMP (1) and ICMPv6 (58): dst_port holds the type and src_port the code, both < 256.
 * - every other protocol: both ports are 0 (they are not part of the flow).
 */
struct Packet {
  Ipv4Address src_ip = 0;
  Ipv4Address dst_ip = 0;
  std::uint8_t ip_version = 4;
  Ipv6Address src_ip6{};
  Ipv6Address dst_ip6{};
  std::uint8_t protocol = kTcp;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;

  [[nodiscard]] std::uint16_t icmp_type() const { return dst_port; }
  [[nodiscard]] std::uint16_t icmp_code() const { return src_port; }
  [[nodiscard]] bool is_ipv6() const { return ip_version == 6; }
  /** The source / destination address as text, in the packet's family. */
  [[nodiscard]] std::string src_text() const;
  [[nodiscard]] std::string dst_text() const;
  /** The source with its port for TCP and UDP ("10.0.0.1:443", "[2001:db8::1]:443": an IPv6
   *  address with a port is bracketed, RFC 5952 section 6), the address alone otherwise. */
  [[nodiscard]] std::string src_endpoint_text() const;
  /** The destination, as src_endpoint_text. */
  [[nodiscard]] std::string dst_endpoint_text() const;
  /** true when ports and addresses obey the conventions above. */
  [[nodiscard]] bool well_formed() const;

  friend bool operator==(const Packet&, const Packet&) = default;
};

/** "tcp", "udp", "icmp", or the number for other protocols; "all" for kAnyProtocol. */
std::string protocol_name(int protocol);

/** "tcp 10.0.1.5:49152 -> 8.8.8.8:443", "tcp [2600:1f18::5]:49152 -> [2001:db8::1]:443",
 *  "icmp 10.0.1.5 -> 8.8.8.8 type 8 code 0", "proto 50 a -> b". */
std::string describe(const Packet& packet);

/**
 * ICMP query types and the reply type that answers each (RFC 792, RFC 950): echo 8 -> 0,
 * timestamp 13 -> 14, information 15 -> 16, address mask 17 -> 18. Security groups track
 * these as one flow
 * (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-connection-tracking.html).
 */
inline constexpr std::pair<int, int> kIcmpReplyTypes[] = {{8, 0}, {13, 14}, {15, 16}, {17, 18}};

/** The ICMP type that answers type (kIcmpReplyTypes), or type itself when it is no query. */
int icmp_reply_type(int type);

/** ICMPv6 queries and their replies (RFC 4443: echo 128 -> 129). */
inline constexpr std::pair<int, int> kIcmpv6ReplyTypes[] = {{128, 129}};
/** The ICMPv6 type that answers type (kIcmpv6ReplyTypes), or type itself. */
int icmpv6_reply_type(int type);

/**
 * The reply a responder sends to packet: addresses swapped; TCP/UDP ports swapped; an ICMP
 * query answered by its reply type with code 0 (echo 8 -> 0, timestamp 13 -> 14, information
 * 15 -> 16, address mask 17 -> 18; ICMPv6 echo 128 -> 129), every other ICMP type with the same type and
 * code; other protocols unchanged apart from addresses.
 */
Packet reply_to(const Packet& packet);

}  // namespace vpcprove::model
