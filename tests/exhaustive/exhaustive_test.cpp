// SPDX-License-Identifier: Apache-2.0
// Bounded-exhaustive soundness: on tiny networks, every relevant packet through trace agrees with reach.
//
// The networks draw their addresses and ports from a few values, so the "relevant" packets (all
// combinations of those values, each port and its neighbours ±1, tcp/udp/icmp/ESP) cover every
// rule boundary. For every ordered pair of endpoints (ENI -> ENI, ENI -> internet, internet ->
// ENI) and both semantics: the prover says unreachable => no enumerated packet gets through;
// a packet gets through => the prover says reachable; the prover says reachable => its witness
// replays through trace with the same disposition and hops. Any disagreement prints the network
// and the packet.
//
// Dual-stack tiny networks (tiny_network.h) add IPv6 blocks, addresses, rules, NACL entries,
// routes and egress-only gateways; their IPv6 packets go between each ENI's IPv6 addresses and
// internet hosts in and outside 2000::/3, with the same ports plus ICMPv6. Each pair is then asked
// of IPv4 alone, of IPv6 alone (each checked as above against its family's packets) and of both.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <iostream>
#include <random>
#include <set>
#include <sstream>

#include "model/describe.h"
#include "model/endpoint.h"
#include "queries/reach.h"
#include "tests/exhaustive/dump.h"
#include "tests/exhaustive/tiny_network.h"
#include "tests/support/network_builder.h"
#include "trace/l4_match.h"
#include "trace/trace.h"

