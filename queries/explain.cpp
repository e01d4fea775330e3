// SPDX-License-Identifier: Apache-2.0
// reach --explain: the fewest changes that open a blocked question or close an open one.
#include "queries/explain.h"

#include <z3++.h>

#include <algorithm>
#include <map>
#include <set>

#include "common/escape.h"
#include "encoder/encoder.h"
#include "encoder/header.h"
#include "encoder/path_encoding.h"
#include "graph/paths.h"
#include "model/describe.h"
#include "model/hop_step.h"
#include "queries/question.h"
#include "solver/solver.h"
#include "trace/nacl_match.h"
#include "trace/trace.h"

namespace vpcprove::queries {

using encoder::Header;
using graph::StepKind;
using model::Id;

namespace {

std::string cidr32(Ipv4Address a) { return format_ipv4(a) + "/32"; }

/** AWS CLI's IpProtocol / --protocol text for a protocol number. */
std::string aws_protocol(int p) {
  if (p == model::kTcp) return "tcp";
  if (p == model::kUdp) return "udp";
  if (p == model::kIcmp) return "icmp";
  if (p == model::kIcmpv6) return "icmpv6";
  return std::to_string(p);
}

/** The L4 match that admits exactly this packet's protocol and port (type/code for ICMP). */
model::L4Match exact_l4(const model::Packet& p) {
  model::L4Match m;
  m.protocol = p.protocol;
  if (p.protocol == model::kTcp || p.protocol == model::kUdp) {
    m.ports = {p.dst_port, p.dst_port};
  } else if (p.protocol == model::kIcmp || p.protocol == model::kIcmpv6) {
    m.icmp_type = p.icmp_type();
    m.icmp_code = p.icmp_code();
    m.ports = {0, 0xFFFF};
  }
  return m;
}

/** The peer of an SG rule or NACL entry as the AWS CLI names it: IpRanges or Ipv6Ranges. */
std::string ip_ranges(const std::string& cidr) {
  return cidr.find(':') != std::string::npos ? "Ipv6Ranges=[{CidrIpv6=" + cidr + "}]"
                                             : "IpRanges=[{CidrIp=" + cidr + "}]";
}

std::string ip_permissions(const model::L4Match& m, const std::string& cidr) {
  std::string s = "IpProtocol=" + aws_protocol(m.protocol);
  if (m.protocol == model::kTcp || m.protocol == model::kUdp) {
    s += ",FromPort=" + std::to_string(m.ports.lo) + ",ToPort=" + std::to_string(m.ports.hi);
  } else if (m.protocol == model::kIcmp || m.protocol == model::kIcmpv6) {
    s += ",FromPort=" + std::to_string(m.icmp_type) + ",ToPort=" + std::to_string(m.icmp_code);
  }
  return s + ',' + ip_ranges(cidr);
}

/** A rule's peer of either family. */
struct Peer {
  std::optional<Ipv4Prefix> v4;
  std::optional<Ipv6Prefix> v6;
  [[nodiscard]] std::string text() const { return v6 ? v6->to_string() : v4->to_string(); }
};

/** The peer a new rule names: the asked CIDR (0.0.0.0/0 for the internet, ::/0 over IPv6) when
 *  the hop still sees the asked endpoint's address, else the one address the packet carries there. */
Peer peer_of(const ReachQuery& q, const model::Packet& first, const model::Packet& at, model::Direction d) {
  if (at.is_ipv6()) {  // no translation: the address is the endpoint's own
    const bool in = d == model::Direction::Ingress;
    if (in ? q.from.internet : q.to.internet) return {std::nullopt, Ipv6Prefix{}};
    return {std::nullopt, Ipv6Prefix::make(in ? at.src_ip6 : at.dst_ip6, 128)};
  }
  if (d == model::Direction::Ingress) {
    if (at.src_ip == first.src_ip && (q.from.internet || q.from.cidr)) {
      return {q.from.cidr ? *q.from.cidr : Ipv4Prefix::make(0, 0), std::nullopt};
    }
    return {Ipv4Prefix::make(at.src_ip, 32), std::nullopt};
  }
  if (at.dst_ip == first.dst_ip && (q.to.internet || q.to.cidr))
    return {q.to.cidr ? *q.to.cidr : Ipv4Prefix::make(0, 0), std::nullopt};
  return {Ipv4Prefix::make(at.dst_ip, 32), std::nullopt};
}

Fix sg_fix(const model::Network& n, const model::NetworkInterface& eni, model::Direction d,
           const model::Packet& p, const Peer& peer) {
  Fix f;
  f.kind = Fix::Kind::AuthorizeSecurityGroup;
  const Id& group = eni.security_group_ids.front();
  const auto* g = model::Network::find(n.security_groups, group);
  const std::string peer_text = peer.text();
  f.sg_rule.group_id = group;
  f.sg_rule.direction = d;
  f.sg_rule.index =
      g ? static_cast<int>((d == model::Direction::Ingress ? g->ingress : g->egress).size()) : 0;
  f.sg_rule.l4 = exact_l4(p);
  f.sg_rule.peer = peer_text;
  if (peer.v6) {
    f.sg_rule.peer_prefixes6 = {*peer.v6};
  } else {
    f.sg_rule.peer_prefixes = {*peer.v4};
  }
  f.sg_rule.description = "vpcprove --explain";
  const bool in = d == model::Direction::Ingress;
  f.summary = "allow " + model::describe(f.sg_rule.l4) + (in ? " from " : " to ") + peer_text + " in " +
              group + (in ? " (ingress)" : " (egress)");
  // --cidr takes IPv4 only: an IPv6 peer goes in --ip-permissions' Ipv6Ranges.
  if (in && !peer.v6 && (p.protocol == model::kTcp || p.protocol == model::kUdp)) {
    f.aws_cli = "aws ec2 authorize-security-group-ingress --group-id " + shell_word(group) + " --protocol " +
                aws_protocol(p.protocol) + " --port " + std::to_string(p.dst_port) + " --cidr " +
                shell_word(peer_text);
  } else {
    f.aws_cli = std::string("aws ec2 authorize-security-group-") + (in ? "ingress" : "egress") +
                " --group-id " + shell_word(group) + " --ip-permissions " +
                shell_word(ip_permissions(f.sg_rule.l4, peer_text));
  }
  return f;
}

std::optional<Fix> nacl_fix(const model::NetworkAcl& acl, model::Direction d, const model::Packet& p) {
  // IPv6 entries are numbered apart from IPv4 ones (NetworkAcl::ingress6/egress6).
  const auto& entries = d == model::Direction::Ingress ? (p.is_ipv6() ? acl.ingress6 : acl.ingress)
                                                       : (p.is_ipv6() ? acl.egress6 : acl.egress);
  const auto* deciding = trace::evaluate_nacl(acl, d, p).entry;
  const int limit = deciding ? deciding->rule_number : 32767;  // 32767: the built-in deny
  // One rule number names one entry of a direction, whatever its family.
  std::set<int> used;
  for (const auto& e : entries) used.insert(e.rule_number);
  for (const auto& e : d == model::Direction::Ingress ? (p.is_ipv6() ? acl.ingress : acl.ingress6)
                                                      : (p.is_ipv6() ? acl.egress : acl.egress6))
    used.insert(e.rule_number);
  int number = 0;
  // A round number just below the deciding entry when one is free, else the nearest free one.
  for (int cand = limit - 1; cand >= 1; --cand) {
    if (used.count(cand)) continue;
    if (number == 0) number = cand;
    if (cand % 10 == 0) {
      number = cand;
      break;
    }
    if (limit - cand > 10) break;
  }
  if (number == 0) return std::nullopt;
  const Ipv4Address peer = d == model::Direction::Ingress ? p.src_ip : p.dst_ip;
  const std::string peer_text =
      p.is_ipv6() ? Ipv6Prefix::make(d == model::Direction::Ingress ? p.src_ip6 : p.dst_ip6, 128).to_string()
                  : cidr32(peer);
  Fix f;
  f.kind = Fix::Kind::CreateNaclEntry;
  f.nacl_entry.acl_id = acl.id;
  f.nacl_entry.direction = d;
  f.nacl_entry.rule_number = number;
  f.nacl_entry.allow = true;
  f.nacl_entry.l4 = exact_l4(p);
  if (p.is_ipv6()) {
    f.nacl_entry.cidr6 = Ipv6Prefix::make(d == model::Direction::Ingress ? p.src_ip6 : p.dst_ip6, 128);
  } else {
    f.nacl_entry.cidr = Ipv4Prefix::make(peer, 32);
  }
  f.summary = "allow " + model::describe(f.nacl_entry.l4) +
              (d == model::Direction::Ingress ? " from " : " to ") + peer_text + " in " + acl.id +
              " as rule " + std::to_string(number) +
              (d == model::Direction::Ingress ? " (inbound)" : " (outbound)");
  f.aws_cli = "aws ec2 create-network-acl-entry --network-acl-id " + shell_word(acl.id) +
              (d == model::Direction::Ingress ? " --ingress" : " --egress") + " --rule-number " +
              std::to_string(number) + " --protocol " + std::to_string(p.protocol);
  if (p.protocol == model::kTcp || p.protocol == model::kUdp) {
    f.aws_cli += " --port-range From=" + std::to_string(p.dst_port) + ",To=" + std::to_string(p.dst_port);
  } else if (p.protocol == model::kIcmp || p.protocol == model::kIcmpv6) {
    f.aws_cli +=
        " --icmp-type-code Type=" + std::to_string(p.icmp_type()) + ",Code=" + std::to_string(p.icmp_code());
  }
  f.aws_cli += (p.is_ipv6() ? " --ipv6-cidr-block " : " --cidr-block ") + peer_text + " --rule-action allow";
  return f;
}

/** A fix of kind adding to table_id a route for dst alone to where via sends (origin as AWS names it). */
Fix host_route_fix(Fix::Kind kind, const model::Id& table_id, const model::Route& via, Ipv4Address dst,
                   const char* origin) {
  Fix f;
  f.kind = kind;
  f.route_table_id = table_id;
  f.route = via;
  f.route.destination = Ipv4Prefix::make(dst, 32);
  f.route.prefix_list_id.reset();
  f.route.blackhole = false;
  f.route.origin = origin;
  return f;
}

Fix route_fix(const model::RouteTable& t, const model::Route& via, Ipv4Address dst) {
  Fix f = host_route_fix(Fix::Kind::CreateRoute, t.id, via, dst, "CreateRoute");
  const bool replace = std::any_of(t.routes.begin(), t.routes.end(), [&](const model::Route& r) {
    return !r.prefix_list_id && r.destination == f.route.destination;
  });
  std::string target;
  switch (via.target_kind) {
    case model::RouteTargetKind::InternetGateway:
      target = "--gateway-id ";
      break;
    case model::RouteTargetKind::NatGateway:
      target = "--nat-gateway-id ";
      break;
    case model::RouteTargetKind::NetworkInterface:
      target = "--network-interface-id ";
      break;
    case model::RouteTargetKind::VpcPeering:
      target = "--vpc-peering-connection-id ";
      break;
    case model::RouteTargetKind::TransitGateway:
      target = "--transit-gateway-id ";
      break;
    case model::RouteTargetKind::EgressOnlyInternetGateway:
      target = "--egress-only-internet-gateway-id ";
      break;
    default:
      target = "--gateway-id ";
      break;
  }
  f.summary = std::string(replace ? "replace" : "add") + " the route " + cidr32(dst) + " -> " +
              via.target_id + " in " + t.id;
  f.aws_cli = std::string("aws ec2 ") + (replace ? "replace-route" : "create-route") + " --route-table-id " +
              shell_word(t.id) + " --destination-cidr-block " + cidr32(dst) + " " + target +
              shell_word(via.target_id);
  return f;
}

/**
 * A static route for dst alone to the attachment via sends to, in a transit gateway route table:
 * the longest prefix, so it wins over a blackhole or another route of any length (a static
 * route is preferred to a propagated one of equal length). AWS CLI: create-transit-gateway-route,
 * or replace-transit-gateway-route when the table has a route for that CIDR already
 * (https://docs.aws.amazon.com/cli/latest/reference/ec2/create-transit-gateway-route.html).
 */
Fix tgw_route_fix(const model::TransitGatewayRouteTable& t, const model::Route& via, Ipv4Address dst) {
  Fix f = host_route_fix(Fix::Kind::CreateTransitGatewayRoute, t.id, via, dst, "static");
  const bool replace = std::any_of(t.routes.begin(), t.routes.end(), [&](const model::Route& r) {
    return r.destination == f.route.destination;
  });
  f.summary = std::string(replace ? "replace" : "add") + " the transit gateway route " + cidr32(dst) +
              " -> " + via.target_id + " in " + t.id;
  f.aws_cli = std::string("aws ec2 ") + (replace ? "replace" : "create") +
              "-transit-gateway-route --transit-gateway-route-table-id " + shell_word(t.id) +
              " --destination-cidr-block " + cidr32(dst) + " --transit-gateway-attachment-id " +
              shell_word(via.target_id);
  return f;
}

/** Addresses from 198.18.0.0/15 (benchmarking space: internet, never a VPC's) no ENI uses. */
std::vector<Ipv4Address> spare_public_ips(const model::Network& n, std::size_t count) {
  std::vector<Ipv4Address> out;
  for (Ipv4Address a = 0xC6120001u; out.size() < count && a < 0xC613FFFFu; ++a) {
    if (!n.interface_with_public_ip(a) && !n.nat_gateway_with_public_ip(a) && n.is_internet_address(a))
      out.push_back(a);
  }
  return out;
}

/** A soft gate of a path: a guard that a change could open, with how to open it. */
struct Soft {
  z3::expr holds;
  const encoder::EncodedStep* step = nullptr;  // a gate of the path
  Id hypothetical_eni;                         // or: "this ENI's new public IP is not used"
};

}  // namespace

Explanation explain_unreachable(const model::Network& network, const ReachQuery& query,
                                std::size_t max_paths) {
  Explanation out;
  // The network as it would be if every workload ENI without a public IP had one: using it
  // costs one change (associate-address), like any other gate.
  model::Network hyp = network;
  std::map<Id, std::pair<Ipv4Address, Ipv4Address>> new_ip;  // eni -> (private, public)
  {
    std::vector<Id> lacking;
    for (const auto& [id, e] : network.network_interfaces) {
      if (e.in_sets() && !e.private_ips.empty() && !e.has_public_ip()) lacking.push_back(id);
    }
    const auto spare = spare_public_ips(network, lacking.size());
    for (std::size_t i = 0; i < lacking.size() && i < spare.size(); ++i) {
      auto& e = hyp.network_interfaces.at(lacking[i]);
      e.private_ips.front().public_ip = spare[i];
      new_ip[lacking[i]] = {e.private_ips.front().address, spare[i]};
    }
    hyp.index();
  }
  const graph::ForwardingGraph g(hyp);
  z3::context c;
  encoder::Encoder enc(c, hyp, hyp.has_ipv6());
  encoder::PathEncoder pe(enc, g);
  const Header h = enc.header("h");
  const EncodedQuestion asked = encode_each_eni_alone(hyp, g, enc, h, query);

  struct Candidate {
    unsigned cost;
    std::vector<Fix> fixes;
    Id member;
    std::vector<std::string> path;
    model::Packet packet;
  };
  std::vector<Candidate> candidates;
  for (std::size_t si = 0; si < asked.question.sources.size(); ++si) {
    const QuestionSource& src = asked.question.sources[si];
    const auto paths = graph::enumerate_paths(g, src.start, asked.question.targets, graph::Mode::Forward,
                                              query.waypoints, max_paths);
    for (const auto& path : paths.paths) {
      const auto ep = pe.encode(path, h);
      z3::optimize opt(c);
      if (query.timeout_ms) {
        z3::params prm(c);
        prm.set("timeout", query.timeout_ms);
        opt.set(prm);
      }
      opt.add(asked.space && asked.source_address[si]);
      for (const auto& d : ep.definitions) opt.add(d.formula);
      std::vector<Soft> soft;
      std::map<Id, z3::expr_vector> unused;  // eni -> "its new IP is not used" parts
      for (const auto& s : ep.steps) {
        if (s.literal.empty()) continue;
        switch (s.step->kind) {
          case StepKind::SgEgress:
          case StepKind::SgIngress: {
            const auto& eni = hyp.network_interfaces.at(s.step->id);
            if (eni.security_group_ids.empty()) {
              opt.add(s.guard);  // no group to add a rule to: not a change this command suggests
            } else {
              soft.push_back({s.guard, &s, {}});
            }
            break;
          }
          case StepKind::NaclEgress:
          case StepKind::NaclIngress:
          case StepKind::Route:
          case StepKind::TgwRoute:
          case StepKind::SourceDestCheck:
            soft.push_back({s.guard, &s, {}});
            break;
          case StepKind::IgwIngress:
            opt.add(s.guard);
            for (const auto& [id, ip] : new_ip) {
              auto it = unused.try_emplace(id, c).first;
              it->second.push_back(s.before.dst_ip != c.bv_val(ip.second, 32));
            }
            break;
          case StepKind::IgwEgress:
            opt.add(s.guard);
            for (const auto& [id, ip] : new_ip) {
              auto it = unused.try_emplace(id, c).first;
              it->second.push_back(s.before.src_ip != c.bv_val(ip.first, 32));
            }
            break;
          default:
            opt.add(s.guard);
            break;
        }
      }
      for (auto& [id, parts] : unused) soft.push_back({z3::mk_and(parts), nullptr, id});
      // Fewest changes first (weight 1000 each), then a packet people can read (weight 1 each).
      for (const auto& x : soft) opt.add_soft(x.holds, 1000);
      {
        const Ipv4Prefix zero{0, 8}, high{0xE0000000u, 3};
        for (const auto* ip : {&h.src_ip, &h.dst_ip}) {
          const z3::expr fine = !encoder::in_prefix(*ip, zero) && !encoder::in_prefix(*ip, high);
          opt.add_soft(h.dual_stack ? h.ip6 || fine : fine, 1);
        }
        opt.add_soft(z3::implies(encoder::is_tcp_or_udp(h), z3::uge(h.src_port, c.bv_val(49152, 16))), 1);
      }
      if (opt.check() != z3::sat) continue;
      const z3::model m = opt.get_model();
      Candidate cand{0, {}, src.member, graph::vertex_names(g, path), encoder::packet_of(m, h)};
      bool fixable = true;
      for (const auto& x : soft) {
        if (m.eval(x.holds, true).is_true()) continue;
        ++cand.cost;
        if (!x.step) {
          const auto& [priv, pub] = new_ip.at(x.hypothetical_eni);
          Fix f;
          f.kind = Fix::Kind::AssociateAddress;
          f.eni = x.hypothetical_eni;
          f.private_ip = priv;
          f.public_ip = pub;
          f.summary = "give " + f.eni + " (" + format_ipv4(priv) + ") an Elastic IP (" + format_ipv4(pub) +
                      " stands for the address AWS allocates)";
          f.aws_cli = "aws ec2 associate-address --network-interface-id " + shell_word(f.eni) +
                      " --private-ip-address " + format_ipv4(priv) +
                      // One command a shell can run: the allocation's ID is what allocate-address prints.
                      " --allocation-id \"$(aws ec2 allocate-address --domain vpc --query AllocationId "
                      "--output text)\"";
          cand.fixes.push_back(f);
          continue;
        }
        const auto& st = *x.step->step;
        const model::Packet at = encoder::packet_of(m, x.step->before);
        switch (st.kind) {
          case StepKind::SgEgress:
          case StepKind::SgIngress: {
            const auto d =
                st.kind == StepKind::SgIngress ? model::Direction::Ingress : model::Direction::Egress;
            cand.fixes.push_back(
                sg_fix(hyp, hyp.network_interfaces.at(st.id), d, at, peer_of(query, cand.packet, at, d)));
          } break;
          case StepKind::NaclEgress:
          case StepKind::NaclIngress: {
            const auto* sub = model::Network::find(hyp.subnets, st.id);
            const auto* acl = sub ? model::Network::find(hyp.network_acls, sub->nacl_id) : nullptr;
            auto f = acl ? nacl_fix(*acl,
                                    st.kind == StepKind::NaclIngress ? model::Direction::Ingress
                                                                     : model::Direction::Egress,
                                    at)
                         : std::nullopt;
            if (f) {
              cand.fixes.push_back(*f);
            } else {
              fixable = false;
            }
            break;
          }
          case StepKind::Route: {
            const auto& t = hyp.route_tables.at(st.id);
            cand.fixes.push_back(route_fix(t, t.routes[static_cast<std::size_t>(st.index)], at.dst_ip));
            break;
          }
          case StepKind::TgwRoute: {  // a blackhole or another route of the TGW's table took dst
            const auto& t = hyp.transit_gateway_route_tables.at(st.id);
            cand.fixes.push_back(tgw_route_fix(t, t.routes[static_cast<std::size_t>(st.index)], at.dst_ip));
            break;
          }
          case StepKind::SourceDestCheck: {
            Fix f;
            f.kind = Fix::Kind::DisableSourceDestCheck;
            f.eni = st.id;
            f.summary = "turn off the source/destination check of " + st.id + " (it forwards for others)";
            f.aws_cli = "aws ec2 modify-network-interface-attribute --network-interface-id " +
                        shell_word(st.id) + " --no-source-dest-check";
            cand.fixes.push_back(f);
            break;
          }
          default:
            fixable = false;
            break;
        }
      }
      if (fixable) candidates.push_back(std::move(cand));
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.cost < b.cost; });
  // Check each candidate on the real network with the fixes applied; the first that works wins.
  for (const auto& cand : candidates) {
    if (cand.fixes.empty()) continue;  // nothing to change: the prover would have found it
    const model::Network fixed = apply_fixes(network, cand.fixes);
    Prover prover(fixed, {}, eni_scope(fixed, query));
    const auto r = prover.reach(query);
    if (r.verdict != Verdict::Reachable) continue;
    out.found = true;
    out.fixes = cand.fixes;
    out.from_member = cand.member;
    out.path = cand.path;
    out.packet = cand.packet;
    return out;
  }
  out.note = candidates.empty()
                 ? "no candidate path can be opened by security-group, NACL, route, public-IP or "
                   "source/destination-check changes (e.g. peering CIDRs, NAT protocols)"
                 : "no suggested set of changes was confirmed by the prover";
  return out;
}

namespace {

/** The SG rule or NACL entry a witness hop names (by its model::describe text), as a removal. */
std::optional<Fix> removal_for(const model::Network& n, const model::Hop& hop) {
  if (model::step_is(hop.step, model::HopStep::SgIngress) ||
      model::step_is(hop.step, model::HopStep::SgEgress)) {
    const auto* eni = model::Network::find(n.network_interfaces, hop.at);
    if (!eni) return std::nullopt;
    const bool in = model::step_is(hop.step, model::HopStep::SgIngress);
    for (const auto& gid : eni->security_group_ids) {
      const auto* g = model::Network::find(n.security_groups, gid);
      if (!g) continue;
      for (const auto& r : in ? g->ingress : g->egress) {
        if (model::describe(r) != hop.by) continue;
        Fix f;
        f.kind = Fix::Kind::RevokeSecurityGroup;
        f.sg_rule = r;
        f.summary = "remove " + model::describe(r);
        const std::string cidr = r.peer;
        const std::string perm =
            r.l4.protocol == model::kAnyProtocol
                ? "IpProtocol=-1"
                : ip_permissions(r.l4, cidr).substr(0, ip_permissions(r.l4, cidr).find(",Ip"));
        std::string peer_part;
        if (cidr.rfind("sg-", 0) == 0) {
          peer_part = ",UserIdGroupPairs=[{GroupId=" + cidr + "}]";
        } else if (cidr.rfind("pl-", 0) == 0) {
          peer_part = ",PrefixListIds=[{PrefixListId=" + cidr + "}]";
        } else {
          peer_part = ',' + ip_ranges(cidr);
        }
        f.aws_cli = std::string("aws ec2 revoke-security-group-") + (in ? "ingress" : "egress") +
                    " --group-id " + shell_word(gid) + " --ip-permissions " + shell_word(perm + peer_part);
        return f;
      }
    }
  } else if (model::step_is(hop.step, model::HopStep::NaclIngress) ||
             model::step_is(hop.step, model::HopStep::NaclEgress)) {
    const auto* sub = model::Network::find(n.subnets, hop.at);
    const auto* acl = sub ? model::Network::find(n.network_acls, sub->nacl_id) : nullptr;
    if (!acl) return std::nullopt;
    const bool in = model::step_is(hop.step, model::HopStep::NaclIngress);
    for (const auto& e : in ? acl->ingress : acl->egress) {
      if (model::describe(e) != hop.by || !e.allow) continue;
      Fix f;
      f.kind = Fix::Kind::DeleteNaclEntry;
      f.nacl_entry = e;
      f.summary = "remove " + model::describe(e);
      f.aws_cli = "aws ec2 delete-network-acl-entry --network-acl-id " + shell_word(acl->id) +
                  (in ? " --ingress" : " --egress") + " --rule-number " + std::to_string(e.rule_number);
      return f;
    }
  }
  return std::nullopt;
}

std::string key_of(const Fix& f) {
  return f.kind == Fix::Kind::RevokeSecurityGroup ? f.sg_rule.label() : f.nacl_entry.label();
}

}  // namespace

Explanation explain_reachable(const model::Network& network, const ReachQuery& query, int max_rounds) {
  Explanation out;
  std::map<std::string, Fix> known;              // every removable rule any witness used
  std::vector<std::set<std::string>> witnesses;  // the rules each witness used
  std::vector<Fix> chosen;
  for (int round = 0; round < max_rounds; ++round) {
    const model::Network current = apply_fixes(network, chosen);
    Prover prover(current, {}, eni_scope(current, query));
    const auto r = prover.reach(query);
    if (r.verdict == Verdict::Unreachable) {
      out.found = !chosen.empty();
      out.fixes = chosen;
      if (!out.found) out.note = "already unreachable";
      return out;
    }
    if (r.verdict == Verdict::Unknown) {
      out.note = "the solver gave up: " + r.unknown_reason;
      return out;
    }
    std::set<std::string> used;
    for (const auto& hop : r.path) {
      if (auto f = removal_for(current, hop)) {
        known.emplace(key_of(*f), *f);
        used.insert(key_of(*f));
      }
    }
    out.path.clear();
    for (const auto& hop : r.path) out.path.push_back(hop.at + " " + hop.step);
    if (used.empty()) {
      out.note = "the witness " + model::describe(*r.packet) + " passes no rule that could be removed";
      return out;
    }
    witnesses.push_back(used);
    // Minimum hitting set of every witness so far: fewest removals that break them all.
    z3::context c;
    z3::optimize opt(c);
    std::map<std::string, z3::expr> var;
    for (const auto& [k, f] : known) var.emplace(k, c.bool_const(k.c_str()));
    for (const auto& w : witnesses) {
      z3::expr_vector any(c);
      for (const auto& k : w) any.push_back(var.at(k));
      opt.add(z3::mk_or(any));
    }
    for (const auto& [k, v] : var) opt.add_soft(!v, 1);
    if (opt.check() != z3::sat) {
      out.note = "no set of removals found";
      return out;
    }
    const auto m = opt.get_model();
    chosen.clear();
    for (const auto& [k, v] : var) {
      if (m.eval(v, true).is_true()) chosen.push_back(known.at(k));
    }
  }
  out.note = "no set of removals closed every way within " + std::to_string(max_rounds) + " rounds";
  return out;
}

namespace {

/** Adds route to routes (decision order), replacing a route of the same CIDR. */
void insert_route(std::vector<model::Route>& routes, const model::Route& route) {
  std::erase_if(
      routes, [&](const model::Route& r) { return !r.prefix_list_id && r.destination == route.destination; });
  // Decision order: longest prefix first; a new static route goes before others of its length.
  auto pos = std::find_if(routes.begin(), routes.end(),
                          [&](const model::Route& r) { return r.destination.len <= route.destination.len; });
  routes.insert(pos, route);
}

}  // namespace

model::Network apply_fixes(const model::Network& network, const std::vector<Fix>& fixes) {
  model::Network n = network;
  for (const auto& f : fixes) {
    switch (f.kind) {
      case Fix::Kind::AuthorizeSecurityGroup: {
        auto it = n.security_groups.find(f.sg_rule.group_id);
        if (it == n.security_groups.end()) break;
        auto& rules =
            f.sg_rule.direction == model::Direction::Ingress ? it->second.ingress : it->second.egress;
        model::SgRule r = f.sg_rule;
        r.index = static_cast<int>(rules.size());
        rules.push_back(r);
        break;
      }
      case Fix::Kind::RevokeSecurityGroup: {
        auto it = n.security_groups.find(f.sg_rule.group_id);
        if (it == n.security_groups.end()) break;
        auto& rules =
            f.sg_rule.direction == model::Direction::Ingress ? it->second.ingress : it->second.egress;
        // Indices stay as they were: labels of the other rules keep naming the same rules.
        std::erase_if(rules, [&](const model::SgRule& r) { return r.index == f.sg_rule.index; });
        break;
      }
      case Fix::Kind::CreateNaclEntry:
      case Fix::Kind::DeleteNaclEntry: {
        auto it = n.network_acls.find(f.nacl_entry.acl_id);
        if (it == n.network_acls.end()) break;
        const bool v6 = f.nacl_entry.cidr6.has_value();
        auto& entries = f.nacl_entry.direction == model::Direction::Ingress
                            ? (v6 ? it->second.ingress6 : it->second.ingress)
                            : (v6 ? it->second.egress6 : it->second.egress);
        std::erase_if(entries,
                      [&](const model::NaclEntry& e) { return e.rule_number == f.nacl_entry.rule_number; });
        if (f.kind == Fix::Kind::CreateNaclEntry) {
          entries.push_back(f.nacl_entry);
          std::stable_sort(entries.begin(), entries.end(),
                           [](const model::NaclEntry& a, const model::NaclEntry& b) {
                             return a.rule_number < b.rule_number;
                           });
        }
        break;
      }
      case Fix::Kind::CreateRoute: {
        auto it = n.route_tables.find(f.route_table_id);
        if (it != n.route_tables.end()) insert_route(it->second.routes, f.route);
        break;
      }
      case Fix::Kind::CreateTransitGatewayRoute: {
        auto it = n.transit_gateway_route_tables.find(f.route_table_id);
        if (it != n.transit_gateway_route_tables.end()) insert_route(it->second.routes, f.route);
        break;
      }
      case Fix::Kind::AssociateAddress: {
        auto it = n.network_interfaces.find(f.eni);
        if (it == n.network_interfaces.end()) break;
        for (auto& p : it->second.private_ips) {
          if (p.address == f.private_ip) p.public_ip = f.public_ip;
        }
        break;
      }
      case Fix::Kind::DisableSourceDestCheck: {
        auto it = n.network_interfaces.find(f.eni);
        if (it != n.network_interfaces.end()) it->second.source_dest_check = false;
        break;
      }
    }
  }
  n.index();
  return n;
}

}  // namespace vpcprove::queries
