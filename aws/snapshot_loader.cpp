// SPDX-License-Identifier: Apache-2.0
// The snapshot loader: walks files, reads each on a worker thread (FileReader), merges them in order.
#include "aws/snapshot_loader.h"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <thread>
#include <utility>

#include "aws/json_file.h"
#include "aws/json_keys.h"
#include "aws/json_reader.h"
#include "aws/snapshot_merge.h"
#include "aws/terraform_plan.h"
#include "model/header_fields.h"

namespace vpcprove::aws {
namespace {

namespace fs = std::filesystem;
namespace k = keys;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::vector<GroupIdentifier> read_groups(const JsonReader& r, std::string_view key) {
  std::vector<GroupIdentifier> out;
  for (const auto& g : r.objects(key))
    out.push_back({g.string(k::kGroupId), g.string_or_empty(k::kGroupName)});
  return out;
}

std::optional<Ipv4Address> association_public_ip(const JsonReader& r) {
  auto assoc = r.object(k::kAssociation);
  return assoc ? assoc->optional_address(k::kPublicIp) : std::nullopt;
}

std::string read_protocol(const JsonReader& r, std::string_view key) {
  const std::string text = lower(r.string(key));
  if (!model::parse_protocol(text))
    r.fail(key, "'" + text + "' is not a protocol (tcp, udp, icmp, icmpv6, -1 or 0..255)");
  return text;
}

/**
 * Reads one file into a Fragment: every resource checked and built, the decisions that depend
 * on other files (which resource of an ID wins, what is reported once) left to SnapshotMerger.
 * One per thread: it owns a simdjson parser.
 */
class FileReader {
 public:
  Fragment read(const fs::path& file, const Source& source) {
    Fragment f;
    f.source = source;
    f_ = &f;
    try {
      read_file(file, source);
    } catch (...) {
      f.error = std::current_exception();
    }
    f_ = nullptr;
    return f;
  }

 private:
  void read_file(const fs::path& file, const Source& source) {
    const std::string& name = source.file;
    const simdjson::dom::element doc = parser_.parse(file, name);
    simdjson::dom::object top;
    if (doc.get_object().get(top)) {
      throw InputError(
          name, "", "expected a JSON object whose keys are describe-* outputs, got " + json_type_name(doc));
    }
    f_->listed = true;
    // Top-level keys in sorted order, the last of equal keys counting: the order and the choice
    // nlohmann::json (a std::map) always gave, which decide the order of resources and diagnostics.
    std::vector<simdjson::dom::key_value_pair> fields(top.begin(), top.end());
    std::stable_sort(fields.begin(), fields.end(),
                     [](const auto& a, const auto& b) { return a.key < b.key; });
    std::vector<simdjson::dom::key_value_pair> keys;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i + 1 == fields.size() || fields[i + 1].key != fields[i].key) keys.push_back(fields[i]);
    }
    const auto present = [&](std::string_view key) {
      return std::any_of(keys.begin(), keys.end(), [&](const auto& f) { return f.key == key; });
    };
    // get-managed-prefix-list-entries prints {"Entries": […]}; with a "PrefixListId" next to it
    // the file says which list the entries belong to.
    const bool entries_with_id = present(k::kPrefixListId) && present(k::kEntries);
    for (const auto& field : keys) read_key(doc, entries_with_id, field.key, field.value, source);
  }

