// SPDX-License-Identifier: Apache-2.0
// The resolved question (queries/question.h): sources and targets per grouping, and the groups
// a question holds itself staying valid when the question is moved (ASan reads freed groups).
#include "queries/question.h"

#include <catch2/catch.hpp>
#include <utility>

#include "graph/forwarding_graph.h"
#include "model/endpoint.h"
#include "tests/support/network_builder.h"

namespace vpcprove {
namespace {

using testing::NetworkBuilder;

/** Three ENIs of one subnet with the same group (one behaviour class) and one with another. */
model::Network network() {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.route_table("rtb-1", "vpc-1");
  b.subnet("subnet-1", "vpc-1", "10.0.1.0/24").route_table("rtb-1");
  b.eni("eni-a", "subnet-1", {"10.0.1.10"}).groups({"sg-1"});
  b.eni("eni-b", "subnet-1", {"10.0.1.11"}).groups({"sg-1"});
  b.eni("eni-c", "subnet-1", {"10.0.1.12"}).groups({"sg-1"});
  b.eni("eni-d", "subnet-1", {"10.0.1.13"}).groups({"sg-2"});
  b.sg("sg-1", "vpc-1").egress_all();
  b.sg("sg-2", "vpc-1").egress_all();
  return b.build();
}

queries::ReachQuery question(const model::Network& n, queries::Semantics s) {
  return {model::resolve_endpoint(n, "vpc-1"), model::resolve_endpoint(n, "internet"), {}, s, 0};
}

/** Groups of the ENIs that share subnet and groups, as the prover's behaviour classes do. */
class BySecurityGroup final : public queries::EniGrouping {
 public:
  explicit BySecurityGroup(const model::Network& n) : n_(n) {}
  const std::vector<std::vector<model::Id>>& groups(const std::vector<model::Id>& enis, bool) override {
    std::map<std::string, std::vector<model::Id>> by;
    for (const auto& id : enis) by[n_.network_interfaces.at(id).security_group_ids.front()].push_back(id);
    groups_.clear();
    for (auto& [sg, members] : by) groups_.push_back(std::move(members));
    return groups_;
  }

 private:
  const model::Network& n_;
  std::vector<std::vector<model::Id>> groups_;
};

TEST_CASE("each ENI alone: every ENI is a source of its own, and the groups survive a move", "[queries]") {
  const auto n = network();
  const graph::ForwardingGraph g(n);
  queries::Question moved = queries::resolve_each_eni_alone(g, question(n, queries::Semantics::Packet));
  const queries::Question q = std::move(moved);
  REQUIRE(q.sources.size() == 4);
  for (const auto& src : q.sources) {
    REQUIRE(src.owned_by != nullptr);
    CHECK(*src.owned_by == std::vector<model::Id>{src.member});
    CHECK(src.start == g.start(src.member));
  }
  CHECK(q.targets == std::set<graph::VertexId>{g.exits_internet()});
}

TEST_CASE("a grouping makes one source per group for first packets; session questions keep every ENI alone",
          "[queries]") {
  const auto n = network();
  const graph::ForwardingGraph g(n);
  BySecurityGroup grouping(n);
  const auto packet = queries::resolve(g, question(n, queries::Semantics::Packet), grouping);
  REQUIRE(packet.sources.size() == 2);
  CHECK(packet.sources[0].member == "eni-a");
  CHECK(packet.sources[0].owned_by->size() == 3);
  CHECK(packet.sources[1].member == "eni-d");
  // A reply comes back to one ENI: session questions keep every ENI alone, in the question.
  const auto session = queries::resolve(g, question(n, queries::Semantics::Session), grouping);
  REQUIRE(session.sources.size() == 4);
  for (const auto& src : session.sources) CHECK(*src.owned_by == std::vector<model::Id>{src.member});
}

}  // namespace
}  // namespace vpcprove
