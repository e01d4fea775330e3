// SPDX-License-Identifier: Apache-2.0
// exposure by interval geometry on generated diverse estates (benchmarks/gen_estate.cpp
// --diverse: every ENI its own groups, random rules, one NACL per subnet, every ENI kind),
// held to the solver's exposure and to trace on every boundary.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "aws/load.h"
#include "model/network.h"
#include "tests/unit/exposure/geometry_agreement.h"

namespace {

namespace fs = std::filesystem;

vpcprove::model::Network generate_diverse(std::uint32_t seed) {
  const std::string name = "diverse-exposure-" + std::to_string(seed);
  const fs::path dir = fs::path(VPCPROVE_BENCH_SMOKE_DIR) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string command =
      std::string("\"") + VPCPROVE_GEN_ESTATE +
      "\" --diverse --enis 400 --vpcs 2 --subnets-per-vpc 6 --sgs 60 --rules-per-sg 6 --nacl-entries 8 "
      "--peerings 1 --public-share 0.5 --group-ref-share 0.3 --seed " +
      std::to_string(seed) + " -o \"" + dir.string() + "\" > /dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  return vpcprove::aws::load_network(dir.string());
}

}  // namespace

TEST_CASE("exposure by geometry agrees with the solver and with trace on every boundary of diverse estates",
          "[bench][exposure]") {
  std::size_t geometry = 0, probes = 0;
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    const auto n = generate_diverse(seed);
    // Every class against the solver; the first 40 listed ENIs (per estate) against trace.
    const auto r = vpcprove::testing::check_geometry_agrees(n, 40);
    INFO("seed " << seed << ": " << r.classes << " classes, " << r.geometry_classes << " by geometry");
    for (const auto& d : r.disagreements) FAIL_CHECK(d);
    CHECK(r.enis_compared > 100);
    geometry += r.geometry_classes;
    probes += r.probes;
  }
  CHECK(geometry > 300);
  CHECK(probes > 1000);
}
