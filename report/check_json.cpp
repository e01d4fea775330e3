// SPDX-License-Identifier: Apache-2.0
// The JSON report of check: the contract's shape, each result carrying the reach fields.
#include "model/packet.h"
#include "report/check_report.h"
#include "report/reach_report.h"

namespace vpcprove::queries {

namespace {

nlohmann::json range_json(const std::optional<PortRange>& r) {
  return r ? nlohmann::json::array({r->lo, r->hi}) : nlohmann::json(nullptr);
}

// The header space as the spec wrote it, so that merge (queries/report_read.h) can print the
// question again: protocol name or null (all), port ranges as [lo, hi] or null.
nlohmann::json question_json(const Invariant& inv) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : inv.dst_port_list) list.push_back(range_json(r));
  return {{"protocol", inv.header.protocol ? nlohmann::json(model::protocol_name(*inv.header.protocol))
                                           : nlohmann::json(nullptr)},
          {"dst_port", range_json(inv.header.dst_ports)},
          {"src_port", range_json(inv.header.src_ports)},
          {"dst_port_list", list},
          {"semantics", to_string(inv.effective_semantics())}};
}

nlohmann::json result_json(const InvariantResult& r) {
  nlohmann::json j;
  if (r.has_evidence) {
    j = reach_result_json(r.evidence);
    j["reach_verdict"] = j["verdict"];
    // A failing pair of a reachable invariant is named even though its answer is "unreachable".
    if (r.evidence.verdict != Verdict::Reachable && r.evidence.from_member && r.evidence.to_member) {
      j["from_member"] = *r.evidence.from_member;
      j["to_member"] = *r.evidence.to_member;
    }
  } else {
    j = {{"from", r.invariant.from},
         {"to", r.invariant.to},
         {"semantics", to_string(r.invariant.effective_semantics())},
         {"from_member", nullptr},
         {"to_member", nullptr},
         {"packet", nullptr},
         {"path", nullptr},
         {"disposition", nullptr},
         {"reply", nullptr},
         {"reason", nullptr},
         {"assumptions", nlohmann::json::array()},
         {"reach_verdict", nullptr}};
  }
  j["name"] = r.invariant.name;
  j["verdict"] = to_string(r.verdict);
  j["expect"] = to_string(r.invariant.expect);
  j["severity"] = to_string(r.invariant.severity);
  j["control"] = r.invariant.control;
  j["description"] = r.invariant.description;
  j["file"] = r.invariant.file;
  j["line"] = r.invariant.line;
  j["question"] = question_json(r.invariant);
  j["pairs"] = r.pairs;
  nlohmann::json failing = nlohmann::json::array();
  for (const auto& p : r.failing_pairs) {
    failing.push_back(
        {{"from_member", p.from_member}, {"to_member", p.to_member}, {"verdict", to_string(p.verdict)}});
  }
  j["failing_pairs"] = failing;
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : r.findings) findings.push_back(reach_result_json(f));
  j["findings"] = findings;
  j["vacuous"] = r.vacuous;
  j["notes"] = r.notes;
  j["assumptions"] = assumptions_json(r.assumptions);
  if (r.if_assumed) j["if_assumed"] = to_string(*r.if_assumed);
  j["elapsed_ms"] = r.elapsed_ms;
  return j;
}

}  // namespace

nlohmann::json check_report_json(const CheckReport& report) {
  nlohmann::json results = nlohmann::json::array();
  for (const auto& r : report.results) results.push_back(result_json(r));
  return {{"results", results},
          {"summary",
           {{"holds", report.summary.holds},
            {"violated", report.summary.violated},
            {"unknown", report.summary.unknown}}},
          {"snapshot", report.snapshot},
          {"specs", report.spec_files},
          {"elapsed_ms", report.elapsed_ms}};
}

}  // namespace vpcprove::queries