namespace vpcprove {
namespace {

using exhaustive::dump;
using exhaustive::Tiny;
using exhaustive::tiny_network;
using exhaustive::walk_text;
using queries::Semantics;
using queries::Verdict;

const std::vector<std::uint16_t> kTcpPorts{0, 21, 22, 23, 79, 80, 81, 442, 443, 444, 1023, 1024, 1025, 65535};
const std::vector<std::uint16_t> kUdpPorts{0, 52, 53, 54, 1023, 1024, 1025, 65535};
const std::vector<std::uint16_t> kSrcPorts{22, 1023, 1024, 49152};
// Internet addresses: inside and outside the rules' 8.8.8.0/24 and 54.0.0.0/24, and elsewhere.
const std::vector<std::string> kInternet{"8.8.8.8", "8.8.9.1", "54.0.0.200", "203.0.113.9"};

// ---------------------------------------------------------------------------------------------
// Enumeration.

/** Every relevant header with p's addresses: each port of the pools, the ICMP types (ICMPv6 too for
 *  an IPv6 packet: ICMP is protocol 1 in either family, and rules of one never match the other). */
void add_headers(model::Packet p, std::vector<model::Packet>& out) {
  for (const auto sp : kSrcPorts) {
    p.protocol = model::kTcp;
    p.src_port = sp;
    for (const auto dp : kTcpPorts) {
      p.dst_port = dp;
      out.push_back(p);
    }
    p.protocol = model::kUdp;
    for (const auto dp : kUdpPorts) {
      p.dst_port = dp;
      out.push_back(p);
    }
  }
  p.protocol = model::kIcmp;
  for (const std::uint16_t type : {0, 3, 8, 9, 13, 14, 17}) {
    for (const std::uint16_t code : {0, 1}) {
      p.dst_port = type;
      p.src_port = code;
      out.push_back(p);
    }
  }
  if (p.is_ipv6()) {
    // Destination unreachable, time exceeded, echo request and reply, neighbour solicitation
    // (RFC 4443, RFC 4861).
    p.protocol = model::kIcmpv6;
    for (const std::uint16_t type : {1, 3, 128, 129, 135}) {
      for (const std::uint16_t code : {0, 1}) {
        p.dst_port = type;
        p.src_port = code;
        out.push_back(p);
      }
    }
  }
  p.protocol = 50;
  p.src_port = p.dst_port = 0;
  out.push_back(p);
}

/** The addresses a pair's packets go between, per family. */
struct Addresses {
  std::vector<Ipv4Address> srcs, dsts;
  std::vector<Ipv6Address> srcs6, dsts6;
};

/** Every relevant packet of family (4, 6; nullopt: both) between the addresses. */
std::vector<model::Packet> packets(const Addresses& a, std::optional<int> family) {
  std::vector<model::Packet> out;
  if (family != 6) {
    for (const auto s : a.srcs) {
      for (const auto d : a.dsts) {
        model::Packet p;
        p.src_ip = s;
        p.dst_ip = d;
        add_headers(p, out);
      }
    }
  }
  if (family != 4) {
    for (const auto& s : a.srcs6) {
      for (const auto& d : a.dsts6) {
        model::Packet p;
        p.ip_version = 6;
        p.src_ip6 = s;
        p.dst_ip6 = d;
        add_headers(p, out);
      }
    }
  }
  return out;
}

Ipv6Address ip6(const std::string& text) { return *parse_ipv6(text); }

/** An ENI's IPv6 addresses, and one of each delegated prefix (the model treats all of one alike). */
std::vector<Ipv6Address> own6(const model::NetworkInterface& e) {
  std::vector<Ipv6Address> out = e.ipv6_addresses;
  for (const auto& d : e.ipv6_delegated_prefixes) out.push_back({d.addr.hi, d.addr.lo | 5U});
  return out;
}

struct Counts {
  int networks = 0;
  long pairs = 0;
  long packets = 0;
  long reachable = 0;
  long witnessed_by_enumeration = 0;  // reachable pairs where some enumerated packet got through
  long disagreements = 0;
  long missing_targets_met = 0;  // packets that left by a route target the network lacks
  long missing_rules_met = 0;    // packets stopped where a rule naming a missing group or list might match
  long tgw_entries = 0;          // packets a transit gateway sent into a VPC
  // Dual-stack networks:
  long packets6 = 0;          // IPv6 packets through trace
  long through6 = 0;          // of which got through
  long reachable6 = 0;        // IPv6-only questions the prover answered reachable
  long eigw_exits = 0;        // IPv6 packets that left by an egress-only gateway
  long eigw_refusals = 0;     // IPv6 packets an egress-only gateway refused from the internet
  long igw_exits6 = 0;        // IPv6 packets that left by an internet gateway
  long igw_entries6 = 0;      // IPv6 packets that entered by an internet gateway
  long peering6 = 0;          // IPv6 packets that crossed a peering
  long tgw_entries6 = 0;      // IPv6 packets a transit gateway sent into a VPC
  double prover_seconds = 0;  // of the run, in the prover's answers
};

/** The rules of eni's groups in direction d that name a group or prefix list the network lacks
 *  and whose protocol and ports match p: AWS may match p by them where the model matches nothing. */
std::vector<const model::SgRule*> missing_peer_rules(const model::Network& net, const model::Id& eni,
                                                     model::Direction d, const model::Packet& p) {
  std::vector<const model::SgRule*> out;
  const auto* e = model::Network::find(net.network_interfaces, eni);
  if (!e) return out;
  for (const auto& gid : e->security_group_ids) {
    const auto& g = net.security_groups.at(gid);
    for (const auto& rule : d == model::Direction::Ingress ? g.ingress : g.egress) {
      const bool missing = (rule.peer.rfind("sg-", 0) == 0 && !net.security_groups.count(rule.peer)) ||
                           (rule.peer.rfind("pl-", 0) == 0 && !net.prefix_lists.count(rule.peer));
      if (missing && trace::matches(rule.l4, p)) out.push_back(&rule);
    }
  }
  return out;
}

trace::Start start_of(const std::string& from) {
  return from == "internet" ? trace::Start::internet() : trace::Start::interface(from);
}

/** The addresses of from -> to's packets: an ENI's own (private and public IPv4, IPv6), internet
 *  hosts inside and outside the rules' prefixes, and addresses that are not the internet. */
Addresses addresses(const model::Network& net, const std::string& from, const std::string& to) {
  Addresses a;
  if (from == "internet") {
    for (const auto& x : kInternet) a.srcs.push_back(testing::ip(x));
    a.srcs.push_back(testing::ip("127.0.0.1"));  // a bogon: nothing from the internet comes from it
    // In and outside the rules' 2001:db8::/32, and outside 2000::/3 (never from the internet).
    for (const auto* x : {"2001:db8::9", "2a00:1450::4", "fd00::1"}) a.srcs6.push_back(ip6(x));
  } else {
    const auto& e = net.network_interfaces.at(from);
    for (const auto& ip : e.private_ips) a.srcs.push_back(ip.address);
    a.srcs6 = own6(e);
  }
  if (to == "internet") {
    for (const auto& x : kInternet) a.dsts.push_back(testing::ip(x));
    a.dsts.push_back(testing::ip("100.64.0.1"));   // RFC 6598: never the internet
    a.dsts.push_back(testing::ip("192.168.1.1"));  // RFC 1918 outside every VPC
    a.dsts.push_back(testing::ip("224.0.0.5"));    // multicast, link-local, reserved: not either
    a.dsts.push_back(testing::ip("169.254.169.254"));
    a.dsts.push_back(testing::ip("240.0.0.1"));
    // In and outside 2001:db8::/32; a unique-local address and the NAT64 prefix: outside 2000::/3.
    for (const auto* x : {"2001:db8::1", "2a00:1450::5", "fd00::5", "64:ff9b::808:808"})
      a.dsts6.push_back(ip6(x));
  } else if (const auto x = parse_ipv4(to)) {
    a.dsts.push_back(*x);  // an address: an AWS service's, here
  } else {
    const auto& e = net.network_interfaces.at(to);
    for (const auto& ip : e.private_ips) {
      a.dsts.push_back(ip.address);
      if (ip.public_ip) a.dsts.push_back(*ip.public_ip);
    }
    a.dsts6 = own6(e);
  }
  return a;
}

/** Checks one question, of family (4 or 6; nullopt: both) between from and to, against every
 *  enumerated packet of it; returns the prover's verdict. */
Verdict check_pair(std::uint32_t seed, const Tiny& t, queries::Prover& prover, const std::string& from,
                   const std::string& to, Semantics semantics, std::optional<int> family, Counts& c) {
  const model::Network& net = t.network;
  queries::HeaderSpace header;
  header.ip_version = family;
  const queries::ReachQuery q{
      model::resolve_endpoint(net, from),  model::resolve_endpoint(net, to), header, semantics, 0,
      model::AssumptionPolicy::OpaqueDrops};  // proofs under assumptions, which must list them
  const auto asked = std::chrono::steady_clock::now();
  const queries::ReachResult r = prover.reach(q);
  c.prover_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count();
  ++c.pairs;
  const std::string where = "seed " + std::to_string(seed) + ", " + from + " -> " + to + " (" +
                            queries::to_string(semantics) + " semantics" +
                            (family ? ", IPv" + std::to_string(*family) + " only" : std::string()) + ")";
  if (r.verdict == Verdict::Unknown) {
    ++c.disagreements;
    FAIL(where << ": the prover answered unknown: " << r.unknown_reason << "\n" << dump(net));
    return r.verdict;
  }

  auto gets_through = [&](const model::Packet& p, model::Walk* forward) {
    if (semantics == Semantics::Packet) {
      *forward = trace::walk(net, start_of(from), p);
    } else {
      const auto sw = trace::walk_session(net, start_of(from), p);
      *forward = sw.forward;
      if (!sw.established) return false;
    }
    if (to == "internet") {
      return forward->disposition == model::Disposition::ExitsInternet &&
             (p.is_ipv6() ? is_internet6(p.dst_ip6) : net.is_internet_address(p.dst_ip));
    }
    if (parse_ipv4(to)) {  // reach's address destination: delivered, out, or answered there
      return forward->disposition == model::Disposition::Delivered ||
             forward->disposition == model::Disposition::ExitsInternet ||
             forward->disposition == model::Disposition::AwsService;
    }
    return forward->disposition == model::Disposition::Delivered && forward->endpoint == to;
  };

  bool some_through = false;
  for (const auto& p : packets(addresses(net, from, to), family)) {
    ++c.packets;
    c.packets6 += p.is_ipv6();
    model::Walk w;
    const bool through = gets_through(p, &w);
    if (std::any_of(w.hops.begin(), w.hops.end(), [&](const model::Hop& h) {
          return h.step == "tgw" && net.transit_gateway_attachments.count(h.at);
        }))
      ++c.tgw_entries;
    if (p.is_ipv6()) {
      c.through6 += through;
      for (const auto& h : w.hops) {
        const bool eigw = h.at.rfind("eigw-", 0) == 0;
        if (h.step == "igw-egress") ++(eigw ? c.eigw_exits : c.igw_exits6);
        if (h.step == "igw-ingress" && !eigw) ++c.igw_entries6;
        if (h.step == "pcx") ++c.peering6;
        if (h.step == "tgw" && net.transit_gateway_attachments.count(h.at)) ++c.tgw_entries6;
      }
      if (w.drop && w.drop->code == "EIGW_INBOUND_NOT_ALLOWED") ++c.eigw_refusals;
    }
    if (!through) {
      // A packet handed to a gateway vpcprove does not follow: a proof must name the gateway as
      // an assumption (docs/semantics.md), never silently count the packet as stopped.
      // A route's target the network lacks is named as such (kind missing-route-target).
      const auto* opaque = model::Network::find(net.opaque_gateways, w.endpoint);
      const bool missing_target = opaque && opaque->missing;
      if (missing_target && w.disposition == model::Disposition::ExitsUnmodelled) ++c.missing_targets_met;
      if (w.disposition == model::Disposition::ExitsUnmodelled && r.verdict == Verdict::Unreachable &&
          std::none_of(r.assumptions.begin(), r.assumptions.end(), [&](const model::Assumption& a) {
            return a.id == w.endpoint &&
                   (!missing_target || a.kind == model::assumption_kind::kMissingRouteTarget);
          })) {
        ++c.disagreements;
        FAIL(where << ": the proof does not list " << w.endpoint << " as an assumption, but "
                   << model::describe(p) << " leaves by it:\n  trace: " << walk_text(w) << "\nnetwork:\n"
                   << dump(net));
        return r.verdict;
      }
      // A packet the source's egress or the destination's ingress groups stop, which a rule naming
      // a group or prefix list the network lacks might admit: the proof must name the rule.
      if (w.drop && w.drop->code == "ENI_SG_RULES_MISMATCH" && r.verdict == Verdict::Unreachable) {
        const bool egress = w.drop->step == "sg-egress";
        const std::string& eni = egress ? from : to;
        if (w.drop->detail.find("(" + eni + ")") != std::string::npos) {
          const model::Packet& header = w.hops.empty() ? p : w.hops.back().packet;
          for (const auto* rule : missing_peer_rules(
                   net, eni, egress ? model::Direction::Egress : model::Direction::Ingress, header)) {
            ++c.missing_rules_met;
            const char* kind = rule->peer.rfind("sg-", 0) == 0 ? model::assumption_kind::kMissingSecurityGroup
                                                               : model::assumption_kind::kMissingPrefixList;
            if (std::none_of(r.assumptions.begin(), r.assumptions.end(), [&](const model::Assumption& a) {
                  return a.id == rule->label() && a.kind == kind;
                })) {
              ++c.disagreements;
              FAIL(where << ": the proof does not list " << rule->label() << " (naming " << rule->peer
                         << ", which the network lacks), but " << model::describe(p)
                         << " is stopped where it might match:\n  trace: " << walk_text(w) << "\nnetwork:\n"
                         << dump(net));
              return r.verdict;
            }
          }
        }
      }
      // A packet an appliance forwards: the proof rests on how it forwards (unchanged, or with
      // its source rewritten as a NAT instance does), so it must name the appliance.
      for (const auto& hop : w.hops) {
        if (hop.step != "eni-forward" || r.verdict != Verdict::Unreachable) continue;
        if (std::none_of(r.assumptions.begin(), r.assumptions.end(), [&](const model::Assumption& a) {
              return a.id == hop.at && a.kind == model::assumption_kind::kAppliance;
            })) {
          ++c.disagreements;
          FAIL(where << ": the proof does not list the appliance " << hop.at << ", but " << model::describe(p)
                     << " is forwarded by it:\n  trace: " << walk_text(w) << "\nnetwork:\n"
                     << dump(net));
          return r.verdict;
        }
      }
      continue;
    }
    some_through = true;
    if (r.verdict == Verdict::Unreachable) {
      ++c.disagreements;
      std::string reasons;
      for (const auto& x : r.reasons)
        reasons += "\n    " + x.at + " " + x.step + " " + x.code + " " + x.detail;
      FAIL(where << ": the prover says unreachable, but " << model::describe(p)
                 << " gets through:\n  trace: " << walk_text(w) << "\n  reasons:" << reasons << "\nnetwork:\n"
                 << dump(net));
      return r.verdict;
    }
  }
  if (r.verdict != Verdict::Reachable) return r.verdict;
  ++c.reachable;
  if (family == 6) ++c.reachable6;
  if (some_through) ++c.witnessed_by_enumeration;

  // A witness through an appliance names it.
  for (const auto& hop : r.path) {
    if (hop.step == "eni-forward" &&
        std::none_of(r.assumptions.begin(), r.assumptions.end(), [&](const model::Assumption& a) {
          return a.id == hop.at && a.kind == model::assumption_kind::kAppliance;
        })) {
      ++c.disagreements;
      FAIL(where << ": the witness passes the appliance " << hop.at << " but does not list it\nnetwork:\n"
                 << dump(net));
      return r.verdict;
    }
  }

  // The witness must replay: same disposition, same hops, and it must get through.
  const model::Walk w = trace::walk(net, start_of(*r.from_member), *r.packet);
  model::Walk ignored;
  const bool through = gets_through(*r.packet, &ignored);
  const bool same = w.disposition == r.disposition && w.hops == r.path;
  const bool of_family = !family || r.packet->ip_version == *family;
  if (!same || !through || !of_family || (from != "internet" && *r.from_member != from)) {
    ++c.disagreements;
    std::string hops;
    for (const auto& h : r.path)
      hops += "\n    " + h.at + " " + h.step + " " + h.by + "  [" + model::describe(h.packet) + "]";
    FAIL(where << ": the witness " << *r.from_member << " " << model::describe(*r.packet) << " ("
               << model::to_string(r.disposition) << ")" << hops << "\ndoes not replay (gets through: "
               << through << ", of the question's family: " << of_family << "):\n  trace: " << walk_text(w)
               << "\nnetwork:\n"
               << dump(net));
  }
  return r.verdict;
}

/**
 * Checks every pair of networks tiny networks from first_seed. A dual-stack network's pairs are
 * asked three times: of each family alone, each against its own enumerated packets, and of both,
 * against all of them, whose answer must be reachable exactly when one family's is.
 */
Counts run(std::uint32_t first_seed, int networks, bool dual_stack = false) {
  Counts c;
  for (std::uint32_t seed = first_seed; seed < first_seed + static_cast<std::uint32_t>(networks); ++seed) {
    const Tiny t = dual_stack ? exhaustive::tiny_dual_stack_network(seed) : tiny_network(seed);
    queries::Prover prover(t.network);
    ++c.networks;
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& a : t.enis) {
      for (const auto& b : t.enis) {
        if (a != b) pairs.emplace_back(a, b);
      }
      pairs.emplace_back(a, "internet");
      pairs.emplace_back("internet", a);
      // The AWS services no filter applies to: metadata, and the VPC's DNS server (base + 2).
      pairs.emplace_back(a, "169.254.169.254");
      const auto& vpc = t.network.vpcs.at(t.network.network_interfaces.at(a).vpc_id);
      pairs.emplace_back(a, format_ipv4(vpc.cidrs.front().addr + 2));
    }
    for (const auto& [from, to] : pairs) {
      for (const auto semantics : {Semantics::Packet, Semantics::Session}) {
        if (!dual_stack) {
          check_pair(seed, t, prover, from, to, semantics, std::nullopt, c);
          continue;
        }
        const Verdict v4 = check_pair(seed, t, prover, from, to, semantics, 4, c);
        const Verdict v6 = check_pair(seed, t, prover, from, to, semantics, 6, c);
        const Verdict both = check_pair(seed, t, prover, from, to, semantics, std::nullopt, c);
        if (c.disagreements == 0 &&
            (both == Verdict::Reachable) != (v4 == Verdict::Reachable || v6 == Verdict::Reachable)) {
          ++c.disagreements;
          FAIL("seed " << seed << ", " << from << " -> " << to << " (" << queries::to_string(semantics)
                       << " semantics): of both families " << queries::to_string(both) << ", of IPv4 "
                       << queries::to_string(v4) << ", of IPv6 " << queries::to_string(v6) << "\nnetwork:\n"
                       << dump(t.network));
        }
      }
      if (c.disagreements > 0) return c;
    }
  }
  return c;
}

// Optimised builds check 150 networks (about 27 s of CPU) and 30 dual-stack ones (about 50 s: each
// pair asked three times, the IPv6 questions slower); Debug and sanitizer builds, 10x slower, a fifth.
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
constexpr int kNetworks = 150;
constexpr int kDualStackNetworks = 30;
#else
constexpr int kNetworks = 30;
constexpr int kDualStackNetworks = 6;
#endif

}  // namespace

