// SPDX-License-Identifier: Apache-2.0
// The forwarding graph: every place a packet can be and every step the model lets it take.
//
// Vertices are locations (leaving an ENI, a subnet's route lookup, past an internet gateway,
// past a NAT gateway, ...) and terminals (delivered to an ENI, exits to the internet, leaves
// through an unmodelled gateway, dropped). An edge is one forwarding step of
// docs/semantics.md as a short list of Steps (filters, the route chosen, translations), which
// is exactly what the encoder turns into constraints and what a witness names as hops.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/hop_step.h"
#include "model/network.h"

namespace vpcprove::graph {

/** Where a packet is. See docs/semantics.md "A packet's walk". */
enum class VertexKind {
  EniOut,      ///< about to leave ENI id (as the source, or forwarded by an appliance)
  Router,      ///< route lookup for a sender: id is the subnet (ENIs there), NAT or IGW (edge table); aux the
               ///< table
  IgwOut,      ///< left through internet gateway id, source already translated
  IgwIn,       ///< entered through internet gateway id, destination already translated
  NatReverse,  ///< a reply arrived at NAT gateway id (reply walks only)
  PcxIn,       ///< crossed peering id into VPC aux
  SubnetIn,    ///< arrived in subnet id of VPC aux by the local route, past the NACLs that apply: one
               ///< vertex per subnet fans out to its ENIs, so senders x ENIs edges become senders + ENIs
  TgwIn,       ///< arrived at a transit gateway on attachment id, sent from Availability Zone aux
  Internet,    ///< an internet host: source of walks from the internet, and what a walk crosses between
               ///< leaving by one internet gateway and entering by another
  Delivered,   ///< terminal: delivered to ENI id
  ExitsInternet,    ///< terminal: left to the internet
  ExitsUnmodelled,  ///< terminal: handed to gateway id, which vpcprove does not follow
  Dropped,          ///< terminal: dropped at id with code (only structural drops, for reasons)
  AwsService,       ///< terminal: answered by AWS service id (model::to_string(AwsService)), unfiltered
  GatewayEndpoint,  ///< terminal: handed to its service by gateway endpoint id
  EndpointReply,    ///< the service's answer back in VPC aux through gateway endpoint id (reply walks only)
};
const char* to_string(VertexKind kind);

struct Vertex {
  VertexKind kind = VertexKind::Dropped;
  model::Id id;      ///< ENI, subnet, gateway, peering, ... (see VertexKind)
  model::Id aux;     ///< PcxIn: the VPC entered
  std::string code;  ///< Dropped: the explanation code
};

/** One constraint or hop of an edge. The field use per kind is listed at each enumerator. */
enum class StepKind {
  SgEgress,     ///< id: ENI; its groups' egress rules, peer = dst. Hop sg-egress.
  SgIngress,    ///< id: ENI; its groups' ingress rules, peer = src. Hop sg-ingress.
  NaclEgress,   ///< id: subnet; its NACL's egress entries, peer = dst. Hop nacl-egress.
  NaclIngress,  ///< id: subnet; its NACL's ingress entries, peer = src. Hop nacl-ingress.
  Route,        ///< id: route table, index: position in routes; an IPv4 packet's chosen route. Hop route.
  Route6,       ///< id: route table, index: position in routes6; an IPv6 packet's chosen route. Hop route.
  NoRoute,      ///< id: route table (or "" when the subnet has none); no route of dst's family matches dst.
  OwnsDst,      ///< id: ENI; dst is one of its private IPs.
  Deliver,      ///< id: ENI. Hop deliver.
  IgwEgress,    ///< id: IGW, aux: the sending NAT or ""; IPv4: src has a public IP, dst not private; src :=
                ///< public. IPv6: src in the VPC's IPv6 blocks, dst in 2000::/3, nothing translated.
                ///< Hop igw-egress.
  EigwEgress,   ///< id: egress-only IGW; an IPv6 packet, src in the VPC's IPv6 blocks, dst in 2000::/3.
                ///< Hop igw-egress.
  NotSnapshotPublic,  ///< dst is no ENI's or NAT gateway's public IP (IPv6: no ENI's IPv6 address).
  Exit,               ///< id: IGW. Hop exit.
  IgwIngress,  ///< id: IGW, aux: "" or a NAT; dst is the public IP of an ENI of its VPC (or of that NAT); dst
               ///< := private. IPv6 (aux ""): dst is an IPv6 address of an ENI of its VPC, and the packet
               ///< is no reply an egress-only gateway of that VPC takes in. Hop igw-ingress.
  EigwIngress,   ///< id: egress-only IGW: the reply of a connection the first packet opened through it
                 ///< (never a first packet). Hop igw-ingress.
  NatProtocol,   ///< id: NAT; protocol is TCP, UDP or ICMP (IPv6, NAT64: TCP or UDP to 64:ff9b::/96).
  NatTranslate,  ///< id: NAT; src := NAT's private IP, low TCP/UDP src ports + 1024 (IPv6, NAT64: an
                 ///< IPv4 packet to the address dst embeds). Hop nat.
  Nat64Leave,    ///< id: NAT; an IPv6 packet to 64:ff9b::/96 that is neither TCP nor UDP (ICMPv6 through
                 ///< NAT64 is not modelled). Hop leave.
  NatReverse,    ///< id: NAT (replies only); matches the forward translation and undoes it. Hop nat.
  NatAddressed,  ///< id: NAT (replies only); dst is the NAT's private IP.
  PcxCheck,  ///< id: peering, aux: the VPC it is entered from; dst in the far side's, src in the near side's
             ///< CIDRs.
  Pcx,       ///< id: peering. Hop pcx.
  SourceDestCheck,  ///< id: ENI; it does not own dst and its source/dest check is off (else: dropped or
                    ///< delivered).
  EniForward,       ///< id: ENI. Hop eni-forward.
  Leave,            ///< id: gateway. Hop leave.
  Active,           ///< id: ENI; it is live (attached, its instance running), else nothing passes.
  AwsService,  ///< id: ENI, aux: the service; dst is one of its addresses for the ENI's VPC. Hop aws-service.
  NotAwsService,  ///< id: ENI; dst is no AWS service address of the ENI's VPC (else AwsService decides).
  TgwArrive,      ///< id: the attachment a packet arrives on, aux: the sender's zone. Hop tgw (at the TGW).
  TgwRoute,       ///< id: TGW route table, index: position in routes; the IPv4 route chosen. Hop route.
  TgwRoute6,      ///< id: TGW route table, index: position in routes6; the IPv6 route chosen. Hop route.
  TgwNoRoute,     ///< id: TGW route table (or "" when the attachment has none); no route of dst's family
                  ///< matches dst.
  TgwEnter,       ///< id: the attachment the TGW sends into, aux: the subnet it enters at. Hop tgw.
  VpceSource,     ///< id: gateway endpoint; an IPv4 packet whose src is in the endpoint's VPC's CIDRs.
  VpceService,    ///< id: gateway endpoint; dst is one of its service's addresses. Hop vpce.
  NotVpceSource,  ///< id: gateway endpoint; an IPv4 packet whose src is in none of its VPC's CIDRs (dropped).
  NotVpceService,  ///< id: gateway endpoint; dst is none of its service's addresses (dropped).
};
const char* to_string(StepKind kind);
/** The contract's hop step a StepKind belongs to ("sg-egress", "route", "nat", "eni-forward", …),
 *  as trace names it; every StepKind belongs to one. */
model::HopStep hop_step(StepKind kind);

struct Step {
  Step() = default;
  Step(StepKind k, model::Id i = {}, int n = -1, model::Id a = {})  // NOLINT: brace-initialised everywhere
      : kind(k), id(std::move(i)), index(n), aux(std::move(a)) {}
  StepKind kind = StepKind::Deliver;
  model::Id id;
  int index = -1;
  model::Id aux;
};

struct Edge {
  std::vector<Step> steps;
  bool reply_only = false;  ///< exists only for replies (traffic back to a NAT gateway)
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Vertex, Edge>;
using VertexId = Graph::vertex_descriptor;
using EdgeId = Graph::edge_descriptor;

/**
 * The ENIs a graph gives vertices of their own (leaving it, delivered to it). Every ENI serves
 * every question; a question about a few ENIs needs only theirs, because an ENI that does not
 * forward is only ever a walk's first vertex or its last, never a hop in between: the paths
 * between ENIs of a scope are the same in the graph of the scope and in the graph of every
 * ENI. The ENIs that forward (route targets) are therefore always in.
 */
class EniScope {
 public:
  static EniScope every() { return EniScope(); }
  /** These ENIs (IDs the network lacks are ignored) and every route target. */
  static EniScope only(std::vector<model::Id> enis);

