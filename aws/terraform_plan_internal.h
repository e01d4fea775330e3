// SPDX-License-Identifier: Apache-2.0
// Inside the Terraform plan reader: resource instances, references, and the per-type converters.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "aws/snapshot.h"
#include "aws/terraform_plan.h"

namespace vpcprove::aws::terraform {

using Json = nlohmann::json;

/** One resource instance of the plan (managed or data), as it will be after apply. */
struct Instance {
  std::string address;  ///< "module.vpc.aws_subnet.private[0]"
  std::string module;   ///< "module.vpc" ("" at the root)
  std::string mode;     ///< "managed" or "data"
  std::string type;
  std::string name;
  Json index;                        ///< null, a number (count) or a string (for_each)
  Json values;                       ///< planned (after) values
  Json after_unknown;                ///< true leaves where a value is unknown until apply
  std::vector<std::string> actions;  ///< resource_changes actions; empty when the plan lists none
  std::string id;                    ///< values.id when known, else the address
};

/** The plan, read and indexed, with the reference resolver the converters use. */
class Plan {
 public:
  Plan(const std::string& path, const Json& document);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::vector<Instance>& instances() const { return instances_; }
  /** Resources the plan deletes (alone or as the first half of a replacement): their prior values. */
  [[nodiscard]] const std::vector<Instance>& deleted() const { return deleted_; }

  /** attribute (a path of keys and indexes into values) is unknown until apply. */
  [[nodiscard]] bool unknown(const Instance& r, const std::vector<Json>& attribute) const;

  /**
   * The value of a string attribute (an ID, a CIDR, an address), known or resolved through the
   * configuration's references; nullopt when unknown and not resolvable (then a warning names
   * both ends and, when it matters, Snapshot::unknown_until_apply records it).
   */
  std::optional<std::string> string(const Instance& r, const std::vector<Json>& attribute);
  /** The strings of a list or set attribute, each known or resolved through references. */
  std::vector<std::string> strings(const Instance& r, const std::vector<Json>& attribute);

  /** Records a value unknown until apply on resource_id. */
  void unknown_value(const std::string& resource_id, const Instance& r, const std::string& attribute);

  /** The resource an unknown value read now sets, when not the resource holding it (a separate
   *  rule's group, a route's table); "" for the holder itself. */
  std::string owner;
  /** The snapshot the plan applies to (--plan), or nullptr for a plan read alone. */
  const Snapshot* base = nullptr;

  Snapshot& out() { return out_; }
  Diagnostics& diagnostics() { return out_.diagnostics; }
  Source source() const { return Source{path_, "", ""}; }

 private:
  struct Resolved {
    std::vector<std::string> values;
    std::string problem;  ///< why it could not be resolved, "" when it was
  };
  /** The configuration module for a module instance path ("module.a[0].module.b"), or nullptr. */
  const Json* config_module(const std::string& module) const;
  const Json* config_resource(const Instance& r) const;
  /** The expression of attribute in r's configuration (nested blocks matched by their constants). */
  const Json* expression(const Instance& r, const std::vector<Json>& attribute) const;
  /** want_list: the attribute is a list, so a reference to every instance of a resource (a splat) is all of
   * them. */
  Resolved resolve(const Json& expression, const std::string& module, const Instance* self, int depth,
                   bool want_list = false) const;
  std::vector<std::string> values_of(const Instance& r, const std::vector<Json>& attribute, bool want_list);
  Resolved resolve_reference(const std::string& reference, const std::vector<std::string>& all,
                             const std::string& module, const Instance* self, int depth,
                             bool want_list) const;

  std::string path_;
  const Json& doc_;
  std::vector<Instance> instances_;
  std::vector<Instance> deleted_;
  std::map<std::string, std::size_t> by_address_;
  Snapshot out_;
};

/** Converts every instance into out (the per-type readers, terraform_resources.cpp). */
void convert_resources(Plan& plan);

}  // namespace vpcprove::aws::terraform