TEST_CASE("on tiny networks no enumerated packet contradicts the prover and every witness replays",
          "[exhaustive]") {
  const auto begin = std::chrono::steady_clock::now();
  const Counts c = run(1, kNetworks);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::cout << "exhaustive: " << c.networks << " networks, " << c.pairs << " (pair, semantics) questions, "
            << c.packets << " packets through trace, " << c.reachable << " reachable ("
            << c.witnessed_by_enumeration << " also found by enumeration), " << c.disagreements
            << " disagreements, " << c.missing_targets_met << " packets left by a missing route target, "
            << c.missing_rules_met << " stopped where a rule naming a missing group or list might match, "
            << c.tgw_entries << " sent into a VPC by a transit gateway, " << seconds << " s (the prover "
            << c.prover_seconds << " s)\n";
  CHECK(c.disagreements == 0);
  CHECK(c.networks == kNetworks);
  // The generator must produce both answers often, or the test proves little.
  CHECK(c.reachable > c.pairs / 10);
  CHECK(c.reachable < c.pairs - c.pairs / 10);
  // And missing references, whose assumptions the proofs must list.
  CHECK(c.missing_targets_met > 0);
  CHECK(c.missing_rules_met > 0);
  // And transit gateways, whose routing both sides follow.
  CHECK(c.tgw_entries > 4000);  // 8,034 at 150 networks
}

