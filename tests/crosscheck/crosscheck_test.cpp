// SPDX-License-Identifier: Apache-2.0
// Proofs cross-checked by other solvers: every reach check on random tiny networks,
// written as SMT-LIB 2 (--emit-smt2's writer) and replayed by cvc5 and by the z3 binary, must
// get the answer Z3 gave in process. A different solver agreeing on every unsat is evidence the
// "unreachable" proofs do not rest on a Z3 bug; agreeing on every sat, that witnesses are real.
// Random dual-stack networks too (ctest crosscheck.dual_stack): their checks carry the IPv6
// encoding (128-bit addresses, the family bit, IPv6 CIDR endpoints, --ip-version's constraint).
//
// Without cvc5 the test prints "cvc5 is not installed: cross-check skipped", which ctest reports
// as skipped (SKIP_REGULAR_EXPRESSION). An unknown from an external solver within its time limit
// is counted and printed, not a failure; an error or a contrary answer is.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "model/endpoint.h"
#include "queries/explain.h"
#include "queries/reach.h"
#include "solver/smt2_sink.h"
#include "tests/limits/subprocess.h"
#include "tests/support/random_network.h"

namespace vpcprove {
namespace {

namespace fs = std::filesystem;

constexpr int kTimeLimitMs = 5000;  // per check, for the external solvers
constexpr std::uint32_t kFirstSeed = 1;
constexpr std::uint32_t kNetworks = 5;
// And random dual-stack networks (random_dual_stack_network): 128-bit addresses and the family bit.
constexpr std::uint32_t kDualStackNetworks = 3;
constexpr std::size_t kDualStackPairs = 10;  // per dual-stack network, about

std::optional<std::string> find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path p = fs::path(dir.empty() ? "." : dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return std::nullopt;
}

/** The external solvers: argv before the file name. */
struct External {
  std::string name;
  std::vector<std::string> argv;
};

std::vector<External> externals(const std::string& cvc5) {
  // cvc5 1.0 refuses push/pop without --incremental; both solvers enforce (set-info :status)
  // and stop (cvc5) or report an error (z3) on a contrary answer.
  std::vector<External> out{
      {"cvc5", {cvc5, "--lang", "smt2", "--incremental", "--tlimit-per=" + std::to_string(kTimeLimitMs)}}};
  if (const auto z3 = find_program("z3"))
    out.push_back({"z3", {*z3, "-smt2", "-t:" + std::to_string(kTimeLimitMs)}});
  return out;
}

/** The statuses of a script's checks in order: Z3's in-process answers. */
std::vector<std::string> statuses(const std::string& script) {
  std::vector<std::string> out;
  const std::string tag = "(set-info :status ";
  for (auto at = script.find(tag); at != std::string::npos; at = script.find(tag, at + 1)) {
    const auto start = at + tag.size();
    out.push_back(script.substr(start, script.find(')', start) - start));
  }
  return out;
}

/** The last "; queryN: reach ..." note before check number n (0-based), to name a failing check. */
std::string query_of(const std::string& script, std::size_t n) {
  std::size_t at = 0;
  for (std::size_t i = 0; i <= n && at != std::string::npos; ++i) at = script.find("(check-sat)", at + 1);
  const auto note = script.rfind("; query", at);
  if (note == std::string::npos) return "(no query note)";
  return script.substr(note + 2, script.find('\n', note) - note - 2);
}

struct Tally {
  std::size_t checks = 0;
  std::size_t agree = 0;
  std::size_t external_unknown = 0;  // reported, not failures
  std::size_t z3_unknown = 0;        // nothing to compare with
  std::vector<std::string> disagreements;
};

/** Runs solver on file and compares its answers with the statuses in script. */
void replay(const External& solver, const std::string& file, const std::string& script, Tally& tally) {
  std::vector<std::string> argv = solver.argv;
  argv.push_back(file);
  const auto run = testing::run_process(argv);
  std::vector<std::string> answers;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    if (line == "sat" || line == "unsat" || line == "unknown" || line == "timeout") answers.push_back(line);
  }
  const auto expected = statuses(script);
  tally.checks += expected.size();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const std::string& want = expected[i];
    if (want == "unknown") {
      ++tally.z3_unknown;
      continue;
    }
    if (i >= answers.size()) {
      // It stopped here: cvc5 aborts on an answer contrary to the status.
      tally.disagreements.push_back(solver.name + " on " + file + " check " + std::to_string(i + 1) + " (" +
                                    query_of(script, i) + "): Z3 said " + want + ", " + solver.name +
                                    " gave no answer (" + testing::describe_status(run) +
                                    "): " + run.err.substr(0, 400) + run.out.substr(0, 400));
      return;
    }
    const std::string& got = answers[i];
    if (got == "unknown" || got == "timeout") {
      ++tally.external_unknown;
    } else if (got == want) {
      ++tally.agree;
    } else {
      tally.disagreements.push_back(solver.name + " on " + file + " check " + std::to_string(i + 1) + " (" +
                                    query_of(script, i) + "): Z3 said " + want + ", " + solver.name + " " +
                                    got);
    }
  }
  if (run.out.find("error") != std::string::npos) {
    tally.disagreements.push_back(solver.name + " on " + file + " reported: " + run.out.substr(0, 600));
  }
}

