// SPDX-License-Identifier: Apache-2.0
// What the snapshot says: one struct per AWS resource, named and spelled as AWS names it.
//
// These structs are the "representation" layer (after Batfish's representation/aws): they hold
// what `aws ec2 describe-*` printed, already type-checked and range-checked by the loader, but
// not interpreted. Member names are the AWS field names in snake_case (CidrBlock -> cidr_block).
// Only aws/ sees them; the rest of vpcprove reads model::Network (see aws/to_model.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/diagnostics.h"
#include "common/ipv4.h"
#include "common/ipv6.h"

namespace vpcprove::aws {

using Tags = std::map<std::string, std::string>;

/** Where a resource was read from. account/region come from the folder layout only (see
 *  load_snapshot); the converter falls back to OwnerId and the availability zone. */
struct Source {
  std::string file;     ///< path of the JSON file, as reached from the path the user gave
  std::string account;  ///< ACCOUNT of an ACCOUNT/REGION/ folder layout, else ""
  std::string region;   ///< REGION of the folder layout, else ""
};

/** Vpcs[].CidrBlockAssociationSet[]; only entries in state "associated" are kept. */
struct VpcCidrBlockAssociation {
  std::string association_id;
  Ipv4Prefix cidr_block;
};

struct Vpc {
  std::string vpc_id;
  std::optional<Ipv4Prefix> cidr_block;
  std::vector<VpcCidrBlockAssociation> cidr_block_association_set;
  /** Ipv6CidrBlockAssociationSet[].Ipv6CidrBlock whose Ipv6CidrBlockState.State is "associated". */
  std::vector<Ipv6Prefix> ipv6_cidr_block_association_set;
  bool is_default = false;
  std::string owner_id;
  Tags tags;
  Source source;
};

struct Subnet {
  std::string subnet_id;
  std::string vpc_id;
  Ipv4Prefix cidr_block;  ///< meaningless when ipv6_only
  /** An IPv6-only subnet: no CidrBlock, only Ipv6CidrBlockAssociationSet. */
  bool ipv6_only = false;
  /** Ipv6CidrBlockAssociationSet[].Ipv6CidrBlock whose Ipv6CidrBlockState.State is "associated". */
  std::vector<Ipv6Prefix> ipv6_cidr_blocks;
  std::string availability_zone;
  std::string owner_id;
  Tags tags;
  Source source;
};

/** RouteTables[].Routes[]. Exactly what AWS printed; targets are not resolved here. */
struct Route {
  std::optional<Ipv4Prefix> destination_cidr_block;
  std::optional<Ipv6Prefix> destination_ipv6_cidr_block;
  std::optional<std::string> destination_prefix_list_id;
  std::optional<std::string> gateway_id;  ///< "local", igw-, vgw-, vpce-
  std::optional<std::string> nat_gateway_id;
  std::optional<std::string> network_interface_id;
  std::optional<std::string> instance_id;
  std::optional<std::string> vpc_peering_connection_id;
  std::optional<std::string> transit_gateway_id;
  std::optional<std::string> egress_only_internet_gateway_id;
  std::optional<std::string> carrier_gateway_id;
  std::optional<std::string> local_gateway_id;
  std::optional<std::string> core_network_arn;
  std::string origin;  ///< CreateRouteTable, CreateRoute, EnableVgwRoutePropagation
  std::string state;   ///< "active" or "blackhole"
};

/** RouteTables[].Associations[]; associations whose AssociationState is not "associated" are dropped. */
struct RouteTableAssociation {
  std::string route_table_association_id;
  bool main = false;
  std::optional<std::string> subnet_id;
  std::optional<std::string> gateway_id;  ///< edge association (ingress routing)
};

struct RouteTable {
  std::string route_table_id;
  std::string vpc_id;
  std::vector<Route> routes;
  std::vector<RouteTableAssociation> associations;
  std::vector<std::string> propagating_vgws;
  std::string owner_id;
  Tags tags;
  Source source;
};

/** InternetGateways[].Attachments[]; only "available"/"attached" attachments are kept. */
struct InternetGatewayAttachment {
  std::string vpc_id;
  std::string state;
};

struct InternetGateway {
  std::string internet_gateway_id;
  std::vector<InternetGatewayAttachment> attachments;
  std::string owner_id;
  Tags tags;
  Source source;
};

struct EgressOnlyInternetGateway {
  std::string egress_only_internet_gateway_id;
  std::vector<InternetGatewayAttachment> attachments;
  Tags tags;
  Source source;
};

struct NatGatewayAddress {
  std::string allocation_id;
  std::string network_interface_id;
  std::optional<Ipv4Address> private_ip;
  std::optional<Ipv4Address> public_ip;
  bool is_primary = false;
};

/** NatGateways[]; only State "available" ones are kept. */
struct NatGateway {
  std::string nat_gateway_id;
  std::string vpc_id;
  std::string subnet_id;
  std::string state;
  std::string connectivity_type;  ///< "public" (also when absent) or "private"
  std::vector<NatGatewayAddress> nat_gateway_addresses;
  Tags tags;
  Source source;
};

struct GroupIdentifier {
  std::string group_id;
  std::string group_name;
};

/** NetworkInterfaces[].PrivateIpAddresses[] (PublicIp taken from its Association). */
struct NetworkInterfacePrivateIpAddress {
  Ipv4Address private_ip_address = 0;
  bool primary = false;
  std::optional<Ipv4Address> association_public_ip;
};

struct NetworkInterfaceAttachment {
  std::optional<std::string> instance_id;
  std::optional<int> device_index;
  std::string status;
};

/** NetworkInterfaces[] and Reservations[].Instances[].NetworkInterfaces[] (same shape). */
struct NetworkInterface {
  std::string network_interface_id;
  std::string subnet_id;
  std::string vpc_id;
  std::string availability_zone;
  std::string description;
  std::string interface_type;  ///< "" when AWS did not print one (older data)
  std::optional<Ipv4Address> private_ip_address;
  std::vector<NetworkInterfacePrivateIpAddress> private_ip_addresses;
  std::optional<Ipv4Address> association_public_ip;  ///< Association.PublicIp of the primary address
  std::vector<GroupIdentifier> groups;
  bool source_dest_check = true;
  std::optional<NetworkInterfaceAttachment> attachment;
  std::vector<Ipv4Prefix> ipv4_prefixes;  ///< Ipv4Prefixes[].Ipv4Prefix (prefix delegation)
  bool requester_managed = false;
  std::string requester_id;
  std::string status;
  std::string owner_id;
  std::vector<Ipv6Address> ipv6_addresses;  ///< Ipv6Addresses[].Ipv6Address
  std::vector<Ipv6Prefix> ipv6_prefixes;    ///< Ipv6Prefixes[].Ipv6Prefix (prefix delegation)
  Tags tags;                                ///< TagSet in describe-network-interfaces
  Source source;
};

/** Reservations[].Instances[]. Non-running instances are not kept (see Snapshot::not_live). */
struct Instance {
  std::string instance_id;
  std::string state_name;
  std::string subnet_id;
  std::string vpc_id;
  std::optional<Ipv4Address> private_ip_address;
  std::optional<Ipv4Address> public_ip_address;
  std::vector<NetworkInterface> network_interfaces;
  std::vector<GroupIdentifier> security_groups;
  std::string availability_zone;  ///< Placement.AvailabilityZone
  std::string owner_id;           ///< the reservation's OwnerId
  Tags tags;
  Source source;
};

struct IpRange {
  Ipv4Prefix cidr_ip;
  std::string description;
};

struct Ipv6Range {
  Ipv6Prefix cidr_ipv6;
  std::string description;
};

struct UserIdGroupPair {
  std::string group_id;
  std::string user_id;
  std::string vpc_id;
  std::string description;
};

struct PrefixListId {
  std::string prefix_list_id;
  std::string description;
};

/** SecurityGroups[].IpPermissions[] / IpPermissionsEgress[]. */
struct IpPermission {
  std::string ip_protocol;       ///< verbatim: "tcp", "udp", "icmp", "icmpv6", "-1" or a number
  std::optional<int> from_port;  ///< -1..65535 (ICMP: the type)
  std::optional<int> to_port;    ///< -1..65535 (ICMP: the code)
  std::vector<IpRange> ip_ranges;
  std::vector<Ipv6Range> ipv6_ranges;
  std::vector<UserIdGroupPair> user_id_group_pairs;
  std::vector<PrefixListId> prefix_list_ids;
};

struct SecurityGroup {
  std::string group_id;
  std::string group_name;
  std::string description;
  std::string vpc_id;
  std::vector<IpPermission> ip_permissions;
  std::vector<IpPermission> ip_permissions_egress;
  std::string owner_id;
  Tags tags;
  Source source;
};

struct PortRangeFromTo {
  int from = 0;
  int to = 65535;
};

struct IcmpTypeCode {
  int type = -1;
  int code = -1;
};

/** NetworkAcls[].Entries[]. protocol is already a number (-1 for all). */
struct NetworkAclEntry {
  int rule_number = 0;  ///< 1..32766, or 32767 (IPv4) / 32768 (IPv6) for AWS's default "*" rules
  int protocol = -1;
  bool allow = false;  ///< RuleAction "allow"
  bool egress = false;
  std::optional<Ipv4Prefix> cidr_block;
  std::optional<Ipv6Prefix> ipv6_cidr_block;
  std::optional<PortRangeFromTo> port_range;
  std::optional<IcmpTypeCode> icmp_type_code;
};

struct NetworkAclAssociation {
  std::string network_acl_association_id;
  std::string subnet_id;
};

struct NetworkAcl {
  std::string network_acl_id;
  std::string vpc_id;
  bool is_default = false;
  std::vector<NetworkAclEntry> entries;
  std::vector<NetworkAclAssociation> associations;
  std::string owner_id;
  Tags tags;
  Source source;
};

/** Addresses[] (Elastic IPs). */
struct Address {
  Ipv4Address public_ip = 0;
  std::string allocation_id;
  std::string association_id;
  std::optional<std::string> instance_id;
  std::optional<std::string> network_interface_id;
  std::optional<Ipv4Address> private_ip_address;
  std::string domain;
  Tags tags;
  Source source;
};

struct VpcPeeringConnectionVpcInfo {
  std::string vpc_id;
  std::string owner_id;
  std::string region;
  std::optional<Ipv4Prefix> cidr_block;
  std::vector<Ipv4Prefix> cidr_block_set;
  std::vector<Ipv6Prefix> ipv6_cidr_block_set;  ///< Ipv6CidrBlockSet[].Ipv6CidrBlock
};

/** VpcPeeringConnections[]; only Status.Code "active" ones are kept. */
struct VpcPeeringConnection {
  std::string vpc_peering_connection_id;
  VpcPeeringConnectionVpcInfo requester_vpc_info;
  VpcPeeringConnectionVpcInfo accepter_vpc_info;
  std::string status_code;
  Tags tags;
  Source source;
};

/** PrefixLists[] (describe-prefix-lists: Cidrs) or ManagedPrefixLists[] (+ Entries[].Cidr).
 *  Entries from separate PrefixListEntries wrappers are merged in by the loader. */
struct PrefixList {
  std::string prefix_list_id;
  std::string prefix_list_name;
  std::vector<Ipv4Prefix> cidrs;       ///< IPv4 entries
  std::vector<Ipv6Prefix> ipv6_cidrs;  ///< IPv6 entries
  std::string address_family;
  std::string state;
  std::string owner_id;
  Tags tags;
  Source source;
};

/** VpcEndpoints[]; only State "available" (any case) ones are kept. */
struct VpcEndpoint {
  std::string vpc_endpoint_id;
  std::string vpc_endpoint_type;  ///< Gateway, Interface, GatewayLoadBalancer
  std::string vpc_id;
  std::string service_name;
  std::string state;
  std::vector<std::string> route_table_ids;
  std::vector<std::string> subnet_ids;
  std::vector<std::string> network_interface_ids;
  std::vector<GroupIdentifier> groups;
  std::string owner_id;
  Tags tags;
  Source source;
};

struct TransitGateway {
  std::string transit_gateway_id;
  std::string state;
  std::string owner_id;
  Tags tags;
  Source source;
};

struct TransitGatewayAttachment {
  std::string transit_gateway_attachment_id;
  std::string transit_gateway_id;
  std::string resource_id;
  std::string resource_type;  ///< vpc, vpn, peering, direct-connect-gateway, …
  std::string resource_owner_id;
  std::string state;
  std::string association_route_table_id;
  Tags tags;
  Source source;
};

struct TransitGatewayRouteTable {
  std::string transit_gateway_route_table_id;
  std::string transit_gateway_id;
  std::string state;
  bool default_association_route_table = false;
  bool default_propagation_route_table = false;
  Tags tags;
  Source source;
};

/** TransitGatewayVpcAttachments[] of describe-transit-gateway-vpc-attachments: the subnets (one per
 *  Availability Zone) of a VPC attachment and its appliance-mode option. */
struct TransitGatewayVpcAttachment {
  std::string transit_gateway_attachment_id;
  std::string transit_gateway_id;
  std::string vpc_id;
  std::string state;
  std::vector<std::string> subnet_ids;
  bool appliance_mode = false;  ///< Options.ApplianceModeSupport "enable"
  Tags tags;
  Source source;
};

/** One route of search-transit-gateway-routes (Batfish's TransitGatewayStaticRoutes wrapper). */
struct TransitGatewayRoute {
  std::optional<Ipv4Prefix> destination_cidr_block;  ///< unset for an IPv6 destination
  std::optional<Ipv6Prefix> destination_ipv6_cidr_block;
  std::string destination_text;             ///< as printed, for messages
  std::string state;                        ///< active, blackhole
  std::string type;                         ///< static, propagated
  std::vector<std::string> attachment_ids;  ///< TransitGatewayAttachments[].TransitGatewayAttachmentId
};

/** The static routes of one TGW route table (the wrapper layout Batfish's AWS snapshots use). */
struct TransitGatewayStaticRoutes {
  std::string transit_gateway_route_table_id;
  std::vector<TransitGatewayRoute> routes;
  Source source;
};

/** One propagation of get-transit-gateway-route-table-propagations. */
struct TransitGatewayPropagation {
  std::string transit_gateway_attachment_id;
  std::string resource_id;
  std::string resource_type;
  std::string state;  ///< enabled, enabling, disabling, disabled
};

/** The propagations into one TGW route table (Batfish's TransitGatewayPropagations wrapper). */
struct TransitGatewayPropagations {
  std::string transit_gateway_route_table_id;
  std::vector<TransitGatewayPropagation> propagations;
  Source source;
};

/** LoadBalancers[] of elbv2 describe-load-balancers: only to name the owner of ENIs. */
struct LoadBalancer {
  std::string load_balancer_arn;
  std::string load_balancer_name;
  std::string type;    ///< application, network, gateway
  std::string scheme;  ///< internet-facing, internal
  std::string vpc_id;
  std::vector<std::string> security_groups;
  Source source;
};

/** DBInstances[] of rds describe-db-instances: only to name the owner of database ENIs. */
struct DbInstance {
  std::string db_instance_identifier;
  std::string engine;
  bool publicly_accessible = false;
  std::string vpc_id;                           ///< DBSubnetGroup.VpcId
  std::vector<std::string> subnet_ids;          ///< DBSubnetGroup.Subnets[].SubnetIdentifier
  std::vector<std::string> security_group_ids;  ///< VpcSecurityGroups[].VpcSecurityGroupId
  Source source;
};

/** A resource the snapshot lists but that is not live (stopped instance, deleted peering, …). */
struct NotLive {
  std::string kind;  ///< the top-level key it came from, e.g. "Reservations"
  std::string id;
  std::string state;  ///< the state AWS printed
  Source source;
};

/** A value a Terraform plan leaves unknown until apply (after_unknown), on a resource it affects. */
struct UnknownValue {
  std::string resource_id;  ///< the ID (or Terraform address) of the resource whose behaviour it sets
  std::string address;      ///< the Terraform address that holds the value
  std::string attribute;    ///< "private_ip", "ingress[0].cidr_blocks", …
};

/**
 * Everything one snapshot says, live resources only, in file order (files sorted by path).
 * A resource ID listed twice keeps its first occurrence (with a warning).
 */
struct Snapshot {
  std::string path;                ///< what the user gave
  std::vector<std::string> files;  ///< every JSON file read, in order
  std::vector<Vpc> vpcs;
  std::vector<Subnet> subnets;
  std::vector<RouteTable> route_tables;
  std::vector<InternetGateway> internet_gateways;
  std::vector<EgressOnlyInternetGateway> egress_only_internet_gateways;
  std::vector<NatGateway> nat_gateways;
  std::vector<NetworkInterface> network_interfaces;
  std::vector<Instance> instances;
  std::vector<SecurityGroup> security_groups;
  std::vector<NetworkAcl> network_acls;
  std::vector<Address> addresses;
  std::vector<VpcPeeringConnection> vpc_peering_connections;
  std::vector<PrefixList> prefix_lists;
  std::vector<VpcEndpoint> vpc_endpoints;
  std::vector<TransitGateway> transit_gateways;
  std::vector<TransitGatewayAttachment> transit_gateway_attachments;
  std::vector<TransitGatewayRouteTable> transit_gateway_route_tables;
  std::vector<TransitGatewayVpcAttachment> transit_gateway_vpc_attachments;
  std::vector<TransitGatewayStaticRoutes> transit_gateway_static_routes;
  std::vector<TransitGatewayPropagations> transit_gateway_propagations;
  std::vector<LoadBalancer> load_balancers;
  std::vector<DbInstance> db_instances;
  std::vector<NotLive> not_live;
  /** Resource ID -> Terraform address, for resources a plan names (empty for describe-* snapshots). */
  std::map<std::string, std::string> terraform_addresses;
  std::vector<UnknownValue> unknown_until_apply;
  Diagnostics diagnostics;
};

}  // namespace vpcprove::aws
