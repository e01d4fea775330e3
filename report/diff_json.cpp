// SPDX-License-Identifier: Apache-2.0
// diff for programs: the contract's JSON, and SARIF 2.1.0 for code-scanning dashboards.
#include <algorithm>
#include <set>

#include "report/check_report.h"
#include "report/diff_report.h"
#include "report/reach_report.h"
#include "report/walk_json.h"

namespace vpcprove::queries {

namespace {

nlohmann::json ranges_json(const std::vector<PortRange>& ranges) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& r : ranges) a.push_back({r.lo, r.hi});
  return a;
}

nlohmann::json exposure_json(const std::vector<ExposureDelta>& list, const DiffReport& report) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& d : list) {
    nlohmann::json j{{"eni", d.eni},
                     {"protocol", d.protocol},
                     {"ports", ranges_json(d.ports)},
                     {"ip_version", d.ip_version},
                     {"by", d.by}};
    auto it = report.addresses.find(d.eni);
    if (it != report.addresses.end()) j["address"] = it->second;
    a.push_back(std::move(j));
  }
  return a;
}

nlohmann::json walk_outcome(const model::Walk& w) {
  nlohmann::json j{{"disposition", model::to_string(w.disposition)}, {"path", hops_json(w.hops)}};
  j["drop"] = w.drop ? nlohmann::json(drop_json(*w.drop)) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json flows_json(const std::vector<FlowDelta>& list) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& f : list) {
    nlohmann::json src = nlohmann::json::array();
    for (const auto& [lo, hi] : f.src) src.push_back({format_ipv4(lo), format_ipv4(hi)});
    nlohmann::json j{{"from", f.from_member},
                     {"to", f.to_member},
                     {"protocol", f.protocol},
                     {"ports", ranges_json(f.ports)},
                     {"src", src},
                     {"dst", {format_ipv4(f.dst_lo), format_ipv4(f.dst_hi)}},
                     {"packet", packet_json(f.walk.initial)},
                     {"path", hops_json(f.walk.hops)},
                     {"disposition", model::to_string(f.walk.disposition)},
                     {"other", walk_outcome(f.other)}};
    if (f.icmp_codes) j["icmp_codes"] = {f.icmp_codes->lo, f.icmp_codes->hi};
    a.push_back(std::move(j));
  }
  return a;
}

std::size_t newly_violated(const DiffResult& r) {
  return static_cast<std::size_t>(
      std::count_if(r.invariants.begin(), r.invariants.end(),
                    [](const InvariantDelta& d) { return d.new_verdict == CheckVerdict::Violated; }));
}

}  // namespace

nlohmann::json diff_report_json(const DiffReport& report) {
  const auto& r = report.result;
  nlohmann::json invariants = nlohmann::json::array();
  for (const auto& d : r.invariants) {
    nlohmann::json j{{"name", d.name}, {"old", to_string(d.old_verdict)}, {"new", to_string(d.new_verdict)}};
    if (d.new_verdict == CheckVerdict::Violated && d.new_result.has_evidence) {
      j["counterexample"] = reach_result_json(d.new_result.evidence);
    }
    invariants.push_back(std::move(j));
  }
  nlohmann::json j{
      {"old", report.old_path},
      {"new", report.new_path},
      {"exposure",
       {{"opened", exposure_json(r.opened, report)}, {"closed", exposure_json(r.closed, report)}}},
      {"invariants", invariants},
      {"flows", {{"added", flows_json(r.added)}, {"removed", flows_json(r.removed)}}},
      {"changed", has_changes(r)},
      {"complete", r.complete},
      {"summary",
       {{"opened", r.opened.size()},
        {"closed", r.closed.size()},
        {"invariants_changed", r.invariants.size()},
        {"newly_violated", newly_violated(r)},
        {"flows_added", r.added.size()},
        {"flows_removed", r.removed.size()}}},
      {"elapsed_ms", r.elapsed_ms}};
  if (!r.flows_asked) j["flows"] = nullptr;
  if (!r.complete) j["unknown_reason"] = r.unknown_reason;
  return j;
}

