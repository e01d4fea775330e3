// SPDX-License-Identifier: Apache-2.0
// Reading `check --format json` back into a CheckReport, so that `vpcprove merge` can render the
// shards of one audit in every report format as the single run would have.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "report/check_report.h"

namespace vpcprove::queries {

/**
 * The inverse of check_report_json: every field a report format shows is read back, so that
 * write_report(read_check_report(check_report_json(r))) prints what write_report(r) prints.
 * A field the JSON writers add must be read here too (tests/unit/queries round-trips the
 * examples' reports and fails naming the field that was not). Timings are kept as written.
 * Throws InputError naming file and the result's position when the JSON is not a check report.
 */
CheckReport read_check_report(const nlohmann::json& json, const std::string& file);

}  // namespace vpcprove::queries
