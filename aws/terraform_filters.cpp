// SPDX-License-Identifier: Apache-2.0
// Terraform security groups and their rules, network ACLs and their rules, and deleted rules.
#include <algorithm>

#include "aws/snapshot_loader.h"
#include "aws/terraform_converter.h"
#include "common/diagnostics.h"
#include "model/header_fields.h"

namespace vpcprove::aws::terraform::resources {

IpPermission Converter::permission(const Instance& r, const Path& at, const Json& block,
                                   const std::string& own_id) {
  IpPermission p;
  const auto protocol = text(block, "protocol", text(block, "ip_protocol", "-1"));
  const auto parsed = model::parse_protocol(protocol);
  if (!parsed) throw InputError(p_.path(), r.address, "protocol \"" + protocol + "\" is not an IP protocol");
  p.ip_protocol = *parsed == -1                                                  ? "-1"
                  : protocol == "tcp" || protocol == "udp" || protocol == "icmp" ? protocol
                                                                                 : std::to_string(*parsed);
  if (*parsed == 6) p.ip_protocol = "tcp";
  if (*parsed == 17) p.ip_protocol = "udp";
  if (*parsed == 1) p.ip_protocol = "icmp";
  if (*parsed != -1) {
    p.from_port = number(block, "from_port");
    p.to_port = number(block, "to_port");
  }
  auto sub = [&](const char* key) {
    Path path = at;
    path.emplace_back(key);
    return path;
  };
  for (const char* key : {"cidr_blocks", "cidr_ipv4"}) {
    if (!get(block, key) && !p_.unknown(r, sub(key))) continue;
    for (const auto& c : strs(r, sub(key))) {
      if (auto pre = cidr(r, key, c)) p.ip_ranges.push_back({*pre, ""});
    }
  }
  for (const char* key : {"ipv6_cidr_blocks", "cidr_ipv6"}) {
    if (!get(block, key) && !p_.unknown(r, sub(key))) continue;
    for (const auto& c : strs(r, sub(key))) p.ipv6_ranges.push_back({cidr6(r, key, c), ""});
  }
  for (const char* key : {"prefix_list_ids", "prefix_list_id"}) {
    if (!get(block, key) && !p_.unknown(r, sub(key))) continue;
    for (const auto& id : strs(r, sub(key))) p.prefix_list_ids.push_back({id, ""});
  }
  for (const char* key : {"security_groups", "source_security_group_id", "referenced_security_group_id"}) {
    if (!get(block, key) && !p_.unknown(r, sub(key))) continue;
    for (const auto& id : strs(r, sub(key))) p.user_id_group_pairs.push_back({id, "", "", ""});
  }
  if (boolean(block, "self", false)) p.user_id_group_pairs.push_back({own_id, "", "", ""});
  return p;
}

void Converter::security_group(const Instance& r, bool is_default) {
  SecurityGroup g;
  g.group_id = r.id;
  g.vpc_id = str(r, {"vpc_id"}).value_or("");
  if (is_default) {
    // aws_default_security_group adopts the VPC's default group and manages its rules.
    const auto existing = p_.unknown(r, {"id"}) || r.id == r.address ? default_group(g.vpc_id)
                                                                     : std::optional<std::string>(r.id);
    if (!existing) return missing(r, "default security group of", g.vpc_id);
    g.group_id = *existing;
    s_.terraform_addresses[g.group_id] = r.address;
    s_.security_groups.erase(std::remove_if(s_.security_groups.begin(), s_.security_groups.end(),
                                            [&](const SecurityGroup& x) { return x.group_id == g.group_id; }),
                             s_.security_groups.end());
    g.group_name = "default";
  } else {
    g.group_name = text(r.values, "name", r.name);
  }
  g.description = text(r.values, "description");
  std::size_t i = 0;
  for (const auto& b : blocks(r.values, "ingress"))
    g.ip_permissions.push_back(permission(r, {"ingress", i++}, b, g.group_id));
  i = 0;
  for (const auto& b : blocks(r.values, "egress"))
    g.ip_permissions_egress.push_back(permission(r, {"egress", i++}, b, g.group_id));
  g.owner_id = text(r.values, "owner_id");
  g.tags = tags(r);
  g.source = source();
  s_.security_groups.push_back(std::move(g));
}

void Converter::add_permission(SecurityGroup& g, bool egress, IpPermission p) {
  auto& list = egress ? g.ip_permissions_egress : g.ip_permissions;
  list.push_back(std::move(p));
}

void Converter::security_group_rule(const Instance& r) {
  const auto id = str(r, {"security_group_id"});
  if (!id) return;
  auto* g = adopt(&Snapshot::security_groups, &SecurityGroup::group_id, *id);
  if (!g) return missing(r, "security group", *id);
  const bool egress = text(r.values, "type") == "egress";
  p_.owner = *id;
  auto p = permission(r, {}, r.values, *id);
  p_.owner.clear();
  adopt(&Snapshot::security_groups, &SecurityGroup::group_id, *id);
  add_permission(*adopt(&Snapshot::security_groups, &SecurityGroup::group_id, *id), egress, std::move(p));
}

void Converter::vpc_rule(const Instance& r, bool egress) {
  const auto id = str(r, {"security_group_id"});
  if (!id) return;
  if (!adopt(&Snapshot::security_groups, &SecurityGroup::group_id, *id))
    return missing(r, "security group", *id);
  p_.owner = *id;
  auto p = permission(r, {}, r.values, *id);
  p_.owner.clear();
  add_permission(*adopt(&Snapshot::security_groups, &SecurityGroup::group_id, *id), egress, std::move(p));
}

const Instance* Converter::replacement(const std::string& address) const {
  for (const auto& x : p_.instances()) {
    if (x.address == address) return &x;
  }
  return nullptr;
}

void Converter::deleted(const Instance& r) {
  if (r.type == "aws_route") return deleted_route(r);
  if (r.type == "aws_network_acl_rule") return deleted_nacl_rule(r);
  if (r.type == "aws_route_table_association") return deleted_route_table_association(r);
  if (r.type == "aws_network_acl_association") return deleted_nacl_association(r);
  deleted_rule(r);
}

void Converter::deleted_route(const Instance& r) {
  const auto id = text(r.values, "route_table_id");
  if (id.empty()) return;
  auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, id);
  if (!t) return;
  const Instance* again = replacement(r.address);
  const Route gone = read_route(r, {}, r.values, "destination_cidr_block");
  std::optional<Route> kept;
  if (again) kept = read_route(*again, {}, again->values, "destination_cidr_block");
  const auto same_destination = [](const Route& a, const Route& b) {
    return a.destination_cidr_block == b.destination_cidr_block &&
           a.destination_ipv6_cidr_block == b.destination_ipv6_cidr_block &&
           a.destination_prefix_list_id == b.destination_prefix_list_id;
  };
  const auto before = t->routes.size();
  t->routes.erase(std::remove_if(t->routes.begin(), t->routes.end(),
                                 [&](const Route& x) { return same_destination(x, gone); }),
                  t->routes.end());
  if (kept && same_destination(*kept, gone)) t->routes.push_back(*kept);
  if (t->routes.size() == before && !kept) {
    p_.diagnostics().warn("plan-deleted-route-not-found",
                          r.address + " is deleted but " + id + " has no route to its destination", p_.path(),
                          r.address);
  }
}

