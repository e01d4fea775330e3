// SPDX-License-Identifier: Apache-2.0
// The test network builder: completes hand-made networks the way the converter would.
#include "tests/support/network_builder.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace vpcprove::testing {

using model::Id;

Ipv4Address ip(const std::string& text) {
  auto a = parse_ipv4(text);
  if (!a) throw std::invalid_argument("bad IPv4 address in test: " + text);
  return *a;
}

Ipv4Prefix prefix(const std::string& text) {
  auto p = Ipv4Prefix::parse(text);
  if (!p) throw std::invalid_argument("bad CIDR in test: " + text);
  return *p;
}

model::L4Match any_l4() { return {}; }

model::L4Match tcp(std::uint16_t lo, std::uint16_t hi) {
  model::L4Match m;
  m.protocol = model::kTcp;
  m.ports = {lo, hi};
  return m;
}

model::L4Match udp(std::uint16_t lo, std::uint16_t hi) {
  model::L4Match m = tcp(lo, hi);
  m.protocol = model::kUdp;
  return m;
}

model::L4Match icmp(int type, int code) {
  model::L4Match m;
  m.protocol = model::kIcmp;
  m.icmp_type = type;
  m.icmp_code = code;
  return m;
}

model::L4Match icmpv6(int type, int code) {
  model::L4Match m = icmp(type, code);
  m.protocol = model::kIcmpv6;
  return m;
}

model::L4Match proto(int number) {
  model::L4Match m;
  m.protocol = number;
  return m;
}

model::Packet packet(const std::string& src, const std::string& dst, int protocol, std::uint16_t src_port,
                     std::uint16_t dst_port) {
  model::Packet p;
  p.src_ip = ip(src);
  p.dst_ip = ip(dst);
  p.protocol = static_cast<std::uint8_t>(protocol);
  p.src_port = src_port;
  p.dst_port = dst_port;
  return p;
}

