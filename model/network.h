// SPDX-License-Identifier: Apache-2.0
// What the network does, independent of AWS's JSON: the vendor-independent model.
//
// The converter (aws/) fills a Network; trace/, graph/ and encoder/ read it and never see
// JSON. Every object keeps its AWS ID, its tags and the file it came from, so that every
// hop, drop and warning can name it. Semantics are written down in docs/semantics.md;
// the fields below are what that document talks about.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.h"
#include "common/ipv4.h"
#include "common/ipv6.h"
#include "model/packet.h"

namespace vpcprove::model {

using Id = std::string;
using Tags = std::map<std::string, std::string>;

/** A value unknown until apply (a Terraform plan's after_unknown) and the resource whose behaviour it sets.
 */
struct UnknownValue {
  Id resource;            ///< ID (or Terraform address) of the resource it sets
  std::string address;    ///< the Terraform address holding it
  std::string attribute;  ///< "private_ip", "ingress[0].cidr_blocks", …
  /** "address.attribute", as an answer names it. */
  [[nodiscard]] std::string name() const { return address + '.' + attribute; }
};

/** Where an object came from, for messages. */
struct Origin {
  std::string file;     ///< snapshot file path, as given on the command line
  std::string account;  ///< OwnerId when AWS printed one, else the folder name, else ""
  std::string region;   ///< from the folder layout or the AZ, else ""
};

enum class Direction { Ingress, Egress };
const char* to_string(Direction d);  // "ingress" / "egress"

/**
 * The layer-4 part of a filter rule (security-group rule or NACL entry).
 * protocol == kAnyProtocol matches every packet's L4 fields.
 * For TCP/UDP, ports constrains the destination port (AWS filters never match source ports).
 * For ICMP, icmp_type/icmp_code of -1 mean "any"; ports is unused.
 * For other protocol numbers only the protocol is compared.
 */
struct L4Match {
  int protocol = kAnyProtocol;
  PortRange ports{};
  int icmp_type = -1;
  int icmp_code = -1;
  /** An invalid rule (e.g. ICMP FromPort -1 with ToPort 9) matches nothing, with a warning. */
  bool matches_nothing = false;
};

/**
 * One security-group rule, flattened: AWS's IpPermission with N peers (IpRanges,
 * Ipv6Ranges, UserIdGroupPairs, PrefixListIds) becomes N rules in the order AWS printed them.
 * A rule matches an IPv4 packet whose peer address is in peer_prefixes and an IPv6 packet whose
 * peer address is in peer_prefixes6; an Ipv6Ranges rule has only the latter, so it matches no
 * IPv4 packet.
 */
struct SgRule {
  Id group_id;
  Direction direction = Direction::Ingress;
  int index = 0;  ///< position among this group's flattened rules of this direction, from 0
  L4Match l4;
  /** What the peer was in AWS terms, for messages: "0.0.0.0/0", "sg-0ab", "pl-63a5400a". */
  std::string peer;
  /**
   * The addresses the peer stands for (source for ingress, destination for egress):
   * the CIDR itself; a prefix list's entries; for a referenced group, a /32 for every
   * private IPv4 address of every ENI that carries that group (AWS matches a group
   * reference against private addresses only).
   */
  std::vector<Ipv4Prefix> peer_prefixes;
  /** The IPv6 addresses the peer stands for: an Ipv6Ranges CIDR; a prefix list's IPv6 entries;
   *  for a referenced group, a /128 per IPv6 address (and each delegated IPv6 prefix) of every
   *  ENI that carries it. */
  std::vector<Ipv6Prefix> peer_prefixes6;
  std::string description;