namespace {

void check_dual_stack(std::uint32_t first_seed, int networks) {
  const auto begin = std::chrono::steady_clock::now();
  const Counts c = run(first_seed, networks, /*dual_stack=*/true);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::cout << "exhaustive (dual-stack): " << c.networks << " networks, " << c.pairs
            << " (pair, semantics, family) questions, " << c.packets << " packets through trace ("
            << c.packets6 << " IPv6, " << c.through6 << " of them through), " << c.reachable << " reachable ("
            << c.reachable6 << " IPv6-only questions; " << c.witnessed_by_enumeration
            << " also found by enumeration), " << c.disagreements
            << " disagreements; IPv6 packets: " << c.eigw_exits << " left by an egress-only gateway, "
            << c.eigw_refusals << " refused by one, " << c.igw_exits6 << " left and " << c.igw_entries6
            << " entered by an internet gateway, " << c.peering6 << " crossed a peering, " << c.tgw_entries6
            << " were sent into a VPC by a transit gateway; " << c.missing_targets_met
            << " packets left by a missing route target, " << c.missing_rules_met
            << " stopped where a rule naming a missing group or list might match, " << c.tgw_entries
            << " sent into a VPC by a transit gateway, " << seconds << " s (the prover " << c.prover_seconds
            << " s)\n";
  CHECK(c.disagreements == 0);
  CHECK(c.networks == networks);
  CHECK(c.reachable > c.pairs / 10);
  CHECK(c.reachable < c.pairs - c.pairs / 10);
  // IPv6 answers of both kinds, and packets through each IPv6 gateway both ways.
  CHECK(c.reachable6 > 0);
  CHECK(c.through6 > 0);
  CHECK(c.through6 < c.packets6);
  CHECK(c.eigw_exits > 0);
  CHECK(c.eigw_refusals > 0);
  CHECK(c.igw_exits6 > 0);
  CHECK(c.igw_entries6 > 0);
  CHECK(c.peering6 > 0);
  CHECK(c.tgw_entries6 > 0);
}

}  // namespace

