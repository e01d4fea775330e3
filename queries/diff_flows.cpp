// SPDX-License-Identifier: Apache-2.0
// diff --from/--to: the header space cut into cells both networks decide uniformly, each walked by trace.
//
// Why cells and trace rather than one joint formula: every decision the model makes on a first
// packet compares a header field with a constant of the network (a rule's CIDR, protocol, port
// range, ICMP type or code; a route's prefix; an owned, public or reserved address). Cutting
// each field at every such constant of both networks gives cells on which each network decides
// every comparison the same way, so one packet per cell is the whole cell's answer, and that
// packet, walked by the simulator itself, is the witness. The differential test holds this to
// the prover (reach) and to random packets.
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>

#include "common/diagnostics.h"
#include "model/drop_code.h"
#include "model/endpoint.h"
#include "queries/diff.h"
#include "trace/trace.h"

namespace vpcprove::queries {

namespace {

using Cuts = std::set<std::uint64_t>;

void cut_prefix(Cuts& cuts, const Ipv4Prefix& p) {
  cuts.insert(p.first());
  cuts.insert(static_cast<std::uint64_t>(p.last()) + 1);
}

void cut_address(Cuts& cuts, Ipv4Address a) {
  cuts.insert(a);
  cuts.insert(static_cast<std::uint64_t>(a) + 1);
}

/** Every address boundary a decision of network can depend on. */
void address_cuts(const model::Network& n, Cuts& cuts) {
  // The contract's non-internet ranges and the addresses AWS never filters.
  for (const char* text : {"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
                           "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4",
                           "169.254.169.253/32", "169.254.169.254/32", "169.254.169.123/32"}) {
    cut_prefix(cuts, *Ipv4Prefix::parse(text));
  }
  for (const auto& [id, v] : n.vpcs) {
    for (const auto& c : v.cidrs) {
      cut_prefix(cuts, c);
      cut_address(cuts, c.first() + 2);  // the VPC's DNS resolver
    }
  }
  for (const auto& [id, s] : n.subnets) cut_prefix(cuts, s.cidr);
  for (const auto& [id, t] : n.route_tables) {
    for (const auto& r : t.routes) cut_prefix(cuts, r.destination);
  }
  for (const auto& [id, g] : n.security_groups) {
    for (const auto* rules : {&g.ingress, &g.egress}) {
      for (const auto& r : *rules) {
        for (const auto& p : r.peer_prefixes) cut_prefix(cuts, p);
      }
    }
  }
  for (const auto& [id, a] : n.network_acls) {
    for (const auto* entries : {&a.ingress, &a.egress}) {
      for (const auto& e : *entries) cut_prefix(cuts, e.cidr);
    }
  }
  for (const auto& [id, p] : n.vpc_peerings) {
    for (const auto& c : p.requester_cidrs) cut_prefix(cuts, c);
    for (const auto& c : p.accepter_cidrs) cut_prefix(cuts, c);
  }
  for (const auto& [id, p] : n.prefix_lists) {
    for (const auto& c : p.cidrs) cut_prefix(cuts, c);
  }
  for (const auto& [id, e] : n.network_interfaces) {
    for (const auto& ip : e.private_ips) {
      cut_address(cuts, ip.address);
      if (ip.public_ip) cut_address(cuts, *ip.public_ip);
    }
  }
  for (const auto& [id, g] : n.nat_gateways) {
    cut_address(cuts, g.private_ip);
    if (g.public_ip) cut_address(cuts, *g.public_ip);
  }
}

/** protocol, destination-port and ICMP type/code boundaries of every filter of network. */
struct L4Cuts {
  Cuts protocols{0, 1, 2, 6, 7, 17, 18, 256};
  Cuts ports{0, 65536};
  Cuts icmp_types{0, 256};
  Cuts icmp_codes{0, 256};
};

void l4_cut(L4Cuts& cuts, const model::L4Match& l4) {
  if (l4.protocol == model::kAnyProtocol) return;
  cuts.protocols.insert(l4.protocol);
  cuts.protocols.insert(l4.protocol + 1);
  if (l4.protocol == model::kTcp || l4.protocol == model::kUdp) {
    cuts.ports.insert(l4.ports.lo);
    cuts.ports.insert(static_cast<std::uint64_t>(l4.ports.hi) + 1);
  }
  if (l4.protocol == model::kIcmp) {
    if (l4.icmp_type >= 0) cut_address(cuts.icmp_types, l4.icmp_type);
    if (l4.icmp_code >= 0) cut_address(cuts.icmp_codes, l4.icmp_code);
  }
}

void l4_cuts(const model::Network& n, L4Cuts& cuts) {
  for (const auto& [id, g] : n.security_groups) {
    for (const auto* rules : {&g.ingress, &g.egress}) {
      for (const auto& r : *rules) l4_cut(cuts, r.l4);
    }
  }
  for (const auto& [id, a] : n.network_acls) {
    for (const auto* entries : {&a.ingress, &a.egress}) {
      for (const auto& e : *entries) l4_cut(cuts, e.l4);
    }
  }
}

using Interval = std::pair<std::uint64_t, std::uint64_t>;  // inclusive

/** [lo, hi] cut at every cut inside it. */
std::vector<Interval> intervals(const Cuts& cuts, std::uint64_t lo, std::uint64_t hi) {
  std::vector<Interval> out;
  std::uint64_t start = lo;
  for (auto it = cuts.upper_bound(lo); it != cuts.end() && *it <= hi; ++it) {
    out.emplace_back(start, *it - 1);
    start = *it;
  }
  out.emplace_back(start, hi);
  return out;
}

/** One layer-4 cell: its protocol class and the interval of its merged dimension. */
struct L4Cell {
  std::string name;      ///< tcp, udp, icmp, other
  Interval dim;          ///< dst ports, ICMP types, or protocol numbers for "other"
  Interval code{0, 0};   ///< ICMP codes
  model::Packet packet;  ///< protocol and ports of the representative
};

std::vector<L4Cell> l4_cells(const L4Cuts& cuts) {
  std::vector<L4Cell> out;
  for (const auto& [plo, phi] : intervals(cuts.protocols, 0, 255)) {
    model::Packet p;
    p.protocol = static_cast<std::uint8_t>(plo);
    if (plo == phi && (plo == model::kTcp || plo == model::kUdp)) {
      for (const auto& d : intervals(cuts.ports, 0, 65535)) {
        p.dst_port = static_cast<std::uint16_t>(d.first);
        p.src_port = 49152;  // no filter matches source ports (model/network.h, L4Match)
        out.push_back({plo == model::kTcp ? "tcp" : "udp", d, {0, 0}, p});
      }
    } else if (plo == phi && plo == model::kIcmp) {
      for (const auto& t : intervals(cuts.icmp_types, 0, 255)) {
        for (const auto& c : intervals(cuts.icmp_codes, 0, 255)) {
          p.dst_port = static_cast<std::uint16_t>(t.first);
          p.src_port = static_cast<std::uint16_t>(c.first);
          out.push_back({"icmp", t, c, p});
        }
      }
    } else {
      p.src_port = p.dst_port = 0;
      out.push_back({"other", {plo, phi}, {0, 0}, p});
    }
  }
  return out;
}

/** One side of the question as the two networks see it. */
struct Member {
  model::Id id;  ///< ENI ID, "internet", or the CIDR text
  bool internet = false;
  bool cidr = false;                ///< a destination CIDR: delivered to any ENI or out to the internet
  std::vector<Interval> addresses;  ///< source: sent from; destination: addressed to
};

std::optional<model::Endpoint> resolve_in(const model::Network& n, const std::string& text) {
  try {
    return model::resolve_endpoint(n, text);
  } catch (const InputError&) {
    return std::nullopt;
  }
}

std::vector<Interval> eni_addresses(const model::Network& a, const model::Network& b, const model::Id& id,
                                    bool with_public, const std::optional<Ipv4Prefix>& within) {
  std::set<Ipv4Address> ips;
  for (const auto* n : {&a, &b}) {
    const auto* e = model::Network::find(n->network_interfaces, id);
    if (!e) continue;
    for (const auto& ip : e->private_ips) {
      if (!within || within->contains(ip.address)) ips.insert(ip.address);
      if (with_public && ip.public_ip) ips.insert(*ip.public_ip);
    }
  }
  std::vector<Interval> out;
  for (auto ip : ips) out.emplace_back(ip, ip);
  return out;
}

std::vector<Member> members(const model::Network& a, const model::Network& b, const std::string& text,
                            const Cuts& cuts, bool as_source) {
  const auto ea = resolve_in(a, text);
  const auto eb = resolve_in(b, text);
  if (!ea && !eb) {
    throw InputError("", text, "endpoint is in neither snapshot");
  }
  const auto& e = ea ? *ea : *eb;
  std::vector<Member> out;
  if (e.internet) {
    out.push_back({"internet", true, false, intervals(cuts, 0, 0xFFFFFFFFu)});
    return out;
  }
  if (e.cidr) {
    const auto all = intervals(cuts, e.cidr->first(), e.cidr->last());
    if (!as_source) {
      out.push_back({e.cidr->to_string(), false, true, all});
      return out;
    }
    std::set<model::Id> enis;
    for (const auto* n : {&a, &b}) {
      for (const auto* x : model::interfaces_with_address_in(*n, *e.cidr)) enis.insert(x->id);
    }
    for (const auto& id : enis) out.push_back({id, false, false, eni_addresses(a, b, id, false, e.cidr)});
    out.push_back({"internet", true, false, all});
    return out;
  }
  std::set<model::Id> enis;
  if (ea) enis.insert(ea->interfaces.begin(), ea->interfaces.end());
  if (eb) enis.insert(eb->interfaces.begin(), eb->interfaces.end());
  for (const auto& id : enis)
    out.push_back({id, false, false, eni_addresses(a, b, id, !as_source, std::nullopt)});
  return out;
}

/** The walk of packet from src in n, or a walk dropped where n lacks what the question needs. */
model::Walk walk_in(const model::Network& n, const Member& src, const model::Packet& packet) {
  auto absent = [&](const std::string& at, const std::string& code, const std::string& detail) {
    model::Walk w;
    w.initial = w.final_packet = packet;
    w.drop = model::Drop{at, "start", code, detail};
    return w;
  };
  if (src.internet) {
    if (!n.is_internet_address(packet.src_ip)) {
      return absent("internet", model::to_string(model::DropCode::SourceNotInternetAddress),
                    format_ipv4(packet.src_ip) + " is not an internet address in this snapshot");
    }
    return trace::walk(n, trace::Start::internet(), packet);
  }
  if (!model::Network::find(n.network_interfaces, src.id)) {
    return absent(src.id, model::to_string(model::DropCode::ResourceNotInSnapshot),
                  src.id + " is not in this snapshot");
  }
  return trace::walk(n, trace::Start::interface(src.id), packet);
}

bool delivered_to(const model::Network& n, const model::Walk& w, const Member& dst) {
  if (dst.internet)
    return w.disposition == model::Disposition::ExitsInternet && n.is_internet_address(w.final_packet.dst_ip);
  if (dst.cidr) {
    return w.disposition == model::Disposition::Delivered ||
           w.disposition == model::Disposition::ExitsInternet ||
           w.disposition == model::Disposition::AwsService ||
           w.disposition == model::Disposition::GatewayEndpoint;  // as reach counts an address destination
  }
  return w.disposition == model::Disposition::Delivered && w.endpoint == dst.id;
}

/** Cells of one (source member, destination member, destination interval, L4 class) that one
 *  network delivers and the other does not, by source interval. */
struct Group {
  std::vector<std::pair<Interval, std::vector<Interval>>> by_src;  ///< src interval -> dims
  model::Walk walk;
  model::Walk other;
  bool has_witness = false;
};

std::vector<PortRange> as_ranges(const std::vector<Interval>& dims) {
  std::vector<PortRange> out;
  for (const auto& [lo, hi] : dims) {
    if (!out.empty() && static_cast<std::uint64_t>(out.back().hi) + 1 == lo) {
      out.back().hi = static_cast<std::uint16_t>(hi);
    } else {
      out.push_back({static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi)});
    }
  }
  return out;
}

}  // namespace

