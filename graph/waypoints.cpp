// SPDX-License-Identifier: Apache-2.0
#include "graph/waypoints.h"

#include <algorithm>

#include "common/diagnostics.h"

namespace vpcprove::graph {

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

/** The ENIs AWS manages for gateway (a NAT gateway's, an interface or GWLB endpoint's). */
void add_gateway_interfaces(const model::Network& n, const model::Id& gateway, Waypoint& w) {
  for (const auto& [id, e] : n.network_interfaces) {
    if (e.gateway_id && *e.gateway_id == gateway) w.ids.insert(id);
  }
}

/** A route (IPv4 or IPv6) of a VPC route table or of a TGW route table names id as its target. */
bool is_route_target(const model::Network& n, const model::Id& id) {
  auto names = [&](const std::vector<model::Route>& routes) {
    return std::any_of(routes.begin(), routes.end(),
                       [&](const model::Route& r) { return r.target_id == id; });
  };
  for (const auto& [tid, t] : n.route_tables) {
    if (names(t.routes) || names(t.routes6)) return true;
  }
  for (const auto& [tid, t] : n.transit_gateway_route_tables) {
    if (names(t.routes) || names(t.routes6)) return true;
  }
  return false;
}

void add_interface(const model::NetworkInterface& e, Waypoint& w) {
  w.ids.insert(e.id);
  // A NAT gateway's ENI is passed as the NAT gateway (its route lookup and translation name it).
  if (e.gateway_id) w.ids.insert(*e.gateway_id);
}

}  // namespace

bool add_resource(const model::Network& n, const model::Id& id, Waypoint& w) {
  if (const auto* v = model::Network::find(n.vpcs, id)) {
    w.ids.insert(v->id);
    for (const auto& [sid, s] : n.subnets) {
      if (s.vpc_id == id) w.ids.insert(sid);
    }
    for (const auto* e : n.interfaces_in(id)) w.ids.insert(e->id);
    for (const auto& [gid, g] : n.nat_gateways) {
      if (g.vpc_id == id) w.ids.insert(gid);
    }
    for (const auto& [gid, g] : n.internet_gateways) {
      if (g.vpc_id == id) w.ids.insert(gid);
    }
    for (const auto& [tid, t] : n.route_tables) {
      if (t.vpc_id == id) w.ids.insert(tid);
    }
    for (const auto& [aid, a] : n.transit_gateway_attachments) {
      if (a.is_vpc() && a.resource_id == id) w.ids.insert(aid);
    }
    for (const auto& [gid, g] : n.opaque_gateways) {
      if (std::find(g.vpc_ids.begin(), g.vpc_ids.end(), id) != g.vpc_ids.end()) w.ids.insert(gid);
    }
    for (const auto& [gid, e] : n.gateway_endpoints) {
      if (e.vpc_id == id) w.ids.insert(gid);
    }
    return true;
  }
  if (const auto* s = model::Network::find(n.subnets, id)) {
    w.ids.insert(s->id);
    for (const auto& [eid, e] : n.network_interfaces) {
      if (e.subnet_id == id) add_interface(e, w);
    }
    for (const auto& [gid, g] : n.nat_gateways) {
      if (g.subnet_id == id) w.ids.insert(gid);
    }
    return true;
  }
  if (const auto* e = model::Network::find(n.network_interfaces, id)) {
    add_interface(*e, w);
    w.names_interfaces = true;
    return true;
  }
  if (starts_with(id, "i-")) {
    bool any = false;
    for (const auto& [eid, e] : n.network_interfaces) {
      if (e.instance_id && *e.instance_id == id) {
        add_interface(e, w);
        any = true;
      }
    }
    if (any) w.names_interfaces = true;
    return any || model::Network::find(n.instances, id) != nullptr;
  }
  if (const auto* g = model::Network::find(n.nat_gateways, id)) {
    w.ids.insert(g->id);
    if (!g->network_interface_id.empty()) w.ids.insert(g->network_interface_id);
    return true;
  }
  if (const auto* t = model::Network::find(n.transit_gateways, id)) {
    w.ids.insert(t->id);
    w.ids.insert(t->attachment_ids.begin(), t->attachment_ids.end());
    w.ids.insert(t->route_table_ids.begin(), t->route_table_ids.end());
    return true;
  }
  if (model::Network::find(n.internet_gateways, id) || model::Network::find(n.vpc_peerings, id) ||
      model::Network::find(n.transit_gateway_attachments, id) ||
      model::Network::find(n.transit_gateway_route_tables, id) || model::Network::find(n.route_tables, id) ||
      model::Network::find(n.opaque_gateways, id) || model::Network::find(n.gateway_endpoints, id) ||
      is_route_target(n, id)) {
    w.ids.insert(id);
    add_gateway_interfaces(n, id, w);
    return true;
  }
  // An interface or Gateway Load Balancer endpoint no route names is known by its ENIs.
  const std::size_t before = w.ids.size();
  add_gateway_interfaces(n, id, w);
  if (w.ids.size() > before) {
    w.ids.insert(id);
    return true;
  }
  return false;
}

