// SPDX-License-Identifier: Apache-2.0
// exposure's pieces: cuts, pieces, and a class's open pieces merged into the ranges it reports.
#include "queries/exposure_pieces.h"

#include <algorithm>

#include "model/hop_step.h"

namespace vpcprove::queries::exposure_detail {

using graph::StepKind;

const char* name_of(Part p, int icmp) {
  switch (p) {
    case Part::Tcp:
      return "tcp";
    case Part::Udp:
      return "udp";
    case Part::Icmp:
      return icmp == model::kIcmpv6 ? "icmpv6" : "icmp";
    case Part::Other:
      return "other";
  }
  return "other";
}

/** The largest value of the part's cut dimension: dst port, ICMP type (< 256), protocol number. */
std::uint32_t top_of(Part p) { return p == Part::Tcp || p == Part::Udp ? 0xFFFF : 0xFF; }

/**
 * Cut points of one part from the filters' L4 matches: a range [lo, hi] of a rule of that
 * protocol adds lo and hi + 1. On every piece between two cuts each rule matches all of the
 * piece or none of it, so one solver call decides the whole piece.
 */
void add_cuts(Part part, const model::L4Match& m, std::set<std::uint32_t>& cuts, int icmp) {
  if (m.matches_nothing || m.protocol == model::kAnyProtocol) return;
  switch (part) {
    case Part::Tcp:
    case Part::Udp:
      if (m.protocol == (part == Part::Tcp ? model::kTcp : model::kUdp)) {
        cuts.insert(m.ports.lo);
        cuts.insert(std::uint32_t{m.ports.hi} + 1);
      }
      break;
    case Part::Icmp:
      if (m.protocol == icmp && m.icmp_type >= 0) {
        cuts.insert(static_cast<std::uint32_t>(m.icmp_type));
        cuts.insert(static_cast<std::uint32_t>(m.icmp_type) + 1);
      }
      break;
    case Part::Other:
      if (m.protocol >= 0) {
        cuts.insert(static_cast<std::uint32_t>(m.protocol));
        cuts.insert(static_cast<std::uint32_t>(m.protocol) + 1);
      }
      break;
  }
}

std::vector<PortRange> pieces(Part part, std::set<std::uint32_t> cuts, int icmp) {
  const std::uint32_t top = top_of(part);
  cuts.insert(0);
  cuts.insert(top + 1);
  // Echo request and reply apart: replies change the type.
  if (part == Part::Icmp && icmp == model::kIcmpv6) cuts.insert({128, 129, 130});
  if (part == Part::Icmp && icmp != model::kIcmpv6) cuts.insert({0, 1, 8, 9});
  const auto named = static_cast<std::uint32_t>(icmp);
  if (part == Part::Other) cuts.insert({named, named + 1, 6, 7, 17, 18});
  std::vector<PortRange> out;
  for (auto it = cuts.begin(); it != cuts.end(); ++it) {
    auto next = std::next(it);
    if (next == cuts.end() || *it > top) break;
    const PortRange r{static_cast<std::uint16_t>(*it), static_cast<std::uint16_t>(std::min(*next - 1, top))};
    if (part == Part::Other && r.lo == r.hi && (r.lo == model::kTcp || r.lo == model::kUdp || r.lo == icmp)) {
      continue;  // reported under their own names
    }
    out.push_back(r);
  }
  return out;
}

/**
 * Every L4 match a filter step of the path applies: the rules of the step's own direction.
 * (It used to take both directions, a superset and still exact; on estates where every subnet
 * has its own NACL the other direction's boundaries cut the open ranges into pieces that each
 * cost a solver check.)
 */
void collect_filters(const model::Network& n, const graph::Step& s, std::vector<const model::L4Match*>& out) {
  const bool ingress = s.kind == StepKind::SgIngress || s.kind == StepKind::NaclIngress;
  switch (s.kind) {
    case StepKind::SgEgress:
    case StepKind::SgIngress: {
      const auto* eni = model::Network::find(n.network_interfaces, s.id);
      if (!eni) break;
      for (const auto& gid : eni->security_group_ids) {
        const auto* g = model::Network::find(n.security_groups, gid);
        if (!g) continue;
        for (const auto& r : ingress ? g->ingress : g->egress) out.push_back(&r.l4);  // both families
      }
      break;
    }
    case StepKind::NaclEgress:
    case StepKind::NaclIngress: {
      const auto* sub = model::Network::find(n.subnets, s.id);
      const auto* acl = sub ? model::Network::find(n.network_acls, sub->nacl_id) : nullptr;
      if (!acl) break;
      for (const auto& e : ingress ? acl->ingress : acl->egress) out.push_back(&e.l4);
      for (const auto& e : ingress ? acl->ingress6 : acl->egress6) out.push_back(&e.l4);
      break;
    }
    default:
      break;
  }
}

std::map<Part, std::vector<PortRange>> network_pieces(const model::Network& network, int icmp) {
  std::map<Part, std::set<std::uint32_t>> cuts;
  auto add = [&](const model::L4Match& m) {
    for (Part p : kParts) add_cuts(p, m, cuts[p], icmp);
  };
  for (const auto& [id, sg] : network.security_groups) {
    for (const auto& r : sg.ingress) add(r.l4);
    for (const auto& r : sg.egress) add(r.l4);
  }
  for (const auto& [id, acl] : network.network_acls) {
    for (const auto* entries : {&acl.ingress, &acl.egress, &acl.ingress6, &acl.egress6}) {
      for (const auto& e : *entries) add(e.l4);
    }
  }
  std::map<Part, std::vector<PortRange>> out;
  for (Part p : kParts) out[p] = pieces(p, cuts[p], icmp);
  return out;
}

std::string class_key(const model::Network& n, const model::NetworkInterface& eni, Semantics semantics,
                      const std::set<model::Id>& routed, const std::string& address) {
  const auto* subnet = model::Network::find(n.subnets, eni.subnet_id);
  const bool by_nacl = subnet && semantics == Semantics::Packet;
  std::string key = eni.vpc_id + '|' + (by_nacl ? "acl:" + subnet->nacl_id : "subnet:" + eni.subnet_id);
  if (!address.empty()) key += '|' + address;
  if (eni.unfiltered) key += "|unfiltered";
  for (const auto& g : eni.security_group_ids) key += '|' + g;
  if (routed.count(eni.vpc_id)) key += "|own:" + eni.id;
  return key;
}

bool is_filter_hop(const std::string& step) {
  return model::step_is(step, model::HopStep::SgIngress) || model::step_is(step, model::HopStep::SgEgress) ||
         model::step_is(step, model::HopStep::NaclIngress) ||
         model::step_is(step, model::HopStep::NaclEgress);
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

/** The protocol open_pieces takes for a part. */
int protocol_of(Part p, int icmp) {
  switch (p) {
    case Part::Tcp:
      return model::kTcp;
    case Part::Udp:
      return model::kUdp;
    case Part::Icmp:
      return icmp;
    case Part::Other:
      return -1;
  }
  return -1;
}

namespace {

/** The open pieces of one part merged into ranges, each with the union of its pieces' rules. */
Exposed merged(const char* protocol,
               const std::vector<std::pair<PortRange, std::vector<std::string>>>& open) {
  auto sorted = open;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Exposed e{protocol, {}, {}, {}, {}, 4};
  for (const auto& [r, by] : sorted) {
    if (!e.ports.empty() && std::uint32_t{e.ports.back().hi} + 1 >= r.lo) {
      e.ports.back().hi = std::max(e.ports.back().hi, r.hi);
    } else {
      e.ports.push_back(r);
      e.range_by.emplace_back();
    }
    for (const auto& b : by) {
      add_unique(e.range_by.back(), b);
      add_unique(e.by, b);
    }
  }
  return e;
}

}  // namespace

std::vector<Exposed> assemble(const ClassAnswer& a, int icmp) {
  std::map<Part, Exposed> parts;
  for (Part p : kParts) {
    auto it = a.open.find(p);
    if (it != a.open.end() && !it->second.empty()) parts[p] = merged(name_of(p, icmp), it->second);
  }
  auto ports = [&](Part p) { return parts.count(p) ? parts[p].ports : std::vector<PortRange>{}; };
  const std::vector<PortRange> all16{{0, 0xFFFF}}, icmp_all{{0, 0xFF}};
  // Every protocol number but TCP, UDP and the family's ICMP.
  std::vector<PortRange> other_all;
  {
    std::uint32_t lo = 0;
    for (std::uint32_t named : std::set<std::uint32_t>{6, 17, static_cast<std::uint32_t>(icmp)}) {
      if (named > lo)
        other_all.push_back({static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(named - 1)});
      lo = named + 1;
    }
    other_all.push_back({static_cast<std::uint16_t>(lo), 0xFF});
  }
  if (ports(Part::Tcp) == all16 && ports(Part::Udp) == all16 && ports(Part::Icmp) == icmp_all &&
      ports(Part::Other) == other_all) {
    Exposed e{"all", all16, {}, {}, {{}}, 4};
    for (Part p : kParts) {
      for (const auto& b : parts[p].by) {
        add_unique(e.by, b);
        add_unique(e.range_by.front(), b);
      }
    }
    return {e};
  }
  std::vector<Exposed> out;
  for (Part p : kParts) {
    if (!parts.count(p)) continue;
    Exposed e = parts[p];
    if (p == Part::Other) {
      e.protocols = e.ports;
      e.ports = {{0, 0}};
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace vpcprove::queries::exposure_detail
