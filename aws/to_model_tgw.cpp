// SPDX-License-Identifier: Apache-2.0
// Transit gateways from the snapshot to the model (aws/to_model_tgw.h states the decisions).
#include "aws/to_model_tgw.h"

#include <algorithm>
#include <map>
#include <set>
#include <type_traits>

#include "aws/snapshot_loader.h"

namespace vpcprove::aws {
namespace {

using model::Id;
using model::RouteTargetKind;

constexpr const char* kDangling = "dangling-reference";

class TgwConverter {
 public:
  TgwConverter(const Snapshot& s, model::Network& n) : s_(s), n_(n) {}

  void run() {
    collect();
    for (const auto& [tgw_id, tgw] : tgws_) convert(tgw_id, tgw);
  }

 private:
  struct Pieces {
    const TransitGateway* described = nullptr;
    std::vector<const TransitGatewayRouteTable*> tables;
    std::vector<Id> attachments;
  };

  model::Origin origin(const Source& src, const std::string& owner_id = {}) const {
    return {src.file, owner_id.empty() ? src.account : owner_id, src.region};
  }

  void collect() {
    for (const auto& t : s_.transit_gateways) tgws_[t.transit_gateway_id].described = &t;
    for (const auto& t : s_.transit_gateway_route_tables) tgws_[t.transit_gateway_id].tables.push_back(&t);
    for (const auto& a : s_.transit_gateway_attachments) {
      attachments_[a.transit_gateway_attachment_id].listed = &a;
    }
    for (const auto& a : s_.transit_gateway_vpc_attachments) {
      attachments_[a.transit_gateway_attachment_id].vpc = &a;
    }
    for (const auto& [id, a] : attachments_) {
      const Id& tgw = a.listed ? a.listed->transit_gateway_id : a.vpc->transit_gateway_id;
      tgws_[tgw].attachments.push_back(id);
    }
    for (const auto& r : s_.transit_gateway_static_routes) static_[r.transit_gateway_route_table_id] = &r;
    for (const auto& p : s_.transit_gateway_propagations)
      propagations_[p.transit_gateway_route_table_id] = &p;
  }

  void convert(const Id& tgw_id, const Pieces& pieces) {
    if (pieces.tables.empty() || pieces.attachments.empty()) {
      if (!pieces.tables.empty() || !pieces.attachments.empty() || pieces.described) {
        const std::string file = pieces.described ? pieces.described->source.file : std::string();
        n_.diagnostics.note(
            "transit-gateway-not-followed",
            tgw_id + ": the snapshot holds " +
                (pieces.tables.empty() ? "none of its route tables" : "none of its attachments") +
                ", so traffic routed to it leaves the model (an assumption)",
            file, tgw_id);
      }
      return;
    }
    model::TransitGateway tgw;
    tgw.id = tgw_id;
    if (pieces.described) {
      tgw.tags = pieces.described->tags;
      tgw.origin = origin(pieces.described->source, pieces.described->owner_id);
    }
    for (const auto& id : pieces.attachments) {
      add_attachment(id, attachments_.at(id));
      tgw.attachment_ids.push_back(id);
    }
    for (const auto* t : pieces.tables) tgw.route_table_ids.push_back(t->transit_gateway_route_table_id);
    std::sort(tgw.attachment_ids.begin(), tgw.attachment_ids.end());
    std::sort(tgw.route_table_ids.begin(), tgw.route_table_ids.end());
    if (tgw.origin.file.empty()) tgw.origin = origin(pieces.tables.front()->source);
    n_.transit_gateways[tgw_id] = tgw;
    for (const auto* t : pieces.tables) add_route_table(*t);
    // An association naming a table the snapshot lacks: packets arriving there are not routed.
    for (const auto& id : tgw.attachment_ids) {
      auto& a = n_.transit_gateway_attachments.at(id);
      if (!a.route_table_id.empty() && !n_.transit_gateway_route_tables.count(a.route_table_id)) {
        dangling(id + " -> " + a.route_table_id + ": the associated route table is not in the snapshot; " +
                     "packets arriving on " + id + " are dropped",
                 a.origin.file, id);
        a.route_table_id.clear();
      }
    }
  }

  struct Sources {
    const TransitGatewayAttachment* listed = nullptr;
    const TransitGatewayVpcAttachment* vpc = nullptr;
  };

