// SPDX-License-Identifier: Apache-2.0
// Network Access Analyzer scopes: the documentation's three scopes on the primer, exact
// exclusions, every finding sorted, widening where vpcprove cannot be exact, and input errors.
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/diagnostics.h"
#include "primer_fixture.h"
#include "queries/scope_check.h"

using namespace vpcprove;
using namespace vpcprove::check_test;
using queries::CheckVerdict;

namespace {

queries::InvariantResult scope(const std::string& json, const model::Network& n = primer()) {
  return queries::run_scope(n, queries::parse_scope(json, "scopes/test-scope.json"), {});
}

std::vector<std::pair<std::string, std::string>> pairs(const queries::InvariantResult& r) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : r.findings) out.emplace_back(*f.from_member, *f.to_member);
  return out;
}

std::string error_of(const std::string& json) {
  try {
    scope(json);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const char* kIgwToEnis = R"({"MatchPaths": [{
  "Source": {"ResourceStatement": {"ResourceTypes": ["AWS::EC2::InternetGateway"]}},
  "Destination": {"ResourceStatement": {"ResourceTypes": ["AWS::EC2::NetworkInterface"]}}}]})";

std::string igw_to_enis_excluding(const std::string& exclude_paths) {
  std::string s = kIgwToEnis;
  s.pop_back();
  return s + ", \"ExcludePaths\": " + exclude_paths + "}";
}

std::string isolation(const std::string& a, const std::string& b) {
  return R"({"MatchPaths": [
  {"Source": {"ResourceStatement": {"Resources": [")" +
         a + R"("]}}, "Destination": {"ResourceStatement": {"Resources": [")" + b + R"("]}}},
  {"Source": {"ResourceStatement": {"Resources": [")" +
         b + R"("]}}, "Destination": {"ResourceStatement": {"Resources": [")" + a + R"("]}}}]})";
}

}  // namespace

TEST_CASE("AWS doc scope 'internet gateway to all ENIs': the web server is the only finding",
          "[scope][doc]") {
  const auto r = scope(kIgwToEnis);
  CHECK(r.verdict == CheckVerdict::Violated);
  CHECK(pairs(r) == std::vector<std::pair<std::string, std::string>>{{kIgw, kWeb}});
  const auto& f = r.findings[0];
  CHECK(f.verdict == queries::Verdict::Reachable);
  CHECK((f.packet->protocol == model::kTcp || f.packet->protocol == model::kUdp));
  CHECK(f.path.front().at == kIgw);
  CHECK(r.invariant.name == "test-scope");
}

TEST_CASE("AWS doc scope 'internet gateway to the ENIs of one security group'", "[scope][doc]") {
  auto igw_to_group = [](const std::string& sg) {
    return R"({"MatchPaths": [{"Source": {"ResourceStatement": {"ResourceTypes": ["AWS::EC2::InternetGateway"]}},
      "Destination": {"ResourceStatement": {"Resources": [")" +
           sg + R"("]}}}]})";
  };
  CHECK(pairs(scope(igw_to_group(kSgWeb))) == std::vector<std::pair<std::string, std::string>>{{kIgw, kWeb}});
  const auto db = scope(igw_to_group(kSgDb));
  CHECK(db.verdict == CheckVerdict::Holds);
  CHECK(db.findings.empty());
}

TEST_CASE("AWS doc scope 'isolation of two subnets': public/db isolated, app/db not", "[scope][doc]") {
  const auto isolated = scope(isolation(kPublicSubnet, kDbSubnet));
  CHECK(isolated.verdict == CheckVerdict::Holds);
  CHECK(isolated.pairs > 0);
  const auto open = scope(isolation(kAppSubnet, kDbSubnet));
  CHECK(open.verdict == CheckVerdict::Violated);
  CHECK(pairs(open) == std::vector<std::pair<std::string, std::string>>{{kApp, kDb}});
  CHECK(open.findings[0].packet->dst_port == 5432);
}

TEST_CASE("every finding is reported, sorted by source then destination", "[scope][complete]") {
  const auto r = scope(R"({"MatchPaths": [{
    "Source": {"ResourceStatement": {"Resources": ["vpc-0af3841a0ca2bbffe"]}},
    "Destination": {"ResourceStatement": {"Resources": ["vpc-0af3841a0ca2bbffe"]}}}]})");
  // app -> db 5432, app -> web 80/443 (open to all), web -> app 8080; nothing else passes.
  CHECK(pairs(r) ==
        std::vector<std::pair<std::string, std::string>>{{kApp, kDb}, {kApp, kWeb}, {kWeb, kApp}});
}

