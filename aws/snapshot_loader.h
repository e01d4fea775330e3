// SPDX-License-Identifier: Apache-2.0
// Reading a snapshot path into aws::Snapshot: files, top-level keys, live resources, bad input.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/snapshot.h"

namespace vpcprove::aws {

/**
 * Reads every describe-* output under path into raw resources.
 *
 * path is a directory (every *.json below it, recursively, in sorted path order) or one JSON
 * file. Each file must hold a JSON object; each top-level key selects a parser (the table in
 * docs/cli-contract.md). Unknown keys are ignored with one diagnostic per key for the
 * whole snapshot (a Note for keys Batfish also ignores and for empty lists, Unimplemented for
 * AWS kinds vpcprove does not model, Warning otherwise). Only live resources are kept; the
 * others are listed in Snapshot::not_live with a Note each.
 *
 * Account and region come from the folder layout as Batfish reads aws_configs/
 * (…/ACCOUNT/REGION/file.json; …/REGION/file.json), counted after the last "aws_configs"
 * component when there is one; a folder name counts as a region only when it looks like one.
 *
 * @throws InputError naming the file and, where known, the resource and field: a missing path,
 *   a folder without JSON files, broken JSON (with nlohmann's line/column), a top level that
 *   is not an object, a known key whose value is not a list, a wrong field type, an
 *   out-of-range value (CIDR /33, octet 300, port 70000, rule number, protocol), a missing
 *   required field.
 */
Snapshot load_snapshot(const std::string& path);

/** true for names like "us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1". */
bool looks_like_region(std::string_view name);

/** The region of an availability zone ("us-east-2b" -> "us-east-2"); nullopt if it does not look like one. */
std::optional<std::string> region_of_availability_zone(std::string_view zone);

}  // namespace vpcprove::aws
