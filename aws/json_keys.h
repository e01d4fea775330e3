// SPDX-License-Identifier: Apache-2.0
// Every JSON key vpcprove reads from `aws ec2 describe-*` output, spelled exactly as AWS spells it.
#pragma once

#include <string_view>

namespace vpcprove::aws::keys {

// Top-level keys: each selects the parser of one describe-* output.
inline constexpr std::string_view kVpcs = "Vpcs";
inline constexpr std::string_view kSubnets = "Subnets";
inline constexpr std::string_view kRouteTables = "RouteTables";
inline constexpr std::string_view kInternetGateways = "InternetGateways";
inline constexpr std::string_view kEgressOnlyInternetGateways = "EgressOnlyInternetGateways";
inline constexpr std::string_view kNatGateways = "NatGateways";
inline constexpr std::string_view kNetworkInterfaces = "NetworkInterfaces";
inline constexpr std::string_view kReservations = "Reservations";
inline constexpr std::string_view kSecurityGroups = "SecurityGroups";
inline constexpr std::string_view kNetworkAcls = "NetworkAcls";
inline constexpr std::string_view kAddresses = "Addresses";
inline constexpr std::string_view kVpcPeeringConnections = "VpcPeeringConnections";
inline constexpr std::string_view kPrefixLists = "PrefixLists";
inline constexpr std::string_view kManagedPrefixLists = "ManagedPrefixLists";
/** vpcprove's wrapper: a list of {PrefixListId, Entries: get-managed-prefix-list-entries output}. */
inline constexpr std::string_view kPrefixListEntries = "PrefixListEntries";
inline constexpr std::string_view kVpcEndpoints = "VpcEndpoints";
inline constexpr std::string_view kTransitGateways = "TransitGateways";
inline constexpr std::string_view kTransitGatewayAttachments = "TransitGatewayAttachments";
inline constexpr std::string_view kTransitGatewayRouteTables = "TransitGatewayRouteTables";
inline constexpr std::string_view kTransitGatewayVpcAttachments = "TransitGatewayVpcAttachments";
inline constexpr std::string_view kTransitGatewayStaticRoutes = "TransitGatewayStaticRoutes";
inline constexpr std::string_view kTransitGatewayPropagations = "TransitGatewayPropagations";
/** elbv2 describe-load-balancers and rds describe-db-instances: they name what owns an ENI. */
inline constexpr std::string_view kLoadBalancers = "LoadBalancers";
inline constexpr std::string_view kDBInstances = "DBInstances";

// Shared fields.
inline constexpr std::string_view kTags = "Tags";
inline constexpr std::string_view kTagSet = "TagSet";
inline constexpr std::string_view kKey = "Key";
inline constexpr std::string_view kValue = "Value";
inline constexpr std::string_view kOwnerId = "OwnerId";
inline constexpr std::string_view kState = "State";
inline constexpr std::string_view kName = "Name";
inline constexpr std::string_view kCode = "Code";
inline constexpr std::string_view kDescription = "Description";
inline constexpr std::string_view kVpcId = "VpcId";
inline constexpr std::string_view kSubnetId = "SubnetId";
inline constexpr std::string_view kGroupId = "GroupId";
inline constexpr std::string_view kGroupName = "GroupName";
inline constexpr std::string_view kGroups = "Groups";
inline constexpr std::string_view kCidrBlock = "CidrBlock";
inline constexpr std::string_view kAvailabilityZone = "AvailabilityZone";
inline constexpr std::string_view kAttachments = "Attachments";
inline constexpr std::string_view kAssociations = "Associations";
inline constexpr std::string_view kRegion = "Region";

// Vpc.
inline constexpr std::string_view kCidrBlockAssociationSet = "CidrBlockAssociationSet";
inline constexpr std::string_view kAssociationId = "AssociationId";
inline constexpr std::string_view kCidrBlockState = "CidrBlockState";
inline constexpr std::string_view kIsDefault = "IsDefault";

// RouteTable, Route, RouteTableAssociation.
inline constexpr std::string_view kRouteTableId = "RouteTableId";
inline constexpr std::string_view kRoutes = "Routes";
inline constexpr std::string_view kPropagatingVgws = "PropagatingVgws";
inline constexpr std::string_view kDestinationCidrBlock = "DestinationCidrBlock";
inline constexpr std::string_view kDestinationIpv6CidrBlock = "DestinationIpv6CidrBlock";
inline constexpr std::string_view kDestinationPrefixListId = "DestinationPrefixListId";
inline constexpr std::string_view kGatewayId = "GatewayId";
inline constexpr std::string_view kNatGatewayId = "NatGatewayId";
inline constexpr std::string_view kNetworkInterfaceId = "NetworkInterfaceId";
inline constexpr std::string_view kInstanceId = "InstanceId";
inline constexpr std::string_view kVpcPeeringConnectionId = "VpcPeeringConnectionId";
inline constexpr std::string_view kTransitGatewayId = "TransitGatewayId";
inline constexpr std::string_view kEgressOnlyInternetGatewayId = "EgressOnlyInternetGatewayId";
inline constexpr std::string_view kCarrierGatewayId = "CarrierGatewayId";
inline constexpr std::string_view kLocalGatewayId = "LocalGatewayId";
inline constexpr std::string_view kCoreNetworkArn = "CoreNetworkArn";
inline constexpr std::string_view kOrigin = "Origin";
inline constexpr std::string_view kMain = "Main";
inline constexpr std::string_view kRouteTableAssociationId = "RouteTableAssociationId";
inline constexpr std::string_view kAssociationState = "AssociationState";

// InternetGateway, EgressOnlyInternetGateway.
inline constexpr std::string_view kInternetGatewayId = "InternetGatewayId";

// NatGateway.
inline constexpr std::string_view kNatGatewayAddresses = "NatGatewayAddresses";
inline constexpr std::string_view kAllocationId = "AllocationId";
inline constexpr std::string_view kPrivateIp = "PrivateIp";
inline constexpr std::string_view kPublicIp = "PublicIp";
inline constexpr std::string_view kIsPrimary = "IsPrimary";
inline constexpr std::string_view kConnectivityType = "ConnectivityType";

// NetworkInterface (also Reservations[].Instances[].NetworkInterfaces[]).
inline constexpr std::string_view kAssociation = "Association";
inline constexpr std::string_view kAttachment = "Attachment";
inline constexpr std::string_view kDeviceIndex = "DeviceIndex";
inline constexpr std::string_view kStatus = "Status";
inline constexpr std::string_view kInterfaceType = "InterfaceType";
inline constexpr std::string_view kPrivateIpAddress = "PrivateIpAddress";
inline constexpr std::string_view kPrivateIpAddresses = "PrivateIpAddresses";
inline constexpr std::string_view kPrimary = "Primary";
inline constexpr std::string_view kSourceDestCheck = "SourceDestCheck";
inline constexpr std::string_view kRequesterManaged = "RequesterManaged";
inline constexpr std::string_view kRequesterId = "RequesterId";

// Reservations / Instance.
inline constexpr std::string_view kInstances = "Instances";
inline constexpr std::string_view kPublicIpAddress = "PublicIpAddress";
inline constexpr std::string_view kPlacement = "Placement";

// SecurityGroup / IpPermission.
inline constexpr std::string_view kIpPermissions = "IpPermissions";
inline constexpr std::string_view kIpPermissionsEgress = "IpPermissionsEgress";
inline constexpr std::string_view kIpProtocol = "IpProtocol";
inline constexpr std::string_view kFromPort = "FromPort";
inline constexpr std::string_view kToPort = "ToPort";
inline constexpr std::string_view kIpRanges = "IpRanges";
inline constexpr std::string_view kCidrIp = "CidrIp";
inline constexpr std::string_view kIpv6Ranges = "Ipv6Ranges";
inline constexpr std::string_view kCidrIpv6 = "CidrIpv6";
inline constexpr std::string_view kIpv6Address = "Ipv6Address";
inline constexpr std::string_view kIpv6Addresses = "Ipv6Addresses";
inline constexpr std::string_view kIpv6CidrBlockAssociationSet = "Ipv6CidrBlockAssociationSet";
inline constexpr std::string_view kIpv6CidrBlockState = "Ipv6CidrBlockState";
inline constexpr std::string_view kIpv6CidrBlockSet = "Ipv6CidrBlockSet";
inline constexpr std::string_view kIpv6Native = "Ipv6Native";
inline constexpr std::string_view kIpv6Prefixes = "Ipv6Prefixes";
inline constexpr std::string_view kIpv6Prefix = "Ipv6Prefix";
inline constexpr std::string_view kUserIdGroupPairs = "UserIdGroupPairs";
inline constexpr std::string_view kUserId = "UserId";
inline constexpr std::string_view kPrefixListIds = "PrefixListIds";

// NetworkAcl.
inline constexpr std::string_view kNetworkAclId = "NetworkAclId";
inline constexpr std::string_view kNetworkAclAssociationId = "NetworkAclAssociationId";
inline constexpr std::string_view kEntries = "Entries";
inline constexpr std::string_view kRuleNumber = "RuleNumber";
inline constexpr std::string_view kProtocol = "Protocol";
inline constexpr std::string_view kRuleAction = "RuleAction";
inline constexpr std::string_view kEgress = "Egress";
inline constexpr std::string_view kIpv6CidrBlock = "Ipv6CidrBlock";
inline constexpr std::string_view kPortRange = "PortRange";
inline constexpr std::string_view kFrom = "From";
inline constexpr std::string_view kTo = "To";
inline constexpr std::string_view kIcmpTypeCode = "IcmpTypeCode";
inline constexpr std::string_view kType = "Type";

// Address (Elastic IP).
inline constexpr std::string_view kDomain = "Domain";

// VpcPeeringConnection.
inline constexpr std::string_view kRequesterVpcInfo = "RequesterVpcInfo";
inline constexpr std::string_view kAccepterVpcInfo = "AccepterVpcInfo";
inline constexpr std::string_view kCidrBlockSet = "CidrBlockSet";

// PrefixList / ManagedPrefixList.
inline constexpr std::string_view kPrefixListId = "PrefixListId";
inline constexpr std::string_view kPrefixListName = "PrefixListName";
inline constexpr std::string_view kCidrs = "Cidrs";
inline constexpr std::string_view kCidr = "Cidr";
inline constexpr std::string_view kAddressFamily = "AddressFamily";

// VpcEndpoint.
inline constexpr std::string_view kVpcEndpointId = "VpcEndpointId";
inline constexpr std::string_view kVpcEndpointType = "VpcEndpointType";
inline constexpr std::string_view kServiceName = "ServiceName";
inline constexpr std::string_view kRouteTableIds = "RouteTableIds";
inline constexpr std::string_view kSubnetIds = "SubnetIds";
inline constexpr std::string_view kNetworkInterfaceIds = "NetworkInterfaceIds";

// Transit gateways.
inline constexpr std::string_view kTransitGatewayAttachmentId = "TransitGatewayAttachmentId";
inline constexpr std::string_view kTransitGatewayRouteTableId = "TransitGatewayRouteTableId";
inline constexpr std::string_view kResourceId = "ResourceId";
inline constexpr std::string_view kResourceType = "ResourceType";
inline constexpr std::string_view kResourceOwnerId = "ResourceOwnerId";
inline constexpr std::string_view kDefaultAssociationRouteTable = "DefaultAssociationRouteTable";
inline constexpr std::string_view kDefaultPropagationRouteTable = "DefaultPropagationRouteTable";
inline constexpr std::string_view kTransitGatewayAttachments_ =
    "TransitGatewayAttachments";  // in a TGW route
inline constexpr std::string_view kTransitGatewayRouteTablePropagations =
    "TransitGatewayRouteTablePropagations";
inline constexpr std::string_view kOptions = "Options";
inline constexpr std::string_view kApplianceModeSupport = "ApplianceModeSupport";

// Delegated prefixes of a network interface (describe-network-interfaces).
inline constexpr std::string_view kIpv4Prefixes = "Ipv4Prefixes";
inline constexpr std::string_view kIpv4Prefix = "Ipv4Prefix";
// LoadBalancers[] (elbv2) and DBInstances[] (rds).
inline constexpr std::string_view kLoadBalancerArn = "LoadBalancerArn";
inline constexpr std::string_view kLoadBalancerName = "LoadBalancerName";
inline constexpr std::string_view kScheme = "Scheme";
inline constexpr std::string_view kDBInstanceIdentifier = "DBInstanceIdentifier";
inline constexpr std::string_view kDBInstanceStatus = "DBInstanceStatus";
inline constexpr std::string_view kEngine = "Engine";
inline constexpr std::string_view kPubliclyAccessible = "PubliclyAccessible";
inline constexpr std::string_view kDBSubnetGroup = "DBSubnetGroup";
inline constexpr std::string_view kSubnetIdentifier = "SubnetIdentifier";
inline constexpr std::string_view kVpcSecurityGroups = "VpcSecurityGroups";
inline constexpr std::string_view kVpcSecurityGroupId = "VpcSecurityGroupId";

}  // namespace vpcprove::aws::keys
