// SPDX-License-Identifier: Apache-2.0
// The converter from aws::Snapshot to model::Network (docs/semantics.md is the specification).
#include "aws/to_model.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "aws/snapshot_loader.h"
#include "aws/terraform_plan.h"
#include "model/describe.h"
#include "model/drop_code.h"
#include "model/header_fields.h"

namespace vpcprove::aws {
namespace {

using model::Id;
using model::RouteTargetKind;

constexpr const char* kDangling = "dangling-reference";

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string lower(std::string s) {
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

  model::Network run() {
    prefix_lists();
    vpcs();
    internet_gateways();
    vpc_peerings();
    interfaces();
    nat_gateways();
    instances();
    addresses();
    commit_interfaces();
    security_groups();
    network_acls();
    route_tables();
    subnets();
    opaque_gateways();
    places();
    n_.index();
    warn_contested_public_ips();
    return std::move(n_);
  }

 private:
  model::Origin origin(const Source& src, const std::string& owner_id, const std::string& zone = {}) const {
    model::Origin o{src.file, owner_id.empty() ? src.account : owner_id, src.region};
    if (o.region.empty() && !zone.empty()) o.region = region_of_availability_zone(zone).value_or("");
    return o;
  }

  void dangling(const std::string& message, const std::string& file, const std::string& resource) {
    n_.diagnostics.warn(kDangling, message, file, resource);
  }

  // ---- prefix lists, VPCs, gateways -------------------------------------------------------

  void prefix_lists() {
    for (const auto& p : s_.prefix_lists) {
      n_.prefix_lists[p.prefix_list_id] = {p.prefix_list_id, p.prefix_list_name, p.cidrs,
                                           origin(p.source, p.owner_id)};
    }
  }

  void vpcs() {
    for (const auto& v : s_.vpcs) {
      model::Vpc m;
      m.id = v.vpc_id;
      if (v.cidr_block) m.cidrs.push_back(*v.cidr_block);
      for (const auto& a : v.cidr_block_association_set) add_unique(m.cidrs, a.cidr_block);
      if (m.cidrs.empty()) {
        n_.diagnostics.warn("vpc-without-cidr",
                            v.vpc_id + " has no associated IPv4 CIDR block in the snapshot", v.source.file,
                            v.vpc_id);
      }
      m.tags = v.tags;
      m.origin = origin(v.source, v.owner_id);
      n_.vpcs[m.id] = std::move(m);
    }
  }

  void internet_gateways() {
    for (const auto& g : s_.internet_gateways) {
      model::InternetGateway m{g.internet_gateway_id, "", g.tags, origin(g.source, g.owner_id)};
      if (!g.attachments.empty()) m.vpc_id = g.attachments.front().vpc_id;
      if (!m.vpc_id.empty()) {
        auto it = n_.vpcs.find(m.vpc_id);
        if (it == n_.vpcs.end()) {
          dangling(
              "internet gateway " + m.id + " -> " + m.vpc_id + ": " + m.vpc_id + " is not in the snapshot",
              g.source.file, m.id);
        } else if (!it->second.internet_gateway_id) {
          it->second.internet_gateway_id = m.id;
        }
      }
      n_.internet_gateways[m.id] = std::move(m);
    }
  }

  void vpc_peerings() {
    auto side = [&](const VpcPeeringConnectionVpcInfo& info, const VpcPeeringConnection& p) {
      if (!info.cidr_block_set.empty()) return info.cidr_block_set;
      if (info.cidr_block) return std::vector<Ipv4Prefix>{*info.cidr_block};
      if (const auto* vpc = model::Network::find(n_.vpcs, info.vpc_id)) return vpc->cidrs;
      n_.diagnostics.warn("peering-without-cidr",
                          "VPC peering " + p.vpc_peering_connection_id + " names no CIDR block for " +
                              info.vpc_id +
                              " and that VPC is not in the snapshot: no traffic can use that side",
                          p.source.file, p.vpc_peering_connection_id);
      return std::vector<Ipv4Prefix>{};
    };
    for (const auto& p : s_.vpc_peering_connections) {
      model::VpcPeering m;
      m.id = p.vpc_peering_connection_id;
      m.requester_vpc_id = p.requester_vpc_info.vpc_id;
      m.accepter_vpc_id = p.accepter_vpc_info.vpc_id;
      m.requester_cidrs = side(p.requester_vpc_info, p);
      m.accepter_cidrs = side(p.accepter_vpc_info, p);
      m.tags = p.tags;
      m.origin = origin(p.source, p.requester_vpc_info.owner_id);
      n_.vpc_peerings[m.id] = std::move(m);
    }
  }

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
  model::InterfaceKind kind_of(const NetworkInterface& e, std::optional<Id>& gateway_id) const {
    using K = model::InterfaceKind;
    const auto& type = e.interface_type;
    const auto& desc = e.description;
    if (auto it = nat_by_eni_.find(e.network_interface_id); it != nat_by_eni_.end()) {
      gateway_id = *it->second;
      return K::NatGateway;
    }
    if (type == "nat_gateway" || starts_with(desc, "Interface for NAT Gateway ")) {
      if (starts_with(desc, "Interface for NAT Gateway ")) gateway_id = desc.substr(26);
      return K::NatGateway;
    }
    if (auto it = endpoint_by_eni_.find(e.network_interface_id); it != endpoint_by_eni_.end()) {
      gateway_id = it->second->vpc_endpoint_id;
      return lower(it->second->vpc_endpoint_type) == "gatewayloadbalancer" ? K::GatewayLoadBalancerEndpoint
                                                                           : K::VpcEndpoint;
    }
    if (starts_with(desc, "VPC Endpoint Interface ")) gateway_id = desc.substr(23);
    if (type == "gateway_load_balancer_endpoint") return K::GatewayLoadBalancerEndpoint;
    if (type == "vpc_endpoint" || starts_with(desc, "VPC Endpoint Interface ")) return K::VpcEndpoint;
    if (type == "network_load_balancer" || type == "gateway_load_balancer" || type == "load_balancer" ||
        starts_with(desc, "ELB ") || e.requester_id == "amazon-elb") {
      return K::LoadBalancer;
    }
    if (type == "transit_gateway" || starts_with(desc, "Network Interface for Transit Gateway Attachment"))
      return K::TransitGateway;
    if (type == "lambda" || starts_with(desc, "AWS Lambda VPC ENI")) return K::Lambda;
    if (desc == "RDSNetworkInterface" || e.requester_id == "amazon-rds") return K::Database;
    static const std::set<std::string, std::less<>> instance_types = {"",         "interface", "efa",
                                                                      "efa-only", "trunk",     "branch"};
    if (instance_types.count(type) == 0) return K::Other;
    if (e.attachment && e.attachment->instance_id) return K::Instance;
    // An "interface" attached to something other than an instance (EFS, API Gateway, …), or
    // to nothing, is not an instance's.
    if (e.status == "available" || (e.attachment && !e.attachment->status.empty()) || e.requester_managed)
      return K::Other;
    return K::Instance;
  }

  /** "app/web/50dc…" of "ELB app/web/50dc…", named by LoadBalancers when the snapshot has it. */
  std::string load_balancer_owner(const NetworkInterface& e) const {
    if (!starts_with(e.description, "ELB ")) return "";
    const std::string tail = e.description.substr(4);
    for (const auto& b : s_.load_balancers) {
      const auto at = b.load_balancer_arn.rfind(":loadbalancer/");
      if (at == std::string::npos || b.load_balancer_arn.substr(at + 14) != tail) continue;
      return b.load_balancer_name + " (" + (b.type.empty() ? "load balancer" : b.type) +
             (b.scheme.empty() ? "" : ", " + b.scheme) + ")";
    }
    return tail;
  }

  const LoadBalancer* load_balancer_of(const NetworkInterface& e) const {
    if (!starts_with(e.description, "ELB ")) return nullptr;
    const std::string tail = e.description.substr(4);
    for (const auto& b : s_.load_balancers) {
      const auto at = b.load_balancer_arn.rfind(":loadbalancer/");
      if (at != std::string::npos && b.load_balancer_arn.substr(at + 14) == tail) return &b;
    }
    return nullptr;
  }

  /** The RDS instances whose subnet group holds the ENI's subnet and whose groups are the ENI's. */
  std::string database_owner(const model::NetworkInterface& m) const {
    std::vector<std::string> names;
    std::vector<std::string> mine = m.security_group_ids;
    std::sort(mine.begin(), mine.end());
    for (const auto& d : s_.db_instances) {
      std::vector<std::string> theirs = d.security_group_ids;
      std::sort(theirs.begin(), theirs.end());
      if (d.vpc_id == m.vpc_id && theirs == mine &&
          std::find(d.subnet_ids.begin(), d.subnet_ids.end(), m.subnet_id) != d.subnet_ids.end()) {
        names.push_back(d.db_instance_identifier + (d.engine.empty() ? "" : " (" + d.engine + ")"));
      }
    }
    if (names.size() == 1) return names.front();
    if (names.empty()) return "";
    std::string out = "one of";
    for (const auto& x : names) out += (out.size() > 6 ? ", " : " ") + x;
    return out;
  }

  model::NetworkInterface convert(const NetworkInterface& e) {
    model::NetworkInterface m;
    m.id = e.network_interface_id;
    m.subnet_id = e.subnet_id;
    m.vpc_id = e.vpc_id;
    for (const auto& p : e.private_ip_addresses) {
      if (std::none_of(m.private_ips.begin(), m.private_ips.end(),
                       [&](const model::PrivateIp& x) { return x.address == p.private_ip_address; })) {
        m.private_ips.push_back({p.private_ip_address, p.primary, p.association_public_ip});
      }
    }
    if (m.private_ips.empty() && e.private_ip_address)
      m.private_ips.push_back({*e.private_ip_address, true, {}});
    if (std::none_of(m.private_ips.begin(), m.private_ips.end(), [](const auto& p) { return p.primary; }) &&
        !m.private_ips.empty()) {
      // AWS always marks one address primary; PrivateIpAddress names it when Primary flags are missing.
      auto it = std::find_if(m.private_ips.begin(), m.private_ips.end(), [&](const auto& p) {
        return e.private_ip_address && p.address == *e.private_ip_address;
      });
      (it == m.private_ips.end() ? m.private_ips.front() : *it).primary = true;
    }
    std::stable_partition(m.private_ips.begin(), m.private_ips.end(),
                          [](const auto& p) { return p.primary; });
    if (e.association_public_ip && !m.private_ips.empty() && !m.private_ips.front().public_ip) {
      m.private_ips.front().public_ip = e.association_public_ip;
    }
    delegated_prefixes(e, m);
    for (const auto& g : e.groups) add_unique(m.security_group_ids, g.group_id);
    m.source_dest_check = e.source_dest_check;
    for (const auto& a : e.ipv6_addresses) add_unique(m.ipv6_addresses, a);
    m.interface_type = e.interface_type.empty() ? "interface" : e.interface_type;
    m.kind = kind_of(e, m.gateway_id);
    if (e.attachment && e.attachment->instance_id) m.instance_id = e.attachment->instance_id;
    m.description = e.description;
    owner_and_groups(e, m);
    // Only a Network Load Balancer created without security groups and a Gateway Load Balancer
    // (and its endpoints) have no group to filter them; any other ENI without one passes nothing.
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetSecurityGroups.html
    // ("You can't associate a security group with a Gateway Load Balancer.")
    m.unfiltered = m.security_group_ids.empty() && (m.interface_type == "network_load_balancer" ||
                                                    m.interface_type == "gateway_load_balancer" ||
                                                    m.interface_type == "gateway_load_balancer_endpoint");
    // An ENI that is not attached receives nothing, Elastic IP or not.
    // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html
    if (e.status == "available" || (e.attachment && e.attachment->status == "detached")) {
      m.inactive = m.id + " is not attached to anything (Status " +
                   (e.status.empty() ? "detached" : e.status) + "): it sends and receives nothing";
      m.inactive_code = model::to_string(model::DropCode::EniNotAttached);
    }
    m.tags = e.tags;
    m.origin = origin(e.source, e.owner_id, e.availability_zone);
    return m;
  }

  /** Ipv4Prefixes: every address of a delegated prefix is the ENI's, as a secondary IP is.
   *  https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-prefix-eni.html */
  void delegated_prefixes(const NetworkInterface& e, model::NetworkInterface& m) {
    for (const auto& p : e.ipv4_prefixes) {
      // AWS delegates /28s; anything wider than a /24 is not AWS's, and expanding it would not end.
      if (p.len < 24) {
        n_.diagnostics.warn("delegated-prefix-too-wide",
                            m.id + ": delegated prefix " + p.to_string() +
                                " is wider than AWS assigns (/28): left out, traffic to it is not delivered",
                            e.source.file, m.id);
        continue;
      }
      add_unique(m.delegated_prefixes, p);
      const std::uint64_t count = std::uint64_t{1} << (32 - p.len);
      for (std::uint64_t k = 0; k < count; ++k) {
        const auto a = static_cast<Ipv4Address>(p.addr + k);
        if (std::none_of(m.private_ips.begin(), m.private_ips.end(),
                         [&](const model::PrivateIp& x) { return x.address == a; })) {
          m.private_ips.push_back({a, false, {}, true});
        }
      }
    }
  }

  /** Names the ENI's owner from LoadBalancers / DBInstances / its description, and takes a load
   *  balancer's groups when the ENI's copy lists none. */
  void owner_and_groups(const NetworkInterface& e, model::NetworkInterface& m) const {
    using K = model::InterfaceKind;
    switch (m.kind) {
      case K::LoadBalancer: {
        m.owner = load_balancer_owner(e);
        const auto* b = load_balancer_of(e);
        if (b && m.security_group_ids.empty()) m.security_group_ids = b->security_groups;
        break;
      }
      case K::Database:
        m.owner = database_owner(m);
        break;
      case K::Lambda:
        if (starts_with(e.description, "AWS Lambda VPC ENI-")) m.owner = e.description.substr(19);
        break;
      case K::VpcEndpoint:
      case K::GatewayLoadBalancerEndpoint:
      case K::NatGateway:
        if (m.gateway_id) m.owner = *m.gateway_id;
        break;
      default:
        break;
    }
  }

  // Adds public IPs that another source (the instance's copy of the ENI) knows and this one lacks.
  static void merge_public_ips(model::NetworkInterface& m, const NetworkInterface& other) {
    for (const auto& p : other.private_ip_addresses) {
      if (!p.association_public_ip) continue;
      for (auto& x : m.private_ips) {
        if (x.address == p.private_ip_address && !x.public_ip) x.public_ip = p.association_public_ip;
      }
    }
    if (other.association_public_ip && !m.private_ips.empty() && !m.private_ips.front().public_ip &&
        (!other.private_ip_address || *other.private_ip_address == m.private_ips.front().address)) {
      m.private_ips.front().public_ip = other.association_public_ip;
    }
  }

  // ENIs are converted into enis_ and looked up by position until commit_interfaces() puts them
  // into the ordered map at once: at 100k ENIs, inserting and finding them one by one in a
  // std::map cost seconds of string comparisons and cache misses.
  void interfaces() {
    for (const auto& g : s_.nat_gateways) {
      for (const auto& a : g.nat_gateway_addresses) {
        if (!a.network_interface_id.empty()) nat_by_eni_.emplace(a.network_interface_id, &g.nat_gateway_id);
      }
    }
    for (const auto& e : s_.vpc_endpoints) {
      for (const auto& id : e.network_interface_ids) endpoint_by_eni_.emplace(id, &e);
    }
    for (const auto& x : s_.not_live) {
      if (x.kind == "Reservations") stopped_instances_.emplace(x.id, &x.state);
    }

    std::size_t instance_enis = 0;
    for (const auto& i : s_.instances) instance_enis += i.network_interfaces.size();
    enis_.reserve(s_.network_interfaces.size() + instance_enis);
    position_.reserve(s_.network_interfaces.size() + instance_enis);
    listed_position_.assign(s_.network_interfaces.size(), kNowhere);
    for (std::size_t k = 0; k < s_.network_interfaces.size(); ++k) {
      const auto& e = s_.network_interfaces[k];
      if (e.attachment && e.attachment->instance_id) {
        const auto& inst = *e.attachment->instance_id;
        if (auto it = stopped_instances_.find(inst); it != stopped_instances_.end()) {
          // Kept, so that asked for by ID it is answered: it receives nothing.
          auto m = convert(e);
          m.inactive =
              m.id + " belongs to " + inst + ", which is " + *it->second + ": it sends and receives nothing";
          m.inactive_code = model::to_string(model::DropCode::InstanceNotRunning);
          auto [at, fresh] = position_.try_emplace(e.network_interface_id, enis_.size());
          if (fresh) {
            enis_.push_back(std::move(m));
          } else {
            enis_[at->second] = std::move(m);
          }
          continue;
        }
      }
      auto [it, inserted] = position_.try_emplace(e.network_interface_id, enis_.size());
      if (inserted) {
        enis_.push_back(convert(e));
      } else {
        enis_[it->second] = convert(e);
      }
      listed_position_[k] = it->second;
    }
    // Running instances' ENIs also appear in Reservations; build the ones NetworkInterfaces lacks.
    instance_eni_position_.reserve(instance_enis);
    for (const auto& i : s_.instances) {
      for (const auto& e : i.network_interfaces) {
        auto [it, inserted] = position_.try_emplace(e.network_interface_id, enis_.size());
        if (inserted) {
          auto m = convert(e);
          m.instance_id = i.instance_id;
          if (m.origin.account.empty()) m.origin.account = i.owner_id;
          if (m.origin.region.empty())
            m.origin.region = region_of_availability_zone(i.availability_zone).value_or("");
          if (m.kind == model::InterfaceKind::Other) m.kind = model::InterfaceKind::Instance;
          enis_.push_back(std::move(m));
        } else {
          merge_public_ips(enis_[it->second], e);
        }
        instance_eni_position_.push_back(it->second);
      }
    }
  }

  void commit_interfaces() {
    // Sorted by ID (positions, not the large structs, are moved around), then appended.
    std::vector<std::size_t> order(enis_.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return enis_[a].id < enis_[b].id; });
    for (const auto k : order) {
      auto& m = enis_[k];
      n_.network_interfaces.emplace_hint(n_.network_interfaces.end(), m.id, std::move(m));
    }
    enis_.clear();
    position_.clear();
  }

