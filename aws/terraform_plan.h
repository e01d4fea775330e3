// SPDX-License-Identifier: Apache-2.0
// Terraform plans as snapshots: the JSON of `terraform show -json PLANFILE` read into aws::Snapshot.
#pragma once

#include <string>

#include "aws/snapshot.h"

namespace vpcprove::aws {

/**
 * true when path is one JSON file whose top-level object has "format_version" and
 * "planned_values" or "resource_changes" (docs/cli-contract.md, "The snapshot").
 * Reads the file; false for folders, unreadable files and other JSON.
 */
bool is_terraform_plan(const std::string& path);

/**
 * The estate after apply as the plan alone describes it (format_version 0.1 to 1.x): every
 * managed resource of planned_values (child_modules included), data sources from prior_state
 * for references, the same structs the describe-* loader produces. A resource whose ID is
 * unknown until apply is named by its Terraform address; references between resources are
 * resolved through the configuration's expressions (module inputs and outputs, count and
 * for_each instances); a reference that cannot be resolved to one instance is a warning naming
 * both ends, never a guess. Values unknown until apply are listed in
 * Snapshot::unknown_until_apply; resource types vpcprove does not read are one warning listing them.
 * @throws InputError naming the file and the resource address on malformed plans.
 */
Snapshot load_plan(const std::string& path);

/**
 * base with the plan's changes applied: deletes (and the delete half of a replacement) remove
 * the resource by its ID, creates add, updates replace; separate rules join (or leave) their
 * group or ACL; IDs in the plan resolve into base.
 */
void apply_plan(Snapshot& base, const std::string& path);

namespace terraform {
/** "aws_internet_gateway" for "module.x.aws_internet_gateway.gw[0]" (the type an address names), or "". */
std::string type_of_address(const std::string& address);
}  // namespace terraform

}  // namespace vpcprove::aws
