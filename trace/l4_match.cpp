// SPDX-License-Identifier: Apache-2.0
// Concrete L4 matching of security-group rules and NACL entries.
#include "trace/l4_match.h"

namespace vpcprove::trace {

bool matches(const model::L4Match& match, const model::Packet& packet) {
  if (match.matches_nothing) return false;
  if (match.protocol == model::kAnyProtocol) return true;
  if (match.protocol != packet.protocol) return false;
  switch (match.protocol) {
    case model::kTcp:
    case model::kUdp:
      return match.ports.contains(packet.dst_port);
    case model::kIcmp:
    case model::kIcmpv6:
      return (match.icmp_type < 0 || match.icmp_type == packet.icmp_type()) &&
             (match.icmp_code < 0 || match.icmp_code == packet.icmp_code());
    default:
      return true;
  }
}

}  // namespace vpcprove::trace
