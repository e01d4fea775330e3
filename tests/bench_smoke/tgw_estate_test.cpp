// SPDX-License-Identifier: Apache-2.0
// gen_estate --tgw (benchmarks/tgw_shape.h): two transit gateways, three route tables, static and
// propagated routes and a blackhole that the loader reads and trace follows.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "aws/load.h"
#include "model/network.h"
#include "trace/trace.h"

namespace {

namespace fs = std::filesystem;
using namespace vpcprove;

TEST_CASE("a --tgw estate has two TGWs, three tables, every VPC attached and a blackhole trace obeys",
          "[bench][tgw]") {
  const fs::path dir = fs::path(VPCPROVE_BENCH_SMOKE_DIR) / "tgw";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string command = std::string("\"") + VPCPROVE_GEN_ESTATE +
                              "\" --enis 80 --vpcs 8 --subnets-per-vpc 3 --sgs 32 --accounts 1 --regions 1 "
                              "--vpcs-per-bucket 8 --tgw -o \"" +
                              dir.string() + "\" > /dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  const model::Network n = aws::load_network(dir.string());
  CHECK(n.transit_gateways.size() == 2);
  CHECK(n.transit_gateway_route_tables.size() == 3);
  REQUIRE(n.transit_gateway_attachments.size() == n.vpcs.size());
  const model::TransitGatewayRouteTable* dev = nullptr;
  for (const auto& [id, t] : n.transit_gateway_route_tables) {
    if (t.tags.count("Name") && t.tags.at("Name") == "dev") dev = &t;
  }
  REQUIRE(dev);
  std::size_t statics = 0, propagated = 0;
  const model::Route* blackhole = nullptr;
  for (const auto& r : dev->routes) {
    if (r.blackhole) blackhole = &r;
    statics += r.origin == "static" ? 1 : 0;
    propagated += r.origin == "propagated" ? 1 : 0;
  }
  REQUIRE(blackhole);
  CHECK(statics == 2);
  CHECK(propagated == 4);  // the four VPCs of the first TGW
  // ENIs of VPCs associated with dev send to the blackholed VPC: every packet that gets as far as
  // the TGW (a custom NACL may stop it before) is dropped at dev's blackhole.
  const model::NetworkInterface* to = nullptr;
  for (const auto& [id, e] : n.network_interfaces) {
    if (!to && e.in_sets() && !e.private_ips.empty() && n.vpc_contains(e.vpc_id, blackhole->destination.addr))
      to = &e;
  }
  REQUIRE(to);
  std::size_t at_tgw = 0;
  for (const auto& [id, e] : n.network_interfaces) {
    if (!e.in_sets() || e.private_ips.empty()) continue;
    bool on_dev = false;
    for (const auto& [aid, a] : n.transit_gateway_attachments)
      on_dev = on_dev || (a.resource_id == e.vpc_id && a.route_table_id == dev->id);
    if (!on_dev) continue;
    model::Packet p;
    p.protocol = model::kTcp;
    p.src_ip = e.private_ips.front().address;
    p.dst_ip = to->private_ips.front().address;
    p.src_port = 49152;
    p.dst_port = 443;
    const auto w = trace::walk(n, trace::Start::interface(e.id), p);
    const bool reached = std::any_of(w.hops.begin(), w.hops.end(),
                                     [&](const model::Hop& h) { return h.at == dev->transit_gateway_id; });
    if (!reached) continue;
    ++at_tgw;
    CHECK(w.disposition == model::Disposition::Dropped);
    REQUIRE(w.drop);
    CHECK(w.drop->at == dev->id);
    CHECK(w.drop->code == "BAD_STATE_ROUTE");
  }
  CHECK(at_tgw > 0);
}

}  // namespace
