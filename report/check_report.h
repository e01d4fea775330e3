// SPDX-License-Identifier: Apache-2.0
// The reports of `vpcprove check`: text, JSON, SARIF 2.1.0, JUnit XML and HTML.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "queries/check.h"

namespace vpcprove::queries {

/** Everything a report shows about one run of check. */
struct CheckReport {
  std::string tool_version;              ///< "0.1.0": SARIF's tool.driver.version
  std::string snapshot;                  ///< the snapshot path as given
  std::vector<std::string> spec_files;   ///< the spec and scope files, in command-line order
  std::vector<InvariantResult> results;  ///< in spec order
  CheckSummary summary;
  double elapsed_ms = 0;
};

/**
 * Text for people: one line per invariant (`✓ name  holds`, `✗ name  violated`,
 * `? name  unknown`), then each counterexample (pair, packet, hops; for reachable invariants
 * the failing pair and why it fails), then a summary line. Names, IDs and paths go through
 * escape_text (common/escape.h): no control character, forged line or bidi override.
 */
void write_text_report(std::ostream& out, const CheckReport& report);

/**
 * The contract's JSON: {"results": [{"name", "verdict", …the reach fields…}], "summary":
 * {"holds", "violated", "unknown"}}. Each result also carries expect, severity, control,
 * description, file, line, reach_verdict, pairs, failing_pairs, findings, vacuous, notes.
 */
nlohmann::json check_report_json(const CheckReport& report);

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html): one run,
 * tool.driver.rules from the invariants, one result per counterexample (kind "fail", ruleId =
 * invariant name, level from severity: critical/high → error, medium → warning, low → note),
 * message with the counterexample, the spec file and line as physical location and every
 * resource ID on the path as a logical location. Unknown invariants are results of kind
 * "open" with level "none" (the spec requires level none for kinds other than fail).
 */
nlohmann::json check_report_sarif(const CheckReport& report);

/** SARIF's level for a severity: "error", "warning" or "note". */
const char* sarif_level(Severity severity);

/**
 * JUnit XML: <testsuites> with one <testsuite> and a <testcase> per invariant; <failure> for
 * violated (its text is the counterexample), <error> for unknown. Everything XML-escaped;
 * characters XML 1.0 cannot carry at all are written as \xNN.
 */
void write_junit_report(std::ostream& out, const CheckReport& report);

/**
 * One self-contained HTML page (inline CSS, no scripts, no external assets): the summary, a
 * table of invariants, and for each counterexample its path drawn as an inline SVG chain of
 * hops (a box per hop with the resource ID and the rule). Everything HTML-escaped.
 */
void write_html_report(std::ostream& out, const CheckReport& report);

/** Writes the report in format "text", "json", "sarif", "junit" or "html". */
void write_report(std::ostream& out, const CheckReport& report, std::string_view format);

/** The resource IDs a counterexample passes, in order, each once (hops' "at", reasons' "at"). */
std::vector<std::string> resources_on_path(const ReachResult& result);

/** One line describing a counterexample: "eni-a -> eni-b: tcp 1.2.3.4:5 -> 6.7.8.9:22 via …". */
std::string counterexample_summary(const ReachResult& result);

}  // namespace vpcprove::queries
