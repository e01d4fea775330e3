// SPDX-License-Identifier: Apache-2.0
// Reading transit gateways' VPC attachments, static routes and propagations (the last two in the
// wrapped layout Batfish's AWS snapshots use: one object per TGW route table).
#include "aws/file_reader.h"

namespace vpcprove::aws::reading {

void FileReader::transit_gateway_vpc_attachment(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kTransitGatewayAttachmentId);
  const JsonReader r = in.for_resource(id);
  TransitGatewayVpcAttachment a;
  a.transit_gateway_attachment_id = id;
  a.transit_gateway_id = r.string(k::kTransitGatewayId);
  a.vpc_id = r.string(k::kVpcId);
  a.state = r.string(k::kState);
  a.subnet_ids = r.strings(k::kSubnetIds);
  if (auto options = r.object(k::kOptions)) {
    a.appliance_mode = options->string_or_empty(k::kApplianceModeSupport) == "enable";
  }
  a.tags = tags_of(r);
  a.source = source;
  auto not_live = unless_live(a.state == "available", "transit gateway VPC attachment", a.state);
  offer<&Snapshot::transit_gateway_vpc_attachments>(k::kTransitGatewayVpcAttachments, id, std::move(a),
                                                    std::move(not_live));
}

// Batfish's wrapper: one search-transit-gateway-routes output per TGW route table.
void FileReader::transit_gateway_static_routes(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kTransitGatewayRouteTableId);
  const JsonReader r = in.for_resource(id);
  TransitGatewayStaticRoutes t;
  t.transit_gateway_route_table_id = id;
  for (const auto& x : r.objects(k::kRoutes)) {
    TransitGatewayRoute route;
    route.destination_cidr_block = x.optional_prefix(k::kDestinationCidrBlock);
    if (route.destination_cidr_block) {
      route.destination_text = route.destination_cidr_block->to_string();
    } else if ((route.destination_ipv6_cidr_block = x.optional_ipv6_prefix(k::kDestinationIpv6CidrBlock))) {
      route.destination_text = route.destination_ipv6_cidr_block->to_string();
    } else if (auto pl = x.optional_string(k::kPrefixListId)) {
      route.destination_text = *pl;
    } else {
      x.fail(k::kDestinationCidrBlock, "a transit gateway route needs DestinationCidrBlock");
    }
    route.state = x.string(k::kState);
    route.type = x.string_or_empty(k::kType);
    for (const auto& a : x.objects(k::kTransitGatewayAttachments_))
      route.attachment_ids.push_back(a.string(k::kTransitGatewayAttachmentId));
    t.routes.push_back(std::move(route));
  }
  t.source = source;
  offer<&Snapshot::transit_gateway_static_routes>(k::kTransitGatewayStaticRoutes, id, std::move(t));
}

// Batfish's wrapper: one get-transit-gateway-route-table-propagations output per TGW route table.
void FileReader::transit_gateway_propagations(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kTransitGatewayRouteTableId);
  const JsonReader r = in.for_resource(id);
  TransitGatewayPropagations t;
  t.transit_gateway_route_table_id = id;
  for (const auto& x : r.objects(k::kTransitGatewayRouteTablePropagations)) {
    t.propagations.push_back({x.string(k::kTransitGatewayAttachmentId), x.string_or_empty(k::kResourceId),
                              x.string_or_empty(k::kResourceType), x.string(k::kState)});
  }
  t.source = source;
  offer<&Snapshot::transit_gateway_propagations>(k::kTransitGatewayPropagations, id, std::move(t));
}

}  // namespace vpcprove::aws::reading
