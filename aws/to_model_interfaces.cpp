// SPDX-License-Identifier: Apache-2.0
// ENIs, what each is for (kind and owner), NAT gateways, instances and Elastic IPs.
#include <stdexcept>

#include "aws/converter.h"
#include "aws/snapshot_loader.h"
#include "aws/terraform_plan.h"
#include "model/describe.h"
#include "model/drop_code.h"
#include "model/header_fields.h"

namespace vpcprove::aws::conversion {

model::InterfaceKind Converter::kind_of(const NetworkInterface& e, std::optional<Id>& gateway_id) const {
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

std::string Converter::load_balancer_owner(const NetworkInterface& e) const {
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

const LoadBalancer* Converter::load_balancer_of(const NetworkInterface& e) const {
  if (!starts_with(e.description, "ELB ")) return nullptr;
  const std::string tail = e.description.substr(4);
  for (const auto& b : s_.load_balancers) {
    const auto at = b.load_balancer_arn.rfind(":loadbalancer/");
    if (at != std::string::npos && b.load_balancer_arn.substr(at + 14) == tail) return &b;
  }
  return nullptr;
}

std::string Converter::database_owner(const model::NetworkInterface& m) const {
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

model::NetworkInterface Converter::convert(const NetworkInterface& e) {
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
  std::stable_partition(m.private_ips.begin(), m.private_ips.end(), [](const auto& p) { return p.primary; });
  if (e.association_public_ip && !m.private_ips.empty() && !m.private_ips.front().public_ip) {
    m.private_ips.front().public_ip = e.association_public_ip;
  }
  delegated_prefixes(e, m);
  for (const auto& g : e.groups) add_unique(m.security_group_ids, g.group_id);
  m.source_dest_check = e.source_dest_check;
  for (const auto& a : e.ipv6_addresses) add_unique(m.ipv6_addresses, a);
  for (const auto& p : e.ipv6_prefixes) add_unique(m.ipv6_delegated_prefixes, p);
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
    m.inactive = m.id + " is not attached to anything (Status " + (e.status.empty() ? "detached" : e.status) +
                 "): it sends and receives nothing";
    m.inactive_code = model::to_string(model::DropCode::EniNotAttached);
  }
  m.tags = e.tags;
  m.origin = origin(e.source, e.owner_id, e.availability_zone);
  return m;
}

void Converter::delegated_prefixes(const NetworkInterface& e, model::NetworkInterface& m) {
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

void Converter::owner_and_groups(const NetworkInterface& e, model::NetworkInterface& m) const {
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

void Converter::merge_public_ips(model::NetworkInterface& m, const NetworkInterface& other) {
  // IPv6 addresses are public by nature (no NAT): the other copy's are the ENI's too.
  for (const auto& a : other.ipv6_addresses) add_unique(m.ipv6_addresses, a);
  for (const auto& p : other.ipv6_prefixes) add_unique(m.ipv6_delegated_prefixes, p);
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

void Converter::interfaces() {
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

void Converter::commit_interfaces() {
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

void Converter::nat_gateways() {
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

void Converter::instances() {
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

void Converter::addresses() {
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

}  // namespace vpcprove::aws::conversion
