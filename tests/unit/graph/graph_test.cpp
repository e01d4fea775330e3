// SPDX-License-Identifier: Apache-2.0
// The forwarding graph's shape and its candidate paths.
#include <catch2/catch.hpp>

#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "tests/support/network_builder.h"

namespace vpcprove {
namespace {

model::Network three_tier() {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1");
  b.route_table("rtb-app", "vpc-1").route("0.0.0.0/0", "nat-1");
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub");
  b.subnet("subnet-app", "vpc-1", "10.0.2.0/24").route_table("rtb-app");
  b.subnet("subnet-db", "vpc-1", "10.0.3.0/24");
  b.nat("nat-1", "subnet-pub", "10.0.1.10", "3.3.3.3");
  b.sg("sg-1", "vpc-1").ingress_all().egress_all();
  b.eni("eni-web", "subnet-pub", {"10.0.1.20"}).public_ip("54.0.0.20").groups({"sg-1"});
  b.eni("eni-app", "subnet-app", {"10.0.2.30"}).groups({"sg-1"});
  b.eni("eni-db", "subnet-db", {"10.0.3.40"}).groups({"sg-1"});
  return b.build();
}

std::vector<std::string> step_names(const graph::ForwardingGraph& g, const graph::Path& p) {
  std::vector<std::string> out;
  for (auto e : p.edges) {
    for (const auto& s : g.edge(e).steps) out.push_back(std::string(graph::to_string(s.kind)) + ' ' + s.id);
  }
  return out;
}

TEST_CASE("a private subnet's only way to the internet is through its NAT gateway and the IGW",
          "[graph][paths]") {
  const auto n = three_tier();
  const graph::ForwardingGraph g(n);
  const auto ps = graph::enumerate_paths(g, g.start("eni-app"), {g.exits_internet()}, graph::Mode::Forward);
  REQUIRE(ps.paths.size() == 1);
  CHECK_FALSE(ps.truncated);
  const auto steps = step_names(g, ps.paths.front());
  CHECK(std::find(steps.begin(), steps.end(), "nat nat-1") != steps.end());
  CHECK(std::find(steps.begin(), steps.end(), "igw-egress igw-1") != steps.end());
  CHECK(steps.back() == "exit igw-1");
}

TEST_CASE("a subnet whose table has only the local route has no path to the internet", "[graph][paths]") {
  const auto n = three_tier();
  const graph::ForwardingGraph g(n);
  const auto ps = graph::enumerate_paths(g, g.start("eni-db"), {g.exits_internet()}, graph::Mode::Forward);
  CHECK(ps.paths.empty());
  CHECK_FALSE(ps.truncated);
}

TEST_CASE("the internet reaches only ENIs behind the internet gateway, one igw-ingress per path",
          "[graph][paths]") {
  const auto n = three_tier();
  const graph::ForwardingGraph g(n);
  const auto ps = graph::enumerate_paths(g, g.internet(), {g.delivered("eni-web")}, graph::Mode::Forward);
  REQUIRE_FALSE(ps.paths.empty());
  for (const auto& p : ps.paths) {
    const auto steps = step_names(g, p);
    CHECK(std::count(steps.begin(), steps.end(), "igw-ingress igw-1") == 1);
  }
}

TEST_CASE("routes that send traffic around a loop of appliances give finitely many loop-free paths",
          "[graph][paths][loop]") {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24").route_table("rtb-a");
  b.subnet("subnet-b", "vpc-1", "10.0.2.0/24").route_table("rtb-b");
  b.route_table("rtb-a", "vpc-1").route("8.8.8.0/24", "eni-b");
  b.route_table("rtb-b", "vpc-1").route("8.8.8.0/24", "eni-a");
  b.sg("sg-1", "vpc-1").ingress_all().egress_all();
  b.eni("eni-a", "subnet-a", {"10.0.1.5"}).groups({"sg-1"}).source_dest_check(false);
  b.eni("eni-b", "subnet-b", {"10.0.2.5"}).groups({"sg-1"}).source_dest_check(false);
  const auto n = b.build();
  const graph::ForwardingGraph g(n);
  std::set<graph::VertexId> all;
  for (auto [it, end] = boost::vertices(g.graph()); it != end; ++it) {
    if (g.is_terminal(*it)) all.insert(*it);
  }
  const auto ps = graph::enumerate_paths(g, g.start("eni-a"), all, graph::Mode::Forward);
  CHECK_FALSE(ps.truncated);
  for (const auto& p : ps.paths) CHECK(p.edges.size() <= 8);
}

TEST_CASE("reply-only edges (back through a NAT gateway) are used only for replies",
          "[graph][paths][reply]") {
  const auto n = three_tier();
  const graph::ForwardingGraph g(n);
  auto through_nat = [&](const graph::PathSet& ps) {
    return std::count_if(ps.paths.begin(), ps.paths.end(), [&](const graph::Path& p) {
      const auto steps = step_names(g, p);
      return std::find(steps.begin(), steps.end(), "nat-reverse nat-1") != steps.end();
    });
  };
  CHECK(through_nat(
            graph::enumerate_paths(g, g.internet(), {g.delivered("eni-app")}, graph::Mode::Forward)) == 0);
  CHECK(through_nat(graph::enumerate_paths(g, g.internet(), {g.delivered("eni-app")}, graph::Mode::Reply)) >
        0);
}

}  // namespace
}  // namespace vpcprove
