// SPDX-License-Identifier: Apache-2.0
// Builds the forwarding graph from the model, one edge per step of docs/semantics.md.
#include "graph/forwarding_graph.h"

#include <algorithm>
#include <tuple>

#include "common/hash.h"
#include "model/drop_code.h"

namespace vpcprove::graph {

using model::Id;
using model::RouteTargetKind;

const char* to_string(VertexKind kind) {
  switch (kind) {
    case VertexKind::EniOut:
      return "eni-out";
    case VertexKind::Router:
      return "router";
    case VertexKind::IgwOut:
      return "igw-out";
    case VertexKind::IgwIn:
      return "igw-in";
    case VertexKind::NatReverse:
      return "nat-reverse";
    case VertexKind::PcxIn:
      return "pcx-in";
    case VertexKind::SubnetIn:
      return "subnet-in";
    case VertexKind::TgwIn:
      return "tgw-in";
    case VertexKind::Internet:
      return "internet";
    case VertexKind::Delivered:
      return "delivered";
    case VertexKind::ExitsInternet:
      return "exits-internet";
    case VertexKind::ExitsUnmodelled:
      return "exits-unmodelled";
    case VertexKind::Dropped:
      return "dropped";
    case VertexKind::AwsService:
      return "aws-service";
    case VertexKind::GatewayEndpoint:
      return "gateway-endpoint";
    case VertexKind::EndpointReply:
      return "endpoint-reply";
  }
  return "dropped";
}

const char* to_string(StepKind kind) {
  switch (kind) {
    case StepKind::SgEgress:
      return "sg-egress";
    case StepKind::SgIngress:
      return "sg-ingress";
    case StepKind::NaclEgress:
      return "nacl-egress";
    case StepKind::NaclIngress:
      return "nacl-ingress";
    case StepKind::Route:
      return "route";
    case StepKind::Route6:
      return "route6";
    case StepKind::NoRoute:
      return "no-route";
    case StepKind::OwnsDst:
      return "owns-dst";
    case StepKind::Deliver:
      return "deliver";
    case StepKind::IgwEgress:
      return "igw-egress";
    case StepKind::EigwEgress:
      return "eigw-egress";
    case StepKind::NotSnapshotPublic:
      return "not-snapshot-public";
    case StepKind::Exit:
      return "exit";
    case StepKind::IgwIngress:
      return "igw-ingress";
    case StepKind::EigwIngress:
      return "eigw-ingress";
    case StepKind::NatProtocol:
      return "nat-protocol";
    case StepKind::NatTranslate:
      return "nat";
    case StepKind::Nat64Leave:
      return "nat64-leave";
    case StepKind::NatReverse:
      return "nat-reverse";
    case StepKind::NatAddressed:
      return "nat-addressed";
    case StepKind::PcxCheck:
      return "pcx-check";
    case StepKind::Pcx:
      return "pcx";
    case StepKind::SourceDestCheck:
      return "source-dest-check";
    case StepKind::EniForward:
      return "eni-forward";
    case StepKind::Leave:
      return "leave";
    case StepKind::Active:
      return "eni-state";
    case StepKind::AwsService:
      return "aws-service";
    case StepKind::NotAwsService:
      return "not-aws-service";
    case StepKind::TgwArrive:
      return "tgw-arrive";
    case StepKind::TgwRoute:
      return "tgw-route";
    case StepKind::TgwRoute6:
      return "tgw-route6";
    case StepKind::TgwNoRoute:
      return "tgw-no-route";
    case StepKind::TgwEnter:
      return "tgw-enter";
    case StepKind::VpceSource:
      return "vpce-source";
    case StepKind::VpceService:
      return "vpce";
    case StepKind::NotVpceSource:
      return "not-vpce-source";
    case StepKind::NotVpceService:
      return "not-vpce-service";
  }
  return "?";
}

model::HopStep hop_step(StepKind k) {
  using model::HopStep;
  switch (k) {
    case StepKind::SgEgress:
      return HopStep::SgEgress;
    case StepKind::SgIngress:
      return HopStep::SgIngress;
    case StepKind::NaclEgress:
      return HopStep::NaclEgress;
    case StepKind::NaclIngress:
      return HopStep::NaclIngress;
    case StepKind::Route:
    case StepKind::Route6:
    case StepKind::NoRoute:
    case StepKind::TgwRoute:
    case StepKind::TgwRoute6:
    case StepKind::TgwNoRoute:
      return HopStep::Route;
    case StepKind::TgwArrive:
    case StepKind::TgwEnter:
      return HopStep::Tgw;
    case StepKind::OwnsDst:
    case StepKind::Deliver:
      return HopStep::Deliver;
    case StepKind::IgwEgress:
    case StepKind::EigwEgress:
    case StepKind::NotSnapshotPublic:
      return HopStep::IgwEgress;
    case StepKind::Exit:
      return HopStep::Exit;
    case StepKind::IgwIngress:
    case StepKind::EigwIngress:
      return HopStep::IgwIngress;
    case StepKind::NatProtocol:
    case StepKind::NatTranslate:
    case StepKind::NatReverse:
    case StepKind::NatAddressed:
      return HopStep::Nat;
    case StepKind::PcxCheck:
    case StepKind::Pcx:
      return HopStep::Pcx;
    case StepKind::SourceDestCheck:
    case StepKind::EniForward:
      return HopStep::EniForward;
    case StepKind::Leave:
    case StepKind::Nat64Leave:
      return HopStep::Leave;
    case StepKind::Active:
      return HopStep::EniState;
    case StepKind::AwsService:
    case StepKind::NotAwsService:
      return HopStep::AwsService;
    case StepKind::VpceSource:
    case StepKind::VpceService:
    case StepKind::NotVpceSource:
    case StepKind::NotVpceService:
      return HopStep::GatewayEndpoint;
  }
  return HopStep::Route;
}

namespace {

void sort_distinct(std::vector<Id>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

/** The ENIs that get vertices, in ID order (the order of network_interfaces). */
std::vector<const model::NetworkInterface*> enis_in(const model::Network& n, const EniScope& scope) {
  std::vector<const model::NetworkInterface*> out;
  if (scope.is_every()) {
    out.reserve(n.network_interfaces.size());
    for (const auto& [id, eni] : n.network_interfaces) out.push_back(&eni);
    return out;
  }
  std::vector<Id> ids = scope.enis();
  // And every ENI a route sends traffic to, by an IPv4 or an IPv6 route: a route edge leads to
  // the target's vertices, which must exist.
  for (const auto& [tid, table] : n.route_tables) {
    for (const auto* routes : {&table.routes, &table.routes6}) {
      for (const auto& r : *routes) {
        if (r.target_kind == RouteTargetKind::NetworkInterface) ids.push_back(r.target_id);
      }
    }
  }
  sort_distinct(ids);
  for (const auto& id : ids) {
    if (const auto* eni = model::Network::find(n.network_interfaces, id)) out.push_back(eni);
  }
  return out;
}

}  // namespace

EniScope EniScope::only(std::vector<model::Id> enis) {
  EniScope s;
  s.every_ = false;
  sort_distinct(enis);
  s.enis_ = std::move(enis);
  return s;
}

ForwardingGraph::ForwardingGraph(const model::Network& network, const EniScope& scope) : network_(&network) {
  const auto& n = network;
  const std::vector<const model::NetworkInterface*> enis = enis_in(n, scope);
  internet_ = add(VertexKind::Internet, "internet");
  exits_internet_ = add(VertexKind::ExitsInternet, "internet");
  for (const auto service : model::kAwsServices) {
    aws_services_.push_back(add(VertexKind::AwsService, model::to_string(service)));
  }
  eni_out_.reserve(enis.size());
  delivered_.reserve(enis.size());
  for (const auto* eni : enis) {
    eni_out_[eni->id] = add(VertexKind::EniOut, eni->id);
    delivered_[eni->id] = add(VertexKind::Delivered, eni->id);
  }
  // A subnet's route lookup is entered only by its ENIs leaving: a scoped graph needs the
  // lookups of its ENIs' subnets alone.
  std::vector<const model::Subnet*> senders;
  if (scope.is_every()) {
    for (const auto& [id, subnet] : n.subnets) senders.push_back(&subnet);
  } else {
    std::vector<Id> ids;
    for (const auto* eni : enis) ids.push_back(eni->subnet_id);
    sort_distinct(ids);
    for (const auto& id : ids) {
      if (const auto* subnet = model::Network::find(n.subnets, id)) senders.push_back(subnet);
    }
  }
  for (const auto* subnet : senders) {
    subnet_router_[subnet->id] = add(VertexKind::Router, subnet->id, subnet->route_table_id);
  }
  // Arriving in a subnet by the local route: the ENI's own checks, then delivery.
  {
    std::unordered_map<std::pair<Id, Id>, VertexId, StringPairHash> by_subnet;
    std::vector<std::pair<Id, Id>> order;  // (VPC, subnet), sorted below: edges in subnet order
    for (const auto* eni : enis) {
      auto [it, fresh] = by_subnet.try_emplace({eni->vpc_id, eni->subnet_id});
      if (fresh) {
        it->second = add(VertexKind::SubnetIn, eni->subnet_id, eni->vpc_id);
        order.push_back(it->first);
      }
      const Id& id = eni->id;
      // An inactive ENI's edges carry Active (never true), so that reasons name its state.
      std::vector<Step> in{{StepKind::OwnsDst, id}};
      if (!eni->live()) in.push_back({StepKind::Active, id});
      in.insert(in.end(), {{StepKind::SgIngress, id}, {StepKind::Deliver, id}});
      add_edge(it->second, delivered_[id], std::move(in));
    }
    std::sort(order.begin(), order.end());
    for (const auto& key : order) subnet_in_[key.first].emplace_back(key.second, by_subnet.at(key));
  }
  for (const auto& [id, nat] : n.nat_gateways) {
    const auto* sn = model::Network::find(n.subnets, nat.subnet_id);
    nat_router_[id] = add(VertexKind::Router, id, sn ? sn->route_table_id : Id{});
    nat_reverse_[id] = add(VertexKind::NatReverse, id);
  }
  // A gateway endpoint hands packets to its service; the service's answer comes back into the
  // VPC by the local route (trace: from_gateway_endpoint), so its reply walks start there.
  for (const auto& [id, e] : n.gateway_endpoints) {
    gateway_endpoints_[id] = add(VertexKind::GatewayEndpoint, id);
    endpoint_replies_[id] = add(VertexKind::EndpointReply, id, e.vpc_id);
  }
  for (const auto& [id, igw] : n.internet_gateways) igw_out_[id] = add(VertexKind::IgwOut, id);
  // An egress-only gateway's IPv6 leaves as through an internet gateway (trace:
  // beyond_gateway6); only replies come back in, delivered in its VPC (enter_from_internet6).
  for (const auto& [id, eigw] : n.egress_only_internet_gateways) {
    igw_out_[id] = add(VertexKind::IgwOut, id);
    eigw_in_[id] = add(VertexKind::IgwIn, id, eigw.vpc_id);
  }
  // Ingress goes through the gateway the destination's VPC names (trace: vpc->internet_gateway_id).
  for (const auto& [id, vpc] : n.vpcs) {
    if (vpc.internet_gateway_id)
      igw_in_[*vpc.internet_gateway_id] = add(VertexKind::IgwIn, *vpc.internet_gateway_id, id);
  }

  // Leaving an ENI: the AWS services answer it unfiltered (trace: aws_service); everything
  // else passes its security groups, then the route lookup of its subnet.
  for (const auto* eni : enis) {
    for (std::size_t k = 0; k < aws_services_.size(); ++k) {
      std::vector<Step> steps;
      if (!eni->live()) steps.push_back({StepKind::Active, eni->id});  // an inactive ENI sends nothing
      steps.push_back({StepKind::AwsService, eni->id, -1, model::to_string(model::kAwsServices[k])});
      add_edge(eni_out_[eni->id], aws_services_[k], std::move(steps));
    }
    auto r = subnet_router_.find(eni->subnet_id);
    if (r == subnet_router_.end()) continue;  // in no known subnet: nothing leaves
    std::vector<Step> out;
    if (!eni->live()) out.push_back({StepKind::Active, eni->id});
    out.push_back({StepKind::NotAwsService, eni->id});
    out.push_back({StepKind::SgEgress, eni->id});
    add_edge(eni_out_[eni->id], r->second, std::move(out));
  }
  for (const auto* subnet : senders) {
    add_router_edges(subnet_router_[subnet->id], Sender{subnet->id, subnet->vpc_id, subnet, nullptr},
                     model::Network::find(n.route_tables, subnet->route_table_id));
  }
  // NAT gateways forward like an ENI of their subnet without security groups; replies that
  // reach a NAT gateway are translated back and routed the same way.
  for (const auto& [id, nat] : n.nat_gateways) {
    const auto* sn = model::Network::find(n.subnets, nat.subnet_id);
    add_edge(nat_reverse_[id], nat_router_[id], {{StepKind::NatReverse, id}}, /*reply_only=*/true);
    if (!sn) {
      add_edge(nat_router_[id],
               add(VertexKind::Dropped, id, {}, model::to_string(model::DropCode::NoRouteToDestination)),
               {{StepKind::NoRoute, ""}});
      continue;
    }
    add_router_edges(nat_router_[id], Sender{id, nat.vpc_id, sn, &nat},
                     model::Network::find(n.route_tables, sn->route_table_id));
  }

  // Internet gateways: out to the internet, or through it back in by an internet gateway. The
  // internet vertex is that hub, so gateways x gateways edges become gateways + gateways; a walk
  // may cross it again after an igw-ingress, which starts a new epoch (graph/paths.h).
  for (const auto& [gid, out] : igw_out_) {
    add_edge(out, exits_internet_, {{StepKind::NotSnapshotPublic}, {StepKind::Exit, gid}});
    add_edge(out, internet_, {});
  }
  std::vector<std::tuple<Id, Id, const model::RouteTable*>> edge_tables;  // gateway, VPC, table
  for (const auto& [gid, in] : igw_in_) {
    const Id vpc_id = g_[in].aux;  // a copy: adding vertices below reallocates the vertex storage
    const model::RouteTable* edge_table = nullptr;
    for (const auto& [tid, table] : n.route_tables) {
      if (std::find(table.gateway_ids.begin(), table.gateway_ids.end(), gid) != table.gateway_ids.end()) {
        edge_table = &table;
        break;
      }
    }
    if (!edge_table) {
      add_local_delivery(in, vpc_id, "", {});
      continue;
    }
    // Ingress routing: the edge-associated table decides, with the gateway as the sender.
    const VertexId router = add(VertexKind::Router, gid, edge_table->id);
    edge_router_[gid] = router;
    add_edge(in, router, {});
    edge_tables.emplace_back(gid, vpc_id, edge_table);
  }
  for (const auto& [gid, vpc_id, table] : edge_tables) {
    add_router_edges(edge_router_.at(gid), Sender{gid, vpc_id, nullptr, nullptr}, table);
  }
  for (const auto& [id, in] : eigw_in_) add_local_delivery(in, g_[in].aux, "", {});
  for (const auto& [id, in] : endpoint_replies_) add_local_delivery(in, g_[in].aux, "", {});
  add_ingress_edges(internet_);
  finish_tgw();
}

VertexId ForwardingGraph::start(const Id& eni_id) const {
  const auto& eni = network_->network_interfaces.at(eni_id);
  if (eni.kind == model::InterfaceKind::NatGateway && eni.gateway_id) {
    auto it = nat_router_.find(*eni.gateway_id);
    if (it != nat_router_.end()) return it->second;
  }
  return eni_out_.at(eni_id);
}

void ForwardingGraph::add_ingress_edges(VertexId from) {
  const auto& n = *network_;
  for (const auto& [gid, in] : igw_in_) add_edge(from, in, {{StepKind::IgwIngress, gid}});
  // Where the VPC has no internet gateway a first packet stops at the egress-only one (trace:
  // EIGW_INBOUND_NOT_ALLOWED): its edge stays for the reason to name, the step refusing it.
  // Elsewhere first packets enter by the internet gateway and the edge is for replies only.
  for (const auto& [id, in] : eigw_in_) {
    const auto* vpc = model::Network::find(n.vpcs, g_[in].aux);
    add_edge(from, in, {{StepKind::EigwIngress, id}}, /*reply_only=*/vpc && vpc->internet_gateway_id);
  }
  // Only a reply gets in to a NAT gateway's public IP (the binding is checked at NatReverse).
  // Where the gateway has an edge table, that table routes it (trace: enter_nat_from_internet),
  // and its local route reaches the NAT's ENI by add_local_delivery's NatAddressed edge.
  for (const auto& [id, nat] : n.nat_gateways) {
    const auto* vpc = model::Network::find(n.vpcs, nat.vpc_id);
    if (!nat.public_ip || !vpc || !vpc->internet_gateway_id) continue;
    std::vector<Step> steps{{StepKind::IgwIngress, *vpc->internet_gateway_id, -1, id}};
    if (auto edge = edge_router_.find(*vpc->internet_gateway_id); edge != edge_router_.end()) {
      add_edge(from, edge->second, steps, /*reply_only=*/true);
      continue;
    }
    if (n.subnets.count(nat.subnet_id)) steps.push_back({StepKind::NaclIngress, nat.subnet_id});
    add_edge(from, nat_reverse_[id], steps, /*reply_only=*/true);
  }
}

VertexId ForwardingGraph::add(VertexKind kind, Id id, Id aux, std::string code) {
  if (kind == VertexKind::Dropped) {
    auto key = std::make_pair(id, code);
    auto it = dropped_.find(key);
    if (it != dropped_.end()) return it->second;
    auto v = boost::add_vertex(Vertex{kind, std::move(id), std::move(aux), code}, g_);
    dropped_[key] = v;
    return v;
  }
  return boost::add_vertex(Vertex{kind, std::move(id), std::move(aux), std::move(code)}, g_);
}

VertexId ForwardingGraph::leave_vertex(const Id& gateway_id) {
  auto it = leave_.find(gateway_id);
  if (it == leave_.end()) it = leave_.emplace(gateway_id, add(VertexKind::ExitsUnmodelled, gateway_id)).first;
  return it->second;
}

void ForwardingGraph::add_edge(VertexId from, VertexId to, std::vector<Step> steps, bool reply_only) {
  boost::add_edge(from, to, Edge{std::move(steps), reply_only}, g_);
}

bool ForwardingGraph::is_terminal(VertexId v) const {
  switch (g_[v].kind) {
    case VertexKind::Delivered:
    case VertexKind::ExitsInternet:
    case VertexKind::ExitsUnmodelled:
    case VertexKind::Dropped:
    case VertexKind::AwsService:
    case VertexKind::GatewayEndpoint:
      return true;
    default:
      return false;
  }
}

std::string ForwardingGraph::name(VertexId v) const {
  const Vertex& x = g_[v];
  switch (x.kind) {
    case VertexKind::Internet:
    case VertexKind::ExitsInternet:
      return "internet";
    case VertexKind::Dropped:
      return x.id + " (" + x.code + ")";
    case VertexKind::Router:
      return x.aux.empty() ? x.id : x.aux;
    default:
      return x.id;
  }
}

void ForwardingGraph::add_local_delivery(VertexId from, const Id& vpc_id, const Id& from_subnet,
                                         const std::vector<Step>& prefix) {
  const auto& n = *network_;
  // NACLs run unless source and destination share a subnet (from_subnet "" : from outside).
  auto nacls = [&](std::vector<Step>& steps, const Id& to_subnet) {
    if (!from_subnet.empty() && from_subnet == to_subnet) return;
    if (!from_subnet.empty()) steps.push_back({StepKind::NaclEgress, from_subnet});
    steps.push_back({StepKind::NaclIngress, to_subnet});
  };
  if (auto in = subnet_in_.find(vpc_id); in != subnet_in_.end()) {
    for (const auto& [subnet_id, v] : in->second) {
      std::vector<Step> steps = prefix;
      nacls(steps, subnet_id);
      add_edge(from, v, std::move(steps));
    }
  }
  // Replies addressed to a NAT gateway of this VPC go back through its translation.
  for (const auto& [id, nat] : n.nat_gateways) {
    if (nat.vpc_id != vpc_id || !n.subnets.count(nat.subnet_id)) continue;
    std::vector<Step> steps = prefix;
    nacls(steps, nat.subnet_id);
    steps.push_back({StepKind::NatAddressed, id});
    add_edge(from, nat_reverse_[id], std::move(steps), /*reply_only=*/true);
  }
}

void ForwardingGraph::add_router_edges(VertexId from, const Sender& s, const model::RouteTable* table) {
  if (!table) {
    add_edge(from,
             add(VertexKind::Dropped, s.subnet ? s.subnet->id : s.node, {},
                 model::to_string(model::DropCode::NoRouteToDestination)),
             {{StepKind::NoRoute, ""}});
    return;
  }
  for (int i = 0; i < static_cast<int>(table->routes.size()); ++i)
    add_route_target(from, s, *table, i, false);
  for (int i = 0; i < static_cast<int>(table->routes6.size()); ++i)
    add_route_target(from, s, *table, i, true);
  add_edge(from,
           add(VertexKind::Dropped, table->id, {}, model::to_string(model::DropCode::NoRouteToDestination)),
           {{StepKind::NoRoute, table->id}});
}

void ForwardingGraph::add_route_target(VertexId from, const Sender& s, const model::RouteTable& table,
                                       int index, bool ipv6) {
  const auto& n = *network_;
  const model::Route& route = (ipv6 ? table.routes6 : table.routes)[static_cast<std::size_t>(index)];
  std::vector<Step> steps{{ipv6 ? StepKind::Route6 : StepKind::Route, table.id, index}};
  auto drop = [&](const Id& at, const std::string& code) {
    add_edge(from, add(VertexKind::Dropped, at, {}, code), steps);
  };
  if (route.blackhole) return drop(table.id, model::to_string(model::DropCode::BadStateRoute));
  if (route.target_kind == RouteTargetKind::Local) {
    add_local_delivery(from, s.vpc_id, s.subnet ? s.subnet->id : Id{}, steps);
    return;
  }
  if (s.subnet) steps.push_back({StepKind::NaclEgress, s.subnet->id});
  switch (route.target_kind) {
    case RouteTargetKind::Local:
      return;
    case RouteTargetKind::InternetGateway: {
      const auto* igw = model::Network::find(n.internet_gateways, route.target_id);
      if (!igw || igw->vpc_id != s.vpc_id)
        return drop(route.target_id, model::to_string(model::DropCode::BadStateRoute));
      steps.push_back({StepKind::IgwEgress, route.target_id, -1, s.nat ? s.nat->id : Id{}});
      add_edge(from, igw_out_[route.target_id], steps);
      return;
    }
    case RouteTargetKind::NatGateway: {
      const auto* nat = model::Network::find(n.nat_gateways, route.target_id);
      if (!nat) return drop(route.target_id, model::to_string(model::DropCode::BadStateRoute));
      if (ipv6) {
        // NAT64 (trace: nat64): TCP and UDP become IPv4 (NatTranslate reads the family), what
        // else goes to 64:ff9b::/96 leaves the model.
        auto unmodelled = steps;
        unmodelled.push_back({StepKind::Nat64Leave, nat->id});
        add_edge(from, leave_vertex(nat->id), std::move(unmodelled));
      }
      steps.push_back({StepKind::NatProtocol, nat->id});
      const bool known_subnet = n.subnets.count(nat->subnet_id) > 0;
      if (known_subnet && (!s.subnet || s.subnet->id != nat->subnet_id)) {
        steps.push_back({StepKind::NaclIngress, nat->subnet_id});
      }
      steps.push_back({StepKind::NatTranslate, nat->id});
      add_edge(from, nat_router_[nat->id], steps);
      return;
    }
    case RouteTargetKind::NetworkInterface: {
      const auto* f = model::Network::find(n.network_interfaces, route.target_id);
      if (!f) return drop(route.target_id, model::to_string(model::DropCode::BadStateRoute));
      if (!f->live()) steps.push_back({StepKind::Active, f->id});
      if (n.subnets.count(f->subnet_id) && (!s.subnet || s.subnet->id != f->subnet_id)) {
        steps.push_back({StepKind::NaclIngress, f->subnet_id});
      }
      steps.push_back({StepKind::SgIngress, f->id});
      // The appliance itself may be the destination (trace delivers it there).
      auto to_f = steps;
      to_f.push_back({StepKind::OwnsDst, f->id});
      to_f.push_back({StepKind::Deliver, f->id});
      add_edge(from, delivered_[f->id], to_f);
      steps.push_back({StepKind::SourceDestCheck, f->id});
      steps.push_back({StepKind::EniForward, f->id});
      add_edge(from, eni_out_[f->id], steps);
      return;
    }
    case RouteTargetKind::VpcPeering: {
      const auto* p = model::Network::find(n.vpc_peerings, route.target_id);
      if (!p || (p->requester_vpc_id != s.vpc_id && p->accepter_vpc_id != s.vpc_id)) {
        return drop(route.target_id, model::to_string(model::DropCode::BadStateRoute));
      }
      const Id far = p->requester_vpc_id == s.vpc_id ? p->accepter_vpc_id : p->requester_vpc_id;
      steps.push_back({StepKind::PcxCheck, p->id, -1, s.vpc_id});
      steps.push_back({StepKind::Pcx, p->id});
      auto key = std::make_pair(p->id, far);
      auto it = pcx_in_.find(key);
      if (it == pcx_in_.end()) {
        it = pcx_in_.emplace(key, add(VertexKind::PcxIn, p->id, far)).first;
        // Peering is not transitive: what crosses is only ever delivered locally.
        add_local_delivery(it->second, far, "", {});
      }
      add_edge(from, it->second, steps);
      return;
    }
    case RouteTargetKind::EgressOnlyInternetGateway: {
      if (!ipv6) return drop(route.target_id, model::to_string(model::DropCode::NoRouteToDestination));
      const auto* eigw = model::Network::find(n.egress_only_internet_gateways, route.target_id);
      if (!eigw || eigw->vpc_id != s.vpc_id)
        return drop(route.target_id, model::to_string(model::DropCode::BadStateRoute));
      steps.push_back({StepKind::EigwEgress, eigw->id});
      add_edge(from, igw_out_[eigw->id], steps);
      return;
    }
    case RouteTargetKind::TransitGateway:
      if (const auto* att = n.tgw_vpc_attachment(route.target_id, s.vpc_id)) {
        add_tgw_edges(from, s, *att, std::move(steps));
        return;
      }
      // A TGW the snapshot does not describe, or no attachment of this VPC: not followed.
      steps.push_back({StepKind::Leave, route.target_id});
      add_edge(from, leave_vertex(route.target_id), steps);
      return;
    case RouteTargetKind::GatewayEndpoint:
      // Followed for IPv4 (trace: gateway_endpoint); IPv6, or a GWLB endpoint, leaves the model.
      if (auto it = gateway_endpoints_.find(route.target_id); it != gateway_endpoints_.end() && !ipv6) {
        if (n.gateway_endpoints.at(route.target_id).vpc_id != s.vpc_id)
          return drop(route.target_id, model::to_string(model::DropCode::BadStateRoute));
        // The drops trace makes there, for reasons to name where such traffic goes instead.
        auto not_vpc = steps;
        not_vpc.push_back({StepKind::NotVpceSource, route.target_id});
        add_edge(from,
                 add(VertexKind::Dropped, route.target_id, {},
                     model::to_string(model::DropCode::VpceRequiresSourceInVpcCidr)),
                 std::move(not_vpc));
        steps.push_back({StepKind::VpceSource, route.target_id});
        auto not_service = steps;
        not_service.push_back({StepKind::NotVpceService, route.target_id});
        add_edge(from,
                 add(VertexKind::Dropped, route.target_id, {},
                     model::to_string(model::DropCode::VpceDestinationNotInService)),
                 std::move(not_service));
        steps.push_back({StepKind::VpceService, route.target_id});
        add_edge(from, it->second, steps);
        return;
      }
      steps.push_back({StepKind::Leave, route.target_id});
      add_edge(from, leave_vertex(route.target_id), steps);
      return;
    case RouteTargetKind::TransitGatewayAttachment:  // only in TGW route tables
    case RouteTargetKind::VirtualPrivateGateway:
    case RouteTargetKind::Other: {
      steps.push_back({StepKind::Leave, route.target_id});
      add_edge(from, leave_vertex(route.target_id), steps);
      return;
    }
  }
}

// Transit gateways (trace: to_transit_gateway, at_transit_gateway). The TGW's vertices are made
// on demand from the routes that reach them, so a scoped graph holds only the ones its ENIs use.

void ForwardingGraph::add_tgw_edges(VertexId from, const Sender& s,
                                    const model::TransitGatewayAttachment& att, std::vector<Step> steps) {
  const auto& n = *network_;
  const std::string zone = s.subnet ? s.subnet->availability_zone : std::string();
  const auto* via = n.tgw_subnet_in_zone(att, zone);
  if (!via) {
    add_edge(
        from,
        add(VertexKind::Dropped, att.id, {}, model::to_string(model::DropCode::TgwAttachmentAzRestriction)),
        std::move(steps));
    return;
  }
  steps.push_back({StepKind::NaclIngress, via->id});
  steps.push_back({StepKind::TgwArrive, att.id, -1, zone});
  add_edge(from, tgw_in(att.id, zone), std::move(steps));
}

VertexId ForwardingGraph::tgw_in(const Id& att_id, const std::string& zone) {
  auto key = std::make_pair(att_id, zone);
  auto it = tgw_in_.find(key);
  if (it != tgw_in_.end()) return it->second;
  const VertexId v = add(VertexKind::TgwIn, att_id, zone);
  tgw_in_.emplace(key, v);
  tgw_in_todo_.push_back(key);
  return v;
}

VertexId ForwardingGraph::tgw_entry(const model::TransitGatewayAttachment& att, const model::Subnet& subnet) {
  auto key = std::make_pair(att.id, subnet.id);
  auto it = tgw_entry_.find(key);
  if (it != tgw_entry_.end()) return it->second;
  const VertexId v = add(VertexKind::Router, att.id, subnet.route_table_id);
  tgw_entry_.emplace(key, v);
  tgw_entry_todo_.push_back(key);
  return v;
}

void ForwardingGraph::finish_tgw() {
  const auto& n = *network_;
  while (!tgw_in_todo_.empty() || !tgw_entry_todo_.empty()) {
    if (!tgw_entry_todo_.empty()) {
      const auto [att_id, subnet_id] = tgw_entry_todo_.back();
      tgw_entry_todo_.pop_back();
      const auto& att = n.transit_gateway_attachments.at(att_id);
      const auto& subnet = n.subnets.at(subnet_id);
      add_router_edges(tgw_entry_.at({att_id, subnet_id}), Sender{att.id, att.resource_id, &subnet, nullptr},
                       model::Network::find(n.route_tables, subnet.route_table_id));
      continue;
    }
    const auto [att_id, zone] = tgw_in_todo_.back();
    tgw_in_todo_.pop_back();
    const VertexId v = tgw_in_.at({att_id, zone});
    const auto& from = n.transit_gateway_attachments.at(att_id);
    const auto* rtb = model::Network::find(n.transit_gateway_route_tables, from.route_table_id);
    if (!rtb) {
      add_edge(v,
               add(VertexKind::Dropped, from.id, {}, model::to_string(model::DropCode::NoRouteToDestination)),
               {{StepKind::TgwNoRoute, ""}});
      continue;
    }
    const auto nv4 = static_cast<int>(rtb->routes.size());
    for (int k = 0; k < nv4 + static_cast<int>(rtb->routes6.size()); ++k) {
      const bool ipv6 = k >= nv4;
      const int i = ipv6 ? k - nv4 : k;
      const auto& route = (ipv6 ? rtb->routes6 : rtb->routes)[static_cast<std::size_t>(i)];
      std::vector<Step> steps{{ipv6 ? StepKind::TgwRoute6 : StepKind::TgwRoute, rtb->id, i}};
      if (route.blackhole) {
        add_edge(v, add(VertexKind::Dropped, rtb->id, {}, model::to_string(model::DropCode::BadStateRoute)),
                 steps);
        continue;
      }
      const auto* to = model::Network::find(n.transit_gateway_attachments, route.target_id);
      const auto* entry = to && to->is_vpc() ? n.tgw_entry_subnet(*to, zone) : nullptr;
      if (!entry) {
        steps.push_back({StepKind::Leave, route.target_id});
        add_edge(v, leave_vertex(route.target_id), steps);
        continue;
      }
      steps.push_back({StepKind::TgwEnter, to->id, -1, entry->id});
      add_edge(v, tgw_entry(*to, *entry), steps);
    }
    add_edge(v,
             add(VertexKind::Dropped, rtb->id, {}, model::to_string(model::DropCode::NoRouteToDestination)),
             {{StepKind::TgwNoRoute, rtb->id}});
  }
}

}  // namespace vpcprove::graph
