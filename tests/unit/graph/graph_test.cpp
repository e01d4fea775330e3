// SPDX-License-Identifier: Apache-2.0
// The forwarding graph's shape and its candidate paths.
#include <catch2/catch.hpp>

#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "tests/support/network_builder.h"
#include "tests/support/random_network.h"
#include "tests/unit/graph/graph_fixtures.h"

namespace vpcprove {
namespace {

using testing::open_three_tier;

std::vector<std::string> step_names(const graph::ForwardingGraph& g, const graph::Path& p) {
  std::vector<std::string> out;
  for (auto e : p.edges) {
    for (const auto& s : g.edge(e).steps) out.push_back(std::string(graph::to_string(s.kind)) + ' ' + s.id);
  }
  return out;
}

TEST_CASE("a private subnet's only way to the internet is through its NAT gateway and the IGW",
          "[graph][paths]") {
  const auto n = open_three_tier();
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
  const auto n = open_three_tier();
  const graph::ForwardingGraph g(n);
  const auto ps = graph::enumerate_paths(g, g.start("eni-db"), {g.exits_internet()}, graph::Mode::Forward);
  CHECK(ps.paths.empty());
  CHECK_FALSE(ps.truncated);
}

TEST_CASE("the internet reaches only ENIs behind the internet gateway, one igw-ingress per path",
          "[graph][paths]") {
  const auto n = open_three_tier();
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
  const auto n = open_three_tier();
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

/** Every path as its steps, in enumeration order: what the encoder and the witnesses see. */
std::vector<std::vector<std::string>> path_steps(const graph::ForwardingGraph& g, const graph::PathSet& ps) {
  std::vector<std::vector<std::string>> out;
  for (const auto& p : ps.paths) out.push_back(step_names(g, p));
  return out;
}

TEST_CASE("a graph scoped to two ENIs has the same paths between them as the graph of every ENI",
          "[graph][paths][scope]") {
  int pairs = 0;
  for (std::uint32_t seed = 1; seed <= 120; ++seed) {
    const auto n = testing::random_network(seed);
    const graph::ForwardingGraph every(n);
    std::vector<model::Id> ids;
    for (const auto& [id, eni] : n.network_interfaces) ids.push_back(id);
    for (const auto& a : ids) {
      for (const auto& b : ids) {
        const graph::ForwardingGraph scoped(n, graph::EniScope::only({a, b}));
        for (const auto mode : {graph::Mode::Forward, graph::Mode::Reply}) {
          INFO("seed " << seed << ": " << a << " -> " << b);
          auto paths = [&](const graph::ForwardingGraph& g, graph::VertexId from) {
            return path_steps(g, graph::enumerate_paths(g, from, {g.delivered(b), g.exits_internet()}, mode));
          };
          CHECK(paths(scoped, scoped.start(a)) == paths(every, every.start(a)));
          CHECK(paths(scoped, scoped.internet()) == paths(every, every.internet()));
        }
        ++pairs;
      }
    }
  }
  CHECK(pairs > 1000);
}

TEST_CASE("a scoped graph leaves out the other ENIs but keeps the ones routes forward to", "[graph][scope]") {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.route_table("rtb-1", "vpc-1").route("8.8.8.0/24", "eni-fw");
  b.subnet("subnet-1", "vpc-1", "10.0.1.0/24").route_table("rtb-1");
  b.sg("sg-1", "vpc-1").ingress_all().egress_all();
  b.eni("eni-a", "subnet-1", {"10.0.1.5"}).groups({"sg-1"});
  b.eni("eni-b", "subnet-1", {"10.0.1.6"}).groups({"sg-1"});
  b.eni("eni-fw", "subnet-1", {"10.0.1.7"}).groups({"sg-1"}).source_dest_check(false);
  const auto n = b.build();
  const graph::ForwardingGraph every(n);
  const graph::ForwardingGraph scoped(n, graph::EniScope::only({"eni-a", "eni-missing"}));
  CHECK(boost::num_vertices(scoped.graph()) + 2 == boost::num_vertices(every.graph()));  // eni-b's two
  CHECK_NOTHROW(scoped.start("eni-fw"));
  CHECK_NOTHROW(scoped.delivered("eni-fw"));
  CHECK_THROWS_AS(scoped.delivered("eni-b"), std::out_of_range);
  CHECK_THROWS_AS(scoped.start("eni-b"), std::out_of_range);
}

TEST_CASE("a walk leaves by one VPC's internet gateway and enters another's through the internet",
          "[graph][paths][internet]") {
  testing::NetworkBuilder b;
  for (const std::string v : {"1", "2"}) {
    b.vpc("vpc-" + v, "10." + v + ".0.0/16");
    b.igw("igw-" + v, "vpc-" + v);
    b.route_table("rtb-" + v, "vpc-" + v).route("0.0.0.0/0", "igw-" + v);
    b.subnet("subnet-" + v, "vpc-" + v, "10." + v + ".1.0/24").route_table("rtb-" + v);
    b.sg("sg-" + v, "vpc-" + v).ingress_all().egress_all();
    b.eni("eni-" + v, "subnet-" + v, {"10." + v + ".1.5"}).public_ip("54.0.0." + v).groups({"sg-" + v});
  }
  const auto n = b.build();
  const graph::ForwardingGraph g(n);
  const auto ps = graph::enumerate_paths(g, g.start("eni-1"), {g.delivered("eni-2")}, graph::Mode::Forward);
  REQUIRE(ps.paths.size() == 1);
  const auto steps = step_names(g, ps.paths.front());
  // The first step sets apart the packets an AWS service answers at the ENI (none here).
  const std::vector<std::string> expected{"not-aws-service eni-1", "sg-egress eni-1",  "route rtb-1",
                                          "nacl-egress subnet-1",  "igw-egress igw-1", "igw-ingress igw-2",
                                          "nacl-ingress subnet-2", "owns-dst eni-2",   "sg-ingress eni-2",
                                          "deliver eni-2"};
  CHECK(steps == expected);
  // The hop between the two gateways is the internet itself.
  std::vector<std::string> names;
  for (auto e : ps.paths.front().edges) names.push_back(g.name(boost::target(e, g.graph())));
  CHECK(std::find(names.begin(), names.end(), "internet") != names.end());
}

/** A dual-stack VPC whose public subnet sends 0.0.0.0/0 and ::/0 to its internet gateway. */
testing::NetworkBuilder dual_stack_hairpin() {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16").ipv6("2600:1f18:1::/56");
  b.igw("igw-1", "vpc-1");
  b.route_table("rtb-1", "vpc-1").route("0.0.0.0/0", "igw-1").route("::/0", "igw-1");
  b.subnet("subnet-1", "vpc-1", "10.0.1.0/24").ipv6("2600:1f18:1:1::/64").route_table("rtb-1");
  b.sg("sg-1", "vpc-1").ingress_all().ingress_all("::/0").egress_all().egress_all("::/0");
  b.eni("eni-a", "subnet-1", {"10.0.1.5"}).public_ip("54.0.0.5").ipv6({"2600:1f18:1:1::5"}).groups({"sg-1"});
  return b;
}

/** The paths of n from eni-a to eni-b that go out by the internet gateway and back in. */
std::vector<std::vector<std::string>> hairpins(const model::Network& n) {
  const graph::ForwardingGraph g(n);
  const auto ps = graph::enumerate_paths(g, g.start("eni-a"), {g.delivered("eni-b")}, graph::Mode::Forward);
  std::vector<std::vector<std::string>> out;
  for (const auto& p : ps.paths) {
    auto steps = step_names(g, p);
    if (std::find(steps.begin(), steps.end(), "igw-ingress igw-1") != steps.end()) out.push_back(steps);
  }
  return out;
}

TEST_CASE("an IPv6 packet routed ::/0 to its own VPC's gateway cannot come back in: only IPv4 hairpins",
          "[graph][paths][ipv6]") {
  auto b = dual_stack_hairpin();
  b.eni("eni-b", "subnet-1", {"10.0.1.6"}).public_ip("54.0.0.6").ipv6({"2600:1f18:1:1::6"}).groups({"sg-1"});
  const auto ways = hairpins(b.build());
  // The IPv4 hairpin (to eni-b's public IP) stays; the IPv6 one would need eni-b's address,
  // which the local route of 2600:1f18:1::/56 takes before ::/0.
  REQUIRE(ways.size() == 1);
  CHECK(std::find(ways[0].begin(), ways[0].end(), "route rtb-1") != ways[0].end());
  CHECK(std::find(ways[0].begin(), ways[0].end(), "route6 rtb-1") == ways[0].end());
}

TEST_CASE("an IPv6 address a snapshot puts outside its VPC's blocks keeps the IPv6 hairpin (sound)",
          "[graph][paths][ipv6]") {
  auto b = dual_stack_hairpin();
  // 2600:1f18:9::6 is in no block of vpc-1, so ::/0 (not the local route) sends a packet for it
  // to igw-1, whose ingress maps it to eni-b: the graph keeps that way and leaves it to the solver.
  b.eni("eni-b", "subnet-1", {"10.0.1.6"}).public_ip("54.0.0.6").ipv6({"2600:1f18:9::6"}).groups({"sg-1"});
  CHECK(hairpins(b.build()).size() == 2);
}

TEST_CASE("the model knows when a public IP is also some private IP (path enumeration's bound)",
          "[graph][model]") {
  auto network = [](const std::string& public_ip) {
    testing::NetworkBuilder b;
    b.vpc("vpc-1", "10.0.0.0/16");
    b.subnet("subnet-1", "vpc-1", "10.0.1.0/24");
    b.eni("eni-1", "subnet-1", {"10.0.1.5"}).public_ip(public_ip);
    return b.build();
  };
  CHECK(network("54.0.0.1").public_private_disjoint());
  CHECK_FALSE(network("10.0.1.5").public_private_disjoint());
  CHECK_FALSE(model::Network{}.public_private_disjoint());  // not indexed: bounds nothing
}

}  // namespace
}  // namespace vpcprove
