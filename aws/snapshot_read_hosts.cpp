// SPDX-License-Identifier: Apache-2.0
// Reading ENIs, instances (reservations), Elastic IPs, load balancers and RDS instances.
#include "aws/file_reader.h"

namespace vpcprove::aws::reading {

NetworkInterface FileReader::read_interface(const JsonReader& in, const Source& source,
                                            const std::string& vpc_fallback,
                                            const std::string& subnet_fallback) {
  NetworkInterface e;
  e.network_interface_id = in.string(k::kNetworkInterfaceId);
  const JsonReader r = in.for_resource(e.network_interface_id);
  // Instances[].NetworkInterfaces[] always print SubnetId/VpcId; fall back to the instance's anyway.
  e.subnet_id = subnet_fallback.empty() ? r.string(k::kSubnetId)
                                        : r.optional_string(k::kSubnetId).value_or(subnet_fallback);
  e.vpc_id = vpc_fallback.empty() ? r.string(k::kVpcId) : r.optional_string(k::kVpcId).value_or(vpc_fallback);
  e.availability_zone = r.string_or_empty(k::kAvailabilityZone);
  e.description = r.string_or_empty(k::kDescription);
  e.interface_type = r.string_or_empty(k::kInterfaceType);
  e.private_ip_address = r.optional_address(k::kPrivateIpAddress);
  for (const auto& p : r.objects(k::kPrivateIpAddresses)) {
    e.private_ip_addresses.push_back(
        {p.address(k::kPrivateIpAddress), p.boolean_or(k::kPrimary, false), association_public_ip(p)});
  }
  e.association_public_ip = association_public_ip(r);
  e.groups = read_groups(r, k::kGroups);
  e.source_dest_check = r.boolean_or(k::kSourceDestCheck, true);
  if (auto a = r.object(k::kAttachment)) {
    e.attachment = NetworkInterfaceAttachment{a->optional_string(k::kInstanceId),
                                              a->optional_integer(k::kDeviceIndex, 0, 1 << 20),
                                              a->string_or_empty(k::kStatus)};
  }
  for (const auto& p : r.objects(k::kIpv4Prefixes)) e.ipv4_prefixes.push_back(p.prefix(k::kIpv4Prefix));
  e.requester_managed = r.boolean_or(k::kRequesterManaged, false);
  e.requester_id = r.string_or_empty(k::kRequesterId);
  for (const auto& a : r.objects(k::kIpv6Addresses))
    e.ipv6_addresses.push_back(a.ipv6_address(k::kIpv6Address));
  // Delegated IPv6 prefixes: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-prefix-eni.html
  for (const auto& p : r.objects(k::kIpv6Prefixes)) e.ipv6_prefixes.push_back(p.ipv6_prefix(k::kIpv6Prefix));
  e.status = r.string_or_empty(k::kStatus);
  e.owner_id = r.string_or_empty(k::kOwnerId);
  e.tags = r.has(k::kTagSet) ? r.tags(k::kTagSet) : r.tags(k::kTags);
  e.source = source;
  return e;
}
void FileReader::network_interface(const JsonReader& in, const Source& source) {
  NetworkInterface e = read_interface(in, source, "", "");
  std::string id = e.network_interface_id;
  offer<&Snapshot::network_interfaces>(k::kNetworkInterfaces, std::move(id), std::move(e));
}
void FileReader::reservation(const JsonReader& in, const Source& source) {
  const std::string owner = in.string_or_empty(k::kOwnerId);
  for (const auto& x : in.objects(k::kInstances)) {
    const std::string id = x.string(k::kInstanceId);
    const JsonReader r = x.for_resource(id);
    Instance i;
    i.instance_id = id;
    auto state = r.object(k::kState);
    if (!state) r.fail(k::kState, "required field is missing");
    i.state_name = state->string(k::kName);
    i.subnet_id = r.string_or_empty(k::kSubnetId);
    i.vpc_id = r.string_or_empty(k::kVpcId);
    i.private_ip_address = r.optional_address(k::kPrivateIpAddress);
    i.public_ip_address = r.optional_address(k::kPublicIpAddress);
    for (const auto& n : r.objects(k::kNetworkInterfaces)) {
      i.network_interfaces.push_back(read_interface(n, source, i.vpc_id, i.subnet_id));
    }
    i.security_groups = read_groups(r, k::kSecurityGroups);
    if (auto placement = r.object(k::kPlacement))
      i.availability_zone = placement->string_or_empty(k::kAvailabilityZone);
    i.owner_id = owner;
    i.tags = tags_of(r);
    i.source = source;
    auto not_live = unless_live(i.state_name == "running", "instance", i.state_name);
    offer<&Snapshot::instances>(k::kReservations, id, std::move(i), std::move(not_live));
  }
}
void FileReader::address(const JsonReader& in, const Source& source) {
  const auto ip = in.address(k::kPublicIp);
  const std::string id = in.optional_string(k::kAllocationId).value_or(format_ipv4(ip));
  const JsonReader r = in.for_resource(id);
  Address a;
  a.public_ip = ip;
  a.allocation_id = r.string_or_empty(k::kAllocationId);
  a.association_id = r.string_or_empty(k::kAssociationId);
  a.instance_id = r.optional_string(k::kInstanceId);
  a.network_interface_id = r.optional_string(k::kNetworkInterfaceId);
  a.private_ip_address = r.optional_address(k::kPrivateIpAddress);
  a.domain = r.string_or_empty(k::kDomain);
  a.tags = tags_of(r);
  a.source = source;
  offer<&Snapshot::addresses>(k::kAddresses, format_ipv4(ip), std::move(a));
}
void FileReader::load_balancer(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kLoadBalancerArn);
  const JsonReader r = in.for_resource(id);
  LoadBalancer b;
  b.load_balancer_arn = id;
  b.load_balancer_name = r.string_or_empty(k::kLoadBalancerName);
  b.type = r.string_or_empty(k::kType);
  b.scheme = r.string_or_empty(k::kScheme);
  b.vpc_id = r.string_or_empty(k::kVpcId);
  b.security_groups = r.strings(k::kSecurityGroups);
  b.source = source;
  offer<&Snapshot::load_balancers>(k::kLoadBalancers, id, std::move(b));
}
void FileReader::db_instance(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kDBInstanceIdentifier);
  const JsonReader r = in.for_resource(id);
  DbInstance d;
  d.db_instance_identifier = id;
  d.engine = r.string_or_empty(k::kEngine);
  d.publicly_accessible = r.boolean_or(k::kPubliclyAccessible, false);
  if (auto g = r.object(k::kDBSubnetGroup)) {
    d.vpc_id = g->string_or_empty(k::kVpcId);
    for (const auto& s : g->objects(k::kSubnets))
      d.subnet_ids.push_back(s.string_or_empty(k::kSubnetIdentifier));
  }
  for (const auto& g : r.objects(k::kVpcSecurityGroups))
    d.security_group_ids.push_back(g.string_or_empty(k::kVpcSecurityGroupId));
  d.source = source;
  offer<&Snapshot::db_instances>(k::kDBInstances, id, std::move(d));
}

}  // namespace vpcprove::aws::reading
