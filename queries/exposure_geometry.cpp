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
                                           const std::vector<const model::L4Match*>& matches,
                                           int ip_version) {
  model::Packet p;
  p.ip_version = static_cast<std::uint8_t>(ip_version);
  if (protocol < 0) {
    p.protocol = static_cast<std::uint8_t>(piece.lo);  // other protocols carry ports 0
    return {p};
  }
  p.protocol = static_cast<std::uint8_t>(protocol);
  p.dst_port = piece.lo;
  if (protocol != model::kIcmp && protocol != model::kIcmpv6) return {p};
  std::set<std::uint16_t> codes;
  for (const auto* m : matches) {
    if (m->protocol == protocol && m->icmp_code >= 0 && m->icmp_code < 256)
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

/** What the plain way in reads of each family: its NACL entries, peers and source field. */
struct Ipv4Family {
  using Set = AddressSet;
  static const std::vector<model::NaclEntry>& ingress(const model::NetworkAcl& acl) { return acl.ingress; }
  static Ipv4Prefix cidr(const model::NaclEntry& e) { return e.cidr; }
  static const std::vector<Ipv4Prefix>& peers(const model::SgRule& r) { return r.peer_prefixes; }
  static void set_source(model::Packet& p, Ipv4Address a) { p.src_ip = a; }
};
struct Ipv6Family {
  using Set = AddressSet6;
  static const std::vector<model::NaclEntry>& ingress(const model::NetworkAcl& acl) { return acl.ingress6; }
  static Ipv6Prefix cidr(const model::NaclEntry& e) { return *e.cidr6; }  // set on every IPv6 entry
  static const std::vector<Ipv6Prefix>& peers(const model::SgRule& r) { return r.peer_prefixes6; }
  static void set_source(model::Packet& p, const Ipv6Address& a) { p.src_ip6 = a; }
};

/** The internet sources the NACL's ingress entries allow for packet's L4 fields (first match). */
template <class Family>
typename Family::Set nacl_allows(const model::NetworkAcl* acl, const model::Packet& packet) {
  using Set = typename Family::Set;
  if (!acl) return Set::internet();  // trace allows when a subnet has no NACL
  Set allowed, decided;
  for (const auto& e : Family::ingress(*acl)) {
    if (!trace::matches(e.l4, packet)) continue;
    const auto block = Set::of(Family::cidr(e));
    if (e.allow) allowed = allowed.unite(block.subtract(decided));
    decided = decided.unite(block);
    if (decided == Set::all()) break;
  }
  return allowed.intersect(Set::internet());
}

/** The lowest source in sources that some ingress rule of eni's groups admits for packet's L4
 *  fields, taking rules in trace's order (groups in order, rules in order). */
template <class Family, class Set>
auto sg_admits(const model::Network& n, const model::NetworkInterface& eni, const model::Packet& packet,
               const Set& sources) -> decltype(sources.lowest()) {
  if (eni.unfiltered) return sources.lowest();  // a group-less NLB/GWLB: nothing filters
  for (const auto& gid : eni.security_group_ids) {
    const auto* g = model::Network::find(n.security_groups, gid);
    if (!g) continue;
    for (const auto& r : g->ingress) {
      if (!trace::matches(r.l4, packet)) continue;
      for (const auto& p : Family::peers(r)) {
        if (auto a = sources.lowest_in(p)) return a;
      }
    }
  }
  return std::nullopt;
}

template <class Family>
std::vector<OpenPiece> open_pieces_of(const model::Network& network, const model::NetworkInterface& eni,
                                      int protocol, const std::vector<PortRange>& pieces, RuleNames& names,
                                      int ip_version) {
  const auto& subnet = network.subnets.at(eni.subnet_id);
  const auto* acl = model::Network::find(network.network_acls, subnet.nacl_id);
  std::vector<const model::L4Match*> matches;
  if (acl) {
    for (const auto& e : Family::ingress(*acl)) matches.push_back(&e.l4);
  }
  for (const auto& gid : eni.security_group_ids) {
    if (const auto* g = model::Network::find(network.security_groups, gid)) {
      for (const auto& r : g->ingress) matches.push_back(&r.l4);
    }
  }
  std::vector<OpenPiece> out;
  for (const auto& piece : pieces) {
    for (auto packet : representatives(protocol, piece, matches, ip_version)) {
      const auto src = sg_admits<Family>(network, eni, packet, nacl_allows<Family>(acl, packet));
      if (!src) continue;
      Family::set_source(packet, *src);
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

}  // namespace

std::vector<OpenPiece> open_pieces(const model::Network& network, const model::NetworkInterface& eni,
                                   int protocol, const std::vector<PortRange>& pieces, RuleNames& names,
                                   int ip_version) {
  if (ip_version == 6) return open_pieces_of<Ipv6Family>(network, eni, protocol, pieces, names, 6);
  return open_pieces_of<Ipv4Family>(network, eni, protocol, pieces, names, 4);
}

std::vector<OpenPiece> open_pieces(const model::Network& network, const model::NetworkInterface& eni,
                                   int protocol, const std::vector<PortRange>& pieces, int ip_version) {
  RuleNames names;
  return open_pieces(network, eni, protocol, pieces, names, ip_version);
}

namespace exposure_detail {

ClassAnswer plain_answer(const model::Network& network, const model::NetworkInterface& rep,
                         const std::vector<const model::L4Match*>& filters, RuleNames& names,
                         int ip_version) {
  const int icmp = ip_version == 6 ? model::kIcmpv6 : model::kIcmp;
  ClassAnswer a;
  for (Part part : kParts) {
    std::set<std::uint32_t> cuts;
    for (const auto* m : filters) add_cuts(part, *m, cuts, icmp);
    for (auto& o :
         open_pieces(network, rep, protocol_of(part, icmp), pieces(part, cuts, icmp), names, ip_version))
      a.open[part].emplace_back(o.piece, std::move(o.by));
  }
  return a;
}

}  // namespace exposure_detail

}  // namespace vpcprove::queries
