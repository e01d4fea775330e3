// SPDX-License-Identifier: Apache-2.0
// Depth-first enumeration of candidate paths, pruned to vertices that can reach a target.
#include "graph/paths.h"

#include <algorithm>
#include <deque>
#include <map>

#include "graph/route_choices.h"
#include "graph/waypoints.h"

namespace vpcprove::graph {

bool rewrites_destination(const Edge& edge) {
  const auto has = [&](StepKind k) {
    return std::any_of(edge.steps.begin(), edge.steps.end(), [&](const Step& s) { return s.kind == k; });
  };
  // NAT64 (an IPv6 route to a NAT gateway) makes the destination the IPv4 address it embeds.
  return has(StepKind::IgwIngress) || has(StepKind::NatReverse) ||
         (has(StepKind::Route6) && has(StepKind::NatTranslate));
}

namespace {

struct Search {
  const ForwardingGraph& fg;
  const Graph& g;
  const std::set<VertexId>& targets;
  Mode mode;
  std::size_t max_paths;
  int max_epochs;
  std::vector<bool> useful;
  PathSet out;
  Path current;
  std::vector<std::vector<VertexId>> epochs;     // vertices seen in each epoch so far
  std::vector<RouteChoices> choices;             // each epoch's route choices (graph/route_choices.h)
  bool disjoint = true;                          // graph.public_private_disjoint()
  bool dst_translated_private = false;           // an igw-ingress made dst a private IP (and nothing since)
  std::vector<EdgeId> reversed_at;               // NAT reply translations on the current path
  const PathConstraints* constraints = nullptr;  // waypoints (graph/waypoints.h), or none
  std::map<model::Id, std::vector<Ipv6Prefix>> ipv6_enters;  // ipv6_destinations, per gateway asked

  /**
   * Blocks holding every IPv6 address an internet gateway's igw-ingress lets in: those of the
   * ENIs of its VPCs (PathEncoder::ipv6_ingress: the destination's owner is in such a VPC), as
   * the VPCs' IPv6 blocks, and any address or delegated prefix of theirs outside those blocks
   * (a snapshot may say so) as itself.
   */
  const std::vector<Ipv6Prefix>& ipv6_destinations(const model::Id& igw) {
    auto [it, fresh] = ipv6_enters.try_emplace(igw);
    if (!fresh) return it->second;
    const auto& n = fg.network();
    auto& out = it->second;
    for (const auto& [vpc_id, vpc] : n.vpcs) {
      if (vpc.internet_gateway_id != igw) continue;
      out.insert(out.end(), vpc.ipv6_cidrs.begin(), vpc.ipv6_cidrs.end());
      auto inside = [&](const Ipv6Prefix& p) {
        return std::any_of(vpc.ipv6_cidrs.begin(), vpc.ipv6_cidrs.end(),
                           [&](const Ipv6Prefix& b) { return b.contains(p); });
      };
      for (const auto* eni : n.interfaces_in(vpc_id)) {
        for (const auto& a : eni->ipv6_addresses) {
          if (const auto p = Ipv6Prefix::make(a, 128); !inside(p)) out.push_back(p);
        }
        for (const auto& p : eni->ipv6_delegated_prefixes) {
          if (!inside(p)) out.push_back(p);
        }
      }
    }
    return out;
  }

  /**
   * false when an IPv6 packet on this path cannot pass igw's igw-ingress: its route choices in
   * this epoch fixed the family to IPv6 and leave no destination that an ENI behind igw owns.
   * (A VPC's ::/0 route to its own gateway excludes the VPC's blocks by the local route, so the
   * hairpin out and back in, which IPv4 takes through public IPs, carries no IPv6 packet.)
   */
  bool ipv6_can_enter(const RouteChoices& now, const model::Id& igw) {
    if (now.family() != 6) return true;
    const auto& blocks = ipv6_destinations(igw);
    return std::any_of(blocks.begin(), blocks.end(), [&](const Ipv6Prefix& b) { return now.admits6(b); });
  }

  bool allowed(EdgeId e) const {
    return (mode == Mode::Reply || !g[e].reply_only) && (!constraints || avoids(fg, e, *constraints));
  }
  /** A path to a target counts when it passes every waypoint it must. */
  bool counts(const Path& p) const {
    if (!constraints) return true;
    return std::all_of(constraints->through.begin(), constraints->through.end(),
                       [&](const Waypoint& w) { return passes(fg, p.start, p.edges, w); });
  }

  /**
   * Narrows the route choices by edge's Route and TgwRoute steps; the steps after one that
   * rewrites the destination narrow a new epoch's (pushed here, once). false when no destination
   * is left: the edge's routes cannot all be chosen for one packet (graph/route_choices.h).
   */
  bool choose_routes(const Edge& edge) {
    const auto& n = fg.network();
    bool fresh = false;
    bool left = true;
    for (const Step& st : edge.steps) {
      const bool ipv6_in = st.kind == StepKind::IgwIngress && st.aux.empty() && choices.back().family() == 6;
      if (ipv6_in && !ipv6_can_enter(choices.back(), st.id)) {
        left = false;
        break;
      }
      if (st.kind == StepKind::IgwIngress || st.kind == StepKind::NatReverse) {
        // An IPv6 packet comes in untranslated: the destination, and so what its routes chose, stays.
        if (!fresh) choices.push_back(ipv6_in ? RouteChoices(choices.back()) : RouteChoices());
        fresh = true;
      } else if (st.kind == StepKind::Route) {
        choices.back().choose(n.route_tables.at(st.id).routes, st.index);
      } else if (st.kind == StepKind::Route6) {
        choices.back().choose6(n.route_tables.at(st.id).routes6, st.index);
      } else if (st.kind == StepKind::TgwRoute) {
        choices.back().choose(n.transit_gateway_route_tables.at(st.id).routes, st.index);
      } else if (st.kind == StepKind::TgwRoute6) {
        choices.back().choose6(n.transit_gateway_route_tables.at(st.id).routes6, st.index);
      }
      if (choices.back().empty()) {
        left = false;
        break;
      }
    }
    // One new epoch's choices exactly when the edge starts an epoch, so the caller pops in step.
    if (!fresh && rewrites_destination(edge)) choices.emplace_back();
    return left;
  }