void Converter::deleted_nacl_rule(const Instance& r) {
  const auto id = text(r.values, "network_acl_id");
  if (id.empty()) return;
  auto* acl = adopt(&Snapshot::network_acls, &NetworkAcl::network_acl_id, id);
  if (!acl) return;
  const bool egress = boolean(r.values, "egress", false);
  const auto rule = number(r.values, "rule_number");
  if (!rule) return;
  const Instance* again = replacement(r.address);
  std::optional<NetworkAclEntry> kept;
  if (again)
    kept =
        entry(*again, again->values, boolean(again->values, "egress", false), "rule_number", "rule_action");
  const auto before = acl->entries.size();
  acl->entries.erase(
      std::remove_if(acl->entries.begin(), acl->entries.end(),
                     [&](const NetworkAclEntry& e) { return e.rule_number == *rule && e.egress == egress; }),
      acl->entries.end());
  if (kept && kept->rule_number == *rule && kept->egress == egress) acl->entries.push_back(*kept);
  if (acl->entries.size() == before && !kept) {
    p_.diagnostics().warn("plan-deleted-rule-not-found",
                          r.address + " is deleted but " + id + " has no " + (egress ? "egress" : "ingress") +
                              " rule " + std::to_string(*rule),
                          p_.path(), r.address);
  }
}

void Converter::deleted_route_table_association(const Instance& r) {
  if (replacement(r.address)) return;  // the create re-associated it
  const auto subnet = text(r.values, "subnet_id");
  const auto gateway = text(r.values, "gateway_id");
  if (subnet.empty() && gateway.empty()) return;
  unassociate_route_tables(subnet.empty() ? std::nullopt : std::optional<std::string>(subnet),
                           gateway.empty() ? std::nullopt : std::optional<std::string>(gateway), "");
}

