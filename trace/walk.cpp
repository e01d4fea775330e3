// SPDX-License-Identifier: Apache-2.0
// The packet walk of docs/semantics.md, one function per hop kind.
//
// Each function below corresponds to one paragraph of "A packet's walk"; when this file and
// the document disagree, the document wins (except where a comment cites AWS for a choice the
// document leaves open).
#include <set>
#include <tuple>

#include "common/diagnostics.h"
#include "model/describe.h"
#include "model/drop_code.h"
#include "model/hop_step.h"
#include "trace/l4_match.h"
#include "trace/nacl_match.h"
#include "trace/sg_match.h"
#include "trace/trace.h"

namespace vpcprove::trace {

namespace {

using model::Direction;
using model::HopStep;
using model::Id;
using model::NetworkInterface;
using model::Packet;
using model::Subnet;

// A hop budget far above any real path; only reachable through a forwarding cycle the
// (node, header) check cannot see, and reported the same way.
constexpr std::size_t kMaxHops = 512;

/** A NAT translation made by the first packet, so its reply can be translated back. */
struct NatBinding {
  Id nat_id;
  Packet inside;   // the header as it reached the NAT
  Packet outside;  // the header as the NAT sent it on
};

/** What the first packet left behind for its reply (docs/semantics.md, "Replies"). */
struct SessionState {
  bool reply = false;
  std::set<Id> tracked;  // ENIs whose security groups admitted the first packet
  std::vector<NatBinding> nat;
};

/** Who is sending a packet into a route lookup: an ENI, a NAT gateway or an IGW (edge table). */
struct Sender {
  Id node;
  Id vpc_id;
  const Subnet* subnet = nullptr;          // nullptr for an internet gateway
  const model::NatGateway* nat = nullptr;  // set when the sender is a NAT gateway
};

std::string endpoint_text(Ipv4Address a, std::uint16_t port, const Packet& p) {
  if (p.protocol == model::kTcp || p.protocol == model::kUdp)
    return format_ipv4(a) + ':' + std::to_string(port);
  return format_ipv4(a);
}

class Walker {
 public:
  Walker(const model::Network& net, SessionState& state) : net_(net), state_(state) {}

