// SPDX-License-Identifier: Apache-2.0
// exposure and reach agree on every ENI of every snapshot of the corpus (VPCPROVE_CORPUS_DIR)
// and of examples/: each port range exposure lists, reach finds; each it leaves out, reach
// proves unreachable; inactive ENIs are exposed nowhere and unreachable.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "aws/load.h"
#include "tests/enis/exposure_agreement.h"
#include "tests/support/test_paths.h"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> snapshots() { return vpcprove::testing::corpus_and_example_snapshots(); }

}  // namespace

TEST_CASE("exposure and reach agree on every ENI of the corpus", "[corpus][enis]") {
  const auto all = snapshots();
  REQUIRE(all.size() > 20);
  int enis = 0;
  for (const auto& path : all) {
    const auto network = vpcprove::aws::load_network(path.string());
    const auto a = vpcprove::testing::check_exposure_agrees_with_reach(network);
    enis += a.enis;
    INFO(path.string());
    for (const auto& d : a.disagreements) FAIL_CHECK(d);
  }
  CHECK(enis > 50);
}