  [[nodiscard]] bool is_every() const { return every_; }
  /** Sorted, distinct; empty for every(). */
  [[nodiscard]] const std::vector<model::Id>& enis() const { return enis_; }

 private:
  bool every_ = true;
  std::vector<model::Id> enis_;
};

/**
 * The forwarding graph of one network. Built once (it is a function of the model and the ENI
 * scope only) and shared read-only by every query and thread. The network must outlive it.
 */
class ForwardingGraph {
 public:
  explicit ForwardingGraph(const model::Network& network, const EniScope& scope = EniScope::every());

  [[nodiscard]] const Graph& graph() const { return g_; }
  [[nodiscard]] const model::Network& network() const { return *network_; }
  [[nodiscard]] const Vertex& vertex(VertexId v) const { return g_[v]; }
  [[nodiscard]] const Edge& edge(EdgeId e) const { return g_[e]; }

  /** Start of walks leaving ENI id (for a NAT gateway's ENI: the NAT's route lookup, as it has
   *  no security groups); throws std::out_of_range for an ID unknown or outside the scope. */
  [[nodiscard]] VertexId start(const model::Id& eni_id) const;
  /** Terminal: delivered to ENI id; throws std::out_of_range for an ID unknown or outside the scope. */
  [[nodiscard]] VertexId delivered(const model::Id& id) const { return delivered_.at(id); }
  [[nodiscard]] VertexId internet() const { return internet_; }
  [[nodiscard]] VertexId exits_internet() const { return exits_internet_; }
  /** Terminals: answered by each AWS service (model::kAwsServices order). */
  [[nodiscard]] const std::vector<VertexId>& aws_services() const { return aws_services_; }
  /** Terminal: handed to its service by gateway endpoint id (Network::gateway_endpoints); throws
   *  std::out_of_range for any other ID. */
  [[nodiscard]] VertexId gateway_endpoint(const model::Id& id) const { return gateway_endpoints_.at(id); }
  /** Where the reply of a packet handed to gateway endpoint id starts (its service's answer). */
  [[nodiscard]] VertexId endpoint_reply(const model::Id& id) const { return endpoint_replies_.at(id); }
  /** Every terminal vertex (Delivered, ExitsInternet, ExitsUnmodelled, Dropped). */
  [[nodiscard]] bool is_terminal(VertexId v) const;