  /** "sg-0ab/ingress/2": the name of the rule in hops, Z3 literals and cores. */
  [[nodiscard]] std::string label() const;
};

struct SecurityGroup {
  Id id;
  std::string name;
  Id vpc_id;
  std::vector<SgRule> ingress;
  std::vector<SgRule> egress;
  /** IPv6 rules (Ipv6Ranges peers), not modelled: "tcp 22 ::/0" each, for the assumptions that
   *  name them (model/assumption.h). */
  std::vector<std::string> ipv6_ingress;
  std::vector<std::string> ipv6_egress;
  Tags tags;
  Origin origin;
};

/**
 * One NACL entry. cidr is the source for ingress entries, the destination for egress; an IPv6
 * entry (Ipv6CidrBlock) has cidr6 instead and lives in NetworkAcl::ingress6/egress6.
 */
struct NaclEntry {
  Id acl_id;
  Direction direction = Direction::Ingress;
  int rule_number = 0;
  bool allow = false;
  L4Match l4;
  Ipv4Prefix cidr;
  std::optional<Ipv6Prefix> cidr6;  ///< set exactly for IPv6 entries
  /** "acl-0d4/ingress/100". */
  [[nodiscard]] std::string label() const;
};

/**
 * A network ACL. ingress and egress are sorted by rule_number ascending; the first entry
 * that matches decides; a packet no entry matches is denied (AWS's "*" rule, rule number
 * 32767, is dropped by the converter because this default is built in).
 */
struct NetworkAcl {
  Id id;
  Id vpc_id;
  bool is_default = false;
  std::vector<NaclEntry> ingress;
  std::vector<NaclEntry> egress;
  /** true for the allow-all ACL the converter makes when a snapshot has no NetworkAcls. */
  bool synthesized = false;
  /** IPv6 entries (Ipv6CidrBlock), sorted like ingress/egress. AWS numbers IPv4 and IPv6 entries
   *  in one list, but an entry of one family never matches a packet of the other, so first match
   *  within the packet's family is AWS's order; the IPv6 "*" rule 32768 is the same built-in deny.
   *  https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html */
  std::vector<NaclEntry> ingress6;
  std::vector<NaclEntry> egress6;
  /** IPv6 entries, not modelled, as "ingress rule 101 allow ::/0" (until every stage reads
   *  ingress6/egress6, answers they could change name them: model/assumption.h). */
  std::vector<std::string> ipv6_entries;
  Tags tags;
  Origin origin;
};

enum class RouteTargetKind {
  Local,                      ///< the VPC's implied router: deliver inside the VPC
  InternetGateway,            ///< igw-
  EgressOnlyInternetGateway,  ///< eigw- (IPv6 only; IPv4 routes to it drop)
  NatGateway,                 ///< nat-
  NetworkInterface,           ///< eni- (a route to an instance is resolved to its primary ENI)
  VpcPeering,                 ///< pcx-
  TransitGateway,             ///< tgw-      (followed when the snapshot holds it: Network::transit_gateways)
  VirtualPrivateGateway,      ///< vgw-      (not followed yet: traffic leaves the model)
  GatewayEndpoint,            ///< vpce-: a gateway endpoint (S3/DynamoDB) the snapshot describes is followed
                              ///< (Network::gateway_endpoints); any other vpce- (GWLB) leaves the model
  Other,                      ///< carrier/local/core-network gateways and anything newer
  TransitGatewayAttachment,   ///< tgw-attach- (the target of a transit gateway route table's route)
};
const char* to_string(RouteTargetKind kind);

/** One route. A prefix-list destination is expanded to one Route per entry. An IPv6 route
 *  (DestinationIpv6CidrBlock) has destination6 and lives in RouteTable::routes6. */
struct Route {
  Ipv4Prefix destination;
  std::optional<Ipv6Prefix> destination6;  ///< set exactly for IPv6 routes
  std::optional<Id> prefix_list_id;        ///< set when destination came from a prefix list
  RouteTargetKind target_kind = RouteTargetKind::Local;
  Id target_id;            ///< "local" for Local, else the gateway/ENI/peering ID
  bool blackhole = false;  ///< State "blackhole", or a target the snapshot lacks
  std::string origin;      ///< AWS's Origin: CreateRouteTable, CreateRoute, EnableVgwRoutePropagation
  /** "rtb-0e5/0.0.0.0/0" ("rtb-0e5/::/0" for IPv6): the name of the route in hops and Z3 literals. */
  [[nodiscard]] std::string label(const Id& route_table_id) const;
};

/**
 * A route table. routes is in *decision order*: longest prefix first, and among equal
 * prefixes the one AWS prefers first (see docs/semantics.md, "Route priority"). So the
 * route used for a destination is the FIRST route whose destination contains it; if none
 * does, the packet is dropped with NO_ROUTE_TO_DESTINATION.
 */
struct RouteTable {
  Id id;
  Id vpc_id;
  bool is_main = false;
  std::vector<Route> routes;
  std::vector<Id> subnet_ids;   ///< explicit subnet associations
  std::vector<Id> gateway_ids;  ///< edge associations (ingress routing from an IGW)
  /** The IPv6 routes in decision order (as routes), the local IPv6 route(s) included: an IPv6
   *  packet is routed by these only, an IPv4 packet by routes only. */
  std::vector<Route> routes6;
  /** IPv6 routes, not modelled, as "::/0 -> igw-0ab" (until every stage reads routes6). */
  std::vector<std::string> ipv6_routes;
  Tags tags;
  Origin origin;
};

struct Vpc {
  Id id;
  std::vector<Ipv4Prefix> cidrs;          ///< every associated IPv4 CIDR block, the primary first
  std::vector<Ipv6Prefix> ipv6_cidrs;     ///< every associated IPv6 CIDR block (State associated)
  Id main_route_table_id;                 ///< "" when the snapshot has none
  Id default_nacl_id;                     ///< "" when the snapshot has none
  std::optional<Id> internet_gateway_id;  ///< the attached, available IGW, if any
  Tags tags;
  Origin origin;
};

struct Subnet {
  Id id;
  Id vpc_id;
  Ipv4Prefix cidr;
  std::string availability_zone;
  /** The table that routes this subnet's traffic: explicit association, else the VPC's main
   *  table, else "" (then every packet leaving the subnet is dropped: NO_ROUTE_TO_DESTINATION). */
  Id route_table_id;
  /** The NACL of this subnet: explicit association, else the VPC's default NACL; never ""
   *  after conversion (the converter synthesises an allow-all ACL when needed). */
  Id nacl_id;
  /** An IPv6-only subnet (no IPv4 CIDR; cidr is then 0.0.0.0/32 and never contains an ENI's
   *  address): IPv6 is not modelled, so nothing of IPv4 lives here. */
  bool ipv6_only = false;
  std::vector<Ipv6Prefix> ipv6_cidrs;  ///< associated IPv6 CIDR blocks (AWS allows one /64)
  Tags tags;
  Origin origin;
};

/**
 * What an ENI is for, read from AWS's InterfaceType, RequesterId, Description and attachment
 * (docs/semantics.md, "What an ENI is"). to_string() gives the contract's kind names, which
 * `kind:KIND` selects. Every kind but the three that only carry a gateway's traffic (NAT
 * gateway, transit gateway attachment, Gateway Load Balancer endpoint) can end a flow.
 */
enum class InterfaceKind {
  Instance,                    ///< an EC2 instance's (interface, efa, trunk, branch)
  NatGateway,                  ///< a NAT gateway's: reached as nat-…
  VpcEndpoint,                 ///< an interface endpoint's (PrivateLink, Transfer Family, …)
  LoadBalancer,                ///< an ALB's, NLB's, CLB's or GWLB's
  TransitGateway,              ///< a transit gateway attachment's: reached as tgw-attach-…
  Other,                       ///< anything else in use (EFS, API Gateway, QuickSight, …) or detached
  Database,                    ///< an RDS (or other amazon-rds managed) database's
  Lambda,                      ///< a Lambda function's
  GatewayLoadBalancerEndpoint  ///< a GWLB endpoint's: reached as vpce-…
};
const char* to_string(InterfaceKind kind);  // "instance", "load-balancer", … (the contract's names)
/** The kind whose to_string() is name, or nullopt. */
std::optional<InterfaceKind> interface_kind_named(std::string_view name);

/**
 * The AWS services an ENI talks to without any security group or network ACL in the way
 * (docs/semantics.md, "Traffic AWS does not filter"): the Amazon DNS server (the VPC's
 * primary CIDR base + 2, and 169.254.169.253), the instance metadata service
 * (169.254.169.254) and the Amazon Time Sync Service (169.254.169.123).
 */
enum class AwsService { AmazonDns, InstanceMetadata, TimeSync };
const char* to_string(AwsService s);  // "amazon-dns", "instance-metadata", "amazon-time-sync"
inline constexpr AwsService kAwsServices[] = {AwsService::AmazonDns, AwsService::InstanceMetadata,
                                              AwsService::TimeSync};

struct PrivateIp {
  Ipv4Address address = 0;
  bool primary = false;
  std::optional<Ipv4Address> public_ip;  ///< public or Elastic IP mapped 1:1 to this address
  /** An address of a delegated prefix (Ipv4Prefixes): owned like a secondary private IP. */
  bool delegated = false;
};

struct NetworkInterface {
  Id id;
  Id subnet_id;
  Id vpc_id;
  std::vector<PrivateIp> private_ips;  ///< primary first
  std::vector<Id> security_group_ids;  ///< union of rules of all groups applies
  bool source_dest_check = true;
  std::string interface_type;  ///< AWS's InterfaceType verbatim ("interface", "nat_gateway", …)
  InterfaceKind kind = InterfaceKind::Instance;
  std::optional<Id> instance_id;
  std::optional<Id> gateway_id;  ///< nat-… / vpce-… that owns this ENI, when AWS manages it
  /** Who owns it beyond its kind, for people: "app/web-alb/50dc…" (a load balancer), "orders-db"
   *  (an RDS instance), a function name; "" when the snapshot does not say. */
  std::string owner;
  std::vector<Ipv6Address> ipv6_addresses;  ///< Ipv6Addresses, in AWS's order
  /** Delegated IPv6 prefixes (Ipv6Prefixes, /80 each): every address in them is the ENI's. */
  std::vector<Ipv6Prefix> ipv6_delegated_prefixes;
  std::string description;
  /** The delegated IPv4 prefixes (Ipv4Prefixes); their addresses are also in private_ips. */
  std::vector<Ipv4Prefix> delegated_prefixes;
  /**
   * true when no security group filters this ENI: a Network Load Balancer created without
   * security groups, a Gateway Load Balancer (or its endpoint). Every other ENI with no group
   * passes nothing (docs/semantics.md, "ENIs without security groups").
   */
  bool unfiltered = false;
  /** Why this ENI sends and receives nothing, "" while it is live: not attached (Status
   *  "available"), or its instance is not running. */
  std::string inactive;
  /** The Reachability-Analyzer-style code of inactive ("ENI_NOT_ATTACHED", "INSTANCE_NOT_RUNNING"). */
  std::string inactive_code;
  Tags tags;
  Origin origin;

