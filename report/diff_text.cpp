// SPDX-License-Identifier: Apache-2.0
// diff for people: the terminal text and the Markdown of a pull-request comment.
#include <algorithm>
#include <ostream>
#include <string>

#include "common/escape.h"
#include "report/check_report.h"
#include "report/diff_report.h"
#include "report/reach_report.h"

namespace vpcprove::queries {

std::string resource_of_rule(const std::string& by) {
  for (const char* marker : {" ingress rule ", " egress rule ", " rule "}) {
    const auto at = by.find(marker);
    if (at != std::string::npos) return by.substr(0, at);
  }
  return by.substr(0, by.find(' '));
}

std::string src_text(const FlowDelta& f) {
  std::string out;
  for (const auto& [lo, hi] : f.src) {
    if (!out.empty()) out += ", ";
    out += lo == hi ? format_ipv4(lo) : format_ipv4(lo) + '-' + format_ipv4(hi);
  }
  return out;
}

namespace {

std::string ranges_text(const std::vector<PortRange>& ranges) {
  std::string out;
  for (const auto& r : ranges) {
    if (!out.empty()) out += ", ";
    out += r.lo == r.hi ? std::to_string(r.lo) : std::to_string(r.lo) + '-' + std::to_string(r.hi);
  }
  return out;
}

std::string exposure_text(const ExposureDelta& d) {
  const std::string what = d.protocol == "other"  ? "protocols "
                           : d.protocol == "icmp" ? "icmp types "
                                                  : d.protocol + ' ';
  return what + ranges_text(d.ports) + (d.ip_version == 6 ? " (IPv6)" : "");
}

std::string flow_header(const FlowDelta& f) {
  std::string l4 = f.protocol == "other"  ? "protocols " + ranges_text(f.ports)
                   : f.protocol == "icmp" ? "icmp types " + ranges_text(f.ports) +
                                                (f.icmp_codes ? " codes " + ranges_text({*f.icmp_codes}) : "")
                                          : f.protocol + ' ' + ranges_text(f.ports);
  const std::string dst =
      f.dst_lo == f.dst_hi ? format_ipv4(f.dst_lo) : format_ipv4(f.dst_lo) + '-' + format_ipv4(f.dst_hi);
  return f.from_member + " -> " + f.to_member + ": " + l4 + " from " + src_text(f) + " to " + dst;
}

std::string drop_text(const model::Walk& w) {
  if (w.drop) return "dropped at " + w.drop->at + " (" + w.drop->step + ", " + w.drop->code + ")";
  return std::string(model::to_string(w.disposition)) + (w.endpoint.empty() ? "" : " at " + w.endpoint);
}

void text_flows(std::ostream& out, const std::vector<FlowDelta>& flows, char sign, const char* here,
                const char* there) {
  for (const auto& f : flows) {
    out << sign << " flow " << escape_text(flow_header(f)) << '\n';
    out << "    witness " << escape_text(model::describe(f.walk.initial)) << " (delivered in " << here
        << ")\n";
    write_hops_text(out, f.walk.hops, "      ");
    out << "    in " << there << ": " << escape_text(drop_text(f.other)) << '\n';
  }
}

std::string md(std::string_view s) {
  std::string out;
  for (char c : escape_text(s)) {
    if (c == '|' || c == '`' || c == '*' || c == '_' || c == '<' || c == '>' || c == '[' || c == ']' ||
        c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string named(const DiffReport& r, const std::string& id) {
  auto it = r.addresses.find(id);
  return it == r.addresses.end() ? id : id + " (" + it->second + ")";
}

}  // namespace

void write_diff_text(std::ostream& out, const DiffReport& report) {
  const auto& r = report.result;
  out << "diff " << escape_text(report.old_path) << " -> " << escape_text(report.new_path) << '\n';
  for (const auto& d : r.opened) {
    out << "+ exposed " << escape_text(named(report, d.eni)) << ": " << exposure_text(d);
    std::string by;
    for (const auto& b : d.by) by += (by.empty() ? "" : "; ") + escape_text(b);
    out << "   by " << by << '\n';
  }
  for (const auto& d : r.closed)
    out << "- exposed " << escape_text(named(report, d.eni)) << ": " << exposure_text(d) << '\n';
  for (const auto& d : r.invariants) {
    out << (d.new_verdict == CheckVerdict::Violated ? "! " : "~ ") << "invariant " << escape_text(d.name)
        << ": " << to_string(d.old_verdict) << " -> " << to_string(d.new_verdict) << '\n';
    if (d.new_verdict == CheckVerdict::Violated) {
      for (const auto* ce : counterexamples(d.new_result))
        out << "    " << escape_text(counterexample_summary(*ce)) << '\n';
    }
  }
  text_flows(out, r.added, '+', "NEW", "OLD");
  text_flows(out, r.removed, '-', "OLD", "NEW");
  if (!has_changes(r)) out << "no change to reachability\n";
  out << "(" << r.opened.size() << " exposures opened, " << r.closed.size() << " closed; "
      << r.invariants.size() << " invariant verdicts changed";
  if (r.flows_asked)
    out << "; " << r.added.size() << " flow classes added, " << r.removed.size() << " removed";
  out << "; " << r.elapsed_ms << " ms)\n";
  if (!r.complete) out << "INCOMPLETE: " << escape_text(r.unknown_reason) << '\n';
}

void write_diff_markdown(std::ostream& out, const DiffReport& report) {
  const auto& r = report.result;
  const bool violated = std::any_of(r.invariants.begin(), r.invariants.end(), [](const InvariantDelta& d) {
    return d.new_verdict == CheckVerdict::Violated;
  });
  out << "### vpcprove: what this change does to reachability\n\n";
  if (!has_changes(r)) {
    out << "No change to reachability" << (r.complete ? "" : " found, but the answer is incomplete") << ".\n";
  } else {
    out << (violated ? ":x: **An invariant is newly violated.** " : "") << r.opened.size()
        << " internet exposures opened, " << r.closed.size() << " closed, " << r.invariants.size()
        << " invariant verdicts changed";
    if (r.flows_asked)
      out << ", " << r.added.size() << " flow classes added, " << r.removed.size() << " removed";
    out << ".\n";
  }
  if (!r.invariants.empty()) {
    out << "\n#### Invariants\n\n| invariant | before | after |\n|---|---|---|\n";
    for (const auto& d : r.invariants) {
      out << "| " << md(d.name) << " | " << to_string(d.old_verdict) << " | "
          << (d.new_verdict == CheckVerdict::Violated ? "**violated**" : to_string(d.new_verdict)) << " |\n";
    }
  }
  auto table = [&](const std::vector<ExposureDelta>& list, const char* title, bool with_by) {
    if (list.empty()) return;
    out << "\n#### " << title << "\n\n| resource | exposed to the internet |"
        << (with_by ? " opened by |" : "") << "\n|---|---|" << (with_by ? "---|" : "") << '\n';
    for (const auto& d : list) {
      out << "| " << md(named(report, d.eni)) << " | " << md(exposure_text(d)) << " |";
      if (with_by) {
        std::string by;
        for (const auto& b : d.by) by += (by.empty() ? "" : "; ") + b;
        out << ' ' << md(by) << " |";
      }
      out << '\n';
    }
  };
  table(r.opened, "Exposure opened", true);
  table(r.closed, "Exposure closed", false);
  auto flows = [&](const std::vector<FlowDelta>& list, const char* title) {
    if (list.empty()) return;
    out << "\n#### " << title << "\n\n| flow | witness | path |\n|---|---|---|\n";
    for (const auto& f : list) {
      std::string path;
      for (const auto& h : f.walk.hops) path += (path.empty() ? "" : " → ") + h.at + ' ' + h.step;
      out << "| " << md(flow_header(f)) << " | " << md(model::describe(f.walk.initial)) << " | " << md(path)
          << " |\n";
    }
  };
  flows(r.added, "Flows newly delivered");
  flows(r.removed, "Flows no longer delivered");
  if (!r.complete) out << "\n:warning: Incomplete: " << md(r.unknown_reason) << '\n';
}

void write_diff_report(std::ostream& out, const DiffReport& report, std::string_view format) {
  if (format == "json") {
    out << diff_report_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else if (format == "sarif") {
    out << diff_report_sarif(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else if (format == "markdown") {
    write_diff_markdown(out, report);
  } else {
    write_diff_text(out, report);
  }
}

}  // namespace vpcprove::queries