namespace {

/** tag:KEY=VALUE: every VPC, subnet, ENI, gateway, transit gateway and attachment so tagged. */
bool add_tagged(const model::Network& n, const std::string& text, Waypoint& w) {
  const auto eq = text.find('=');
  const std::string key = text.substr(4, eq - 4), value = text.substr(eq + 1);
  bool any = false;
  auto each = [&](const auto& map) {
    for (const auto& [id, x] : map) {
      const auto it = x.tags.find(key);
      if (it != x.tags.end() && it->second == value) any = add_resource(n, id, w) || any;
    }
  };
  each(n.vpcs);
  each(n.subnets);
  each(n.network_interfaces);
  each(n.nat_gateways);
  each(n.internet_gateways);
  each(n.transit_gateways);
  each(n.transit_gateway_attachments);
  return any;
}

}  // namespace

Waypoint resolve_waypoint(const model::Network& network, const std::string& text) {
  Waypoint w;
  w.text = text;
  if (text.rfind("tag:", 0) == 0) {
    // A tag no resource carries stands for nothing, as a tag selector with no member does: no path
    // passes it, every path avoids it (a spec of tag conventions runs on any snapshot).
    if (text.find('=') == std::string::npos || text.find('=') == 4)
      throw InputError("", text, "expected tag:KEY=VALUE");
    add_tagged(network, text, w);
    return w;
  }
  if (text.empty() || !add_resource(network, text, w)) {
    throw InputError("", text,
                     "no VPC, subnet, ENI, instance, gateway, peering, transit gateway, attachment or route "
                     "table of that ID in the snapshot");
  }
  return w;
}

bool PathConstraints::names_interfaces() const {
  auto named = [](const Waypoint& w) { return w.names_interfaces; };
  return std::any_of(through.begin(), through.end(), named) ||
         std::any_of(not_through.begin(), not_through.end(), named);
}

bool touches(const ForwardingGraph& g, VertexId v, const Waypoint& w) {
  const Vertex& x = g.vertex(v);
  return w.ids.count(x.id) > 0 || (!x.aux.empty() && w.ids.count(x.aux) > 0);
}

bool touches(const ForwardingGraph& g, EdgeId e, const Waypoint& w) {
  for (const auto& s : g.edge(e).steps) {
    if (w.ids.count(s.id) > 0 || (!s.aux.empty() && w.ids.count(s.aux) > 0)) return true;
  }
  return touches(g, boost::target(e, g.graph()), w);
}

bool passes(const ForwardingGraph& g, VertexId start, const std::vector<EdgeId>& edges, const Waypoint& w) {
  if (touches(g, start, w)) return true;
  return std::any_of(edges.begin(), edges.end(), [&](EdgeId e) { return touches(g, e, w); });
}

bool avoids(const ForwardingGraph& g, VertexId v, const PathConstraints& c) {
  return std::none_of(c.not_through.begin(), c.not_through.end(),
                      [&](const Waypoint& w) { return touches(g, v, w); });
}

bool avoids(const ForwardingGraph& g, EdgeId e, const PathConstraints& c) {
  return std::none_of(c.not_through.begin(), c.not_through.end(),
                      [&](const Waypoint& w) { return touches(g, e, w); });
}

std::string describe(const PathConstraints& c) {
  std::string out;
  auto list = [](const std::vector<Waypoint>& ws) {
    std::string s;
    for (const auto& w : ws) s += (s.empty() ? "" : ", ") + w.text;
    return s;
  };
  if (!c.through.empty()) out += " through " + list(c.through);
  if (!c.not_through.empty())
    out += std::string(out.empty() ? "" : ";") + " not through " + list(c.not_through);
  return out;
}

}  // namespace vpcprove::graph