TEST_CASE("excluded ports are subtracted exactly", "[scope][exclude]") {
  const auto ssh_left = scope(igw_to_enis_excluding(
      R"([{"Destination": {"PacketHeaderStatement": {"DestinationPorts": ["80", "443"]}}}])"));
  REQUIRE(ssh_left.findings.size() == 1);
  CHECK(ssh_left.findings[0].packet->dst_port == 22);
  CHECK(Ipv4Prefix::parse("203.0.113.0/24")->contains(ssh_left.findings[0].packet->src_ip));
  const auto none = scope(igw_to_enis_excluding(
      R"([{"Destination": {"PacketHeaderStatement": {"DestinationPorts": ["22", "80", "443"]}}}])"));
  CHECK(none.verdict == CheckVerdict::Holds);
  const auto range = scope(igw_to_enis_excluding(
      R"([{"Destination": {"PacketHeaderStatement": {"DestinationPorts": ["0-79", "81-65535"]}}}])"));
  REQUIRE(range.findings.size() == 1);
  CHECK(range.findings[0].packet->dst_port == 80);
}

TEST_CASE("exclusions on several fields are subtracted as boxes", "[scope][exclude]") {
  // Web ports from anywhere, SSH from the office: excluding both leaves nothing; excluding the
  // office and port 80 leaves 443.
  CHECK(scope(igw_to_enis_excluding(R"([
      {"Destination": {"PacketHeaderStatement": {"DestinationPorts": ["80", "443"]}}},
      {"Source": {"PacketHeaderStatement": {"SourceAddresses": ["203.0.113.0/24"]}}}])"))
            .verdict == CheckVerdict::Holds);
  const auto r = scope(igw_to_enis_excluding(R"([
      {"Destination": {"PacketHeaderStatement": {"DestinationPorts": ["80"]}}},
      {"Source": {"PacketHeaderStatement": {"SourceAddresses": ["203.0.113.0/24"]}}}])"));
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].packet->dst_port == 443);
  CHECK_FALSE(Ipv4Prefix::parse("203.0.113.0/24")->contains(r.findings[0].packet->src_ip));
}

TEST_CASE("an exclusion by destination resource removes the pair", "[scope][exclude]") {
  const auto r = scope(igw_to_enis_excluding(
      R"([{"Destination": {"ResourceStatement": {"Resources": ["i-06f3ae0509dfd37f0"]}}}])"));
  CHECK(r.verdict == CheckVerdict::Holds);
}

TEST_CASE("ThroughResources restrict the paths: a finding passes them, and none passes a peering",
          "[scope][through]") {
  const auto nat = scope(R"({"MatchPaths": [{
    "Source": {"ResourceStatement": {"Resources": ["eni-02d8722b580a174f6"]}},
    "Destination": {"ResourceStatement": {"ResourceTypes": ["AWS::EC2::InternetGateway"]}},
    "ThroughResources": [{"ResourceStatement": {"ResourceTypes": ["AWS::EC2::NatGateway"]}}]}]})");
  CHECK(pairs(nat) == std::vector<std::pair<std::string, std::string>>{{kApp, kIgw}});
  CHECK(nat.notes.empty());
  const auto pcx = scope(R"({"MatchPaths": [{
    "Source": {"ResourceStatement": {"Resources": ["eni-02d8722b580a174f6"]}},
    "Destination": {"ResourceStatement": {"ResourceTypes": ["AWS::EC2::InternetGateway"]}},
    "ThroughResources": [{"ResourceStatement": {"ResourceTypes": ["AWS::EC2::VPCPeeringConnection"]}}]}]})");
  // The app's only way out is its NAT gateway: no path of it passes a peering, for any packet.
  CHECK(pcx.verdict == CheckVerdict::Holds);
  CHECK(pcx.findings.empty());
  CHECK(pcx.notes.empty());
  // A through resource vpcprove does not model is not enforced: the finding stays, with a note.
  const auto lb = scope(R"({"MatchPaths": [{
    "Source": {"ResourceStatement": {"Resources": ["eni-02d8722b580a174f6"]}},
    "Destination": {"ResourceStatement": {"ResourceTypes": ["AWS::EC2::InternetGateway"]}},
    "ThroughResources": [{"ResourceStatement": {"ResourceTypes": ["AWS::ElasticLoadBalancingV2::LoadBalancer"]}}]}]})");
  CHECK(lb.verdict == CheckVerdict::Violated);
  REQUIRE_FALSE(lb.notes.empty());
  CHECK_THAT(lb.notes.back(), Catch::Contains("not enforced"));
}

