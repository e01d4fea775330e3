// SPDX-License-Identifier: Apache-2.0
#include "queries/assumptions.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "common/ipv4.h"
#include "model/hop_step.h"

namespace vpcprove::queries {

namespace k = model::assumption_kind;
using model::Assumption;
using model::Direction;
using model::Id;

namespace {

bool missing_peer(const model::Network& n, const model::SgRule& r) {
  if (!r.peer_prefixes.empty()) return false;
  if (r.peer.rfind("sg-", 0) == 0) return !n.security_groups.count(r.peer);
  if (r.peer.rfind("pl-", 0) == 0) return !n.prefix_lists.count(r.peer);
  return false;
}

Assumption missing_peer_assumption(const model::SgRule& r) {
  const bool group = r.peer.rfind("sg-", 0) == 0;
  return {r.label(), group ? k::kMissingSecurityGroup : k::kMissingPrefixList,
          "the rule names " + r.peer + ", which is not in the snapshot: it matches no address"};
}

/** The rule's protocol and ports can meet the question's header space. */
bool meets(const model::L4Match& m, const HeaderSpace& h) {
  if (m.matches_nothing) return false;
  if (m.protocol == model::kAnyProtocol || !h.protocol) return true;
  if (*h.protocol != m.protocol) return false;
  if (m.protocol != model::kTcp && m.protocol != model::kUdp) return true;
  std::vector<PortRange> asked = h.dst_port_set;
  if (h.dst_ports) asked.push_back(*h.dst_ports);
  if (asked.empty()) return true;
  for (const auto& p : asked) {
    if (p.lo <= m.ports.hi && m.ports.lo <= p.hi) return true;
  }
  return false;
}

/** The ENIs of one side of a question: its interfaces, or those owning addresses in its CIDR. */
std::vector<const model::NetworkInterface*> side_enis(const model::Network& n, const model::Endpoint& e) {
  std::vector<const model::NetworkInterface*> out;
  if (e.internet) return out;
  if (e.cidr) return model::interfaces_with_address_in(n, *e.cidr);
  if (e.cidr6) return model::interfaces_with_address_in6(n, *e.cidr6);
  for (const auto& id : e.interfaces) {
    if (const auto* x = model::Network::find(n.network_interfaces, id)) out.push_back(x);
  }
  return out;
}

std::string holders_text(const std::vector<Id>& ids) {
  std::string s;
  for (const auto& id : ids) s += (s.empty() ? "" : " and ") + id;
  return s;
}

Assumption contested(const model::Network& n, Ipv4Address ip) {
  const auto& ids = n.contested_public_ips.at(ip);
  const auto* winner = n.interface_with_public_ip(ip);
  return {format_ipv4(ip), k::kDuplicatePublicIp,
          "held by " + holders_text(ids) + " in the snapshot; the internet reaches " +
              (winner ? winner->id : std::string("one of them")) + " only"};
}

}  // namespace

Assumption appliance(const model::NetworkInterface& eni) {
  return {eni.id, k::kAppliance,
          "source/destination check off and a route sends traffic to it: it forwards packets unchanged "
          "(an appliance may also rewrite their source to its own address, as a NAT instance does)"};
}

std::vector<Assumption> witness_assumptions(const model::Network& n, const std::vector<model::Hop>& hops) {
  std::vector<Assumption> out;
  for (const auto& h : hops) {
    if (model::step_is(h.step, model::HopStep::EniForward)) {
      if (const auto* f = model::Network::find(n.network_interfaces, h.at))
        model::add_assumption(out, appliance(*f));
    } else if (model::step_is(h.step, model::HopStep::IgwIngress) && !n.contested_public_ips.empty()) {
      // by: "<public> -> <private> (<owner>)"
      if (const auto pub = parse_ipv4(h.by.substr(0, h.by.find(' ')))) {
        if (n.contested_public_ips.count(*pub)) model::add_assumption(out, contested(n, *pub));
      }
    }
  }
  return out;
}

std::vector<Assumption> endpoint_assumptions(const model::Network& n, const ReachQuery& q) {
  std::vector<Assumption> out;
  const auto from = side_enis(n, q.from);
  const auto to = side_enis(n, q.to);
  // Rules naming a missing group or prefix list, in the groups that filter the two ends.
  std::set<Id> suspect;
  for (const auto& [id, g] : n.security_groups) {
    for (const auto* rules : {&g.ingress, &g.egress}) {
      for (const auto& r : *rules) {
        if (missing_peer(n, r)) suspect.insert(id);
      }
    }
  }
  if (!suspect.empty()) {
    auto scan = [&](const std::vector<const model::NetworkInterface*>& enis, Direction d) {
      std::set<Id> groups;
      for (const auto* x : enis) {
        for (const auto& gid : x->security_group_ids) {
          if (suspect.count(gid)) groups.insert(gid);
        }
      }
      for (const auto& gid : groups) {
        const auto& g = n.security_groups.at(gid);
        for (const auto& r : d == Direction::Ingress ? g.ingress : g.egress) {
          if (missing_peer(n, r) && meets(r.l4, q.header))
            model::add_assumption(out, missing_peer_assumption(r));
        }
      }
    };
    scan(from, Direction::Egress);
    scan(to, Direction::Ingress);
  }
  // Amazon's IPv6 service addresses (fd00:ec2::/64): the IPv4 ones are modelled (AwsService),
  // these are not, so an answer about them is not a proof.
  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html
  if (q.to.cidr6 && q.header.ip_version.value_or(6) == 6) {
    const Ipv6Prefix services = *Ipv6Prefix::parse("fd00:ec2::/64");
    if (q.to.cidr6->contains(services) || services.contains(*q.to.cidr6)) {
      model::add_assumption(
          out, {services.to_string(), model::assumption_kind::kAwsServiceIpv6,
                "no Amazon service answers at these IPv6 addresses (DNS fd00:ec2::253, instance metadata "
                "fd00:ec2::254, Time Sync fd00:ec2::123): traffic to them is routed like any other"});
    }
  }
  // A contested public IP, reached from outside.
  if (!n.contested_public_ips.empty()) {
    for (const auto& [ip, ids] : n.contested_public_ips) {
      bool asked = q.to.cidr && q.to.cidr->contains(ip);
      if (!asked && (q.from.internet || q.from.cidr)) {
        for (const auto* x : to) {
          if (std::find(ids.begin(), ids.end(), x->id) != ids.end()) asked = true;
        }
      }
      if (asked) model::add_assumption(out, contested(n, ip));
    }
  }
  return out;
}

std::vector<Assumption> exposure_assumptions(const model::Network& n, const model::NetworkInterface& eni) {
  std::vector<Assumption> out;
  for (const auto& gid : eni.security_group_ids) {
    const auto* g = model::Network::find(n.security_groups, gid);
    if (!g) continue;
    for (const auto& r : g->ingress) {
      // A missing prefix list may hold any address, the internet's too; a missing group stands
      // for private addresses of ENIs (AWS matches group references against those only).
      if (missing_peer(n, r) && r.peer.rfind("pl-", 0) == 0)
        model::add_assumption(out, missing_peer_assumption(r));
    }
  }
  for (const auto& p : eni.private_ips) {
    if (p.public_ip && n.contested_public_ips.count(*p.public_ip))
      model::add_assumption(out, contested(n, *p.public_ip));
  }
  return out;
}

}  // namespace vpcprove::queries
