// SPDX-License-Identifier: Apache-2.0
// check_geometry_agrees: geometry vs solver (ranges), geometry vs trace (every boundary).
#include "tests/unit/exposure/geometry_agreement.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "model/describe.h"
#include "queries/exposure.h"
#include "queries/reach.h"
#include "trace/trace.h"

namespace vpcprove::testing {

namespace {

using queries::EniExposure;
using queries::Exposed;
using queries::ExposureOptions;

std::string ranges(const std::vector<PortRange>& v) {
  std::string s;
  for (const auto& r : v) s += (s.empty() ? "" : ",") + std::to_string(r.lo) + "-" + std::to_string(r.hi);
  return s;
}

std::string text(const std::vector<Exposed>& exposed) {
  std::string s;
  for (const auto& e : exposed)
    s += "v" + std::to_string(e.ip_version) + " " + e.protocol + " [" + ranges(e.ports) + "] [" +
         ranges(e.protocols) + "] ";
  return s;
}

bool in(const std::vector<PortRange>& v, std::uint32_t x) {
  return std::any_of(v.begin(), v.end(), [&](const PortRange& r) { return r.contains(x); });
}

/** Does the exposure list (protocol, value) for IPv4? value: port, ICMP type or protocol number. */
bool claims(const EniExposure& e, int protocol, std::uint32_t value) {
  for (const auto& x : e.exposed) {
    if (x.ip_version == 6) continue;  // the probes are IPv4 packets to the public IPs
    if (x.protocol == "all") return true;
    if (x.protocol == "tcp" && protocol == model::kTcp && in(x.ports, value)) return true;
    if (x.protocol == "udp" && protocol == model::kUdp && in(x.ports, value)) return true;
    if (x.protocol == "icmp" && protocol == model::kIcmp && in(x.ports, value)) return true;
    if (x.protocol == "other" && protocol < 0 && in(x.protocols, value)) return true;
  }
  return false;
}

struct Rules {
  std::vector<const model::L4Match*> l4;
  std::vector<Ipv4Prefix> prefixes;
};

/** The ingress rules that can filter a packet from the internet to eni on the plain way in. */
Rules rules_of(const model::Network& n, const model::NetworkInterface& eni) {
  Rules out;
  for (const auto& gid : eni.security_group_ids) {
    const auto* g = model::Network::find(n.security_groups, gid);
    if (!g) continue;
    for (const auto& r : g->ingress) {
      out.l4.push_back(&r.l4);
      out.prefixes.insert(out.prefixes.end(), r.peer_prefixes.begin(), r.peer_prefixes.end());
    }
  }
  const auto* s = model::Network::find(n.subnets, eni.subnet_id);
  const auto* acl = s ? model::Network::find(n.network_acls, s->nacl_id) : nullptr;
  if (acl) {
    for (const auto& x : acl->ingress) {
      out.l4.push_back(&x.l4);
      out.prefixes.push_back(x.cidr);
    }
  }
  return out;
}

/** Sources at the edges of every prefix and non-internet block: inside (first, last) and just outside. */
std::vector<Ipv4Address> edge_sources(const Rules& rules) {
  std::set<Ipv4Address> out{0, 0xFFFFFFFFu};
  auto add = [&](const Ipv4Prefix& p) {
    out.insert(p.first());
    out.insert(p.last());
    if (p.first() > 0) out.insert(p.first() - 1);
    if (p.last() < 0xFFFFFFFFu) out.insert(p.last() + 1);
  };
  for (const auto& p : rules.prefixes) add(p);
  for (const auto& p : non_internet_blocks()) add(p);
  std::vector<Ipv4Address> v;
  for (auto a : out) {
    if (is_internet(a)) v.push_back(a);
  }
  return v;
}

/** Values of one protocol's dimension where an answer could change (protocol -1: other protocols). */
std::set<std::uint32_t> values(const Rules& rules, const EniExposure& e, int protocol) {
  const std::uint32_t top = protocol == model::kTcp || protocol == model::kUdp ? 0xFFFF : 0xFF;
  std::set<std::uint32_t> out{0, top};
  auto add = [&](std::uint32_t lo, std::uint32_t hi) {
    for (auto v : {lo, hi}) out.insert(v);
    if (lo > 0) out.insert(lo - 1);
    if (hi < top) out.insert(hi + 1);
  };
  for (const auto* m : rules.l4) {
    if (m->matches_nothing || m->protocol == model::kAnyProtocol) continue;
    if (protocol < 0 && m->protocol >= 0 && m->protocol <= 255) add(m->protocol, m->protocol);
    if (m->protocol != protocol) continue;
    if (protocol == model::kIcmp && m->icmp_type >= 0) add(m->icmp_type, m->icmp_type);
    if (protocol != model::kIcmp) add(m->ports.lo, m->ports.hi);
  }
  const char* name = protocol == model::kTcp    ? "tcp"
                     : protocol == model::kUdp  ? "udp"
                     : protocol == model::kIcmp ? "icmp"
                                                : "other";
  for (const auto& x : e.exposed) {
    if (x.protocol != name) continue;  // "all" opens everything: no boundary inside
    for (const auto& r : protocol < 0 ? x.protocols : x.ports) add(r.lo, std::min<std::uint32_t>(r.hi, top));
  }
  if (protocol < 0) {
    for (auto v : {model::kTcp, model::kUdp, model::kIcmp}) out.erase(static_cast<std::uint32_t>(v));
  }
  return out;
}

/** The ICMP codes worth trying: every code a rule names and one none names. */
std::vector<std::uint16_t> codes(const Rules& rules) {
  std::set<std::uint16_t> out;
  for (const auto* m : rules.l4) {
    if (m->protocol == model::kIcmp && m->icmp_code >= 0 && m->icmp_code < 256)
      out.insert(static_cast<std::uint16_t>(m->icmp_code));
  }
  std::uint16_t unnamed = 0;
  while (unnamed < 256 && out.count(unnamed)) ++unnamed;
  if (unnamed < 256) out.insert(unnamed);
  return {out.begin(), out.end()};
}

model::Packet probe(int protocol, std::uint32_t value, std::uint16_t code) {
  model::Packet p;
  if (protocol < 0) {
    p.protocol = static_cast<std::uint8_t>(value);
    return p;
  }
  p.protocol = static_cast<std::uint8_t>(protocol);
  p.dst_port = static_cast<std::uint16_t>(value);
  if (protocol == model::kIcmp) {
    p.src_port = code;
  } else {
    p.src_port = 40000;
  }
  return p;
}

}  // namespace

GeometryAgreement check_geometry_agrees(const model::Network& n, std::size_t max_enis) {
  GeometryAgreement out;
  ExposureOptions with, without;
  with.assume = without.assume = model::AssumptionPolicy::OpaqueDrops;
  without.geometry = false;
  const auto a = queries::exposure(n, with);
  const auto b = queries::exposure(n, without);
  out.classes = a.classes;
  out.geometry_classes = a.geometry_classes;
  auto disagree = [&](const std::string& s) { out.disagreements.push_back(s); };
  if (!a.complete || !b.complete) disagree("incomplete: " + a.unknown_reason + " / " + b.unknown_reason);
  if (a.enis.size() != b.enis.size())
    disagree("ENIs listed: " + std::to_string(a.enis.size()) + " vs " + std::to_string(b.enis.size()) +
             " (solver)");
  for (std::size_t i = 0; i < std::min(a.enis.size(), b.enis.size()); ++i) {
    ++out.enis_compared;
    const auto ta = text(a.enis[i].exposed), tb = text(b.enis[i].exposed);
    if (a.enis[i].eni != b.enis[i].eni || ta != tb)
      disagree(a.enis[i].eni + ": " + ta + "vs solver " + b.enis[i].eni + ": " + tb);
  }

  queries::Prover prover(n);
  std::size_t checked = 0;
  for (const auto& e : a.enis) {
    if (checked >= max_enis) break;
    const auto& eni = n.network_interfaces.at(e.eni);
    if (!eni.in_sets() || e.public_ips.empty()) continue;
    ++checked;
    const auto rules = rules_of(n, eni);
    const auto sources = edge_sources(rules);
    const auto icmp_codes = codes(rules);
    for (int protocol : {model::kTcp, model::kUdp, model::kIcmp, -1}) {
      for (auto v : values(rules, e, protocol)) {
        ++out.probes;
        const bool claimed = claims(e, protocol, v);
        bool delivered = false;
        for (auto code : protocol == model::kIcmp ? icmp_codes : std::vector<std::uint16_t>{0}) {
          auto p = probe(protocol, v, code);
          for (auto pub : e.public_ips) {
            p.dst_ip = pub;
            for (auto src : sources) {
              p.src_ip = src;
              ++out.walks;
              const auto w = trace::walk(n, trace::Start::internet(), p);
              if (w.disposition == model::Disposition::Delivered && w.endpoint == e.eni) {
                delivered = true;
                break;
              }
            }
            if (delivered) break;
          }
          if (delivered) break;
        }
        std::ostringstream where;
        where << e.eni << " protocol " << protocol << " value " << v;
        if (delivered && !claimed) disagree(where.str() + ": trace delivers, exposure leaves it out");
        if (claimed && !delivered) {
          // No edge source got through (not the plain way in): the prover must find one trace delivers.
          queries::HeaderSpace hs;
          hs.protocol = protocol < 0 ? static_cast<int>(v) : protocol;
          if (protocol >= 0)
            hs.dst_ports = PortRange{static_cast<std::uint16_t>(v), static_cast<std::uint16_t>(v)};
          const auto r = prover.reach({{"internet", {}, true, std::nullopt},
                                       {e.eni, {e.eni}, false, std::nullopt},
                                       hs,
                                       queries::Semantics::Packet,
                                       0});
          const bool ok = r.verdict == queries::Verdict::Reachable && r.packet &&
                          trace::walk(n, trace::Start::internet(), *r.packet).endpoint == e.eni;
          if (!ok) disagree(where.str() + ": exposure lists it, no packet gets there");
        }
      }
    }
  }
  return out;
}

}  // namespace vpcprove::testing