  /** model::Network::public_private_disjoint(): bounds path enumeration without losing paths. */
  [[nodiscard]] bool public_private_disjoint() const { return network_->public_private_disjoint(); }

  /** "eni-1 -> rtb-1 -> igw-1 -> internet"-style name of a vertex, for messages. */
  [[nodiscard]] std::string name(VertexId v) const;

 private:
  VertexId add(VertexKind kind, model::Id id, model::Id aux = {}, std::string code = {});
  VertexId leave_vertex(const model::Id& gateway_id);
  void add_edge(VertexId from, VertexId to, std::vector<Step> steps, bool reply_only = false);
  /** Who hands a packet to a route lookup (trace's Sender): an ENI's subnet, a NAT, an IGW. */
  struct Sender {
    model::Id node;
    model::Id vpc_id;
    const model::Subnet* subnet = nullptr;
    const model::NatGateway* nat = nullptr;
  };
  void add_router_edges(VertexId from, const Sender& s, const model::RouteTable* table);
  void add_local_delivery(VertexId from, const model::Id& vpc_id, const model::Id& from_subnet,
                          const std::vector<Step>& prefix);
  /** The edges of route index of table's IPv4 routes (ipv6 false) or IPv6 routes (true). */
  void add_route_target(VertexId from, const Sender& s, const model::RouteTable& table, int index, bool ipv6);
  void add_ingress_edges(VertexId from);
  /** Through attachment att of the sender's VPC into its TGW (the route's edge so far: steps). */
  void add_tgw_edges(VertexId from, const Sender& s, const model::TransitGatewayAttachment& att,
                     std::vector<Step> steps);
  /** The vertex of arriving at a TGW on attachment att_id from zone (its edges built by finish_tgw). */
  VertexId tgw_in(const model::Id& att_id, const std::string& zone);
  /** The route lookup of a TGW's entry into att's VPC at subnet (edges built by finish_tgw). */
  VertexId tgw_entry(const model::TransitGatewayAttachment& att, const model::Subnet& subnet);
  /** Builds the edges of the TGW vertices made so far, and of those they make, until none is left. */
  void finish_tgw();

  const model::Network* network_;
  Graph g_;
  // Looked up, never walked: hashed, as there is one entry per ENI or subnet.
  std::unordered_map<model::Id, VertexId> eni_out_, delivered_, subnet_router_;
  // igw_out_ holds egress-only gateways too (their IPv6 leaves like an IGW's); eigw_in_ is where
  // replies they admit enter.
  std::map<model::Id, VertexId> nat_router_, igw_out_, igw_in_, eigw_in_, nat_reverse_, leave_;
  /** Internet gateway -> the route lookup of its edge-associated table (ingress routing). */
  std::map<model::Id, VertexId> edge_router_;
  std::map<std::pair<model::Id, model::Id>, VertexId> pcx_in_;
  /** VPC -> (subnet, its SubnetIn vertex) for every subnet an ENI of the VPC names, in subnet order. */
  std::map<model::Id, std::vector<std::pair<model::Id, VertexId>>> subnet_in_;
  std::map<std::pair<model::Id, std::string>, VertexId> dropped_;
  /** (attachment, zone) -> TgwIn; (attachment, subnet) -> the entry's Router. */
  std::map<std::pair<model::Id, std::string>, VertexId> tgw_in_, tgw_entry_;
  std::vector<std::pair<model::Id, std::string>> tgw_in_todo_, tgw_entry_todo_;
  VertexId internet_{};
  VertexId exits_internet_{};
  std::vector<VertexId> aws_services_;
  std::map<model::Id, VertexId> gateway_endpoints_, endpoint_replies_;
};

}  // namespace vpcprove::graph
