// SPDX-License-Identifier: Apache-2.0
// The reports of `vpcprove diff`: text, the contract's JSON, SARIF 2.1.0 and Markdown.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "queries/diff.h"

namespace vpcprove::queries {

/** Everything a diff report shows. */
struct DiffReport {
  std::string tool_version;
  std::string old_path;  ///< as given
  std::string new_path;  ///< as given (with " + PLAN" when NEW is a snapshot with --plan)
  std::string new_file;  ///< the file SARIF results point at: the plan when there is one, else NEW
  /** Resource ID -> Terraform address, for the resources a plan names (SARIF, Markdown). */
  std::map<std::string, std::string> addresses;
  DiffResult result;
};

/** Text for people: "+"/"-" lines per opened/closed exposure, invariant changes, flows with
 *  their witness and path, and a summary line. Every input string through escape_text. */
void write_diff_text(std::ostream& out, const DiffReport& report);

/**
 * The contract's JSON: {"exposure": {"opened": [{"eni", "protocol", "ports", "ip_version",
 * "by"}], "closed": […]}, "invariants": [{"name", "old", "new"}], "flows": {"added":
 * [{"packet", "path", …}], "removed": […]}, "changed", "complete", "summary"}.
 */
nlohmann::json diff_report_json(const DiffReport& report);

/**
 * SARIF 2.1.0: one result per opened exposure (rule "exposure-opened"), per invariant that is
 * newly violated (rule = the invariant's name) and per added flow ("flow-added"), each
 * located at the resources that cause it (the rules' groups and ACLs, the ENI), named by
 * Terraform address where the plan gives one, with new_file as the physical location.
 */
nlohmann::json diff_report_sarif(const DiffReport& report);

/** GitHub/GitLab-flavoured Markdown for a pull-request comment: a summary and tables.
 *  Table cells are escaped (| ` < > and control characters). */
void write_diff_markdown(std::ostream& out, const DiffReport& report);

/** Writes format "text", "json", "sarif" or "markdown". */
void write_diff_report(std::ostream& out, const DiffReport& report, std::string_view format);

/** The resource IDs a rule description names first ("sg-0ab ingress rule 2 (…)" -> "sg-0ab"). */
std::string resource_of_rule(const std::string& by);

/** "10.0.0.0-10.0.0.255" style text of a FlowDelta's sources. */
std::string src_text(const FlowDelta& flow);

}  // namespace vpcprove::queries
