// SPDX-License-Identifier: Apache-2.0
// Terraform addresses and attribute paths: "module.a[\"x\"].aws_subnet.private[0]" split into
// its parts, and JSON paths of keys and indexes into a resource's values.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace vpcprove::aws::terraform {

/** An address or reference split at dots outside brackets: "module.a[\"x.y\"].aws_vpc.v" -> 4 parts. */
std::vector<std::string> segments(const std::string& text);
/** "private[0]" -> ("private", 0); "x[\"a\"]" -> ("x", "a"); "x" -> ("x", null). */
std::pair<std::string, nlohmann::json> split_index(const std::string& segment);
/** A module instance path without its instance keys: "module.a[0].module.b" -> "module.a.module.b". */
std::string strip_indexes(const std::string& module);
/** The value at path (object keys and array indexes) under root, or nullptr. */
const nlohmann::json* at_path(const nlohmann::json& root, const std::vector<nlohmann::json>& path);
/** path as people write it: "ingress[0].cidr_blocks". */
std::string path_text(const std::vector<nlohmann::json>& path);

}  // namespace vpcprove::aws::terraform
