// SPDX-License-Identifier: Apache-2.0
// What a question asks, before any network answers it: its semantics and its header space.
#pragma once

#include <optional>
#include <vector>

#include "common/ipv4.h"
#include "common/ipv6.h"

namespace vpcprove::queries {

/** packet: the first packet is delivered; session: and its reply comes back (docs/semantics.md). */
enum class Semantics { Packet, Session };
const char* to_string(Semantics s);  // "packet", "session"

/**
 * The header space of a question. Unset fields range over every well-formed value.
 * Ports follow model/packet.h: for ICMP, dst_ports constrains the type and src_ports the
 * code; with protocol unset ("all"), giving ports restricts the question to TCP and UDP.
 */
struct HeaderSpace {
  std::optional<int> protocol;  ///< 0-255; nullopt: every protocol
  std::optional<PortRange> dst_ports;
  /** When non-empty: the destination port is in one of these (a spec's port list); dst_ports is unset. */
  std::vector<PortRange> dst_port_set;

  friend bool operator==(const HeaderSpace&, const HeaderSpace&) = default;
  std::optional<PortRange> src_ports;
  std::optional<Ipv4Prefix> src_ip;  ///< further restricts the source address (an IPv4 packet)
  std::optional<Ipv4Prefix> dst_ip;  ///< further restricts the (initial) destination address (IPv4)
  /** 4 or 6: only packets of that family (--ip-version); nullopt: both. */
  std::optional<int> ip_version;
  std::optional<Ipv6Prefix> src_ip6;  ///< as src_ip, for an IPv6 packet
  std::optional<Ipv6Prefix> dst_ip6;  ///< as dst_ip, for an IPv6 packet
};

}  // namespace vpcprove::queries
