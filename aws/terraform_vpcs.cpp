// SPDX-License-Identifier: Apache-2.0
// Terraform VPCs (with what AWS makes with them), subnets, gateways, peerings and route tables.
#include <algorithm>

#include "aws/snapshot_loader.h"
#include "aws/terraform_converter.h"
#include "common/diagnostics.h"
#include "model/header_fields.h"

namespace vpcprove::aws::terraform::resources {

void Converter::prefix_list(const Instance& r) {
  PrefixList l;
  l.prefix_list_id = r.id;
  l.prefix_list_name = text(r.values, "name");
  l.address_family = text(r.values, "address_family", "IPv4");
  l.state = "create-complete";
  for (const auto& e : blocks(r.values, "entry")) {
    const auto c = text(e, "cidr");
    if (looks_like_ipv6(c)) {
      l.ipv6_cidrs.push_back(cidr6(r, "entry.cidr", c));
    } else if (auto p = cidr(r, "entry.cidr", c)) {
      l.cidrs.push_back(*p);
    }
  }
  l.tags = tags(r);
  l.source = source();
  s_.prefix_lists.push_back(std::move(l));
}

void Converter::prefix_list_entry(const Instance& r) {
  const auto id = str(r, {"prefix_list_id"});
  const auto c = text(r.values, "cidr");
  if (!id) return;
  auto* l = adopt(&Snapshot::prefix_lists, &PrefixList::prefix_list_id, *id);
  if (!l) return missing(r, "prefix list", *id);
  if (looks_like_ipv6(c)) {
    l->ipv6_cidrs.push_back(cidr6(r, "cidr", c));
  } else if (auto p = cidr(r, "cidr", c)) {
    l->cidrs.push_back(*p);
  }
}

void Converter::vpc(const Instance& r) {
  Vpc v;
  v.vpc_id = r.id;
  const auto c = str(r, {"cidr_block"});
  if (c) v.cidr_block = cidr(r, "cidr_block", *c);
  if (v.cidr_block) v.cidr_block_association_set.push_back({r.id + "-cidr", *v.cidr_block});
  if (!c) p_.unknown_value(r.id, r, "cidr_block");
  // assign_generated_ipv6_cidr_block: Amazon picks the /56 at apply time.
  if (p_.unknown(r, {"ipv6_cidr_block"})) {
    p_.unknown_value(r.id, r, "ipv6_cidr_block");
  } else if (auto v6 = text(r.values, "ipv6_cidr_block"); !v6.empty()) {
    v.ipv6_cidr_block_association_set.push_back(cidr6(r, "ipv6_cidr_block", v6));
  }
  v.owner_id = text(r.values, "owner_id");
  v.tags = tags(r);
  v.source = source();
  s_.vpcs.push_back(v);
  // What AWS makes with a VPC. When the base snapshot holds this VPC, it holds these too.
  if (p_.base) {
    for (const auto& x : p_.base->vpcs) {
      if (x.vpc_id == r.id) return;
    }
  }
  const bool created = r.id == r.address;
  auto implicit_id = [&](const char* attribute) {
    const auto known = text(r.values, attribute);
    return known.empty() || p_.unknown(r, {attribute}) ? r.address + '.' + attribute : known;
  };
  auto note = [&](const std::string& what) {
    if (created) return;
    p_.diagnostics().warn("plan-implicit-default",
                          r.address + " (" + r.id + "): its " + what +
                              " is not in the plan; read as AWS makes it (pass the live snapshot and "
                              "--plan for what it is now)",
                          p_.path(), r.address);
  };
  RouteTable main;
  main.route_table_id = implicit_id("default_route_table_id");
  main.vpc_id = r.id;
  if (v.cidr_block) {
    Route local;
    local.destination_cidr_block = v.cidr_block;
    local.gateway_id = "local";
    local.origin = "CreateRouteTable";
    local.state = "active";
    main.routes.push_back(local);
  }
  main.associations.push_back({main.route_table_id + "-main", true, std::nullopt, std::nullopt});
  main.source = source();
  s_.route_tables.push_back(main);
  s_.terraform_addresses.emplace(main.route_table_id, r.address + ".default_route_table_id");
  note("main route table");
  NetworkAcl acl;
  acl.network_acl_id = implicit_id("default_network_acl_id");
  acl.vpc_id = r.id;
  acl.is_default = true;
  for (bool egress : {false, true}) {
    NetworkAclEntry e;
    e.rule_number = 100;
    e.protocol = -1;
    e.allow = true;
    e.egress = egress;
    e.cidr_block = Ipv4Prefix::parse("0.0.0.0/0");
    acl.entries.push_back(e);
  }
  acl.source = source();
  s_.network_acls.push_back(acl);
  s_.terraform_addresses.emplace(acl.network_acl_id, r.address + ".default_network_acl_id");
  note("default network ACL");
  SecurityGroup g;
  g.group_id = implicit_id("default_security_group_id");
  g.group_name = "default";
  g.description = "default VPC security group";
  g.vpc_id = r.id;
  IpPermission self;
  self.ip_protocol = "-1";
  self.user_id_group_pairs.push_back({g.group_id, "", r.id, ""});
  g.ip_permissions.push_back(self);
  IpPermission out;
  out.ip_protocol = "-1";
  out.ip_ranges.push_back({*Ipv4Prefix::parse("0.0.0.0/0"), ""});
  g.ip_permissions_egress.push_back(out);
  g.source = source();
  s_.security_groups.push_back(g);
  s_.terraform_addresses.emplace(g.group_id, r.address + ".default_security_group_id");
  note("default security group");
}

void Converter::vpc_cidr(const Instance& r) {
  const auto id = str(r, {"vpc_id"});
  const auto c = str(r, {"cidr_block"});
  if (!id) return;
  auto* v = adopt(&Snapshot::vpcs, &Vpc::vpc_id, *id);
  if (!v) return missing(r, "VPC", *id);
  if (!c) return p_.unknown_value(*id, r, "cidr_block");
  if (auto p = cidr(r, "cidr_block", *c)) v->cidr_block_association_set.push_back({r.id, *p});
}

void Converter::vpc_ipv6_cidr(const Instance& r) {
  const auto id = str(r, {"vpc_id"});
  if (!id) return;
  auto* v = adopt(&Snapshot::vpcs, &Vpc::vpc_id, *id);
  if (!v) return missing(r, "VPC", *id);
  if (p_.unknown(r, {"ipv6_cidr_block"})) return p_.unknown_value(*id, r, "ipv6_cidr_block");
  if (auto v6 = text(r.values, "ipv6_cidr_block"); !v6.empty())
    v->ipv6_cidr_block_association_set.push_back(cidr6(r, "ipv6_cidr_block", v6));
}

void Converter::subnet(const Instance& r) {
  Subnet s;
  s.subnet_id = r.id;
  s.vpc_id = str(r, {"vpc_id"}).value_or("");
  const auto c = str(r, {"cidr_block"});
  // A /64 carved from a VPC block Amazon picks at apply is unknown until then too.
  if (p_.unknown(r, {"ipv6_cidr_block"})) {
    p_.unknown_value(r.id, r, "ipv6_cidr_block");
  } else if (auto v6 = text(r.values, "ipv6_cidr_block"); !v6.empty()) {
    s.ipv6_cidr_blocks.push_back(cidr6(r, "ipv6_cidr_block", v6));
  }
  if (!c && boolean(r.values, "ipv6_native", false) && !s.ipv6_cidr_blocks.empty()) {
    // An IPv6-only subnet has no IPv4 block.
    s.ipv6_only = true;
  } else if (!c) {
    p_.unknown_value(r.id, r, "cidr_block");
    p_.diagnostics().warn("plan-unknown-cidr",
                          r.address + ": cidr_block is unknown until apply; the subnet is left out",
                          p_.path(), r.address);
    return;
  }
  if (c) {
    auto p = cidr(r, "cidr_block", *c);
    if (!p) return;
    s.cidr_block = *p;
  }
  s.availability_zone = text(r.values, "availability_zone");
  s.tags = tags(r);
  s.source = source();
  if (boolean(r.values, "map_public_ip_on_launch", false)) maps_public_.insert(r.id);
  s_.subnets.push_back(std::move(s));
}

void Converter::internet_gateway(const Instance& r) {
  InternetGateway g;
  g.internet_gateway_id = r.id;
  if (auto v = str(r, {"vpc_id"}); v && !v->empty()) g.attachments.push_back({*v, "available"});
  g.owner_id = text(r.values, "owner_id");
  g.tags = tags(r);
  g.source = source();
  s_.internet_gateways.push_back(std::move(g));
}

void Converter::internet_gateway_attachment(const Instance& r) {
  const auto id = str(r, {"internet_gateway_id"});
  const auto vpc = str(r, {"vpc_id"});
  if (!id || !vpc) return;
  auto* g = adopt(&Snapshot::internet_gateways, &InternetGateway::internet_gateway_id, *id);
  if (!g) return missing(r, "internet gateway", *id);
  g->attachments = {{*vpc, "available"}};
}

void Converter::egress_only_gateway(const Instance& r) {
  EgressOnlyInternetGateway g;
  g.egress_only_internet_gateway_id = r.id;
  if (auto v = str(r, {"vpc_id"})) g.attachments.push_back({*v, "attached"});
  g.tags = tags(r);
  g.source = source();
  s_.egress_only_internet_gateways.push_back(std::move(g));
}

void Converter::eip(const Instance& r) {
  Address a;
  a.allocation_id = r.id;
  a.domain = "vpc";
  const auto ip = text(r.values, "public_ip");
  if (!ip.empty() && !p_.unknown(r, {"public_ip"})) {
    auto parsed = parse_ipv4(ip);
    if (!parsed) throw InputError(p_.path(), r.address, "public_ip: \"" + ip + "\" is not an IPv4 address");
    a.public_ip = *parsed;
  } else {
    a.public_ip = placeholder_public_ip();
    p_.unknown_value(r.id, r, "public_ip");
  }
  if (get(r.values, "instance") || p_.unknown(r, {"instance"})) {
    if (auto i = str(r, {"instance"}); i && !i->empty()) a.instance_id = *i;
  }
  if (get(r.values, "network_interface") || p_.unknown(r, {"network_interface"})) {
    if (auto e = str(r, {"network_interface"}); e && !e->empty()) a.network_interface_id = *e;
  }
  if (auto pip = text(r.values, "associate_with_private_ip"); !pip.empty())
    a.private_ip_address = parse_ipv4(pip);
  a.tags = tags(r);
  a.source = source();
  s_.addresses.push_back(std::move(a));
}

void Converter::eip_association(const Instance& r) {
  const auto alloc = str(r, {"allocation_id"});
  if (!alloc) return;
  auto* a = adopt(&Snapshot::addresses, &Address::allocation_id, *alloc);
  if (!a) return missing(r, "Elastic IP", *alloc);
  a->association_id = r.id;
  if (auto i = str(r, {"instance_id"}); i && !i->empty()) a->instance_id = *i;
  if (auto e = str(r, {"network_interface_id"}); e && !e->empty()) a->network_interface_id = *e;
  if (auto pip = text(r.values, "private_ip_address"); !pip.empty()) a->private_ip_address = parse_ipv4(pip);
}

void Converter::nat_gateway(const Instance& r) {
  NatGateway g;
  g.nat_gateway_id = r.id;
  g.subnet_id = str(r, {"subnet_id"}).value_or("");
  g.vpc_id = vpc_of_subnet(g.subnet_id);
  g.state = "available";
  g.connectivity_type = text(r.values, "connectivity_type", "public");
  NatGatewayAddress a;
  a.is_primary = true;
  a.network_interface_id =
      p_.unknown(r, {"network_interface_id"}) ? "" : text(r.values, "network_interface_id");
  const auto pip = text(r.values, "private_ip");
  if (!pip.empty() && !p_.unknown(r, {"private_ip"})) {
    a.private_ip = parse_ipv4(pip);
  } else {
    a.private_ip = placeholder_ip(g.subnet_id);
    p_.unknown_value(r.id, r, "private_ip");
  }
  if (g.connectivity_type != "private") {
    a.allocation_id = str(r, {"allocation_id"}).value_or("");
    const auto pub = text(r.values, "public_ip");
    if (!pub.empty() && !p_.unknown(r, {"public_ip"})) {
      a.public_ip = parse_ipv4(pub);
    } else if (const auto* e = find(&Snapshot::addresses, &Address::allocation_id, a.allocation_id)) {
      a.public_ip = e->public_ip;
    } else {
      a.public_ip = placeholder_public_ip();
      p_.unknown_value(r.id, r, "public_ip");
    }
  }
  g.nat_gateway_addresses.push_back(a);
  g.tags = tags(r);
  g.source = source();
  s_.nat_gateways.push_back(std::move(g));
}

void Converter::peering(const Instance& r) {
  VpcPeeringConnection p;
  p.vpc_peering_connection_id = r.id;
  p.requester_vpc_info.vpc_id = str(r, {"vpc_id"}).value_or("");
  p.accepter_vpc_info.vpc_id = str(r, {"peer_vpc_id"}).value_or("");
  p.accepter_vpc_info.owner_id = text(r.values, "peer_owner_id");
  p.accepter_vpc_info.region = text(r.values, "peer_region");
  const auto status = text(r.values, "accept_status");
  const bool accepted =
      status == "active" || boolean(r.values, "auto_accept", false) || accepted_.count(r.id);
  p.status_code = accepted ? "active" : "pending-acceptance";
  p.tags = tags(r);
  p.source = source();
  if (!accepted) {
    s_.not_live.push_back({"VpcPeeringConnections", r.id, p.status_code, source()});
    p_.diagnostics().note("not-live", "VPC peering " + r.address + " is not accepted in the plan: left out",
                          p_.path(), r.address);
    return;
  }
  s_.vpc_peering_connections.push_back(std::move(p));
}

void Converter::peering_accepter(const Instance& r) {
  const auto id = str(r, {"vpc_peering_connection_id"});
  if (!id) return;
  accepted_.insert(*id);
  auto* p = adopt(&Snapshot::vpc_peering_connections, &VpcPeeringConnection::vpc_peering_connection_id, *id);
  if (p) {
    p->status_code = "active";
    return;
  }
  // Accepted after its peering was read: move it out of not_live.
  for (const auto& x : p_.instances()) {
    if (x.type == "aws_vpc_peering_connection" && x.id == *id) {
      s_.not_live.erase(std::remove_if(s_.not_live.begin(), s_.not_live.end(),
                                       [&](const NotLive& n) { return n.id == *id; }),
                        s_.not_live.end());
      peering(x);
      return;
    }
  }
}

Route Converter::read_route(const Instance& r, const Path& at, const Json& block,
                            const std::string& destination_key) {
  Route route;
  const auto dest = text(block, destination_key);
  if (!dest.empty()) route.destination_cidr_block = cidr(r, destination_key, dest);
  const char* key6 = get(block, "ipv6_cidr_block") ? "ipv6_cidr_block" : "destination_ipv6_cidr_block";
  if (auto v6 = text(block, key6); !v6.empty()) route.destination_ipv6_cidr_block = cidr6(r, key6, v6);
  if (auto pl = text(block, "destination_prefix_list_id"); !pl.empty()) route.destination_prefix_list_id = pl;
  auto target = [&](const char* key) -> std::optional<std::string> {
    Path path = at;
    path.emplace_back(key);
    if (!get(block, key) && !p_.unknown(r, path)) return std::nullopt;
    auto v = str(r, path);
    if (v && v->empty()) return std::nullopt;
    return v;
  };
  route.gateway_id = target("gateway_id");
  route.nat_gateway_id = target("nat_gateway_id");
  route.network_interface_id = target("network_interface_id");
  route.vpc_peering_connection_id = target("vpc_peering_connection_id");
  route.transit_gateway_id = target("transit_gateway_id");
  route.egress_only_internet_gateway_id = target("egress_only_gateway_id");
  route.carrier_gateway_id = target("carrier_gateway_id");
  route.local_gateway_id = target("local_gateway_id");
  if (auto e = target("vpc_endpoint_id")) route.gateway_id = e;
  if (!route.gateway_id && !route.nat_gateway_id && !route.network_interface_id &&
      !route.vpc_peering_connection_id && !route.transit_gateway_id &&
      !route.egress_only_internet_gateway_id && !route.carrier_gateway_id && !route.local_gateway_id) {
    if (auto i = target("instance_id")) route.instance_id = i;
  }
  route.origin = "CreateRoute";
  route.state = "active";
  return route;
}

void Converter::add_local_routes(RouteTable& t) {
  const auto* v = find(&Snapshot::vpcs, &Vpc::vpc_id, t.vpc_id);
  if (!v) return;
  std::vector<Ipv4Prefix> cidrs;
  if (v->cidr_block) cidrs.push_back(*v->cidr_block);
  for (const auto& a : v->cidr_block_association_set) {
    if (std::find(cidrs.begin(), cidrs.end(), a.cidr_block) == cidrs.end()) cidrs.push_back(a.cidr_block);
  }
  for (const auto& c : cidrs) {
    Route local;
    local.destination_cidr_block = c;
    local.gateway_id = "local";
    local.origin = "CreateRouteTable";
    local.state = "active";
    t.routes.insert(t.routes.begin(), local);
  }
}

void Converter::inline_routes(const Instance& r, RouteTable& t) {
  std::size_t i = 0;
  for (const auto& b : blocks(r.values, "route")) {
    t.routes.push_back(read_route(r, {"route", i}, b, "cidr_block"));
    ++i;
  }
}

void Converter::route_table(const Instance& r) {
  RouteTable t;
  t.route_table_id = r.id;
  t.vpc_id = str(r, {"vpc_id"}).value_or("");
  add_local_routes(t);
  inline_routes(r, t);
  t.owner_id = text(r.values, "owner_id");
  t.tags = tags(r);
  t.source = source();
  s_.route_tables.push_back(std::move(t));
}

void Converter::default_route_table(const Instance& r) {
  const auto id = str(r, {"default_route_table_id"});
  if (!id) return;
  auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, *id);
  if (!t) return missing(r, "route table", *id);
  s_.terraform_addresses[*id] = r.address;
  // The resource manages every route but the local ones.
  t->routes.erase(std::remove_if(t->routes.begin(), t->routes.end(),
                                 [](const Route& x) { return !(x.gateway_id && *x.gateway_id == "local"); }),
                  t->routes.end());
  inline_routes(r, *t);
  t->tags = tags(r);
}