  void read_key(simdjson::dom::element whole, bool entries_with_id, std::string_view key,
                simdjson::dom::element value, const Source& source) {
    using Handler = void (FileReader::*)(const JsonReader&, const Source&);
    static const std::map<std::string, Handler, std::less<>> handlers = {
        {std::string(k::kVpcs), &FileReader::vpc},
        {std::string(k::kSubnets), &FileReader::subnet},
        {std::string(k::kRouteTables), &FileReader::route_table},
        {std::string(k::kInternetGateways), &FileReader::internet_gateway},
        {std::string(k::kEgressOnlyInternetGateways), &FileReader::egress_only_internet_gateway},
        {std::string(k::kNatGateways), &FileReader::nat_gateway},
        {std::string(k::kNetworkInterfaces), &FileReader::network_interface},
        {std::string(k::kReservations), &FileReader::reservation},
        {std::string(k::kSecurityGroups), &FileReader::security_group},
        {std::string(k::kNetworkAcls), &FileReader::network_acl},
        {std::string(k::kAddresses), &FileReader::address},
        {std::string(k::kVpcPeeringConnections), &FileReader::vpc_peering_connection},
        {std::string(k::kPrefixLists), &FileReader::prefix_list},
        {std::string(k::kManagedPrefixLists), &FileReader::prefix_list},
        {std::string(k::kPrefixListEntries), &FileReader::prefix_list_entries},
        {std::string(k::kVpcEndpoints), &FileReader::vpc_endpoint},
        {std::string(k::kTransitGateways), &FileReader::transit_gateway},
        {std::string(k::kTransitGatewayAttachments), &FileReader::transit_gateway_attachment},
        {std::string(k::kTransitGatewayRouteTables), &FileReader::transit_gateway_route_table},
        {std::string(k::kLoadBalancers), &FileReader::load_balancer},
        {std::string(k::kDBInstances), &FileReader::db_instance},
    };
    if (entries_with_id && (key == k::kEntries || key == k::kPrefixListId)) {
      if (key == k::kEntries) {
        JsonReader top(whole, source.file, "");
        const std::string id = top.string(k::kPrefixListId);
        merge_entries(top.for_resource(id), id);
      }
      return;
    }
    auto it = handlers.find(key);
    if (it == handlers.end()) {
      unknown_key(key, value);
      return;
    }
    simdjson::dom::array list;
    if (value.get_array().get(list)) {
      throw InputError(
          source.file, "",
          "top-level key " + std::string(key) + ": expected a list, got " + json_type_name(value));
    }
    const auto handler = it->second;
    JsonReader::for_each_resource(list, source.file, std::string(key),
                                  [&](const JsonReader& r) { (this->*handler)(r, source); });
  }

  void unknown_key(std::string_view key, simdjson::dom::element value) {
    simdjson::dom::array list;
    const bool is_list = !value.get_array().get(list);
    f_->events.emplace_back(
        UnknownKey{std::string(key), is_list && list.begin() == list.end(), is_list ? count(list) : 1});
  }

  /**
   * The resource, kept by the merge unless an earlier one has its ID. not_live ({what, state})
   * has it noted and left out instead; error is thrown if it is kept.
   */
  template <auto List, class T>
  void offer(std::string_view kind, std::string id, T&& resource,
             std::optional<std::pair<std::string, std::string>> not_live = std::nullopt,
             std::exception_ptr error = nullptr) {
    Offered o{kind, std::move(id), &keep_into<List>, 0, std::move(not_live), std::move(error)};
    if (!o.not_live) {
      auto& list = f_->resources.*List;
      o.index = list.size();
      list.push_back(std::forward<T>(resource));
    }
    f_->events.emplace_back(std::move(o));
  }

  /** {what, state} when a resource is not live, for offer(). */
  static std::optional<std::pair<std::string, std::string>> unless_live(bool live, std::string what,
                                                                        const std::string& state) {
    if (live) return std::nullopt;
    return std::make_pair(std::move(what), state);
  }

  static Tags tags_of(const JsonReader& r) { return r.tags(k::kTags); }

  void vpc(const JsonReader& in, const Source& source) {
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
    v.is_default = r.boolean_or(k::kIsDefault, false);
    v.owner_id = r.string_or_empty(k::kOwnerId);
    v.tags = tags_of(r);
    v.source = source;
    offer<&Snapshot::vpcs>(k::kVpcs, id, std::move(v));
  }

