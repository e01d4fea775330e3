// SPDX-License-Identifier: Apache-2.0
// The hops only IPv6 packets take (docs/semantics.md, "IPv6"): an internet gateway without
// translation, egress-only internet gateways, entering from the internet by an ENI's own
// address, and NAT64 at a NAT gateway. Everything else (filters, route lookups, delivery,
// peering, transit gateways) is the IPv4 walk reading the packet's family.
#include <string>

#include "model/describe.h"
#include "model/drop_code.h"
#include "trace/walker.h"

namespace vpcprove::trace::walking {

namespace {

/** The egress-only gateway attached to vpc_id, or nullptr. */
const model::EgressOnlyInternetGateway* egress_only_of(const model::Network& n, const Id& vpc_id) {
  for (const auto& [id, g] : n.egress_only_internet_gateways) {
    if (g.vpc_id == vpc_id) return &g;
  }
  return nullptr;
}

}  // namespace

bool Walker::leaves_for_internet6(const Id& gateway_id, const Id& vpc_id) {
  // IPv6 addresses are public by nature: a gateway translates nothing, and passes only
  // addresses of the VPC's own IPv6 blocks out.
  // https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html ("IPv6 traffic")
  if (!net_.vpc_contains6(vpc_id, p_.src_ip6)) {
    drop(gateway_id, HopStep::IgwEgress, model::to_string(model::DropCode::IgwPublicIpAssociationForEgress),
         "source " + p_.src_text() + " is in no IPv6 block of " + vpc_id);
    return false;
  }
  if (!is_internet6(p_.dst_ip6)) {
    drop(gateway_id, HopStep::IgwEgress, model::to_string(model::DropCode::IgwDestinationNotPublic),
         "destination " + p_.dst_text() + " is not an internet address (2000::/3)");
    return false;
  }
  return true;
}

void Walker::beyond_gateway6(const Id& gateway_id) {
  if (net_.interface_with_ipv6(p_.dst_ip6)) {
    enter_from_internet6();
    return;
  }
  exit_to_internet(gateway_id);
}

void Walker::internet_gateway_egress6(const model::InternetGateway& igw, const Sender& s) {
  if (!leaves_for_internet6(igw.id, s.vpc_id)) return;
  hop(igw.id, HopStep::IgwEgress, p_.src_text() + " (IPv6, not translated)");
  beyond_gateway6(igw.id);
}

void Walker::egress_only_egress(const Id& eigw_id, const Sender& s) {
  const auto* eigw = model::Network::find(net_.egress_only_internet_gateways, eigw_id);
  if (!eigw || eigw->vpc_id != s.vpc_id) {
    drop(eigw_id, HopStep::IgwEgress, model::to_string(model::DropCode::BadStateRoute),
         eigw_id + " is not attached to " + s.vpc_id);
    return;
  }
  if (!leaves_for_internet6(eigw_id, s.vpc_id)) return;
  if (!state_.reply) state_.egress_only.push_back({eigw_id, s.vpc_id, p_});
  hop(eigw_id, HopStep::IgwEgress, p_.src_text() + " (IPv6, egress-only)");
  beyond_gateway6(eigw_id);
}

void Walker::enter_from_internet6() {
  const auto* x = net_.interface_with_ipv6(p_.dst_ip6);
  if (!x) {
    drop("internet", HopStep::IgwIngress,
         model::to_string(model::DropCode::IgwPrivateIpAssociationForIngress),
         p_.dst_text() + " is not an IPv6 address of any network interface in the snapshot");
    return;
  }
  // The reply of a connection that left by an egress-only gateway comes back the same way.
  if (state_.reply) {
    for (const auto& b : state_.egress_only) {
      if (b.vpc_id == x->vpc_id && model::reply_to(b.outside) == p_) {
        hop(b.eigw_id, HopStep::IgwIngress, p_.dst_text() + " (" + x->id + ", reply through egress-only)");
        local_delivery(x->vpc_id, nullptr, false);
        return;
      }
    }
  }
  const auto* vpc = model::Network::find(net_.vpcs, x->vpc_id);
  if (!vpc || !vpc->internet_gateway_id) {
    const auto* eigw = egress_only_of(net_, x->vpc_id);
    if (eigw) {
      drop(eigw->id, HopStep::IgwIngress, model::to_string(model::DropCode::EigwInboundNotAllowed),
           eigw->id + " is egress-only: it admits only replies to connections from " + x->vpc_id);
    } else {
      drop(x->vpc_id, HopStep::IgwIngress,
           model::to_string(model::DropCode::IgwPrivateIpAssociationForIngress),
           x->vpc_id + " (of " + x->id + ") has no attached internet gateway");
    }
    return;
  }
  const Id& igw_id = *vpc->internet_gateway_id;
  hop(igw_id, HopStep::IgwIngress, p_.dst_text() + " (" + x->id + ", IPv6, not translated)");
  if (const auto* edge = edge_table(igw_id)) {
    if (!visit(igw_id)) return;
    route_through(*edge, Sender{igw_id, x->vpc_id, nullptr, nullptr});
    return;
  }
  local_delivery(x->vpc_id, nullptr, false);
}

void Walker::nat64(const model::NatGateway& nat, const Sender& s) {
  if (!nat64_prefix().contains(p_.dst_ip6)) {
    drop(nat.id, HopStep::Nat, model::to_string(model::DropCode::NgwUnsupportedProtocol),
         nat.id + " translates IPv6 only to 64:ff9b::/96 (NAT64), not " + p_.dst_text());
    return;
  }
  if (p_.protocol != model::kTcp && p_.protocol != model::kUdp) {
    // ICMPv6 becomes ICMP through NAT64 (RFC 7915), which vpcprove does not model: the packet
    // leaves the model, so no answer rests on it silently.
    hop(nat.id, HopStep::Leave,
        "NAT64 of " + model::protocol_name(p_.protocol) + " (not followed by vpcprove)");
    w_.disposition = model::Disposition::ExitsUnmodelled;
    w_.endpoint = nat.id;
    return;
  }
  const auto* sn = model::Network::find(net_.subnets, nat.subnet_id);
  if (sn && (!s.subnet || s.subnet->id != sn->id) && !nacl(*sn, Direction::Ingress)) return;
  const Packet inside = p_;
  p_.ip_version = 4;
  p_.src_ip = nat.private_ip;
  p_.dst_ip = inside.dst_ip6.low32();
  p_.src_ip6 = {};
  p_.dst_ip6 = {};
  if (p_.src_port < 1024) p_.src_port += 1024;
  state_.nat.push_back({nat.id, inside, p_});
  hop(nat.id, HopStep::Nat,
      inside.src_endpoint_text() + " -> " + p_.src_endpoint_text() + ", " + inside.dst_endpoint_text() +
          " -> " + p_.dst_endpoint_text() + " (" + nat.id + ", NAT64)");
  leave(nat_sender(nat));
}

}  // namespace vpcprove::trace::walking