namespace {

template <class T>
T& must_find(std::map<Id, T>& m, const Id& id, const char* what) {
  auto it = m.find(id);
  if (it == m.end()) throw std::invalid_argument(std::string("NetworkBuilder: no ") + what + " " + id);
  return it->second;
}

bool starts_with(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

Ipv6Prefix prefix6(const std::string& text) {
  const auto p = Ipv6Prefix::parse(text);
  if (!p) throw std::invalid_argument("NetworkBuilder: bad IPv6 CIDR " + text);
  return *p;
}

model::RouteTargetKind kind_of(const Id& target) {
  using K = model::RouteTargetKind;
  if (target == "local") return K::Local;
  if (starts_with(target, "igw-")) return K::InternetGateway;
  if (starts_with(target, "eigw-")) return K::EgressOnlyInternetGateway;
  if (starts_with(target, "nat-")) return K::NatGateway;
  if (starts_with(target, "eni-") || starts_with(target, "i-")) return K::NetworkInterface;
  if (starts_with(target, "pcx-")) return K::VpcPeering;
  if (starts_with(target, "tgw-")) return K::TransitGateway;
  if (starts_with(target, "vgw-")) return K::VirtualPrivateGateway;
  if (starts_with(target, "vpce-")) return K::GatewayEndpoint;
  return K::Other;
}

model::NaclEntry nacl_entry(const Id& acl, model::Direction d, int number, bool allow,
                            const model::L4Match& l4, const std::string& cidr) {
  model::NaclEntry e;
  e.acl_id = acl;
  e.direction = d;
  e.rule_number = number;
  e.allow = allow;
  e.l4 = l4;
  if (looks_like_ipv6(cidr)) {
    e.cidr6 = prefix6(cidr);
  } else {
    e.cidr = prefix(cidr);
  }
  return e;
}

}  // namespace

// ---- handles ------------------------------------------------------------------------------

NetworkBuilder::VpcHandle& NetworkBuilder::VpcHandle::cidr(const std::string& c) {
  must_find(b_->net_.vpcs, id_, "VPC").cidrs.push_back(prefix(c));
  return *this;
}
NetworkBuilder::VpcHandle& NetworkBuilder::VpcHandle::ipv6(const std::string& c) {
  must_find(b_->net_.vpcs, id_, "VPC").ipv6_cidrs.push_back(prefix6(c));
  return *this;
}
NetworkBuilder::SubnetHandle& NetworkBuilder::SubnetHandle::ipv6(const std::string& c) {
  must_find(b_->net_.subnets, id_, "subnet").ipv6_cidrs.push_back(prefix6(c));
  return *this;
}
NetworkBuilder::EniHandle& NetworkBuilder::EniHandle::ipv6(std::vector<std::string> addresses) {
  auto& e = must_find(b_->net_.network_interfaces, id_, "ENI");
  for (const auto& a : addresses) {
    const auto v6 = parse_ipv6(a);
    if (!v6) throw std::invalid_argument("NetworkBuilder: bad IPv6 address " + a);
    e.ipv6_addresses.push_back(*v6);
  }
  return *this;
}
NetworkBuilder::VpcHandle& NetworkBuilder::VpcHandle::tags(model::Tags t) {
  must_find(b_->net_.vpcs, id_, "VPC").tags = std::move(t);
  return *this;
}

NetworkBuilder::SubnetHandle& NetworkBuilder::SubnetHandle::route_table(const Id& rtb) {
  b_->explicit_rtb_[id_] = rtb;
  return *this;
}
NetworkBuilder::SubnetHandle& NetworkBuilder::SubnetHandle::nacl(const Id& acl) {
  b_->explicit_acl_[id_] = acl;
  return *this;
}
NetworkBuilder::SubnetHandle& NetworkBuilder::SubnetHandle::no_route_table() {
  b_->explicit_rtb_[id_] = "";
  return *this;
}
NetworkBuilder::SubnetHandle& NetworkBuilder::SubnetHandle::tags(model::Tags t) {
  must_find(b_->net_.subnets, id_, "subnet").tags = std::move(t);
  return *this;
}

NetworkBuilder::SubnetHandle& NetworkBuilder::SubnetHandle::zone(const std::string& availability_zone) {
  must_find(b_->net_.subnets, id_, "subnet").availability_zone = availability_zone;
  return *this;
}

NetworkBuilder::TgwRouteTableHandle& NetworkBuilder::TgwRouteTableHandle::route(const std::string& dest,
                                                                                const Id& attachment) {
  b_->tgw_routes_[id_].push_back({dest, attachment, false});
  return *this;
}

NetworkBuilder::TgwRouteTableHandle& NetworkBuilder::TgwRouteTableHandle::blackhole(const std::string& dest) {
  b_->tgw_routes_[id_].push_back({dest, "", false});
  return *this;
}

NetworkBuilder::TgwRouteTableHandle& NetworkBuilder::TgwRouteTableHandle::propagate(const Id& attachment) {
  b_->tgw_routes_[id_].push_back({"", attachment, true});
  return *this;
}

Id NetworkBuilder::transit_gateway(const Id& id) {
  net_.transit_gateways[id].id = id;
  return id;
}

NetworkBuilder::TgwRouteTableHandle NetworkBuilder::tgw_route_table(const Id& id, const Id& tgw) {
  auto& t = net_.transit_gateway_route_tables[id];
  t.id = id;
  t.transit_gateway_id = tgw;
  tgw_routes_[id];
  return {this, id};
}

Id NetworkBuilder::tgw_vpc_attachment(const Id& id, const Id& tgw, const Id& vpc_id,
                                      std::vector<Id> subnet_ids, const Id& route_table) {
  auto& a = net_.transit_gateway_attachments[id];
  a.id = id;
  a.transit_gateway_id = tgw;
  a.resource_type = "vpc";
  a.resource_id = vpc_id;
  std::sort(subnet_ids.begin(), subnet_ids.end());
  a.subnet_ids = std::move(subnet_ids);
  a.route_table_id = route_table;
  return id;
}

Id NetworkBuilder::tgw_other_attachment(const Id& id, const Id& tgw, const std::string& type,
                                        const Id& route_table) {
  auto& a = net_.transit_gateway_attachments[id];
  a.id = id;
  a.transit_gateway_id = tgw;
  a.resource_type = type;
  a.resource_id = type + "-1";
  a.route_table_id = route_table;
  opaque_gateway(id, {}, model::RouteTargetKind::TransitGateway);
  return id;
}

NetworkBuilder::RouteTableHandle& NetworkBuilder::RouteTableHandle::route(const std::string& dest,
                                                                          const Id& target) {
  b_->routes_[id_].push_back({dest, target});
  return *this;
}
NetworkBuilder::RouteTableHandle& NetworkBuilder::RouteTableHandle::blackhole(const std::string& dest,
                                                                              const Id& target) {
  b_->routes_[id_].push_back({dest, target, true});
  return *this;
}
NetworkBuilder::RouteTableHandle& NetworkBuilder::RouteTableHandle::route_to_missing(const std::string& dest,
                                                                                     const Id& target) {
  b_->routes_[id_].push_back({dest, target, false, false, "CreateRoute", true});
  return *this;
}

NetworkBuilder::RouteTableHandle& NetworkBuilder::RouteTableHandle::prefix_list_route(const Id& pl,
                                                                                      const Id& target) {
  b_->routes_[id_].push_back({pl, target, false, true});
  return *this;
}
NetworkBuilder::RouteTableHandle& NetworkBuilder::RouteTableHandle::propagated(const std::string& dest,
                                                                               const Id& target) {
  b_->routes_[id_].push_back({dest, target, false, false, "EnableVgwRoutePropagation"});
  return *this;
}
NetworkBuilder::RouteTableHandle& NetworkBuilder::RouteTableHandle::edge(const Id& gateway) {
  must_find(b_->net_.route_tables, id_, "route table").gateway_ids.push_back(gateway);
  return *this;
}
NetworkBuilder::RouteTableHandle& NetworkBuilder::RouteTableHandle::main() {
  auto& rtb = must_find(b_->net_.route_tables, id_, "route table");
  auto& vpc = must_find(b_->net_.vpcs, rtb.vpc_id, "VPC");
  auto old = b_->net_.route_tables.find(vpc.main_route_table_id);
  if (old != b_->net_.route_tables.end()) old->second.is_main = false;
  vpc.main_route_table_id = id_;
  rtb.is_main = true;
  return *this;
}
NetworkBuilder::RouteTableHandle& NetworkBuilder::RouteTableHandle::tags(model::Tags t) {
  must_find(b_->net_.route_tables, id_, "route table").tags = std::move(t);
  return *this;
}

NetworkBuilder::EniHandle& NetworkBuilder::EniHandle::public_ip(const std::string& pub) {
  auto& eni = must_find(b_->net_.network_interfaces, id_, "ENI");
  eni.private_ips.front().public_ip = ip(pub);
  return *this;
}
NetworkBuilder::EniHandle& NetworkBuilder::EniHandle::public_ip(const std::string& priv,
                                                                const std::string& pub) {
  auto& eni = must_find(b_->net_.network_interfaces, id_, "ENI");
  const Ipv4Address a = ip(priv);
  for (auto& p : eni.private_ips) {
    if (p.address == a) {
      p.public_ip = ip(pub);
      return *this;
    }
  }
  throw std::invalid_argument("NetworkBuilder: " + id_ + " has no private IP " + priv);
}
NetworkBuilder::EniHandle& NetworkBuilder::EniHandle::groups(std::vector<Id> sgs) {
  must_find(b_->net_.network_interfaces, id_, "ENI").security_group_ids = std::move(sgs);
  return *this;
}
NetworkBuilder::EniHandle& NetworkBuilder::EniHandle::source_dest_check(bool on) {
  must_find(b_->net_.network_interfaces, id_, "ENI").source_dest_check = on;
  return *this;
}
NetworkBuilder::EniHandle& NetworkBuilder::EniHandle::instance(const Id& instance_id) {
  b_->instance(instance_id, {id_});
  return *this;
}
NetworkBuilder::EniHandle& NetworkBuilder::EniHandle::kind(model::InterfaceKind k) {
  must_find(b_->net_.network_interfaces, id_, "ENI").kind = k;
  return *this;
}
NetworkBuilder::EniHandle& NetworkBuilder::EniHandle::delegated_prefix(const std::string& cidr) {
  auto& eni = must_find(b_->net_.network_interfaces, id_, "ENI");
  const Ipv4Prefix p = prefix(cidr);
  eni.delegated_prefixes.push_back(p);
  for (std::uint64_t k = 0; k < (std::uint64_t{1} << (32 - p.len)); ++k) {
    eni.private_ips.push_back({static_cast<Ipv4Address>(p.addr + k), false, {}, true});
  }
  return *this;
}
NetworkBuilder::EniHandle& NetworkBuilder::EniHandle::ipv6_prefix(const std::string& cidr) {
  must_find(b_->net_.network_interfaces, id_, "ENI").ipv6_delegated_prefixes.push_back(prefix6(cidr));
  return *this;
}
NetworkBuilder::EniHandle& NetworkBuilder::EniHandle::group_less_nlb() {
  auto& eni = must_find(b_->net_.network_interfaces, id_, "ENI");
  eni.security_group_ids.clear();
  eni.kind = model::InterfaceKind::LoadBalancer;
  eni.interface_type = "network_load_balancer";
  eni.unfiltered = true;
  eni.source_dest_check = true;  // a load balancer's ENI forwards nothing it does not own
  return *this;
}
NetworkBuilder::EniHandle& NetworkBuilder::EniHandle::inactive(const std::string& code) {
  auto& eni = must_find(b_->net_.network_interfaces, id_, "ENI");
  eni.inactive_code = code;
  eni.inactive = id_ +
                 (code == "INSTANCE_NOT_RUNNING" ? " belongs to a stopped instance" : " is not attached") +
                 ": it sends and receives nothing";
  return *this;
}
NetworkBuilder::EniHandle& NetworkBuilder::EniHandle::tags(model::Tags t) {
  must_find(b_->net_.network_interfaces, id_, "ENI").tags = std::move(t);
  return *this;
}

NetworkBuilder::SgHandle& NetworkBuilder::SgHandle::ingress(const model::L4Match& l4,
                                                            const std::string& peer) {
  b_->rules_[id_].push_back({model::Direction::Ingress, l4, peer});
  return *this;
}
NetworkBuilder::SgHandle& NetworkBuilder::SgHandle::egress(const model::L4Match& l4,
                                                           const std::string& peer) {
  b_->rules_[id_].push_back({model::Direction::Egress, l4, peer});
  return *this;
}
NetworkBuilder::SgHandle& NetworkBuilder::SgHandle::tags(model::Tags t) {
  must_find(b_->net_.security_groups, id_, "security group").tags = std::move(t);
  return *this;
}

NetworkBuilder::NaclHandle& NetworkBuilder::NaclHandle::ingress(int number, bool allow,
                                                                const model::L4Match& l4,
                                                                const std::string& cidr) {
  auto& acl = must_find(b_->net_.network_acls, id_, "NACL");
  (looks_like_ipv6(cidr) ? acl.ingress6 : acl.ingress)
      .push_back(nacl_entry(id_, model::Direction::Ingress, number, allow, l4, cidr));
  return *this;
}
NetworkBuilder::NaclHandle& NetworkBuilder::NaclHandle::egress(int number, bool allow,
                                                               const model::L4Match& l4,
                                                               const std::string& cidr) {
  auto& acl = must_find(b_->net_.network_acls, id_, "NACL");
  (looks_like_ipv6(cidr) ? acl.egress6 : acl.egress)
      .push_back(nacl_entry(id_, model::Direction::Egress, number, allow, l4, cidr));
  return *this;
}
NetworkBuilder::NaclHandle& NetworkBuilder::NaclHandle::allow_all() {
  b_->allow_all_acls_.insert(id_);
  return allow_in(100, any_l4()).allow_out(100, any_l4());
}
NetworkBuilder::NaclHandle& NetworkBuilder::NaclHandle::clear() {
  auto& acl = must_find(b_->net_.network_acls, id_, "NACL");
  acl.ingress.clear();
  acl.egress.clear();
  return *this;
}

NetworkBuilder::PeeringHandle& NetworkBuilder::PeeringHandle::requester_cidrs(
    std::vector<std::string> cidrs) {
  b_->peerings_.at(id_).requester_cidrs = std::move(cidrs);
  return *this;
}
NetworkBuilder::PeeringHandle& NetworkBuilder::PeeringHandle::accepter_cidrs(std::vector<std::string> cidrs) {
  b_->peerings_.at(id_).accepter_cidrs = std::move(cidrs);
  return *this;
}
NetworkBuilder::PeeringHandle& NetworkBuilder::PeeringHandle::requester_ipv6_cidrs(
    std::vector<std::string> cidrs) {
  b_->peerings_.at(id_).requester_ipv6_cidrs = std::move(cidrs);
  return *this;
}
NetworkBuilder::PeeringHandle& NetworkBuilder::PeeringHandle::accepter_ipv6_cidrs(
    std::vector<std::string> cidrs) {
  b_->peerings_.at(id_).accepter_ipv6_cidrs = std::move(cidrs);
  return *this;
}

// ---- builder ------------------------------------------------------------------------------

NetworkBuilder::VpcHandle NetworkBuilder::vpc(const Id& id, const std::string& cidr) {
  model::Vpc v;
  v.id = id;
  v.cidrs.push_back(prefix(cidr));
  v.main_route_table_id = "rtb-main-" + id;
  v.default_nacl_id = "acl-default-" + id;
  net_.vpcs[id] = v;

  model::RouteTable rtb;
  rtb.id = v.main_route_table_id;
  rtb.vpc_id = id;
  rtb.is_main = true;
  net_.route_tables[rtb.id] = rtb;

  model::NetworkAcl acl;
  acl.id = v.default_nacl_id;
  acl.vpc_id = id;
  acl.is_default = true;
  net_.network_acls[acl.id] = acl;
  default_nacl(id).allow_all();
  return {this, id};
}

NetworkBuilder::SubnetHandle NetworkBuilder::subnet(const Id& id, const Id& vpc_id, const std::string& cidr) {
  model::Subnet s;
  s.id = id;
  s.vpc_id = vpc_id;
  s.cidr = prefix(cidr);
  s.availability_zone = "us-east-1a";
  net_.subnets[id] = s;
  return {this, id};
}

NetworkBuilder::SubnetHandle NetworkBuilder::ipv6_only_subnet(const Id& id, const Id& vpc_id,
                                                              const std::string& ipv6_cidr) {
  model::Subnet s;
  s.id = id;
  s.vpc_id = vpc_id;
  s.cidr = Ipv4Prefix{0, 32};
  s.ipv6_only = true;
  s.ipv6_cidrs.push_back(prefix6(ipv6_cidr));
  s.availability_zone = "us-east-1a";
  net_.subnets[id] = s;
  return {this, id};
}

NetworkBuilder::RouteTableHandle NetworkBuilder::route_table(const Id& id, const Id& vpc_id) {
  model::RouteTable rtb;
  rtb.id = id;
  rtb.vpc_id = vpc_id;
  net_.route_tables[id] = rtb;
  return {this, id};
}

NetworkBuilder::RouteTableHandle NetworkBuilder::main_route_table(const Id& vpc_id) {
  return {this, must_find(net_.vpcs, vpc_id, "VPC").main_route_table_id};
}

Id NetworkBuilder::eigw(const Id& id, const Id& vpc_id) {
  must_find(net_.vpcs, vpc_id, "VPC");
  net_.egress_only_internet_gateways[id] = model::EgressOnlyInternetGateway{id, vpc_id, {}, {}};
  return id;
}

Id NetworkBuilder::igw(const Id& id, const Id& vpc_id) {
  model::InternetGateway g;
  g.id = id;
  g.vpc_id = vpc_id;
  net_.internet_gateways[id] = g;
  if (!vpc_id.empty()) must_find(net_.vpcs, vpc_id, "VPC").internet_gateway_id = id;
  return id;
}

NetworkBuilder::EniHandle NetworkBuilder::eni(const Id& id, const Id& subnet_id,
                                              std::vector<std::string> ips) {
  if (ips.empty()) throw std::invalid_argument("NetworkBuilder: ENI " + id + " needs a private IP");
  model::NetworkInterface e;
  e.id = id;
  e.subnet_id = subnet_id;
  e.interface_type = "interface";
  bool first = true;
  for (const auto& text : ips) {
    model::PrivateIp p;
    p.address = ip(text);
    p.primary = first;
    first = false;
    e.private_ips.push_back(p);
  }
  net_.network_interfaces[id] = e;
  return {this, id};
}

NetworkBuilder::EniHandle NetworkBuilder::ipv6_only_eni(const Id& id, const Id& subnet_id,
                                                        std::vector<std::string> ipv6_addresses) {
  if (ipv6_addresses.empty())
    throw std::invalid_argument("NetworkBuilder: ENI " + id + " needs an IPv6 address");
  model::NetworkInterface e;
  e.id = id;
  e.subnet_id = subnet_id;
  e.interface_type = "interface";
  net_.network_interfaces[id] = e;
  return EniHandle{this, id}.ipv6(std::move(ipv6_addresses));
}

NetworkBuilder::SgHandle NetworkBuilder::sg(const Id& id, const Id& vpc_id) {
  model::SecurityGroup g;
  g.id = id;
  g.name = id;
  g.vpc_id = vpc_id;
  net_.security_groups[id] = g;
  rules_[id].clear();  // declaring a group again replaces its rules
  return {this, id};
}

NetworkBuilder::NaclHandle NetworkBuilder::nacl(const Id& id, const Id& vpc_id) {
  model::NetworkAcl acl;
  acl.id = id;
  acl.vpc_id = vpc_id;
  net_.network_acls[id] = acl;
  return {this, id};
}

NetworkBuilder::NaclHandle NetworkBuilder::default_nacl(const Id& vpc_id) {
  return {this, must_find(net_.vpcs, vpc_id, "VPC").default_nacl_id};
}

Id NetworkBuilder::nat(const Id& id, const Id& subnet_id, const std::string& private_ip,
                       const std::string& public_ip) {
  const Id eni_id = "eni-" + id;
  eni(eni_id, subnet_id, {private_ip}).source_dest_check(false).kind(model::InterfaceKind::NatGateway);
  auto& e = net_.network_interfaces[eni_id];
  e.interface_type = "nat_gateway";
  e.gateway_id = id;
  if (!public_ip.empty()) e.private_ips.front().public_ip = ip(public_ip);

  model::NatGateway n;
  n.id = id;
  n.subnet_id = subnet_id;
  n.network_interface_id = eni_id;
  n.private_ip = ip(private_ip);
  if (!public_ip.empty()) n.public_ip = ip(public_ip);
  n.is_public = !public_ip.empty();
  net_.nat_gateways[id] = n;
  return id;
}

NetworkBuilder::PeeringHandle NetworkBuilder::peering(const Id& id, const Id& requester, const Id& accepter) {
  peerings_[id] = PendingPeering{requester, accepter, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  return {this, id};
}

Id NetworkBuilder::opaque_gateway(const Id& id, std::vector<Id> vpc_ids,
                                  std::optional<model::RouteTargetKind> kind) {
  model::OpaqueGateway g;
  g.id = id;
  g.kind = kind.value_or(kind_of(id));
  g.vpc_ids = std::move(vpc_ids);
  net_.opaque_gateways[id] = g;
  return id;
}

Id NetworkBuilder::prefix_list(const Id& id, std::vector<std::string> cidrs) {
  model::PrefixList pl;
  pl.id = id;
  pl.name = id;
  for (const auto& c : cidrs) pl.cidrs.push_back(prefix(c));
  net_.prefix_lists[id] = pl;
  return id;
}

Id NetworkBuilder::gateway_endpoint(const Id& id, const Id& vpc_id, const Id& pl_id) {
  model::GatewayEndpoint e;
  e.id = id;
  e.vpc_id = vpc_id;
  e.service_name = pl_id;
  e.prefix_list_id = pl_id;
  net_.gateway_endpoints[id] = e;
  return id;
}

Id NetworkBuilder::instance(const Id& id, std::vector<Id> eni_ids) {
  auto& inst = net_.instances[id];
  inst.id = id;
  for (const auto& e : eni_ids) {
    if (std::find(inst.network_interface_ids.begin(), inst.network_interface_ids.end(), e) ==
        inst.network_interface_ids.end())
      inst.network_interface_ids.push_back(e);
    must_find(net_.network_interfaces, e, "ENI").instance_id = id;
  }
  return id;
}

model::Network NetworkBuilder::build() const {
  model::Network n = net_;

  for (auto& [id, s] : n.subnets) {
    const auto& vpc = must_find(n.vpcs, s.vpc_id, "VPC");
    auto rt = explicit_rtb_.find(id);
    if (rt != explicit_rtb_.end()) {
      s.route_table_id = rt->second;
      if (!rt->second.empty()) must_find(n.route_tables, rt->second, "route table").subnet_ids.push_back(id);
    } else {
      s.route_table_id = vpc.main_route_table_id;
    }
    auto acl = explicit_acl_.find(id);
    s.nacl_id = acl != explicit_acl_.end() ? acl->second : vpc.default_nacl_id;
  }

  for (auto& [id, e] : n.network_interfaces) {
    e.vpc_id = must_find(n.subnets, e.subnet_id, "subnet").vpc_id;
  }
  for (auto& [id, nat] : n.nat_gateways) nat.vpc_id = must_find(n.subnets, nat.subnet_id, "subnet").vpc_id;

  for (auto& [id, rtb] : n.route_tables) {
    const auto& vpc = must_find(n.vpcs, rtb.vpc_id, "VPC");
    std::vector<model::Route> routes;
    std::vector<model::Route> routes6;
    for (const auto& c : vpc.cidrs) {
      model::Route r;
      r.destination = c;
      r.target_kind = model::RouteTargetKind::Local;
      r.target_id = "local";
      r.origin = "CreateRouteTable";
      routes.push_back(r);
    }
    for (const auto& c : vpc.ipv6_cidrs) {
      model::Route r;
      r.destination6 = c;
      r.target_kind = model::RouteTargetKind::Local;
      r.target_id = "local";
      r.origin = "CreateRouteTable";
      routes6.push_back(r);
    }
    auto pending = routes_.find(id);
    if (pending != routes_.end()) {
      for (const auto& p : pending->second) {
        model::Route r;
        r.target_kind = kind_of(p.target);
        r.target_id = p.target;
        if (p.missing) {
          // The converter's form: the route leaves the model, the target names its kind.
          if (n.internet_gateways.count(p.target) || n.nat_gateways.count(p.target) ||
              n.network_interfaces.count(p.target) || peerings_.count(p.target))
            throw std::invalid_argument("NetworkBuilder: route_to_missing names " + p.target +
                                        ", which exists");
          auto& g = n.opaque_gateways[p.target];
          if (g.id.empty()) {
            g.id = p.target;
            g.kind = r.target_kind;
          }
          g.missing = true;
          if (std::find(g.vpc_ids.begin(), g.vpc_ids.end(), rtb.vpc_id) == g.vpc_ids.end())
            g.vpc_ids.push_back(rtb.vpc_id);
          r.target_kind = model::RouteTargetKind::Other;
        } else if (starts_with(p.target, "i-"))
          r.target_id = must_find(n.instances, p.target, "instance").network_interface_ids.at(0);
        r.blackhole = p.blackhole;
        r.origin = p.origin;
        if (p.prefix_list) {
          r.prefix_list_id = p.destination;
          for (const auto& c : must_find(n.prefix_lists, p.destination, "prefix list").cidrs) {
            r.destination = c;
            routes.push_back(r);
          }
        } else if (looks_like_ipv6(p.destination)) {
          r.destination6 = prefix6(p.destination);
          routes6.push_back(r);
        } else {
          r.destination = prefix(p.destination);
          routes.push_back(r);
        }
      }
    }
    // The converter's decision order: longest prefix, then static, then prefix-list, then
    // propagated; stable so that otherwise equal routes keep the order they were added in.
    auto rank = [](const model::Route& r) {
      if (r.origin == "EnableVgwRoutePropagation") return 2;
      return r.prefix_list_id ? 1 : 0;
    };
    std::stable_sort(routes.begin(), routes.end(), [&](const model::Route& a, const model::Route& b) {
      if (a.destination.len != b.destination.len) return a.destination.len > b.destination.len;
      return rank(a) < rank(b);
    });
    rtb.routes = std::move(routes);
    std::stable_sort(routes6.begin(), routes6.end(), [&](const model::Route& a, const model::Route& b) {
      if (a.destination6->len != b.destination6->len) return a.destination6->len > b.destination6->len;
      return rank(a) < rank(b);
    });
    rtb.routes6 = std::move(routes6);
  }

  // Transit gateways: the converter's propagation and decision order (aws/to_model_tgw.cpp).
  for (auto& [id, a] : n.transit_gateway_attachments) {
    must_find(n.transit_gateways, a.transit_gateway_id, "transit gateway").attachment_ids.push_back(id);
  }
  for (auto& [id, t] : n.transit_gateway_route_tables) {
    must_find(n.transit_gateways, t.transit_gateway_id, "transit gateway").route_table_ids.push_back(id);
    std::vector<model::Route> routes;
    std::vector<model::Route> routes6;
    std::set<Ipv4Prefix> propagated;
    std::set<Ipv6Prefix> propagated6;
    for (const auto& p : tgw_routes_.at(id)) {
      model::Route r;
      r.target_kind = model::RouteTargetKind::TransitGatewayAttachment;
      r.target_id = p.attachment;
      if (!p.propagate) {
        r.origin = "static";
        r.blackhole = p.attachment.empty();
        if (looks_like_ipv6(p.destination)) {
          r.destination = Ipv4Prefix{0, 32};  // as the converter leaves an IPv6 route's
          r.destination6 = prefix6(p.destination);
          routes6.push_back(r);
        } else {
          r.destination = prefix(p.destination);
          routes.push_back(r);
        }
        continue;
      }
      r.origin = "propagated";
      const auto& a = must_find(n.transit_gateway_attachments, p.attachment, "transit gateway attachment");
      const auto& vpc = must_find(n.vpcs, a.resource_id, "VPC");
      for (const auto& c : vpc.cidrs) {
        if (!propagated.insert(c).second) continue;
        r.destination = c;
        routes.push_back(r);
      }
      // A VPC attachment propagates the VPC's IPv6 blocks too (aws/to_model_tgw.cpp).
      for (const auto& c : vpc.ipv6_cidrs) {
        if (!propagated6.insert(c).second) continue;
        model::Route r6 = r;
        r6.destination = Ipv4Prefix{0, 32};
        r6.destination6 = c;
        routes6.push_back(r6);
      }
    }
    std::stable_sort(routes.begin(), routes.end(), [](const model::Route& a, const model::Route& b) {
      if (a.destination.len != b.destination.len) return a.destination.len > b.destination.len;
      return a.origin == "static" && b.origin != "static";
    });
    t.routes = std::move(routes);
    std::stable_sort(routes6.begin(), routes6.end(), [](const model::Route& a, const model::Route& b) {
      if (a.destination6->len != b.destination6->len) return a.destination6->len > b.destination6->len;
      return a.origin == "static" && b.origin != "static";
    });
    t.routes6 = std::move(routes6);
  }

  for (auto& [id, acl] : n.network_acls) {
    const auto* vpc = model::Network::find(n.vpcs, acl.vpc_id);
    if (allow_all_acls_.count(id) && vpc && !vpc->ipv6_cidrs.empty()) {
      acl.ingress6.push_back(nacl_entry(id, model::Direction::Ingress, 101, true, any_l4(), "::/0"));
      acl.egress6.push_back(nacl_entry(id, model::Direction::Egress, 101, true, any_l4(), "::/0"));
    }
    auto by_number = [](const model::NaclEntry& a, const model::NaclEntry& b) {
      return a.rule_number < b.rule_number;
    };
    std::stable_sort(acl.ingress.begin(), acl.ingress.end(), by_number);
    std::stable_sort(acl.egress.begin(), acl.egress.end(), by_number);
    std::stable_sort(acl.ingress6.begin(), acl.ingress6.end(), by_number);
    std::stable_sort(acl.egress6.begin(), acl.egress6.end(), by_number);
  }

  // Group references expand to the members' private IPs, so member lists come first.
  std::map<Id, std::vector<Ipv4Prefix>> member_ips;
  std::map<Id, std::vector<Ipv6Prefix>> member_ips6;
  for (const auto& [id, e] : n.network_interfaces) {
    for (const auto& g : e.security_group_ids) {
      for (const auto& p : e.private_ips) member_ips[g].push_back(Ipv4Prefix::make(p.address, 32));
      for (const auto& a : e.ipv6_addresses) member_ips6[g].push_back(Ipv6Prefix::make(a, 128));
      for (const auto& p : e.ipv6_delegated_prefixes) member_ips6[g].push_back(p);
    }
  }
  for (const auto& [sg_id, pending] : rules_) {
    auto& sg = must_find(n.security_groups, sg_id, "security group");
    sg.ingress.clear();
    sg.egress.clear();
    for (const auto& p : pending) {
      model::SgRule r;
      r.group_id = sg_id;
      r.direction = p.direction;
      r.l4 = p.l4;
      r.peer = p.peer;
      if (starts_with(p.peer, "sg-")) {
        r.peer_prefixes = member_ips[p.peer];
        r.peer_prefixes6 = member_ips6[p.peer];
      } else if (looks_like_ipv6(p.peer)) {
        r.peer_prefixes6 = {prefix6(p.peer)};
      } else if (starts_with(p.peer, "pl-")) {
        const auto* pl = model::Network::find(n.prefix_lists, p.peer);
        if (pl) r.peer_prefixes = pl->cidrs;  // a list the network lacks matches nothing
      } else {
        r.peer_prefixes = {prefix(p.peer)};
      }
      auto& list = p.direction == model::Direction::Ingress ? sg.ingress : sg.egress;
      r.index = static_cast<int>(list.size());
      list.push_back(std::move(r));
    }
  }

  for (const auto& [id, p] : peerings_) {
    model::VpcPeering v;
    v.id = id;
    v.requester_vpc_id = p.requester;
    v.accepter_vpc_id = p.accepter;
    auto cidrs = [&](const std::optional<std::vector<std::string>>& given, const Id& vpc) {
      if (!given) return must_find(n.vpcs, vpc, "VPC").cidrs;
      std::vector<Ipv4Prefix> out;
      for (const auto& c : *given) out.push_back(prefix(c));
      return out;
    };
    v.requester_cidrs = cidrs(p.requester_cidrs, p.requester);
    v.accepter_cidrs = cidrs(p.accepter_cidrs, p.accepter);
    auto cidrs6 = [&](const std::optional<std::vector<std::string>>& given, const Id& vpc) {
      if (!given) return must_find(n.vpcs, vpc, "VPC").ipv6_cidrs;
      std::vector<Ipv6Prefix> out;
      for (const auto& c : *given) out.push_back(prefix6(c));
      return out;
    };
    v.requester_ipv6_cidrs = cidrs6(p.requester_ipv6_cidrs, p.requester);
    v.accepter_ipv6_cidrs = cidrs6(p.accepter_ipv6_cidrs, p.accepter);
    n.vpc_peerings[id] = v;
  }

  for (auto& [id, e] : n.gateway_endpoints) {
    e.service_cidrs = must_find(n.prefix_lists, e.prefix_list_id, "prefix list").cidrs;
    std::sort(e.service_cidrs.begin(), e.service_cidrs.end());
  }

  n.accounts = {"111122223333"};
  n.regions = {"us-east-1"};
  n.index();
  return n;
}

}  // namespace vpcprove::testing
