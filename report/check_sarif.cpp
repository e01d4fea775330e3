// SPDX-License-Identifier: Apache-2.0
// SARIF 2.1.0 for code-scanning dashboards: rules from invariants, a result per counterexample.
#include "report/check_report.h"
#include "report/reach_report.h"

namespace vpcprove::queries {

const char* sarif_level(Severity severity) {
  switch (severity) {
    case Severity::Critical:
    case Severity::High:
      return "error";
    case Severity::Medium:
      return "warning";
    case Severity::Low:
      return "note";
  }
  return "warning";
}

namespace {

nlohmann::json physical_location(const Invariant& inv) {
  nlohmann::json loc = {{"artifactLocation", {{"uri", inv.file}}}};
  if (inv.line > 0) loc["region"] = {{"startLine", inv.line}};
  return loc;
}

nlohmann::json location(const Invariant& inv, const ReachResult* example) {
  nlohmann::json loc = {{"physicalLocation", physical_location(inv)}};
  if (example) {
    nlohmann::json logical = nlohmann::json::array();
    for (const auto& id : resources_on_path(*example)) {
      logical.push_back({{"name", id}, {"fullyQualifiedName", id}, {"kind", "resource"}});
    }
    if (!logical.empty()) loc["logicalLocations"] = logical;
  }
  return loc;
}

}  // namespace

nlohmann::json check_report_sarif(const CheckReport& report) {
  nlohmann::json rules = nlohmann::json::array();
  nlohmann::json results = nlohmann::json::array();
  for (std::size_t i = 0; i < report.results.size(); ++i) {
    const auto& r = report.results[i];
    const auto& inv = r.invariant;
    nlohmann::json rule = {
        {"id", inv.name},
        {"name", inv.name},
        {"shortDescription", {{"text", inv.description.empty() ? inv.name : inv.description}}},
        {"defaultConfiguration", {{"level", sarif_level(inv.severity)}}},
        {"properties",
         {{"control", inv.control},
          {"severity", to_string(inv.severity)},
          {"expect", to_string(inv.expect)},
          {"from", inv.from},
          {"to", inv.to}}}};
    if (!inv.control.empty()) rule["fullDescription"] = {{"text", inv.control}};
    rules.push_back(rule);

    const auto examples = counterexamples(r);
    for (const ReachResult* e : examples) {
      std::string text = "Invariant '" + inv.name + "' is violated: " + counterexample_summary(*e);
      if (!inv.control.empty()) text += " [" + inv.control + "]";
      results.push_back({{"ruleId", inv.name},
                         {"ruleIndex", i},
                         {"kind", "fail"},
                         {"level", sarif_level(inv.severity)},
                         {"message", {{"text", text}}},
                         {"locations", nlohmann::json::array({location(inv, e)})},
                         {"properties",
                          {{"from_member", e->from_member.value_or("")},
                           {"to_member", e->to_member.value_or("")},
                           {"verdict", to_string(r.verdict)},
                           {"assumptions", assumptions_json(e->assumptions)}}}});
    }
    if (r.verdict == CheckVerdict::Unknown) {
      const std::string why = r.has_evidence ? r.evidence.unknown_reason : std::string("solver limit");
      results.push_back({{"ruleId", inv.name},
                         {"ruleIndex", i},
                         {"kind", "open"},
                         {"level", "none"},
                         {"message",
                          {{"text", "Invariant '" + inv.name + "' could not be decided (" + why +
                                        "); it is not reported as holding."}}},
                         {"locations", nlohmann::json::array({location(inv, nullptr)})},
                         {"properties",
                          {{"verdict", "unknown"},
                           {"if_assumed", r.if_assumed ? nlohmann::json(to_string(*r.if_assumed))
                                                       : nlohmann::json(nullptr)},
                           {"assumptions", assumptions_json(r.assumptions)}}}});
    }
  }
  nlohmann::json driver = {
      {"name", "vpcprove"}, {"informationUri", "https://github.com/vpcprove/vpcprove"}, {"rules", rules}};
  if (!report.tool_version.empty()) driver["version"] = report.tool_version;
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs",
           nlohmann::json::array({{{"tool", {{"driver", driver}}},
                                   {"invocations", nlohmann::json::array({{{"executionSuccessful", true}}})},
                                   {"results", results}}})}};
}

}  // namespace vpcprove::queries
