// SPDX-License-Identifier: Apache-2.0
// The snapshot loader: walks files, dispatches on top-level keys, keeps live resources.
#include "aws/snapshot_loader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <unordered_map>

#include "aws/json_file.h"
#include "aws/json_keys.h"
#include "aws/json_reader.h"

namespace vpcprove::aws {
namespace {

namespace fs = std::filesystem;
namespace k = keys;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Keys Batfish ignores silently (Region.getChildConsumer): a note is enough.
const std::set<std::string, std::less<>> kIgnoredKeys = {
    "AvailabilityZones", "DhcpOptions", "Regions",   "InstanceStatuses", "PlacementGroups",
    "ServiceNames",      "Tags",        "NextToken", "ServiceDetails"};
// AWS outputs Batfish reads and vpcprove does not model yet.
const std::set<std::string, std::less<>> kUnmodelledKeys = {"CustomerGateways",
                                                            "VpnGateways",
                                                            "VpnConnections",
                                                            "TransitGatewayVpcAttachments",
                                                            "TransitGatewayPropagations",
                                                            "TransitGatewayStaticRoutes",
                                                            "TransitGatewayPeeringAttachments",
                                                            "LoadBalancers",
                                                            "LoadBalancerListeners",
                                                            "LoadBalancerAttributes",
                                                            "TargetGroups",
                                                            "LoadBalancerTargetHealth",
                                                            "DBInstances",
                                                            "DomainStatusList",
                                                            "DirectConnectGateways",
                                                            "DirectConnectGatewayAssociations",
                                                            "VirtualInterfaces",
                                                            "CarrierGateways",
                                                            "LocalGateways",
                                                            "ElasticsearchDomains"};

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
  if (!parse_protocol(text))
    r.fail(key, "'" + text + "' is not a protocol (tcp, udp, icmp, icmpv6, -1 or 0..255)");
  return text;
}

/** Stable copies of many short strings (resource IDs), a few large blocks instead of one allocation each. */
class StringArena {
 public:
  std::string_view keep(std::string_view s) {
    if (s.size() > room_) {
      const std::size_t size = std::max(kBlock, s.size());
      blocks_.push_back(std::make_unique<char[]>(size));
      next_ = blocks_.back().get();
      room_ = size;
    }
    std::copy(s.begin(), s.end(), next_);
    const std::string_view kept(next_, s.size());
    next_ += s.size();
    room_ -= s.size();
    return kept;
  }

 private:
  static constexpr std::size_t kBlock = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  std::size_t room_ = 0;
};

class Loader {
 public:
  explicit Loader(Snapshot& snapshot) : s_(snapshot) {}

