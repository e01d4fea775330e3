// SPDX-License-Identifier: Apache-2.0
// Labels, indices and lookups of the network model.
#include "model/network.h"

#include <algorithm>

#include "model/walk.h"

namespace vpcprove::model {

const char* to_string(Direction d) { return d == Direction::Ingress ? "ingress" : "egress"; }

const char* to_string(RouteTargetKind kind) {
  switch (kind) {
    case RouteTargetKind::Local:
      return "local";
    case RouteTargetKind::InternetGateway:
      return "internet-gateway";
    case RouteTargetKind::EgressOnlyInternetGateway:
      return "egress-only-internet-gateway";
    case RouteTargetKind::NatGateway:
      return "nat-gateway";
    case RouteTargetKind::NetworkInterface:
      return "network-interface";
    case RouteTargetKind::VpcPeering:
      return "vpc-peering";
    case RouteTargetKind::TransitGateway:
      return "transit-gateway";
    case RouteTargetKind::TransitGatewayAttachment:
      return "transit-gateway-attachment";
    case RouteTargetKind::VirtualPrivateGateway:
      return "virtual-private-gateway";
    case RouteTargetKind::GatewayEndpoint:
      return "gateway-endpoint";
    case RouteTargetKind::Other:
      return "other";
  }
  return "other";
}

namespace {
constexpr InterfaceKind kAllKinds[] = {
    InterfaceKind::Instance,       InterfaceKind::LoadBalancer,
    InterfaceKind::Database,       InterfaceKind::Lambda,
    InterfaceKind::VpcEndpoint,    InterfaceKind::NatGateway,
    InterfaceKind::TransitGateway, InterfaceKind::GatewayLoadBalancerEndpoint,
    InterfaceKind::Other};
}  // namespace

const char* to_string(InterfaceKind kind) {
  switch (kind) {
    case InterfaceKind::Instance:
      return "instance";
    case InterfaceKind::NatGateway:
      return "nat-gateway";
    case InterfaceKind::VpcEndpoint:
      return "vpc-endpoint";
    case InterfaceKind::LoadBalancer:
      return "load-balancer";
    case InterfaceKind::TransitGateway:
      return "transit-gateway";
    case InterfaceKind::Other:
      return "other";
    case InterfaceKind::Database:
      return "database";
    case InterfaceKind::Lambda:
      return "lambda";
    case InterfaceKind::GatewayLoadBalancerEndpoint:
      return "gateway-load-balancer-endpoint";
  }
  return "other";
}

std::optional<InterfaceKind> interface_kind_named(std::string_view name) {
  for (const auto k : kAllKinds) {
    if (name == to_string(k)) return k;
  }
  return std::nullopt;
}

bool GatewayEndpoint::serves(Ipv4Address address) const {
  return std::any_of(service_cidrs.begin(), service_cidrs.end(),
                     [&](const Ipv4Prefix& p) { return p.contains(address); });
}

std::string NetworkInterface::unfiltered_text() const {
  return "no security groups: " + interface_type + " ENIs without groups are not filtered";
}

bool NetworkInterface::in_sets() const {
  return live() && kind != InterfaceKind::NatGateway && kind != InterfaceKind::TransitGateway &&
         kind != InterfaceKind::GatewayLoadBalancerEndpoint;
}

const char* to_string(AwsService s) {
  switch (s) {
    case AwsService::AmazonDns:
      return "amazon-dns";
    case AwsService::InstanceMetadata:
      return "instance-metadata";
    case AwsService::TimeSync:
      return "amazon-time-sync";
  }
  return "amazon-dns";
}

const char* to_string(Disposition d) {
  switch (d) {
    case Disposition::Delivered:
      return "delivered";
    case Disposition::ExitsInternet:
      return "exits-internet";
    case Disposition::ExitsUnmodelled:
      return "exits-unmodelled";
    case Disposition::AwsService:
      return "aws-service";
    case Disposition::GatewayEndpoint:
      return "gateway-endpoint";
    case Disposition::Dropped:
      return "dropped";
  }
  return "dropped";
}

namespace {

template <class T, class F>
bool any_of_map(const std::map<Id, T>& m, F f) {
  return std::any_of(m.begin(), m.end(), [&](const auto& kv) { return f(kv.second); });
}

bool any_ipv6(const Network& n) {
  const auto rules6 = [](const std::vector<SgRule>& rules) {
    return std::any_of(rules.begin(), rules.end(), [](const SgRule& r) { return !r.peer_prefixes6.empty(); });
  };
  return any_of_map(n.vpcs, [](const Vpc& v) { return !v.ipv6_cidrs.empty(); }) ||
         any_of_map(n.subnets, [](const Subnet& s) { return !s.ipv6_cidrs.empty(); }) ||
         any_of_map(n.network_interfaces, [](const NetworkInterface& e) { return e.has_ipv6(); }) ||
         any_of_map(n.route_tables, [](const RouteTable& t) { return !t.routes6.empty(); }) ||
         any_of_map(n.transit_gateway_route_tables,
                    [](const TransitGatewayRouteTable& t) { return !t.routes6.empty(); }) ||
         any_of_map(n.network_acls,
                    [](const NetworkAcl& a) { return !a.ingress6.empty() || !a.egress6.empty(); }) ||
         any_of_map(n.security_groups,
                    [&](const SecurityGroup& g) { return rules6(g.ingress) || rules6(g.egress); }) ||
         !n.egress_only_internet_gateways.empty();
}

}  // namespace

std::string SgRule::label() const {
  return group_id + '/' + to_string(direction) + '/' + std::to_string(index);
}

std::string NaclEntry::label() const {
  return acl_id + '/' + to_string(direction) + '/' + std::to_string(rule_number);
}

std::string Route::label(const Id& route_table_id) const {
  const std::string cidr = destination6 ? destination6->to_string() : destination.to_string();
  const std::string dest = prefix_list_id ? *prefix_list_id + ':' + cidr : cidr;
  return route_table_id + '/' + dest;
}

bool NetworkInterface::owns(Ipv4Address private_address) const {
  return std::any_of(private_ips.begin(), private_ips.end(),
                     [&](const PrivateIp& p) { return p.address == private_address; });
}

bool NetworkInterface::owns6(const Ipv6Address& address) const {
  return std::find(ipv6_addresses.begin(), ipv6_addresses.end(), address) != ipv6_addresses.end() ||
         std::any_of(ipv6_delegated_prefixes.begin(), ipv6_delegated_prefixes.end(),
                     [&](const Ipv6Prefix& p) { return p.contains(address); });
}

bool NetworkInterface::has_public_ip() const {
  return std::any_of(private_ips.begin(), private_ips.end(),
                     [](const PrivateIp& p) { return p.public_ip.has_value(); });
}

void Network::index() {
  owner_by_private_ip_.clear();
  owner_by_public_ip_.clear();
  owner_by_ipv6_.clear();
  owner_by_vpc_ipv6_.clear();
  delegated_ipv6_.clear();
  nat_by_public_ip_.clear();
  members_by_group_.clear();
  interfaces_by_vpc_.clear();
  contested_public_ips.clear();
  for (const auto& [id, eni] : network_interfaces) {
    for (const auto& ip : eni.private_ips) {
      owner_by_private_ip_.emplace(std::make_pair(eni.vpc_id, ip.address), id);
      if (!ip.public_ip) continue;
      // The first holder in ID order answers for the address; a second one makes it contested.
      const auto [held, first] = owner_by_public_ip_.emplace(*ip.public_ip, id);
      if (!first && held->second != id) {
        auto& holders = contested_public_ips[*ip.public_ip];
        if (holders.empty()) holders.push_back(held->second);
        if (holders.back() != id) holders.push_back(id);
      }
    }
    for (const auto& a : eni.ipv6_addresses) {
      owner_by_ipv6_.emplace(a, id);
      owner_by_vpc_ipv6_.emplace(std::make_pair(eni.vpc_id, a), id);
    }
    for (const auto& p : eni.ipv6_delegated_prefixes) delegated_ipv6_.emplace_back(p, id);
    for (const auto& sg : eni.security_group_ids) members_by_group_[sg].push_back(id);
    interfaces_by_vpc_[eni.vpc_id].push_back(id);
  }
  for (const auto& [id, nat] : nat_gateways) {
    if (nat.public_ip) nat_by_public_ip_.emplace(*nat.public_ip, id);
  }
  has_ipv6_ = any_ipv6(*this);
  std::vector<Ipv4Address> priv;
  priv.reserve(owner_by_private_ip_.size() + nat_gateways.size());
  for (const auto& [key, id] : owner_by_private_ip_) priv.push_back(key.second);
  for (const auto& [id, nat] : nat_gateways) priv.push_back(nat.private_ip);
  std::sort(priv.begin(), priv.end());
  auto is_private = [&](Ipv4Address a) { return std::binary_search(priv.begin(), priv.end(), a); };
  public_private_disjoint_ = std::none_of(owner_by_public_ip_.begin(), owner_by_public_ip_.end(),
                                          [&](const auto& kv) { return is_private(kv.first); }) &&
                             std::none_of(nat_by_public_ip_.begin(), nat_by_public_ip_.end(),
                                          [&](const auto& kv) { return is_private(kv.first); });
}

std::vector<const NetworkInterface*> Network::interfaces_listed(const std::map<Id, std::vector<Id>>& index,
                                                                const Id& key) const {
  std::vector<const NetworkInterface*> out;
  auto it = index.find(key);
  if (it == index.end()) return out;
  out.reserve(it->second.size());
  for (const auto& id : it->second) out.push_back(find(network_interfaces, id));
  return out;
}

const NetworkInterface* Network::interface_owning6(const Id& vpc_id, const Ipv6Address& address) const {
  // The first ENI of the VPC in ID order that owns the address, by its addresses or a delegated prefix.
  const NetworkInterface* by_address = nullptr;
  if (auto it = owner_by_vpc_ipv6_.find({vpc_id, address}); it != owner_by_vpc_ipv6_.end())
    by_address = find(network_interfaces, it->second);
  for (const auto& [prefix, id] : delegated_ipv6_) {
    if (by_address && id > by_address->id) break;
    if (!prefix.contains(address)) continue;
    const auto* eni = find(network_interfaces, id);
    if (eni && eni->vpc_id == vpc_id) return eni;
  }
  return by_address;
}

const NetworkInterface* Network::interface_with_ipv6(const Ipv6Address& address) const {
  if (auto it = owner_by_ipv6_.find(address); it != owner_by_ipv6_.end())
    return find(network_interfaces, it->second);
  for (const auto& [prefix, id] : delegated_ipv6_) {
    if (prefix.contains(address)) return find(network_interfaces, id);
  }
  return nullptr;
}

const Subnet* Network::subnet_containing6(const Id& vpc_id, const Ipv6Address& address) const {
  for (const auto& [id, subnet] : subnets) {
    if (subnet.vpc_id != vpc_id) continue;
    for (const auto& c : subnet.ipv6_cidrs) {
      if (c.contains(address)) return &subnet;
    }
  }
  return nullptr;
}

bool Network::vpc_contains6(const Id& vpc_id, const Ipv6Address& address) const {
  const Vpc* vpc = find(vpcs, vpc_id);
  if (!vpc) return false;
  return std::any_of(vpc->ipv6_cidrs.begin(), vpc->ipv6_cidrs.end(),
                     [&](const Ipv6Prefix& p) { return p.contains(address); });
}

const NetworkInterface* Network::interface_owning(const Id& vpc_id, Ipv4Address private_address) const {
  auto it = owner_by_private_ip_.find({vpc_id, private_address});
  return it == owner_by_private_ip_.end() ? nullptr : find(network_interfaces, it->second);
}

const NetworkInterface* Network::interface_with_public_ip(Ipv4Address public_address) const {
  auto it = owner_by_public_ip_.find(public_address);
  return it == owner_by_public_ip_.end() ? nullptr : find(network_interfaces, it->second);
}

const TransitGatewayAttachment* Network::tgw_vpc_attachment(const Id& tgw_id, const Id& vpc_id) const {
  const auto* tgw = find(transit_gateways, tgw_id);
  if (!tgw) return nullptr;
  for (const auto& id : tgw->attachment_ids) {
    const auto* a = find(transit_gateway_attachments, id);
    if (a && a->is_vpc() && a->resource_id == vpc_id) return a;
  }
  return nullptr;
}

const Subnet* Network::tgw_subnet_in_zone(const TransitGatewayAttachment& attachment,
                                          const std::string& availability_zone) const {
  for (const auto& id : attachment.subnet_ids) {
    const auto* s = find(subnets, id);
    if (s && !availability_zone.empty() && s->availability_zone == availability_zone) return s;
  }
  return nullptr;
}

const Subnet* Network::tgw_entry_subnet(const TransitGatewayAttachment& attachment,
                                        const std::string& availability_zone) const {
  if (const auto* s = tgw_subnet_in_zone(attachment, availability_zone)) return s;
  for (const auto& id : attachment.subnet_ids) {
    if (const auto* s = find(subnets, id)) return s;
  }
  return nullptr;
}

const NatGateway* Network::nat_gateway_with_public_ip(Ipv4Address address) const {
  auto it = nat_by_public_ip_.find(address);
  return it == nat_by_public_ip_.end() ? nullptr : find(nat_gateways, it->second);
}

const Subnet* Network::subnet_containing(const Id& vpc_id, Ipv4Address address) const {
  // Subnets of one VPC never overlap, so the first hit is the only one.
  for (const auto& [id, subnet] : subnets) {
    if (subnet.vpc_id == vpc_id && !subnet.ipv6_only && subnet.cidr.contains(address)) return &subnet;
  }
  return nullptr;
}

bool Network::vpc_contains(const Id& vpc_id, Ipv4Address address) const {
  const Vpc* vpc = find(vpcs, vpc_id);
  if (!vpc) return false;
  return std::any_of(vpc->cidrs.begin(), vpc->cidrs.end(),
                     [&](const Ipv4Prefix& p) { return p.contains(address); });
}

std::vector<const NetworkInterface*> Network::members_of(const Id& sg_id) const {
  return interfaces_listed(members_by_group_, sg_id);
}

std::vector<const NetworkInterface*> Network::interfaces_in(const Id& vpc_id) const {
  return interfaces_listed(interfaces_by_vpc_, vpc_id);
}

// Amazon DNS: "the base of the VPC IPv4 network range plus two", and for a VPC with several
// CIDR blocks "the DNS server IP address is located in the primary CIDR"; also 169.254.169.253
// (https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html). Instance
// metadata: 169.254.169.254
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html). Time
// Sync: 169.254.169.123 (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/set-time.html).
std::vector<Ipv4Address> Network::aws_service_addresses(const Id& vpc_id, AwsService s) const {
  switch (s) {
    case AwsService::AmazonDns: {
      std::vector<Ipv4Address> out;
      const Vpc* vpc = find(vpcs, vpc_id);
      if (vpc && !vpc->cidrs.empty() && vpc->cidrs.front().len <= 30)
        out.push_back(vpc->cidrs.front().addr + 2);
      out.push_back(0xA9FEA9FDu);  // 169.254.169.253
      std::sort(out.begin(), out.end());
      return out;
    }
    case AwsService::InstanceMetadata:
      return {0xA9FEA9FEu};  // 169.254.169.254
    case AwsService::TimeSync:
      return {0xA9FEA97Bu};  // 169.254.169.123
  }
  return {};
}

bool Network::aws_service_in(const Ipv4Prefix& prefix, AwsService s) const {
  auto holds = [&](const Id& vpc_id) {
    const auto a = aws_service_addresses(vpc_id, s);
    return std::any_of(a.begin(), a.end(), [&](Ipv4Address x) { return prefix.contains(x); });
  };
  if (holds("")) return true;  // the addresses every VPC shares
  return std::any_of(vpcs.begin(), vpcs.end(), [&](const auto& kv) { return holds(kv.first); });
}

std::optional<AwsService> Network::aws_service_at(const Id& vpc_id, Ipv4Address address) const {
  for (const auto s : kAwsServices) {
    const auto a = aws_service_addresses(vpc_id, s);
    if (std::find(a.begin(), a.end(), address) != a.end()) return s;
  }
  return std::nullopt;
}

}  // namespace vpcprove::model
