// SPDX-License-Identifier: Apache-2.0
// First-match NACL evaluation.
#include "trace/nacl_match.h"

#include "model/describe.h"
#include "trace/l4_match.h"

namespace vpcprove::trace {

const model::NaclEntry* first_matching_entry(const model::NetworkAcl& acl, model::Direction d,
                                             const model::Packet& packet) {
  if (packet.is_ipv6()) {
    // IPv6 entries only: an IPv4 entry never matches an IPv6 packet, so first match among the
    // IPv6 entries is first match in AWS's one numbered list.
    const auto& entries6 = d == model::Direction::Ingress ? acl.ingress6 : acl.egress6;
    const Ipv6Address& peer6 = d == model::Direction::Ingress ? packet.src_ip6 : packet.dst_ip6;
    for (const auto& e : entries6) {
      if (matches(e.l4, packet) && e.cidr6 && e.cidr6->contains(peer6)) return &e;
    }
    return nullptr;
  }
  const auto& entries = d == model::Direction::Ingress ? acl.ingress : acl.egress;
  const Ipv4Address peer = d == model::Direction::Ingress ? packet.src_ip : packet.dst_ip;
  for (const auto& e : entries) {
    if (matches(e.l4, packet) && e.cidr.contains(peer)) return &e;
  }
  return nullptr;
}

NaclDecision evaluate_nacl(const model::NetworkAcl& acl, model::Direction d, const model::Packet& packet) {
  if (const auto* e = first_matching_entry(acl, d, packet)) return {e->allow, e, model::describe(*e)};
  return {false, nullptr, model::describe_default_deny(acl.id)};
}

}  // namespace vpcprove::trace
