// SPDX-License-Identifier: Apache-2.0
// The converter from aws::Snapshot to model::Network, shared by the aws/to_model*.cpp files that
// define it one resource family each (docs/semantics.md is the specification). Internal to aws/.
#pragma once

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "aws/snapshot.h"
#include "model/network.h"

namespace vpcprove::aws::conversion {

using model::Id;
using model::RouteTargetKind;

inline constexpr const char* kDangling = "dangling-reference";

inline bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

template <class T>
void add_unique(std::vector<T>& v, const T& x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

class Converter {
 public:
  explicit Converter(const Snapshot& s) : s_(s) {
    n_.diagnostics = s.diagnostics;
    n_.terraform_addresses = s.terraform_addresses;
    for (const auto& u : s.unknown_until_apply)
      n_.unknown_until_apply.push_back({u.resource_id, u.address, u.attribute});
  }

  model::Network run();

 private:
  model::Origin origin(const Source& src, const std::string& owner_id, const std::string& zone = {}) const;

  void dangling(const std::string& message, const std::string& file, const std::string& resource);

  // ---- prefix lists, VPCs, gateways -------------------------------------------------------

  void prefix_lists();

  void vpcs();

  void internet_gateways();

  void vpc_peerings();

  // ---- network interfaces -----------------------------------------------------------------

  /**
   * What an ENI is for, from InterfaceType, Description, RequesterId and attachment. The values
   * are AWS's: InterfaceType per
   * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkInterface.html
   * ("interface", "nat_gateway", "efa", "trunk", "load_balancer", "network_load_balancer",
   * "vpc_endpoint", "branch", "transit_gateway", "lambda", "gateway_load_balancer",
   * "gateway_load_balancer_endpoint", "quicksight", "api_gateway_managed", …); services that
   * print "interface" are told apart by their Description ("ELB app/…", "RDSNetworkInterface",
   * "AWS Lambda VPC ENI-…") and RequesterId ("amazon-elb", "amazon-rds").
   */
  model::InterfaceKind kind_of(const NetworkInterface& e, std::optional<Id>& gateway_id) const;

  /** "app/web/50dc…" of "ELB app/web/50dc…", named by LoadBalancers when the snapshot has it. */
  std::string load_balancer_owner(const NetworkInterface& e) const;

  const LoadBalancer* load_balancer_of(const NetworkInterface& e) const;

  /** The RDS instances whose subnet group holds the ENI's subnet and whose groups are the ENI's. */
  std::string database_owner(const model::NetworkInterface& m) const;

  model::NetworkInterface convert(const NetworkInterface& e);

  /** Ipv4Prefixes: every address of a delegated prefix is the ENI's, as a secondary IP is.
   *  https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-prefix-eni.html */
  void delegated_prefixes(const NetworkInterface& e, model::NetworkInterface& m);

  /** Names the ENI's owner from LoadBalancers / DBInstances / its description, and takes a load
   *  balancer's groups when the ENI's copy lists none. */
  void owner_and_groups(const NetworkInterface& e, model::NetworkInterface& m) const;

  // Adds public IPs that another source (the instance's copy of the ENI) knows and this one lacks.
  static void merge_public_ips(model::NetworkInterface& m, const NetworkInterface& other);

  // ENIs are converted into enis_ and looked up by position until commit_interfaces() puts them
  // into the ordered map at once: at 100k ENIs, inserting and finding them one by one in a
  // std::map cost seconds of string comparisons and cache misses.
  void interfaces();

  void commit_interfaces();

  void nat_gateways();

  void instances();

  void addresses();

  // ---- security groups --------------------------------------------------------------------

  // The L4 part of an IpPermission. Port rules after Batfish's SecurityGroupsTest
  // (../shared/corpus/EXPECTED.md, "SG rule semantics").
  model::L4Match l4_of(const IpPermission& p, const std::string& rule_name, const Source& src);

  void security_groups();

  /** Drops repeated prefixes, keeping the first of each where it was. */
  static void keep_first_of_each(std::vector<Ipv4Prefix>& prefixes);

  // ---- network ACLs -----------------------------------------------------------------------

  static model::L4Match nacl_l4(const NetworkAclEntry& e);

  void network_acls();

  // ---- route tables -----------------------------------------------------------------------

  struct Target {
    RouteTargetKind kind = RouteTargetKind::Other;
    Id id;
  };

  static RouteTargetKind kind_of_gateway(const std::string& id);

  std::optional<Target> target_of(const Route& r) const;

  // Why the target of a live route is unusable, or "" when it is fine.
  std::string missing_target(const Target& t, const Id& vpc_id) const;

  void note_opaque(const Id& id, RouteTargetKind kind, const Id& vpc_id);

  // Decision order among equal prefixes: static, then prefix-list, then propagated routes.
  // https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
  static int priority_class(const model::Route& r);

  void route_tables();

  void convert_route(const RouteTable& t, const Route& r, model::RouteTable& m);

  /** The local route of each of the VPC's IPv6 blocks that the table does not list. */
  void add_local_routes6(model::RouteTable& m) const;

  // ---- subnets ----------------------------------------------------------------------------

  void subnets();

  // ---- contradictions ------------------------------------------------------------------------

  /** A public IP belongs to one ENI at a time in AWS; two ENIs claiming one come from files
   *  collected at different times. Network::index() records it; warn, naming both.
   *  https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html */
  void warn_contested_public_ips();

  // ---- gateways vpcprove does not follow --------------------------------------------------

  void opaque_gateways();
  /** A gateway endpoint (VpcEndpointType Gateway): followed, with its service's prefix lists. */
  void gateway_endpoint(const VpcEndpoint& e);

  // ---- accounts and regions ---------------------------------------------------------------

  void places();

  // ---- helpers ----------------------------------------------------------------------------

  template <class T>
  static T* find_mut(std::map<Id, T>& m, const Id& id) {
    auto it = m.find(id);
    return it == m.end() ? nullptr : &it->second;
  }

  bool known_subnet(const Id& id);

  /** An ENI interfaces() or nat_gateways() made, before commit_interfaces(). */
  model::NetworkInterface& interface_at(std::size_t position);

  const Snapshot& s_;
  model::Network n_;
  // Indexes for lookups by ID, each viewing strings of s_ or keys of n_'s maps (both stay put).
  std::unordered_map<std::string_view, const Id*> nat_by_eni_;
  std::unordered_map<std::string_view, const VpcEndpoint*> endpoint_by_eni_;
  std::unordered_map<std::string_view, const std::string*> stopped_instances_;
  std::unordered_set<std::string_view> subnet_ids_;

  // The ENIs until commit_interfaces(), and where each one is: by ID, by index in
  // s_.network_interfaces (kNowhere when left out), by instance and index in the instance's list.
  static constexpr auto kNowhere = static_cast<std::size_t>(-1);
  std::vector<model::NetworkInterface> enis_;
  std::unordered_map<std::string_view, std::size_t> position_;
  std::vector<std::size_t> listed_position_;
  std::vector<std::size_t> instance_eni_position_;
  std::deque<std::string> made_up_ids_;  // IDs position_ views that the snapshot does not hold
  std::map<Id, Id> subnet_acl_;
  std::map<Id, Id> default_acl_;
  std::map<Id, Id> subnet_rtb_;
  std::map<Id, model::OpaqueGateway> opaque_;
};

}  // namespace vpcprove::aws::conversion