TEST_CASE("a source vpcprove does not model makes the scope unknown, never holds", "[scope][unknown]") {
  const auto r = scope(R"({"MatchPaths": [{
    "Source": {"ResourceStatement": {"ResourceTypes": ["AWS::EC2::VPNGateway"]}},
    "Destination": {"ResourceStatement": {"Resources": ["eni-048dd1e45e6cc4df4"]}}}]})");
  CHECK(r.verdict == CheckVerdict::Unknown);
  REQUIRE_FALSE(r.notes.empty());
  CHECK_THAT(r.notes[0], Catch::Contains("AWS::EC2::VPNGateway"));
}

TEST_CASE("the get-network-insights-access-scope-content and CloudFormation shapes are read too",
          "[scope][parse]") {
  const std::string content =
      std::string(R"({"NetworkInsightsAccessScopeContent": {"NetworkInsightsAccessScopeId": "nis-1", )") +
      (kIgwToEnis + 1) + "}";
  CHECK(scope(content).findings.size() == 1);
  const std::string cfn =
      std::string(R"({"Type": "AWS::EC2::NetworkInsightsAccessScope", "Properties": )") + kIgwToEnis + "}";
  CHECK(scope(cfn).findings.size() == 1);
}

TEST_CASE("scope errors name the file and the JSON path", "[scope][parse]") {
  CHECK_THAT(error_of("{\"MatchPaths\": ["), Catch::Contains("scopes/test-scope.json: broken JSON"));
  CHECK_THAT(error_of(R"({"MatchPaths": [{"Source": {"ResourceStatment": {}}}]})"),
             Catch::Contains("$.MatchPaths[0].Source: unknown key 'ResourceStatment'"));
  CHECK_THAT(
      error_of(
          R"({"MatchPaths": [{"Destination": {"PacketHeaderStatement": {"DestinationPorts": ["22", "70000"]}}}]})"),
      Catch::Contains("$.MatchPaths[0].Destination.PacketHeaderStatement.DestinationPorts[1]"));
  CHECK_THAT(
      error_of(R"({"MatchPaths": [{"Source": {"ResourceStatement": {"Resources": ["vpc-0af3841a0ca2bbffe"],
                          "ResourceTypes": ["AWS::EC2::InternetGateway"]}}}]})"),
      Catch::Contains("either Resources or ResourceTypes"));
  CHECK_THAT(
      error_of(
          R"({"MatchPaths": [{"Source": {"ResourceStatement": {"Resources": ["subnet-00000000000000000"]}}}]})"),
      Catch::Contains("$.MatchPaths[0].Source.ResourceStatement"));
  CHECK_THAT(error_of(R"({"MatchPaths": [{"Source": {"PacketHeaderStatement": {"Protocols": ["icmp"]}}}]})"),
             Catch::Contains("$.MatchPaths[0].Source.PacketHeaderStatement.Protocols[0]"));
  CHECK_THAT(
      error_of(
          R"({"MatchPaths": [{"Source": {"ResourceStatement": {"ResourceTypes": ["InternetGateway"]}}}]})"),
      Catch::Contains("not a resource type"));
  CHECK_THAT(error_of(R"({"ExcludePaths": []})"), Catch::Contains("needs MatchPaths"));
  CHECK_THAT(
      error_of(R"({"MatchPaths": [{"Source": {"PacketHeaderStatement": {"SourceAddresses": ["10.0.0.0/8"],
                          "SourcePrefixLists": ["pl-1"]}}}]})"),
      Catch::Contains("cannot be used together"));
}

TEST_CASE("split ranges 0.0.0.0/1 + 128.0.0.0/1 are caught like 0.0.0.0/0", "[scope][split]") {
  model::Network n = primer();
  auto& sg = n.security_groups.at(kSgWeb);
  model::SgRule rule = sg.ingress.front();
  rule.index = static_cast<int>(sg.ingress.size());
  rule.l4 = model::L4Match{model::kTcp, PortRange{3389, 3389}};
  rule.peer = "0.0.0.0/1";
  rule.peer_prefixes = {*Ipv4Prefix::parse("0.0.0.0/1")};
  sg.ingress.push_back(rule);
  rule.index += 1;
  rule.peer = "128.0.0.0/1";
  rule.peer_prefixes = {*Ipv4Prefix::parse("128.0.0.0/1")};
  sg.ingress.push_back(rule);
  n.index();
  const auto r = scope(
      igw_to_enis_excluding(
          R"([{"Destination": {"PacketHeaderStatement": {"DestinationPorts": ["0-3388", "3390-65535"]}}}])"),
      n);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].packet->dst_port == 3389);
  // And through a spec invariant, from any internet address.
  const auto c = run(n, R"(invariants:
  - {name: rdp, from: internet, to: all-enis, protocol: tcp, dst_port: 3389, expect: unreachable}
)");
  CHECK(c[0].verdict == CheckVerdict::Violated);
}
