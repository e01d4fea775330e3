// SPDX-License-Identifier: Apache-2.0
// The packet walk's inside (trace/trace.h's walk and walk_session): one Walker member per
// paragraph of docs/semantics.md's "A packet's walk". walk.cpp holds the walk itself, its
// records, filters and route lookups; walk_targets.cpp what each route target does. Not a
// public header: nothing outside trace/ includes it.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "model/hop_step.h"
#include "model/network.h"
#include "trace/trace.h"

namespace vpcprove::trace::walking {

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

/** An IPv6 connection out through an egress-only internet gateway: its replies may come in. */
struct EgressOnlyBinding {
  Id eigw_id;
  Id vpc_id;
  Packet outside;  // the header as it left
};

/** What the first packet left behind for its reply (docs/semantics.md, "Replies"). */
struct SessionState {
  bool reply = false;
  std::set<Id> tracked;  // ENIs whose security groups admitted the first packet
  std::vector<NatBinding> nat;
  std::vector<EgressOnlyBinding> egress_only;
};

/** Who is sending a packet into a route lookup: an ENI, a NAT gateway or an IGW (edge table). */
struct Sender {
  Id node;
  Id vpc_id;
  const Subnet* subnet = nullptr;          // nullptr for an internet gateway
  const model::NatGateway* nat = nullptr;  // set when the sender is a NAT gateway
};

class Walker {
 public:
  Walker(const model::Network& net, SessionState& state) : net_(net), state_(state) {}

  model::Walk run(const Start& start, const Packet& packet);

 private:
  // ---- recording ---------------------------------------------------------------------------

  void hop(const Id& at, HopStep step, std::string by);
  /** The first route of routes (one family's, in decision order) whose destination holds p's. */
  static const model::Route* first_route(const std::vector<model::Route>& routes, const Packet& p);
  void drop(const Id& at, HopStep step, const std::string& code, std::string detail);
  void deliver(const NetworkInterface& eni);

  /** An ENI that is not attached, or whose instance is not running, sends and receives nothing. */
  void inactive(const NetworkInterface& eni);

  // ---- filters -----------------------------------------------------------------------------

  /** Security groups of eni in direction d; false when they drop the packet. */
  bool security_groups(const NetworkInterface& eni, Direction d);

  /** The NACL of subnet in direction d; false when it drops the packet. */
  bool nacl(const Subnet& subnet, Direction d);

  // ---- leaving an ENI, and the route lookup ------------------------------------------------

  Sender eni_sender(const NetworkInterface& eni) const;
  Sender nat_sender(const model::NatGateway& nat) const;

  /** "Leaving an ENI E": the source check, sg-egress, then the route lookup. */
  void leave_interface(const NetworkInterface& eni, bool forwarding);

  /**
   * The Amazon DNS server, instance metadata and Time Sync answer an ENI directly: no security
   * group, NACL or route applies to this traffic.
   * https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html ("Security group
   * rules don't filter traffic destined to and from ... Amazon DNS, ... Amazon EC2 instance
   * metadata, ... Amazon Time Sync Service") and
   * https://docs.aws.amazon.com/vpc/latest/userguide/nacl-basics.html (the same list for NACLs).
   */
  void aws_service(const NetworkInterface& eni, model::AwsService service);

  /** A visit of node with the current header; false (and ROUTING_LOOP, at at or node) when seen before. */
  bool visit(const Id& node, const Id& at = {});

  /** The route lookup of the sender's subnet, then the target's behaviour. */
  void leave(const Sender& s);
  void route_through(const model::RouteTable& rtb, const Sender& s);
  void by_target(const model::Route& route, const Sender& s);
  void leave_unmodelled(const model::Route& route);

  // ---- transit gateways (docs/semantics.md, "Transit gateways") ----------------------------

  /**
   * Handing the packet to a transit gateway through the sender VPC's attachment: only from an
   * Availability Zone where the attachment has a subnet
   * (https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html), past that
   * subnet's NACL inbound (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html; the
   * sender's own subnet's NACL outbound ran in by_target).
   */
  void to_transit_gateway(const model::TransitGatewayAttachment& att, const Sender& s);