  model::Walk run(const Start& start, const Packet& packet) {
    w_.initial = packet;
    p_ = packet;
    if (start.kind == Start::Kind::Internet) {
      if (!is_internet(p_.src_ip)) {
        // Bogons (private, loopback, multicast, ...) are not internet hosts: nothing from the
        // internet comes from them.
        drop("internet", HopStep::IgwIngress, model::to_string(model::DropCode::SourceNotInternetAddress),
             format_ipv4(p_.src_ip) + " is not an internet address");
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

 private:
  // ---- recording ---------------------------------------------------------------------------

  void hop(const Id& at, HopStep step, std::string by) {
    w_.hops.push_back({at, model::to_string(step), std::move(by), p_});
  }

  void drop(const Id& at, HopStep step, const std::string& code, std::string detail) {
    w_.disposition = model::Disposition::Dropped;
    w_.drop = model::Drop{at, model::to_string(step), code, std::move(detail)};
  }

  void deliver(const NetworkInterface& eni) {
    hop(eni.id, HopStep::Deliver, "owns " + format_ipv4(p_.dst_ip));
    w_.disposition = model::Disposition::Delivered;
    w_.endpoint = eni.id;
  }

  /** An ENI that is not attached, or whose instance is not running, sends and receives nothing. */
  void inactive(const NetworkInterface& eni) {
    drop(eni.id, HopStep::EniState, eni.inactive_code, eni.inactive);
  }

  // ---- filters -----------------------------------------------------------------------------

  /** Security groups of eni in direction d; false when they drop the packet. */
  bool security_groups(const NetworkInterface& eni, Direction d) {
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

  /** The NACL of subnet in direction d; false when it drops the packet. */
  bool nacl(const Subnet& subnet, Direction d) {
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

  // ---- leaving an ENI, and the route lookup ------------------------------------------------

  Sender eni_sender(const NetworkInterface& eni) const {
    return {eni.id, eni.vpc_id, model::Network::find(net_.subnets, eni.subnet_id), nullptr};
  }
  Sender nat_sender(const model::NatGateway& nat) const {
    return {nat.id, nat.vpc_id, model::Network::find(net_.subnets, nat.subnet_id), &nat};
  }

  /** "Leaving an ENI E": the source check, sg-egress, then the route lookup. */
  void leave_interface(const NetworkInterface& eni, bool forwarding) {
    if (!forwarding && !eni.owns(p_.src_ip) && eni.source_dest_check) {
      drop(
          eni.id, HopStep::EniForward, model::to_string(model::DropCode::EniSourceDestCheckRestriction),
          eni.id + " does not own source " + format_ipv4(p_.src_ip) + " and has source/destination check on");
      return;
    }
    if (const auto service = net_.aws_service_at(eni.vpc_id, p_.dst_ip)) {
      aws_service(eni, *service);
      return;
    }
    if (!security_groups(eni, Direction::Egress)) return;
    leave(eni_sender(eni));
  }

  /**
   * The Amazon DNS server, instance metadata and Time Sync answer an ENI directly: no security
   * group, NACL or route applies to this traffic.
   * https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html ("Security group
   * rules don't filter traffic destined to and from ... Amazon DNS, ... Amazon EC2 instance
   * metadata, ... Amazon Time Sync Service") and
   * https://docs.aws.amazon.com/vpc/latest/userguide/nacl-basics.html (the same list for NACLs).
   */
  void aws_service(const NetworkInterface& eni, model::AwsService service) {
    hop(eni.id, HopStep::AwsService, model::describe(service, p_.dst_ip));
    w_.disposition = model::Disposition::AwsService;
    w_.endpoint = model::to_string(service);
  }

  /** A visit of node with the current header; false (and ROUTING_LOOP, at at or node) when seen before. */
  bool visit(const Id& node, const Id& at = {}) {
    auto key = std::make_tuple(node, p_.src_ip, p_.dst_ip, p_.protocol, p_.src_port, p_.dst_port);
    if (!visited_.insert(key).second || w_.hops.size() > kMaxHops) {
      const Id& where = at.empty() ? node : at;
      drop(where, HopStep::Route, model::to_string(model::DropCode::RoutingLoop),
           where + " forwards " + model::describe(p_) + " a second time");
      return false;
    }
    return true;
  }

  /** The route lookup of the sender's subnet, then the target's behaviour. */
  void leave(const Sender& s) {
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

  void route_through(const model::RouteTable& rtb, const Sender& s) {
    const model::Route* route = nullptr;
    for (const auto& r : rtb.routes) {
      if (r.destination.contains(p_.dst_ip)) {
        route = &r;
        break;
      }
    }
    if (!route) {
      drop(rtb.id, HopStep::Route, model::to_string(model::DropCode::NoRouteToDestination),
           "no route of " + rtb.id + " contains " + format_ipv4(p_.dst_ip));
      return;
    }
    if (route->blackhole) {
      drop(rtb.id, HopStep::Route, model::to_string(model::DropCode::BadStateRoute), model::describe(*route));
      return;
    }
    hop(rtb.id, HopStep::Route, model::describe(*route));
    by_target(*route, s);
  }

  void by_target(const model::Route& route, const Sender& s) {
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
      case K::NatGateway:
        nat_gateway(route.target_id, s);
        return;
      case K::VpcPeering:
        peering(route.target_id, s);
        return;
      case K::NetworkInterface:
        middlebox(route.target_id, s);
        return;
      case K::EgressOnlyInternetGateway:
        drop(route.target_id, HopStep::Route, model::to_string(model::DropCode::NoRouteToDestination),
             route.target_id + " is an egress-only internet gateway: IPv4 does not pass");
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

  void leave_unmodelled(const model::Route& route) {
    hop(route.target_id, HopStep::Leave,
        std::string(model::to_string(route.target_kind)) + " " + route.target_id +
            " (not followed by vpcprove)");
    w_.disposition = model::Disposition::ExitsUnmodelled;
    w_.endpoint = route.target_id;
  }

  // ---- transit gateways (docs/semantics.md, "Transit gateways") ----------------------------

  /**
   * Handing the packet to a transit gateway through the sender VPC's attachment: only from an
   * Availability Zone where the attachment has a subnet
   * (https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html), past that
   * subnet's NACL inbound (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html; the
   * sender's own subnet's NACL outbound ran in by_target).
   */
  void to_transit_gateway(const model::TransitGatewayAttachment& att, const Sender& s) {
    const std::string zone = s.subnet ? s.subnet->availability_zone : std::string();
    const auto* via = net_.tgw_subnet_in_zone(att, zone);
    if (!via) {
      drop(att.id, HopStep::Tgw, model::to_string(model::DropCode::TgwAttachmentAzRestriction),
           att.id + " has no subnet in " + (zone.empty() ? "the sender's Availability Zone" : zone) +
               ", so " + s.node + " cannot reach " + att.transit_gateway_id);
      return;
    }
    if (!nacl(*via, Direction::Ingress)) return;
    at_transit_gateway(att, zone);
  }

  /** Arrived at the TGW on attachment from (sent from zone): the associated table decides. */
  void at_transit_gateway(const model::TransitGatewayAttachment& from, const std::string& zone) {
    if (!visit(from.id + '@' + zone, from.id)) return;
    hop(from.transit_gateway_id, HopStep::Tgw, model::describe_tgw_arrival(from, zone));
    const auto* rtb = model::Network::find(net_.transit_gateway_route_tables, from.route_table_id);
    if (!rtb) {
      drop(from.id, HopStep::Route, model::to_string(model::DropCode::NoRouteToDestination),
           from.id + " is associated with no route table of " + from.transit_gateway_id);
      return;
    }
    const model::Route* route = nullptr;
    for (const auto& r : rtb->routes) {
      if (r.destination.contains(p_.dst_ip)) {
        route = &r;
        break;
      }
    }
    if (!route) {
      drop(rtb->id, HopStep::Route, model::to_string(model::DropCode::NoRouteToDestination),
           "no route of " + rtb->id + " contains " + format_ipv4(p_.dst_ip));
      return;
    }
    if (route->blackhole) {
      drop(rtb->id, HopStep::Route, model::to_string(model::DropCode::BadStateRoute),
           model::describe(*route));
      return;
    }
    hop(rtb->id, HopStep::Route, model::describe(*route));
    const auto* to = model::Network::find(net_.transit_gateway_attachments, route->target_id);
    const auto* entry = to && to->is_vpc() ? net_.tgw_entry_subnet(*to, zone) : nullptr;
    if (!entry) {
      // A peering, VPN or Direct Connect attachment, or a VPC outside the snapshot.
      leave_unmodelled(*route);
      return;
    }
    // Into the VPC at the attachment's subnet in the sender's zone (else its first subnet):
    // that subnet's route table and NACL apply, as to any sender there.
    hop(to->id, HopStep::Tgw, model::describe_tgw_entry(*to, *entry, zone));
    leave(Sender{to->id + '@' + entry->id, to->resource_id, entry, nullptr});
  }

  // ---- targets -----------------------------------------------------------------------------

  /** Delivery inside vpc_id; from is the subnet the packet comes from (nullptr: from outside). */
  void local_delivery(const Id& vpc_id, const Subnet* from, bool via_peering) {
    const auto* dsub = net_.subnet_containing(vpc_id, p_.dst_ip);
    if (!dsub) {
      // The prover names the same drop: no interface holds the address (one code, two causes).
      drop(vpc_id, HopStep::Deliver, model::to_string(model::DropCode::DestinationAddressNotAssigned),
           format_ipv4(p_.dst_ip) + " is in no subnet of " + vpc_id);
      return;
    }
    if (via_peering || !from || from->id != dsub->id) {
      // Over a peering the source subnet's NACL already ran before the pcx hop.
      if (from && !via_peering && !nacl(*from, Direction::Egress)) return;
      if (!nacl(*dsub, Direction::Ingress)) return;
    }
    const auto* owner = net_.interface_owning(vpc_id, p_.dst_ip);
    if (!owner) {
      drop(dsub->id, HopStep::Deliver, model::to_string(model::DropCode::DestinationAddressNotAssigned),
           "no network interface of " + dsub->id + " owns " + format_ipv4(p_.dst_ip));
      return;
    }
    if (const auto* nat = reply_nat(*owner)) {
      nat_reply(*nat);
      return;
    }
    if (!owner->live()) {
      inactive(*owner);
      return;
    }
    if (!security_groups(*owner, Direction::Ingress)) return;
    deliver(*owner);
  }

  /** The public IP that the IGW maps the current source to, and who owns it. */
  std::optional<std::pair<Ipv4Address, Id>> public_source(const Sender& s) const {
    if (s.nat && s.nat->private_ip == p_.src_ip) {
      if (s.nat->public_ip) return std::make_pair(*s.nat->public_ip, s.nat->id);
      return std::nullopt;
    }
    const auto* owner = net_.interface_owning(s.vpc_id, p_.src_ip);
    if (!owner) return std::nullopt;
    for (const auto& ip : owner->private_ips) {
      if (ip.address == p_.src_ip && ip.public_ip) return std::make_pair(*ip.public_ip, owner->id);
    }
    return std::nullopt;
  }

  void internet_gateway_egress(const Id& igw_id, const Sender& s) {
    const auto* igw = model::Network::find(net_.internet_gateways, igw_id);
    if (!igw || igw->vpc_id != s.vpc_id) {
      drop(igw_id, HopStep::IgwEgress, model::to_string(model::DropCode::BadStateRoute),
           igw_id + " is not attached to " + s.vpc_id);
      return;
    }
    const auto pub = public_source(s);
    if (!pub) {
      drop(igw_id, HopStep::IgwEgress, model::to_string(model::DropCode::IgwPublicIpAssociationForEgress),
           "source " + format_ipv4(p_.src_ip) + " has no public or Elastic IP");
      return;
    }
    if (!is_internet(p_.dst_ip)) {
      // Private, shared, loopback, link-local, multicast and reserved space is not routed on
      // the internet (cli-contract "internet").
      drop(igw_id, HopStep::IgwEgress, model::to_string(model::DropCode::IgwDestinationNotPublic),
           "destination " + format_ipv4(p_.dst_ip) + " is not an internet address");
      return;
    }
    const std::string by =
        format_ipv4(p_.src_ip) + " -> " + format_ipv4(pub->first) + " (" + pub->second + ")";
    p_.src_ip = pub->first;
    hop(igw_id, HopStep::IgwEgress, by);
    if (net_.nat_gateway_with_public_ip(p_.dst_ip) || net_.interface_with_public_ip(p_.dst_ip)) {
      enter_from_internet();
      return;
    }
    hop(igw_id, HopStep::Exit, format_ipv4(p_.dst_ip) + " (internet)");
    w_.disposition = model::Disposition::ExitsInternet;
    w_.endpoint = igw_id;
  }

  /** "Entering from the internet": D is a public IP of the snapshot, or the packet is dropped. */
  void enter_from_internet() {
    if (const auto* nat = net_.nat_gateway_with_public_ip(p_.dst_ip)) {
      enter_nat_from_internet(*nat);
      return;
    }
    const auto* x = net_.interface_with_public_ip(p_.dst_ip);
    if (!x) {
      drop("internet", HopStep::IgwIngress,
           model::to_string(model::DropCode::IgwPrivateIpAssociationForIngress),
           format_ipv4(p_.dst_ip) + " is not the public IP of any network interface in the snapshot");
      return;
    }
    const auto* vpc = model::Network::find(net_.vpcs, x->vpc_id);
    if (!vpc || !vpc->internet_gateway_id) {
      drop(x->vpc_id, HopStep::IgwIngress,
           model::to_string(model::DropCode::IgwPrivateIpAssociationForIngress),
           x->vpc_id + " (of " + x->id + ") has no attached internet gateway");
      return;
    }
    const Id& igw_id = *vpc->internet_gateway_id;
    Ipv4Address priv = 0;
    for (const auto& ip : x->private_ips) {
      if (ip.public_ip == p_.dst_ip) priv = ip.address;
    }
    const std::string by = format_ipv4(p_.dst_ip) + " -> " + format_ipv4(priv) + " (" + x->id + ")";
    p_.dst_ip = priv;
    hop(igw_id, HopStep::IgwIngress, by);

    if (const auto* edge = edge_table(igw_id)) {
      // Ingress routing: the gateway's own table decides, as a subnet's would.
      // https://docs.aws.amazon.com/vpc/latest/userguide/gateway-route-tables.html
      if (!visit(igw_id)) return;
      route_through(*edge, Sender{igw_id, x->vpc_id, nullptr, nullptr});
      return;
    }
    local_delivery(x->vpc_id, nullptr, false);
  }

  const model::RouteTable* edge_table(const Id& gateway_id) const {
    for (const auto& [id, rtb] : net_.route_tables) {
      for (const auto& g : rtb.gateway_ids) {
        if (g == gateway_id) return &rtb;
      }
    }
    return nullptr;
  }

  /** A packet to a NAT gateway's public IP: only the reply of a connection it made enters. */
  void enter_nat_from_internet(const model::NatGateway& nat) {
    const auto* vpc = model::Network::find(net_.vpcs, nat.vpc_id);
    const NatBinding* binding = nullptr;
    if (state_.reply && vpc && vpc->internet_gateway_id) {
      Packet inside = p_;
      inside.dst_ip = nat.private_ip;
      binding = find_binding(nat.id, inside);
    }
    if (!binding) {
      drop(nat.id, HopStep::IgwIngress, model::to_string(model::DropCode::NgwInboundNotAllowed),
           format_ipv4(p_.dst_ip) + " belongs to " + nat.id +
               ", which admits only replies to connections it opened");
      return;
    }
    const std::string by =
        format_ipv4(p_.dst_ip) + " -> " + format_ipv4(nat.private_ip) + " (" + nat.id + ")";
    p_.dst_ip = nat.private_ip;
    const Id& igw_id = *vpc->internet_gateway_id;
    hop(igw_id, HopStep::IgwIngress, by);
    if (const auto* edge = edge_table(igw_id)) {
      // The gateway's edge table routes every packet that enters through it, replies to a NAT
      // gateway included (the Network Firewall layout sends them through the firewall this way):
      // https://docs.aws.amazon.com/vpc/latest/userguide/gateway-route-tables.html
      // https://docs.aws.amazon.com/network-firewall/latest/developerguide/arch-igw-ngw.html
      // Local delivery then finds the NAT's ENI and translates back (reply_nat).
      if (!visit(igw_id)) return;
      route_through(*edge, Sender{igw_id, nat.vpc_id, nullptr, nullptr});
      return;
    }
    const auto* sn = model::Network::find(net_.subnets, nat.subnet_id);
    if (sn && !nacl(*sn, Direction::Ingress)) return;
    nat_reply(nat);
  }

  const NatBinding* find_binding(const Id& nat_id, const Packet& at_nat) const {
    for (const auto& b : state_.nat) {
      if (b.nat_id == nat_id && model::reply_to(b.outside) == at_nat) return &b;
    }
    return nullptr;
  }

  /** In a reply, the NAT gateway whose ENI owner is and which holds a binding for the packet. */
  const model::NatGateway* reply_nat(const NetworkInterface& owner) const {
    if (!state_.reply || owner.kind != model::InterfaceKind::NatGateway || !owner.gateway_id) return nullptr;
    const auto* nat = model::Network::find(net_.nat_gateways, *owner.gateway_id);
    return nat && find_binding(nat->id, p_) ? nat : nullptr;
  }

  /** The reply translation: back to the initiator's address and port, then NAT forwards it. */
  void nat_reply(const model::NatGateway& nat) {
    const NatBinding* b = find_binding(nat.id, p_);
    const Packet back = model::reply_to(b->inside);
    const std::string by = endpoint_text(p_.dst_ip, p_.dst_port, p_) + " -> " +
                           endpoint_text(back.dst_ip, back.dst_port, back) + " (" + nat.id + ", reply)";
    p_ = back;
    hop(nat.id, HopStep::Nat, by);
    leave(nat_sender(nat));
  }

  void nat_gateway(const Id& nat_id, const Sender& s) {
    const auto* nat = model::Network::find(net_.nat_gateways, nat_id);
    if (!nat) {
      drop(nat_id, HopStep::Nat, model::to_string(model::DropCode::BadStateRoute),
           nat_id + " is not in the snapshot");
      return;
    }
    if (p_.protocol != model::kTcp && p_.protocol != model::kUdp && p_.protocol != model::kIcmp) {
      drop(nat_id, HopStep::Nat, model::to_string(model::DropCode::NgwUnsupportedProtocol),
           nat_id + " translates only TCP, UDP and ICMP, not " + model::protocol_name(p_.protocol));
      return;
    }
    const auto* sn = model::Network::find(net_.subnets, nat->subnet_id);
    if (sn && (!s.subnet || s.subnet->id != sn->id) && !nacl(*sn, Direction::Ingress)) return;
    const Packet inside = p_;
    p_.src_ip = nat->private_ip;
    if ((p_.protocol == model::kTcp || p_.protocol == model::kUdp) && p_.src_port < 1024) p_.src_port += 1024;
    state_.nat.push_back({nat->id, inside, p_});
    hop(nat->id, HopStep::Nat,
        endpoint_text(inside.src_ip, inside.src_port, inside) + " -> " +
            endpoint_text(p_.src_ip, p_.src_port, p_) + " (" + nat->id + ")");
    leave(nat_sender(*nat));
  }

  void peering(const Id& pcx_id, const Sender& s) {
    const auto* pcx = model::Network::find(net_.vpc_peerings, pcx_id);
    if (!pcx || (pcx->requester_vpc_id != s.vpc_id && pcx->accepter_vpc_id != s.vpc_id)) {
      drop(pcx_id, HopStep::Pcx, model::to_string(model::DropCode::BadStateRoute),
           pcx_id + " is not an active peering of " + s.vpc_id);
      return;
    }
    const bool requester = pcx->requester_vpc_id == s.vpc_id;
    const auto& own = requester ? pcx->requester_cidrs : pcx->accepter_cidrs;
    const auto& peer = requester ? pcx->accepter_cidrs : pcx->requester_cidrs;
    const Id& peer_vpc = requester ? pcx->accepter_vpc_id : pcx->requester_vpc_id;
    auto in = [](const std::vector<Ipv4Prefix>& cidrs, Ipv4Address a) {
      for (const auto& c : cidrs) {
        if (c.contains(a)) return true;
      }
      return false;
    };
    if (!in(peer, p_.dst_ip)) {
      drop(pcx_id, HopStep::Pcx, model::to_string(model::DropCode::PcxRequiresAddressInVpcCidr),
           "destination " + format_ipv4(p_.dst_ip) + " is outside the CIDRs " + peer_vpc + " shares over " +
               pcx_id);
      return;
    }
    if (!in(own, p_.src_ip)) {
      drop(pcx_id, HopStep::Pcx, model::to_string(model::DropCode::PcxRequiresAddressInVpcCidr),
           "source " + format_ipv4(p_.src_ip) + " is outside the CIDRs " + s.vpc_id + " shares over " +
               pcx_id);
      return;
    }
    hop(pcx_id, HopStep::Pcx, s.vpc_id + " -> " + peer_vpc);
    // Not transitive: on the far side the packet is only ever delivered locally.
    local_delivery(peer_vpc, s.subnet, /*via_peering=*/true);
  }

  void middlebox(const Id& eni_id, const Sender& s) {
    const auto* f = model::Network::find(net_.network_interfaces, eni_id);
    if (!f) {
      drop(eni_id, HopStep::EniForward, model::to_string(model::DropCode::BadStateRoute),
           eni_id + " is not in the snapshot");
      return;
    }
    if (!f->live()) {
      inactive(*f);
      return;
    }
    const auto* fsub = model::Network::find(net_.subnets, f->subnet_id);
    if (fsub && (!s.subnet || s.subnet->id != fsub->id) && !nacl(*fsub, Direction::Ingress)) return;
    if (!security_groups(*f, Direction::Ingress)) return;
    if (f->owns(p_.dst_ip)) {
      // The appliance is the destination itself: delivered (not in docs/semantics.md, which
      // only says a checking ENI that does not own D drops it).
      deliver(*f);
      return;
    }
    if (f->source_dest_check) {
      drop(f->id, HopStep::EniForward, model::to_string(model::DropCode::EniSourceDestCheckRestriction),
           f->id + " has source/destination check on and does not own " + format_ipv4(p_.dst_ip));
      return;
    }
    hop(f->id, HopStep::EniForward,
        "source/destination check off: forwarded unchanged (appliance not modelled)");
    leave_interface(*f, /*forwarding=*/true);
  }

  const model::Network& net_;
  SessionState& state_;
  model::Walk w_;
  Packet p_;
  std::set<std::tuple<Id, Ipv4Address, Ipv4Address, std::uint8_t, std::uint16_t, std::uint16_t>> visited_;
};

}  // namespace

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
