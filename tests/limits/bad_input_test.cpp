// SPDX-License-Identifier: Apache-2.0
// The contract's exit 2 at the command line: every bad argument, missing file or broken side
// file is "a message on stderr, nothing on stdout that looks like an answer", never a crash.
// (Bad snapshots are tested where they are read: tests/unit/aws, tests/corpus_load, limits_test.)
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/limits/subprocess.h"
#include "tests/support/test_paths.h"

namespace vpcprove {
namespace {

namespace fs = std::filesystem;

const std::string kPrimer = std::string(VPCPROVE_SOURCE_DIR) + "/examples/primer";
const std::string kWeb = "eni-0c4d941a10da0333c";

fs::path side_file(const std::string& name, const std::string& text) {
  const fs::path dir = fs::path(VPCPROVE_LIMITS_WORK_DIR) / ("bad-input-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << text;
  return dir / name;
}

std::string missing(const std::string& name) {
  return (fs::path(VPCPROVE_LIMITS_WORK_DIR) / "no-such-dir" / name).string();
}

struct Case {
  const char* what;
  std::vector<std::string> args;
  std::string quoted;  ///< what the message must quote ("" for CLI11's own usage messages)
};

void require_exit_2(const Case& c) {
  std::vector<std::string> argv{VPCPROVE_CLI};
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  const auto r = testing::run_process(argv);
  INFO(c.what << ": " << testing::describe_status(r) << "\nstderr: " << r.err.substr(0, 1000)
              << "\nstdout: " << r.out.substr(0, 500));
  REQUIRE(r.term_signal == 0);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_FALSE(r.err.empty());
  CHECK(r.err.find("internal error") == std::string::npos);
  if (!c.quoted.empty()) {
    CHECK(r.err.rfind("vpcprove: error: ", 0) == 0);
    CHECK(r.err.find(c.quoted) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("bad CIDRs, addresses, ports and protocols on the command line are exit 2", "[limits][bad-input]") {
  for (const auto& c : std::vector<Case>{
           {"a /33 CIDR", {"reach", kPrimer, "--from", "10.0.0.0/33", "--to", "internet"}, "10.0.0.0/33"},
           {"an octet of 300", {"trace", kPrimer, "--from", "internet", "--to", "10.0.0.300"}, "10.0.0.300"},
           {"a port of 70000",
            {"reach", kPrimer, "--from", "internet", "--to", kWeb, "--dst-port", "70000"},
            "70000"},
           {"a reversed range",
            {"reach", kPrimer, "--from", "internet", "--to", kWeb, "--dst-port", "90-80"},
            "90-80"},
           {"an unknown protocol",
            {"reach", kPrimer, "--from", "internet", "--to", kWeb, "--protocol", "bogus"},
            "bogus"},
       }) {
    require_exit_2(c);
  }
}

TEST_CASE("usage errors are exit 2: unknown options, bad values, a missing snapshot argument",
          "[limits][bad-input]") {
  for (const auto& c : std::vector<Case>{
           {"an unknown option", {"reach", kPrimer, "--from", "internet", "--to", kWeb, "--bogus"}, ""},
           {"an unknown command", {"prove-everything", kPrimer}, ""},
           {"no command", {}, ""},
           {"no snapshot", {"exposure"}, ""},
           {"--jobs not a number", {"exposure", kPrimer, "--jobs", "many"}, ""},
           {"--timeout-ms negative", {"exposure", kPrimer, "--timeout-ms", "-1"}, ""},
           {"a bad --semantics", {"exposure", kPrimer, "--semantics", "maybe"}, ""},
       }) {
    require_exit_2(c);
  }
}

TEST_CASE("missing snapshot, spec, scope and result files are exit 2 naming the path",
          "[limits][bad-input]") {
  for (const auto& c : std::vector<Case>{
           {"a missing snapshot", {"exposure", missing("snapshot")}, "snapshot"},
           {"a missing spec", {"check", kPrimer, "--spec", missing("spec.yaml")}, "spec.yaml"},
           {"a missing scope", {"check", kPrimer, "--scope", missing("scope.json")}, "scope.json"},
           {"a missing result",
            {"graph", kPrimer, "--result", missing("r.json"), "-o", missing("g.dot")},
            "r.json"},
       }) {
    require_exit_2(c);
  }
}

TEST_CASE("broken spec and scope files are exit 2 naming the file", "[limits][bad-input]") {
  const auto yaml = side_file("broken.yaml", "invariants:\n  - {name: a, from: internet\n");
  const auto cidr = side_file("bad-cidr.yaml",
                              "invariants:\n  - {name: a, from: 10.0.0.0/33, to: internet, "
                              "expect: unreachable}\n");
  const auto json = side_file("broken-scope.json", "{\"MatchPaths\": [");
  for (const auto& c : std::vector<Case>{
           {"YAML that does not parse", {"check", kPrimer, "--spec", yaml.string()}, "broken.yaml"},
           {"a /33 selector in a spec", {"check", kPrimer, "--spec", cidr.string()}, "bad-cidr.yaml"},
           {"a scope that is not JSON", {"check", kPrimer, "--scope", json.string()}, "broken-scope.json"},
       }) {
    require_exit_2(c);
  }
}

TEST_CASE("an output path that is not UTF-8 is written and reported in JSON, not an internal error",
          "[limits][bad-input]") {
  const fs::path out = side_file("graph-\xff.dot", "").string();
  const auto r =
      testing::run_process({VPCPROVE_CLI, "graph", kPrimer, "-o", out.string(), "--format", "json"});
  INFO(testing::describe_status(r) << "\nstderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("graph-\xEF\xBF\xBD.dot") != std::string::npos);  // U+FFFD
  CHECK(fs::file_size(out) > 0);
}

}  // namespace vpcprove
