// SPDX-License-Identifier: Apache-2.0
// Packet helpers.
#include "model/packet.h"

namespace vpcprove::model {

bool Packet::well_formed() const {
  if (protocol == kTcp || protocol == kUdp) return true;
  if (protocol == kIcmp) return src_port < 256 && dst_port < 256;
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
    default:
      return std::to_string(protocol);
  }
}

std::string describe(const Packet& p) {
  const std::string src = format_ipv4(p.src_ip);
  const std::string dst = format_ipv4(p.dst_ip);
  if (p.protocol == kTcp || p.protocol == kUdp) {
    return protocol_name(p.protocol) + ' ' + src + ':' + std::to_string(p.src_port) + " -> " + dst + ':' +
           std::to_string(p.dst_port);
  }
  if (p.protocol == kIcmp) {
    return "icmp " + src + " -> " + dst + " type " + std::to_string(p.icmp_type()) + " code " +
           std::to_string(p.icmp_code());
  }
  return "proto " + std::to_string(p.protocol) + ' ' + src + " -> " + dst;
}

Packet reply_to(const Packet& p) {
  Packet r = p;
  r.src_ip = p.dst_ip;
  r.dst_ip = p.src_ip;
  if (p.protocol == kTcp || p.protocol == kUdp) {
    r.src_port = p.dst_port;
    r.dst_port = p.src_port;
  } else if (p.protocol == kIcmp && icmp_reply_type(p.icmp_type()) != p.icmp_type()) {
    r.dst_port = static_cast<std::uint16_t>(icmp_reply_type(p.icmp_type()));
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

}  // namespace vpcprove::model
