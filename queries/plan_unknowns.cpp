// SPDX-License-Identifier: Apache-2.0
#include "queries/plan_unknowns.h"

#include <algorithm>

#include "model/assumption.h"

namespace vpcprove::queries {

namespace {

/** p splits subnet: it holds some of its addresses but not all. */
bool splits(const Ipv4Prefix& p, const Ipv4Prefix& subnet) {
  const bool overlap = p.first() <= subnet.last() && subnet.first() <= p.last();
  return overlap && !p.contains(subnet);
}

bool subnet_is_split(const model::Network& n, const model::Subnet& s) {
  for (const auto& [id, g] : n.security_groups) {
    for (const auto* rules : {&g.ingress, &g.egress}) {
      for (const auto& r : *rules) {
        // A group reference's /32s name ENIs' own addresses: another ENI's address is never the one AWS
        // gives.
        if (r.peer.rfind("sg-", 0) == 0 || n.security_groups.count(r.peer)) continue;
        for (const auto& p : r.peer_prefixes) {
          if (splits(p, s.cidr)) return true;
        }
      }
    }
  }
  for (const auto& [id, a] : n.network_acls) {
    for (const auto* entries : {&a.ingress, &a.egress}) {
      for (const auto& e : *entries) {
        if (splits(e.cidr, s.cidr)) return true;
      }
    }
  }
  for (const auto& [id, t] : n.route_tables) {
    for (const auto& r : t.routes) {
      if (splits(r.destination, s.cidr)) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<model::UnknownValue> deciding_unknowns(const model::Network& n) {
  std::vector<model::UnknownValue> out;
  for (const auto& u : n.unknown_until_apply) {
    const auto& a = u.attribute;
    const bool is_public =
        a == "public_ip" || (a.size() > 10 && a.compare(a.size() - 10, 10, ".public_ip") == 0);
    if (is_public) continue;
    const bool is_private =
        a == "private_ip" || (a.size() > 11 && a.compare(a.size() - 11, 11, ".private_ip") == 0);
    if (is_private) {
      const auto* e = model::Network::find(n.network_interfaces, u.resource);
      const auto* s = e ? model::Network::find(n.subnets, e->subnet_id) : nullptr;
      if (s && !subnet_is_split(n, *s)) continue;
    }
    out.push_back(u);
  }
  return out;
}

std::set<model::Id> resources_of_answer(const model::Network& n, const ReachResult& r) {
  std::set<model::Id> ids;
  for (const auto& h : r.path) ids.insert(h.at);
  if (r.session && r.session->reply) {
    for (const auto& h : r.session->reply->hops) ids.insert(h.at);
  }
  for (const auto& x : r.reasons) {
    ids.insert(x.at);
    ids.insert(x.path.begin(), x.path.end());
    if (!x.from_member.empty()) ids.insert(x.from_member);
  }
  if (r.from_member) ids.insert(*r.from_member);
  if (r.to_member) ids.insert(*r.to_member);
  std::set<model::Id> out = ids;
  for (const auto& id : ids) {
    const auto* e = model::Network::find(n.network_interfaces, id);
    if (!e) continue;
    out.insert(e->security_group_ids.begin(), e->security_group_ids.end());
    out.insert(e->subnet_id);
    if (const auto* s = model::Network::find(n.subnets, e->subnet_id)) {
      out.insert(s->route_table_id);
      out.insert(s->nacl_id);
    }
  }
  return out;
}

std::vector<std::string> unknowns_on(const model::Network& n, const std::set<model::Id>& resources) {
  std::vector<std::string> out;
  for (const auto& u : deciding_unknowns(n)) {
    if (resources.count(u.resource)) out.push_back(u.name());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool mark_plan_unknowns(const model::Network& n, ReachResult& r) {
  if (n.unknown_until_apply.empty()) return false;
  auto resources = resources_of_answer(n, r);
  if (r.verdict == Verdict::Reachable) {
    // Security groups only allow: a rule whose peer is unknown can add packets, never take
    // the witness's away, so a witness stands whatever it turns out to be.
    for (const auto& [id, g] : n.security_groups) resources.erase(id);
  }
  const auto names = unknowns_on(n, resources);
  if (names.empty()) return false;
  std::string list;
  for (const auto& name : names) {
    list += (list.empty() ? "" : ", ") + name;
    model::add_assumption(r.assumptions,
                          {name, model::assumption_kind::kUnknownUntilApply,
                           "its value, known only after terraform apply, does not change the answer"});
  }
  r.unknown_reason =
      "the answer (" + std::string(to_string(r.verdict)) + ") rests on values unknown until apply: " + list;
  r.verdict = Verdict::Unknown;
  return true;
}

}  // namespace vpcprove::queries