  void read_file(const fs::path& file, const Source& source) {
    const std::string& name = source.file;
    const simdjson::dom::element doc = parser_.parse(file, name);
    simdjson::dom::object top;
    if (doc.get_object().get(top)) {
      throw InputError(
          name, "", "expected a JSON object whose keys are describe-* outputs, got " + json_type_name(doc));
    }
    s_.files.push_back(name);
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

  void finish() {
    // Entries delivered separately (get-managed-prefix-list-entries) join their list.
    for (auto& [id, entries] : pending_entries_) {
      auto it = std::find_if(s_.prefix_lists.begin(), s_.prefix_lists.end(),
                             [&](const PrefixList& p) { return p.prefix_list_id == id; });
      if (it == s_.prefix_lists.end()) {
        PrefixList pl;
        pl.prefix_list_id = id;
        pl.source = entries.source;
        s_.prefix_lists.push_back(pl);
        it = std::prev(s_.prefix_lists.end());
      }
      for (const auto& c : entries.cidrs) {
        if (std::find(it->cidrs.begin(), it->cidrs.end(), c) == it->cidrs.end()) it->cidrs.push_back(c);
      }
      it->ipv6_cidr_count += entries.ipv6_count;
    }
  }

 private:
  struct PendingEntries {
    std::vector<Ipv4Prefix> cidrs;
    std::size_t ipv6_count = 0;
    Source source;
  };

  void read_key(simdjson::dom::element whole, bool entries_with_id, std::string_view key,
                simdjson::dom::element value, const Source& source) {
    using Handler = void (Loader::*)(const JsonReader&, const Source&);
    static const std::map<std::string, Handler, std::less<>> handlers = {
        {std::string(k::kVpcs), &Loader::vpc},
        {std::string(k::kSubnets), &Loader::subnet},
        {std::string(k::kRouteTables), &Loader::route_table},
        {std::string(k::kInternetGateways), &Loader::internet_gateway},
        {std::string(k::kEgressOnlyInternetGateways), &Loader::egress_only_internet_gateway},
        {std::string(k::kNatGateways), &Loader::nat_gateway},
        {std::string(k::kNetworkInterfaces), &Loader::network_interface},
        {std::string(k::kReservations), &Loader::reservation},
        {std::string(k::kSecurityGroups), &Loader::security_group},
        {std::string(k::kNetworkAcls), &Loader::network_acl},
        {std::string(k::kAddresses), &Loader::address},
        {std::string(k::kVpcPeeringConnections), &Loader::vpc_peering_connection},
        {std::string(k::kPrefixLists), &Loader::prefix_list},
        {std::string(k::kManagedPrefixLists), &Loader::prefix_list},
        {std::string(k::kPrefixListEntries), &Loader::prefix_list_entries},
        {std::string(k::kVpcEndpoints), &Loader::vpc_endpoint},
        {std::string(k::kTransitGateways), &Loader::transit_gateway},
        {std::string(k::kTransitGatewayAttachments), &Loader::transit_gateway_attachment},
        {std::string(k::kTransitGatewayRouteTables), &Loader::transit_gateway_route_table},
    };
    if (entries_with_id && (key == k::kEntries || key == k::kPrefixListId)) {
      if (key == k::kEntries) {
        JsonReader top(whole, source.file, "");
        const std::string id = top.string(k::kPrefixListId);
        merge_entries(top.for_resource(id), id, source);
      }
      return;
    }
    auto it = handlers.find(key);
    if (it == handlers.end()) {
      unknown_key(key, value, source);
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

  void unknown_key(std::string_view key_view, simdjson::dom::element value, const Source& source) {
    const std::string key(key_view);
    simdjson::dom::array list;
    const bool is_list = !value.get_array().get(list);
    const bool empty = is_list && list.begin() == list.end();
    const bool ignored = kIgnoredKeys.count(key) > 0;
    const bool unmodelled = kUnmodelledKeys.count(key) > 0;
    // Empty lists say nothing about the network: no diagnostic, as in Batfish.
    if (empty && !ignored) return;
    if (!reported_keys_.insert(key).second) return;
    if (ignored) {
      s_.diagnostics.note("ignored-key", "top-level key " + key + " is not needed for reachability: ignored",
                          source.file);
    } else if (unmodelled) {
      s_.diagnostics.unimplemented("unmodelled-key",
                                   "top-level key " + key + " (" + std::to_string(is_list ? count(list) : 1) +
                                       " in the first file) is not modelled by vpcprove yet: ignored",
                                   source.file);
    } else {
      s_.diagnostics.warn("unknown-key", "unknown top-level key " + key + ": ignored", source.file);
    }
  }

  // Keeps the first of two resources with one ID. The same resource seen from two accounts or
  // regions (a shared transit gateway, both ends of a peering) is normal: a note. Twice in one
  // file is odd: a warning.
  bool first_of(std::string_view kind, const std::string& id, const Source& source) {
    auto& seen = seen_[kind];
    auto it = seen.find(id);
    if (it == seen.end()) {
      seen.emplace(seen_ids_.keep(id), s_.files.size() - 1);  // read_file listed this file last
      return true;
    }
    const std::string& first_file = s_.files[it->second];
    const std::string message = std::string(kind) + " " + id + " is listed more than once (first in " +
                                first_file + "): the first one is used";
    if (first_file == source.file) {
      s_.diagnostics.warn("duplicate-resource", message, source.file, id);
    } else {
      s_.diagnostics.note("duplicate-resource", message, source.file, id);
    }
    return false;
  }

  void not_live(std::string_view kind, const std::string& what, const std::string& id,
                const std::string& state, const Source& source) {
    s_.not_live.push_back({std::string(kind), id, state, source});
    s_.diagnostics.note("not-live",
                        what + " " + id + " is " + (state.empty() ? "in no state" : state) +
                            ", not live: left out of the model",
                        source.file, id);
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
    if (first_of(k::kVpcs, id, source)) s_.vpcs.push_back(std::move(v));
  }

  void subnet(const JsonReader& in, const Source& source) {
    const std::string id = in.string(k::kSubnetId);
    const JsonReader r = in.for_resource(id);
    Subnet v;
    v.subnet_id = id;
    v.vpc_id = r.string(k::kVpcId);
    v.cidr_block = r.prefix(k::kCidrBlock);
    v.availability_zone = r.string_or_empty(k::kAvailabilityZone);
    v.owner_id = r.string_or_empty(k::kOwnerId);
    v.tags = tags_of(r);
    v.source = source;
    if (first_of(k::kSubnets, id, source)) s_.subnets.push_back(std::move(v));
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
    if (first_of(k::kRouteTables, id, source)) s_.route_tables.push_back(std::move(t));
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
    if (first_of(k::kInternetGateways, id, source)) s_.internet_gateways.push_back(std::move(g));
  }

  void egress_only_internet_gateway(const JsonReader& in, const Source& source) {
    const std::string id = in.string(k::kEgressOnlyInternetGatewayId);
    const JsonReader r = in.for_resource(id);
    EgressOnlyInternetGateway g{id, live_attachments(r), tags_of(r), source};
    if (first_of(k::kEgressOnlyInternetGateways, id, source))
      s_.egress_only_internet_gateways.push_back(std::move(g));
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
    if (!first_of(k::kNatGateways, id, source)) return;
    if (g.state != "available") return not_live(k::kNatGateways, "NAT gateway", id, g.state, source);
    s_.nat_gateways.push_back(std::move(g));
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
    e.requester_managed = r.boolean_or(k::kRequesterManaged, false);
    e.requester_id = r.string_or_empty(k::kRequesterId);
    e.status = r.string_or_empty(k::kStatus);
    e.owner_id = r.string_or_empty(k::kOwnerId);
    e.tags = r.has(k::kTagSet) ? r.tags(k::kTagSet) : r.tags(k::kTags);
    e.source = source;
    return e;
  }

  void network_interface(const JsonReader& in, const Source& source) {
    NetworkInterface e = read_interface(in, source, "", "");
    if (first_of(k::kNetworkInterfaces, e.network_interface_id, source))
      s_.network_interfaces.push_back(std::move(e));
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
      if (!first_of(k::kReservations, id, source)) continue;
      if (i.state_name != "running") {
        not_live(k::kReservations, "instance", id, i.state_name, source);
        continue;
      }
      s_.instances.push_back(std::move(i));
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
    if (first_of(k::kSecurityGroups, id, source)) s_.security_groups.push_back(std::move(g));
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
      e.rule_number = x.integer(k::kRuleNumber, 1, 32767);
      e.protocol = *parse_protocol(read_protocol(x, k::kProtocol));
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
    if (first_of(k::kNetworkAcls, id, source)) s_.network_acls.push_back(std::move(acl));
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
    if (first_of(k::kAddresses, format_ipv4(ip), source)) s_.addresses.push_back(std::move(a));
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
    if (!first_of(k::kVpcPeeringConnections, id, source)) return;
    // A deleted or failed peering may lack VPC details; it is not read further.
    if (p.status_code != "active")
      return not_live(k::kVpcPeeringConnections, "VPC peering", id, p.status_code, source);
    p.requester_vpc_info = read_vpc_info(r, k::kRequesterVpcInfo);
    p.accepter_vpc_info = read_vpc_info(r, k::kAccepterVpcInfo);
    s_.vpc_peering_connections.push_back(std::move(p));
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
    if (first_of(k::kPrefixLists, id, source)) s_.prefix_lists.push_back(std::move(pl));
  }

  void merge_entries(const JsonReader& r, const std::string& id, const Source& source) {
    auto& pending = pending_entries_[id];
    if (pending.source.file.empty()) pending.source = source;
    for (const auto& e : r.objects(k::kEntries))
      add_cidr(e, k::kCidr, e.string(k::kCidr), pending.cidrs, pending.ipv6_count);
  }

  void prefix_list_entries(const JsonReader& in, const Source& source) {
    const std::string id = in.string(k::kPrefixListId);
    merge_entries(in.for_resource(id), id, source);
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
    if (!first_of(k::kVpcEndpoints, id, source)) return;
    if (lower(e.state) != "available") return not_live(k::kVpcEndpoints, "VPC endpoint", id, e.state, source);
    s_.vpc_endpoints.push_back(std::move(e));
  }

  void transit_gateway(const JsonReader& in, const Source& source) {
    const std::string id = in.string(k::kTransitGatewayId);
    const JsonReader r = in.for_resource(id);
    TransitGateway t{id, r.string(k::kState), r.string_or_empty(k::kOwnerId), tags_of(r), source};
    if (!first_of(k::kTransitGateways, id, source)) return;
    if (t.state != "available") return not_live(k::kTransitGateways, "transit gateway", id, t.state, source);
    s_.transit_gateways.push_back(std::move(t));
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
    if (!first_of(k::kTransitGatewayAttachments, id, source)) return;
    if (a.state != "available") {
      return not_live(k::kTransitGatewayAttachments, "transit gateway attachment", id, a.state, source);
    }
    s_.transit_gateway_attachments.push_back(std::move(a));
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
    if (!first_of(k::kTransitGatewayRouteTables, id, source)) return;
    if (t.state != "available") {
      return not_live(k::kTransitGatewayRouteTables, "transit gateway route table", id, t.state, source);
    }
    s_.transit_gateway_route_tables.push_back(std::move(t));
  }

  // The number of elements of a list (simdjson's size() stops counting at 2^24 - 1).
  static std::size_t count(simdjson::dom::array list) {
    const std::size_t n = list.size();
    return n < 0xFFFFFF ? n : static_cast<std::size_t>(std::distance(list.begin(), list.end()));
  }

  Snapshot& s_;
  JsonFileParser parser_;
  // kind (a keys:: constant) -> ID -> index in s_.files of the file that listed it first.
  // Hashed, and with the IDs in an arena: a std::map of strings was a quarter of loading time.
  std::map<std::string_view, std::unordered_map<std::string_view, std::size_t>, std::less<>> seen_;
  StringArena seen_ids_;
  std::set<std::string> reported_keys_;
  std::map<std::string, PendingEntries> pending_entries_;
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

std::optional<int> parse_protocol(std::string_view text) {
  if (text == "-1" || text == "all") return -1;
  if (text == "tcp") return 6;
  if (text == "udp") return 17;
  if (text == "icmp") return 1;
  if (text == "icmpv6") return 58;
  if (text.empty() || text.size() > 3) return std::nullopt;
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n <= 255 ? std::optional<int>(n) : std::nullopt;
}

Snapshot load_snapshot(const std::string& path) {
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
      if (it->is_regular_file(ec) && lower(it->path().extension().string()) == ".json")
        files.push_back(it->path());
    }
    if (ec) throw InputError(path, "", "cannot read the folder: " + ec.message());
    if (files.empty()) throw InputError(path, "", "no *.json file in this folder: not a snapshot");
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.generic_string() < b.generic_string(); });
  } else {
    files.push_back(root);
  }

  Loader loader(snapshot);
  for (const auto& file : files) {
    loader.read_file(file, fs::is_directory(status) ? source_from_layout(root, file)
                                                    : source_from_layout(root.parent_path(), file));
  }
  loader.finish();
  return snapshot;
}

}  // namespace vpcprove::aws