void Converter::deleted_nacl_association(const Instance& r) {
  if (replacement(r.address)) return;
  const auto subnet = text(r.values, "subnet_id");
  if (subnet.empty()) return;
  const auto vpc = vpc_of_subnet(subnet);
  std::string default_acl;  // found first: associate_nacl adopts ACLs into the plan's lists
  for (const Snapshot* snap : {static_cast<const Snapshot*>(&s_), p_.base}) {
    if (!snap || !default_acl.empty()) continue;
    for (const auto& a : snap->network_acls) {
      if (a.is_default && a.vpc_id == vpc) default_acl = a.network_acl_id;
    }
  }
  if (!default_acl.empty()) associate_nacl(subnet, default_acl, "");
}

void Converter::deleted_rule(const Instance& r) {
  const bool classic = r.type == "aws_security_group_rule";
  if (!classic && r.type != "aws_vpc_security_group_ingress_rule" &&
      r.type != "aws_vpc_security_group_egress_rule")
    return;
  const auto id = text(r.values, "security_group_id");
  if (id.empty()) return;
  // Replaced (delete then create) with the same content: the create put it back already.
  for (const auto& x : p_.instances()) {
    if (x.address == r.address) return;
  }
  auto* g = adopt(&Snapshot::security_groups, &SecurityGroup::group_id, id);
  if (!g) return;
  const bool egress =
      classic ? text(r.values, "type") == "egress" : r.type == "aws_vpc_security_group_egress_rule";
  const auto gone = permission(r, {}, r.values, id);
  auto& list = egress ? g->ip_permissions_egress : g->ip_permissions;
  const auto same_l4 = [&](const IpPermission& x) {
    const auto proto = model::parse_protocol(x.ip_protocol);
    return proto == model::parse_protocol(gone.ip_protocol) &&
           (proto == -1 || (x.from_port == gone.from_port && x.to_port == gone.to_port));
  };
  // AWS prints the rules of one protocol and port range as one permission with several peers (the
  // IPv4 and IPv6 ranges of a dual-stack rule together); a rule resource is one or a few of those
  // peers, so only they go, and a permission goes when no peer is left.
  bool found = false;
  const auto drop = [&found](auto& peers, const auto& gone_peers, auto key) {
    const auto n = peers.size();
    peers.erase(std::remove_if(peers.begin(), peers.end(),
                               [&](const auto& p) {
                                 return std::any_of(gone_peers.begin(), gone_peers.end(),
                                                    [&](const auto& q) { return key(p) == key(q); });
                               }),
                peers.end());
    found = found || peers.size() != n;
    return peers.size() != n;
  };
  std::vector<bool> emptied(list.size(), false);
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto& x = list[i];
    if (!same_l4(x)) continue;
    bool touched = drop(x.ip_ranges, gone.ip_ranges, [](const IpRange& c) { return c.cidr_ip; });
    touched =
        drop(x.ipv6_ranges, gone.ipv6_ranges, [](const Ipv6Range& c) { return c.cidr_ipv6; }) || touched;
    touched = drop(x.user_id_group_pairs, gone.user_id_group_pairs,
                   [](const UserIdGroupPair& c) { return c.group_id; }) ||
              touched;
    touched = drop(x.prefix_list_ids, gone.prefix_list_ids,
                   [](const PrefixListId& c) { return c.prefix_list_id; }) ||
              touched;
    emptied[i] = touched && x.ip_ranges.empty() && x.ipv6_ranges.empty() && x.user_id_group_pairs.empty() &&
                 x.prefix_list_ids.empty();
  }
  std::size_t i = 0;
  list.erase(std::remove_if(list.begin(), list.end(), [&](const IpPermission&) { return emptied[i++]; }),
             list.end());
  if (!found) {
    p_.diagnostics().warn("plan-deleted-rule-not-found",
                          r.address + " is deleted but no equal rule of " + id + " is in the snapshot",
                          p_.path(), r.address);
  }
}