  [[nodiscard]] bool owns(Ipv4Address private_address) const;
  /** address is one of ipv6_addresses or in a delegated IPv6 prefix. */
  [[nodiscard]] bool owns6(const Ipv6Address& address) const;
  [[nodiscard]] bool has_ipv6() const { return !ipv6_addresses.empty() || !ipv6_delegated_prefixes.empty(); }
  [[nodiscard]] bool has_public_ip() const;
  [[nodiscard]] bool live() const { return inactive.empty(); }
  /** The "by" of an sg hop through an unfiltered ENI, as trace and witnesses name it. */
  [[nodiscard]] std::string unfiltered_text() const;
  /** A member of sets (subnet-, sg-, vpc-, tag:, kind:, …): live, and not a gateway's carrier. */
  [[nodiscard]] bool in_sets() const;
};

struct Instance {
  Id id;
  std::vector<Id> network_interface_ids;  ///< device index order
  Tags tags;
  Origin origin;
};

struct InternetGateway {
  Id id;
  Id vpc_id;  ///< the attached VPC ("" if detached: then nothing routes through it)
  Tags tags;
  Origin origin;
};

/** An egress-only internet gateway: IPv6 connections out of its VPC, and only their replies in.
 *  https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html */
struct EgressOnlyInternetGateway {
  Id id;
  Id vpc_id;  ///< the attached VPC ("" if detached: then routes to it drop)
  Tags tags;
  Origin origin;
};

struct NatGateway {
  Id id;
  Id vpc_id;
  Id subnet_id;
  Id network_interface_id;
  Ipv4Address private_ip = 0;
  std::optional<Ipv4Address> public_ip;  ///< set for public NAT gateways
  bool is_public = true;                 ///< ConnectivityType "public" (default) vs "private"
  Tags tags;
  Origin origin;
};

/** An active VPC peering. Each side may reach the other side's listed CIDRs only. */
struct VpcPeering {
  Id id;
  Id requester_vpc_id;
  Id accepter_vpc_id;
  std::vector<Ipv4Prefix> requester_cidrs;
  std::vector<Ipv4Prefix> accepter_cidrs;
  std::vector<Ipv6Prefix> requester_ipv6_cidrs;  ///< RequesterVpcInfo.Ipv6CidrBlockSet
  std::vector<Ipv6Prefix> accepter_ipv6_cidrs;
  Tags tags;
  Origin origin;
};

struct PrefixList {
  Id id;
  std::string name;
  std::vector<Ipv4Prefix> cidrs;
  std::vector<Ipv6Prefix> ipv6_cidrs;  ///< AddressFamily IPv6 lists (or IPv6 entries of any list)
  Origin origin;
};

/**
 * A gateway endpoint (describe-vpc-endpoints, VpcEndpointType "Gateway", State available): the
 * route target through which its VPC reaches an AWS service (S3, DynamoDB) over the service's
 * prefix-list routes (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html).
 * A packet a route sends to it is handed to the service when its destination is one of the
 * service's addresses and its source one of the VPC's; the service's answer comes back into
 * the VPC (docs/semantics.md, "Gateway endpoints"). Its policy (PolicyDocument) is not read.
 */
struct GatewayEndpoint {
  Id id;
  Id vpc_id;
  std::string service_name;  ///< "com.amazonaws.us-east-1.s3"
  std::vector<Id> route_table_ids;
  /** The service's prefix list (PrefixListName == ServiceName, else the one its routes use), "" if none. */
  Id prefix_list_id;
  /** The service's IPv4 addresses: the entries of that prefix list and of every prefix list a
   *  route to this endpoint uses, sorted, distinct. */
  std::vector<Ipv4Prefix> service_cidrs;
  Tags tags;
  Origin origin;

