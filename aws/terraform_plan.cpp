// SPDX-License-Identifier: Apache-2.0
// Reading `terraform show -json` output: instances, changes, and references through the configuration.
#include "aws/terraform_plan.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "aws/terraform_address.h"
#include "aws/terraform_plan_internal.h"
#include "common/diagnostics.h"

namespace vpcprove::aws {

namespace terraform {

namespace {

bool has_action(const std::vector<std::string>& actions, const char* a) {
  return std::find(actions.begin(), actions.end(), a) != actions.end();
}

}  // namespace

std::string type_of_address(const std::string& address) {
  const auto s = segments(address);
  std::size_t i = 0;
  while (i + 1 < s.size() && s[i] == "module") i += 2;
  if (i < s.size() && s[i] == "data") ++i;
  return i < s.size() ? split_index(s[i]).first : std::string{};
}

Plan::Plan(const std::string& path, const Json& document) : path_(path), doc_(document) {
  out_.path = path;
  out_.files.push_back(path);
  std::map<std::string, const Json*> changes;
  if (auto it = doc_.find("resource_changes"); it != doc_.end() && it->is_array()) {
    for (const auto& c : *it) {
      if (!c.is_object() || !c.contains("address") || !c["address"].is_string()) {
        throw InputError(path_, "", "resource_changes holds an entry without an address");
      }
      changes[c["address"].get<std::string>()] = &c;
    }
  }
  auto add = [&](const Json& r, const std::string& module, bool from_prior) {
    if (!r.is_object() || !r.contains("address") || !r["address"].is_string() || !r.contains("type") ||
        !r["type"].is_string()) {
      throw InputError(path_, module, "a resource without a string address and type");
    }
    Instance x;
    x.address = r["address"].get<std::string>();
    if (by_address_.count(x.address)) return;
    x.module = module;
    x.mode = r.value("mode", "managed");
    x.type = r["type"].get<std::string>();
    x.name = r.value("name", "");
    x.index = r.contains("index") ? r["index"] : Json(nullptr);
    x.values = r.contains("values") && r["values"].is_object() ? r["values"] : Json::object();
    if (auto c = changes.find(x.address); c != changes.end() && !from_prior) {
      const auto& change = (*c->second)["change"];
      if (change.contains("after_unknown")) x.after_unknown = change["after_unknown"];
      if (change.contains("actions") && change["actions"].is_array()) {
        for (const auto& a : change["actions"]) {
          if (a.is_string()) x.actions.push_back(a.get<std::string>());
        }
      }
    }
    x.id = x.values.contains("id") && x.values["id"].is_string() && !unknown(x, {"id"})
               ? x.values["id"].get<std::string>()
               : x.address;
    by_address_[x.address] = instances_.size();
    instances_.push_back(std::move(x));
  };
  std::function<void(const Json&, bool)> walk = [&](const Json& module, bool from_prior) {
    if (!module.is_object()) return;
    const std::string address = module.value("address", "");
    if (auto it = module.find("resources"); it != module.end() && it->is_array()) {
      for (const auto& r : *it) {
        if (!from_prior || r.value("mode", "") == "data") add(r, address, from_prior);
      }
    }
    if (auto it = module.find("child_modules"); it != module.end() && it->is_array()) {
      for (const auto& m : *it) walk(m, from_prior);
    }
  };
  if (auto it = doc_.find("planned_values");
      it != doc_.end() && it->is_object() && it->contains("root_module")) {
    walk((*it)["root_module"], false);
  }
  if (auto it = doc_.find("prior_state");
      it != doc_.end() && it->is_object() && it->contains("values") && (*it)["values"].is_object()) {
    walk((*it)["values"].value("root_module", Json::object()), true);
  }
  for (const auto& [address, c] : changes) {
    const auto& change = (*c)["change"];
    std::vector<std::string> actions;
    if (change.contains("actions") && change["actions"].is_array()) {
      for (const auto& a : change["actions"]) {
        if (a.is_string()) actions.push_back(a.get<std::string>());
      }
    }
    if (!has_action(actions, "delete") || (*c).value("mode", "managed") != "managed") continue;
    Instance x;
    x.address = address;
    x.module = (*c).value("module_address", "");
    x.mode = "managed";
    x.type = (*c).value("type", "");
    x.name = (*c).value("name", "");
    x.values = change.contains("before") && change["before"].is_object() ? change["before"] : Json::object();
    x.actions = actions;
    x.id =
        x.values.contains("id") && x.values["id"].is_string() ? x.values["id"].get<std::string>() : address;
    deleted_.push_back(std::move(x));
  }
}

bool Plan::unknown(const Instance& r, const std::vector<Json>& attribute) const {
  const Json* j = &r.after_unknown;
  if (j->is_boolean()) return j->get<bool>();
  for (const auto& k : attribute) {
    if (j->is_boolean()) return j->get<bool>();
    if (k.is_string()) {
      if (!j->is_object()) return false;
      auto it = j->find(k.get<std::string>());
      if (it == j->end()) return false;
      j = &*it;
    } else {
      if (!j->is_array() || k.get<std::size_t>() >= j->size()) return false;
      j = &(*j)[k.get<std::size_t>()];
    }
  }
  if (j->is_boolean()) return j->get<bool>();
  // A list or object with an unknown element somewhere inside.
  std::function<bool(const Json&)> any = [&](const Json& x) {
    if (x.is_boolean()) return x.get<bool>();
    if (x.is_array() || x.is_object()) {
      for (const auto& e : x) {
        if (any(e)) return true;
      }
    }
    return false;
  };
  return any(*j);
}

const Json* Plan::config_module(const std::string& module) const {
  auto it = doc_.find("configuration");
  if (it == doc_.end() || !it->is_object() || !it->contains("root_module")) return nullptr;
  const Json* m = &(*it)["root_module"];
  const auto parts = segments(strip_indexes(module));
  for (std::size_t i = 0; i + 1 < parts.size(); i += 2) {
    if (parts[i] != "module") return nullptr;
    if (!m->contains("module_calls") || !(*m)["module_calls"].contains(parts[i + 1])) return nullptr;
    const auto& call = (*m)["module_calls"][parts[i + 1]];
    if (!call.contains("module")) return nullptr;
    m = &call["module"];
  }
  return m;
}

const Json* Plan::config_resource(const Instance& r) const {
  const Json* m = config_module(r.module);
  if (!m || !m->contains("resources") || !(*m)["resources"].is_array()) return nullptr;
  for (const auto& c : (*m)["resources"]) {
    if (c.value("type", "") == r.type && c.value("name", "") == r.name &&
        c.value("mode", "managed") == r.mode)
      return &c;
  }
  return nullptr;
}

const Json* Plan::expression(const Instance& r, const std::vector<Json>& attribute) const {
  const Json* c = config_resource(r);
  if (!c || !c->contains("expressions")) return nullptr;
  const Json* e = &(*c)["expressions"];
  for (std::size_t i = 0; i < attribute.size(); ++i) {
    const auto& k = attribute[i];
    if (k.is_string()) {
      if (!e->is_object() || !e->contains(k.get<std::string>())) return nullptr;
      e = &(*e)[k.get<std::string>()];
      continue;
    }
    // A nested block: the configuration's element whose constants agree with the planned one.
    const std::size_t n = k.get<std::size_t>();
    if (e->is_object() && !e->contains("references") && !e->contains("constant_value") && n == 0) continue;
    if (!e->is_array()) return nullptr;
    const std::vector<Json> prefix(attribute.begin(), attribute.begin() + static_cast<long>(i) + 1);
    const Json* planned = at_path(r.values, prefix);
    const Json* found = nullptr;
    std::size_t matches = 0;
    for (const auto& element : *e) {
      if (!planned || !planned->is_object() || !element.is_object()) break;
      bool agree = true;
      for (const auto& [key, x] : element.items()) {
        if (x.is_object() && x.contains("constant_value") && planned->contains(key) &&
            (*planned)[key] != x["constant_value"]) {
          agree = false;
        }
      }
      if (agree) {
        found = &element;
        ++matches;
      }
    }
    if (matches == 1) {
      e = found;
    } else if (n < e->size()) {
      e = &(*e)[n];
    } else {
      return nullptr;
    }
  }
  return e;
}

Json read_document(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot read the file");
  try {
    return Json::parse(in);
  } catch (const Json::parse_error& e) {
    throw InputError(path, "", std::string("not valid JSON: ") + e.what());
  }
}

bool looks_like_plan(const Json& doc) {
  return doc.is_object() && doc.contains("format_version") &&
         (doc.contains("planned_values") || doc.contains("resource_changes"));
}

}  // namespace terraform

bool is_terraform_plan(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  // A cheap look first: a plan names format_version near its start; a describe-* file never does.
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (head.find("\"format_version\"") == std::string::npos) return false;
  try {
    return terraform::looks_like_plan(terraform::read_document(path));
  } catch (const InputError&) {
    return false;
  }
}

Snapshot load_plan(const std::string& path) {
  const auto doc = terraform::read_document(path);
  if (!terraform::looks_like_plan(doc)) {
    throw InputError(path, "",
                     "not a Terraform plan (no format_version with planned_values or resource_changes)");
  }
  const auto version = doc["format_version"].is_string() ? doc["format_version"].get<std::string>() : "";
  if (version.empty() || (version.compare(0, 2, "0.") != 0 && version.compare(0, 2, "1.") != 0)) {
    throw InputError(path, "", "format_version " + version + " is not one vpcprove reads (0.x and 1.x)");
  }
  terraform::Plan plan(path, doc);
  terraform::convert_resources(plan);
  return std::move(plan.out());
}

namespace {

template <class T>
void replace_or_append(std::vector<T>& base, std::vector<T>& add, std::string T::*id,
                       const std::set<std::string>& gone) {
  base.erase(std::remove_if(base.begin(), base.end(), [&](const T& x) { return gone.count(x.*id) > 0; }),
             base.end());
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < base.size(); ++i) at.emplace(base[i].*id, i);
  for (auto& x : add) {
    if (gone.count(x.*id)) continue;  // changed on its way out (an association moved off a replaced table)
    auto it = at.find(x.*id);
    if (it == at.end()) {
      at.emplace(x.*id, base.size());
      base.push_back(std::move(x));
    } else {
      base[it->second] = std::move(x);
    }
  }
}

}  // namespace

