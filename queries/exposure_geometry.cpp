// SPDX-License-Identifier: Apache-2.0
// The filters of the plain way in from the internet as source-address sets per piece.
#include "queries/exposure_geometry.h"

#include <algorithm>
#include <set>

#include "model/describe.h"
#include "queries/address_set.h"
#include "trace/l4_match.h"
#include "trace/nacl_match.h"
#include "trace/sg_match.h"

namespace vpcprove::queries {

using graph::StepKind;

bool plain_way_in(const graph::ForwardingGraph& g, const graph::Path& path,
                  const model::NetworkInterface& eni, const model::Network& network) {
  if (!model::Network::find(network.subnets, eni.subnet_id)) return false;
  std::vector<const graph::Step*> steps;
  for (auto e : path.edges) {
    for (const auto& s : g.edge(e).steps) steps.push_back(&s);
  }
  const std::vector<std::pair<StepKind, const model::Id*>> expected{{StepKind::IgwIngress, nullptr},
                                                                    {StepKind::NaclIngress, &eni.subnet_id},
                                                                    {StepKind::OwnsDst, &eni.id},
                                                                    {StepKind::SgIngress, &eni.id},
                                                                    {StepKind::Deliver, &eni.id}};
  if (steps.size() != expected.size()) return false;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i]->kind != expected[i].first) return false;
    if (expected[i].second && steps[i]->id != *expected[i].second) return false;
  }
  return steps[0]->aux.empty();  // the gateway's ENI mapping, not a NAT's address
}

const std::string& RuleNames::of(const model::SgRule& rule) {
  auto [it, fresh] = names_.try_emplace(&rule);
  if (fresh) it->second = model::describe(rule);
  return it->second;
}

const std::string& RuleNames::of(const model::NaclEntry& entry) {
  auto [it, fresh] = names_.try_emplace(&entry);
  if (fresh) it->second = model::describe(entry);
  return it->second;
}

const std::string& RuleNames::default_deny(const model::NetworkAcl& acl) {
  auto [it, fresh] = names_.try_emplace(&acl);
  if (fresh) it->second = model::describe_default_deny(acl.id);
  return it->second;
}

namespace {

/** The representative packets of one piece: its lowest value, and for ICMP every code that a
 *  rule names plus one code none names (a rule's code match is constant on the rest). */
std::vector<model::Packet> representatives(int protocol, const PortRange& piece,
                                           const std::vector<const model::L4Match*>& matches) {
  model::Packet p;
  if (protocol < 0) {
    p.protocol = static_cast<std::uint8_t>(piece.lo);  // other protocols carry ports 0
    return {p};
  }
  p.protocol = static_cast<std::uint8_t>(protocol);
  p.dst_port = piece.lo;
  if (protocol != model::kIcmp) return {p};
  std::set<std::uint16_t> codes;
  for (const auto* m : matches) {
    if (m->protocol == model::kIcmp && m->icmp_code >= 0 && m->icmp_code < 256)
      codes.insert(static_cast<std::uint16_t>(m->icmp_code));
  }
  std::uint16_t unnamed = 0;
  while (unnamed < 256 && codes.count(unnamed)) ++unnamed;
  if (unnamed < 256) codes.insert(unnamed);
  std::vector<model::Packet> out;
  for (auto c : codes) {
    p.src_port = c;  // ICMP code (model/packet.h)
    out.push_back(p);
  }
  return out;
}

/** The internet sources the NACL's ingress entries allow for packet's L4 fields (first match). */
AddressSet nacl_allows(const model::NetworkAcl* acl, const model::Packet& packet) {
  if (!acl) return AddressSet::internet();  // trace allows when a subnet has no NACL
  AddressSet allowed, decided;
  for (const auto& e : acl->ingress) {
    if (!trace::matches(e.l4, packet)) continue;
    const auto block = AddressSet::of(e.cidr);
    if (e.allow) allowed = allowed.unite(block.subtract(decided));
    decided = decided.unite(block);
    if (decided == AddressSet::all()) break;
  }
  return allowed.intersect(AddressSet::internet());
}

/** The lowest source in sources that some ingress rule of eni's groups admits for packet's L4
 *  fields, taking rules in trace's order (groups in order, rules in order). */
std::optional<Ipv4Address> sg_admits(const model::Network& n, const model::NetworkInterface& eni,
                                     const model::Packet& packet, const AddressSet& sources) {
  if (eni.unfiltered) return sources.lowest();  // a group-less NLB/GWLB: nothing filters
  for (const auto& gid : eni.security_group_ids) {
    const auto* g = model::Network::find(n.security_groups, gid);
    if (!g) continue;
    for (const auto& r : g->ingress) {
      if (!trace::matches(r.l4, packet)) continue;
      for (const auto& p : r.peer_prefixes) {
        if (auto a = sources.lowest_in(p)) return a;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<OpenPiece> open_pieces(const model::Network& network, const model::NetworkInterface& eni,
                                   int protocol, const std::vector<PortRange>& pieces, RuleNames& names) {
  const auto& subnet = network.subnets.at(eni.subnet_id);
  const auto* acl = model::Network::find(network.network_acls, subnet.nacl_id);
  std::vector<const model::L4Match*> matches;
  if (acl) {
    for (const auto& e : acl->ingress) matches.push_back(&e.l4);
  }
  for (const auto& gid : eni.security_group_ids) {
    if (const auto* g = model::Network::find(network.security_groups, gid)) {
      for (const auto& r : g->ingress) matches.push_back(&r.l4);
    }
  }
  std::vector<OpenPiece> out;
  for (const auto& piece : pieces) {
    for (auto packet : representatives(protocol, piece, matches)) {
      const auto src = sg_admits(network, eni, packet, nacl_allows(acl, packet));
      if (!src) continue;
      packet.src_ip = *src;
      // Named as exposure's hops name them: the deciding NACL entry, the first admitting rule.
      OpenPiece open{piece, {}, packet};
      if (!acl) {
        open.by.emplace_back("no network ACL (allow)");
      } else if (const auto* e = trace::first_matching_entry(*acl, model::Direction::Ingress, packet)) {
        open.by.push_back(names.of(*e));
      } else {
        open.by.push_back(names.default_deny(*acl));
      }
      const auto* rule = trace::first_matching_rule(network, eni, model::Direction::Ingress, packet);
      open.by.push_back(rule ? names.of(*rule) : eni.unfiltered_text());
      out.push_back(std::move(open));
      break;
    }
  }
  return out;
}

std::vector<OpenPiece> open_pieces(const model::Network& network, const model::NetworkInterface& eni,
                                   int protocol, const std::vector<PortRange>& pieces) {
  RuleNames names;
  return open_pieces(network, eni, protocol, pieces, names);
}

}  // namespace vpcprove::queries
