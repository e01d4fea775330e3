// SPDX-License-Identifier: Apache-2.0
// gen_estate --tgw keeps its candidate paths few: every VPC sends 10.0.0.0/8 to its transit
// gateway, so without pruning the route choices no destination makes at once
// (graph/route_choices.h) the loop-free paths bounce TGW -> VPC -> TGW -> VPC ... and grow
// factorially with the VPCs (on this 24-VPC estate the unpruned enumeration runs into its
// 20,000-path limit and the unreachable answer below is "unknown" after minutes).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "aws/load.h"
#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "model/network.h"
#include "queries/reach.h"

namespace {

namespace fs = std::filesystem;
using namespace vpcprove;

struct Estate {
  model::Network network;
  std::string from, to;  // the manifest's pair: two ENIs of the first VPC
};

Estate generate() {
  const fs::path dir = fs::path(VPCPROVE_BENCH_SMOKE_DIR) / "tgw-paths";
  const fs::path manifest = fs::path(VPCPROVE_BENCH_SMOKE_DIR) / "tgw-paths.manifest.json";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string command = std::string("\"") + VPCPROVE_GEN_ESTATE +
                              "\" --tgw --accounts 1 --regions 1 --vpcs-per-bucket 24 --vpcs 24 --enis 240 "
                              "--subnets-per-vpc 3 --sgs 96 --peerings 8 --seed 1 -o \"" +
                              dir.string() + "\" --manifest \"" + manifest.string() + "\" > /dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  std::ifstream in(manifest);
  const auto m = nlohmann::json::parse(in);
  return Estate{aws::load_network(dir.string()), m.at("reach_from").get<std::string>(),
                m.at("reach_to").get<std::string>()};
}

TEST_CASE("on a 24-VPC TGW estate candidate paths are few, not factorial, and unreachable is proved",
          "[bench][tgw][paths]") {
  const Estate e = generate();
  REQUIRE(e.network.transit_gateways.size() == 2);
  REQUIRE(e.network.vpcs.size() == 24);
  const graph::ForwardingGraph g(e.network);
  std::size_t most = 0;
  // From the first VPC to an ENI of every VPC (the other TGW's VPCs included): each way is a
  // route lookup in the sender's VPC, at most a TGW or two, and the destination VPC's.
  for (const auto& [id, eni] : e.network.network_interfaces) {
    if (!eni.in_sets() || id == e.from) continue;
    const auto ps = graph::enumerate_paths(g, g.start(e.from), {g.delivered(id)}, graph::Mode::Forward);
    INFO(e.from << " -> " << id << ": " << ps.paths.size() << " paths");
    REQUIRE_FALSE(ps.truncated);  // the first pair that explodes fails at once
    most = std::max(most, ps.paths.size());
  }
  CHECK(most > 0);
  CHECK(most <= 64);
  // So an unreachable question is proved, checking a few paths (one process generates the
  // estate once for both: catch_discover_tests runs each test case in a process of its own).
  queries::HeaderSpace udp;
  udp.protocol = 17;
  udp.dst_ports = PortRange{9999, 9999};
  const auto r = queries::reach(e.network, e.from, e.to, udp);
  INFO(r.unknown_reason);
  CHECK(r.verdict == queries::Verdict::Unreachable);
  CHECK_FALSE(r.reasons.empty());
  CHECK(r.candidate_paths <= 64);
}

}  // namespace