  void subnet(const JsonReader& in, const Source& source) {
    const std::string id = in.string(k::kSubnetId);
    const JsonReader r = in.for_resource(id);
    Subnet v;
    v.subnet_id = id;
    v.vpc_id = r.string(k::kVpcId);
    for (const auto& a : r.objects(k::kIpv6CidrBlockAssociationSet)) {
      if (auto c = a.optional_string(k::kIpv6CidrBlock)) v.ipv6_cidr_blocks.push_back(*c);
    }
    // An IPv6-only subnet has no CidrBlock:
    // https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html#subnet-sizing-ipv6
    if (r.has(k::kCidrBlock) || v.ipv6_cidr_blocks.empty()) {
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

  void route_table(const JsonReader& in, const Source& source) {
    const std::string id = in.string(k::kRouteTableId);
    const JsonReader r = in.for_resource(id);
    RouteTable t;
    t.route_table_id = id;
    t.vpc_id = r.string(k::kVpcId);
    for (const auto& x : r.objects(k::kRoutes)) {
      Route route;
      route.destination_cidr_block = x.optional_prefix(k::kDestinationCidrBlock);
      route.destination_ipv6_cidr_block = x.optional_string(k::kDestinationIpv6CidrBlock);
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
    for (const auto& v : r.objects(k::kPropagatingVgws))
      t.propagating_vgws.push_back(v.string(k::kGatewayId));
    t.owner_id = r.string_or_empty(k::kOwnerId);
    t.tags = tags_of(r);
    t.source = source;
    offer<&Snapshot::route_tables>(k::kRouteTables, id, std::move(t));
  }

  static std::vector<InternetGatewayAttachment> live_attachments(const JsonReader& r) {
    std::vector<InternetGatewayAttachment> out;
    for (const auto& a : r.objects(k::kAttachments)) {
      InternetGatewayAttachment att{a.string(k::kVpcId), a.string_or_empty(k::kState)};
      if (att.state == "available" || att.state == "attached") out.push_back(std::move(att));
    }
    return out;
  }

  void internet_gateway(const JsonReader& in, const Source& source) {
    const std::string id = in.string(k::kInternetGatewayId);
    const JsonReader r = in.for_resource(id);
    InternetGateway g{id, live_attachments(r), r.string_or_empty(k::kOwnerId), tags_of(r), source};
    offer<&Snapshot::internet_gateways>(k::kInternetGateways, id, std::move(g));
  }

  void egress_only_internet_gateway(const JsonReader& in, const Source& source) {
    const std::string id = in.string(k::kEgressOnlyInternetGatewayId);
    const JsonReader r = in.for_resource(id);
    EgressOnlyInternetGateway g{id, live_attachments(r), tags_of(r), source};
    offer<&Snapshot::egress_only_internet_gateways>(k::kEgressOnlyInternetGateways, id, std::move(g));
  }

  void nat_gateway(const JsonReader& in, const Source& source) {
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

  static NetworkInterface read_interface(const JsonReader& in, const Source& source,
                                         const std::string& vpc_fallback,
                                         const std::string& subnet_fallback) {
    NetworkInterface e;
    e.network_interface_id = in.string(k::kNetworkInterfaceId);
    const JsonReader r = in.for_resource(e.network_interface_id);
    // Instances[].NetworkInterfaces[] always print SubnetId/VpcId; fall back to the instance's anyway.
    e.subnet_id = subnet_fallback.empty() ? r.string(k::kSubnetId)
                                          : r.optional_string(k::kSubnetId).value_or(subnet_fallback);
    e.vpc_id =
        vpc_fallback.empty() ? r.string(k::kVpcId) : r.optional_string(k::kVpcId).value_or(vpc_fallback);
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
      e.ipv6_addresses.push_back(a.string_or_empty(k::kIpv6Address));
    e.status = r.string_or_empty(k::kStatus);
    e.owner_id = r.string_or_empty(k::kOwnerId);
    e.tags = r.has(k::kTagSet) ? r.tags(k::kTagSet) : r.tags(k::kTags);
    e.source = source;
    return e;
  }

  void network_interface(const JsonReader& in, const Source& source) {
    NetworkInterface e = read_interface(in, source, "", "");
    std::string id = e.network_interface_id;
    offer<&Snapshot::network_interfaces>(k::kNetworkInterfaces, std::move(id), std::move(e));
  }

  void reservation(const JsonReader& in, const Source& source) {
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

  static IpPermission read_permission(const JsonReader& p) {
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
    perm.ipv6_range_count = p.objects(k::kIpv6Ranges).size();
    for (const auto& x : p.objects(k::kIpv6Ranges))
      perm.ipv6_ranges.push_back(x.string_or_empty(k::kCidrIpv6));
    return perm;
  }

  void security_group(const JsonReader& in, const Source& source) {
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

  void network_acl(const JsonReader& in, const Source& source) {
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
      e.ipv6_cidr_block = x.optional_string(k::kIpv6CidrBlock);
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

  void address(const JsonReader& in, const Source& source) {
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

  static VpcPeeringConnectionVpcInfo read_vpc_info(const JsonReader& r, std::string_view key) {
    auto info = r.object(key);
    if (!info) r.fail(key, "required field is missing");
    VpcPeeringConnectionVpcInfo v;
    v.vpc_id = info->string(k::kVpcId);
    v.owner_id = info->string_or_empty(k::kOwnerId);
    v.region = info->string_or_empty(k::kRegion);
    v.cidr_block = info->optional_prefix(k::kCidrBlock);
    for (const auto& c : info->objects(k::kCidrBlockSet)) v.cidr_block_set.push_back(c.prefix(k::kCidrBlock));
    return v;
  }

  void vpc_peering_connection(const JsonReader& in, const Source& source) {
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
    offer<&Snapshot::vpc_peering_connections>(k::kVpcPeeringConnections, id, std::move(p),
                                              std::move(not_live), error);
  }

  // One CIDR of a prefix list: IPv4 kept, IPv6 counted (not modelled), anything else an error.
  static void add_cidr(const JsonReader& r, std::string_view key, const std::string& text,
                       std::vector<Ipv4Prefix>& cidrs, std::size_t& ipv6_count) {
    if (text.find(':') != std::string::npos) {
      ++ipv6_count;
      return;
    }
    auto p = parse_cidr(text);
    if (!p) r.fail(key, "'" + text + "' is not a CIDR block");
    cidrs.push_back(*p);
  }

  void prefix_list(const JsonReader& in, const Source& source) {
    const std::string id = in.string(k::kPrefixListId);
    const JsonReader r = in.for_resource(id);
    PrefixList pl;
    pl.prefix_list_id = id;
    pl.prefix_list_name = r.string_or_empty(k::kPrefixListName);
    for (const auto& c : r.strings(k::kCidrs)) add_cidr(r, k::kCidrs, c, pl.cidrs, pl.ipv6_cidr_count);
    for (const auto& e : r.objects(k::kEntries))
      add_cidr(e, k::kCidr, e.string(k::kCidr), pl.cidrs, pl.ipv6_cidr_count);
    pl.address_family = r.string_or_empty(k::kAddressFamily);
    pl.state = r.string_or_empty(k::kState);
    pl.owner_id = r.string_or_empty(k::kOwnerId);
    pl.tags = tags_of(r);
    pl.source = source;
    offer<&Snapshot::prefix_lists>(k::kPrefixLists, id, std::move(pl));
  }

  void merge_entries(const JsonReader& r, const std::string& id) {
    LooseEntries entries{id, {}, 0};
    for (const auto& e : r.objects(k::kEntries))
      add_cidr(e, k::kCidr, e.string(k::kCidr), entries.cidrs, entries.ipv6_count);
    f_->events.emplace_back(std::move(entries));
  }

  void prefix_list_entries(const JsonReader& in, const Source&) {
    const std::string id = in.string(k::kPrefixListId);
    merge_entries(in.for_resource(id), id);
  }

  void vpc_endpoint(const JsonReader& in, const Source& source) {
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

  void load_balancer(const JsonReader& in, const Source& source) {
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

  void db_instance(const JsonReader& in, const Source& source) {
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

  void transit_gateway(const JsonReader& in, const Source& source) {
    const std::string id = in.string(k::kTransitGatewayId);
    const JsonReader r = in.for_resource(id);
    TransitGateway t{id, r.string(k::kState), r.string_or_empty(k::kOwnerId), tags_of(r), source};
    auto not_live = unless_live(t.state == "available", "transit gateway", t.state);
    offer<&Snapshot::transit_gateways>(k::kTransitGateways, id, std::move(t), std::move(not_live));
  }

  void transit_gateway_attachment(const JsonReader& in, const Source& source) {
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

  void transit_gateway_route_table(const JsonReader& in, const Source& source) {
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

  // The number of elements of a list (simdjson's size() stops counting at 2^24 - 1).
  static std::size_t count(simdjson::dom::array list) {
    const std::size_t n = list.size();
    return n < 0xFFFFFF ? n : static_cast<std::size_t>(std::distance(list.begin(), list.end()));
  }

  JsonFileParser parser_;
  Fragment* f_ = nullptr;  // the fragment being read
};

Source source_from_layout(const fs::path& root, const fs::path& file) {
  Source src;
  src.file = file.generic_string();
  std::vector<std::string> dirs;
  auto add_parts = [&](const fs::path& p) {
    for (const auto& part : p) {
      const std::string s = part.generic_string();
      if (s.empty() || s == "." || s == "/") continue;
      if (s == "aws_configs") {
        dirs.clear();
        continue;
      }
      dirs.push_back(s);
    }
  };
  // Batfish counts folders below aws_configs/; when the user pointed inside aws_configs/, the
  // folders above the given path count too. Without aws_configs/, only folders below the path count.
  bool under_aws_configs = false;
  for (const auto& part : file.parent_path()) under_aws_configs |= part == "aws_configs";
  if (under_aws_configs) {
    add_parts(file.parent_path());
  } else {
    add_parts(file.lexically_relative(root).parent_path());
  }
  if (!dirs.empty() && looks_like_region(dirs.back())) {
    src.region = dirs.back();
    if (dirs.size() >= 2) src.account = dirs[dirs.size() - 2];
  }
  return src;
}

/**
 * Reads files[i] (from sources[i]) into fragments on a few threads and hands each to merge, in
 * file order. Reading (parsing, checking, building resources) is most of loading and needs
 * nothing from other files; merging is the part that must follow file order. At most a window
 * of files is read ahead of the merge, which bounds memory.
 */
void read_in_file_order(const std::vector<fs::path>& files, const std::vector<Source>& sources,
                        const std::function<void(Fragment&&)>& merge) {
  constexpr std::size_t kMaxReaders = 4;
  const std::size_t n = files.size();
  const std::size_t threads =
      std::min({n, std::size_t{std::max(1U, std::thread::hardware_concurrency())}, kMaxReaders});
  if (threads <= 1) {
    FileReader reader;
    for (std::size_t i = 0; i < n; ++i) merge(reader.read(files[i], sources[i]));
    return;
  }
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::optional<Fragment>> done(n);
  std::size_t next = 0;    // the next file to read
  std::size_t merged = 0;  // files merged so far
  bool stop = false;
  const std::size_t window = 2 * threads;
  const auto read = [&] {
    FileReader reader;  // FileReader::read catches everything into the fragment
    for (;;) {
      std::size_t i = 0;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop || next == n || next < merged + window; });
        if (stop || next == n) return;
        i = next++;
      }
      Fragment f = reader.read(files[i], sources[i]);
      {
        const std::lock_guard lock(mutex);
        done[i] = std::move(f);
      }
      changed.notify_all();
    }
  };
  std::vector<std::thread> readers;
  // However the merge ends (an InputError in file 3 of 200), the readers stop and are joined.
  struct JoinReaders {
    std::mutex& mutex;
    std::condition_variable& changed;
    bool& stop;
    std::vector<std::thread>& readers;
    ~JoinReaders() {
      {
        const std::lock_guard lock(mutex);
        stop = true;
      }
      changed.notify_all();
      for (auto& t : readers) t.join();
    }
  } join{mutex, changed, stop, readers};
  for (std::size_t t = 0; t < threads; ++t) readers.emplace_back(read);
  for (std::size_t i = 0; i < n; ++i) {
    Fragment f;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return done[i].has_value(); });
      f = std::move(*done[i]);
      done[i].reset();
      merged = i + 1;
    }
    changed.notify_all();
    merge(std::move(f));
  }
}

}  // namespace

bool looks_like_region(std::string_view name) {
  static const std::regex re("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$");
  return std::regex_match(name.begin(), name.end(), re);
}

std::optional<std::string> region_of_availability_zone(std::string_view zone) {
  static const std::regex re("^([a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+)[a-z]?(-.*)?$");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(zone.begin(), zone.end(), m, re)) return std::nullopt;
  return m[1].str();
}

Snapshot load_snapshot(const std::string& path) {
  // A Terraform plan is a snapshot too: the estate after apply (aws/terraform_plan.h).
  if (is_terraform_plan(path)) return load_plan(path);
  Snapshot snapshot;
  snapshot.path = path;
  std::error_code ec;
  const fs::path root(path);
  const auto status = fs::status(root, ec);
  if (ec || !fs::exists(status)) throw InputError(path, "", "no such file or directory");

  std::vector<fs::path> files;
  if (fs::is_directory(status)) {
    for (auto it =
             fs::recursive_directory_iterator(root, fs::directory_options::follow_directory_symlink, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      // MANIFEST.json is vpcprove-collect's record of its calls (docs/cli-contract.md), not AWS output.
      if (it->is_regular_file(ec) && lower(it->path().extension().string()) == ".json" &&
          it->path().filename() != "MANIFEST.json")
        files.push_back(it->path());
    }
    if (ec) throw InputError(path, "", "cannot read the folder: " + ec.message());
    if (files.empty()) throw InputError(path, "", "no *.json file in this folder: not a snapshot");
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.generic_string() < b.generic_string(); });
  } else {
    files.push_back(root);
  }

  std::vector<Source> sources;
  sources.reserve(files.size());
  for (const auto& file : files) {
    sources.push_back(fs::is_directory(status) ? source_from_layout(root, file)
                                               : source_from_layout(root.parent_path(), file));
  }
  SnapshotMerger merger(snapshot);
  read_in_file_order(files, sources, [&](Fragment&& f) { merger.merge(std::move(f)); });
  merger.finish();
  return snapshot;
}

}  // namespace vpcprove::aws