TEST_CASE("on tiny dual-stack networks no enumerated packet of either family contradicts the prover",
          "[exhaustive][ipv6]") {
  check_dual_stack(1, kDualStackNetworks);
}

// By hand, for a longer search: unit_exhaustive "[.slow]" (about 8 minutes of CPU).
TEST_CASE("on 300 more tiny dual-stack networks no enumerated packet contradicts the prover",
          "[.slow][ipv6]") {
  check_dual_stack(1001, 300);
}

// The slow run's seed 1217: an IPv4 proof for eni-2 -> internet did not name the appliance
// eni-2, whose route table the packet reaches only past another table that routes to an ENI
// (after the transit gateway brings it back); the prover's search for appliances stopped at the
// first such table (queries/prover_unreached.cpp now asks for each table on its own).
TEST_CASE("a proof names an appliance whose route table is reached only past another one",
          "[exhaustive][ipv6]") {
  const Counts c = run(1217, 1, /*dual_stack=*/true);
  CHECK(c.networks == 1);
  CHECK(c.disagreements == 0);
}

TEST_CASE("the tiny-network generator is deterministic and obeys its bounds", "[exhaustive]") {
  for (std::uint32_t seed = 1; seed <= 50; ++seed) {
    const Tiny a = tiny_network(seed), b = tiny_network(seed);
    CHECK(dump(a.network) == dump(b.network));
    CHECK(a.network.vpcs.size() <= 2);
    CHECK(a.network.subnets.size() <= 3);
    CHECK(a.enis.size() >= 2);
    CHECK(a.enis.size() <= 4);
  }
}

