// SPDX-License-Identifier: Apache-2.0
// Reading VPCs, subnets, route tables, gateways, peerings, prefix lists, endpoints and transit gateways.
#include "aws/file_reader.h"

namespace vpcprove::aws::reading {

void FileReader::vpc(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kVpcId);
  const JsonReader r = in.for_resource(id);
  Vpc v;
  v.vpc_id = id;
  v.cidr_block = r.optional_prefix(k::kCidrBlock);
  for (const auto& a : r.objects(k::kCidrBlockAssociationSet)) {
    const auto cidr = a.prefix(k::kCidrBlock);
    auto state = a.object(k::kCidrBlockState);
    const std::string st = state ? state->string_or_empty(k::kState) : "associated";
    if (st == "associated")
      v.cidr_block_association_set.push_back({a.string_or_empty(k::kAssociationId), cidr});
  }
  v.ipv6_cidr_block_association_set = associated_ipv6_blocks(r);
  v.is_default = r.boolean_or(k::kIsDefault, false);
  v.owner_id = r.string_or_empty(k::kOwnerId);
  v.tags = tags_of(r);
  v.source = source;
  offer<&Snapshot::vpcs>(k::kVpcs, id, std::move(v));
}
std::vector<Ipv6Prefix> FileReader::associated_ipv6_blocks(const JsonReader& r) {
  // Only blocks in state "associated" route traffic; "associating", "disassociated", "failed"
  // ones do not (the IPv4 set is read the same way):
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcCidrBlockState.html
  std::vector<Ipv6Prefix> out;
  for (const auto& a : r.objects(k::kIpv6CidrBlockAssociationSet)) {
    const auto cidr = a.ipv6_prefix(k::kIpv6CidrBlock);
    auto state = a.object(k::kIpv6CidrBlockState);
    const std::string st = state ? state->string_or_empty(k::kState) : "associated";
    if (st == "associated" && std::find(out.begin(), out.end(), cidr) == out.end()) out.push_back(cidr);
  }
  return out;
}
void FileReader::subnet(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kSubnetId);
  const JsonReader r = in.for_resource(id);
  Subnet v;
  v.subnet_id = id;
  v.vpc_id = r.string(k::kVpcId);
  v.ipv6_cidr_blocks = associated_ipv6_blocks(r);
  // An IPv6-only subnet has no CidrBlock (and Ipv6Native true):
  // https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html#subnet-sizing-ipv6
  const bool ipv6_native =
      r.boolean_or(k::kIpv6Native, false) || !r.objects(k::kIpv6CidrBlockAssociationSet).empty();
  if (r.has(k::kCidrBlock) || !ipv6_native) {
    v.cidr_block = r.prefix(k::kCidrBlock);
  } else {
    v.ipv6_only = true;
  }
  v.availability_zone = r.string_or_empty(k::kAvailabilityZone);
  v.owner_id = r.string_or_empty(k::kOwnerId);
  v.tags = tags_of(r);
  v.source = source;
  offer<&Snapshot::subnets>(k::kSubnets, id, std::move(v));
}
void FileReader::route_table(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kRouteTableId);
  const JsonReader r = in.for_resource(id);
  RouteTable t;
  t.route_table_id = id;
  t.vpc_id = r.string(k::kVpcId);
  for (const auto& x : r.objects(k::kRoutes)) {
    Route route;
    route.destination_cidr_block = x.optional_prefix(k::kDestinationCidrBlock);
    route.destination_ipv6_cidr_block = x.optional_ipv6_prefix(k::kDestinationIpv6CidrBlock);
    route.destination_prefix_list_id = x.optional_string(k::kDestinationPrefixListId);
    route.gateway_id = x.optional_string(k::kGatewayId);
    route.nat_gateway_id = x.optional_string(k::kNatGatewayId);
    route.network_interface_id = x.optional_string(k::kNetworkInterfaceId);
    route.instance_id = x.optional_string(k::kInstanceId);
    route.vpc_peering_connection_id = x.optional_string(k::kVpcPeeringConnectionId);
    route.transit_gateway_id = x.optional_string(k::kTransitGatewayId);
    route.egress_only_internet_gateway_id = x.optional_string(k::kEgressOnlyInternetGatewayId);
    route.carrier_gateway_id = x.optional_string(k::kCarrierGatewayId);
    route.local_gateway_id = x.optional_string(k::kLocalGatewayId);
    route.core_network_arn = x.optional_string(k::kCoreNetworkArn);
    route.origin = x.string_or_empty(k::kOrigin);
    route.state = x.optional_string(k::kState).value_or("active");
    if (!route.destination_cidr_block && !route.destination_ipv6_cidr_block &&
        !route.destination_prefix_list_id) {
      x.fail(k::kDestinationCidrBlock,
             "a route needs DestinationCidrBlock, DestinationIpv6CidrBlock or "
             "DestinationPrefixListId");
    }
    t.routes.push_back(std::move(route));
  }
  for (const auto& a : r.objects(k::kAssociations)) {
    if (auto state = a.object(k::kAssociationState);
        state && state->string_or_empty(k::kState) != "associated") {
      continue;
    }
    RouteTableAssociation assoc;
    assoc.route_table_association_id = a.string_or_empty(k::kRouteTableAssociationId);
    assoc.main = a.boolean_or(k::kMain, false);
    assoc.subnet_id = a.optional_string(k::kSubnetId);
    assoc.gateway_id = a.optional_string(k::kGatewayId);
    t.associations.push_back(std::move(assoc));
  }
  for (const auto& v : r.objects(k::kPropagatingVgws)) t.propagating_vgws.push_back(v.string(k::kGatewayId));
  t.owner_id = r.string_or_empty(k::kOwnerId);
  t.tags = tags_of(r);
  t.source = source;
  offer<&Snapshot::route_tables>(k::kRouteTables, id, std::move(t));
}
std::vector<InternetGatewayAttachment> FileReader::live_attachments(const JsonReader& r) {
  std::vector<InternetGatewayAttachment> out;
  for (const auto& a : r.objects(k::kAttachments)) {
    InternetGatewayAttachment att{a.string(k::kVpcId), a.string_or_empty(k::kState)};
    if (att.state == "available" || att.state == "attached") out.push_back(std::move(att));
  }
  return out;
}
void FileReader::internet_gateway(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kInternetGatewayId);
  const JsonReader r = in.for_resource(id);
  InternetGateway g{id, live_attachments(r), r.string_or_empty(k::kOwnerId), tags_of(r), source};
  offer<&Snapshot::internet_gateways>(k::kInternetGateways, id, std::move(g));
}
void FileReader::egress_only_internet_gateway(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kEgressOnlyInternetGatewayId);
  const JsonReader r = in.for_resource(id);
  EgressOnlyInternetGateway g{id, live_attachments(r), tags_of(r), source};
  offer<&Snapshot::egress_only_internet_gateways>(k::kEgressOnlyInternetGateways, id, std::move(g));
}
void FileReader::nat_gateway(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kNatGatewayId);
  const JsonReader r = in.for_resource(id);
  NatGateway g;
  g.nat_gateway_id = id;
  g.state = r.string(k::kState);
  g.vpc_id = r.string(k::kVpcId);
  g.subnet_id = r.string(k::kSubnetId);
  g.connectivity_type = r.optional_string(k::kConnectivityType).value_or("public");
  for (const auto& a : r.objects(k::kNatGatewayAddresses)) {
    NatGatewayAddress addr;
    addr.allocation_id = a.string_or_empty(k::kAllocationId);
    addr.network_interface_id = a.string_or_empty(k::kNetworkInterfaceId);
    addr.private_ip = a.optional_address(k::kPrivateIp);
    addr.public_ip = a.optional_address(k::kPublicIp);
    addr.is_primary = a.boolean_or(k::kIsPrimary, false);
    g.nat_gateway_addresses.push_back(std::move(addr));
  }
  g.tags = tags_of(r);
  g.source = source;
  auto not_live = unless_live(g.state == "available", "NAT gateway", g.state);
  offer<&Snapshot::nat_gateways>(k::kNatGateways, id, std::move(g), std::move(not_live));
}
VpcPeeringConnectionVpcInfo FileReader::read_vpc_info(const JsonReader& r, std::string_view key) {
  auto info = r.object(key);
  if (!info) r.fail(key, "required field is missing");
  VpcPeeringConnectionVpcInfo v;
  v.vpc_id = info->string(k::kVpcId);
  v.owner_id = info->string_or_empty(k::kOwnerId);
  v.region = info->string_or_empty(k::kRegion);
  v.cidr_block = info->optional_prefix(k::kCidrBlock);
  for (const auto& c : info->objects(k::kCidrBlockSet)) v.cidr_block_set.push_back(c.prefix(k::kCidrBlock));
  for (const auto& c : info->objects(k::kIpv6CidrBlockSet))
    v.ipv6_cidr_block_set.push_back(c.ipv6_prefix(k::kIpv6CidrBlock));
  return v;
}
void FileReader::vpc_peering_connection(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kVpcPeeringConnectionId);
  const JsonReader r = in.for_resource(id);
  auto status = r.object(k::kStatus);
  if (!status) r.fail(k::kStatus, "required field is missing");
  VpcPeeringConnection p;
  p.vpc_peering_connection_id = id;
  p.status_code = status->string(k::kCode);
  p.tags = tags_of(r);
  p.source = source;
  // A deleted or failed peering may lack VPC details; it is not read further. Bad details are an
  // error only if this peering is kept (not a repeat of an earlier one): the merge decides.
  const bool active = p.status_code == "active";
  std::exception_ptr error;
  if (active) {
    try {
      p.requester_vpc_info = read_vpc_info(r, k::kRequesterVpcInfo);
      p.accepter_vpc_info = read_vpc_info(r, k::kAccepterVpcInfo);
    } catch (...) {
      error = std::current_exception();
    }
  }
  auto not_live = unless_live(active, "VPC peering", p.status_code);
  offer<&Snapshot::vpc_peering_connections>(k::kVpcPeeringConnections, id, std::move(p), std::move(not_live),
                                            error);
}
void FileReader::add_cidr(const JsonReader& r, std::string_view key, const std::string& text,
                          std::vector<Ipv4Prefix>& cidrs, std::vector<Ipv6Prefix>& ipv6_cidrs) {
  if (looks_like_ipv6(text)) {
    auto p = parse_cidr6(text);
    if (!p) r.fail(key, "'" + text + "' is not an IPv6 CIDR block");
    ipv6_cidrs.push_back(*p);
    return;
  }
  auto p = parse_cidr(text);
  if (!p) r.fail(key, "'" + text + "' is not a CIDR block");
  cidrs.push_back(*p);
}
void FileReader::prefix_list(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kPrefixListId);
  const JsonReader r = in.for_resource(id);
  PrefixList pl;
  pl.prefix_list_id = id;
  pl.prefix_list_name = r.string_or_empty(k::kPrefixListName);
  for (const auto& c : r.strings(k::kCidrs)) add_cidr(r, k::kCidrs, c, pl.cidrs, pl.ipv6_cidrs);
  for (const auto& e : r.objects(k::kEntries))
    add_cidr(e, k::kCidr, e.string(k::kCidr), pl.cidrs, pl.ipv6_cidrs);
  pl.address_family = r.string_or_empty(k::kAddressFamily);
  pl.state = r.string_or_empty(k::kState);
  pl.owner_id = r.string_or_empty(k::kOwnerId);
  pl.tags = tags_of(r);
  pl.source = source;
  offer<&Snapshot::prefix_lists>(k::kPrefixLists, id, std::move(pl));
}
void FileReader::merge_entries(const JsonReader& r, const std::string& id) {
  LooseEntries entries{id, {}, {}};
  for (const auto& e : r.objects(k::kEntries))
    add_cidr(e, k::kCidr, e.string(k::kCidr), entries.cidrs, entries.ipv6_cidrs);
  f_->events.emplace_back(std::move(entries));
}
void FileReader::prefix_list_entries(const JsonReader& in, const Source&) {
  const std::string id = in.string(k::kPrefixListId);
  merge_entries(in.for_resource(id), id);
}
void FileReader::vpc_endpoint(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kVpcEndpointId);
  const JsonReader r = in.for_resource(id);
  VpcEndpoint e;
  e.vpc_endpoint_id = id;
  e.vpc_endpoint_type = r.string_or_empty(k::kVpcEndpointType);
  e.vpc_id = r.string(k::kVpcId);
  e.service_name = r.string_or_empty(k::kServiceName);
  e.state = r.string(k::kState);
  e.route_table_ids = r.strings(k::kRouteTableIds);
  e.subnet_ids = r.strings(k::kSubnetIds);
  e.network_interface_ids = r.strings(k::kNetworkInterfaceIds);
  e.groups = read_groups(r, k::kGroups);
  e.owner_id = r.string_or_empty(k::kOwnerId);
  e.tags = tags_of(r);
  e.source = source;
  auto not_live = unless_live(lower(e.state) == "available", "VPC endpoint", e.state);
  offer<&Snapshot::vpc_endpoints>(k::kVpcEndpoints, id, std::move(e), std::move(not_live));
}
void FileReader::transit_gateway(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kTransitGatewayId);
  const JsonReader r = in.for_resource(id);
  TransitGateway t{id, r.string(k::kState), r.string_or_empty(k::kOwnerId), tags_of(r), source};
  auto not_live = unless_live(t.state == "available", "transit gateway", t.state);
  offer<&Snapshot::transit_gateways>(k::kTransitGateways, id, std::move(t), std::move(not_live));
}
void FileReader::transit_gateway_attachment(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kTransitGatewayAttachmentId);
  const JsonReader r = in.for_resource(id);
  TransitGatewayAttachment a;
  a.transit_gateway_attachment_id = id;
  a.transit_gateway_id = r.string(k::kTransitGatewayId);
  a.resource_id = r.string_or_empty(k::kResourceId);
  a.resource_type = r.string_or_empty(k::kResourceType);
  a.resource_owner_id = r.string_or_empty(k::kResourceOwnerId);
  a.state = r.string(k::kState);
  if (auto assoc = r.object(k::kAssociation)) {
    a.association_route_table_id = assoc->string_or_empty(k::kTransitGatewayRouteTableId);
  }
  a.tags = tags_of(r);
  a.source = source;
  auto not_live = unless_live(a.state == "available", "transit gateway attachment", a.state);
  offer<&Snapshot::transit_gateway_attachments>(k::kTransitGatewayAttachments, id, std::move(a),
                                                std::move(not_live));
}
void FileReader::transit_gateway_route_table(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kTransitGatewayRouteTableId);
  const JsonReader r = in.for_resource(id);
  TransitGatewayRouteTable t;
  t.transit_gateway_route_table_id = id;
  t.transit_gateway_id = r.string(k::kTransitGatewayId);
  t.state = r.string(k::kState);
  t.default_association_route_table = r.boolean_or(k::kDefaultAssociationRouteTable, false);
  t.default_propagation_route_table = r.boolean_or(k::kDefaultPropagationRouteTable, false);
  t.tags = tags_of(r);
  t.source = source;
  auto not_live = unless_live(t.state == "available", "transit gateway route table", t.state);
  offer<&Snapshot::transit_gateway_route_tables>(k::kTransitGatewayRouteTables, id, std::move(t),
                                                 std::move(not_live));
}

}  // namespace vpcprove::aws::reading