model::Endpoint endpoint(const model::Network& n, const std::string& id) {
  return model::resolve_endpoint(n, id);
}

/** A header space per pair, cycling through the shapes queries take; on a dual-stack network also
 *  through the families (both, IPv6 alone, IPv4 alone) and ICMPv6. */
queries::HeaderSpace space(std::size_t i, bool dual_stack) {
  queries::HeaderSpace hs;
  if (dual_stack) {
    static const std::optional<int> families[] = {std::nullopt, 6, 4};
    hs.ip_version = families[i % 3];
    if (i % 5 == 4) {
      hs.protocol = model::kIcmpv6;
      hs.dst_ports = PortRange{128, 128};  // echo request
      hs.ip_version = 6;
      return hs;
    }
  }
  switch (i % 4) {
    case 0:
      break;  // every packet
    case 1:
      hs.protocol = model::kTcp;
      hs.dst_ports = PortRange{22, 22};
      break;
    case 2:
      hs.protocol = model::kUdp;
      hs.dst_ports = PortRange{53, 53};
      break;
    default:
      hs.protocol = model::kTcp;
      hs.dst_ports = PortRange{1024, 65535};
      break;
  }
  return hs;
}

/** Which of a network's questions record_network asks. */
struct Sample {
  std::size_t max_pairs = SIZE_MAX;  ///< at most this many endpoint pairs
  std::size_t every = 1;             ///< of the ordered pairs, every k-th (spread over all ENIs)
  std::size_t cidr_sources = 0;      ///< on a network with IPv6, ENIs also asked about IPv6 CIDRs
};

/**
 * Reach questions between the network's endpoints (each ENI with an address of either family and
 * the internet, ordered pairs as sample says), recorded as one SMT-LIB script. Packet semantics
 * for all; session semantics and why-not's solver (its own encodings) for every third pair. On a
 * network with IPv6, also from sample.cidr_sources ENIs with IPv6 to IPv6 CIDRs (2000::/3, a
 * documentation /32, each VPC's block), as `reach --to 2000::/3 --ip-version 6` asks.
 */
std::string record_network(const model::Network& n, std::size_t& queries_asked, const Sample& sample = {}) {
  const bool dual_stack = n.has_ipv6();
  std::vector<std::string> ends{"internet"};
  for (const auto& [id, e] : n.network_interfaces) {
    if (!e.private_ips.empty() || e.has_ipv6()) ends.push_back(id);
  }
  std::ostringstream script;
  solver::Smt2Sink sink(script, "crosscheck");
  {
    const solver::Smt2Sink::Install recording(&sink);
    queries::Prover prover(n);
    std::size_t seen = 0, pair = 0;
    for (const auto& from : ends) {
      for (const auto& to : ends) {
        if (from == to || pair == sample.max_pairs || seen++ % sample.every != 0) continue;
        ++pair;
        queries::ReachQuery q{endpoint(n, from), endpoint(n, to), space(pair, dual_stack),
                              queries::Semantics::Packet, 0};
        auto r = prover.reach(q);
        ++queries_asked;
        if (pair % 3 == 0) {
          queries::add_why_not(n, prover.graph(), q, r);
          q.semantics = queries::Semantics::Session;
          prover.reach(q);
          ++queries_asked;
        }
      }
    }
    std::vector<std::string> cidrs{"2000::/3", "2001:db8::/32"};
    for (const auto& [id, v] : n.vpcs) {
      if (!v.ipv6_cidrs.empty()) cidrs.push_back(v.ipv6_cidrs.front().to_string());
    }
    std::size_t sources = 0;
    for (const auto& [id, e] : n.network_interfaces) {
      if (!dual_stack || sources == sample.cidr_sources) break;
      if (!e.has_ipv6() || !e.in_sets()) continue;
      ++sources;
      for (const auto& cidr : cidrs) {
        queries::ReachQuery q{endpoint(n, id),
                              model::resolve_endpoint(n, cidr, model::Ipv6Endpoints::Accepted),
                              {},
                              queries::Semantics::Packet,
                              0};
        q.header.ip_version = 6;
        prover.reach(q);
        ++queries_asked;
      }
    }
  }
  sink.finish();
  return script.str();
}

/** One network to record and replay: its name (the script's file name) and which questions. */
struct Recorded {
  model::Network network;
  std::string name;
  Sample sample;
};

/** Records each network's checks, replays them in cvc5 and the z3 binary, and checks every answer
 *  is Z3's; what prints (under title) says how many and how long. */
