// SPDX-License-Identifier: Apache-2.0
// Values unknown until apply, resolved through the plan's configuration: references to other
// resources, locals, variables and module inputs (aws/terraform_plan_internal.h's Plan).
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "aws/terraform_address.h"
#include "aws/terraform_plan_internal.h"
#include "common/diagnostics.h"

namespace vpcprove::aws::terraform {

namespace {

bool names_a_resource(const std::string& attribute) {
  return attribute.size() > 3 && attribute.compare(attribute.size() - 3, 3, "_id") == 0;
}

}  // namespace

Plan::Resolved Plan::resolve(const Json& expression, const std::string& module, const Instance* self,
                             int depth, bool want_list) const {
  Resolved out;
  if (depth > 24) return {{}, "references nest too deep (a cycle?)"};
  if (!expression.is_object()) return {{}, "no expression in the configuration"};
  if (auto it = expression.find("constant_value"); it != expression.end()) {
    if (it->is_string()) out.values.push_back(it->get<std::string>());
    if (it->is_array()) {
      for (const auto& v : *it) {
        if (v.is_string()) out.values.push_back(v.get<std::string>());
      }
    }
    return out;
  }
  auto it = expression.find("references");
  if (it == expression.end() || !it->is_array()) return {{}, "an expression vpcprove does not evaluate"};
  std::vector<std::string> all;
  for (const auto& r : *it) {
    if (r.is_string()) all.push_back(r.get<std::string>());
  }
  std::vector<std::string> taken;
  for (const auto& ref : all) {
    const auto first = segments(ref).front();
    if (first == "count" || first == "each" || first == "path" || first == "terraform" || first == "self")
      continue;
    // Terraform lists "aws_vpc.main.id" and then "aws_vpc.main": the second adds nothing.
    if (std::any_of(taken.begin(), taken.end(), [&](const std::string& t) {
          return t.size() > ref.size() && t.compare(0, ref.size(), ref) == 0 &&
                 (t[ref.size()] == '.' || t[ref.size()] == '[');
        })) {
      continue;
    }
    taken.push_back(ref);
    auto r = resolve_reference(ref, all, module, self, depth, want_list);
    // var.ids[count.index], module.m.ids[count.index]: the element of the referring instance's index.
    const bool by_count = std::find(all.begin(), all.end(), "count.index") != all.end();
    if (r.problem.empty() && !want_list && r.values.size() > 1 && self && self->index.is_number_unsigned() &&
        by_count) {
      const auto k = self->index.get<std::size_t>();
      if (k < r.values.size()) {
        r.values = {r.values[k]};
      } else {
        r.problem = ref + ": no element " + std::to_string(k);
      }
    }
    if (!r.problem.empty()) {
      out.problem += (out.problem.empty() ? "" : "; ") + r.problem;
      continue;
    }
    for (auto& v : r.values) {
      if (std::find(out.values.begin(), out.values.end(), v) == out.values.end())
        out.values.push_back(std::move(v));
    }
  }
  if (out.values.empty() && out.problem.empty())
    out.problem = "an expression with no reference vpcprove follows";
  return out;
}

Plan::Resolved Plan::resolve_reference(const std::string& ref, const std::vector<std::string>& all,
                                       const std::string& module, const Instance* self, int depth,
                                       bool want_list) const {
  const auto s = segments(ref);
  const auto here = module.empty() ? std::string("the root module") : module;
  if (s[0] == "local") return {{}, ref + " in " + here + ": locals are not in the plan's JSON"};
  if (s[0] == "var" && s.size() >= 2) {
    if (module.empty()) {
      auto vars = doc_.find("variables");
      if (vars != doc_.end() && vars->contains(s[1]) && (*vars)[s[1]].contains("value")) {
        return resolve(Json{{"constant_value", (*vars)[s[1]]["value"]}}, module, self, depth + 1, true);
      }
      return {{}, ref + ": no value in the plan"};
    }
    // A module input: the caller's expression, in the caller's module.
    const auto parts = segments(module);
    std::string parent;
    for (std::size_t i = 0; i + 2 < parts.size(); i += 2)
      parent += (parent.empty() ? "" : ".") + parts[i] + '.' + parts[i + 1];
    const auto call = split_index(parts.back()).first;
    const Json* pm = config_module(parent);
    if (!pm || !pm->contains("module_calls") || !(*pm)["module_calls"].contains(call)) {
      return {{}, ref + " in " + here + ": the module call is not in the configuration"};
    }
    const auto& exprs = (*pm)["module_calls"][call].value("expressions", Json::object());
    if (!exprs.contains(s[1]))
      return {{}, ref + " in " + here + ": the caller does not set it (a default applies)"};
    return resolve(exprs[s[1]], parent, nullptr, depth + 1, true);
  }
  if (s[0] == "module" && s.size() >= 3) {
    const auto [call, call_index] = split_index(s[1]);
    std::string child = (module.empty() ? "" : module + ".") + "module." + s[1];
    if (call_index.is_null()) {
      // One instance of the module, or which one is meant is not known.
      std::set<std::string> keyed;
      const std::string prefix = (module.empty() ? "" : module + ".") + "module." + call + '[';
      for (const auto& x : instances_) {
        if (x.module.compare(0, prefix.size(), prefix) == 0)
          keyed.insert(x.module.substr(0, x.module.find(']', prefix.size()) + 1));
      }
      if (keyed.size() > 1) {
        return {{},
                ref + " in " + here + ": module." + call + " has " + std::to_string(keyed.size()) +
                    " instances; which one is meant is not in the plan"};
      }
      if (keyed.size() == 1) child = *keyed.begin();
    }
    const Json* cm = config_module(child);
    if (!cm || !cm->contains("outputs") || !(*cm)["outputs"].contains(s[2])) {
      return {{}, ref + " in " + here + ": no such output in the configuration"};
    }
    return resolve((*cm)["outputs"][s[2]].value("expression", Json::object()), child, nullptr, depth + 1,
                   true);
  }
  std::size_t k = 0;
  std::string mode = "managed";
  if (s[0] == "data") {
    mode = "data";
    k = 1;
  }
  if (s.size() < k + 2) return {{}, ref + " in " + here + ": not a reference vpcprove follows"};
  const std::string type = s[k];
  const auto [name, index] = split_index(s[k + 1]);
  std::string attribute;
  for (std::size_t i = k + 2; i < s.size(); ++i) attribute += (attribute.empty() ? "" : ".") + s[i];
  std::vector<const Instance*> candidates;
  for (const auto& x : instances_) {
    if (x.module == module && x.mode == mode && x.type == type && x.name == name) candidates.push_back(&x);
  }
  const Instance* target = nullptr;
  if (!index.is_null()) {
    for (const auto* c : candidates) {
      if (c->index == index) target = c;
    }
  } else if (candidates.size() == 1) {
    target = candidates.front();
  } else if (want_list && !candidates.empty() &&
             !std::any_of(all.begin(), all.end(), [](const std::string& r) {
               return r == "count.index" || r == "each.key" || r == "each.value";
             })) {
    // aws_subnet.private[*].id in a list: every instance, in index order.
    Resolved every;
    std::vector<const Instance*> sorted = candidates;
    std::sort(sorted.begin(), sorted.end(),
              [](const Instance* a, const Instance* b) { return a->index < b->index; });
    for (const auto* c : sorted) {
      if (attribute.empty() || attribute == "id") {
        every.values.push_back(c->id);
      } else if (const Json* v = at_path(c->values, {attribute});
                 v && v->is_string() && !unknown(*c, {attribute})) {
        every.values.push_back(v->get<std::string>());
      } else if (names_a_resource(attribute)) {
        every.values.push_back(c->address + '.' + attribute);
      } else {
        return {{}, c->address + '.' + attribute + " is unknown until apply"};
      }
    }
    return every;
  } else if (candidates.size() > 1 && self && !self->index.is_null() &&
             std::any_of(all.begin(), all.end(), [](const std::string& r) {
               return r == "count.index" || r == "each.key" || r == "each.value";
             })) {
    // aws_subnet.private[count.index]: the instance with the referring resource's own key.
    for (const auto* c : candidates) {
      if (c->index == self->index) target = c;
    }
  }
  if (!target) {
    if (candidates.empty()) return {{}, ref + " in " + here + ": no such resource in the plan"};
    return {{},
            ref + " in " + here + ": " + type + '.' + name + " has " + std::to_string(candidates.size()) +
                " instances; which one is meant is not in the plan"};
  }
  if (attribute.empty() || attribute == "id") return {{target->id}, ""};
  const std::vector<Json> path{attribute};
  if (!unknown(*target, path)) {
    const Json* v = at_path(target->values, path);
    if (v && v->is_string()) return {{v->get<std::string>()}, ""};
    if (v && v->is_array()) {
      Resolved r;
      for (const auto& e : *v) {
        if (e.is_string()) r.values.push_back(e.get<std::string>());
      }
      return r;
    }
  }
  // An ID AWS gives a resource it makes with this one (a VPC's main route table): named by the reference.
  if (names_a_resource(attribute)) return {{target->address + '.' + attribute}, ""};
  return {{}, target->address + '.' + attribute + " is unknown until apply"};
}

std::optional<std::string> Plan::string(const Instance& r, const std::vector<Json>& attribute) {
  auto v = values_of(r, attribute, false);
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::vector<std::string> Plan::strings(const Instance& r, const std::vector<Json>& attribute) {
  return values_of(r, attribute, true);
}

std::vector<std::string> Plan::values_of(const Instance& r, const std::vector<Json>& attribute,
                                         bool want_list) {
  std::vector<std::string> out;
  const Json* v = at_path(r.values, attribute);
  if (v && v->is_string() && !unknown(r, attribute)) return {v->get<std::string>()};
  if (v && v->is_array()) {
    for (const auto& e : *v) {
      if (e.is_string()) out.push_back(e.get<std::string>());
    }
  }
  if (!unknown(r, attribute)) return out;
  const Json* e = expression(r, attribute);
  // Not set in the configuration: an attribute the provider computes (source_security_group_id
  // of a CIDR rule), left empty by AWS; nothing to resolve.
  if (!e && attribute.size() == 1 && config_resource(r)) return out;
  const auto resolved =
      e ? resolve(*e, r.module, &r, 0, want_list) : Resolved{{}, "no expression in the configuration"};
  for (const auto& x : resolved.values) {
    if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
  }
  if (!resolved.problem.empty()) {
    diagnostics().warn("plan-unresolved-reference",
                       r.address + '.' + path_text(attribute) +
                           " is unknown until apply and cannot be resolved: " + resolved.problem,
                       path_, r.address);
    unknown_value(owner.empty() ? r.id : owner, r, path_text(attribute));
  }
  return out;
}

void Plan::unknown_value(const std::string& resource_id, const Instance& r, const std::string& attribute) {
  out_.unknown_until_apply.push_back({resource_id, r.address, attribute});
}

}  // namespace vpcprove::aws::terraform
