// SPDX-License-Identifier: Apache-2.0
// Tests of queries/topology: the DOT picture of a network, its escaping, and highlighted results.
#include "report/topology.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "aws/load.h"
#include "model/endpoint.h"
#include "queries/reach.h"
#include "tests/support/network_builder.h"
#include "tests/support/test_paths.h"

namespace vpcprove::queries {
namespace {

const std::string kWeb = "eni-0c4d941a10da0333c";
const std::string kApp = "eni-02d8722b580a174f6";

model::Network primer() { return aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/examples/primer"); }

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

/** The highlight `vpcprove graph --result` reads, made from a result as `reach --format json` prints it. */
Highlight highlight_of(const ReachResult& r) {
  nlohmann::json j;
  j["verdict"] = to_string(r.verdict);
  if (r.verdict == Verdict::Reachable) {
    j["from_member"] = *r.from_member;
    j["to_member"] = *r.to_member;
    for (const auto& h : r.path) j["path"].push_back({{"at", h.at}, {"step", h.step}, {"by", h.by}});
  } else {
    for (const auto& x : r.reasons) {
      j["reason"].push_back({{"at", x.at}, {"step", x.step}, {"code", x.code}, {"path", x.path}});
    }
  }
  return highlight_from_json(j, "test");
}

TEST_CASE("the DOT of the primer has a cluster per VPC and subnet and a node per workload ENI",
          "[topology]") {
  const auto dot = topology_dot(primer());
  CHECK(has(dot, "digraph vpcprove {"));
  CHECK(has(dot, "subgraph \"cluster_vpc-0af3841a0ca2bbffe\""));
  for (const char* s : {"subnet-05f5a8c776ec2d66e", "subnet-0a2dcee60bfba05d9", "subnet-054278e8b2caec359"}) {
    CHECK(has(dot, std::string("subgraph \"cluster_") + s + "\""));
  }
  CHECK(has(dot, "\"" + kWeb + "\" [label=\"" + kWeb + "\\nprimer-web-eni"));
  CHECK(has(dot, "10.0.1.20 / 54.172.33.90"));
  CHECK(has(dot, "\"nat-0484efe839c8a5194\" [label="));
  CHECK(has(dot, "\"internet\" -> \"igw-0b3c43c4e6c81eeef\""));
  // The stopped instance's ENI is no workload: not drawn.
  CHECK_FALSE(has(dot, "\"eni-08250cd8a3c0fd87a\""));
  // Non-local routes are edges from the table to the target.
  CHECK(has(dot, "\"rtb-02e4b07cdd015068f\" -> \"nat-0484efe839c8a5194\" [label=\"0.0.0.0/0\"]"));
}

TEST_CASE("the DOT of a dual-stack network shows IPv6 blocks, addresses, routes and egress-only gateways",
          "[topology][ipv6]") {
  const auto n = aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/examples/dual-stack");
  const auto dot = topology_dot(n);
  CHECK(has(dot, "dual-web-vpc  10.20.0.0/16, 2600:1f16:1a2:3b00::/56"));
  // The IPv6-only subnet shows its IPv6 block alone.
  CHECK(has(dot, "v6-only  2600:1f16:1a2:3b03::/64\""));
  CHECK(has(dot, "10.20.1.20 / 3.141.20.20\\n2600:1f16:1a2:3b01::20"));
  CHECK(has(dot, "\"eigw-0a7182939a4b5c6d7\" -> \"internet\""));
  CHECK(has(dot, "\"rtb-0a1a2b3c4d5e6f701\" -> \"igw-0e4f5061728394a5b\" [label=\"0.0.0.0/0\\n::/0\"]"));
  CHECK(has(dot, "\"rtb-0c1c2d3e4f5a6b703\" -> \"nat-0a6b7c8d9e0f1a2b3\" [label=\"64:ff9b::/96\"]"));
}

TEST_CASE("a reachable result is drawn as numbered red edges along its hops", "[topology]") {
  const auto n = primer();
  const auto r = reach(n, kApp, "internet", {});
  REQUIRE(r.verdict == Verdict::Reachable);
  const auto h = highlight_of(r);
  const auto dot = topology_dot(n, &h);
  // app -> its route table -> its subnet (NACL) -> the NAT -> ... -> internet
  CHECK(has(dot, "\"" + kApp + "\" -> \"rtb-02e4b07cdd015068f\" [label=\"1\", color=\"#d62728\""));
  CHECK(has(dot, "-> \"nat-0484efe839c8a5194\" [label=\"4\", color=\"#d62728\""));
  CHECK(has(dot, "\"igw-0b3c43c4e6c81eeef\" -> \"internet\" [label="));
  const auto plain = topology_dot(n);
  CHECK_FALSE(has(plain, "#d62728\", penwidth=3"));
}

TEST_CASE("an unreachable result marks the component that stops each way", "[topology]") {
  const auto n = primer();
  HeaderSpace hs;
  hs.protocol = model::kTcp;
  hs.dst_ports = PortRange{3306, 3306};
  const auto r = reach(n, "internet", kWeb, hs);
  REQUIRE(r.verdict == Verdict::Unreachable);
  const auto h = highlight_of(r);
  const auto dot = topology_dot(n, &h);
  CHECK(has(dot, "ENI_SG_RULES_MISMATCH"));
  CHECK(has(dot, "shape=octagon"));
  CHECK(has(dot, "\"stops here\""));
  // The way in is drawn dashed from the internet.
  CHECK(has(dot, "\"internet\" -> \"igw-0b3c43c4e6c81eeef\" [label=\"way 1\""));
}

TEST_CASE("transit gateways are drawn with their route tables, attachments and routes", "[topology][tgw]") {
  const auto n = aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/examples/hub-and-spoke");
  const auto dot = topology_dot(n);
  CHECK(has(dot, "subgraph \"cluster_tgw-0a1b2c3d4e5f60718\""));
  CHECK(has(dot, "\"tgw-0a1b2c3d4e5f60718\" [label=\"tgw-0a1b2c3d4e5f60718"));
  CHECK(has(dot, "\"tgw-rtb-0s9p0k3s00000001\" [label="));
  // Each attachment: tied to the TGW, to its subnet and to the table it is associated with.
  CHECK(has(dot, "\"tgw-attach-0inspect000000001\" [label=\"tgw-attach-0inspect000000001"));
  CHECK(has(dot, "\"tgw-attach-0inspect000000001\" -> \"tgw-0a1b2c3d4e5f60718\""));
  CHECK(has(dot, "\"tgw-attach-0inspect000000001\" -> \"tgw-rtb-0h0b0000000000002\" [label=\"associated\""));
  CHECK(has(dot, "(appliance mode)"));
  // TGW routes are edges from the TGW table to the attachment; the blackhole has a node.
  CHECK(has(dot, "\"tgw-rtb-0s9p0k3s00000001\" -> \"tgw-attach-0inspect000000001\" [label=\"0.0.0.0/0\"]"));
  CHECK(has(dot, "(propagated)"));
  CHECK(has(dot, "(blackhole)"));
  // A VPC route to the TGW reaches its node, not a blackhole.
  CHECK_FALSE(has(dot, "blackhole:tgw-0a1b2c3d4e5f60718"));
  CHECK_FALSE(has(dot, "transit-gateway (not followed)"));
  CHECK(has(dot, "-> \"tgw-0a1b2c3d4e5f60718\" [label=\"0.0.0.0/0\"]"));

  // A witness across the TGW is drawn through its route tables.
  const auto r = reach(n, "i-0sp0ke1app0000001", "i-0shared0api0000001", {});
  REQUIRE(r.verdict == Verdict::Reachable);
  const auto h = highlight_of(r);
  const auto lit = topology_dot(n, &h);
  CHECK(has(lit, "TGW route table\", shape=note, fillcolor=\"#fafafa\", fontsize=9, color=\"#d62728\""));
  CHECK_FALSE(
      has(dot, "TGW route table\", shape=note, fillcolor=\"#fafafa\", fontsize=9, color=\"#d62728\""));
  CHECK(has(lit, "-> \"tgw-rtb-0h0b0000000000002\" [label=\""));
}

TEST_CASE("DOT escaping keeps quotes, backslashes and newlines of tags inside their string", "[topology]") {
  CHECK(dot_escape("a\"b") == "a\\\"b");
  CHECK(dot_escape("C:\\N") == "C:\\\\N");
  CHECK(dot_escape("x\ny") == "x\\ny");
  CHECK(dot_escape(std::string("t\x01z")) == "t z");
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16").tags({{"Name", "evil\" ] ; node [label=\"pwned \\N"}});
  b.subnet("subnet-1", "vpc-1", "10.0.1.0/24");
  b.eni("eni-1", "subnet-1", {"10.0.1.5"}).tags({{"Name", "a{b}<c>|d"}});
  const auto dot = topology_dot(b.build());
  CHECK(has(dot, "evil\\\" ] ; node [label=\\\"pwned \\\\N"));
  CHECK_FALSE(has(dot, "evil\" ]"));
  // Graphviz itself accepts it, when it is installed.
  if (std::system("command -v dot >/dev/null 2>&1") == 0) {
    const std::string path = "topology_escape_test.dot";
    std::ofstream(path) << dot;
    CHECK(std::system(("dot -Tsvg " + path + " -o /dev/null").c_str()) == 0);
    std::remove(path.c_str());
  }
}

TEST_CASE("a result file that is not a reach answer is bad input", "[topology]") {
  CHECK_THROWS_AS(highlight_from_json(nlohmann::json::array(), "r.json"), InputError);
  CHECK_THROWS_AS(highlight_from_json(nlohmann::json{{"path", 1}}, "r.json"), InputError);
  const auto h = highlight_from_json(nlohmann::json{{"verdict", "unknown"}}, "r.json");
  CHECK(h.verdict == "unknown");
}

}  // namespace
}  // namespace vpcprove::queries