void apply_plan(Snapshot& base, const std::string& path) {
  const auto doc = terraform::read_document(path);
  if (!terraform::looks_like_plan(doc)) {
    throw InputError(path, "",
                     "not a Terraform plan (no format_version with planned_values or resource_changes)");
  }
  terraform::Plan plan(path, doc);
  plan.base = &base;
  terraform::convert_resources(plan);
  Snapshot& add = plan.out();
  std::set<std::string> gone;
  for (const auto& d : plan.deleted()) {
    // A replacement deletes the old ID; the planned instance (a new ID or its address) is added.
    gone.insert(d.id);
    // An instance's primary ENI goes with it (AWS deletes it on termination).
    if (d.type != "aws_instance") continue;
    for (const auto& e : base.network_interfaces) {
      if (e.attachment && e.attachment->instance_id == d.id && e.attachment->device_index.value_or(0) == 0) {
        gone.insert(e.network_interface_id);
      }
    }
  }
  replace_or_append(base.vpcs, add.vpcs, &Vpc::vpc_id, gone);
  replace_or_append(base.subnets, add.subnets, &Subnet::subnet_id, gone);
  replace_or_append(base.route_tables, add.route_tables, &RouteTable::route_table_id, gone);
  replace_or_append(base.internet_gateways, add.internet_gateways, &InternetGateway::internet_gateway_id,
                    gone);
  replace_or_append(base.egress_only_internet_gateways, add.egress_only_internet_gateways,
                    &EgressOnlyInternetGateway::egress_only_internet_gateway_id, gone);
  replace_or_append(base.nat_gateways, add.nat_gateways, &NatGateway::nat_gateway_id, gone);
  replace_or_append(base.network_interfaces, add.network_interfaces, &NetworkInterface::network_interface_id,
                    gone);
  replace_or_append(base.instances, add.instances, &Instance::instance_id, gone);
  replace_or_append(base.security_groups, add.security_groups, &SecurityGroup::group_id, gone);
  replace_or_append(base.network_acls, add.network_acls, &NetworkAcl::network_acl_id, gone);
  replace_or_append(base.addresses, add.addresses, &Address::allocation_id, gone);
  replace_or_append(base.vpc_peering_connections, add.vpc_peering_connections,
                    &VpcPeeringConnection::vpc_peering_connection_id, gone);
  replace_or_append(base.prefix_lists, add.prefix_lists, &PrefixList::prefix_list_id, gone);
  replace_or_append(base.vpc_endpoints, add.vpc_endpoints, &VpcEndpoint::vpc_endpoint_id, gone);
  // An instance's own copy of an ENI the plan replaced or deleted goes with it.
  for (auto& i : base.instances) {
    i.network_interfaces.erase(
        std::remove_if(i.network_interfaces.begin(), i.network_interfaces.end(),
                       [&](const NetworkInterface& e) { return gone.count(e.network_interface_id) > 0; }),
        i.network_interfaces.end());
  }
  for (auto& x : add.not_live) base.not_live.push_back(std::move(x));
  base.files.push_back(path);
  for (auto& [id, address] : add.terraform_addresses) base.terraform_addresses[id] = address;
  for (auto& u : add.unknown_until_apply) base.unknown_until_apply.push_back(std::move(u));
  for (const auto& d : add.diagnostics.items()) base.diagnostics.report(d);
}

}  // namespace vpcprove::aws
