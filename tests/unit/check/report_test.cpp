// SPDX-License-Identifier: Apache-2.0
// The reports of check: shapes audit tooling parses, SARIF 2.1.0 structure, escaping of hostile strings.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "primer_fixture.h"
#include "report/check_report.h"

using namespace vpcprove;
using namespace vpcprove::check_test;
using nlohmann::json;
using queries::CheckVerdict;

namespace {

// A name and an ID with quotes, markup, an ampersand, a control character and a byte that is
// not UTF-8: every format must carry them without breaking its syntax.
const std::string kHostileName = std::string("evil\"<b>&'") + '\x01' + "\xff" + "name";
const std::string kHostileId = std::string("sg-<x>&\"y\"") + '\x1b' + "[31m";

queries::CheckReport primer_report() {
  queries::CheckReport report;
  report.tool_version = "0.0.0-test";
  report.snapshot = "examples/primer";
  report.spec_files = {"test.yaml"};
  report.results = run(primer(), R"(invariants:
  - {name: no-ssh, from: internet, to: vpc-0af3841a0ca2bbffe, protocol: tcp, dst_port: 22, expect: unreachable, severity: high, control: "CIS 5.2"}
  - {name: app-db, from: sg-0e6835e5e64cfe081, to: sg-08a66024d8bd1b996, protocol: tcp, dst_port: 5432, expect: reachable, severity: low}
  - {name: web-db, from: eni-0c4d941a10da0333c, to: eni-048dd1e45e6cc4df4, protocol: tcp, dst_port: 5432, expect: reachable, severity: medium}
)");
  // A hostile result next to the real ones: a violated invariant whose path names a hostile ID,
  // and an unknown one.
  queries::InvariantResult evil = report.results[0];
  evil.invariant.name = kHostileName;
  evil.invariant.description = kHostileName;
  evil.invariant.control = kHostileName;
  evil.evidence.path.front().at = kHostileId;
  evil.evidence.path.front().by = kHostileId;
  report.results.push_back(evil);
  queries::InvariantResult unknown = report.results[1];
  unknown.invariant.name = "undecided";
  unknown.verdict = CheckVerdict::Unknown;
  unknown.evidence.verdict = queries::Verdict::Unknown;
  unknown.evidence.unknown_reason = "timeout";
  report.results.push_back(unknown);
  report.summary = queries::summarize(report.results);
  return report;
}

std::string render(const queries::CheckReport& r, const std::string& format) {
  std::ostringstream out;
  queries::write_report(out, r, format);
  return out.str();
}

/** xmllint's verdict on text (XML well-formedness), or -1 when xmllint is not installed. */
int xmllint(const std::string& text, const std::string& name) {
#ifdef VPCPROVE_XMLLINT
  const std::string path = std::string("report_test_") + name;
  std::ofstream(path) << text;
  const std::string cmd = std::string(VPCPROVE_XMLLINT) + " --noout " + path + " 2>&1";
  const int rc = std::system(cmd.c_str());
  std::remove(path.c_str());
  return rc;
#else
  (void)text;
  (void)name;
  return -1;
#endif
}

bool is_string(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() && !j[key].get<std::string>().empty();
}

}  // namespace

TEST_CASE("the text report has one line per invariant, then counterexamples, then a summary",
          "[report][text]") {
  const std::string t = render(primer_report(), "text");
  CHECK_THAT(t, Catch::StartsWith("\u2717 no-ssh "));
  CHECK_THAT(t, Catch::Contains("\u2713 app-db "));
  CHECK_THAT(t, Catch::Contains("\u2717 web-db "));
  CHECK_THAT(t, Catch::Contains("? undecided "));
  CHECK_THAT(t, Catch::Contains("packet: tcp 203.0.113."));
  CHECK_THAT(t, Catch::Contains("eni-0c4d941a10da0333c -> eni-048dd1e45e6cc4df4  unreachable"));
  CHECK_THAT(t, Catch::Contains("5 invariant(s): 1 hold, 3 violated, 1 unknown"));
  // No raw control character or broken UTF-8 reaches a terminal.
  CHECK_THAT(t, Catch::Contains("\\x01\\xffname"));
  CHECK_THAT(t, Catch::Contains("\\x1b[31m"));
  CHECK(t.find('\x1b') == std::string::npos);
  CHECK(t.find('\x01') == std::string::npos);
}