  void add_attachment(const Id& id, const Sources& src) {
    model::TransitGatewayAttachment a;
    a.id = id;
    if (src.listed) {
      a.transit_gateway_id = src.listed->transit_gateway_id;
      a.resource_type = src.listed->resource_type;
      a.resource_id = src.listed->resource_id;
      a.route_table_id = src.listed->association_route_table_id;
      a.tags = src.listed->tags;
      a.origin = origin(src.listed->source, src.listed->resource_owner_id);
      if (a.route_table_id.empty()) {
        n_.diagnostics.note("tgw-attachment-not-associated",
                            id + " is associated with no route table of " + a.transit_gateway_id +
                                ": packets arriving on it are dropped",
                            a.origin.file, id);
      }
    } else {
      a.transit_gateway_id = src.vpc->transit_gateway_id;
      a.resource_type = "vpc";
      a.resource_id = src.vpc->vpc_id;
      a.tags = src.vpc->tags;
      a.origin = origin(src.vpc->source);
      n_.diagnostics.warn(kDangling,
                          id + " (TransitGatewayVpcAttachments) is not in TransitGatewayAttachments, which "
                               "holds its route-table association: packets arriving on it are dropped",
                          a.origin.file, id);
    }
    if (src.vpc) {
      a.subnet_ids = src.vpc->subnet_ids;
      a.appliance_mode = src.vpc->appliance_mode;
      if (a.resource_id != src.vpc->vpc_id) {
        dangling(id + ": TransitGatewayAttachments names " + a.resource_id +
                     ", TransitGatewayVpcAttachments " + src.vpc->vpc_id + "; the first is used",
                 src.vpc->source.file, id);
      }
    } else if (a.is_vpc()) {
      dangling(id + " -> " + a.resource_id + ": the VPC attachment is not in TransitGatewayVpcAttachments, " +
                   "which names its subnets: no Availability Zone of " + a.resource_id + " reaches " +
                   a.transit_gateway_id + " through it",
               a.origin.file, id);
    }
    std::sort(a.subnet_ids.begin(), a.subnet_ids.end());
    if (a.is_vpc()) {
      if (!n_.vpcs.count(a.resource_id)) {
        dangling(id + " -> " + a.resource_id + ": " + a.resource_id +
                     " is not in the snapshot; traffic the TGW sends there leaves the model (an assumption)",
                 a.origin.file, id);
      }
      for (const auto& sid : a.subnet_ids) {
        const auto* sn = model::Network::find(n_.subnets, sid);
        if (!sn) {
          dangling(id + " -> " + sid + ": " + sid + " is not in the snapshot", a.origin.file, id);
        } else if (sn->vpc_id != a.resource_id) {
          dangling(id + " -> " + sid + ": " + sid + " is in " + sn->vpc_id + ", not in " + a.resource_id,
                   a.origin.file, id);
        }
      }
    }
    // What vpcprove does not follow (peering, VPN, Direct Connect, Connect, and a VPC outside the
    // snapshot) is an opaque gateway: a TGW route to it leaves the model, named as an assumption.
    if (!a.is_vpc() || !n_.vpcs.count(a.resource_id)) {
      auto& g = n_.opaque_gateways[id];
      g.id = id;
      g.kind = RouteTargetKind::TransitGateway;
      g.tags = a.tags;
      g.origin = a.origin;
    }
    n_.transit_gateway_attachments[id] = std::move(a);
  }

