// SPDX-License-Identifier: Apache-2.0
// exposure over IPv6 (queries/exposure_ipv6.h).
#include "queries/exposure_ipv6.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <unordered_map>

#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "queries/address_set.h"
#include "queries/exposure_geometry.h"
#include "queries/exposure_pieces.h"
#include "queries/exposure_solver.h"

namespace vpcprove::queries::exposure_detail {

using model::Id;

namespace {

/** true when some address of p is an internet source (2000::/3). */
bool reaches_internet6(const Ipv6Prefix& p) { return AddressSet6::internet().lowest_in(p).has_value(); }

/**
 * true when rep has an IPv6 address that the plain way in through gateway delivers to, as the
 * solver's pin and the path's guards read it: rep's own (Network::interface_with_ipv6 names rep,
 * so igw-ingress maps it into rep's VPC, which gateway serves), inside rep's subnet's IPv6 blocks
 * (deliver). false: the class goes back to the solver rather than be called closed.
 */
bool addressed6(const model::Network& n, const model::NetworkInterface& rep, const Id& gateway) {
  const auto* vpc = model::Network::find(n.vpcs, rep.vpc_id);
  const auto* subnet = model::Network::find(n.subnets, rep.subnet_id);
  if (!vpc || !subnet || vpc->internet_gateway_id != gateway) return false;
  return std::any_of(rep.ipv6_addresses.begin(), rep.ipv6_addresses.end(), [&](const Ipv6Address& a) {
    return n.interface_with_ipv6(a) == &rep &&
           std::any_of(subnet->ipv6_cidrs.begin(), subnet->ipv6_cidrs.end(),
                       [&](const Ipv6Prefix& p) { return p.contains(a); });
  });
}

/**
 * A packet-semantics class decided by interval geometry (queries/exposure_geometry.h), as the
 * IPv4 pass does: its one way in is the plain one, and the destination part of it holds for an
 * address of rep (addressed6), so the filters' boxes over internet sources decide each piece.
 */
std::optional<ClassAnswer> geometric_answer6(const model::Network& n, const graph::ForwardingGraph& g,
                                             const std::vector<const graph::Path*>& class_paths,
                                             const model::NetworkInterface& rep, RuleNames& names) {
  if (class_paths.size() != 1 || !plain_way_in(g, *class_paths[0], rep, n)) return std::nullopt;
  if (!addressed6(n, rep, g.edge(class_paths[0]->edges.front()).steps.front().id)) return std::nullopt;
  std::vector<const model::L4Match*> filters;
  const auto& subnet = n.subnets.at(rep.subnet_id);
  if (const auto* acl = model::Network::find(n.network_acls, subnet.nacl_id)) {
    for (const auto& e : acl->ingress6) {
      if (e.cidr6 && reaches_internet6(*e.cidr6)) filters.push_back(&e.l4);
    }
  }
  for (const auto& gid : rep.security_group_ids) {
    const auto* sg = model::Network::find(n.security_groups, gid);
    if (!sg) continue;
    for (const auto& r : sg->ingress) {
      if (std::any_of(r.peer_prefixes6.begin(), r.peer_prefixes6.end(), reaches_internet6))
        filters.push_back(&r.l4);
    }
  }
  return plain_answer(n, rep, filters, names, 6);
}

}  // namespace

Ipv6Exposure ipv6_exposure(const model::Network& n, const ExposureOptions& options,
                           const std::set<Id>& routed, const RunJobs& run_jobs,
                           const graph::ForwardingGraph* graph) {
  Ipv6Exposure out;
  if (!n.has_ipv6()) return out;
  std::unordered_map<std::string, std::size_t> by_key;
  std::vector<Id> reps;
  std::vector<std::vector<Id>> members;
  for (const auto& [id, eni] : n.network_interfaces) {
    if (!eni.in_sets() || !eni.has_ipv6()) continue;
    auto [it, fresh] = by_key.try_emplace(class_key(n, eni, options.semantics, routed, ""), reps.size());
    if (fresh) {
      reps.push_back(id);
      members.emplace_back();
    }
    members[it->second].push_back(id);
  }
  out.classes = reps.size();
  if (reps.empty()) return out;

  std::optional<graph::ForwardingGraph> own;
  if (!graph) graph = &own.emplace(n);
  const graph::ForwardingGraph& g = *graph;
  std::set<graph::VertexId> targets;
  std::map<graph::VertexId, std::size_t> class_by_vertex;
  for (std::size_t i = 0; i < reps.size(); ++i) {
    targets.insert(g.delivered(reps[i]));
    class_by_vertex[g.delivered(reps[i])] = i;
  }
  const graph::PathSet paths =
      graph::enumerate_paths(g, g.internet(), targets, graph::Mode::Forward, 20000 + 16 * reps.size());
  std::vector<std::vector<const graph::Path*>> class_paths(reps.size());
  for (const auto& p : paths.paths) class_paths[class_by_vertex.at(p.end(g.graph()))].push_back(&p);
  if (paths.truncated) {
    out.unknown = true;
    out.unknown_reason = "too many candidate paths from the internet over IPv6 (enumeration limit)";
  }
  std::optional<std::map<Part, std::vector<PortRange>>> global_pieces;
  if (options.semantics == Semantics::Session) global_pieces = network_pieces(n, model::kIcmpv6);

  std::vector<ClassAnswer> answers(reps.size());
  std::vector<char> by_geometry(reps.size(), 0);
  const bool geometry = options.geometry && options.semantics == Semantics::Packet;
  std::atomic<std::size_t> next{0};
  const std::map<Ipv4Address, std::vector<Ipv4Address>> no_publics;
  run_jobs(
      [&]() {
        constexpr unsigned kClassesPerContext = 64;  // as exposure's IPv4 pass: Z3 slows as a context grows
        std::optional<ClassSolver> w;
        RuleNames names;
        unsigned solved = 0;
        for (std::size_t i = next++; i < reps.size(); i = next++) {
          if (class_paths[i].empty()) continue;
          const auto& rep = n.network_interfaces.at(reps[i]);
          if (geometry && !routed.count(rep.vpc_id)) {
            if (auto a = geometric_answer6(n, g, class_paths[i], rep, names)) {
              answers[i] = std::move(*a);
              by_geometry[i] = 1;
              continue;
            }
          }
          if (!w || solved++ % kClassesPerContext == 0) w.emplace(n, g, options.timeout_ms, 6);
          answers[i] = w->answer(rep, class_paths[i], global_pieces ? &*global_pieces : nullptr, no_publics,
                                 options.semantics);
        }
      },
      reps.size());

  for (std::size_t i = 0; i < reps.size(); ++i) {
    const auto& a = answers[i];
    out.checks += a.checks;
    out.geometry_classes += by_geometry[i];
    if (a.unknown) {
      out.unknown = true;
      out.unknown_reason = a.unknown_reason.empty() ? "solver gave up" : a.unknown_reason;
    }
    auto exposed = assemble(a, model::kIcmpv6);
    if (exposed.empty()) continue;
    for (auto& x : exposed) x.ip_version = 6;
    for (const auto& id : members[i]) out.class_of.emplace(id, out.by_class.size());
    out.by_class.push_back(std::move(exposed));
  }
  return out;
}

}  // namespace vpcprove::queries::exposure_detail