  void nat_gateways() {
    for (const auto& g : s_.nat_gateways) {
      std::vector<const NatGatewayAddress*> addrs;
      for (const auto& a : g.nat_gateway_addresses) {
        if (a.private_ip) addrs.push_back(&a);
      }
      std::stable_partition(addrs.begin(), addrs.end(),
                            [](const NatGatewayAddress* a) { return a->is_primary; });
      if (addrs.empty()) {
        n_.diagnostics.warn(
            "nat-without-address",
            g.nat_gateway_id + " has no private IP in the snapshot: left out (routes to it drop)",
            g.source.file, g.nat_gateway_id);
        continue;
      }
      const auto& primary = *addrs.front();
      model::NatGateway m;
      m.id = g.nat_gateway_id;
      m.vpc_id = g.vpc_id;
      m.subnet_id = g.subnet_id;
      m.network_interface_id =
          primary.network_interface_id.empty() ? "eni-of-" + g.nat_gateway_id : primary.network_interface_id;
      m.private_ip = *primary.private_ip;
      m.public_ip = primary.public_ip;
      m.is_public = g.connectivity_type != "private";
      m.tags = g.tags;
      m.origin = origin(g.source, "");

      // The NAT's ENI: AWS lists it in NetworkInterfaces, but a snapshot may lack that file.
      auto it = position_.find(m.network_interface_id);
      const bool inserted = it == position_.end();
      if (inserted) {
        // An ID the snapshot spells nowhere ("eni-of-nat-…") needs a home for position_'s view.
        const std::string_view id = primary.network_interface_id.empty()
                                        ? std::string_view(made_up_ids_.emplace_back(m.network_interface_id))
                                        : std::string_view(primary.network_interface_id);
        it = position_.emplace(id, enis_.size()).first;
        enis_.emplace_back();
      }
      auto& eni = enis_[it->second];
      if (inserted) {
        eni.id = m.network_interface_id;
        eni.subnet_id = g.subnet_id;
        eni.vpc_id = g.vpc_id;
        eni.source_dest_check = false;
        eni.interface_type = "nat_gateway";
        eni.description = "Interface for NAT Gateway " + g.nat_gateway_id;
        eni.origin = m.origin;
      }
      eni.kind = model::InterfaceKind::NatGateway;
      eni.gateway_id = g.nat_gateway_id;
      for (const auto* a : addrs) {
        if (a->network_interface_id != primary.network_interface_id) continue;
        auto p = std::find_if(eni.private_ips.begin(), eni.private_ips.end(),
                              [&](const model::PrivateIp& x) { return x.address == *a->private_ip; });
        if (p == eni.private_ips.end()) {
          eni.private_ips.push_back({*a->private_ip, eni.private_ips.empty(), a->public_ip});
        } else if (!p->public_ip) {
          p->public_ip = a->public_ip;
        }
      }
      n_.nat_gateways[m.id] = std::move(m);
    }
  }