  /** Arrived at the TGW on attachment from (sent from zone): the associated table decides. */
  void at_transit_gateway(const model::TransitGatewayAttachment& from, const std::string& zone);

  // ---- targets -----------------------------------------------------------------------------

  /** Delivery inside vpc_id; from is the subnet the packet comes from (nullptr: from outside). */
  void local_delivery(const Id& vpc_id, const Subnet* from, bool via_peering);

  /** The public IP that the IGW maps the current source to, and who owns it. */
  std::optional<std::pair<Ipv4Address, Id>> public_source(const Sender& s) const;
  void internet_gateway_egress(const Id& igw_id, const Sender& s);
  /** Left through gateway_id for a destination outside the snapshot: hop exit, ExitsInternet. */
  void exit_to_internet(const Id& gateway_id);

  /** "Entering from the internet": D is a public IP of the snapshot, or the packet is dropped. */
  void enter_from_internet();
  const model::RouteTable* edge_table(const Id& gateway_id) const;

  /** A packet to a NAT gateway's public IP: only the reply of a connection it made enters. */
  void enter_nat_from_internet(const model::NatGateway& nat);
  const NatBinding* find_binding(const Id& nat_id, const Packet& at_nat) const;

  /** In a reply, the NAT gateway whose ENI owner is and which holds a binding for the packet. */
  const model::NatGateway* reply_nat(const NetworkInterface& owner) const;

  /** The reply translation: back to the initiator's address and port, then NAT forwards it. */
  void nat_reply(const model::NatGateway& nat);
  void nat_gateway(const Id& nat_id, const Sender& s);

  // ---- IPv6 only (walk_ipv6.cpp) -----------------------------------------------------------

  void internet_gateway_egress6(const model::InternetGateway& igw, const Sender& s);
  /** An IPv6 packet may leave vpc_id by gateway_id for the internet: its source is in the VPC's
   *  IPv6 blocks and its destination in 2000::/3; false when it is dropped at the gateway. */
  bool leaves_for_internet6(const Id& gateway_id, const Id& vpc_id);
  /** Past gateway_id on the internet: an address of a snapshot ENI comes back in, any other exits. */
  void beyond_gateway6(const Id& gateway_id);
  /** An egress-only internet gateway: IPv6 out, remembered so that its replies may come in.
   *  https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html */
  void egress_only_egress(const Id& eigw_id, const Sender& s);
  /** An IPv6 packet from the internet to an address of an ENI: through the VPC's internet
   *  gateway, or as the reply of a connection out through an egress-only one. */
  void enter_from_internet6();
  /** An IPv6 packet at a NAT gateway: NAT64 for 64:ff9b::/96 (RFC 6052), dropped otherwise.
   *  https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-nat64-dns64.html */
  void nat64(const model::NatGateway& nat, const Sender& s);
  void peering(const Id& pcx_id, const Sender& s);
  /**
   * A gateway endpoint of the sender's VPC hands an IPv4 packet from one of the VPC's addresses to
   * one of its service's to the service
   * (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html: the route's destination is
   * the service's prefix list; endpoint connections are not extended out of the VPC, so a source beyond a
   * peering, a transit gateway or an internet gateway does not pass).
   */
  void gateway_endpoint(const model::GatewayEndpoint& endpoint, const Sender& s);
  /** The service's answer comes back through the endpoint and is delivered in its VPC. */
  void from_gateway_endpoint(const model::GatewayEndpoint& endpoint);
  void middlebox(const Id& eni_id, const Sender& s);
  const model::Network& net_;
  SessionState& state_;
  model::Walk w_;
  Packet p_;
  std::set<std::tuple<Id, Ipv4Address, Ipv4Address, Ipv6Address, Ipv6Address, std::uint8_t, std::uint16_t,
                      std::uint16_t>>
      visited_;
};

}  // namespace vpcprove::trace::walking
