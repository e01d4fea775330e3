// SPDX-License-Identifier: Apache-2.0
// read_check_report (queries/report_read.h) is the inverse of check_report_json for everything a
// report shows: vpcprove merge renders shards through it, so a field the JSON writer gains and
// the reader misses fails here first, naming the format that lost it.
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "primer_fixture.h"
#include "queries/scope_check.h"
#include "report/check_read.h"
#include "tests/support/test_paths.h"

namespace vpcprove::check_test {
namespace {

queries::CheckReport report_of(std::vector<queries::InvariantResult> results) {
  queries::CheckReport r;
  r.tool_version = "0.1.0";
  r.snapshot = "examples/primer";
  r.spec_files = {"library.yaml"};
  r.results = std::move(results);
  r.summary = queries::summarize(r.results);
  r.elapsed_ms = 12.5;
  return r;
}

// Timings aside: the JSON keeps one elapsed_ms per result, where text and JUnit also print the
// evidence's own.
std::string without_timings(const std::string& report) {
  static const std::regex ms(R"([0-9.e+-]+ ms\))");
  static const std::regex seconds(R"(time="[0-9.]+")");
  return std::regex_replace(std::regex_replace(report, ms, "T ms)"), seconds, "time=\"T\"");
}

void require_round_trip(const queries::CheckReport& original) {
  const nlohmann::json written = queries::check_report_json(original);
  queries::CheckReport read = queries::read_check_report(written, "shard.json");
  read.tool_version = original.tool_version;
  CHECK(queries::check_report_json(read).dump(2) == written.dump(2));
  for (const char* format : {"text", "sarif", "junit", "html"}) {
    INFO("format " << format);
    std::ostringstream a;
    std::ostringstream b;
    queries::write_report(a, original, format);
    queries::write_report(b, read, format);
    CHECK(without_timings(b.str()) == without_timings(a.str()));
  }
}

std::vector<queries::Invariant> library() {
  std::vector<queries::Invariant> all;
  for (const char* file : {"cis-aws-foundations.yaml", "aws-fsbp-ec2.yaml", "network-segmentation.yaml"}) {
    for (auto& inv : queries::load_spec(std::string(VPCPROVE_SOURCE_DIR) + "/specs/" + file).invariants) {
      all.push_back(inv);
    }
  }
  for (auto& inv :
       queries::load_spec(std::string(VPCPROVE_SOURCE_DIR) + "/tests/cli/web-reaches-db.yaml").invariants) {
    all.push_back(inv);
  }
  return all;
}

}  // namespace

TEST_CASE("a check report read back from its JSON prints the same in every format", "[report_read]") {
  auto results = queries::run_check(primer(), library(), {});
  const auto scope =
      queries::load_scope(std::string(VPCPROVE_SOURCE_DIR) + "/specs/naa/igw-to-all-enis.json");
  results.push_back(queries::run_scope(primer(), scope, {}));
  const auto report = report_of(std::move(results));
  REQUIRE(report.summary.violated > 0);  // counterexamples, reasons and replies are all exercised
  REQUIRE(report.summary.holds > 0);
  require_round_trip(report);
}

TEST_CASE("an unknown answer reads back with its reason", "[report_read]") {
  queries::CheckOptions options;
  options.ask = [](queries::Prover&, const queries::ReachQuery& q) {
    queries::ReachResult r;
    r.verdict = queries::Verdict::Unknown;
    r.from = q.from.text;
    r.to = q.to.text;
    r.unknown_reason = "timeout after 1 ms";
    return r;
  };
  const auto report = report_of(run(primer(), R"(invariants:
  - name: web-https
    from: internet
    to: )" + kWeb + R"(
    protocol: tcp
    dst_port: 443
    expect: reachable
)",
                                    options));
  REQUIRE(report.summary.unknown == 1);
  require_round_trip(report);
}

TEST_CASE("what is not a check report is refused naming the file and the field", "[report_read]") {
  const auto bad =
      nlohmann::json::parse(R"({"results": [{"name": "x"}], "snapshot": "s", "specs": [], "elapsed_ms": 1})");
  CHECK_THROWS_WITH(queries::read_check_report(bad, "shard-1.json"),
                    Catch::Contains("shard-1.json") && Catch::Contains("results[0]"));
}

}  // namespace vpcprove::check_test
