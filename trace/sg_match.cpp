// SPDX-License-Identifier: Apache-2.0
// Security groups as a union of allow rules, naming the first rule that admits a packet.
#include "trace/sg_match.h"

#include <algorithm>

#include "trace/l4_match.h"

namespace vpcprove::trace {

bool matches(const model::SgRule& rule, const model::Packet& packet) {
  if (packet.is_ipv6()) {
    const Ipv6Address& peer6 = rule.direction == model::Direction::Ingress ? packet.src_ip6 : packet.dst_ip6;
    return matches(rule.l4, packet) && std::any_of(rule.peer_prefixes6.begin(), rule.peer_prefixes6.end(),
                                                   [&](const Ipv6Prefix& p) { return p.contains(peer6); });
  }
  const Ipv4Address peer = rule.direction == model::Direction::Ingress ? packet.src_ip : packet.dst_ip;
  return matches(rule.l4, packet) && std::any_of(rule.peer_prefixes.begin(), rule.peer_prefixes.end(),
                                                 [&](const Ipv4Prefix& p) { return p.contains(peer); });
}

const model::SgRule* first_matching_rule(const model::Network& network, const model::NetworkInterface& eni,
                                         model::Direction d, const model::Packet& packet) {
  for (const auto& group_id : eni.security_group_ids) {
    const auto* group = model::Network::find(network.security_groups, group_id);
    if (!group) continue;
    for (const auto& rule : d == model::Direction::Ingress ? group->ingress : group->egress) {
      if (matches(rule, packet)) return &rule;
    }
  }
  return nullptr;
}

}  // namespace vpcprove::trace