void cross_check(const std::string& title, const std::vector<Recorded>& networks) {
  const auto cvc5 = find_program("cvc5");
  REQUIRE(cvc5);  // CMake registers this test only where it found cvc5
  const fs::path work = CROSSCHECK_WORK_DIR;
  fs::create_directories(work);
  const auto solvers = externals(*cvc5);
  std::vector<Tally> tallies(solvers.size());
  std::size_t queries_asked = 0, bytes = 0;
  double record_ms = 0;
  for (const auto& [n, name, sample] : networks) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::string script = record_network(n, queries_asked, sample);
    record_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    bytes += script.size();
    // A dual-stack network's checks carry its IPv6 encoding: 128-bit addresses and the family.
    if (n.has_ipv6()) CHECK(script.find("(_ BitVec 128)") != std::string::npos);
    const std::string file = (work / (name + ".smt2")).string();
    std::ofstream(file) << script;
    for (std::size_t s = 0; s < solvers.size(); ++s) replay(solvers[s], file, script, tallies[s]);
  }
  std::cout << "crosscheck: " << title << ", " << queries_asked << " reach questions, "
            << tallies.front().checks << " checks, " << bytes / 1024 << " KiB of SMT-LIB, recorded in "
            << static_cast<int>(record_ms) << " ms; scripts in " << work.string() << '\n';
  for (std::size_t s = 0; s < solvers.size(); ++s) {
    const Tally& t = tallies[s];
    std::cout << "  " << solvers[s].name << ": " << t.agree << " agree, " << t.disagreements.size()
              << " disagree, " << t.external_unknown << " unknown within " << kTimeLimitMs
              << " ms (Z3 unknown: " << t.z3_unknown << ")\n";
    for (const auto& d : t.disagreements) std::cout << "    " << d << '\n';
    INFO(solvers[s].name);
    CHECK(t.checks > 0);
    CHECK(t.disagreements.empty());
  }
  if (solvers.size() == 1) std::cout << "  z3 (the binary) is not installed: only cvc5 replayed\n";
}

TEST_CASE("cvc5 and the z3 binary give every reach check on random networks Z3's in-process answer",
          "[crosscheck]") {
  std::vector<Recorded> networks;
  for (std::uint32_t seed = kFirstSeed; seed < kFirstSeed + kNetworks; ++seed)
    networks.push_back({testing::random_network(seed), "seed-" + std::to_string(seed), {}});
  cross_check(std::to_string(kNetworks) + " random networks (seeds " + std::to_string(kFirstSeed) + "-" +
                  std::to_string(kFirstSeed + kNetworks - 1) + ")",
              networks);
}

TEST_CASE("cvc5 and the z3 binary give every reach check on random dual-stack networks Z3's answer",
          "[crosscheck][ipv6]") {
  std::vector<Recorded> networks;
  for (std::uint32_t seed = kFirstSeed; seed < kFirstSeed + kDualStackNetworks; ++seed) {
    model::Network n = testing::random_dual_stack_network(seed);
    REQUIRE(n.has_ipv6());
    // A pair's checks here are 5-10 times an IPv4 network's SMT-LIB, and cvc5 takes 3 times as
    // long a check on their 128-bit addresses: about kDualStackPairs pairs, spread over all ENIs.
    const std::size_t ends = 1 + n.network_interfaces.size();
    const Sample sample{SIZE_MAX, std::max<std::size_t>(1, ends * (ends - 1) / kDualStackPairs), 1};
    networks.push_back({std::move(n), "dual-stack-seed-" + std::to_string(seed), sample});
  }
  cross_check(std::to_string(kDualStackNetworks) + " random dual-stack networks (seeds " +
                  std::to_string(kFirstSeed) + "-" + std::to_string(kFirstSeed + kDualStackNetworks - 1) +
                  ")",
              networks);
}

TEST_CASE("the cross-check reports an answer contrary to Z3's as a disagreement", "[crosscheck]") {
  const auto cvc5 = find_program("cvc5");
  REQUIRE(cvc5);  // CMake registers this test only where it found cvc5
  std::size_t asked = 0;
  std::string script = record_network(testing::random_network(kFirstSeed), asked, {12});
  // Flip Z3's first definite answer: the file now claims what Z3 did not say.
  const auto sat = script.find(":status sat)");
  const auto unsat = script.find(":status unsat)");
  const auto at = std::min(sat, unsat);
  REQUIRE(at != std::string::npos);
  script.replace(at, at == sat ? 11 : 13, at == sat ? ":status unsat" : ":status sat");
  const fs::path work = CROSSCHECK_WORK_DIR;
  fs::create_directories(work);
  const std::string file = (work / "flipped.smt2").string();
  std::ofstream(file) << script;
  for (const auto& solver : externals(*cvc5)) {
    Tally t;
    replay(solver, file, script, t);
    INFO(solver.name);
    CHECK_FALSE(t.disagreements.empty());
  }
}

}  // namespace
}  // namespace vpcprove