TEST_CASE("the JSON report has the contract's shape with the reach fields", "[report][json]") {
  const json j = json::parse(render(primer_report(), "json"));
  CHECK(j["summary"] == json({{"holds", 1}, {"violated", 3}, {"unknown", 1}}));
  REQUIRE(j["results"].size() == 5);
  const json& a = j["results"][0];
  CHECK(a["name"] == "no-ssh");
  CHECK(a["verdict"] == "violated");
  CHECK(a["reach_verdict"] == "reachable");
  for (const char* key : {"from", "to", "semantics", "from_member", "to_member", "packet", "path",
                          "disposition", "reply", "reason", "assumptions", "elapsed_ms"}) {
    CHECK(a.contains(key));
  }
  CHECK(a["packet"]["dst_port"] == 22);
  CHECK(a["to_member"] == kWeb);
  const json& c = j["results"][2];
  CHECK(c["verdict"] == "violated");
  CHECK(c["from_member"] == kWeb);
  CHECK(c["failing_pairs"].size() == 1);
  CHECK(j["results"][4]["verdict"] == "unknown");
  CHECK(j["results"][4]["reason"]["code"] == "SOLVER_UNKNOWN");
  // The hostile name survives as text (the invalid byte becomes U+FFFD).
  CHECK(j["results"][3]["name"].get<std::string>().rfind("evil\"<b>&'\x01", 0) == 0);
}

TEST_CASE("SARIF levels follow severity", "[report][sarif]") {
  CHECK(std::string(queries::sarif_level(queries::Severity::Critical)) == "error");
  CHECK(std::string(queries::sarif_level(queries::Severity::High)) == "error");
  CHECK(std::string(queries::sarif_level(queries::Severity::Medium)) == "warning");
  CHECK(std::string(queries::sarif_level(queries::Severity::Low)) == "note");
}

// There is no SARIF validator package on Debian 12, so this checks, with nlohmann-json, the parts
// of the SARIF 2.1.0 schema (https://json.schemastore.org/sarif-2.1.0.json) a report uses: the
// required properties, the enumerations, and the shapes of locations.
TEST_CASE("the SARIF report has the structure the SARIF 2.1.0 schema requires", "[report][sarif]") {
  const json j = json::parse(render(primer_report(), "sarif"));
  REQUIRE(j.is_object());
  CHECK(j["version"] == "2.1.0");
  REQUIRE(is_string(j, "$schema"));
  CHECK_THAT(j["$schema"].get<std::string>(), Catch::Contains("sarif-2.1.0"));
  REQUIRE(j["runs"].is_array());
  REQUIRE(j["runs"].size() == 1);
  const json& run = j["runs"][0];
  REQUIRE(run["tool"]["driver"].is_object());
  CHECK(is_string(run["tool"]["driver"], "name"));
  CHECK(run["tool"]["driver"]["version"] == "0.0.0-test");
  const json& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.is_array());
  REQUIRE(rules.size() == 5);
  std::set<std::string> ids;
  for (const auto& rule : rules) {
    REQUIRE(is_string(rule, "id"));
    CHECK(ids.insert(rule["id"].get<std::string>()).second);
    CHECK(rule["shortDescription"]["text"].is_string());
    const std::string level = rule["defaultConfiguration"]["level"];
    CHECK((level == "none" || level == "note" || level == "warning" || level == "error"));
  }
  REQUIRE(run["results"].is_array());
  std::size_t fails = 0, opens = 0;
  for (const auto& result : run["results"]) {
    REQUIRE(is_string(result, "ruleId"));
    REQUIRE(result["message"].is_object());
    CHECK(is_string(result["message"], "text"));
    const std::string level = result["level"];
    CHECK((level == "none" || level == "note" || level == "warning" || level == "error"));
    const std::string kind = result["kind"];
    CHECK((kind == "fail" || kind == "open" || kind == "pass" || kind == "review" ||
           kind == "informational" || kind == "notApplicable"));
    if (kind != "fail") CHECK(level == "none");  // §3.27.9: level is none unless kind is fail
    fails += kind == "fail" ? 1 : 0;
    opens += kind == "open" ? 1 : 0;
    const std::size_t index = result["ruleIndex"];
    REQUIRE(index < rules.size());
    CHECK(rules[index]["id"] == result["ruleId"]);
    REQUIRE(result["locations"].is_array());
    for (const auto& loc : result["locations"]) {
      REQUIRE(loc["physicalLocation"]["artifactLocation"]["uri"].is_string());
      if (loc["physicalLocation"].contains("region"))
        CHECK(loc["physicalLocation"]["region"]["startLine"].get<int>() >= 1);
      if (loc.contains("logicalLocations")) {
        REQUIRE(loc["logicalLocations"].is_array());
        for (const auto& l : loc["logicalLocations"]) {
          CHECK(is_string(l, "name"));
          CHECK(l["kind"] == "resource");
        }
      }
    }
  }
  CHECK(fails == 3);  // no-ssh, web-db, the hostile one
  CHECK(opens == 1);  // undecided
  // The first result names every resource on its path as a logical location, and its level is
  // the severity's (high -> error).
  const json& first = run["results"][0];
  CHECK(first["ruleId"] == "no-ssh");
  CHECK(first["level"] == "error");
  std::set<std::string> names;
  for (const auto& l : first["locations"][0]["logicalLocations"]) names.insert(l["name"].get<std::string>());
  CHECK(names.count(kIgw) == 1);
  CHECK(names.count(kWeb) == 1);
  CHECK(run["results"][1]["level"] == "warning");  // web-db is medium
}