  void instances() {
    // ENIs by the instance they are attached to, built once: scanning every ENI per instance
    // made loading quadratic (minutes at 100k ENIs). A list per instance, threaded through
    // `next` in snapshot order, saves a vector per instance.
    std::unordered_map<std::string_view, std::size_t> first_attached;
    first_attached.reserve(s_.instances.size());
    std::vector<std::size_t> next_attached(s_.network_interfaces.size(), kNowhere);
    for (std::size_t k = s_.network_interfaces.size(); k-- > 0;) {
      const auto& e = s_.network_interfaces[k];
      if (!e.attachment || !e.attachment->instance_id) continue;
      auto [it, inserted] = first_attached.try_emplace(*e.attachment->instance_id, k);
      if (!inserted) {
        next_attached[k] = it->second;
        it->second = k;
      }
    }
    struct Attached {
      int device_index;
      const Id* id;
      std::size_t position;  // in enis_
    };
    std::vector<model::Instance> converted;
    converted.reserve(s_.instances.size());
    std::size_t listed = 0;  // the next entry of instance_eni_position_
    for (const auto& i : s_.instances) {
      std::vector<Attached> enis;
      for (const auto& e : i.network_interfaces) {
        enis.push_back({e.attachment && e.attachment->device_index ? *e.attachment->device_index : 1 << 20,
                        &e.network_interface_id, instance_eni_position_[listed++]});
      }
      if (auto it = first_attached.find(i.instance_id); it != first_attached.end()) {
        for (std::size_t k = it->second; k != kNowhere; k = next_attached[k]) {
          const auto& e = s_.network_interfaces[k];
          if (std::none_of(enis.begin(), enis.end(),
                           [&](const Attached& x) { return *x.id == e.network_interface_id; })) {
            enis.push_back(
                {e.attachment->device_index.value_or(1 << 20), &e.network_interface_id, listed_position_[k]});
          }
        }
      }
      std::stable_sort(enis.begin(), enis.end(),
                       [](const Attached& a, const Attached& b) { return a.device_index < b.device_index; });
      model::Instance m;
      m.id = i.instance_id;
      for (const auto& x : enis) m.network_interface_ids.push_back(*x.id);
      m.tags = i.tags;
      m.origin = origin(i.source, i.owner_id, i.availability_zone);
      if (m.network_interface_ids.empty()) {
        n_.diagnostics.warn(
            "instance-without-interface",
            i.instance_id + " has no network interface in the snapshot: it cannot send or receive",
            i.source.file, i.instance_id);
      } else if (i.public_ip_address) {
        // The instance's PublicIpAddress belongs to the primary private IP of its primary ENI.
        auto& eni = interface_at(enis.front().position);
        if (!eni.private_ips.empty() && !eni.private_ips.front().public_ip) {
          eni.private_ips.front().public_ip = i.public_ip_address;
        }
      }
      for (const auto& x : enis) {
        auto& eni = interface_at(x.position);
        eni.instance_id = i.instance_id;
        if (eni.kind == model::InterfaceKind::Other && eni.interface_type == "interface") {
          eni.kind = model::InterfaceKind::Instance;
        }
      }
      converted.push_back(std::move(m));
    }
    // Into the ordered map at once, in ID order (the loader kept one instance per ID).
    std::vector<std::size_t> order(converted.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return converted[a].id < converted[b].id; });
    for (const auto k : order) {
      auto& m = converted[k];
      n_.instances.emplace_hint(n_.instances.end(), m.id, std::move(m));
    }
  }