  /** true when address is one of the service's. */
  [[nodiscard]] bool serves(Ipv4Address address) const;
};

/** A gateway vpcprove knows exists but does not follow traffic through yet (tgw, vgw, vpce…). */
struct OpaqueGateway {
  Id id;
  RouteTargetKind kind = RouteTargetKind::Other;
  std::vector<Id> vpc_ids;
  /** A route names it with State active but the snapshot lacks it: where AWS sends the traffic
   *  is unknown, so routes to it leave the model (RouteTargetKind::Other) instead of dropping. */
  bool missing = false;
  Tags tags;
  Origin origin;
};

/**
 * An attachment of a transit gateway. VPC attachments are followed: the TGW hands a packet into
 * the VPC at subnet_ids' subnet in the sender's Availability Zone (entry_subnet). Every other
 * kind (peering, VPN, Direct Connect gateway, Connect) is not followed yet: a TGW route to it
 * leaves the model and is an assumption (model/assumption.h), as an OpaqueGateway of that ID.
 */
struct TransitGatewayAttachment {
  Id id;
  Id transit_gateway_id;
  std::string resource_type;   ///< "vpc", "peering", "vpn", "direct-connect-gateway", "connect", …
  Id resource_id;              ///< the VPC for "vpc"; the peer TGW, VPN, … otherwise
  std::vector<Id> subnet_ids;  ///< VPC attachments: the attachment's subnets (one per AZ), sorted by ID
  bool appliance_mode =
      false;          ///< Options.ApplianceModeSupport (read; not yet modelled, see docs/semantics.md)
  Id route_table_id;  ///< the associated TGW route table, "" when none (then every packet drops)
  Tags tags;
  Origin origin;

