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

namespace {

// Families of a packet, as bits: which of IPv4 and IPv6 a header may still be.
constexpr unsigned kV4 = 1;
constexpr unsigned kV6 = 2;
constexpr unsigned kBoth = kV4 | kV6;

/**
 * The families a step's guard lets through, read off the formula's top: the encoder writes a
 * one-family step as "ip6 and ..." (route6_selected), "not ip6 and ..." (ipv4_only), or
 * "if ip6 then A else B" with A or B the constant false (by_family, the internet gateway's
 * ingress where no IPv4 address maps into the subnet). Anything else: both. A guard not built
 * yet is not built here (it may be costly; it says both).
 */
unsigned guard_families(const encoder::EncodedStep& s) {
  if (!s.before.dual_stack || s.outside || !s.guard.built()) return kBoth;
  const z3::expr& g = s.guard.get();
  if (g.is_false()) return 0;
  if (!g.is_app()) return kBoth;
  const z3::expr& ip6 = s.before.ip6;
  auto is_ip6 = [&](const z3::expr& e) { return z3::eq(e, ip6); };
  auto is_not_ip6 = [&](const z3::expr& e) {
    return e.is_app() && e.decl().decl_kind() == Z3_OP_NOT && z3::eq(e.arg(0), ip6);
  };
  const auto kind = g.decl().decl_kind();
  if (kind == Z3_OP_AND) {
    unsigned out = kBoth;
    for (unsigned i = 0; i < g.num_args(); ++i) {
      if (is_ip6(g.arg(i))) out &= kV6;
      if (is_not_ip6(g.arg(i))) out &= kV4;
    }
    return out;
  }
  if (kind == Z3_OP_ITE && is_ip6(g.arg(0)))
    return (g.arg(1).is_false() ? 0U : kV6) | (g.arg(2).is_false() ? 0U : kV4);
  return kBoth;
}

/** The families the header after a translating step may be, given the one before: a NAT
 *  gateway sends IPv4 (NAT64 included: PathEncoder's NatTranslate definition); the internet
 *  gateway keeps the family (same_ipv6_part); anything else is not assumed. */
unsigned translated_families(const encoder::EncodedStep& s, unsigned before) {
  switch (s.step->kind) {
    case graph::StepKind::NatTranslate:
      return kV4;
    case graph::StepKind::IgwEgress:
    case graph::StepKind::IgwIngress:
      return before;
    default:
      return kBoth;
  }
}

}  // namespace

std::optional<std::size_t> SourceRefuter::refuted_at(const encoder::EncodedPath& ep,
                                                     const SourceAddresses& from, const std::string& header) {
  // What each header of the path may still be: the question's own by the source's addresses.
  std::unordered_map<std::string, unsigned> families;
  families[header] = (from.v4.empty() ? 0U : kV4) | (from.v6.empty() ? 0U : kV6);
  auto family_of = [&](const std::string& name) {
    const auto it = families.find(name);
    return it == families.end() ? kBoth : it->second;
  };
  std::size_t index = 0;  // among the steps with a literal
  for (const auto& s : ep.steps) {
    unsigned family = family_of(s.before.name);
    if (!s.literal.empty()) {
      const std::size_t here = index++;
      if (!s.skipped) {
        family &= guard_families(s);
        if (family == 0) return here;  // no packet of either family is left at this step
        families[s.before.name] = family;
      }
      if (!s.skipped && s.before.name == header && s.step->kind == graph::StepKind::SgIngress) {
        // Encoder::interface_groups: an unfiltered ENI admits everything; else the union of its groups.
        const auto& eni = network_.network_interfaces.at(s.step->id);
        bool admits = eni.unfiltered;
        for (const auto& g : eni.security_group_ids) {
          if (admits) break;
          admits = !peers(g).disjoint(from);
        }
        if (!admits) return here;
      }
    }
    if (s.after.name != s.before.name) families[s.after.name] = translated_families(s, family);
  }
  return std::nullopt;
}

}  // namespace vpcprove::queries
