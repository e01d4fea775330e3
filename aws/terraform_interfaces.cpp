// SPDX-License-Identifier: Apache-2.0
// Terraform ENIs and what owns them: instances, load balancers, databases, endpoints, Elastic IPs.
#include <algorithm>

#include "aws/snapshot_loader.h"
#include "aws/terraform_converter.h"
#include "common/diagnostics.h"
#include "model/header_fields.h"

namespace vpcprove::aws::terraform::resources {

NetworkInterface Converter::new_eni(const std::string& id, const std::string& subnet_id, const Instance& r) {
  NetworkInterface e;
  e.network_interface_id = id;
  e.subnet_id = subnet_id;
  e.vpc_id = vpc_of_subnet(subnet_id);
  if (const auto* s = find(&Snapshot::subnets, &Subnet::subnet_id, subnet_id))
    e.availability_zone = s->availability_zone;
  e.interface_type = "interface";
  e.status = "in-use";
  e.tags = tags(r);
  e.source = source();
  return e;
}

void Converter::set_address(NetworkInterface& e, const Instance& r, const std::string& key,
                            const std::string& id_for_unknown) {
  const auto ip = text(r.values, key);
  std::optional<Ipv4Address> a;
  if (!ip.empty() && !p_.unknown(r, {key})) {
    a = parse_ipv4(ip);
    if (!a) throw InputError(p_.path(), r.address, key + ": \"" + ip + "\" is not an IPv4 address");
  } else {
    a = placeholder_ip(e.subnet_id);
    p_.unknown_value(id_for_unknown, r, key);
  }
  if (!a) {
    p_.diagnostics().warn("plan-no-address", r.address + ": no address left in " + e.subnet_id, p_.path(),
                          r.address);
    return;
  }
  e.private_ip_address = a;
  e.private_ip_addresses.push_back({*a, true, std::nullopt});
}

void Converter::set_groups(NetworkInterface& e, const Instance& r, const char* key) {
  if (get(r.values, key) || p_.unknown(r, {key})) {
    p_.owner = e.network_interface_id;
    for (const auto& g : strs(r, {key})) e.groups.push_back({g, ""});
    p_.owner.clear();
  }
  if (e.groups.empty()) {
    if (auto d = default_group(e.vpc_id)) e.groups.push_back({*d, "default"});
  }
}

void Converter::public_address(NetworkInterface& e, const Instance& r, bool maybe_public) {
  const auto ip = text(r.values, "public_ip");
  if (!ip.empty() && !p_.unknown(r, {"public_ip"})) {
    e.association_public_ip = parse_ipv4(ip);
  } else if (maybe_public) {
    e.association_public_ip = placeholder_public_ip();
    p_.unknown_value(e.network_interface_id, r, "public_ip");
  }
  if (e.association_public_ip && !e.private_ip_addresses.empty()) {
    e.private_ip_addresses.front().association_public_ip = e.association_public_ip;
  }
}

void Converter::network_interface(const Instance& r) {
  auto e = new_eni(r.id, str(r, {"subnet_id"}).value_or(""), r);
  const Json* ips = get(r.values, "private_ips");
  if (ips && ips->is_array() && !ips->empty() && !p_.unknown(r, {"private_ips"})) {
    bool first = true;
    for (const auto& x : *ips) {
      if (!x.is_string()) continue;
      auto a = parse_ipv4(x.get<std::string>());
      if (!a)
        throw InputError(p_.path(), r.address,
                         "private_ips: \"" + x.get<std::string>() + "\" is not an IPv4 address");
      if (first) e.private_ip_address = a;
      e.private_ip_addresses.push_back({*a, first, std::nullopt});
      first = false;
    }
  } else {
    set_address(e, r, "private_ip", r.id);
  }
  set_groups(e, r, "security_groups");
  e.source_dest_check = boolean(r.values, "source_dest_check", true);
  e.status = "available";
  for (const auto& a : blocks(r.values, "attachment")) {
    e.attachment = NetworkInterfaceAttachment{text(a, "instance"), number(a, "device_index"), "attached"};
    e.status = "in-use";
  }
  s_.network_interfaces.push_back(std::move(e));
}

void Converter::instance(const Instance& r) {
  Instance_ i;
  i.instance_id = r.id;
  i.state_name = text(r.values, "instance_state", "running");
  if (i.state_name == "pending") i.state_name = "running";
  i.subnet_id = str(r, {"subnet_id"}).value_or("");
  i.vpc_id = vpc_of_subnet(i.subnet_id);
  i.tags = tags(r);
  i.source = source();
  if (i.state_name != "running") {
    s_.not_live.push_back({"Reservations", r.id, i.state_name, source()});
    return;
  }
  const auto attached = blocks(r.values, "network_interface");
  bool primary_attached = false;
  for (const auto& a : attached) primary_attached |= number(a, "device_index").value_or(-1) == 0;
  if (!primary_attached) {
    std::string eni_id = text(r.values, "primary_network_interface_id");
    if (eni_id.empty() || p_.unknown(r, {"primary_network_interface_id"}))
      eni_id = r.address + ".primary_network_interface_id";
    s_.terraform_addresses.emplace(eni_id, r.address + ".primary_network_interface_id");
    auto e = new_eni(eni_id, i.subnet_id, r);
    set_address(e, r, "private_ip", eni_id);
    const Json* secondary = get(r.values, "secondary_private_ips");
    if (secondary && secondary->is_array()) {
      for (const auto& x : *secondary) {
        if (auto a = x.is_string() ? parse_ipv4(x.get<std::string>()) : std::nullopt) {
          e.private_ip_addresses.push_back({*a, false, std::nullopt});
        }
      }
    }
    set_groups(e, r, "vpc_security_group_ids");
    e.source_dest_check = boolean(r.values, "source_dest_check", true);
    const Json* assoc = get(r.values, "associate_public_ip_address");
    const bool maybe_public =
        assoc && assoc->is_boolean() ? assoc->get<bool>() : maps_public_.count(i.subnet_id) > 0;
    public_address(e, r,
                   maybe_public && !p_.unknown(r, {"associate_public_ip_address"}) ? true : maybe_public);
    e.attachment = NetworkInterfaceAttachment{r.id, 0, "attached"};
    i.private_ip_address = e.private_ip_address;
    i.public_ip_address = e.association_public_ip;
    i.security_groups = e.groups;
    i.network_interfaces.push_back(std::move(e));
  }
  for (const auto& a : attached) {
    const auto id = text(a, "network_interface_id");
    if (id.empty()) continue;
    if (auto* e = adopt(&Snapshot::network_interfaces, &NetworkInterface::network_interface_id, id)) {
      e->attachment = NetworkInterfaceAttachment{r.id, number(a, "device_index"), "attached"};
      e->status = "in-use";
    } else {
      missing(r, "network interface", id);
    }
  }
  s_.instances.push_back(std::move(i));
}

void Converter::eni_attachment(const Instance& r) {
  const auto eni = str(r, {"network_interface_id"});
  const auto inst = str(r, {"instance_id"});
  if (!eni || !inst) return;
  auto* e = adopt(&Snapshot::network_interfaces, &NetworkInterface::network_interface_id, *eni);
  if (!e) return missing(r, "network interface", *eni);
  e->attachment = NetworkInterfaceAttachment{*inst, number(r.values, "device_index"), "attached"};
  e->status = "in-use";
}

void Converter::eni_sg_attachment(const Instance& r) {
  const auto eni = str(r, {"network_interface_id"});
  const auto sg = str(r, {"security_group_id"});
  if (!eni || !sg) return;
  if (auto* e = adopt(&Snapshot::network_interfaces, &NetworkInterface::network_interface_id, *eni)) {
    e->groups.push_back({*sg, ""});
    return;
  }
  for (auto& i : s_.instances) {
    for (auto& e : i.network_interfaces) {
      if (e.network_interface_id == *eni) e.groups.push_back({*sg, ""});
    }
  }
}

std::vector<std::string> Converter::service_enis(const Instance& r, const std::vector<std::string>& subnets,
                                                 const std::string& description, const std::string& type,
                                                 const std::vector<std::string>& groups, bool groupless,
                                                 bool maybe_public) {
  std::vector<std::string> ids;
  std::size_t k = 0;
  for (const auto& subnet : subnets) {
    const std::string id = r.address + ".network_interface[" + std::to_string(k++) + "]";
    auto e = new_eni(id, subnet, r);
    e.description = description;
    e.interface_type = type;
    e.requester_managed = true;
    e.attachment = NetworkInterfaceAttachment{std::nullopt, 1, "attached"};
    auto a = placeholder_ip(subnet);
    if (!a) continue;
    e.private_ip_address = a;
    e.private_ip_addresses.push_back({*a, true, std::nullopt});
    p_.unknown_value(id, r, "network_interface[" + std::to_string(k - 1) + "].private_ip");
    for (const auto& g : groups) e.groups.push_back({g, ""});
    if (e.groups.empty() && !groupless) {
      if (auto d = default_group(e.vpc_id)) e.groups.push_back({*d, "default"});
    }
    if (maybe_public) {
      e.association_public_ip = placeholder_public_ip();
      e.private_ip_addresses.front().association_public_ip = e.association_public_ip;
      p_.unknown_value(id, r, "network_interface[" + std::to_string(k - 1) + "].public_ip");
    }
    s_.terraform_addresses.emplace(id, id);
    s_.network_interfaces.push_back(std::move(e));
    ids.push_back(id);
  }
  return ids;
}

void Converter::vpc_endpoint(const Instance& r) {
  VpcEndpoint v;
  v.vpc_endpoint_id = r.id;
  v.vpc_endpoint_type = text(r.values, "vpc_endpoint_type", "Gateway");
  v.vpc_id = str(r, {"vpc_id"}).value_or("");
  v.service_name = text(r.values, "service_name");
  v.state = "available";
  if (get(r.values, "route_table_ids") || p_.unknown(r, {"route_table_ids"}))
    v.route_table_ids = strs(r, {"route_table_ids"});
  if (get(r.values, "subnet_ids") || p_.unknown(r, {"subnet_ids"})) v.subnet_ids = strs(r, {"subnet_ids"});
  std::vector<std::string> groups;
  if (get(r.values, "security_group_ids") || p_.unknown(r, {"security_group_ids"}))
    groups = strs(r, {"security_group_ids"});
  for (const auto& g : groups) v.groups.push_back({g, ""});
  if (v.vpc_endpoint_type == "Interface") {
    v.network_interface_ids =
        service_enis(r, v.subnet_ids, "VPC Endpoint Interface " + r.id, "vpc_endpoint", groups, false, false);
  }
  v.tags = tags(r);
  v.source = source();
  s_.vpc_endpoints.push_back(std::move(v));
}

void Converter::load_balancer(const Instance& r) {
  const auto type = text(r.values, "load_balancer_type", "application");
  std::vector<std::string> subnets;
  if (get(r.values, "subnets") || p_.unknown(r, {"subnets"})) subnets = strs(r, {"subnets"});
  std::size_t i = 0;
  for (const auto& m : blocks(r.values, "subnet_mapping")) {
    if (auto s = str(r, {"subnet_mapping", i++, "subnet_id"});
        s && std::find(subnets.begin(), subnets.end(), *s) == subnets.end()) {
      subnets.push_back(*s);
    }
    (void)m;
  }
  std::vector<std::string> groups;
  if (get(r.values, "security_groups") || p_.unknown(r, {"security_groups"}))
    groups = strs(r, {"security_groups"});
  const std::string prefix = type == "network" ? "net/" : type == "gateway" ? "gwy/" : "app/";
  const std::string eni_type = type == "network"   ? "network_load_balancer"
                               : type == "gateway" ? "gateway_load_balancer"
                                                   : "interface";
  // A Network Load Balancer made without groups filters nothing (docs/cli-contract.md).
  service_enis(r, subnets, "ELB " + prefix + text(r.values, "name", r.name), eni_type, groups,
               type != "application", !boolean(r.values, "internal", false));
}

void Converter::db_instance(const Instance& r) {
  const auto group_name = text(r.values, "db_subnet_group_name");
  std::vector<std::string> subnets;
  for (const auto& g : p_.instances()) {
    if (g.type != "aws_db_subnet_group") continue;
    if (text(g.values, "name") == group_name || g.id == group_name ||
        (group_name.empty() && p_.unknown(r, {"db_subnet_group_name"}))) {
      subnets = strs(g, {"subnet_ids"});
      break;
    }
  }
  if (subnets.empty()) {
    p_.diagnostics().warn(
        "plan-db-without-subnets",
        r.address + ": its DB subnet group " + group_name + " is not in the plan; the database is left out",
        p_.path(), r.address);
    return;
  }
  std::vector<std::string> groups;
  if (get(r.values, "vpc_security_group_ids") || p_.unknown(r, {"vpc_security_group_ids"}))
    groups = strs(r, {"vpc_security_group_ids"});
  // AWS places the database in one subnet of the group; which one is known after apply.
  subnets.resize(1);
  service_enis(r, subnets, "RDSNetworkInterface", "interface", groups, false,
               boolean(r.values, "publicly_accessible", false));
}

}  // namespace vpcprove::aws::terraform::resources