  void dfs(VertexId v) {
    if (out.truncated) return;
    if (targets.count(v)) {
      if (!counts(current)) return;
      if (out.paths.size() >= max_paths) {
        out.truncated = true;
        return;
      }
      out.paths.push_back(current);
      // A target is a terminal; walks end there.
      return;
    }
    for (auto [it, end] = boost::out_edges(v, g); it != end; ++it) {
      const EdgeId e = *it;
      const VertexId w = boost::target(e, g);
      if (!allowed(e) || !useful[w]) continue;
      const bool new_epoch = rewrites_destination(g[e]);
      const bool igw_in = std::any_of(g[e].steps.begin(), g[e].steps.end(),
                                      [](const Step& st) { return st.kind == StepKind::IgwIngress; });
      const bool nat_reverse = std::any_of(g[e].steps.begin(), g[e].steps.end(),
                                           [](const Step& st) { return st.kind == StepKind::NatReverse; });
      // After an igw-ingress the destination is a private IP; with no private IP that is also
      // public, no internet gateway admits it again (pruned: such edges cannot be taken).
      if (igw_in && disjoint && dst_translated_private) continue;
      // A reply is translated back by one NAT gateway at most once (see paths.h).
      if (nat_reverse && std::find(reversed_at.begin(), reversed_at.end(), e) != reversed_at.end()) continue;
      if (!new_epoch) {
        const auto& seen = epochs.back();
        if (std::find(seen.begin(), seen.end(), w) != seen.end()) continue;  // a loop within an epoch
      }
      // Routes no destination chooses together: no packet takes the edge (pruned before the epoch
      // limit, so a path that carries nothing never marks the set truncated).
      const RouteChoices::Mark before = choices.back().mark();
      const bool carries = choose_routes(g[e]);
      auto unchoose = [&] {
        if (new_epoch) choices.pop_back();
        choices.back().restore(before);
      };
      if (!carries) {
        unchoose();
        continue;
      }
      if (new_epoch) {
        if (static_cast<int>(epochs.size()) >= max_epochs) {
          out.truncated = true;
          unchoose();
          continue;
        }
        epochs.push_back({});
      }
      epochs.back().push_back(w);
      current.edges.push_back(e);
      const bool saved = dst_translated_private;
      if (igw_in) dst_translated_private = true;
      if (nat_reverse) {
        dst_translated_private = false;
        reversed_at.push_back(e);
      }
      dfs(w);
      if (nat_reverse) reversed_at.pop_back();
      dst_translated_private = saved;
      current.edges.pop_back();
      epochs.back().pop_back();
      if (new_epoch) epochs.pop_back();
      unchoose();
    }
  }
};

}  // namespace

PathSet enumerate_paths(const ForwardingGraph& graph, VertexId start, const std::set<VertexId>& targets,
                        Mode mode, std::size_t max_paths, int max_epochs) {
  return enumerate_paths(graph, start, targets, mode, PathConstraints{}, max_paths, max_epochs);
}

PathSet enumerate_paths(const ForwardingGraph& graph, VertexId start, const std::set<VertexId>& targets,
                        Mode mode, const PathConstraints& constraints, std::size_t max_paths,
                        int max_epochs) {
  const Graph& g = graph.graph();
  Search s{
      graph, g,  targets, mode, max_paths, max_epochs, std::vector<bool>(boost::num_vertices(g), false), {},
      {},    {}, {},      true, false,     {},         constraints.empty() ? nullptr : &constraints,     {}};
  // A path that must avoid a resource cannot start at it.
  if (!constraints.empty() && !avoids(graph, start, constraints)) return {};
  // Backwards from the targets: which vertices can reach one at all.
  std::deque<VertexId> queue(targets.begin(), targets.end());
  for (VertexId t : targets) s.useful[t] = true;
  while (!queue.empty()) {
    const VertexId v = queue.front();
    queue.pop_front();
    for (auto [it, end] = boost::in_edges(v, g); it != end; ++it) {
      if (!s.allowed(*it)) continue;
      const VertexId u = boost::source(*it, g);
      if (s.constraints && !avoids(graph, u, *s.constraints)) continue;
      if (!s.useful[u]) {
        s.useful[u] = true;
        queue.push_back(u);
      }
    }
  }
  s.disjoint = graph.public_private_disjoint();
  s.current.start = start;
  s.epochs.push_back({start});
  s.choices.emplace_back();
  if (s.useful[start]) s.dfs(start);
  auto steps = [&](const Path& p) {
    std::size_t n = 0;
    for (EdgeId e : p.edges) n += g[e].steps.size();
    return n;
  };
  std::stable_sort(s.out.paths.begin(), s.out.paths.end(),
                   [&](const Path& a, const Path& b) { return steps(a) < steps(b); });
  return std::move(s.out);
}

std::vector<std::string> vertex_names(const ForwardingGraph& graph, const Path& path) {
  std::vector<std::string> out{graph.name(path.start)};
  for (auto e : path.edges) out.push_back(graph.name(boost::target(e, graph.graph())));
  return out;
}

}  // namespace vpcprove::graph