TEST_CASE("the tiny dual-stack networks are the IPv4 ones with IPv6 added, deterministically",
          "[exhaustive]") {
  int with_ipv6 = 0, ipv6_only_enis = 0;
  for (std::uint32_t seed = 1; seed <= 50; ++seed) {
    const Tiny v4 = tiny_network(seed), a = exhaustive::tiny_dual_stack_network(seed),
               b = exhaustive::tiny_dual_stack_network(seed);
    CHECK(dump(a.network) == dump(b.network));
    with_ipv6 += a.network.has_ipv6();
    // The IPv4 draws come first and are the same: the same ENIs with the same addresses, the
    // same IPv4 routes.
    REQUIRE(a.enis.size() >= v4.enis.size());
    CHECK(std::equal(v4.enis.begin(), v4.enis.end(), a.enis.begin()));
    for (const auto& id : a.enis) {
      const auto& e = a.network.network_interfaces.at(id);
      if (const auto* x = model::Network::find(v4.network.network_interfaces, id)) {
        auto addresses = [](const model::NetworkInterface& i) {
          std::vector<std::pair<Ipv4Address, std::optional<Ipv4Address>>> out;
          for (const auto& ip : i.private_ips) out.emplace_back(ip.address, ip.public_ip);
          return out;
        };
        CHECK(addresses(e) == addresses(*x));
      } else {
        CHECK(e.private_ips.empty());  // an ENI of an IPv6-only subnet
        CHECK(e.has_ipv6());
        ++ipv6_only_enis;
      }
    }
    auto routes = [](const model::RouteTable& rt) {
      std::vector<std::string> out;
      for (const auto& r : rt.routes) out.push_back(model::describe(r));
      return out;
    };
    for (const auto& [id, rt] : v4.network.route_tables)
      CHECK(routes(a.network.route_tables.at(id)) == routes(rt));
    CHECK(a.enis.size() <= 6);
  }
  CHECK(with_ipv6 >= 40);
  CHECK(ipv6_only_enis > 0);
}

}  // namespace vpcprove
