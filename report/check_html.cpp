// SPDX-License-Identifier: Apache-2.0
// A self-contained HTML page of a check run, each counterexample's path as a chain of boxes.
#include <iomanip>
#include <sstream>

#include "common/escape.h"
#include "model/packet.h"
#include "report/check_report.h"
#include "report/reach_report.h"

namespace vpcprove::queries {

namespace {

struct Box {
  std::string title;
  std::string line2;
  std::string line3;
  bool stop = false;
};

/**
 * A path as a row of boxes that wraps onto the next line. Each box holds its whole text and
 * breaks long IDs anywhere, so a rule is never cut off (a fixed-width SVG box cut
 * "54.172.33.90 -> 10.0.1.20 (eni-0c…" short, and overflowed its border in a browser).
 */
void hop_chain(std::ostream& out, const std::vector<Box>& boxes) {
  out << "<ol class=\"chain\">\n";
  for (const Box& b : boxes) {
    out << "<li class=\"" << (b.stop ? "stop" : "hop") << "\"><span class=\"id\">" << escape_html(b.title)
        << "</span>";
    if (!b.line2.empty()) out << "<span>" << escape_html(b.line2) << "</span>";
    if (!b.line3.empty()) out << "<span class=\"rule\">" << escape_html(b.line3) << "</span>";
    out << "</li>\n";
  }
  out << "</ol>\n";
}

void example_html(std::ostream& out, const ReachResult& e) {
  out << "<div class=\"example\"><p class=\"pair\">" << escape_html(e.from_member.value_or(e.from))
      << " &#8594; " << escape_html(e.to_member.value_or(e.to)) << "</p>\n";
  std::vector<Box> boxes;
  if (e.verdict == Verdict::Reachable && e.packet) {
    out << "<p><code>" << escape_html(model::describe(*e.packet)) << "</code> is "
        << escape_html(model::to_string(e.disposition)) << "</p>\n";
    for (const auto& h : e.path) boxes.push_back({h.at, h.step, h.by, false});
  } else if (e.verdict == Verdict::Unreachable) {
    out << "<p>No working connection. Where it stops:</p><ul>\n";
    for (const auto& x : e.reasons) {
      out << "<li><code>" << escape_html(x.at) << "</code> (" << escape_html(x.step)
          << "): " << escape_html(x.code) << " &#8212; " << escape_html(x.detail) << "</li>\n";
    }
    out << "</ul>\n";
    if (!e.reasons.empty()) {
      const auto& first = e.reasons.front();
      for (const auto& v : first.path) boxes.push_back({v, "", "", false});
      boxes.push_back({first.at, first.step, first.code, true});
    }
  } else {
    out << "<p>Not decided: " << escape_html(e.unknown_reason) << "</p>\n";
  }
  if (!boxes.empty()) hop_chain(out, boxes);
  if (e.session && e.session->reply) {
    out << "<p>Reply: <code>" << escape_html(model::describe(e.session->reply->initial)) << "</code>"
        << (e.session->established ? " comes back (session established)" : "") << "</p>\n";
    std::vector<Box> reply;
    for (const auto& h : e.session->reply->hops) reply.push_back({h.at, h.step, h.by, false});
    if (e.session->reply_drop) {
      const auto& d = *e.session->reply_drop;
      reply.push_back({d.at, d.step, d.code, true});
    }
    if (!reply.empty()) hop_chain(out, reply);
  }
  out << "</div>\n";
}

const char* kStyle = R"(body{font-family:system-ui,sans-serif;margin:2em;color:#1d2329}
h1{font-size:1.4em}table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:4px 8px;text-align:left}
.holds{color:#17702f}.violated{color:#b3261e}.unknown{color:#8a6100}
.chain{display:flex;flex-wrap:wrap;align-items:stretch;list-style:none;margin:6px 0;padding:0}
.chain li{box-sizing:border-box;width:16em;margin:0 2.2em 8px 0;padding:6px 8px;border:1px solid #4a6fa5;
border-radius:6px;background:#eef3fb;font:12px monospace;overflow-wrap:anywhere;position:relative}
.chain li.stop{border-color:#b3261e;background:#fbeeee}.chain li span{display:block}
.chain li+li::before{content:"\2192";position:absolute;left:-1.8em;top:40%;color:#555;font-size:14px}
.chain .id{font-weight:bold}.chain .rule{color:#555}
.example{border-left:3px solid #ccd;padding-left:10px;margin:10px 0}
code{background:#f3f3f6;padding:1px 3px})";

}  // namespace

void write_html_report(std::ostream& out, const CheckReport& report) {
  const auto& s = report.summary;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
      << "<title>vpcprove check: " << escape_html(report.snapshot) << "</title>\n<style>" << kStyle
      << "</style></head><body>\n";
  out << "<h1>vpcprove check: " << escape_html(report.snapshot) << "</h1>\n";
  out << "<p class=\"summary\">" << report.results.size() << " invariant(s): <span class=\"holds\">"
      << s.holds << " hold</span>, <span class=\"violated\">" << s.violated
      << " violated</span>, <span class=\"unknown\">" << s.unknown << " unknown</span> (" << std::fixed
      << std::setprecision(1) << report.elapsed_ms << " ms)</p>\n";
  out.unsetf(std::ios::fixed);
  out << "<table><tr><th>invariant</th><th>verdict</th><th>severity</th><th>control</th><th>question</th></"
         "tr>\n";
  for (std::size_t i = 0; i < report.results.size(); ++i) {
    const auto& r = report.results[i];
    const auto& inv = r.invariant;
    out << "<tr><td><a href=\"#inv" << i << "\">" << escape_html(inv.name) << "</a></td><td class=\""
        << to_string(r.verdict) << "\">" << to_string(r.verdict) << "</td><td>" << to_string(inv.severity)
        << "</td><td>" << escape_html(inv.control) << "</td><td>" << escape_html(inv.from) << " &#8594; "
        << escape_html(inv.to) << " (expect " << to_string(inv.expect) << ")</td></tr>\n";
  }
  out << "</table>\n";
  for (std::size_t i = 0; i < report.results.size(); ++i) {
    const auto& r = report.results[i];
    auto shown = counterexamples(r);
    if (shown.empty() && r.verdict == CheckVerdict::Unknown && r.has_evidence) shown.push_back(&r.evidence);
    // Every invariant has its section, so that every link of the table above lands somewhere.
    out << "<section id=\"inv" << i << "\"><h2 class=\"" << to_string(r.verdict) << "\">"
        << escape_html(r.invariant.name) << ": " << to_string(r.verdict) << "</h2>\n";
    if (!r.invariant.description.empty()) out << "<p>" << escape_html(r.invariant.description) << "</p>\n";
    for (const auto& note : r.notes) out << "<p class=\"note\">Note: " << escape_html(note) << "</p>\n";
    if (!r.failing_pairs.empty()) {
      out << "<p>" << r.failing_pairs.size() << " of " << r.pairs
          << " pair(s) without a working connection:</p><ul>\n";
      for (const auto& p : r.failing_pairs) {
        out << "<li><code>" << escape_html(p.from_member) << "</code> &#8594; <code>"
            << escape_html(p.to_member) << "</code> "
            << (p.verdict == Verdict::Unknown ? "unknown" : "unreachable") << "</li>\n";
      }
      out << "</ul>\n";
    }
    for (const ReachResult* e : shown) example_html(out, *e);
    if (shown.empty() && r.failing_pairs.empty() && r.verdict == CheckVerdict::Holds)
      out << "<p>Proved for every packet of the question.</p>\n";
    out << "</section>\n";
  }
  out << "</body></html>\n";
}

}  // namespace vpcprove::queries