  [[nodiscard]] bool is_vpc() const { return resource_type == "vpc"; }
};

/**
 * A transit gateway route table. routes is in decision order, like RouteTable::routes: longest
 * prefix first, and at equal length a static route before a propagated one
 * (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html, "Route evaluation order").
 * Every route's target_kind is TransitGatewayAttachment (target_id the attachment) or it is a
 * blackhole; Route::origin is "static" or "propagated".
 */
struct TransitGatewayRouteTable {
  Id id;
  Id transit_gateway_id;
  std::vector<Route> routes;
  std::vector<Route> routes6;  ///< IPv6 routes in decision order (as RouteTable::routes6)
  Tags tags;
  Origin origin;
};

/** A transit gateway the snapshot describes with its route tables: traffic routed to it is followed. */
struct TransitGateway {
  Id id;
  std::vector<Id> attachment_ids;   ///< sorted
  std::vector<Id> route_table_ids;  ///< sorted
  Tags tags;
  Origin origin;
};

/**
 * The whole network. Maps are keyed by AWS ID and ordered, so iteration (and every answer
 * derived from it) is deterministic. Call index() after filling the maps; the lookups
 * below use the indices it builds.
 */
struct Network {
  std::map<Id, Vpc> vpcs;
  std::map<Id, Subnet> subnets;
  std::map<Id, RouteTable> route_tables;
  std::map<Id, SecurityGroup> security_groups;
  std::map<Id, NetworkAcl> network_acls;
  std::map<Id, NetworkInterface> network_interfaces;
  std::map<Id, Instance> instances;
  std::map<Id, InternetGateway> internet_gateways;
  std::map<Id, EgressOnlyInternetGateway> egress_only_internet_gateways;
  std::map<Id, NatGateway> nat_gateways;
  std::map<Id, VpcPeering> vpc_peerings;
  std::map<Id, PrefixList> prefix_lists;
  std::map<Id, OpaqueGateway> opaque_gateways;
  std::map<Id, GatewayEndpoint> gateway_endpoints;  ///< followed gateway endpoints (not opaque)
  std::map<Id, TransitGateway> transit_gateways;
  std::map<Id, TransitGatewayAttachment> transit_gateway_attachments;
  std::map<Id, TransitGatewayRouteTable> transit_gateway_route_tables;
  /** Public IPs that more than one ENI claims (a snapshot collected at different times): the
   *  ENIs, in ID order (the first is the one interface_with_public_ip answers). Which one the
   *  internet reaches is unknown; answers that depend on it name the address
   *  (model/assumption.h). Built by index(). */
  std::map<Ipv4Address, std::vector<Id>> contested_public_ips;
  std::vector<std::string> accounts;  ///< sorted, distinct
  std::vector<std::string> regions;   ///< sorted, distinct
  /** Resource ID -> Terraform address, for what a Terraform plan names; empty otherwise. */
  std::map<Id, std::string> terraform_addresses;
  /** Values a Terraform plan leaves unknown until apply, each on the resource it sets. */
  std::vector<UnknownValue> unknown_until_apply;
  Diagnostics diagnostics;

