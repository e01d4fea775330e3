// SPDX-License-Identifier: Apache-2.0
// The packet walk of docs/semantics.md, one function per hop kind: the walk, its records,
// filters and route lookups (what each route target does is in walk_targets.cpp).
//
// Each function below corresponds to one paragraph of "A packet's walk"; when this file and
// the document disagree, the document wins (except where a comment cites AWS for a choice the
// document leaves open).
#include <set>
#include <tuple>
#include <utility>

#include "common/diagnostics.h"
#include "model/describe.h"
#include "model/drop_code.h"
#include "model/hop_step.h"
#include "trace/l4_match.h"
#include "trace/nacl_match.h"
#include "trace/sg_match.h"
#include "trace/trace.h"
#include "trace/walker.h"

namespace vpcprove::trace {

namespace walking {

model::Walk Walker::run(const Start& start, const Packet& packet) {
  w_.initial = packet;
  p_ = packet;
  if (start.kind == Start::Kind::GatewayEndpoint) {
    const auto* e = model::Network::find(net_.gateway_endpoints, start.interface_id);
    if (!e) throw InputError("", start.interface_id, "no such gateway endpoint in the snapshot");
    from_gateway_endpoint(*e);
  } else if (start.kind == Start::Kind::Internet) {
    if (p_.is_ipv6() ? !is_internet6(p_.src_ip6) : !is_internet(p_.src_ip)) {
      // Bogons (private, loopback, multicast, ...; for IPv6 anything outside 2000::/3) are not
      // internet hosts: nothing from the internet comes from them.
      drop("internet", HopStep::IgwIngress, model::to_string(model::DropCode::SourceNotInternetAddress),
           p_.src_text() + " is not an internet address");
    } else if (p_.is_ipv6()) {
      enter_from_internet6();
    } else {
      enter_from_internet();
    }
  } else {
    const auto* eni = model::Network::find(net_.network_interfaces, start.interface_id);
    if (!eni) throw InputError("", start.interface_id, "no such network interface in the snapshot");
    const auto* nat = eni->gateway_id ? model::Network::find(net_.nat_gateways, *eni->gateway_id) : nullptr;
    if (!eni->live()) {
      inactive(*eni);
    } else if (eni->kind == model::InterfaceKind::NatGateway && nat) {
      // A NAT gateway has no security groups: its own packets start at the route lookup.
      leave(nat_sender(*nat));
    } else {
      leave_interface(*eni, /*forwarding=*/false);
    }
  }
  w_.final_packet = p_;
  return std::move(w_);
}

void Walker::hop(const Id& at, HopStep step, std::string by) {
  w_.hops.push_back({at, model::to_string(step), std::move(by), p_});
}

void Walker::drop(const Id& at, HopStep step, const std::string& code, std::string detail) {
  w_.disposition = model::Disposition::Dropped;
  w_.drop = model::Drop{at, model::to_string(step), code, std::move(detail)};
}

void Walker::deliver(const NetworkInterface& eni) {
  hop(eni.id, HopStep::Deliver, "owns " + p_.dst_text());
  w_.disposition = model::Disposition::Delivered;
  w_.endpoint = eni.id;
}

void Walker::inactive(const NetworkInterface& eni) {
  drop(eni.id, HopStep::EniState, eni.inactive_code, eni.inactive);
}

bool Walker::security_groups(const NetworkInterface& eni, Direction d) {
  const HopStep step = d == Direction::Ingress ? HopStep::SgIngress : HopStep::SgEgress;
  // Security groups are stateful per ENI: the reply passes every ENI whose groups admitted
  // the first packet (the responder's egress, the initiator's ingress, and both directions
  // of a middlebox).
  // https://docs.aws.amazon.com/vpc/latest/userguide/security-group-connection-tracking.html
  if (state_.reply && state_.tracked.count(eni.id)) return true;
  if (eni.unfiltered) {
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html
    hop(eni.id, step, eni.unfiltered_text());
    if (!state_.reply) state_.tracked.insert(eni.id);
    return true;
  }
  const auto* rule = first_matching_rule(net_, eni, d, p_);
  if (!rule) {
    std::string groups;
    for (const auto& g : eni.security_group_ids) groups += (groups.empty() ? "" : ", ") + g;
    const Id at = eni.security_group_ids.empty() ? eni.id : eni.security_group_ids.front();
    drop(at, step, model::to_string(model::DropCode::EniSgRulesMismatch),
         groups.empty() ? eni.id + " has no security groups, so nothing passes"
                        : "no " + std::string(model::to_string(d)) + " rule of " + groups + " (" + eni.id +
                              ") matches " + model::describe(p_));
    return false;
  }
  hop(eni.id, step, model::describe(*rule));
  if (!state_.reply) state_.tracked.insert(eni.id);
  return true;
}

bool Walker::nacl(const Subnet& subnet, Direction d) {
  const HopStep step = d == Direction::Ingress ? HopStep::NaclIngress : HopStep::NaclEgress;
  const auto* acl = model::Network::find(net_.network_acls, subnet.nacl_id);
  if (!acl) {
    // The converter always sets one; if not, allowing is the sound choice (never hide a path).
    hop(subnet.id, step, "no network ACL (allow)");
    return true;
  }
  const auto decision = evaluate_nacl(*acl, d, p_);
  if (!decision.allow) {
    drop(acl->id, step, model::to_string(model::DropCode::SubnetAclRestriction),
         decision.by + " (" + subnet.id + ") for " + model::describe(p_));
    return false;
  }
  hop(subnet.id, step, decision.by);
  return true;
}

Sender Walker::eni_sender(const NetworkInterface& eni) const {
  return {eni.id, eni.vpc_id, model::Network::find(net_.subnets, eni.subnet_id), nullptr};
}

Sender Walker::nat_sender(const model::NatGateway& nat) const {
  return {nat.id, nat.vpc_id, model::Network::find(net_.subnets, nat.subnet_id), &nat};
}

void Walker::leave_interface(const NetworkInterface& eni, bool forwarding) {
  const bool owns_source = p_.is_ipv6() ? eni.owns6(p_.src_ip6) : eni.owns(p_.src_ip);
  if (!forwarding && !owns_source && eni.source_dest_check) {
    drop(eni.id, HopStep::EniForward, model::to_string(model::DropCode::EniSourceDestCheckRestriction),
         eni.id + " does not own source " + p_.src_text() + " and has source/destination check on");
    return;
  }
  // The IPv6 addresses of these services (fd00:ec2::/64) are not modelled: such packets are routed.
  if (const auto service = p_.is_ipv6() ? std::nullopt : net_.aws_service_at(eni.vpc_id, p_.dst_ip)) {
    aws_service(eni, *service);
    return;
  }
  if (!security_groups(eni, Direction::Egress)) return;
  leave(eni_sender(eni));
}

void Walker::aws_service(const NetworkInterface& eni, model::AwsService service) {
  hop(eni.id, HopStep::AwsService, model::describe(service, p_.dst_ip));
  w_.disposition = model::Disposition::AwsService;
  w_.endpoint = model::to_string(service);
}

bool Walker::visit(const Id& node, const Id& at) {
  auto key = std::make_tuple(node, p_.src_ip, p_.dst_ip, p_.src_ip6, p_.dst_ip6, p_.protocol, p_.src_port,
                             p_.dst_port);
  if (!visited_.insert(key).second || w_.hops.size() > kMaxHops) {
    const Id& where = at.empty() ? node : at;
    drop(where, HopStep::Route, model::to_string(model::DropCode::RoutingLoop),
         where + " forwards " + model::describe(p_) + " a second time");
    return false;
  }
  return true;
}

void Walker::leave(const Sender& s) {
  if (!visit(s.node)) return;
  if (!s.subnet) {
    drop(s.node, HopStep::Route, model::to_string(model::DropCode::NoRouteToDestination),
         s.node + " is in no known subnet");
    return;
  }
  const auto* rtb = model::Network::find(net_.route_tables, s.subnet->route_table_id);
  if (!rtb) {
    drop(s.subnet->id, HopStep::Route, model::to_string(model::DropCode::NoRouteToDestination),
         s.subnet->id + " has no route table");
    return;
  }
  route_through(*rtb, s);
}

const model::Route* Walker::first_route(const std::vector<model::Route>& routes, const Packet& p) {
  for (const auto& r : routes) {
    if (p.is_ipv6() ? r.destination6 && r.destination6->contains(p.dst_ip6)
                    : r.destination.contains(p.dst_ip))
      return &r;
  }
  return nullptr;
}

void Walker::route_through(const model::RouteTable& rtb, const Sender& s) {
  const model::Route* route = first_route(p_.is_ipv6() ? rtb.routes6 : rtb.routes, p_);
  if (!route) {
    drop(rtb.id, HopStep::Route, model::to_string(model::DropCode::NoRouteToDestination),
         "no route of " + rtb.id + " contains " + p_.dst_text());
    return;
  }
  if (route->blackhole) {
    drop(rtb.id, HopStep::Route, model::to_string(model::DropCode::BadStateRoute), model::describe(*route));
    return;
  }
  hop(rtb.id, HopStep::Route, model::describe(*route));
  by_target(*route, s);
}

void Walker::by_target(const model::Route& route, const Sender& s) {
  using K = model::RouteTargetKind;
  if (route.target_kind == K::Local) {
    local_delivery(s.vpc_id, s.subnet, /*via_peering=*/false);
    return;
  }
  // Every other target: the packet leaves the subnet first.
  if (s.subnet && !nacl(*s.subnet, Direction::Egress)) return;
  switch (route.target_kind) {
    case K::InternetGateway:
      internet_gateway_egress(route.target_id, s);
      return;
    case K::EgressOnlyInternetGateway:
      if (p_.is_ipv6()) {
        egress_only_egress(route.target_id, s);
        return;
      }
      drop(route.target_id, HopStep::Route, model::to_string(model::DropCode::NoRouteToDestination),
           route.target_id + " is an egress-only internet gateway: IPv4 does not pass");
      return;
    case K::NatGateway:
      nat_gateway(route.target_id, s);
      return;
    case K::VpcPeering:
      peering(route.target_id, s);
      return;
    case K::NetworkInterface:
      middlebox(route.target_id, s);
      return;
    case K::GatewayEndpoint:
      // Followed for IPv4; an IPv6 route to one, or a GWLB endpoint, leaves the model.
      if (const auto* e = model::Network::find(net_.gateway_endpoints, route.target_id); e && !p_.is_ipv6()) {
        gateway_endpoint(*e, s);
        return;
      }
      leave_unmodelled(route);
      return;
    case K::TransitGateway:
      if (const auto* att = net_.tgw_vpc_attachment(route.target_id, s.vpc_id)) {
        to_transit_gateway(*att, s);
        return;
      }
      // A TGW the snapshot does not describe, or no attachment of this VPC: not followed.
      leave_unmodelled(route);
      return;
    default:
      leave_unmodelled(route);
      return;
  }
}

void Walker::leave_unmodelled(const model::Route& route) {
  hop(route.target_id, HopStep::Leave,
      std::string(model::to_string(route.target_kind)) + " " + route.target_id +
          " (not followed by vpcprove)");
  w_.disposition = model::Disposition::ExitsUnmodelled;
  w_.endpoint = route.target_id;
}

}  // namespace walking

using model::HopStep;
using model::Packet;
using walking::SessionState;
using walking::Walker;

model::Walk walk(const model::Network& network, const Start& start, const model::Packet& packet) {
  SessionState state;
  return Walker(network, state).run(start, packet);
}

SessionWalk walk_session(const model::Network& network, const Start& start, const model::Packet& packet) {
  SessionState state;
  SessionWalk out;
  out.forward = Walker(network, state).run(start, packet);
  const auto& fw = out.forward;
  if (fw.disposition == model::Disposition::AwsService) {
    // The service answers the ENI that asked, unfiltered on the way back too.
    model::Walk reply;
    reply.initial = model::reply_to(fw.final_packet);
    reply.final_packet = reply.initial;
    reply.hops.push_back({fw.endpoint, model::to_string(HopStep::AwsService),
                          "reply from " + fw.endpoint + " (not filtered)", reply.initial});
    reply.disposition = model::Disposition::Delivered;
    reply.endpoint = start.interface_id;
    out.reply = std::move(reply);
    out.established = true;
    return out;
  }
  Start reply_start;
  if (fw.disposition == model::Disposition::Delivered) {
    reply_start = Start::interface(fw.endpoint);
  } else if (fw.disposition == model::Disposition::GatewayEndpoint) {
    reply_start = Start::gateway_endpoint(fw.endpoint);
  } else if (fw.disposition == model::Disposition::ExitsInternet) {
    reply_start = Start::internet();
  } else {
    return out;
  }
  state.reply = true;
  model::Walk reply = Walker(network, state).run(reply_start, model::reply_to(fw.final_packet));

  const bool from_internet = start.kind == Start::Kind::Internet;
  const Packet expected = model::reply_to(fw.initial);
  if (reply.drop) {
    out.reply_drop = reply.drop;
  } else {
    const bool right_place = from_internet ? reply.disposition == model::Disposition::ExitsInternet
                                           : reply.disposition == model::Disposition::Delivered &&
                                                 reply.endpoint == start.interface_id;
    if (right_place && reply.final_packet == expected) {
      out.established = true;
    } else {
      const std::string where = reply.hops.empty() ? std::string("end") : reply.hops.back().step;
      model::Drop d{reply.endpoint.empty() ? std::string("reply") : reply.endpoint, where,
                    model::to_string(model::DropCode::ReplyDoesNotMatchSession),
                    "the reply arrives as " + model::describe(reply.final_packet) + " (" +
                        model::to_string(reply.disposition) + " " + reply.endpoint +
                        "); the initiator expects " + model::describe(expected)};
      reply.disposition = model::Disposition::Dropped;
      reply.drop = d;
      out.reply_drop = d;
    }
  }
  out.reply = std::move(reply);
  return out;
}

}  // namespace vpcprove::trace