NetworkAclEntry Converter::entry(const Instance& r, const Json& b, bool egress, const char* number_key,
                                 const char* action_key) {
  NetworkAclEntry e;
  const auto n = number(b, number_key);
  if (!n || *n < 1 || *n > 32767)
    throw InputError(p_.path(), r.address, std::string(number_key) + " is not a rule number");
  e.rule_number = *n;
  const auto protocol = text(b, "protocol", "-1");
  const auto parsed = model::parse_protocol(protocol);
  if (!parsed) throw InputError(p_.path(), r.address, "protocol \"" + protocol + "\" is not an IP protocol");
  e.protocol = *parsed;
  e.allow = text(b, action_key) == "allow";
  e.egress = egress;
  if (auto c = text(b, "cidr_block"); !c.empty()) e.cidr_block = cidr(r, "cidr_block", c);
  if (auto c6 = text(b, "ipv6_cidr_block"); !c6.empty()) e.ipv6_cidr_block = cidr6(r, "ipv6_cidr_block", c6);
  if (e.protocol == 6 || e.protocol == 17)
    e.port_range = PortRangeFromTo{number(b, "from_port").value_or(0), number(b, "to_port").value_or(65535)};
  if (e.protocol == 1 || e.protocol == 58)
    e.icmp_type_code = IcmpTypeCode{number(b, "icmp_type").value_or(-1), number(b, "icmp_code").value_or(-1)};
  return e;
}

void Converter::associate_nacl(const std::string& subnet, const std::string& acl_id,
                               const std::string& association_id) {
  std::set<std::string> holders;
  for (const Snapshot* snap : {static_cast<const Snapshot*>(&s_), p_.base}) {
    if (!snap) continue;
    for (const auto& a : snap->network_acls) {
      for (const auto& x : a.associations) {
        if (x.subnet_id == subnet) holders.insert(a.network_acl_id);
      }
    }
  }
  for (const auto& h : holders) {
    auto* a = adopt(&Snapshot::network_acls, &NetworkAcl::network_acl_id, h);
    a->associations.erase(
        std::remove_if(a->associations.begin(), a->associations.end(),
                       [&](const NetworkAclAssociation& x) { return x.subnet_id == subnet; }),
        a->associations.end());
  }
  if (auto* a = adopt(&Snapshot::network_acls, &NetworkAcl::network_acl_id, acl_id)) {
    a->associations.push_back({association_id, subnet});
  }
}

void Converter::network_acl(const Instance& r, bool is_default) {
  NetworkAcl acl;
  acl.network_acl_id = r.id;
  acl.vpc_id = str(r, {"vpc_id"}).value_or("");
  if (is_default) {
    const auto id = str(r, {"default_network_acl_id"});
    if (!id) return;
    acl.network_acl_id = *id;
    acl.is_default = true;
    s_.terraform_addresses[*id] = r.address;
    if (const auto* old = find(&Snapshot::network_acls, &NetworkAcl::network_acl_id, *id)) {
      acl.vpc_id = old->vpc_id;
      acl.associations = old->associations;
    }
    s_.network_acls.erase(std::remove_if(s_.network_acls.begin(), s_.network_acls.end(),
                                         [&](const NetworkAcl& x) { return x.network_acl_id == *id; }),
                          s_.network_acls.end());
  }
  for (const auto& b : blocks(r.values, "ingress"))
    acl.entries.push_back(entry(r, b, false, "rule_no", "action"));
  for (const auto& b : blocks(r.values, "egress"))
    acl.entries.push_back(entry(r, b, true, "rule_no", "action"));
  acl.tags = tags(r);
  acl.source = source();
  const std::string id = acl.network_acl_id;
  s_.network_acls.push_back(std::move(acl));
  if (get(r.values, "subnet_ids") || p_.unknown(r, {"subnet_ids"})) {
    for (const auto& subnet : strs(r, {"subnet_ids"})) associate_nacl(subnet, id, r.id + ":" + subnet);
  }
}

void Converter::network_acl_rule(const Instance& r) {
  const auto id = str(r, {"network_acl_id"});
  if (!id) return;
  auto* acl = adopt(&Snapshot::network_acls, &NetworkAcl::network_acl_id, *id);
  if (!acl) return missing(r, "network ACL", *id);
  acl->entries.push_back(
      entry(r, r.values, boolean(r.values, "egress", false), "rule_number", "rule_action"));
}

void Converter::network_acl_association(const Instance& r) {
  const auto id = str(r, {"network_acl_id"});
  const auto subnet = str(r, {"subnet_id"});
  if (!id || !subnet) return;
  if (!find(&Snapshot::network_acls, &NetworkAcl::network_acl_id, *id)) return missing(r, "network ACL", *id);
  associate_nacl(*subnet, *id, r.id);
}

}  // namespace vpcprove::aws::terraform::resources
