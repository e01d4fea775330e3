// SPDX-License-Identifier: Apache-2.0
// Why a packet stops: one vocabulary for trace, the forwarding graph, reach's reasons and diff.
//
// The codes are named in the style of AWS Reachability Analyzer's explanation codes
// (https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html); every stage
// writes them through to_string, so a code cannot be spelled two ways.
#pragma once

#include <optional>
#include <string_view>

namespace vpcprove::model {

enum class DropCode {
  EniSgRulesMismatch,    ///< ENI_SG_RULES_MISMATCH: no rule of the ENI's security groups admits the packet
  SgHasNoRules,          ///< SG_HAS_NO_RULES: the ENI's security groups have no rule in that direction
  SubnetAclRestriction,  ///< SUBNET_ACL_RESTRICTION: the subnet's network ACL denies it (its first matching
                         ///< entry, or the default deny)
  NoRouteToDestination,  ///< NO_ROUTE_TO_DESTINATION: the route table has no route for the destination
  MoreSpecificRoute,     ///< MORE_SPECIFIC_ROUTE: a longer prefix sends the destination elsewhere
  BadStateRoute,         ///< BAD_STATE_ROUTE: the route that matches is a blackhole or its target is missing
  RoutingLoop,           ///< ROUTING_LOOP: the packet comes back to a router it has passed
  TgwAttachmentAzRestriction,  ///< TGW_ATTACHMENT_AZ_RESTRICTION: the VPC's transit gateway attachment has no
                               ///< subnet in the sender's Availability Zone, so the route to the TGW drops
  IgwPrivateIpAssociationForIngress,  ///< IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: the internet gateway has no
                                      ///< public IP to translate the destination from
  IgwPublicIpAssociationForEgress,  ///< IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS: the sender has no public IP for
                                    ///< the internet gateway to translate to
  IgwDestinationNotPublic,   ///< IGW_DESTINATION_NOT_PUBLIC: the destination an internet gateway is given is
                             ///< not an internet address
  SourceNotInternetAddress,  ///< SOURCE_NOT_INTERNET_ADDRESS: a packet from the internet with a source that
                             ///< is not an internet address (a bogon)
  PcxRequiresAddressInVpcCidr,  ///< PCX_REQUIRES_ADDRESS_IN_VPC_CIDR: a peering carries only addresses of the
                                ///< peer VPC's CIDRs
  VpceDestinationNotInService,  ///< VPCE_DESTINATION_NOT_IN_SERVICE: a gateway endpoint carries only packets
                                ///< to its service's addresses (its prefix list)
  VpceRequiresSourceInVpcCidr,  ///< VPCE_REQUIRES_SOURCE_IN_VPC_CIDR: a gateway endpoint carries only packets
                                ///< from addresses of its VPC (not from beyond a peering, TGW or gateway)
  NgwUnsupportedProtocol,       ///< NGW_UNSUPPORTED_PROTOCOL: a NAT gateway translates TCP, UDP and ICMP only
  NgwInboundNotAllowed,         ///< NGW_INBOUND_NOT_ALLOWED: a NAT gateway starts no connection inward
  EigwInboundNotAllowed,  ///< EIGW_INBOUND_NOT_ALLOWED: an egress-only internet gateway admits only replies
  EniSourceDestCheckRestriction,   ///< ENI_SOURCE_DEST_CHECK_RESTRICTION: an ENI with source/dest check on
                                   ///< neither sends nor receives for others
  DestinationAddressNotAssigned,   ///< DESTINATION_ADDRESS_NOT_ASSIGNED: no interface holds the destination
                                   ///< address
  DestinationIsASnapshotPublicIp,  ///< DESTINATION_IS_A_SNAPSHOT_PUBLIC_IP: the destination is a public IP of
                                   ///< the snapshot, reached through the internet
  DestinationIsAnAwsService,  ///< DESTINATION_IS_AN_AWS_SERVICE: the destination is an AWS service address,
                              ///< answered before routing
  NotAnAwsServiceAddress,    ///< NOT_AN_AWS_SERVICE_ADDRESS: the destination is not the service address asked
                             ///< for
  EniNotAttached,            ///< ENI_NOT_ATTACHED: the ENI is not attached: it sends and receives nothing
  InstanceNotRunning,        ///< INSTANCE_NOT_RUNNING: the ENI's instance is not running
  ReplyDoesNotMatchSession,  ///< REPLY_DOES_NOT_MATCH_SESSION: the reply does not come back to the initiator
                             ///< as sent
  UnfollowedGateway,         ///< UNFOLLOWED_GATEWAY: the traffic leaves by a gateway vpcprove does not follow
  ResourceNotInSnapshot,     ///< RESOURCE_NOT_IN_SNAPSHOT: the endpoint is not in this snapshot
  NoPacketInHeaderSpace,     ///< NO_PACKET_IN_HEADER_SPACE: the question's header space holds no packet
  NoPath,                    ///< NO_PATH: no candidate path leads from the source to the destination
  Unknown,                   ///< UNKNOWN: the solver stopped before naming the component
};

/** The code as the contract prints it: "ENI_SG_RULES_MISMATCH". */
const char* to_string(DropCode code);

/** The code a string names (a report read back); nullopt for any other string. */
std::optional<DropCode> parse_drop_code(std::string_view text);

/** Every code, in declaration order (for tests and documentation). */
inline constexpr DropCode kAllDropCodes[] = {
    DropCode::EniSgRulesMismatch,
    DropCode::SgHasNoRules,
    DropCode::SubnetAclRestriction,
    DropCode::NoRouteToDestination,
    DropCode::MoreSpecificRoute,
    DropCode::BadStateRoute,
    DropCode::RoutingLoop,
    DropCode::TgwAttachmentAzRestriction,
    DropCode::IgwPrivateIpAssociationForIngress,
    DropCode::IgwPublicIpAssociationForEgress,
    DropCode::IgwDestinationNotPublic,
    DropCode::SourceNotInternetAddress,
    DropCode::PcxRequiresAddressInVpcCidr,
    DropCode::VpceDestinationNotInService,
    DropCode::VpceRequiresSourceInVpcCidr,
    DropCode::NgwUnsupportedProtocol,
    DropCode::NgwInboundNotAllowed,
    DropCode::EigwInboundNotAllowed,
    DropCode::EniSourceDestCheckRestriction,
    DropCode::DestinationAddressNotAssigned,
    DropCode::DestinationIsASnapshotPublicIp,
    DropCode::DestinationIsAnAwsService,
    DropCode::NotAnAwsServiceAddress,
    DropCode::EniNotAttached,
    DropCode::InstanceNotRunning,
    DropCode::ReplyDoesNotMatchSession,
    DropCode::UnfollowedGateway,
    DropCode::ResourceNotInSnapshot,
    DropCode::NoPacketInHeaderSpace,
    DropCode::NoPath,
    DropCode::Unknown,
};

}  // namespace vpcprove::model