  /** Builds the lookup indices. Must be called again after any map changes. */
  void index();

  /** The ENI that owns private_address in vpc_id, or nullptr. */
  [[nodiscard]] const NetworkInterface* interface_owning(const Id& vpc_id, Ipv4Address private_address) const;
  /** The ENI that owns IPv6 address in any VPC (IPv6 addresses are globally unique), or nullptr. */
  [[nodiscard]] const NetworkInterface* interface_with_ipv6(const Ipv6Address& address) const;
  /** The ENI whose public/Elastic IP is public_address (unique in AWS), or nullptr. */
  [[nodiscard]] const NetworkInterface* interface_with_public_ip(Ipv4Address public_address) const;
  /** The subnet of vpc_id whose CIDR contains address, or nullptr. */
  [[nodiscard]] const Subnet* subnet_containing(const Id& vpc_id, Ipv4Address address) const;
  /** true when address is inside one of vpc_id's CIDR blocks. */
  [[nodiscard]] bool vpc_contains(const Id& vpc_id, Ipv4Address address) const;
  /** The ENI that owns IPv6 address (an address or delegated prefix of it) in vpc_id, or nullptr. */
  [[nodiscard]] const NetworkInterface* interface_owning6(const Id& vpc_id, const Ipv6Address& address) const;
  /** The subnet of vpc_id whose IPv6 CIDR contains address, or nullptr. */
  [[nodiscard]] const Subnet* subnet_containing6(const Id& vpc_id, const Ipv6Address& address) const;
  /** true when address is inside one of vpc_id's IPv6 CIDR blocks. */
  [[nodiscard]] bool vpc_contains6(const Id& vpc_id, const Ipv6Address& address) const;
  /** true when anything of the network is IPv6 (a block, an address, a route, a rule, an entry):
   *  otherwise every question is about IPv4 packets only, and the encoder fixes the family. */
  [[nodiscard]] bool has_ipv6() const { return has_ipv6_; }
  /** The ENIs of vpc_id, in ID order (indexed: graph and encoder ask once per VPC, not per ENI). */
  [[nodiscard]] std::vector<const NetworkInterface*> interfaces_in(const Id& vpc_id) const;
  /** The addresses at which an ENI of vpc_id reaches service s (AwsService); sorted. */
  [[nodiscard]] std::vector<Ipv4Address> aws_service_addresses(const Id& vpc_id, AwsService s) const;
  /** true when prefix holds an address of service s for some VPC of the snapshot. */
  [[nodiscard]] bool aws_service_in(const Ipv4Prefix& prefix, AwsService s) const;
  /** The service an ENI of vpc_id reaches at address, if any. */
  [[nodiscard]] std::optional<AwsService> aws_service_at(const Id& vpc_id, Ipv4Address address) const;
  /** The ENIs carrying security group sg_id, in ID order. */
  [[nodiscard]] std::vector<const NetworkInterface*> members_of(const Id& sg_id) const;
  /** The available VPC attachment of vpc_id to the followed transit gateway tgw_id, or nullptr
   *  (then a route to tgw_id leaves the model, as for a transit gateway the snapshot lacks). */
  [[nodiscard]] const TransitGatewayAttachment* tgw_vpc_attachment(const Id& tgw_id, const Id& vpc_id) const;
  /**
   * The subnet at which a transit gateway hands a packet into attachment's VPC, for a sender in
   * availability_zone: the attachment's subnet in that zone, else its first subnet (by ID) that
   * the snapshot holds, else nullptr. (AWS keeps traffic in the sender's zone where the attachment
   * has one: https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html; which other
   * zone it picks is AWS's choice, here the first.)
   */
  [[nodiscard]] const Subnet* tgw_entry_subnet(const TransitGatewayAttachment& attachment,
                                               const std::string& availability_zone) const;
  /** The attachment's subnet in availability_zone, or nullptr: the VPC reaches the TGW from that
   *  zone only if there is one. */
  [[nodiscard]] const Subnet* tgw_subnet_in_zone(const TransitGatewayAttachment& attachment,
                                                 const std::string& availability_zone) const;
  /** The NAT gateway whose public IP is address, or nullptr. */
  [[nodiscard]] const NatGateway* nat_gateway_with_public_ip(Ipv4Address address) const;
  /** true when no public IP of an ENI or NAT gateway is also a private IP of one: then a
   *  destination an internet gateway translated can never be translated by one again. false
   *  until index() has looked (the answer that bounds nothing). */
  [[nodiscard]] bool public_private_disjoint() const { return public_private_disjoint_; }

