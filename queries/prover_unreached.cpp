// SPDX-License-Identifier: Apache-2.0
// An unreachable answer: where each source's traffic goes instead when no candidate path
// explains it, and what the proof rests on (the gateways and appliances its packets meet).
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "graph/paths.h"
#include "graph/step_meaning.h"
#include "graph/waypoints.h"
#include "model/describe.h"
#include "model/drop_code.h"
#include "model/hop_step.h"
#include "queries/assumptions.h"
#include "queries/prover_impl.h"

namespace vpcprove::queries {

using encoder::EncodedPath;
using graph::StepKind;
using model::Id;
using solver::Outcome;

namespace {

bool has_reason_from(const std::vector<Reason>& reasons, const Id& member) {
  return std::any_of(reasons.begin(), reasons.end(),
                     [&](const Reason& r) { return r.from_member == member; });
}

/** The route a way to a gateway leaves by, described, or "" (its last edge routes nothing). */
std::string leaving_route(const model::Network& n, const graph::ForwardingGraph& g, const graph::Path& path) {
  std::string route;
  for (const auto& st : g.edge(path.edges.back()).steps) {
    if (st.kind == StepKind::Route)
      route = model::describe(n.route_tables.at(st.id).routes[static_cast<std::size_t>(st.index)]);
    if (st.kind == StepKind::Route6)
      route = model::describe(n.route_tables.at(st.id).routes6[static_cast<std::size_t>(st.index)]);
    if (st.kind == StepKind::TgwRoute6)
      route = model::describe(
          n.transit_gateway_route_tables.at(st.id).routes6[static_cast<std::size_t>(st.index)]);
    if (st.kind == StepKind::TgwRoute)
      route = model::describe(
          n.transit_gateway_route_tables.at(st.id).routes[static_cast<std::size_t>(st.index)]);
  }
  return route;
}

/** Whether an appliance (an ENI with its source/destination check off) is a route's target, by
 *  an IPv4 or an IPv6 route. */
bool any_appliance(const model::Network& n) {
  for (const auto& [tid, table] : n.route_tables) {
    for (const auto* routes : {&table.routes, &table.routes6}) {
      for (const auto& r : *routes) {
        if (r.blackhole || r.target_kind != model::RouteTargetKind::NetworkInterface) continue;
        const auto* f = model::Network::find(n.network_interfaces, r.target_id);
        if (f && !f->source_dest_check) return true;
      }
    }
  }
  return false;
}

}  // namespace

void Prover::Impl::explain_sources_without_path(Asking& a, const WayEnds& ends) {
  // A path that touches a --not-through resource is no path of this question, but one that has
  // not yet passed a --through resource may still pass it beyond an unfollowed gateway: only the
  // avoided resources restrict where the traffic goes instead.
  const graph::PathConstraints avoiding{{}, a.query.waypoints.not_through};
  ReachResult& out = a.out;
  const auto& [drops, leaves] = ends;
  // Some packet of the space gets along path (one solver per path).
  auto carries = [&](const TrackedBase& base, const graph::Path& path) {
    const std::vector<z3::expr> sbase = begin_path(base, a.query.timeout_ms);
    const EncodedPath ep = paths.encode(path, h);
    const auto lits = load(ep, false);
    return check(sbase, lits, lits.size()).outcome == Outcome::Sat;
  };
  for (auto& src : a.sources) {
    if (has_reason_from(out.reasons, src.member)) continue;
    const TrackedBase base = source_base(a, src);
    // Traffic handed to a gateway vpcprove does not follow is not "dropped" (a transit gateway
    // routes it on): say where it leaves, before any drop elsewhere.
    bool leaves_unfollowed = false;
    const auto up = graph::enumerate_paths(g, src.start, leaves, graph::Mode::Forward, avoiding, 64);
    for (const auto& path : up.paths) {
      if (!carries(base, path)) continue;
      const auto& v = g.vertex(path.end(g.graph()));
      Reason r;
      r.at = v.id;
      r.step = model::to_string(model::HopStep::Leave);
      r.code = model::to_string(model::DropCode::UnfollowedGateway);
      r.detail = unfollowed_gateway_text(v.id, leaving_route(net, g, path));
      r.from_member = src.member;
      r.path = graph::vertex_names(g, path);
      out.reasons.push_back(r);
      leaves_unfollowed = true;
      if (out.reasons.size() > 16) break;
    }
    const auto dp = leaves_unfollowed
                        ? graph::PathSet{}
                        : graph::enumerate_paths(g, src.start, drops, graph::Mode::Forward, avoiding, 64);
    for (const auto& path : dp.paths) {
      if (!carries(base, path)) continue;
      const auto& v = g.vertex(path.end(g.graph()));
      Reason r;
      r.at = v.id;
      r.step = model::to_string(graph::drop_step(v));  // tgw: no attachment subnet in the zone
      r.code = v.code;
      r.detail = "no candidate path; this traffic is dropped at " + v.id;
      const std::string zone = graph::tgw_zone_text(g, boost::source(path.edges.back(), g.graph()), v);
      if (!zone.empty()) r.detail += ": " + zone;
      r.from_member = src.member;
      r.path = graph::vertex_names(g, path);
      out.reasons.push_back(r);
      if (out.reasons.size() > 16) break;
    }
    if (!has_reason_from(out.reasons, src.member)) {
      Reason r;
      r.at = src.member;
      r.step = model::to_string(model::HopStep::Route);
      r.code = model::to_string(model::DropCode::NoPath);
      r.detail = "no forwarding path leads from " + src.member + " to " + a.query.to.text +
                 graph::describe(a.query.waypoints);
      r.from_member = src.member;
      out.reasons.push_back(r);
    }
  }
}

void Prover::Impl::add_assumptions_met(Asking& a, const WayEnds& ends) {
  const graph::PathConstraints avoiding{{}, a.query.waypoints.not_through};  // as above
  const auto& leaves = ends.leaves;
  // Appliances (docs/semantics.md): a proof whose traffic an appliance forwards rests on how it
  // forwards. The edges they forward by leave the routers that send traffic to them: a way to
  // such a router and over that edge (even one that then loops back, as trace's walk also
  // forwards before it stops at the loop) names the appliance.
  std::map<graph::VertexId, std::vector<graph::EdgeId>>
      forwarding;  // router -> edges an appliance forwards by
  if (any_appliance(net)) {
    for (auto [it, end] = boost::edges(g.graph()); it != end; ++it) {
      const auto& steps = g.edge(*it).steps;
      if (std::any_of(steps.begin(), steps.end(),
                      [](const graph::Step& s) { return s.kind == StepKind::EniForward; }))
        forwarding[boost::source(*it, g.graph())].push_back(*it);
    }
  }
  std::set<graph::VertexId> routers;
  for (const auto& [v, edges] : forwarding) routers.insert(v);
  std::set<Id> forwarded_by;  // appliances met, each once
  std::set<Id> assumed;       // gateways, each once
  for (auto& src : a.sources) {
    const TrackedBase base = source_base(a, src);
    // Some packet of the space gets along path: the thing it ends at is met. One solver for
    // the source's few such paths: a fresh one per path cost more than the checks.
    std::optional<std::vector<z3::expr>> sbase;
    auto met = [&](const graph::Path& path) {
      if (!sbase) sbase = begin_path(base, a.query.timeout_ms);
      const EncodedPath ep = paths.encode(path, h);
      const auto lits = load(ep, false);
      return check(*sbase, lits, lits.size()).outcome != Outcome::Unsat;
    };
    const auto lp = graph::enumerate_paths(g, src.start, leaves, graph::Mode::Forward, avoiding, 256);
    for (const auto& path : lp.paths) {
      const Id gw = g.vertex(path.end(g.graph())).id;
      if (!assumed.count(gw) && met(path)) assumed.insert(gw);
    }
    // One router at a time: a path ends at its first target, and a router may be reached only
    // past another one (by that one's other routes), which a search for all at once never sees
    // (the exhaustive tier's seed 1217: an appliance met after the TGW brought the packet back).
    for (const auto router : routers) {
      auto unnamed = [&](graph::EdgeId e) -> const Id* {
        if (!graph::avoids(g, e, avoiding)) return nullptr;  // forwarded by an avoided appliance
        const auto& steps = g.edge(e).steps;
        const Id& f = std::find_if(steps.begin(), steps.end(), [](const graph::Step& s) {
                        return s.kind == StepKind::EniForward;
                      })->id;
        return forwarded_by.count(f) ? nullptr : &f;
      };
      const auto& edges = forwarding.at(router);
      if (std::none_of(edges.begin(), edges.end(), [&](graph::EdgeId e) { return unnamed(e) != nullptr; }))
        continue;
      const auto fp = graph::enumerate_paths(g, src.start, {router}, graph::Mode::Forward, avoiding, 256);
      for (const auto e : edges) {
        const Id* f = unnamed(e);
        if (!f) continue;
        // Too many ways to tell: the appliance may be met, and the proof rests on it (never on
        // a search that stopped short).
        if (fp.truncated) {
          forwarded_by.insert(*f);
          continue;
        }
        for (const auto& path : fp.paths) {
          graph::Path over = path;
          over.edges.push_back(e);
          if (met(over)) {
            forwarded_by.insert(*f);
            break;
          }
        }
      }
    }
  }
  for (const auto& gw : assumed) model::add_assumption(a.out.assumptions, model::unfollowed_gateway(net, gw));
  for (const auto& f : forwarded_by)
    model::add_assumption(a.out.assumptions, appliance(net.network_interfaces.at(f)));
  model::add_assumptions(a.out.assumptions, endpoint_assumptions(net, a.query));
}

}  // namespace vpcprove::queries