  void addresses() {
    for (const auto& a : s_.addresses) {
      const std::string name = "Elastic IP " + format_ipv4(a.public_ip);
      std::optional<Id> eni_id = a.network_interface_id;
      if (!eni_id && a.instance_id) {
        const auto* inst = model::Network::find(n_.instances, *a.instance_id);
        if (!inst) {
          if (!stopped_instances_.count(*a.instance_id)) {
            dangling(name + " -> " + *a.instance_id + ": " + *a.instance_id + " is not in the snapshot",
                     a.source.file, a.allocation_id);
          }
          continue;
        }
        if (inst->network_interface_ids.empty()) continue;
        eni_id = inst->network_interface_ids.front();
      }
      if (!eni_id) continue;  // allocated, not associated
      auto it = position_.find(*eni_id);
      if (it == position_.end()) {
        dangling(name + " -> " + *eni_id + ": " + *eni_id + " is not in the snapshot", a.source.file,
                 a.allocation_id);
        continue;
      }
      auto& ips = enis_[it->second].private_ips;
      auto p = a.private_ip_address
                   ? std::find_if(ips.begin(), ips.end(),
                                  [&](const auto& x) { return x.address == *a.private_ip_address; })
                   : ips.begin();
      if (p == ips.end()) {
        n_.diagnostics.warn(kDangling,
                            name + " -> " + *eni_id + " " + format_ipv4(*a.private_ip_address) + ": " +
                                *eni_id + " has no such private IP in the snapshot",
                            a.source.file, a.allocation_id);
        continue;
      }
      if (p->public_ip && *p->public_ip != a.public_ip) {
        n_.diagnostics.warn("conflicting-public-ip",
                            name + " is associated with " + *eni_id + " " + format_ipv4(p->address) +
                                ", which the snapshot also maps to " + format_ipv4(*p->public_ip) +
                                ": the Elastic IP is used",
                            a.source.file, a.allocation_id);
      }
      p->public_ip = a.public_ip;
    }
  }

  // ---- security groups --------------------------------------------------------------------