  /**
   * The contract's "internet" address: a globally routable one (common/ipv4.h is_internet).
   * A VPC's CIDR is not taken out: a VPC may use a public range that real hosts elsewhere
   * also use, and where a packet to such an address goes is for the route tables to say.
   */
  [[nodiscard]] bool is_internet_address(Ipv4Address address) const { return is_internet(address); }

  /** Pointer lookups by ID; nullptr when absent. */
  template <class T>
  static const T* find(const std::map<Id, T>& m, const Id& id) {
    auto it = m.find(id);
    return it == m.end() ? nullptr : &it->second;
  }

 private:
  [[nodiscard]] std::vector<const NetworkInterface*> interfaces_listed(
      const std::map<Id, std::vector<Id>>& index, const Id& key) const;

  std::map<std::pair<Id, Ipv4Address>, Id> owner_by_private_ip_;
  std::map<Ipv4Address, Id> owner_by_public_ip_;
  // IPv6 owners, first in ID order: trace asks at every IPv6 gateway and delivery, so no lookup
  // walks every ENI of an estate. Delegated prefixes are few: a list, scanned.
  std::map<Ipv6Address, Id> owner_by_ipv6_;
  std::map<std::pair<Id, Ipv6Address>, Id> owner_by_vpc_ipv6_;
  std::vector<std::pair<Ipv6Prefix, Id>> delegated_ipv6_;  ///< in ENI ID order
  std::map<Ipv4Address, Id> nat_by_public_ip_;
  bool public_private_disjoint_ = false;
  bool has_ipv6_ = false;
  std::map<Id, std::vector<Id>> members_by_group_;
  std::map<Id, std::vector<Id>> interfaces_by_vpc_;
};

}  // namespace vpcprove::model
