// SPDX-License-Identifier: Apache-2.0
// Hostile strings in the CLI's messages: errors on stderr and the warnings inventory lists.
//
// A message quotes what the input holds (a file name, a resource ID, a bad value, an argument).
// Each quoted string must stay on its message's one line and must not drive the terminal: a
// newline in an ID must not forge a second line, an ESC must not colour or clear the screen.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/limits/subprocess.h"

namespace vpcprove {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ProcessResult;

// A forged line, colour, a terminal title (OSC) and a bell: what an ID must not do to stderr.
const std::string kForged = "\n[FORGED] verdict: ok\x1b[31m\x1b]0;pwned\x07";
// The same as escape_text writes it: every byte visible, on one line.
const std::string kForgedEscaped = "\\n[FORGED] verdict: ok\\x1b[31m\\x1b]0;pwned\\x07";

ProcessResult vpcprove(std::vector<std::string> args) {
  args.insert(args.begin(), VPCPROVE_CLI);
  return testing::run_process(args);
}

/** A fresh folder holding the given files (name -> JSON), beside the hostile snapshot's work
 *  dir (which its fixture rebuilds), one per test. */
fs::path snapshot(const std::string& name, const std::vector<std::pair<std::string, json>>& files) {
  const fs::path dir = fs::path(VPCPROVE_HOSTILE_WORK_DIR).parent_path() / "messages-work" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& [file, j] : files) std::ofstream(dir / file) << j.dump(2);
  return dir;
}

json vpcs() {
  return {{"Vpcs",
           {{{"VpcId", "vpc-1"},
             {"CidrBlock", "10.0.0.0/16"},
             {"State", "available"},
             {"OwnerId", "111111111111"}}}}};
}

json subnet(const std::string& id, const std::string& cidr) {
  return {{"Subnets",
           {{{"SubnetId", id},
             {"VpcId", "vpc-1"},
             {"CidrBlock", cidr},
             {"AvailabilityZone", "us-east-1a"},
             {"State", "available"},
             {"OwnerId", "111111111111"}}}}};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (auto nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', at)) {
    out.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  if (at < text.size()) out.push_back(text.substr(at));
  return out;
}

/** Exit 2, nothing on stdout, and on stderr one line: "vpcprove: error: …" with no control
 *  character, holding each of `escaped`. */
void require_one_error_line(const ProcessResult& r, const std::vector<std::string>& escaped) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  const auto lines = lines_of(r.err);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind("vpcprove: error: ", 0) == 0);
  CHECK(
      std::none_of(lines[0].begin(), lines[0].end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }));
  for (const auto& e : escaped) CHECK(lines[0].find(e) != std::string::npos);
}

}  // namespace

TEST_CASE("a bad CIDR on a resource whose ID holds ESC and a newline is one escaped error line",
          "[hostile][messages]") {
  const auto dir = snapshot(
      "bad-cidr",
      {{"Vpcs.json", vpcs()}, {"Subnets.json", subnet("subnet-0bad" + kForged, "10.0.0.0/33" + kForged)}});
  for (const std::string command : {"inventory", "exposure"}) {
    INFO("vpcprove " << command);
    require_one_error_line(vpcprove({command, dir.string()}),
                           {"subnet-0bad" + kForgedEscaped, "Subnets.json"});
  }
}

TEST_CASE("a snapshot file whose name holds ESC and a newline is named on one escaped error line",
          "[hostile][messages]") {
  const std::string file = "Subnets" + kForged + ".json";
  const auto dir =
      snapshot("bad-file-name", {{"Vpcs.json", vpcs()}, {file, subnet("subnet-0a", "10.0.0.0/33")}});
  require_one_error_line(vpcprove({"inventory", dir.string()}), {"Subnets" + kForgedEscaped + ".json"});
}

TEST_CASE("an endpoint argument that names nothing is quoted on one escaped error line",
          "[hostile][messages]") {
  const auto dir =
      snapshot("argument", {{"Vpcs.json", vpcs()}, {"Subnets.json", subnet("subnet-0a", "10.0.1.0/24")}});
  require_one_error_line(
      vpcprove({"reach", dir.string(), "--from", "internet", "--to", "eni-0nope" + kForged}),
      {"eni-0nope" + kForgedEscaped});
  require_one_error_line(
      vpcprove({"trace", dir.string(), "--from", "subnet-0a", "--to", "eni-0nope" + kForged}),
      {"eni-0nope" + kForgedEscaped});
}

TEST_CASE("a usage error quotes a hostile option value escaped", "[hostile][messages]") {
  const auto r = vpcprove({"inventory", "x", "--format", "json" + kForged});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  REQUIRE_FALSE(r.err.empty());
  CHECK(r.err.find("json" + kForgedEscaped) != std::string::npos);
  // CLI11's own lines (the hint to --help) stay; the value adds none.
  CHECK(lines_of(r.err).size() == 2);
  CHECK(std::none_of(r.err.begin(), r.err.end(),
                     [](unsigned char c) { return (c < 0x20 && c != '\n') || c == 0x7f; }));
}

