// SPDX-License-Identifier: Apache-2.0
// The Terraform resource types vpcprove reads, each into the describe-* structs of aws/snapshot.h.
//
// Attribute names are the AWS provider's (https://registry.terraform.io/providers/hashicorp/aws/latest/docs).
// What AWS does beyond the attributes is done here as AWS does it: a new VPC comes with a main
// route table (local routes), a default NACL (allow all) and a default security group (all from
// itself, all out); aws_security_group removes AWS's default egress rule (the provider's
// documentation of aws_security_group); an instance without groups gets its VPC's default group.
#include <algorithm>

#include "aws/snapshot_loader.h"
#include "aws/terraform_converter.h"
#include "common/diagnostics.h"
#include "model/header_fields.h"

namespace vpcprove::aws::terraform::resources {
namespace {

const std::set<std::string>& supported_types() {
  static const std::set<std::string> types{"aws_vpc",
                                           "aws_vpc_ipv4_cidr_block_association",
                                           "aws_vpc_ipv6_cidr_block_association",
                                           "aws_subnet",
                                           "aws_route_table",
                                           "aws_route",
                                           "aws_route_table_association",
                                           "aws_main_route_table_association",
                                           "aws_default_route_table",
                                           "aws_security_group",
                                           "aws_security_group_rule",
                                           "aws_vpc_security_group_ingress_rule",
                                           "aws_vpc_security_group_egress_rule",
                                           "aws_default_security_group",
                                           "aws_network_acl",
                                           "aws_network_acl_rule",
                                           "aws_network_acl_association",
                                           "aws_default_network_acl",
                                           "aws_internet_gateway",
                                           "aws_internet_gateway_attachment",
                                           "aws_egress_only_internet_gateway",
                                           "aws_nat_gateway",
                                           "aws_eip",
                                           "aws_eip_association",
                                           "aws_instance",
                                           "aws_network_interface",
                                           "aws_network_interface_attachment",
                                           "aws_network_interface_sg_attachment",
                                           "aws_vpc_peering_connection",
                                           "aws_vpc_peering_connection_accepter",
                                           "aws_ec2_managed_prefix_list",
                                           "aws_ec2_managed_prefix_list_entry",
                                           "aws_vpc_endpoint",
                                           "aws_lb",
                                           "aws_alb",
                                           "aws_db_instance",
                                           "aws_db_subnet_group"};
  return types;
}

}  // namespace

void Converter::run() {
  std::set<std::string> unsupported;
  for (const auto& r : p_.instances()) {
    if (r.mode != "managed") continue;
    if (!supported_types().count(r.type)) unsupported.insert(r.type);
    if (!r.id.empty()) s_.terraform_addresses[r.id] = r.address;
  }
  if (!unsupported.empty()) {
    std::string list;
    for (const auto& t : unsupported) list += (list.empty() ? "" : ", ") + t;
    p_.diagnostics().warn(
        "plan-unsupported-type",
        "resource types vpcprove does not read (what they do to the network is not in the model): " + list,
        p_.path());
  }
  // Owners before what refers to them: a rule needs its group, an ENI its subnet.
  each("aws_ec2_managed_prefix_list", [&](const Instance& r) { prefix_list(r); });
  each("aws_ec2_managed_prefix_list_entry", [&](const Instance& r) { prefix_list_entry(r); });
  each("aws_vpc", [&](const Instance& r) { vpc(r); });
  each("aws_vpc_ipv4_cidr_block_association", [&](const Instance& r) { vpc_cidr(r); });
  each("aws_vpc_ipv6_cidr_block_association", [&](const Instance& r) { vpc_ipv6_cidr(r); });
  each("aws_subnet", [&](const Instance& r) { subnet(r); });
  each("aws_internet_gateway", [&](const Instance& r) { internet_gateway(r); });
  each("aws_internet_gateway_attachment", [&](const Instance& r) { internet_gateway_attachment(r); });
  each("aws_egress_only_internet_gateway", [&](const Instance& r) { egress_only_gateway(r); });
  each("aws_eip", [&](const Instance& r) { eip(r); });
  each("aws_nat_gateway", [&](const Instance& r) { nat_gateway(r); });
  each("aws_vpc_peering_connection", [&](const Instance& r) { peering(r); });
  each("aws_vpc_peering_connection_accepter", [&](const Instance& r) { peering_accepter(r); });
  each("aws_route_table", [&](const Instance& r) { route_table(r); });
  each("aws_default_route_table", [&](const Instance& r) { default_route_table(r); });
  each("aws_route", [&](const Instance& r) { route(r); });
  each("aws_route_table_association", [&](const Instance& r) { route_table_association(r); });
  each("aws_main_route_table_association", [&](const Instance& r) { main_association(r); });
  each("aws_security_group", [&](const Instance& r) { security_group(r, false); });
  each("aws_default_security_group", [&](const Instance& r) { security_group(r, true); });
  each("aws_security_group_rule", [&](const Instance& r) { security_group_rule(r); });
  each("aws_vpc_security_group_ingress_rule", [&](const Instance& r) { vpc_rule(r, false); });
  each("aws_vpc_security_group_egress_rule", [&](const Instance& r) { vpc_rule(r, true); });
  each("aws_network_acl", [&](const Instance& r) { network_acl(r, false); });
  each("aws_default_network_acl", [&](const Instance& r) { network_acl(r, true); });
  each("aws_network_acl_rule", [&](const Instance& r) { network_acl_rule(r); });
  each("aws_network_acl_association", [&](const Instance& r) { network_acl_association(r); });
  each("aws_network_interface", [&](const Instance& r) { network_interface(r); });
  each("aws_instance", [&](const Instance& r) { instance(r); });
  each("aws_network_interface_attachment", [&](const Instance& r) { eni_attachment(r); });
  each("aws_network_interface_sg_attachment", [&](const Instance& r) { eni_sg_attachment(r); });
  each("aws_eip_association", [&](const Instance& r) { eip_association(r); });
  each("aws_vpc_endpoint", [&](const Instance& r) { vpc_endpoint(r); });
  each("aws_lb", [&](const Instance& r) { load_balancer(r); });
  each("aws_alb", [&](const Instance& r) { load_balancer(r); });
  each("aws_db_instance", [&](const Instance& r) { db_instance(r); });
  for (const auto& r : p_.deleted()) deleted(r);
}

void Converter::each(const char* type, const std::function<void(const Instance&)>& f) {
  for (const auto& r : p_.instances()) {
    if (r.mode == "managed" && r.type == type) f(r);
  }
}

std::optional<std::string> Converter::str(const Instance& r, const Path& a) { return p_.string(r, a); }

std::vector<std::string> Converter::strs(const Instance& r, const Path& a) { return p_.strings(r, a); }

const Json* Converter::get(const Json& obj, const std::string& key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::string Converter::text(const Json& obj, const std::string& key, const std::string& fallback) {
  const Json* j = get(obj, key);
  return j && j->is_string() ? j->get<std::string>() : fallback;
}

std::optional<int> Converter::number(const Json& obj, const std::string& key) {
  const Json* j = get(obj, key);
  if (j && j->is_number_integer()) return j->get<int>();
  if (j && j->is_string() && !j->get<std::string>().empty()) {
    try {
      return std::stoi(j->get<std::string>());
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

bool Converter::boolean(const Json& obj, const std::string& key, bool fallback) {
  const Json* j = get(obj, key);
  return j && j->is_boolean() ? j->get<bool>() : fallback;
}

std::vector<Json> Converter::blocks(const Json& obj, const std::string& key) {
  const Json* j = get(obj, key);
  std::vector<Json> out;
  if (j && j->is_array()) out.assign(j->begin(), j->end());
  return out;
}

std::optional<Ipv4Prefix> Converter::cidr(const Instance& r, const std::string& what,
                                          const std::string& value) const {
  auto p = value.find('/') == std::string::npos ? std::nullopt : Ipv4Prefix::parse(value);
  if (!p) {
    throw InputError(
        p_.path(), r.address,
        what + ": \"" + value + "\" is not an IPv4 CIDR block" +
            (looks_like_ipv6(value) ? " (it is IPv6: an IPv6 block goes in the IPv6 attribute)" : ""));
  }
  return p;
}

Ipv6Prefix Converter::cidr6(const Instance& r, const std::string& what, const std::string& value) const {
  auto p = value.find('/') == std::string::npos ? std::nullopt : Ipv6Prefix::parse(value);
  if (!p) {
    throw InputError(
        p_.path(), r.address,
        what + ": \"" + value + "\" is not an IPv6 CIDR block" +
            (looks_like_ipv6(value) ? "" : " (it is IPv4: an IPv4 block goes in the IPv4 attribute)"));
  }
  return *p;
}

Tags Converter::tags(const Instance& r) const {
  Tags t;
  for (const char* key : {"tags_all", "tags"}) {
    const Json* j = get(r.values, key);
    if (!j || !j->is_object()) continue;
    for (const auto& [k, v] : j->items()) {
      if (v.is_string()) t.emplace(k, v.get<std::string>());
    }
  }
  return t;
}

Source Converter::source() const { return p_.source(); }

void Converter::missing(const Instance& r, const std::string& what, const std::string& id) {
  p_.diagnostics().warn(
      "dangling-reference",
      r.address + " -> " + id + ": the " + what + " is neither in the plan nor in the snapshot", p_.path(),
      r.address);
}

std::string Converter::vpc_of_subnet(const std::string& subnet_id) const {
  const auto* s = find(&Snapshot::subnets, &Subnet::subnet_id, subnet_id);
  return s ? s->vpc_id : "";
}

std::optional<Ipv4Address> Converter::placeholder_ip(const std::string& subnet_id) {
  const auto* s = find(&Snapshot::subnets, &Subnet::subnet_id, subnet_id);
  if (!s) return std::nullopt;
  std::set<Ipv4Address> used;
  auto collect = [&](const Snapshot& snap) {
    for (const auto& e : snap.network_interfaces) {
      for (const auto& a : e.private_ip_addresses) used.insert(a.private_ip_address);
    }
    for (const auto& i : snap.instances) {
      for (const auto& e : i.network_interfaces) {
        for (const auto& a : e.private_ip_addresses) used.insert(a.private_ip_address);
      }
    }
    for (const auto& g : snap.nat_gateways) {
      for (const auto& a : g.nat_gateway_addresses) {
        if (a.private_ip) used.insert(*a.private_ip);
      }
    }
  };
  collect(s_);
  if (p_.base) collect(*p_.base);
  for (Ipv4Address a = s->cidr_block.first() + 4; a < s->cidr_block.last(); ++a) {
    if (!used.count(a)) return a;
  }
  return std::nullopt;
}

Ipv4Address Converter::placeholder_public_ip() { return *parse_ipv4("198.18.0.0") + ++public_placeholders_; }

std::optional<std::string> Converter::default_group(const std::string& vpc_id) const {
  for (const auto& r : p_.instances()) {
    if (r.type == "aws_vpc" && r.id == vpc_id) {
      const auto v = text(r.values, "default_security_group_id");
      return v.empty() ? r.address + ".default_security_group_id" : v;
    }
  }
  for (const Snapshot* snap : {static_cast<const Snapshot*>(&s_), p_.base}) {
    if (!snap) continue;
    for (const auto& g : snap->security_groups) {
      if (g.vpc_id == vpc_id && g.group_name == "default") return g.group_id;
    }
  }
  return std::nullopt;
}

}  // namespace vpcprove::aws::terraform::resources

namespace vpcprove::aws::terraform {

void convert_resources(Plan& plan) { resources::Converter(plan).run(); }

}  // namespace vpcprove::aws::terraform