TEST_CASE("the JUnit report is well-formed XML with a testcase per invariant", "[report][junit]") {
  const std::string x = render(primer_report(), "junit");
  CHECK_THAT(x, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  CHECK_THAT(x, Catch::Contains("tests=\"5\" failures=\"3\" errors=\"1\""));
  std::size_t cases = 0;
  for (std::size_t at = x.find("<testcase "); at != std::string::npos; at = x.find("<testcase ", at + 1))
    ++cases;
  CHECK(cases == 5);
  CHECK_THAT(x, Catch::Contains("<failure type=\"violated\""));
  CHECK_THAT(x, Catch::Contains("<error type=\"unknown\""));
  CHECK_THAT(x, Catch::Contains("name=\"evil&quot;&lt;b&gt;&amp;&#39;\\x01\\xffname\""));
  CHECK(x.find('\x1b') == std::string::npos);
  CHECK(x.find("<b>") == std::string::npos);
  CHECK(xmllint(x, "junit.xml") == 0);  // -1: xmllint (libxml2-utils, from install-deps) is missing
}

TEST_CASE("the HTML report is one self-contained, well-formed page with each path's hops whole",
          "[report][html]") {
  const std::string h = render(primer_report(), "html");
  CHECK_THAT(h, Catch::StartsWith("<!DOCTYPE html>"));
  CHECK_THAT(h, Catch::Contains("<style>"));
  CHECK_THAT(h, Catch::Contains("<ol class=\"chain\">"));
  CHECK_THAT(h, Catch::Contains(kIgw));
  CHECK(h.find("<script") == std::string::npos);
  CHECK(h.find("<link") == std::string::npos);
  CHECK(h.find("src=") == std::string::npos);
  CHECK(h.find("href=\"http") == std::string::npos);
  CHECK(h.find("<b>") == std::string::npos);
  CHECK(h.find('\x1b') == std::string::npos);
  CHECK_THAT(h, Catch::Contains("evil&quot;&lt;b&gt;&amp;&#39;"));
  // The page is also well-formed XML (XHTML syntax), which proves every string was escaped.
  CHECK(xmllint(h, "page.html") == 0);
  // Every link of the table lands on a section, holds included.
  std::size_t links = 0;
  for (auto at = h.find("href=\"#"); at != std::string::npos; at = h.find("href=\"#", at + 1)) {
    const auto start = at + 7;
    const std::string target = h.substr(start, h.find('"', start) - start);
    INFO("link #" << target);
    CHECK(h.find("id=\"" + target + "\"") != std::string::npos);
    ++links;
  }
  CHECK(links == primer_report().results.size());
}