namespace {

nlohmann::json located_at(const DiffReport& report, const std::vector<std::string>& ids) {
  nlohmann::json logical = nlohmann::json::array();
  for (const auto& id : ids) {
    auto it = report.addresses.find(id);
    logical.push_back({{"name", id},
                       {"fullyQualifiedName", it == report.addresses.end() ? id : it->second},
                       {"kind", "resource"}});
  }
  return nlohmann::json::array(
      {{{"physicalLocation",
         {{"artifactLocation", {{"uri", report.new_file}}}, {"region", {{"startLine", 1}}}}},
        {"logicalLocations", logical}}});
}

}  // namespace

nlohmann::json diff_report_sarif(const DiffReport& report) {
  const auto& r = report.result;
  nlohmann::json rules = nlohmann::json::array(
      {{{"id", "exposure-opened"},
        {"name", "exposure-opened"},
        {"shortDescription",
         {{"text", "The change lets the internet reach an ENI on ports it did not reach before"}}},
        {"defaultConfiguration", {{"level", "warning"}}}},
       {{"id", "flow-added"},
        {"name", "flow-added"},
        {"shortDescription",
         {{"text", "The change delivers packets between the asked endpoints that were not delivered"}}},
        {"defaultConfiguration", {{"level", "note"}}}}});
  nlohmann::json results = nlohmann::json::array();
  for (const auto& d : r.opened) {
    std::vector<std::string> ids;
    for (const auto& b : d.by) {
      auto id = resource_of_rule(b);
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    ids.push_back(d.eni);
    std::string ports;
    for (const auto& p : d.ports) ports += (ports.empty() ? "" : ", ") + p.to_string();
    auto it = report.addresses.find(ids.front());
    const std::string cause = it == report.addresses.end() ? ids.front() : it->second;
    results.push_back(
        {{"ruleId", "exposure-opened"},
         {"kind", "fail"},
         {"level", "warning"},
         {"message",
          {{"text", cause + " opens " + d.eni + " to the internet on " + d.protocol + ' ' + ports}}},
         {"locations", located_at(report, ids)}});
  }
  std::set<std::string> seen_rules;
  for (const auto& d : r.invariants) {
    if (d.new_verdict != CheckVerdict::Violated) continue;
    const auto& inv = d.new_result.invariant;
    if (seen_rules.insert(inv.name).second) {
      rules.push_back({{"id", inv.name},
                       {"name", inv.name},
                       {"shortDescription", {{"text", inv.description.empty() ? inv.name : inv.description}}},
                       {"defaultConfiguration", {{"level", sarif_level(inv.severity)}}}});
    }
    std::vector<std::string> ids;
    std::string text =
        "invariant " + inv.name + " was " + to_string(d.old_verdict) + " and is violated after the change";
    const auto examples = counterexamples(d.new_result);
    if (!examples.empty()) {
      ids = resources_on_path(*examples.front());
      text += ": " + counterexample_summary(*examples.front());
    }
    results.push_back({{"ruleId", inv.name},
                       {"kind", "fail"},
                       {"level", sarif_level(inv.severity)},
                       {"message", {{"text", text}}},
                       {"locations", located_at(report, ids)}});
  }
  for (const auto& f : r.added) {
    std::vector<std::string> ids;
    for (const auto& h : f.walk.hops) {
      if (std::find(ids.begin(), ids.end(), h.at) == ids.end()) ids.push_back(h.at);
    }
    results.push_back({{"ruleId", "flow-added"},
                       {"kind", "fail"},
                       {"level", "note"},
                       {"message",
                        {{"text", f.from_member + " -> " + f.to_member + ": " +
                                      model::describe(f.walk.initial) + " is delivered after the change"}}},
                       {"locations", located_at(report, ids)}});
  }
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", nlohmann::json::array({{{"tool",
                                            {{"driver",
                                              {{"name", "vpcprove"},
                                               {"version", report.tool_version},
                                               {"informationUri", "https://github.com/vpcprove/vpcprove"},
                                               {"rules", rules}}}}},
                                           {"results", results}}})}};
}

}  // namespace vpcprove::queries
