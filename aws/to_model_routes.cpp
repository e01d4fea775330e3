// SPDX-License-Identifier: Apache-2.0
// Route tables and their targets, subnets, and the gateways vpcprove does not follow.
#include <algorithm>
#include <set>
#include <stdexcept>

#include "aws/converter.h"
#include "aws/snapshot_loader.h"
#include "aws/terraform_plan.h"
#include "model/describe.h"
#include "model/drop_code.h"
#include "model/header_fields.h"

namespace vpcprove::aws::conversion {

RouteTargetKind Converter::kind_of_gateway(const std::string& id) {
  if (id == "local") return RouteTargetKind::Local;
  if (starts_with(id, "igw-")) return RouteTargetKind::InternetGateway;
  if (starts_with(id, "vgw-")) return RouteTargetKind::VirtualPrivateGateway;
  if (starts_with(id, "vpce-")) return RouteTargetKind::GatewayEndpoint;
  if (starts_with(id, "eigw-")) return RouteTargetKind::EgressOnlyInternetGateway;
  if (starts_with(id, "nat-")) return RouteTargetKind::NatGateway;
  if (starts_with(id, "tgw-")) return RouteTargetKind::TransitGateway;
  // A gateway a Terraform plan creates is named by its address (aws/terraform_plan.h).
  const auto type = terraform::type_of_address(id);
  if (type == "aws_internet_gateway") return RouteTargetKind::InternetGateway;
  if (type == "aws_nat_gateway") return RouteTargetKind::NatGateway;
  if (type == "aws_vpc_endpoint") return RouteTargetKind::GatewayEndpoint;
  if (type == "aws_egress_only_internet_gateway") return RouteTargetKind::EgressOnlyInternetGateway;
  if (type == "aws_vpn_gateway") return RouteTargetKind::VirtualPrivateGateway;
  if (type == "aws_ec2_transit_gateway") return RouteTargetKind::TransitGateway;
  return RouteTargetKind::Other;
}

std::optional<Converter::Target> Converter::target_of(const Route& r) const {
  if (r.gateway_id) return Target{kind_of_gateway(*r.gateway_id), *r.gateway_id};
  if (r.nat_gateway_id) return Target{RouteTargetKind::NatGateway, *r.nat_gateway_id};
  if (r.network_interface_id) return Target{RouteTargetKind::NetworkInterface, *r.network_interface_id};
  if (r.instance_id) {
    // A route to an instance goes to its primary ENI (AWS prints NetworkInterfaceId too; this
    // covers hand-written snapshots).
    const auto* inst = model::Network::find(n_.instances, *r.instance_id);
    if (inst && !inst->network_interface_ids.empty()) {
      return Target{RouteTargetKind::NetworkInterface, inst->network_interface_ids.front()};
    }
    return Target{RouteTargetKind::NetworkInterface, *r.instance_id};
  }
  if (r.vpc_peering_connection_id) return Target{RouteTargetKind::VpcPeering, *r.vpc_peering_connection_id};
  if (r.transit_gateway_id) return Target{RouteTargetKind::TransitGateway, *r.transit_gateway_id};
  if (r.egress_only_internet_gateway_id) {
    return Target{RouteTargetKind::EgressOnlyInternetGateway, *r.egress_only_internet_gateway_id};
  }
  if (r.carrier_gateway_id) return Target{RouteTargetKind::Other, *r.carrier_gateway_id};
  if (r.local_gateway_id) return Target{RouteTargetKind::Other, *r.local_gateway_id};
  if (r.core_network_arn) return Target{RouteTargetKind::Other, *r.core_network_arn};
  return std::nullopt;
}

std::string Converter::missing_target(const Target& t, const Id& vpc_id) const {
  const std::string absent = t.id + " is not in the snapshot";
  switch (t.kind) {
    case RouteTargetKind::InternetGateway: {
      const auto* g = model::Network::find(n_.internet_gateways, t.id);
      if (!g) return absent;
      if (g->vpc_id != vpc_id) return t.id + " is not attached to " + vpc_id;
      return "";
    }
    case RouteTargetKind::EgressOnlyInternetGateway: {
      const auto* g = model::Network::find(n_.egress_only_internet_gateways, t.id);
      if (!g) return absent;
      if (g->vpc_id != vpc_id) return t.id + " is not attached to " + vpc_id;
      return "";
    }
    case RouteTargetKind::NatGateway:
      return model::Network::find(n_.nat_gateways, t.id) ? "" : absent + " (or not available)";
    case RouteTargetKind::NetworkInterface:
      return model::Network::find(n_.network_interfaces, t.id) ? "" : absent + " (or not running)";
    case RouteTargetKind::VpcPeering:
      return model::Network::find(n_.vpc_peerings, t.id) ? "" : absent + " (or not active)";
    default:
      return "";
  }
}

void Converter::note_opaque(const Id& id, RouteTargetKind kind, const Id& vpc_id) {
  auto& g = opaque_[id];
  if (g.id.empty()) g.kind = kind;  // the first note names what it is (a later route says "other")
  g.id = id;
  if (!vpc_id.empty()) add_unique(g.vpc_ids, vpc_id);
}

int Converter::priority_class(const model::Route& r) {
  if (r.origin == "EnableVgwRoutePropagation") return 2;
  if (r.prefix_list_id) return 1;
  return 0;
}

void Converter::route_tables() {
  for (const auto& t : s_.route_tables) {
    model::RouteTable m;
    m.id = t.route_table_id;
    m.vpc_id = t.vpc_id;
    m.tags = t.tags;
    m.origin = origin(t.source, t.owner_id);
    if (!model::Network::find(n_.vpcs, t.vpc_id)) {
      dangling("route table " + m.id + " -> " + t.vpc_id + ": " + t.vpc_id + " is not in the snapshot",
               t.source.file, m.id);
    }
    for (const auto& r : t.routes) convert_route(t, r, m);
    add_local_routes6(m);
    std::stable_sort(m.routes.begin(), m.routes.end(), [](const model::Route& a, const model::Route& b) {
      if (a.destination.len != b.destination.len) return a.destination.len > b.destination.len;
      return priority_class(a) < priority_class(b);
    });
    std::stable_sort(m.routes6.begin(), m.routes6.end(), [](const model::Route& a, const model::Route& b) {
      if (a.destination6->len != b.destination6->len) return a.destination6->len > b.destination6->len;
      return priority_class(a) < priority_class(b);
    });
    for (const auto& a : t.associations) {
      if (a.main) {
        m.is_main = true;
        if (auto* vpc = find_mut(n_.vpcs, t.vpc_id)) {
          if (vpc->main_route_table_id.empty()) vpc->main_route_table_id = m.id;
        }
      }
      if (a.subnet_id) {
        add_unique(m.subnet_ids, *a.subnet_id);
        subnet_rtb_.emplace(*a.subnet_id, m.id);
        if (!known_subnet(*a.subnet_id)) {
          dangling("route table " + m.id + " association -> " + *a.subnet_id + ": " + *a.subnet_id +
                       " is not in the snapshot",
                   t.source.file, m.id);
        }
      }
      if (a.gateway_id) add_unique(m.gateway_ids, *a.gateway_id);
    }
    n_.route_tables[m.id] = std::move(m);
  }
}

void Converter::add_local_routes6(model::RouteTable& m) const {
  // Every route table has a local route for each IPv6 block of its VPC, whether or not the
  // snapshot prints it: https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html
  const auto* vpc = model::Network::find(n_.vpcs, m.vpc_id);
  if (!vpc) return;
  for (const auto& block : vpc->ipv6_cidrs) {
    const bool listed = std::any_of(m.routes6.begin(), m.routes6.end(), [&](const model::Route& r) {
      return r.target_kind == RouteTargetKind::Local && r.destination6 == block;
    });
    if (listed) continue;
    model::Route local;
    local.destination = Ipv4Prefix{0, 32};
    local.destination6 = block;
    local.target_kind = RouteTargetKind::Local;
    local.target_id = "local";
    local.origin = "CreateRouteTable";
    m.routes6.push_back(std::move(local));
  }
}

void Converter::convert_route(const RouteTable& t, const Route& r, model::RouteTable& m) {
  const std::string dest_text = r.destination_cidr_block        ? r.destination_cidr_block->to_string()
                                : r.destination_ipv6_cidr_block ? r.destination_ipv6_cidr_block->to_string()
                                                                : r.destination_prefix_list_id.value_or("");
  const auto target = target_of(r);
  const Id target_id = target ? target->id : "?";
  const std::string route_name = "route " + t.route_table_id + " " + dest_text + " -> " + target_id;
  if (r.destination_ipv6_cidr_block && !r.destination_cidr_block) {
    // Also kept as text for the answers that still name IPv6 routes as not modelled.
    m.ipv6_routes.push_back(dest_text + " -> " + target_id);
  }

  std::vector<std::pair<Ipv4Prefix, std::optional<Id>>> destinations;
  std::vector<std::pair<Ipv6Prefix, std::optional<Id>>> destinations6;
  if (r.destination_cidr_block) {
    destinations.emplace_back(*r.destination_cidr_block, std::nullopt);
  } else if (r.destination_ipv6_cidr_block) {
    destinations6.emplace_back(*r.destination_ipv6_cidr_block, std::nullopt);
  } else {
    const auto* pl = model::Network::find(n_.prefix_lists, *r.destination_prefix_list_id);
    if (!pl) {
      // Guessing the list's addresses could send traffic where AWS does not; leaving the route
      // out can only make a destination less reachable, so say so.
      dangling(route_name + ": prefix list " + *r.destination_prefix_list_id +
                   " is not in the snapshot; the route is left out (its destinations are unknown)",
               t.source.file, t.route_table_id);
      return;
    }
    for (const auto& c : pl->cidrs) destinations.emplace_back(c, pl->id);
    for (const auto& c : pl->ipv6_cidrs) destinations6.emplace_back(c, pl->id);
  }

  model::Route base;
  base.origin = r.origin;
  base.blackhole = r.state == "blackhole";
  if (!target) {
    n_.diagnostics.unimplemented(
        "unknown-route-target",
        route_name + ": the route names no target vpcprove knows; traffic leaves the model", t.source.file,
        t.route_table_id);
    base.target_kind = RouteTargetKind::Other;
    base.target_id = "unknown";
  } else {
    base.target_kind = target->kind;
    base.target_id = target->id;
  }
  if (base.target_kind == RouteTargetKind::Local) base.target_id = "local";
  bool missing = false;
  if (!base.blackhole && target) {
    if (auto why = missing_target(*target, t.vpc_id); !why.empty()) {
      if (why.rfind(target->id + " is not in the snapshot", 0) == 0) {
        // AWS says the route is active, so its target exists: the snapshot just does not hold
        // it. Where the traffic goes is unknown; the route leaves the model and every proof
        // that traffic meets it names the target (cli-contract.md, silent assumptions).
        dangling(route_name + ": " + why +
                     "; AWS reports the route active, so traffic to it leaves the model (an assumption)",
                 t.source.file, t.route_table_id);
        missing = true;
      } else {
        dangling(route_name + ": " + why + "; the route is a blackhole", t.source.file, t.route_table_id);
        base.blackhole = true;
      }
    }
  }
  if (missing) {
    note_opaque(base.target_id, base.target_kind, t.vpc_id);
    opaque_[base.target_id].missing = true;
    base.target_kind = RouteTargetKind::Other;
  } else if (!base.blackhole && base.target_kind == RouteTargetKind::VpcPeering) {
    // A peering into a VPC the snapshot lacks (another account's, typically): what happens
    // on the far side is unknown, so the route leaves the model and proofs name the peering.
    const auto& p = n_.vpc_peerings.at(base.target_id);
    const Id& far = p.requester_vpc_id == t.vpc_id ? p.accepter_vpc_id : p.requester_vpc_id;
    if (!model::Network::find(n_.vpcs, far)) {
      dangling(route_name + ": the peering's far side " + far +
                   " is not in the snapshot; traffic to it leaves the model (an assumption)",
               t.source.file, t.route_table_id);
      note_opaque(base.target_id, RouteTargetKind::VpcPeering, t.vpc_id);
      base.target_kind = RouteTargetKind::Other;
    }
  }
  if (!base.blackhole) {
    switch (base.target_kind) {
      case RouteTargetKind::TransitGateway:
      case RouteTargetKind::VirtualPrivateGateway:
      case RouteTargetKind::GatewayEndpoint:
      case RouteTargetKind::Other:
        note_opaque(base.target_id, base.target_kind, t.vpc_id);
        break;
      default:
        break;
    }
  }
  for (const auto& [prefix, pl] : destinations) {
    model::Route x = base;
    x.destination = prefix;
    x.prefix_list_id = pl;
    m.routes.push_back(std::move(x));
  }
  for (const auto& [prefix, pl] : destinations6) {
    model::Route x = base;
    x.destination = Ipv4Prefix{0, 32};
    x.destination6 = prefix;
    x.prefix_list_id = pl;
    m.routes6.push_back(std::move(x));
  }
}

void Converter::subnets() {
  if (s_.route_tables.empty() && !s_.subnets.empty()) {
    n_.diagnostics.warn("no-route-tables",
                        "the snapshot has no RouteTables: every packet leaving a subnet is dropped "
                        "(NO_ROUTE_TO_DESTINATION)");
  }
  for (const auto& s : s_.subnets) {
    model::Subnet m;
    m.id = s.subnet_id;
    m.vpc_id = s.vpc_id;
    m.cidr = s.ipv6_only ? Ipv4Prefix{0, 32} : s.cidr_block;
    m.ipv6_only = s.ipv6_only;
    m.ipv6_cidrs = s.ipv6_cidr_blocks;
    m.availability_zone = s.availability_zone;
    m.tags = s.tags;
    m.origin = origin(s.source, s.owner_id, s.availability_zone);
    const auto* vpc = model::Network::find(n_.vpcs, s.vpc_id);
    if (!vpc) {
      dangling("subnet " + m.id + " -> " + s.vpc_id + ": " + s.vpc_id + " is not in the snapshot",
               s.source.file, m.id);
    }
    if (auto it = subnet_rtb_.find(m.id); it != subnet_rtb_.end()) {
      m.route_table_id = it->second;
    } else if (vpc && !vpc->main_route_table_id.empty()) {
      m.route_table_id = vpc->main_route_table_id;
    } else if (!s_.route_tables.empty()) {
      n_.diagnostics.warn(
          "no-route-table",
          m.id +
              " has no route table in the snapshot (no explicit association and no main table "
              "for " +
              s.vpc_id + "): its outgoing traffic is dropped",
          s.source.file, m.id);
    }
    if (auto it = subnet_acl_.find(m.id); it != subnet_acl_.end()) {
      m.nacl_id = it->second;
    } else {
      m.nacl_id = default_acl_.at(s.vpc_id);
    }
    n_.subnets[m.id] = std::move(m);
  }
  for (const auto& [id, eni] : n_.network_interfaces) {
    if (!known_subnet(eni.subnet_id)) {
      dangling(id + " -> " + eni.subnet_id + ": " + eni.subnet_id + " is not in the snapshot",
               eni.origin.file, id);
    }
  }
}

void Converter::opaque_gateways() {
  std::map<Id, const TransitGateway*> tgws;
  for (const auto& t : s_.transit_gateways) {
    note_opaque(t.transit_gateway_id, RouteTargetKind::TransitGateway, "");
    opaque_[t.transit_gateway_id].tags = t.tags;
    opaque_[t.transit_gateway_id].origin = origin(t.source, t.owner_id);
  }
  for (const auto& a : s_.transit_gateway_attachments) {
    if (a.resource_type == "vpc")
      note_opaque(a.transit_gateway_id, RouteTargetKind::TransitGateway, a.resource_id);
  }
  for (const auto& e : s_.vpc_endpoints) {
    if (e.vpc_endpoint_type == "Gateway") {
      gateway_endpoint(e);
    } else if (e.vpc_endpoint_type == "GatewayLoadBalancer") {
      // A Gateway Load Balancer endpoint hands traffic to appliances vpcprove cannot see.
      note_opaque(e.vpc_endpoint_id, RouteTargetKind::GatewayEndpoint, e.vpc_id);
      opaque_[e.vpc_endpoint_id].tags = e.tags;
      opaque_[e.vpc_endpoint_id].origin = origin(e.source, e.owner_id);
    }
  }
  // A followed gateway endpoint is no assumption: routes to it noted it as opaque above.
  for (const auto& [id, e] : n_.gateway_endpoints) opaque_.erase(id);
  for (auto& [id, g] : opaque_) {
    std::sort(g.vpc_ids.begin(), g.vpc_ids.end());
    n_.opaque_gateways[id] = g;
  }
}

void Converter::gateway_endpoint(const VpcEndpoint& e) {
  // https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html: associating a
  // route table with a gateway endpoint adds a route whose destination is the service's
  // AWS-managed prefix list (named after the service) and whose target is the endpoint.
  model::GatewayEndpoint m;
  m.id = e.vpc_endpoint_id;
  m.vpc_id = e.vpc_id;
  m.service_name = e.service_name;
  m.route_table_ids = e.route_table_ids;
  m.tags = e.tags;
  m.origin = origin(e.source, e.owner_id);
  auto take = [&](const model::PrefixList& pl) {
    if (m.prefix_list_id.empty()) m.prefix_list_id = pl.id;
    m.service_cidrs.insert(m.service_cidrs.end(), pl.cidrs.begin(), pl.cidrs.end());
  };
  for (const auto& [id, pl] : n_.prefix_lists) {
    if (!m.service_name.empty() && pl.name == m.service_name) take(pl);
  }
  // The lists its routes use are the service's too (a snapshot may name the list by ID only).
  std::set<Id> used;
  for (const auto& [tid, table] : n_.route_tables) {
    for (const auto& r : table.routes) {
      if (r.target_id == m.id && r.prefix_list_id) used.insert(*r.prefix_list_id);
    }
  }
  for (const auto& id : used) take(n_.prefix_lists.at(id));
  std::sort(m.service_cidrs.begin(), m.service_cidrs.end());
  m.service_cidrs.erase(std::unique(m.service_cidrs.begin(), m.service_cidrs.end()), m.service_cidrs.end());
  if (m.service_cidrs.empty()) {
    dangling("gateway endpoint " + m.id + " (" + m.service_name + "): no prefix list of the snapshot holds " +
                 "the service's addresses, so nothing routed to it reaches the service",
             e.source.file, m.id);
  }
  n_.gateway_endpoints[m.id] = std::move(m);
}

}  // namespace vpcprove::aws::conversion