void diff_flows(const model::Network& old_network, const model::Network& new_network, const std::string& from,
                const std::string& to, DiffResult& result) {
  Cuts cuts;
  address_cuts(old_network, cuts);
  address_cuts(new_network, cuts);
  L4Cuts l4;
  l4_cuts(old_network, l4);
  l4_cuts(new_network, l4);
  const auto cells = l4_cells(l4);
  const auto sources = members(old_network, new_network, from, cuts, true);
  const auto targets = members(old_network, new_network, to, cuts, false);

  // (added?, src member, dst member, dst interval, cell's class and code) -> cells by source interval
  using Key = std::tuple<bool, std::size_t, std::size_t, Interval, std::string, Interval>;
  std::map<Key, Group> groups;
  for (std::size_t si = 0; si < sources.size(); ++si) {
    const auto& src = sources[si];
    for (std::size_t ti = 0; ti < targets.size(); ++ti) {
      const auto& dst = targets[ti];
      if (!src.internet && src.id == dst.id) continue;  // an ENI to itself never leaves it
      for (const auto& s : src.addresses) {
        for (const auto& d : dst.addresses) {
          for (const auto& cell : cells) {
            model::Packet p = cell.packet;
            p.src_ip = static_cast<Ipv4Address>(s.first);
            p.dst_ip = static_cast<Ipv4Address>(d.first);
            ++result.flow_classes;
            auto wo = walk_in(old_network, src, p);
            auto wn = walk_in(new_network, src, p);
            const bool in_old = delivered_to(old_network, wo, dst);
            const bool in_new = delivered_to(new_network, wn, dst);
            if (in_old == in_new) continue;
            auto& g = groups[Key{in_new, si, ti, d, cell.name, cell.code}];
            if (g.by_src.empty() || g.by_src.back().first != s) g.by_src.push_back({s, {}});
            g.by_src.back().second.push_back(cell.dim);
            if (!g.has_witness) {
              g.walk = in_new ? std::move(wn) : std::move(wo);
              g.other = in_new ? std::move(wo) : std::move(wn);
              g.has_witness = true;
            }
          }
        }
      }
    }
  }
  for (auto& [key, g] : groups) {
    const auto& [added, si, ti, d, name, code] = key;
    // Source intervals with the same destination ports are one class; each distinct port set its own.
    std::map<std::vector<PortRange>, std::vector<Interval>> by_ports;
    std::vector<std::vector<PortRange>> order;
    for (const auto& [s, dims] : g.by_src) {
      auto ranges = as_ranges(dims);
      auto [it, fresh] = by_ports.try_emplace(ranges);
      if (fresh) order.push_back(ranges);
      it->second.push_back(s);
    }
    bool first = true;
    for (const auto& ports : order) {
      FlowDelta f;
      f.from_member = sources[si].id;
      f.to_member = targets[ti].id;
      f.protocol = name;
      f.ports = ports;
      if (name == "icmp") {
        f.icmp_codes =
            PortRange{static_cast<std::uint16_t>(code.first), static_cast<std::uint16_t>(code.second)};
      }
      for (const auto& s : by_ports[ports]) {
        if (!f.src.empty() && static_cast<std::uint64_t>(f.src.back().second) + 1 == s.first) {
          f.src.back().second = static_cast<Ipv4Address>(s.second);
        } else {
          f.src.emplace_back(static_cast<Ipv4Address>(s.first), static_cast<Ipv4Address>(s.second));
        }
      }
      f.dst_lo = static_cast<Ipv4Address>(d.first);
      f.dst_hi = static_cast<Ipv4Address>(d.second);
      if (first) {
        f.walk = g.walk;
        f.other = g.other;
        first = false;
      } else {
        // The witness of this port set: its first cell, walked again in both networks.
        model::Packet p = g.walk.initial;
        p.src_ip = f.src.front().first;
        p.dst_port = ports.front().lo;
        if (name == "other") p.protocol = static_cast<std::uint8_t>(ports.front().lo), p.dst_port = 0;
        const auto& here = added ? new_network : old_network;
        const auto& there = added ? old_network : new_network;
        f.walk = walk_in(here, sources[si], p);
        f.other = walk_in(there, sources[si], p);
      }
      (added ? result.added : result.removed).push_back(std::move(f));
    }
  }
}

}  // namespace vpcprove::queries
