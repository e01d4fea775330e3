// SPDX-License-Identifier: Apache-2.0
// The text report of check, and the summaries every report format shares.
#include <iomanip>
#include <ostream>
#include <set>

#include "common/escape.h"
#include "model/packet.h"
#include "report/check_report.h"
#include "report/reach_report.h"

namespace vpcprove::queries {

namespace {

const char* mark(CheckVerdict v) {
  switch (v) {
    case CheckVerdict::Holds:
      return "\u2713";
    case CheckVerdict::Violated:
      return "\u2717";
    case CheckVerdict::Unknown:
      return "?";
  }
  return "?";
}

std::string question(const Invariant& inv) {
  std::string q = inv.from + " -> " + inv.to;
  q += inv.header.protocol ? " " + model::protocol_name(*inv.header.protocol) : std::string(" all protocols");
  if (inv.header.dst_ports) q += " dst-port " + inv.header.dst_ports->to_string();
  for (std::size_t i = 0; i < inv.dst_port_list.size(); ++i) {
    q += (i == 0 ? " dst-port " : ",") + inv.dst_port_list[i].to_string();
  }
  if (inv.header.src_ports) q += " src-port " + inv.header.src_ports->to_string();
  return q + ", expect " + to_string(inv.expect) + " (" + to_string(inv.effective_semantics()) +
         " semantics)";
}

}  // namespace

std::vector<std::string> resources_on_path(const ReachResult& r) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& id) {
    if (!id.empty() && seen.insert(id).second) out.push_back(id);
  };
  if (r.from_member) add(*r.from_member);
  for (const auto& h : r.path) add(h.at);
  if (r.verdict != Verdict::Reachable) {
    for (const auto& x : r.reasons) add(x.at);
  }
  if (r.to_member) add(*r.to_member);
  return out;
}

std::string counterexample_summary(const ReachResult& r) {
  std::string s = r.from_member.value_or(r.from) + " -> " + r.to_member.value_or(r.to) + ": ";
  if (r.verdict == Verdict::Reachable && r.packet) {
    s += model::describe(*r.packet) + " is " + model::to_string(r.disposition);
    if (!r.path.empty()) {
      s += " via";
      for (const auto& h : r.path) s += ' ' + h.at + '(' + h.step + ')';
    }
  } else if (r.verdict == Verdict::Unreachable) {
    s += "no connection";
    for (std::size_t i = 0; i < r.reasons.size() && i < 3; ++i) {
      s += (i == 0 ? ": stops at " : "; ") + r.reasons[i].at + " (" + r.reasons[i].code + ")";
    }
  } else {
    s += "not decided: " + r.unknown_reason;
  }
  return s;
}

void write_text_report(std::ostream& out, const CheckReport& report) {
  std::size_t width = 0;
  for (const auto& r : report.results) width = std::max(width, escape_text(r.invariant.name).size());
  for (const auto& r : report.results) {
    const std::string name = escape_text(r.invariant.name);
    out << mark(r.verdict) << ' ' << name << std::string(width - name.size() + 2, ' ')
        << to_string(r.verdict);
    if (r.if_assumed) out << " (" << to_string(*r.if_assumed) << " if assumed)";
    out << '\n';
  }
  for (const auto& r : report.results) {
    const auto examples = counterexamples(r);
    const bool show = r.verdict != CheckVerdict::Holds || !r.notes.empty();
    if (!show) continue;
    out << '\n'
        << mark(r.verdict) << ' ' << escape_text(r.invariant.name) << ": "
        << escape_text(question(r.invariant)) << '\n';
    if (!r.invariant.control.empty()) out << "  control: " << escape_text(r.invariant.control) << '\n';
    out << "  severity: " << to_string(r.invariant.severity) << "  (" << escape_text(r.invariant.file) << ':'
        << r.invariant.line << ")\n";
    for (const auto& note : r.notes) out << "  note: " << escape_text(note) << '\n';
    if (!r.failing_pairs.empty()) {
      out << "  " << r.failing_pairs.size() << " of " << r.pairs
          << " pair(s) without a working connection:\n";
      for (const auto& p : r.failing_pairs) {
        out << "    " << escape_text(p.from_member) << " -> " << escape_text(p.to_member) << "  "
            << (p.verdict == Verdict::Unknown ? "unknown" : "unreachable") << '\n';
      }
    }
    std::vector<const ReachResult*> shown = examples;
    if (shown.empty() && r.verdict == CheckVerdict::Unknown && r.has_evidence) shown.push_back(&r.evidence);
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const ReachResult& e = *shown[i];
      if (shown.size() > 1) out << "  finding " << (i + 1) << " of " << shown.size() << ":\n";
      if (e.verdict != Verdict::Reachable && e.from_member && e.to_member) {
        out << "  pair: " << escape_text(*e.from_member) << " -> " << escape_text(*e.to_member) << '\n';
      }
      write_reach_text(out, e, "  ");  // escapes what it writes
    }
  }
  const auto& s = report.summary;
  out << '\n'
      << report.results.size() << " invariant(s): " << s.holds << " hold, " << s.violated << " violated, "
      << s.unknown << " unknown (" << std::fixed << std::setprecision(1) << report.elapsed_ms << " ms)\n";
  out.unsetf(std::ios::fixed);
}

void write_report(std::ostream& out, const CheckReport& report, std::string_view format) {
  const auto dump = [&](const nlohmann::json& j) {
    out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  };
  if (format == "json") {
    dump(check_report_json(report));
  } else if (format == "sarif") {
    dump(check_report_sarif(report));
  } else if (format == "junit") {
    write_junit_report(out, report);
  } else if (format == "html") {
    write_html_report(out, report);
  } else {
    write_text_report(out, report);
  }
}

}  // namespace vpcprove::queries