  // The L4 part of an IpPermission; nullopt for IPv6-only protocols. Port rules after Batfish's
  // SecurityGroupsTest (../shared/corpus/EXPECTED.md, "SG rule semantics").
  std::optional<model::L4Match> l4_of(const IpPermission& p, const std::string& rule_name,
                                      const Source& src) {
    model::L4Match m;
    const int proto = model::parse_protocol(p.ip_protocol).value_or(model::kAnyProtocol);
    if (proto == 58) return std::nullopt;
    m.protocol = proto;
    auto invalid = [&](const std::string& why) {
      m.matches_nothing = true;
      n_.diagnostics.warn("invalid-rule", rule_name + ": " + why + ": the rule matches nothing", src.file,
                          rule_name.substr(0, rule_name.find(' ')));
    };
    if (proto == model::kTcp || proto == model::kUdp) {
      const int lo = p.from_port.value_or(-1) < 0 ? 0 : *p.from_port;
      const int hi = p.to_port.value_or(-1) < 0 ? 65535 : *p.to_port;
      if (lo > hi) {
        invalid("port range " + std::to_string(lo) + "-" + std::to_string(hi) + " is empty");
      } else {
        m.ports = {static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi)};
      }
    } else if (proto == model::kIcmp) {
      m.icmp_type = p.from_port.value_or(-1);
      m.icmp_code = p.to_port.value_or(-1);
      if (m.icmp_type == -1 && m.icmp_code != -1) {
        invalid("ICMP type -1 (any) with code " + std::to_string(m.icmp_code) + " is invalid");
      } else if (m.icmp_type > 255 || m.icmp_code > 255) {
        invalid("ICMP type " + std::to_string(m.icmp_type) + " code " + std::to_string(m.icmp_code) +
                " is out of range");
      }
    }
    return m;
  }

  void security_groups() {
    // Each group's member addresses, first-seen order, without duplicates. A linear search per
    // address made this quadratic in the size of a group (a VPC's default group: every ENI).
    std::unordered_map<std::string_view, std::vector<Ipv4Prefix>> member_ips;
    for (const auto& [id, eni] : n_.network_interfaces) {
      for (const auto& g : eni.security_group_ids) {
        auto& members = member_ips[g];
        for (const auto& ip : eni.private_ips) members.push_back(Ipv4Prefix::make(ip.address, 32));
      }
    }
    for (auto& entry : member_ips) keep_first_of_each(entry.second);
    std::unordered_set<std::string_view> known;
    for (const auto& g : s_.security_groups) known.insert(g.group_id);

    for (const auto& g : s_.security_groups) {
      model::SecurityGroup m;
      m.id = g.group_id;
      m.name = g.group_name;
      m.vpc_id = g.vpc_id;
      m.tags = g.tags;
      m.origin = origin(g.source, g.owner_id);
      for (auto direction : {model::Direction::Ingress, model::Direction::Egress}) {
        const bool in = direction == model::Direction::Ingress;
        auto& out = in ? m.ingress : m.egress;
        const auto& perms = in ? g.ip_permissions : g.ip_permissions_egress;
        for (std::size_t pi = 0; pi < perms.size(); ++pi) {
          const auto& p = perms[pi];
          const std::string perm_name =
              g.group_id + " " + model::to_string(direction) + " permission " + std::to_string(pi);
          auto l4 = l4_of(p, perm_name, g.source);
          for (const auto& c : p.ipv6_ranges) {
            (in ? m.ipv6_ingress : m.ipv6_egress)
                .push_back((l4 ? model::describe(*l4) : "protocol " + p.ip_protocol) + ' ' + c);
          }
          if (!l4) continue;
          auto add = [&](std::string peer, std::vector<Ipv4Prefix> prefixes, std::string description) {
            model::SgRule r;
            r.group_id = g.group_id;
            r.direction = direction;
            r.index = static_cast<int>(out.size());
            r.l4 = *l4;
            r.peer = std::move(peer);
            r.peer_prefixes = std::move(prefixes);
            r.description = std::move(description);
            out.push_back(std::move(r));
          };
          for (const auto& x : p.ip_ranges) add(x.cidr_ip.to_string(), {x.cidr_ip}, x.description);
          for (const auto& x : p.user_id_group_pairs) {
            auto it = member_ips.find(x.group_id);
            if (!known.count(x.group_id)) {
              // A reference matches the private addresses of the ENIs that carry the group; ENIs
              // of the snapshot may name a group whose description is missing, and then the rule
              // matches their addresses (say so: a witness may use the rule).
              const std::size_t members = it == member_ips.end() ? 0 : it->second.size();
              dangling("security group " + g.group_id + " " + model::to_string(direction) + " rule -> " +
                           x.group_id + ": " + x.group_id + " is not in the snapshot (the rule matches " +
                           (members == 0 ? std::string("no address of the snapshot")
                                         : "only the " + std::to_string(members) +
                                               " private address(es) of the snapshot's ENIs that name it") +
                           ")",
                       g.source.file, g.group_id);
            }
            add(x.group_id, it == member_ips.end() ? std::vector<Ipv4Prefix>{} : it->second, x.description);
          }
          for (const auto& x : p.prefix_list_ids) {
            const auto* pl = model::Network::find(n_.prefix_lists, x.prefix_list_id);
            if (!pl) {
              dangling("security group " + g.group_id + " " + model::to_string(direction) + " rule -> " +
                           x.prefix_list_id + ": " + x.prefix_list_id +
                           " is not in the snapshot (the rule matches no address)",
                       g.source.file, g.group_id);
            }
            add(x.prefix_list_id, pl ? pl->cidrs : std::vector<Ipv4Prefix>{}, x.description);
          }
        }
      }
      n_.security_groups[m.id] = std::move(m);
    }
    // ENIs name groups; a group the snapshot lacks is absent (its rules allow nothing).
    for (auto& [id, eni] : n_.network_interfaces) {
      std::vector<Id> kept;
      for (const auto& g : eni.security_group_ids) {
        if (known.count(g)) {
          kept.push_back(g);
        } else {
          dangling(id + " -> security group " + g + ": " + g + " is not in the snapshot", eni.origin.file,
                   id);
        }
      }
      eni.security_group_ids = std::move(kept);
    }
  }

  /** Drops repeated prefixes, keeping the first of each where it was. */
  static void keep_first_of_each(std::vector<Ipv4Prefix>& prefixes) {
    std::vector<std::pair<Ipv4Address, std::size_t>> sorted(prefixes.size());
    for (std::size_t k = 0; k < prefixes.size(); ++k) sorted[k] = {prefixes[k].addr, k};
    std::sort(sorted.begin(), sorted.end());
    std::vector<bool> repeated(prefixes.size(), false);
    for (std::size_t k = 1; k < sorted.size(); ++k) {
      if (sorted[k].first == sorted[k - 1].first) repeated[sorted[k].second] = true;
    }
    std::size_t kept = 0;
    for (std::size_t k = 0; k < prefixes.size(); ++k) {
      if (!repeated[k]) prefixes[kept++] = prefixes[k];
    }
    prefixes.resize(kept);
  }

  // ---- network ACLs -----------------------------------------------------------------------

  static model::L4Match nacl_l4(const NetworkAclEntry& e) {
    model::L4Match m;
    m.protocol = e.protocol;
    if ((e.protocol == model::kTcp || e.protocol == model::kUdp) && e.port_range) {
      if (e.port_range->from > e.port_range->to) {
        m.matches_nothing = true;
      } else {
        m.ports = {static_cast<std::uint16_t>(e.port_range->from),
                   static_cast<std::uint16_t>(e.port_range->to)};
      }
    } else if (e.protocol == model::kIcmp && e.icmp_type_code) {
      m.icmp_type = e.icmp_type_code->type;
      m.icmp_code = e.icmp_type_code->type == -1 ? -1 : e.icmp_type_code->code;
    }
    return m;
  }

  void network_acls() {
    for (const auto& a : s_.network_acls) {
      model::NetworkAcl m;
      m.id = a.network_acl_id;
      m.vpc_id = a.vpc_id;
      m.is_default = a.is_default;
      m.tags = a.tags;
      m.origin = origin(a.source, a.owner_id);
      std::vector<NetworkAclEntry> entries = a.entries;
      std::stable_sort(entries.begin(), entries.end(),
                       [](const auto& x, const auto& y) { return x.rule_number < y.rule_number; });
      for (const auto& e : entries) {
        // 32767 and 32768 are AWS's "*" rules (IPv4, IPv6): deny, built into the model. IPv6
        // entries are outside the model; kept as text so answers they could change name them.
        if (e.rule_number == 32767 || e.rule_number == 32768) continue;
        if (!e.cidr_block) {
          if (e.ipv6_cidr_block) {
            m.ipv6_entries.push_back(std::string(e.egress ? "egress" : "ingress") + " rule " +
                                     std::to_string(e.rule_number) + (e.allow ? " allow " : " deny ") +
                                     *e.ipv6_cidr_block);
          }
          continue;
        }
        model::NaclEntry x;
        x.acl_id = m.id;
        x.direction = e.egress ? model::Direction::Egress : model::Direction::Ingress;
        x.rule_number = e.rule_number;
        x.allow = e.allow;
        x.l4 = nacl_l4(e);
        x.cidr = *e.cidr_block;
        if (x.l4.matches_nothing) {
          n_.diagnostics.warn("invalid-rule", x.label() + ": empty port range: the entry matches nothing",
                              a.source.file, m.id);
        }
        (e.egress ? m.egress : m.ingress).push_back(std::move(x));
      }
      for (const auto& assoc : a.associations) {
        if (!subnet_acl_.emplace(assoc.subnet_id, m.id).second) continue;
        if (!known_subnet(assoc.subnet_id)) {
          dangling("network ACL " + m.id + " association -> " + assoc.subnet_id + ": " + assoc.subnet_id +
                       " is not in the snapshot",
                   a.source.file, m.id);
        }
      }
      if (m.is_default) {
        if (auto* vpc = find_mut(n_.vpcs, m.vpc_id); vpc && vpc->default_nacl_id.empty())
          vpc->default_nacl_id = m.id;
        default_acl_.emplace(m.vpc_id, m.id);
      }
      n_.network_acls[m.id] = std::move(m);
    }
    // Every VPC needs a NACL for subnets without an explicit one. AWS's untouched default NACL
    // allows everything, and allow-all is also the sound choice when the snapshot is silent.
    std::set<Id> vpc_ids;
    for (const auto& [id, v] : n_.vpcs) vpc_ids.insert(id);
    for (const auto& s : s_.subnets) vpc_ids.insert(s.vpc_id);
    if (s_.network_acls.empty() && !vpc_ids.empty()) {
      n_.diagnostics.warn(
          "no-network-acls",
          "the snapshot has no NetworkAcls: every VPC gets an allow-all network ACL (AWS's default "
          "NACL allows all traffic)");
    }
    for (const auto& vpc_id : vpc_ids) {
      if (default_acl_.count(vpc_id)) continue;
      const Id id = "acl-default-" + vpc_id;
      if (!s_.network_acls.empty()) {
        n_.diagnostics.warn(
            "synthesized-nacl",
            vpc_id +
                " has no default network ACL in the snapshot: subnets without an explicit one "
                "use a synthesised allow-all " +
                id,
            "", vpc_id);
      }
      model::NetworkAcl m;
      m.id = id;
      m.vpc_id = vpc_id;
      m.is_default = true;
      m.synthesized = true;
      for (auto direction : {model::Direction::Ingress, model::Direction::Egress}) {
        model::NaclEntry x;
        x.acl_id = id;
        x.direction = direction;
        x.rule_number = 100;
        x.allow = true;
        x.cidr = Ipv4Prefix::make(0, 0);
        (direction == model::Direction::Ingress ? m.ingress : m.egress).push_back(x);
      }
      if (const auto* vpc = model::Network::find(n_.vpcs, vpc_id)) m.origin = vpc->origin;
      if (auto* vpc = find_mut(n_.vpcs, vpc_id)) vpc->default_nacl_id = id;
      default_acl_.emplace(vpc_id, id);
      n_.network_acls[id] = std::move(m);
    }
  }

  // ---- route tables -----------------------------------------------------------------------

  struct Target {
    RouteTargetKind kind = RouteTargetKind::Other;
    Id id;
  };

  static RouteTargetKind kind_of_gateway(const std::string& id) {
    if (id == "local") return RouteTargetKind::Local;
    if (starts_with(id, "igw-")) return RouteTargetKind::InternetGateway;
    if (starts_with(id, "vgw-")) return RouteTargetKind::VirtualPrivateGateway;
    if (starts_with(id, "vpce-")) return RouteTargetKind::GatewayEndpoint;
    if (starts_with(id, "eigw-")) return RouteTargetKind::EgressOnlyInternetGateway;
    if (starts_with(id, "nat-")) return RouteTargetKind::NatGateway;
    if (starts_with(id, "tgw-")) return RouteTargetKind::TransitGateway;
    // A gateway a Terraform plan creates is named by its address (aws/terraform_plan.h).
    const auto type = terraform::type_of_address(id);
    if (type == "aws_internet_gateway") return RouteTargetKind::InternetGateway;
    if (type == "aws_nat_gateway") return RouteTargetKind::NatGateway;
    if (type == "aws_vpc_endpoint") return RouteTargetKind::GatewayEndpoint;
    if (type == "aws_egress_only_internet_gateway") return RouteTargetKind::EgressOnlyInternetGateway;
    if (type == "aws_vpn_gateway") return RouteTargetKind::VirtualPrivateGateway;
    if (type == "aws_ec2_transit_gateway") return RouteTargetKind::TransitGateway;
    return RouteTargetKind::Other;
  }

  std::optional<Target> target_of(const Route& r) const {
    if (r.gateway_id) return Target{kind_of_gateway(*r.gateway_id), *r.gateway_id};
    if (r.nat_gateway_id) return Target{RouteTargetKind::NatGateway, *r.nat_gateway_id};
    if (r.network_interface_id) return Target{RouteTargetKind::NetworkInterface, *r.network_interface_id};
    if (r.instance_id) {
      // A route to an instance goes to its primary ENI (AWS prints NetworkInterfaceId too; this
      // covers hand-written snapshots).
      const auto* inst = model::Network::find(n_.instances, *r.instance_id);
      if (inst && !inst->network_interface_ids.empty()) {
        return Target{RouteTargetKind::NetworkInterface, inst->network_interface_ids.front()};
      }
      return Target{RouteTargetKind::NetworkInterface, *r.instance_id};
    }
    if (r.vpc_peering_connection_id) return Target{RouteTargetKind::VpcPeering, *r.vpc_peering_connection_id};
    if (r.transit_gateway_id) return Target{RouteTargetKind::TransitGateway, *r.transit_gateway_id};
    if (r.egress_only_internet_gateway_id) {
      return Target{RouteTargetKind::EgressOnlyInternetGateway, *r.egress_only_internet_gateway_id};
    }
    if (r.carrier_gateway_id) return Target{RouteTargetKind::Other, *r.carrier_gateway_id};
    if (r.local_gateway_id) return Target{RouteTargetKind::Other, *r.local_gateway_id};
    if (r.core_network_arn) return Target{RouteTargetKind::Other, *r.core_network_arn};
    return std::nullopt;
  }

  // Why the target of a live route is unusable, or "" when it is fine.
  std::string missing_target(const Target& t, const Id& vpc_id) const {
    const std::string absent = t.id + " is not in the snapshot";
    switch (t.kind) {
      case RouteTargetKind::InternetGateway: {
        const auto* g = model::Network::find(n_.internet_gateways, t.id);
        if (!g) return absent;
        if (g->vpc_id != vpc_id) return t.id + " is not attached to " + vpc_id;
        return "";
      }
      case RouteTargetKind::NatGateway:
        return model::Network::find(n_.nat_gateways, t.id) ? "" : absent + " (or not available)";
      case RouteTargetKind::NetworkInterface:
        return model::Network::find(n_.network_interfaces, t.id) ? "" : absent + " (or not running)";
      case RouteTargetKind::VpcPeering:
        return model::Network::find(n_.vpc_peerings, t.id) ? "" : absent + " (or not active)";
      default:
        return "";
    }
  }

  void note_opaque(const Id& id, RouteTargetKind kind, const Id& vpc_id) {
    auto& g = opaque_[id];
    if (g.id.empty()) g.kind = kind;  // the first note names what it is (a later route says "other")
    g.id = id;
    if (!vpc_id.empty()) add_unique(g.vpc_ids, vpc_id);
  }

  // Decision order among equal prefixes: static, then prefix-list, then propagated routes.
  // https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
  static int priority_class(const model::Route& r) {
    if (r.origin == "EnableVgwRoutePropagation") return 2;
    if (r.prefix_list_id) return 1;
    return 0;
  }

  void route_tables() {
    for (const auto& t : s_.route_tables) {
      model::RouteTable m;
      m.id = t.route_table_id;
      m.vpc_id = t.vpc_id;
      m.tags = t.tags;
      m.origin = origin(t.source, t.owner_id);
      if (!model::Network::find(n_.vpcs, t.vpc_id)) {
        dangling("route table " + m.id + " -> " + t.vpc_id + ": " + t.vpc_id + " is not in the snapshot",
                 t.source.file, m.id);
      }
      for (const auto& r : t.routes) convert_route(t, r, m);
      std::stable_sort(m.routes.begin(), m.routes.end(), [](const model::Route& a, const model::Route& b) {
        if (a.destination.len != b.destination.len) return a.destination.len > b.destination.len;
        return priority_class(a) < priority_class(b);
      });
      for (const auto& a : t.associations) {
        if (a.main) {
          m.is_main = true;
          if (auto* vpc = find_mut(n_.vpcs, t.vpc_id)) {
            if (vpc->main_route_table_id.empty()) vpc->main_route_table_id = m.id;
          }
        }
        if (a.subnet_id) {
          add_unique(m.subnet_ids, *a.subnet_id);
          subnet_rtb_.emplace(*a.subnet_id, m.id);
          if (!known_subnet(*a.subnet_id)) {
            dangling("route table " + m.id + " association -> " + *a.subnet_id + ": " + *a.subnet_id +
                         " is not in the snapshot",
                     t.source.file, m.id);
          }
        }
        if (a.gateway_id) add_unique(m.gateway_ids, *a.gateway_id);
      }
      n_.route_tables[m.id] = std::move(m);
    }
  }

  void convert_route(const RouteTable& t, const Route& r, model::RouteTable& m) {
    const std::string dest_text = r.destination_cidr_block ? r.destination_cidr_block->to_string()
                                                           : r.destination_prefix_list_id.value_or("");
    if (dest_text.empty()) {
      // An IPv6 route: not modelled; kept as text so the answers it could change name it.
      if (r.destination_ipv6_cidr_block) {
        const auto target = target_of(r);
        m.ipv6_routes.push_back(*r.destination_ipv6_cidr_block + " -> " + (target ? target->id : "?"));
      }
      return;
    }
    const auto target = target_of(r);
    const Id target_id = target ? target->id : "?";
    const std::string route_name = "route " + t.route_table_id + " " + dest_text + " -> " + target_id;

    std::vector<std::pair<Ipv4Prefix, std::optional<Id>>> destinations;
    if (r.destination_cidr_block) {
      destinations.emplace_back(*r.destination_cidr_block, std::nullopt);
    } else {
      const auto* pl = model::Network::find(n_.prefix_lists, *r.destination_prefix_list_id);
      if (!pl) {
        // Guessing the list's addresses could send traffic where AWS does not; leaving the route
        // out can only make a destination less reachable, so say so.
        dangling(route_name + ": prefix list " + *r.destination_prefix_list_id +
                     " is not in the snapshot; the route is left out (its destinations are unknown)",
                 t.source.file, t.route_table_id);
        return;
      }
      for (const auto& c : pl->cidrs) destinations.emplace_back(c, pl->id);
    }

    model::Route base;
    base.origin = r.origin;
    base.blackhole = r.state == "blackhole";
    if (!target) {
      n_.diagnostics.unimplemented(
          "unknown-route-target",
          route_name + ": the route names no target vpcprove knows; traffic leaves the model", t.source.file,
          t.route_table_id);
      base.target_kind = RouteTargetKind::Other;
      base.target_id = "unknown";
    } else {
      base.target_kind = target->kind;
      base.target_id = target->id;
    }
    if (base.target_kind == RouteTargetKind::Local) base.target_id = "local";
    bool missing = false;
    if (!base.blackhole && target) {
      if (auto why = missing_target(*target, t.vpc_id); !why.empty()) {
        if (why.rfind(target->id + " is not in the snapshot", 0) == 0) {
          // AWS says the route is active, so its target exists: the snapshot just does not hold
          // it. Where the traffic goes is unknown; the route leaves the model and every proof
          // that traffic meets it names the target (cli-contract.md, silent assumptions).
          dangling(route_name + ": " + why +
                       "; AWS reports the route active, so traffic to it leaves the model (an assumption)",
                   t.source.file, t.route_table_id);
          missing = true;
        } else {
          dangling(route_name + ": " + why + "; the route is a blackhole", t.source.file, t.route_table_id);
          base.blackhole = true;
        }
      }
    }
    if (missing) {
      note_opaque(base.target_id, base.target_kind, t.vpc_id);
      opaque_[base.target_id].missing = true;
      base.target_kind = RouteTargetKind::Other;
    } else if (!base.blackhole && base.target_kind == RouteTargetKind::VpcPeering) {
      // A peering into a VPC the snapshot lacks (another account's, typically): what happens
      // on the far side is unknown, so the route leaves the model and proofs name the peering.
      const auto& p = n_.vpc_peerings.at(base.target_id);
      const Id& far = p.requester_vpc_id == t.vpc_id ? p.accepter_vpc_id : p.requester_vpc_id;
      if (!model::Network::find(n_.vpcs, far)) {
        dangling(route_name + ": the peering's far side " + far +
                     " is not in the snapshot; traffic to it leaves the model (an assumption)",
                 t.source.file, t.route_table_id);
        note_opaque(base.target_id, RouteTargetKind::VpcPeering, t.vpc_id);
        base.target_kind = RouteTargetKind::Other;
      }
    }
    if (!base.blackhole) {
      switch (base.target_kind) {
        case RouteTargetKind::TransitGateway:
        case RouteTargetKind::VirtualPrivateGateway:
        case RouteTargetKind::GatewayEndpoint:
        case RouteTargetKind::Other:
          note_opaque(base.target_id, base.target_kind, t.vpc_id);
          break;
        default:
          break;
      }
    }
    for (const auto& [prefix, pl] : destinations) {
      model::Route x = base;
      x.destination = prefix;
      x.prefix_list_id = pl;
      m.routes.push_back(std::move(x));
    }
  }

  // ---- subnets ----------------------------------------------------------------------------

  void subnets() {
    if (s_.route_tables.empty() && !s_.subnets.empty()) {
      n_.diagnostics.warn("no-route-tables",
                          "the snapshot has no RouteTables: every packet leaving a subnet is dropped "
                          "(NO_ROUTE_TO_DESTINATION)");
    }
    for (const auto& s : s_.subnets) {
      model::Subnet m;
      m.id = s.subnet_id;
      m.vpc_id = s.vpc_id;
      m.cidr = s.ipv6_only ? Ipv4Prefix{0, 32} : s.cidr_block;
      m.ipv6_only = s.ipv6_only;
      m.ipv6_cidrs = s.ipv6_cidr_blocks;
      m.availability_zone = s.availability_zone;
      m.tags = s.tags;
      m.origin = origin(s.source, s.owner_id, s.availability_zone);
      const auto* vpc = model::Network::find(n_.vpcs, s.vpc_id);
      if (!vpc) {
        dangling("subnet " + m.id + " -> " + s.vpc_id + ": " + s.vpc_id + " is not in the snapshot",
                 s.source.file, m.id);
      }
      if (auto it = subnet_rtb_.find(m.id); it != subnet_rtb_.end()) {
        m.route_table_id = it->second;
      } else if (vpc && !vpc->main_route_table_id.empty()) {
        m.route_table_id = vpc->main_route_table_id;
      } else if (!s_.route_tables.empty()) {
        n_.diagnostics.warn(
            "no-route-table",
            m.id +
                " has no route table in the snapshot (no explicit association and no main table "
                "for " +
                s.vpc_id + "): its outgoing traffic is dropped",
            s.source.file, m.id);
      }
      if (auto it = subnet_acl_.find(m.id); it != subnet_acl_.end()) {
        m.nacl_id = it->second;
      } else {
        m.nacl_id = default_acl_.at(s.vpc_id);
      }
      n_.subnets[m.id] = std::move(m);
    }
    for (const auto& [id, eni] : n_.network_interfaces) {
      if (!known_subnet(eni.subnet_id)) {
        dangling(id + " -> " + eni.subnet_id + ": " + eni.subnet_id + " is not in the snapshot",
                 eni.origin.file, id);
      }
    }
  }

  // ---- contradictions ------------------------------------------------------------------------

  /** A public IP belongs to one ENI at a time in AWS; two ENIs claiming one come from files
   *  collected at different times. Network::index() records it; warn, naming both.
   *  https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html */
  void warn_contested_public_ips() {
    for (const auto& [ip, ids] : n_.contested_public_ips) {
      std::string names;
      for (const auto& id : ids) names += (names.empty() ? "" : " and ") + id;
      const auto& first = n_.network_interfaces.at(ids.front());
      n_.diagnostics.warn("duplicate-public-ip",
                          "public IP " + format_ipv4(ip) + " is held by both " + names +
                              " (files collected at different times?): which one the internet reaches is "
                              "unknown, so no answer that depends on it is a proof",
                          first.origin.file, ids.front());
    }
  }

  // ---- gateways vpcprove does not follow --------------------------------------------------

  void opaque_gateways() {
    std::map<Id, const TransitGateway*> tgws;
    for (const auto& t : s_.transit_gateways) {
      note_opaque(t.transit_gateway_id, RouteTargetKind::TransitGateway, "");
      opaque_[t.transit_gateway_id].tags = t.tags;
      opaque_[t.transit_gateway_id].origin = origin(t.source, t.owner_id);
    }
    for (const auto& a : s_.transit_gateway_attachments) {
      if (a.resource_type == "vpc")
        note_opaque(a.transit_gateway_id, RouteTargetKind::TransitGateway, a.resource_id);
    }
    for (const auto& e : s_.vpc_endpoints) {
      if (e.vpc_endpoint_type == "Gateway" || e.vpc_endpoint_type == "GatewayLoadBalancer") {
        note_opaque(e.vpc_endpoint_id, RouteTargetKind::GatewayEndpoint, e.vpc_id);
        opaque_[e.vpc_endpoint_id].tags = e.tags;
        opaque_[e.vpc_endpoint_id].origin = origin(e.source, e.owner_id);
      }
    }
    for (auto& [id, g] : opaque_) {
      std::sort(g.vpc_ids.begin(), g.vpc_ids.end());
      n_.opaque_gateways[id] = g;
    }
  }

  // ---- accounts and regions ---------------------------------------------------------------

  void places() {
    // A VPC's region: the folder, else its subnets' zones; everything else inherits from its VPC.
    for (const auto& [id, s] : n_.subnets) {
      if (auto* vpc = find_mut(n_.vpcs, s.vpc_id)) {
        if (vpc->origin.region.empty()) vpc->origin.region = s.origin.region;
        if (vpc->origin.account.empty()) vpc->origin.account = s.origin.account;
      }
    }
    std::unordered_map<std::string_view, const model::Vpc*> vpc_by_id;
    for (const auto& [id, vpc] : n_.vpcs) vpc_by_id.emplace(id, &vpc);
    auto inherit = [&](model::Origin& o, const Id& vpc_id) {
      auto it = vpc_by_id.find(vpc_id);
      const auto* vpc = it == vpc_by_id.end() ? nullptr : it->second;
      if (!vpc) return;
      if (o.region.empty()) o.region = vpc->origin.region;
      if (o.account.empty()) o.account = vpc->origin.account;
    };
    for (auto& [id, x] : n_.subnets) inherit(x.origin, x.vpc_id);
    for (auto& [id, x] : n_.route_tables) inherit(x.origin, x.vpc_id);
    for (auto& [id, x] : n_.security_groups) inherit(x.origin, x.vpc_id);
    for (auto& [id, x] : n_.network_acls) inherit(x.origin, x.vpc_id);
    for (auto& [id, x] : n_.network_interfaces) inherit(x.origin, x.vpc_id);
    for (auto& [id, x] : n_.internet_gateways) inherit(x.origin, x.vpc_id);
    for (auto& [id, x] : n_.nat_gateways) inherit(x.origin, x.vpc_id);
    for (auto& [id, x] : n_.vpc_peerings) inherit(x.origin, x.requester_vpc_id);
    for (auto& [id, x] : n_.opaque_gateways) {
      if (!x.vpc_ids.empty()) inherit(x.origin, x.vpc_ids.front());
    }
    for (auto& [id, x] : n_.instances) {
      if (!x.network_interface_ids.empty() && (x.origin.region.empty() || x.origin.account.empty())) {
        const auto& eni = n_.network_interfaces.at(x.network_interface_ids.front());
        if (x.origin.region.empty()) x.origin.region = eni.origin.region;
        if (x.origin.account.empty()) x.origin.account = eni.origin.account;
      }
    }
    // A handful of accounts and regions, each named by thousands of resources: a short list
    // searched linearly, sorted once at the end.
    std::vector<std::string_view> accounts, regions;
    auto note = [](std::vector<std::string_view>& seen, const std::string& x) {
      if (!x.empty() && std::find(seen.begin(), seen.end(), x) == seen.end()) seen.push_back(x);
    };
    auto collect = [&](const auto& map) {
      for (const auto& entry : map) {
        note(accounts, entry.second.origin.account);
        note(regions, entry.second.origin.region);
      }
    };
    collect(n_.vpcs);
    collect(n_.subnets);
    collect(n_.route_tables);
    collect(n_.security_groups);
    collect(n_.network_acls);
    collect(n_.network_interfaces);
    collect(n_.instances);
    collect(n_.internet_gateways);
    collect(n_.nat_gateways);
    collect(n_.vpc_peerings);
    collect(n_.prefix_lists);
    collect(n_.opaque_gateways);
    std::sort(accounts.begin(), accounts.end());
    std::sort(regions.begin(), regions.end());
    n_.accounts.assign(accounts.begin(), accounts.end());
    n_.regions.assign(regions.begin(), regions.end());
  }

  // ---- helpers ----------------------------------------------------------------------------

  template <class T>
  static T* find_mut(std::map<Id, T>& m, const Id& id) {
    auto it = m.find(id);
    return it == m.end() ? nullptr : &it->second;
  }

  bool known_subnet(const Id& id) {
    if (subnet_ids_.empty()) {
      for (const auto& s : s_.subnets) subnet_ids_.insert(s.subnet_id);
    }
    return subnet_ids_.count(id) > 0;
  }

  /** An ENI interfaces() or nat_gateways() made, before commit_interfaces(). */
  model::NetworkInterface& interface_at(std::size_t position) {
    if (position == kNowhere) throw std::out_of_range("an instance's ENI is not in the model");
    return enis_[position];
  }

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

}  // namespace

model::Network to_model(const Snapshot& snapshot) { return Converter(snapshot).run(); }

}  // namespace vpcprove::aws
