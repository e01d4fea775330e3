// SPDX-License-Identifier: Apache-2.0
#include "model/drop_code.h"

namespace vpcprove::model {

const char* to_string(DropCode code) {
  switch (code) {
    case DropCode::EniSgRulesMismatch:
      return "ENI_SG_RULES_MISMATCH";
    case DropCode::SgHasNoRules:
      return "SG_HAS_NO_RULES";
    case DropCode::SubnetAclRestriction:
      return "SUBNET_ACL_RESTRICTION";
    case DropCode::NoRouteToDestination:
      return "NO_ROUTE_TO_DESTINATION";
    case DropCode::MoreSpecificRoute:
      return "MORE_SPECIFIC_ROUTE";
    case DropCode::BadStateRoute:
      return "BAD_STATE_ROUTE";
    case DropCode::RoutingLoop:
      return "ROUTING_LOOP";
    case DropCode::TgwAttachmentAzRestriction:
      return "TGW_ATTACHMENT_AZ_RESTRICTION";
    case DropCode::IgwPrivateIpAssociationForIngress:
      return "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS";
    case DropCode::IgwPublicIpAssociationForEgress:
      return "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS";
    case DropCode::IgwDestinationNotPublic:
      return "IGW_DESTINATION_NOT_PUBLIC";
    case DropCode::SourceNotInternetAddress:
      return "SOURCE_NOT_INTERNET_ADDRESS";
    case DropCode::PcxRequiresAddressInVpcCidr:
      return "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR";
    case DropCode::VpceDestinationNotInService:
      return "VPCE_DESTINATION_NOT_IN_SERVICE";
    case DropCode::VpceRequiresSourceInVpcCidr:
      return "VPCE_REQUIRES_SOURCE_IN_VPC_CIDR";
    case DropCode::NgwUnsupportedProtocol:
      return "NGW_UNSUPPORTED_PROTOCOL";
    case DropCode::NgwInboundNotAllowed:
      return "NGW_INBOUND_NOT_ALLOWED";
    case DropCode::EniSourceDestCheckRestriction:
      return "ENI_SOURCE_DEST_CHECK_RESTRICTION";
    case DropCode::DestinationAddressNotAssigned:
      return "DESTINATION_ADDRESS_NOT_ASSIGNED";
    case DropCode::DestinationIsASnapshotPublicIp:
      return "DESTINATION_IS_A_SNAPSHOT_PUBLIC_IP";
    case DropCode::DestinationIsAnAwsService:
      return "DESTINATION_IS_AN_AWS_SERVICE";
    case DropCode::NotAnAwsServiceAddress:
      return "NOT_AN_AWS_SERVICE_ADDRESS";
    case DropCode::EniNotAttached:
      return "ENI_NOT_ATTACHED";
    case DropCode::InstanceNotRunning:
      return "INSTANCE_NOT_RUNNING";
    case DropCode::ReplyDoesNotMatchSession:
      return "REPLY_DOES_NOT_MATCH_SESSION";
    case DropCode::EigwInboundNotAllowed:
      return "EIGW_INBOUND_NOT_ALLOWED";
    case DropCode::UnfollowedGateway:
      return "UNFOLLOWED_GATEWAY";
    case DropCode::ResourceNotInSnapshot:
      return "RESOURCE_NOT_IN_SNAPSHOT";
    case DropCode::NoPacketInHeaderSpace:
      return "NO_PACKET_IN_HEADER_SPACE";
    case DropCode::NoPath:
      return "NO_PATH";
    case DropCode::Unknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

std::optional<DropCode> parse_drop_code(std::string_view text) {
  for (const DropCode code : kAllDropCodes) {
    if (text == to_string(code)) return code;
  }
  return std::nullopt;
}

}  // namespace vpcprove::model
