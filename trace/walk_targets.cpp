// SPDX-License-Identifier: Apache-2.0
// What each route target does with the packet (docs/semantics.md, "A packet's walk"): transit
// gateways, local delivery, internet gateways, NAT gateways, peerings and appliances.
#include <optional>
#include <string>
#include <utility>

#include "model/describe.h"
#include "model/drop_code.h"
#include "trace/nacl_match.h"
#include "trace/walker.h"

namespace vpcprove::trace::walking {

void Walker::to_transit_gateway(const model::TransitGatewayAttachment& att, const Sender& s) {
  const std::string zone = s.subnet ? s.subnet->availability_zone : std::string();
  const auto* via = net_.tgw_subnet_in_zone(att, zone);
  if (!via) {
    drop(att.id, HopStep::Tgw, model::to_string(model::DropCode::TgwAttachmentAzRestriction),
         att.id + " has no subnet in " + (zone.empty() ? "the sender's Availability Zone" : zone) + ", so " +
             s.node + " cannot reach " + att.transit_gateway_id);
    return;
  }
  if (!nacl(*via, Direction::Ingress)) return;
  at_transit_gateway(att, zone);
}

void Walker::at_transit_gateway(const model::TransitGatewayAttachment& from, const std::string& zone) {
  if (!visit(from.id + '@' + zone, from.id)) return;
  hop(from.transit_gateway_id, HopStep::Tgw, model::describe_tgw_arrival(from, zone));
  const auto* rtb = model::Network::find(net_.transit_gateway_route_tables, from.route_table_id);
  if (!rtb) {
    drop(from.id, HopStep::Route, model::to_string(model::DropCode::NoRouteToDestination),
         from.id + " is associated with no route table of " + from.transit_gateway_id);
    return;
  }
  const model::Route* route = first_route(p_.is_ipv6() ? rtb->routes6 : rtb->routes, p_);
  if (!route) {
    drop(rtb->id, HopStep::Route, model::to_string(model::DropCode::NoRouteToDestination),
         "no route of " + rtb->id + " contains " + p_.dst_text());
    return;
  }
  if (route->blackhole) {
    drop(rtb->id, HopStep::Route, model::to_string(model::DropCode::BadStateRoute), model::describe(*route));
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

void Walker::gateway_endpoint(const model::GatewayEndpoint& e, const Sender& s) {
  if (e.vpc_id != s.vpc_id) {
    drop(e.id, HopStep::Route, model::to_string(model::DropCode::BadStateRoute),
         e.id + " is a gateway endpoint of " + e.vpc_id + ", not of " + s.vpc_id);
    return;
  }
  if (!net_.vpc_contains(e.vpc_id, p_.src_ip)) {
    drop(e.id, HopStep::GatewayEndpoint, model::to_string(model::DropCode::VpceRequiresSourceInVpcCidr),
         p_.src_text() + " is not an address of " + e.vpc_id + ": " + e.id +
             " carries only its VPC's traffic");
    return;
  }
  if (!e.serves(p_.dst_ip)) {
    drop(e.id, HopStep::GatewayEndpoint, model::to_string(model::DropCode::VpceDestinationNotInService),
         p_.dst_text() + " is not an address of " +
             (e.service_name.empty() ? std::string("the service") : e.service_name) + " (" + e.id + ")");
    return;
  }
  hop(e.id, HopStep::GatewayEndpoint, model::describe(e));
  w_.disposition = model::Disposition::GatewayEndpoint;
  w_.endpoint = e.id;
}

void Walker::from_gateway_endpoint(const model::GatewayEndpoint& e) {
  hop(e.id, HopStep::GatewayEndpoint, model::describe(e, /*reply=*/true));
  // Back in the VPC the answer is delivered by the local route: the NACL of the subnet it
  // enters applies (stateless), the initiator's security groups admit it as a reply.
  local_delivery(e.vpc_id, nullptr, /*via_peering=*/false);
}

void Walker::local_delivery(const Id& vpc_id, const Subnet* from, bool via_peering) {
  const auto* dsub =
      p_.is_ipv6() ? net_.subnet_containing6(vpc_id, p_.dst_ip6) : net_.subnet_containing(vpc_id, p_.dst_ip);
  if (!dsub) {
    // The prover names the same drop: no interface holds the address (one code, two causes).
    drop(vpc_id, HopStep::Deliver, model::to_string(model::DropCode::DestinationAddressNotAssigned),
         p_.dst_text() + " is in no subnet of " + vpc_id);
    return;
  }
  if (via_peering || !from || from->id != dsub->id) {
    // Over a peering the source subnet's NACL already ran before the pcx hop.
    if (from && !via_peering && !nacl(*from, Direction::Egress)) return;
    if (!nacl(*dsub, Direction::Ingress)) return;
  }
  const auto* owner =
      p_.is_ipv6() ? net_.interface_owning6(vpc_id, p_.dst_ip6) : net_.interface_owning(vpc_id, p_.dst_ip);
  if (!owner) {
    drop(dsub->id, HopStep::Deliver, model::to_string(model::DropCode::DestinationAddressNotAssigned),
         "no network interface of " + dsub->id + " owns " + p_.dst_text());
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

std::optional<std::pair<Ipv4Address, Id>> Walker::public_source(const Sender& s) const {
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

void Walker::internet_gateway_egress(const Id& igw_id, const Sender& s) {
  const auto* igw = model::Network::find(net_.internet_gateways, igw_id);
  if (!igw || igw->vpc_id != s.vpc_id) {
    drop(igw_id, HopStep::IgwEgress, model::to_string(model::DropCode::BadStateRoute),
         igw_id + " is not attached to " + s.vpc_id);
    return;
  }
  if (p_.is_ipv6()) {
    internet_gateway_egress6(*igw, s);
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
  const std::string by = format_ipv4(p_.src_ip) + " -> " + format_ipv4(pub->first) + " (" + pub->second + ")";
  p_.src_ip = pub->first;
  hop(igw_id, HopStep::IgwEgress, by);
  if (net_.nat_gateway_with_public_ip(p_.dst_ip) || net_.interface_with_public_ip(p_.dst_ip)) {
    enter_from_internet();
    return;
  }
  exit_to_internet(igw_id);
}

void Walker::exit_to_internet(const Id& gateway_id) {
  hop(gateway_id, HopStep::Exit, p_.dst_text() + " (internet)");
  w_.disposition = model::Disposition::ExitsInternet;
  w_.endpoint = gateway_id;
}

void Walker::enter_from_internet() {
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
    drop(x->vpc_id, HopStep::IgwIngress, model::to_string(model::DropCode::IgwPrivateIpAssociationForIngress),
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

const model::RouteTable* Walker::edge_table(const Id& gateway_id) const {
  for (const auto& [id, rtb] : net_.route_tables) {
    for (const auto& g : rtb.gateway_ids) {
      if (g == gateway_id) return &rtb;
    }
  }
  return nullptr;
}

void Walker::enter_nat_from_internet(const model::NatGateway& nat) {
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
  const std::string by = format_ipv4(p_.dst_ip) + " -> " + format_ipv4(nat.private_ip) + " (" + nat.id + ")";
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

const NatBinding* Walker::find_binding(const Id& nat_id, const Packet& at_nat) const {
  for (const auto& b : state_.nat) {
    if (b.nat_id == nat_id && model::reply_to(b.outside) == at_nat) return &b;
  }
  return nullptr;
}

const model::NatGateway* Walker::reply_nat(const NetworkInterface& owner) const {
  if (!state_.reply || owner.kind != model::InterfaceKind::NatGateway || !owner.gateway_id) return nullptr;
  const auto* nat = model::Network::find(net_.nat_gateways, *owner.gateway_id);
  return nat && find_binding(nat->id, p_) ? nat : nullptr;
}

void Walker::nat_reply(const model::NatGateway& nat) {
  const NatBinding* b = find_binding(nat.id, p_);
  const Packet back = model::reply_to(b->inside);
  const std::string by =
      p_.dst_endpoint_text() + " -> " + back.dst_endpoint_text() + " (" + nat.id + ", reply)";
  p_ = back;
  hop(nat.id, HopStep::Nat, by);
  leave(nat_sender(nat));
}

void Walker::nat_gateway(const Id& nat_id, const Sender& s) {
  const auto* nat = model::Network::find(net_.nat_gateways, nat_id);
  if (!nat) {
    drop(nat_id, HopStep::Nat, model::to_string(model::DropCode::BadStateRoute),
         nat_id + " is not in the snapshot");
    return;
  }
  if (p_.is_ipv6()) {
    nat64(*nat, s);
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
      inside.src_endpoint_text() + " -> " + p_.src_endpoint_text() + " (" + nat->id + ")");
  leave(nat_sender(*nat));
}

void Walker::peering(const Id& pcx_id, const Sender& s) {
  const auto* pcx = model::Network::find(net_.vpc_peerings, pcx_id);
  if (!pcx || (pcx->requester_vpc_id != s.vpc_id && pcx->accepter_vpc_id != s.vpc_id)) {
    drop(pcx_id, HopStep::Pcx, model::to_string(model::DropCode::BadStateRoute),
         pcx_id + " is not an active peering of " + s.vpc_id);
    return;
  }
  const bool requester = pcx->requester_vpc_id == s.vpc_id;
  const Id& peer_vpc = requester ? pcx->accepter_vpc_id : pcx->requester_vpc_id;
  auto in = [](const auto& cidrs, const auto& a) {
    for (const auto& c : cidrs) {
      if (c.contains(a)) return true;
    }
    return false;
  };
  const bool v6 = p_.is_ipv6();
  const bool dst_shared =
      v6 ? in(requester ? pcx->accepter_ipv6_cidrs : pcx->requester_ipv6_cidrs, p_.dst_ip6)
         : in(requester ? pcx->accepter_cidrs : pcx->requester_cidrs, p_.dst_ip);
  const bool src_shared =
      v6 ? in(requester ? pcx->requester_ipv6_cidrs : pcx->accepter_ipv6_cidrs, p_.src_ip6)
         : in(requester ? pcx->requester_cidrs : pcx->accepter_cidrs, p_.src_ip);
  if (!dst_shared) {
    drop(pcx_id, HopStep::Pcx, model::to_string(model::DropCode::PcxRequiresAddressInVpcCidr),
         "destination " + p_.dst_text() + " is outside the CIDRs " + peer_vpc + " shares over " + pcx_id);
    return;
  }
  if (!src_shared) {
    drop(pcx_id, HopStep::Pcx, model::to_string(model::DropCode::PcxRequiresAddressInVpcCidr),
         "source " + p_.src_text() + " is outside the CIDRs " + s.vpc_id + " shares over " + pcx_id);
    return;
  }
  hop(pcx_id, HopStep::Pcx, s.vpc_id + " -> " + peer_vpc);
  // Not transitive: on the far side the packet is only ever delivered locally.
  local_delivery(peer_vpc, s.subnet, /*via_peering=*/true);
}

void Walker::middlebox(const Id& eni_id, const Sender& s) {
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
  if (p_.is_ipv6() ? f->owns6(p_.dst_ip6) : f->owns(p_.dst_ip)) {
    // The appliance is the destination itself: delivered (not in docs/semantics.md, which
    // only says a checking ENI that does not own D drops it).
    deliver(*f);
    return;
  }
  if (f->source_dest_check) {
    drop(f->id, HopStep::EniForward, model::to_string(model::DropCode::EniSourceDestCheckRestriction),
         f->id + " has source/destination check on and does not own " + p_.dst_text());
    return;
  }
  hop(f->id, HopStep::EniForward,
      "source/destination check off: forwarded unchanged (appliance not modelled)");
  leave_interface(*f, /*forwarding=*/true);
}

}  // namespace vpcprove::trace::walking
