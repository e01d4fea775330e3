// SPDX-License-Identifier: Apache-2.0
// Packet helpers.
#include "model/packet.h"

namespace vpcprove::model {

bool Packet::well_formed() const {
  if (ip_version == 4 && (src_ip6 != Ipv6Address{} || dst_ip6 != Ipv6Address{})) return false;
  if (ip_version == 6 && (src_ip != 0 || dst_ip != 0)) return false;
  if (ip_version != 4 && ip_version != 6) return false;
  if (protocol == kTcp || protocol == kUdp) return true;
  if (protocol == kIcmp || protocol == kIcmpv6) return src_port < 256 && dst_port < 256;
  return src_port == 0 && dst_port == 0;
}

std::string protocol_name(int protocol) {
  switch (protocol) {
    case kAnyProtocol:
      return "all";
    case kTcp:
      return "tcp";
    case kUdp:
      return "udp";
    case kIcmp:
      return "icmp";
    case kIcmpv6:
      return "icmpv6";
    default:
      return std::to_string(protocol);
  }
}

std::string Packet::src_text() const { return is_ipv6() ? format_ipv6(src_ip6) : format_ipv4(src_ip); }

std::string Packet::dst_text() const { return is_ipv6() ? format_ipv6(dst_ip6) : format_ipv4(dst_ip); }

namespace {

std::string with_port(const Packet& p, const std::string& address, std::uint16_t port) {
  if (p.protocol != kTcp && p.protocol != kUdp) return address;
  return (p.is_ipv6() ? '[' + address + ']' : address) + ':' + std::to_string(port);
}

}  // namespace

std::string Packet::src_endpoint_text() const { return with_port(*this, src_text(), src_port); }

std::string Packet::dst_endpoint_text() const { return with_port(*this, dst_text(), dst_port); }

std::string describe(const Packet& p) {
  const std::string src = p.src_text();
  const std::string dst = p.dst_text();
  if (p.protocol == kTcp || p.protocol == kUdp) {
    return protocol_name(p.protocol) + ' ' + p.src_endpoint_text() + " -> " + p.dst_endpoint_text();
  }
  if (p.protocol == kIcmp || p.protocol == kIcmpv6) {
    return protocol_name(p.protocol) + ' ' + src + " -> " + dst + " type " + std::to_string(p.icmp_type()) +
           " code " + std::to_string(p.icmp_code());
  }
  return "proto " + std::to_string(p.protocol) + ' ' + src + " -> " + dst;
}

Packet reply_to(const Packet& p) {
  Packet r = p;
  r.src_ip = p.dst_ip;
  r.dst_ip = p.src_ip;
  r.src_ip6 = p.dst_ip6;
  r.dst_ip6 = p.src_ip6;
  if (p.protocol == kTcp || p.protocol == kUdp) {
    r.src_port = p.dst_port;
    r.dst_port = p.src_port;
  } else if (p.protocol == kIcmp && icmp_reply_type(p.icmp_type()) != p.icmp_type()) {
    r.dst_port = static_cast<std::uint16_t>(icmp_reply_type(p.icmp_type()));
    r.src_port = 0;
  } else if (p.protocol == kIcmpv6 && icmpv6_reply_type(p.icmp_type()) != p.icmp_type()) {
    r.dst_port = static_cast<std::uint16_t>(icmpv6_reply_type(p.icmp_type()));
    r.src_port = 0;
  }
  return r;
}

int icmp_reply_type(int type) {
  for (const auto& [request, reply] : kIcmpReplyTypes) {
    if (type == request) return reply;
  }
  return type;
}

int icmpv6_reply_type(int type) {
  for (const auto& [request, reply] : kIcmpv6ReplyTypes) {
    if (type == request) return reply;
  }
  return type;
}

}  // namespace vpcprove::model
