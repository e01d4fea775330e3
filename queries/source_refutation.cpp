// SPDX-License-Identifier: Apache-2.0
#include "queries/source_refutation.h"

#include <vector>

namespace vpcprove::queries {

bool SourceAddresses::disjoint(const SourceAddresses& other) const {
  return v4.intersect(other.v4).empty() && v6.intersect(other.v6).empty();
}

SourceAddresses source_addresses(const model::Network& network, const QuestionSource& src) {
  SourceAddresses out;
  if (src.owned_by) {
    std::vector<Ipv4Prefix> v4;
    std::vector<Ipv6Prefix> v6;
    for (const auto& id : *src.owned_by) {
      const auto& x = network.network_interfaces.at(id);
      for (const auto& p : x.private_ips) v4.push_back(Ipv4Prefix::make(p.address, 32));
      for (const auto& a : x.ipv6_addresses) v6.push_back(Ipv6Prefix::make(a, 128));
      for (const auto& p : x.ipv6_delegated_prefixes) v6.push_back(p);
    }
    out.v4 = AddressSet::of_all(std::move(v4));
    out.v6 = AddressSet6::of_all(std::move(v6));
  } else {
    out.v4 = AddressSet::internet();
    out.v6 = AddressSet6::internet();
  }
  // source_address: within is an IPv4 packet's (ipv4_only), within6 an IPv6 packet's.
  if (src.within) {
    out.v4 = out.v4.intersect(AddressSet::of(*src.within));
    out.v6 = {};
  }
  if (src.within6) {
    out.v6 = out.v6.intersect(AddressSet6::of(*src.within6));
    out.v4 = {};
  }
  return out;
}

const SourceAddresses& SourceRefuter::peers(const model::Id& group) {
  auto [it, fresh] = peers_.try_emplace(group);
  if (!fresh) return it->second;
  // Encoder::security_group: a missing group admits nothing; otherwise some rule's peer.
  if (const auto* g = model::Network::find(network_.security_groups, group)) {
    std::vector<Ipv4Prefix> v4;
    std::vector<Ipv6Prefix> v6;
    for (const auto& r : g->ingress) {
      v4.insert(v4.end(), r.peer_prefixes.begin(), r.peer_prefixes.end());
      v6.insert(v6.end(), r.peer_prefixes6.begin(), r.peer_prefixes6.end());
    }
    it->second.v4 = AddressSet::of_all(std::move(v4));
    it->second.v6 = AddressSet6::of_all(std::move(v6));
  }
  return it->second;
}

std::optional<std::size_t> SourceRefuter::refuted_at(const encoder::EncodedPath& ep,
                                                     const SourceAddresses& from, const std::string& header) {
  std::size_t index = 0;  // among the steps with a literal
  for (const auto& s : ep.steps) {
    if (s.literal.empty()) continue;
    const std::size_t here = index++;
    if (s.skipped || s.before.name != header) continue;
    // A route of one family carries packets of that family only (Encoder::route_selected is
    // IPv4-only, route6_selected asks ip6): a source without an address of it sends none.
    if (s.step->kind == graph::StepKind::Route && from.v4.empty()) return here;
    if (s.step->kind == graph::StepKind::Route6 && from.v6.empty()) return here;
    if (s.step->kind != graph::StepKind::SgIngress) continue;
    // Encoder::interface_groups: an unfiltered ENI admits everything; else the union of its groups.
    const auto& eni = network_.network_interfaces.at(s.step->id);
    if (eni.unfiltered) continue;
    bool admits = false;
    for (const auto& g : eni.security_group_ids) {
      if (!peers(g).disjoint(from)) {
        admits = true;
        break;
      }
    }
    if (!admits) return here;
  }
  return std::nullopt;
}

}  // namespace vpcprove::queries
