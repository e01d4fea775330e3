// SPDX-License-Identifier: Apache-2.0
// Waypoints restrict the candidate paths: --through keeps the paths that pass a resource,
// --not-through never enumerates a path that touches one.
#include "graph/waypoints.h"

#include <catch2/catch.hpp>

#include "common/diagnostics.h"
#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "tests/support/network_builder.h"
#include "tests/unit/graph/graph_fixtures.h"

namespace vpcprove {
namespace {

using testing::open_three_tier;

graph::PathConstraints through(const model::Network& n, const std::string& x) {
  graph::PathConstraints c;
  c.through.push_back(graph::resolve_waypoint(n, x));
  return c;
}
graph::PathConstraints not_through(const model::Network& n, const std::string& x) {
  graph::PathConstraints c;
  c.not_through.push_back(graph::resolve_waypoint(n, x));
  return c;
}

TEST_CASE("a waypoint holds the resources inside it", "[graph][waypoints]") {
  const auto n = open_three_tier();
  const auto vpc = graph::resolve_waypoint(n, "vpc-1");
  for (const char* id : {"vpc-1", "subnet-app", "eni-db", "nat-1", "igw-1", "rtb-pub"})
    CHECK(vpc.ids.count(id));
  CHECK_FALSE(vpc.names_interfaces);
  const auto subnet = graph::resolve_waypoint(n, "subnet-pub");
  CHECK(subnet.ids.count("nat-1"));
  CHECK(subnet.ids.count("eni-web"));
  CHECK_FALSE(subnet.ids.count("eni-app"));
  CHECK(graph::resolve_waypoint(n, "eni-app").names_interfaces);
  CHECK_THROWS_AS(graph::resolve_waypoint(n, "vpc-nope"), InputError);
  CHECK_THROWS_AS(graph::resolve_waypoint(n, "nonsense"), InputError);
}

TEST_CASE("avoiding a NAT gateway leaves a private subnet no way to the internet", "[graph][waypoints]") {
  const auto n = open_three_tier();
  const graph::ForwardingGraph g(n);
  const auto all = graph::enumerate_paths(g, g.start("eni-app"), {g.exits_internet()}, graph::Mode::Forward);
  REQUIRE(all.paths.size() == 1);
  for (const char* x : {"nat-1", "subnet-pub", "igw-1", "vpc-1"}) {
    INFO(x);
    const auto c = not_through(n, x);
    CHECK(graph::enumerate_paths(g, g.start("eni-app"), {g.exits_internet()}, graph::Mode::Forward, c)
              .paths.empty());
    const auto t = through(n, x);
    CHECK(graph::enumerate_paths(g, g.start("eni-app"), {g.exits_internet()}, graph::Mode::Forward, t)
              .paths.size() == 1);
  }
  // The public subnet's ENI leaves without the NAT gateway: through nat-1 it has no path, and
  // avoiding nat-1 keeps its one.
  CHECK(graph::enumerate_paths(g, g.start("eni-web"), {g.exits_internet()}, graph::Mode::Forward,
                               through(n, "nat-1"))
            .paths.empty());
  CHECK(graph::enumerate_paths(g, g.start("eni-web"), {g.exits_internet()}, graph::Mode::Forward,
                               not_through(n, "nat-1"))
            .paths.size() == 1);
  // A path that must avoid its own start has none.
  CHECK(graph::enumerate_paths(g, g.start("eni-web"), {g.exits_internet()}, graph::Mode::Forward,
                               not_through(n, "eni-web"))
            .paths.empty());
}

TEST_CASE("every enumerated path passes each --through and touches no --not-through", "[graph][waypoints]") {
  const auto n = open_three_tier();
  const graph::ForwardingGraph g(n);
  std::set<graph::VertexId> everywhere;
  for (auto [it, end] = boost::vertices(g.graph()); it != end; ++it) {
    if (g.is_terminal(*it)) everywhere.insert(*it);
  }
  const auto all = graph::enumerate_paths(g, g.start("eni-app"), everywhere, graph::Mode::Forward);
  REQUIRE(all.paths.size() > 2);
  for (const char* x : {"nat-1", "subnet-db", "igw-1", "eni-db", "rtb-app"}) {
    INFO(x);
    const auto w = graph::resolve_waypoint(n, x);
    std::size_t passing = 0;
    for (const auto& p : all.paths) passing += graph::passes(g, p.start, p.edges, w) ? 1 : 0;
    const auto t =
        graph::enumerate_paths(g, g.start("eni-app"), everywhere, graph::Mode::Forward, through(n, x));
    const auto a =
        graph::enumerate_paths(g, g.start("eni-app"), everywhere, graph::Mode::Forward, not_through(n, x));
    CHECK(t.paths.size() == passing);
    CHECK(a.paths.size() == all.paths.size() - passing);
    for (const auto& p : t.paths) CHECK(graph::passes(g, p.start, p.edges, w));
    for (const auto& p : a.paths) CHECK_FALSE(graph::passes(g, p.start, p.edges, w));
  }
}

}  // namespace
}  // namespace vpcprove
