// SPDX-License-Identifier: Apache-2.0
// Reading Security groups and network ACLs.
#include "aws/file_reader.h"

namespace vpcprove::aws::reading {

IpPermission FileReader::read_permission(const JsonReader& p) {
  IpPermission perm;
  perm.ip_protocol = read_protocol(p, k::kIpProtocol);
  perm.from_port = p.optional_integer(k::kFromPort, -1, 65535);
  perm.to_port = p.optional_integer(k::kToPort, -1, 65535);
  for (const auto& x : p.objects(k::kIpRanges)) {
    perm.ip_ranges.push_back({x.prefix(k::kCidrIp), x.string_or_empty(k::kDescription)});
  }
  for (const auto& x : p.objects(k::kUserIdGroupPairs)) {
    perm.user_id_group_pairs.push_back({x.string(k::kGroupId), x.string_or_empty(k::kUserId),
                                        x.string_or_empty(k::kVpcId), x.string_or_empty(k::kDescription)});
  }
  for (const auto& x : p.objects(k::kPrefixListIds)) {
    perm.prefix_list_ids.push_back({x.string(k::kPrefixListId), x.string_or_empty(k::kDescription)});
  }
  for (const auto& x : p.objects(k::kIpv6Ranges)) {
    perm.ipv6_ranges.push_back({x.ipv6_prefix(k::kCidrIpv6), x.string_or_empty(k::kDescription)});
  }
  return perm;
}
void FileReader::security_group(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kGroupId);
  const JsonReader r = in.for_resource(id);
  SecurityGroup g;
  g.group_id = id;
  g.group_name = r.string_or_empty(k::kGroupName);
  g.description = r.string_or_empty(k::kDescription);
  g.vpc_id = r.string_or_empty(k::kVpcId);
  for (const auto& p : r.objects(k::kIpPermissions)) g.ip_permissions.push_back(read_permission(p));
  for (const auto& p : r.objects(k::kIpPermissionsEgress))
    g.ip_permissions_egress.push_back(read_permission(p));
  g.owner_id = r.string_or_empty(k::kOwnerId);
  g.tags = tags_of(r);
  g.source = source;
  offer<&Snapshot::security_groups>(k::kSecurityGroups, id, std::move(g));
}
void FileReader::network_acl(const JsonReader& in, const Source& source) {
  const std::string id = in.string(k::kNetworkAclId);
  const JsonReader r = in.for_resource(id);
  NetworkAcl acl;
  acl.network_acl_id = id;
  acl.vpc_id = r.string(k::kVpcId);
  acl.is_default = r.boolean_or(k::kIsDefault, false);
  for (const auto& x : r.objects(k::kEntries)) {
    NetworkAclEntry e;
    // 32768 is the IPv6 "*" rule AWS prints for a VPC with IPv6 (the AWS CLI reference's
    // describe-network-acls example):
    // https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-network-acls.html
    e.rule_number = x.integer(k::kRuleNumber, 1, 32768);
    e.protocol = *model::parse_protocol(read_protocol(x, k::kProtocol));
    const std::string action = x.string(k::kRuleAction);
    if (action != "allow" && action != "deny")
      x.fail(k::kRuleAction, "'" + action + "' is neither allow nor deny");
    e.allow = action == "allow";
    e.egress = x.boolean_or(k::kEgress, false);
    if (!x.has(k::kEgress)) x.fail(k::kEgress, "required field is missing");
    e.cidr_block = x.optional_prefix(k::kCidrBlock);
    e.ipv6_cidr_block = x.optional_ipv6_prefix(k::kIpv6CidrBlock);
    if (!e.cidr_block && !e.ipv6_cidr_block)
      x.fail(k::kCidrBlock, "an entry needs CidrBlock or Ipv6CidrBlock");
    if (auto pr = x.object(k::kPortRange)) {
      e.port_range = PortRangeFromTo{pr->integer(k::kFrom, 0, 65535), pr->integer(k::kTo, 0, 65535)};
    }
    if (auto tc = x.object(k::kIcmpTypeCode)) {
      e.icmp_type_code = IcmpTypeCode{tc->optional_integer(k::kType, -1, 255).value_or(-1),
                                      tc->optional_integer(k::kCode, -1, 255).value_or(-1)};
    }
    acl.entries.push_back(e);
  }
  for (const auto& a : r.objects(k::kAssociations)) {
    acl.associations.push_back({a.string_or_empty(k::kNetworkAclAssociationId), a.string(k::kSubnetId)});
  }
  acl.owner_id = r.string_or_empty(k::kOwnerId);
  acl.tags = tags_of(r);
  acl.source = source;
  offer<&Snapshot::network_acls>(k::kNetworkAcls, id, std::move(acl));
}

}  // namespace vpcprove::aws::reading