void Converter::route(const Instance& r) {
  const auto id = str(r, {"route_table_id"});
  if (!id) return;
  auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, *id);
  if (!t) return missing(r, "route table", *id);
  p_.owner = *id;
  t->routes.push_back(read_route(r, {}, r.values, "destination_cidr_block"));
  p_.owner.clear();
}

void Converter::unassociate_route_tables(const std::optional<std::string>& subnet,
                                         const std::optional<std::string>& gateway, const std::string& keep) {
  std::set<std::string> holders;
  for (const Snapshot* snap : {static_cast<const Snapshot*>(&s_), p_.base}) {
    if (!snap) continue;
    for (const auto& t : snap->route_tables) {
      for (const auto& a : t.associations) {
        if ((subnet && a.subnet_id == subnet) || (gateway && a.gateway_id == gateway))
          holders.insert(t.route_table_id);
      }
    }
  }
  for (const auto& h : holders) {
    if (h == keep) continue;
    auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, h);
    t->associations.erase(std::remove_if(t->associations.begin(), t->associations.end(),
                                         [&](const RouteTableAssociation& a) {
                                           return (subnet && a.subnet_id == subnet) ||
                                                  (gateway && a.gateway_id == gateway);
                                         }),
                          t->associations.end());
  }
}

void Converter::route_table_association(const Instance& r) {
  const auto id = str(r, {"route_table_id"});
  if (!id) return;
  auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, *id);
  if (!t) return missing(r, "route table", *id);
  RouteTableAssociation a;
  a.route_table_association_id = r.id;
  if (get(r.values, "subnet_id") || p_.unknown(r, {"subnet_id"})) a.subnet_id = str(r, {"subnet_id"});
  if (get(r.values, "gateway_id") || p_.unknown(r, {"gateway_id"})) a.gateway_id = str(r, {"gateway_id"});
  const std::string table = t->route_table_id;
  unassociate_route_tables(a.subnet_id, a.gateway_id, table);
  adopt(&Snapshot::route_tables, &RouteTable::route_table_id, table)->associations.push_back(a);
}

void Converter::main_association(const Instance& r) {
  const auto vpc = str(r, {"vpc_id"});
  const auto id = str(r, {"route_table_id"});
  if (!vpc || !id) return;
  std::vector<std::string> mains;
  for (const Snapshot* snap : {static_cast<const Snapshot*>(&s_), p_.base}) {
    if (!snap) continue;
    for (const auto& t : snap->route_tables) {
      if (t.vpc_id != *vpc) continue;
      for (const auto& a : t.associations) {
        if (a.main) mains.push_back(t.route_table_id);
      }
    }
  }
  for (const auto& m : mains) {
    auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, m);
    t->associations.erase(std::remove_if(t->associations.begin(), t->associations.end(),
                                         [](const RouteTableAssociation& a) { return a.main; }),
                          t->associations.end());
  }
  auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, *id);
  if (!t) return missing(r, "route table", *id);
  t->associations.push_back({r.id, true, std::nullopt, std::nullopt});
}

}  // namespace vpcprove::aws::terraform::resources
