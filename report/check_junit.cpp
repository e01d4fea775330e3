// SPDX-License-Identifier: Apache-2.0
// JUnit XML for CI test dashboards: a testcase per invariant.
#include <iomanip>
#include <sstream>

#include "common/escape.h"
#include "report/check_report.h"
#include "report/reach_report.h"

namespace vpcprove::queries {

namespace {

std::string seconds(double ms) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(3) << ms / 1000.0;
  return s.str();
}

std::string stem(const std::string& path) {
  std::string name =
      path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  const auto dot = name.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

std::string details(const InvariantResult& r) {
  std::ostringstream text;
  for (const auto& note : r.notes) text << "note: " << note << '\n';
  for (const auto& p : r.failing_pairs) {
    text << "pair without a working connection: " << p.from_member << " -> " << p.to_member << " ("
         << (p.verdict == Verdict::Unknown ? "unknown" : "unreachable") << ")\n";
  }
  auto shown = counterexamples(r);
  if (shown.empty() && r.has_evidence) shown.push_back(&r.evidence);
  for (const ReachResult* e : shown) write_reach_text(text, *e);
  return text.str();
}

}  // namespace

void write_junit_report(std::ostream& out, const CheckReport& report) {
  const auto& s = report.summary;
  const std::string suite = "vpcprove check " + report.snapshot;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"vpcprove check\" tests=\"" << report.results.size() << "\" failures=\""
      << s.violated << "\" errors=\"" << s.unknown << "\" time=\"" << seconds(report.elapsed_ms) << "\">\n";
  out << "  <testsuite name=\"" << escape_xml(suite) << "\" tests=\"" << report.results.size()
      << "\" failures=\"" << s.violated << "\" errors=\"" << s.unknown << "\" skipped=\"0\" time=\""
      << seconds(report.elapsed_ms) << "\">\n";
  for (const auto& r : report.results) {
    const auto& inv = r.invariant;
    out << "    <testcase name=\"" << escape_xml(inv.name) << "\" classname=\"" << escape_xml(stem(inv.file))
        << "\" file=\"" << escape_xml(inv.file) << "\" line=\"" << inv.line << "\" time=\""
        << seconds(r.elapsed_ms) << "\">\n";
    if (r.verdict == CheckVerdict::Violated) {
      const auto examples = counterexamples(r);
      const std::string message = examples.empty() ? std::string("violated")
                                                   : "violated: " + counterexample_summary(*examples.front());
      out << "      <failure type=\"violated\" message=\"" << escape_xml(message) << "\">"
          << escape_xml(details(r)) << "</failure>\n";
    } else if (r.verdict == CheckVerdict::Unknown) {
      out << "      <error type=\"unknown\" message=\""
          << escape_xml("not decided: " +
                        (r.has_evidence ? r.evidence.unknown_reason : std::string("solver limit")))
          << "\">" << escape_xml(details(r)) << "</error>\n";
    } else if (!r.notes.empty()) {
      out << "      <system-out>" << escape_xml(details(r)) << "</system-out>\n";
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace vpcprove::queries
