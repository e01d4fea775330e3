// SPDX-License-Identifier: Apache-2.0
// The CLI at its limits: deep nesting, solver limits, Ctrl-C. An answer or a clear error, never a crash.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/limits/subprocess.h"
#include "tests/support/test_paths.h"

namespace vpcprove {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::run_process;

fs::path work_dir() {
  static const fs::path dir = [] {
    // One folder per process: ctest -j runs test cases of this binary side by side.
    fs::path d = fs::path(VPCPROVE_LIMITS_WORK_DIR) / std::to_string(::getpid());
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

fs::path write(const std::string& name, const std::string& text) {
  const fs::path p = work_dir() / name;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

ProcessResult vpcprove(std::vector<std::string> args, const testing::RunOptions& options = {}) {
  args.insert(args.begin(), VPCPROVE_CLI);
  return run_process(args, options);
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

/** Bad input: the contract's exit 2, a message on stderr, nothing on stdout. */
void require_clean_rejection(const ProcessResult& r) {
  INFO(testing::describe_status(r) << "\nstderr: " << r.err.substr(0, 1000)
                                   << "\nstdout: " << r.out.substr(0, 500));
  REQUIRE(r.term_signal == 0);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("vpcprove: error: ") != std::string::npos);
  CHECK(r.err.find("internal error") == std::string::npos);
}

constexpr std::size_t kDeep = 100000;

// A big estate (benchmarks/gen_estate) for the solver-limit and Ctrl-C tests: 300 ENIs, where
// "internet -> private-subnets" needs a few seconds of solving (several hundred checks).
const fs::path& estate() {
  static const fs::path dir = [] {
    const fs::path d = work_dir() / "estate";
    const auto r =
        run_process({VPCPROVE_GEN_ESTATE, "--enis", "300", "--vpcs", "3", "--seed", "1", "-o", d.string()});
    if (r.exit_code != 0) throw std::runtime_error("gen_estate failed: " + r.err);
    return d;
  }();
  return dir;
}

// A small estate whose every path check is big: 1,000 rules in each security group and NACL,
// so one check takes far longer than 1 ms to bit-blast and solve, on any machine.
const fs::path& hard_estate() {
  static const fs::path dir = [] {
    const fs::path d = work_dir() / "hard-estate";
    const auto r =
        run_process({VPCPROVE_GEN_ESTATE, "--enis", "30", "--vpcs", "1", "--sgs", "4", "--rules-per-sg",
                     "1000", "--nacl-entries", "1000", "--seed", "1", "-o", d.string()});
    if (r.exit_code != 0) throw std::runtime_error("gen_estate failed: " + r.err);
    return d;
  }();
  return dir;
}

// An estate on which reach and a six-invariant check run for seconds even in a Release build on a
// fast machine (reach about 17 s, check about 5 s on the 2-core CI box), so a SIGINT sent after
// one second always lands while the work is under way, never in a race with the answer.
const fs::path& slow_estate() {
  static const fs::path dir = [] {
    const fs::path d = work_dir() / "slow-estate";
    const auto r =
        run_process({VPCPROVE_GEN_ESTATE, "--enis", "120", "--vpcs", "1", "--sgs", "8", "--rules-per-sg",
                     "1000", "--nacl-entries", "1000", "--seed", "1", "-o", d.string()});
    if (r.exit_code != 0) throw std::runtime_error("gen_estate failed: " + r.err);
    return d;
  }();
  return dir;
}

}  // namespace

TEST_CASE("100,000 nested arrays are rejected with exit 2, not a stack overflow", "[limits][nesting]") {
  const auto f = write("deep-array.json", repeat("[", kDeep) + repeat("]", kDeep));
  require_clean_rejection(vpcprove({"inventory", f.string()}));
}

TEST_CASE("100,000 unclosed brackets are rejected as broken JSON", "[limits][nesting]") {
  const auto f = write("deep-open.json", repeat("[", kDeep));
  const auto r = vpcprove({"inventory", f.string()});
  require_clean_rejection(r);
  CHECK(r.err.find("broken JSON") != std::string::npos);
}

TEST_CASE("deep nesting under a known key is rejected naming the resource list", "[limits][nesting]") {
  const auto f = write("deep-vpcs.json", "{\"Vpcs\": " + repeat("[", kDeep) + repeat("]", kDeep) + "}");
  const auto r = vpcprove({"inventory", f.string()});
  require_clean_rejection(r);
  CHECK(r.err.find("Vpcs") != std::string::npos);
}

TEST_CASE("deeply nested objects inside a field are rejected or ignored, never crash", "[limits][nesting]") {
  const std::string deep = repeat("{\"a\":", kDeep) + "1" + repeat("}", kDeep);
  // In a field the loader reads (Tags must be a list) and in one it ignores (unknown field).
  const auto tags = write("deep-tags.json",
                          "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.0.0/16\", "
                          "\"State\": \"available\", \"Tags\": " +
                              deep + "}]}");
  require_clean_rejection(vpcprove({"inventory", tags.string()}));
  const auto unknown = write("deep-unknown.json",
                             "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.0.0/16\", "
                             "\"State\": \"available\", \"Whatever\": " +
                                 deep + "}]}");
  const auto r = vpcprove({"inventory", unknown.string(), "--format", "json"});
  INFO(testing::describe_status(r) << "\n" << r.err.substr(0, 1000));
  REQUIRE(r.term_signal == 0);
  CHECK(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["counts"]["vpcs"] == 1);
}

TEST_CASE("a number too big for a double is bad input, not an internal error", "[limits][nesting]") {
  // Once a finding of fuzz_snapshot (fuzz/regressions/snapshot/number-overflow-*).
  const auto f = write("huge-number.json", "{\"Vpcs\": [1E400]}");
  require_clean_rejection(vpcprove({"inventory", f.string()}));
}

TEST_CASE("a deeply nested spec file is rejected with exit 2", "[limits][nesting]") {
  const auto spec = write("deep.yaml", "invariants: " + repeat("[", kDeep) + repeat("]", kDeep) + "\n");
  const auto primer = std::string(VPCPROVE_SOURCE_DIR) + "/examples/primer";
  require_clean_rejection(vpcprove({"check", primer, "--spec", spec.string()}));
  std::string blocks = "invariants:\n";
  for (int i = 1; i < 5000; ++i) blocks += std::string(static_cast<std::size_t>(2 * i), ' ') + "-\n";
  const auto spec2 = write("deep-blocks.yaml", blocks);
  require_clean_rejection(vpcprove({"check", primer, "--spec", spec2.string()}));
}

TEST_CASE("a deeply nested access scope is rejected with exit 2", "[limits][nesting]") {
  const auto scope =
      write("deep-scope.json", "{\"MatchPaths\": " + repeat("[", kDeep) + repeat("]", kDeep) + "}");
  const auto primer = std::string(VPCPROVE_SOURCE_DIR) + "/examples/primer";
  require_clean_rejection(vpcprove({"check", primer, "--scope", scope.string()}));
}

TEST_CASE("a solver limit gives unknown and exit 3, never a proof", "[limits][solver]") {
  // Whether 1 ms runs out depends on the machine's load, so the test pins what must hold either
  // way: a limited run answers unknown (exit 3, SOLVER_UNKNOWN) or exactly what the unlimited
  // run answers; it never turns a limit into a proof the unlimited run does not give.
  const auto full = vpcprove({"reach", estate().string(), "--from", "internet", "--to", "private-subnets"});
  REQUIRE(full.exit_code == 0);
  REQUIRE(full.out.rfind("unreachable", 0) == 0);
  const auto r = vpcprove({"reach", estate().string(), "--from", "internet", "--to", "private-subnets",
                           "--timeout-ms", "1", "--format", "json"});
  INFO(testing::describe_status(r) << "\nstderr: " << r.err.substr(0, 1000)
                                   << "\nstdout: " << r.out.substr(0, 1000));
  REQUIRE(r.term_signal == 0);
  const auto j = nlohmann::json::parse(r.out);
  if (r.exit_code == 3) {
    CHECK(j["verdict"] == "unknown");
    CHECK(j["reason"]["code"] == "SOLVER_UNKNOWN");
  } else {
    CHECK(r.exit_code == 0);
    CHECK(j["verdict"] == "unreachable");
  }
}

TEST_CASE("an unknown answer names the limit that was hit", "[limits][solver]") {
  // Z3 4.8 reports its timer as "canceled"; the answer names --timeout-ms instead. Whether 1 ms
  // runs out depends on the load, so a run that answered in time has nothing to show here.
  const auto r = vpcprove(
      {"reach", estate().string(), "--from", "internet", "--to", "private-subnets", "--timeout-ms", "1"});
  INFO(r.out);
  if (r.exit_code != 3) return;
  CHECK(r.out.find("--timeout-ms 1") != std::string::npos);
}

TEST_CASE("a limit hit while explaining never says the header space is empty", "[limits][solver]") {
  // Internet to private subnets: every way is closed without the solver (no public IP), and
  // the explanation's checks may hit 1 ms. The header space is not empty: a check that stopped
  // names the limit (UNKNOWN), never NO_PACKET_IN_HEADER_SPACE.
  for (int attempt = 0; attempt < 5; ++attempt) {
    const auto r = vpcprove(
        {"reach", estate().string(), "--from", "internet", "--to", "private-subnets", "--timeout-ms", "1"});
    INFO(r.out.substr(0, 2000));
    CHECK((r.exit_code == 0 || r.exit_code == 3));
    CHECK(r.out.find("NO_PACKET_IN_HEADER_SPACE") == std::string::npos);
  }
}

TEST_CASE("a 1 ms limit on a hard question is unknown with exit 3 in reach, check and exposure, naming it",
          "[limits][solver]") {
  // Whether a given check outlasts 1 ms is the machine's business, so each command gets five
  // tries: one must end unknown (exit 3), and every other must give the unlimited answer.
  const std::string dir = hard_estate().string();
  const auto spec = write("hard.yaml",
                          "invariants:\n"
                          "  - {name: web-open, from: internet, to: public-subnets, expect: reachable}\n");
  const std::vector<std::vector<std::string>> commands = {
      {"reach", dir, "--from", "internet", "--to", "public-subnets", "--expect", "reachable", "--format",
       "json"},
      {"check", dir, "--spec", spec.string(), "--format", "json"},
      // Session exposure: the packet answer here is interval geometry, which no solver limit stops.
      {"exposure", dir, "--semantics", "session", "--format", "json"}};
  for (const auto& args : commands) {
    // Unlimited, session exposure needs minutes here (1,000 rules); a complete exposure list is exit 0.
    const int unlimited_exit = args[0] == "exposure" ? 0 : vpcprove(args).exit_code;
    REQUIRE((unlimited_exit == 0 || unlimited_exit == 1));
    auto limited_args = args;
    limited_args.insert(limited_args.end(), {"--timeout-ms", "1"});
    int unknown = 0;
    for (int attempt = 0; attempt < 5 && unknown == 0; ++attempt) {
      const auto r = vpcprove(limited_args);
      INFO("vpcprove " << args[0] << " --timeout-ms 1: " << testing::describe_status(r)
                       << "\nstderr: " << r.err.substr(0, 1000) << "\nstdout: " << r.out.substr(0, 1500));
      REQUIRE(r.term_signal == 0);
      nlohmann::json j;
      REQUIRE_NOTHROW(j = nlohmann::json::parse(r.out));
      if (r.exit_code == 3) {
        ++unknown;
        // reach: verdict unknown; check: an unknown invariant; exposure: an incomplete list.
        const bool says_unknown = j.value("verdict", "") == "unknown" ||
                                  (j.contains("summary") && j["summary"].value("unknown", 0) > 0) ||
                                  !j.value("complete", true);
        CHECK(says_unknown);
        CHECK(r.out.find("--timeout-ms 1 reached") != std::string::npos);
      } else {
        CHECK(r.exit_code == unlimited_exit);
      }
    }
    INFO("vpcprove " << args[0] << ": five runs under --timeout-ms 1 all answered in time");
    CHECK(unknown == 1);
  }
}

// Not in the ASan build: ASan maps terabytes of shadow address space, so under ulimit -v the
// program cannot start at all and the test would learn nothing.
#if !defined(__SANITIZE_ADDRESS__)
TEST_CASE("a snapshot bigger than the memory vpcprove may use is a clear error, never a crash",
          "[limits][memory]") {
  // ulimit -v caps the address space as RAM or a container would; at these caps the loader,
  // a worker thread or the model runs out, each a different path to the same clear error.
  int refused = 0;
  for (const int mb : {40, 60, 80, 100}) {
    const auto r =
        run_process({"/bin/sh", "-c", "ulimit -v " + std::to_string(mb * 1024) + " && exec \"$0\" \"$@\"",
                     VPCPROVE_CLI, "inventory", estate().string()});
    INFO("ulimit -v " << mb << " MB: " << testing::describe_status(r)
                      << "\nstderr: " << r.err.substr(0, 1000));
    REQUIRE(r.term_signal == 0);
    if (r.exit_code == 127 && r.err.find("error while loading shared libraries") != std::string::npos)
      continue;
    if (r.exit_code == 0) continue;  // it fitted
    ++refused;
    require_clean_rejection(r);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  CHECK(refused > 0);
}
#endif

TEST_CASE("Ctrl-C stops reach with exit 130, a message, and no answer on stdout", "[limits][interrupt]") {
  for (const int after_ms : {30, 1000}) {  // while loading; while solving
    const auto r =
        vpcprove({"reach", slow_estate().string(), "--from", "internet", "--to", "private-subnets"},
                 {std::chrono::milliseconds(after_ms)});
    INFO("SIGINT after " << after_ms << " ms: " << testing::describe_status(r) << " after " << r.elapsed_ms
                         << " ms\nstderr: " << r.err.substr(0, 2000) << "\nstdout: " << r.out.substr(0, 500));
    CHECK(r.out.empty());
    // A signal that lands before main() (a slow start, e.g. under ASan) kills the process the
    // default way, which a shell also reports as 130; only the later signal must find the handler.
    if (after_ms < 1000 && r.term_signal == SIGINT) continue;
    CHECK(r.term_signal == 0);
    CHECK(r.exit_code == 130);
    CHECK(r.err.find("interrupted") != std::string::npos);
    CHECK(r.err.find("terminate called") == std::string::npos);
    CHECK(r.err.find("internal error") == std::string::npos);
  }
}

TEST_CASE("Ctrl-C stops check with exit 130 and no partial report", "[limits][interrupt]") {
  std::string invariants = "invariants:\n";
  for (const std::string protocol : {"tcp", "udp", "icmp"})
    for (const std::string to : {"private-subnets", "public-subnets"})
      invariants += "  - {name: no-" + protocol + "-" + to + ", from: internet, to: " + to +
                    ", protocol: " + protocol + ", expect: unreachable}\n";
  const auto spec = write("estate.yaml", invariants);
  for (const std::string format : {"text", "json", "junit"}) {
    const auto r = vpcprove({"check", slow_estate().string(), "--spec", spec.string(), "--format", format},
                            {std::chrono::milliseconds(1000)});
    INFO("--format " << format << ": " << testing::describe_status(r) << " after " << r.elapsed_ms
                     << " ms\nstderr: " << r.err.substr(0, 2000) << "\nstdout: " << r.out.substr(0, 500));
    CHECK(r.term_signal == 0);
    CHECK(r.exit_code == 130);
    CHECK(r.out.empty());
    CHECK(r.err.find("interrupted") != std::string::npos);
  }
}

}  // namespace vpcprove