  void add_route_table(const TransitGatewayRouteTable& t) {
    model::TransitGatewayRouteTable m;
    m.id = t.transit_gateway_route_table_id;
    m.transit_gateway_id = t.transit_gateway_id;
    m.tags = t.tags;
    m.origin = origin(t.source);
    const Id& rtb = m.id;
    if (auto it = static_.find(rtb); it != static_.end()) {
      for (const auto& r : it->second->routes) {
        if (r.type == "propagated") continue;  // derived from the propagations below
        const std::string name = rtb + " route " + r.destination_text;
        if (!r.destination_cidr_block && !r.destination_ipv6_cidr_block) {
          n_.diagnostics.unimplemented("tgw-route-not-modelled",
                                       name + ": only CIDR destinations are modelled; the route is ignored",
                                       it->second->source.file, rtb);
          continue;
        }
        model::Route route;
        if (r.destination_cidr_block) {
          route.destination = *r.destination_cidr_block;
        } else {
          route.destination = Ipv4Prefix{0, 32};
          route.destination6 = *r.destination_ipv6_cidr_block;
        }
        route.origin = "static";
        route.target_kind = RouteTargetKind::TransitGatewayAttachment;
        if (r.state == "blackhole") {
          route.blackhole = true;
        } else if (r.attachment_ids.empty()) {
          dangling(name + " names no attachment; the route is a blackhole", it->second->source.file, rtb);
          route.blackhole = true;
        } else {
          route.target_id = r.attachment_ids.front();
          if (r.attachment_ids.size() > 1) {
            n_.diagnostics.unimplemented("tgw-ecmp-not-modelled",
                                         name + " has " + std::to_string(r.attachment_ids.size()) +
                                             " attachments (ECMP): only the first, " + route.target_id +
                                             ", is followed",
                                         it->second->source.file, rtb);
          }
          if (!n_.transit_gateway_attachments.count(route.target_id)) {
            dangling(name + " -> " + route.target_id + ": " + route.target_id +
                         " is not in the snapshot; traffic the route takes leaves the model (an assumption)",
                     it->second->source.file, rtb);
            auto& g = n_.opaque_gateways[route.target_id];
            g.id = route.target_id;
            g.kind = RouteTargetKind::TransitGateway;
            g.missing = false;
            g.origin = m.origin;
          }
        }
        (route.destination6 ? m.routes6 : m.routes).push_back(std::move(route));
      }
    }
    if (auto it = propagations_.find(rtb); it != propagations_.end()) {
      std::set<Ipv4Prefix> propagated;
      std::set<Ipv6Prefix> propagated6;
      for (const auto& p : it->second->propagations) {
        if (p.state != "enabled") continue;
        const auto* a = model::Network::find(n_.transit_gateway_attachments, p.transit_gateway_attachment_id);
        if (!a) {
          dangling(rtb + " propagation -> " + p.transit_gateway_attachment_id + ": " +
                       p.transit_gateway_attachment_id + " is not in the snapshot; its routes are not known",
                   it->second->source.file, rtb);
          continue;
        }
        const auto* vpc = a->is_vpc() ? model::Network::find(n_.vpcs, a->resource_id) : nullptr;
        if (!vpc) {
          // Routes a VPN, Direct Connect gateway or peer learns are not in the snapshot.
          n_.diagnostics.warn(
              "tgw-propagation-not-modelled",
              rtb + " learns routes from " + a->id + " (" + a->resource_type + " " + a->resource_id +
                  "), which the snapshot does not list: a 0.0.0.0/0 route to it stands for them, "
                  "so traffic no listed route takes leaves the model (an assumption)",
              it->second->source.file, rtb);
          add_propagated(m, propagated, Ipv4Prefix{0, 0}, a->id, it->second->source.file);
          // And ::/0 for the IPv6 routes it may learn, where the snapshot has IPv6 at all (an
          // IPv4-only estate keeps no IPv6 route, so its questions stay IPv4 only).
          if (any_ipv6_vpc()) add_propagated(m, propagated6, Ipv6Prefix{}, a->id, it->second->source.file);
          continue;
        }
        for (const auto& cidr : vpc->cidrs)
          add_propagated(m, propagated, cidr, a->id, it->second->source.file);
        // A VPC attachment propagates the VPC's IPv6 blocks too:
        // https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html ("Route propagation")
        for (const auto& cidr : vpc->ipv6_cidrs)
          add_propagated(m, propagated6, cidr, a->id, it->second->source.file);
      }
    }
    // Longest prefix first; at equal length static before propagated (stable otherwise).
    std::stable_sort(m.routes.begin(), m.routes.end(), [](const model::Route& x, const model::Route& y) {
      if (x.destination.len != y.destination.len) return x.destination.len > y.destination.len;
      return x.origin == "static" && y.origin != "static";
    });
    std::stable_sort(m.routes6.begin(), m.routes6.end(), [](const model::Route& x, const model::Route& y) {
      if (x.destination6->len != y.destination6->len) return x.destination6->len > y.destination6->len;
      return x.origin == "static" && y.origin != "static";
    });
    n_.transit_gateway_route_tables[m.id] = std::move(m);
  }

  /** A propagated route to cidr (either family) unless another attachment propagated it first. */
  template <class Prefix>
  void add_propagated(model::TransitGatewayRouteTable& m, std::set<Prefix>& seen, const Prefix& cidr,
                      const Id& attachment, const std::string& file) {
    constexpr bool kIpv6 = std::is_same_v<Prefix, Ipv6Prefix>;
    auto& first = [&]() -> auto& {
      if constexpr (kIpv6) {
        return first_propagator6_;
      } else {
        return first_propagator_;
      }
    }
    ();
    if (!seen.insert(cidr).second) {
      n_.diagnostics.warn("tgw-propagation-overlap",
                          m.id + ": " + cidr.to_string() +
                              " is propagated by more than one attachment; only the "
                              "first (" +
                              first[{m.id, cidr}] + ") is used, not " + attachment,
                          file, m.id);
      return;
    }
    first[{m.id, cidr}] = attachment;
    model::Route route;
    if constexpr (kIpv6) {
      route.destination = Ipv4Prefix{0, 32};  // never read: destination6 is the route's
      route.destination6 = cidr;
    } else {
      route.destination = cidr;
    }
    route.origin = "propagated";
    route.target_kind = RouteTargetKind::TransitGatewayAttachment;
    route.target_id = attachment;
    (kIpv6 ? m.routes6 : m.routes).push_back(std::move(route));
  }

  bool any_ipv6_vpc() const {
    return std::any_of(n_.vpcs.begin(), n_.vpcs.end(),
                       [](const auto& v) { return !v.second.ipv6_cidrs.empty(); });
  }

  void dangling(const std::string& message, const std::string& file, const std::string& resource) {
    n_.diagnostics.warn(kDangling, message, file, resource);
  }

  const Snapshot& s_;
  model::Network& n_;
  std::map<Id, Pieces> tgws_;
  std::map<Id, Sources> attachments_;
  std::map<Id, const TransitGatewayStaticRoutes*> static_;
  std::map<Id, const TransitGatewayPropagations*> propagations_;
  std::map<std::pair<Id, Ipv4Prefix>, Id> first_propagator_;
  std::map<std::pair<Id, Ipv6Prefix>, Id> first_propagator6_;
};

}  // namespace

void add_transit_gateways(const Snapshot& snapshot, model::Network& network) {
  TgwConverter(snapshot, network).run();
}

}  // namespace vpcprove::aws