TEST_CASE("a dangling reference to an ID with ESC and a newline is one escaped warning line",
          "[hostile][messages]") {
  json tables = {{"RouteTables",
                  {{{"RouteTableId", "rtb-0a"},
                    {"VpcId", "vpc-1"},
                    {"OwnerId", "111111111111"},
                    {"Associations", {{{"Main", true}, {"RouteTableId", "rtb-0a"}}}},
                    {"Routes",
                     {{{"DestinationCidrBlock", "10.0.0.0/16"}, {"GatewayId", "local"}, {"State", "active"}},
                      {{"DestinationCidrBlock", "0.0.0.0/0"},
                       {"GatewayId", "igw-0missing" + kForged},
                       {"State", "active"}}}}}}}};
  const auto dir = snapshot("dangling", {{"Vpcs.json", vpcs()},
                                         {"Subnets.json", subnet("subnet-0a", "10.0.1.0/24")},
                                         {"RouteTables.json", tables}});
  const auto r = vpcprove({"inventory", dir.string()});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  std::size_t naming = 0;
  for (const auto& line : lines_of(r.out)) {
    if (line.find("igw-0missing") == std::string::npos) continue;
    ++naming;
    CHECK(line.rfind("  warning [", 0) == 0);
    CHECK(line.find("igw-0missing" + kForgedEscaped) != std::string::npos);
  }
  CHECK(naming == 1);
  CHECK(r.out.find("\n[FORGED]") == std::string::npos);
  CHECK(r.out.find('\x1b') == std::string::npos);
  CHECK(r.err.find('\x1b') == std::string::npos);
}

TEST_CASE("an ID holding bytes that are not UTF-8 is bad input for every JSON output, on one error line",
          "[hostile][messages][utf8]") {
  // RFC 8259 JSON text is UTF-8: such a snapshot is refused (exit 2) before any output is made,
  // so no JSON writer is ever handed a string it cannot encode. Raw bytes that are not UTF-8,
  // an encoded surrogate (CESU-8), an overlong '/', and a lone surrogate escape.
  std::vector<std::pair<std::string, std::string>> bad = {
      {"raw-ff", "\xff"}, {"cesu", "\xed\xb2\x80"}, {"overlong", "\xc0\xaf"}, {"lone-surrogate", "\\udc80"}};
  const json eni = {{"NetworkInterfaces",
                     {{{"NetworkInterfaceId", "eni-0bad@@"},
                       {"SubnetId", "subnet-0a"},
                       {"VpcId", "vpc-1"},
                       {"PrivateIpAddress", "10.0.1.5"},
                       {"PrivateIpAddresses", {{{"PrivateIpAddress", "10.0.1.5"}, {"Primary", true}}}},
                       {"Groups", json::array()},
                       {"Status", "in-use"},
                       {"OwnerId", "111111111111"}}}}};
  // The control: the same snapshot with a plain ID is answered by every command.
  bad.insert(bad.begin(), {"control", "-ok"});
  for (const auto& [name, bytes] : bad) {
    const auto dir = snapshot("not-utf8-" + name,
                              {{"Vpcs.json", vpcs()}, {"Subnets.json", subnet("subnet-0a", "10.0.1.0/24")}});
    std::string text = eni.dump(2);
    text.replace(text.find("@@"), 2, bytes);
    std::ofstream(dir / "NetworkInterfaces.json", std::ios::binary) << text;
    const fs::path spec = dir.parent_path() / ("not-utf8-" + name + ".yaml");
    std::ofstream(spec) << "invariants:\n  - {name: n, from: internet, to: subnet-0a, expect: unreachable}\n";
    const std::vector<std::vector<std::string>> commands = {
        {"exposure", dir.string()},
        {"inventory", dir.string()},
        {"reach", dir.string(), "--from", "internet", "--to", "subnet-0a"},
        {"trace", dir.string(), "--from", "internet", "--to", "10.0.1.5"},
        {"check", dir.string(), "--spec", spec.string()}};
    for (auto args : commands) {
      args.insert(args.end(), {"--format", "json"});
      INFO(name << ": vpcprove " << args[0]);
      const auto r = vpcprove(args);
      if (name == "control") {
        INFO("stderr: " << r.err);
        CHECK((r.exit_code == 0 || r.exit_code == 1));
        CHECK_NOTHROW(json::parse(r.out));
        continue;
      }
      require_one_error_line(r, {"NetworkInterfaces.json"});
      CHECK((r.err.find("UTF-8") != std::string::npos || r.err.find("surrogate") != std::string::npos));
    }
  }
}

}  // namespace vpcprove
