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

/** Every aws_configs/ folder and single-file snapshot of the corpus, and the project's examples. */
std::vector<fs::path> snapshots() {
  std::vector<fs::path> out;
  const fs::path corpus(VPCPROVE_CORPUS_DIR);
  for (const auto& e : fs::recursive_directory_iterator(corpus)) {
    if (e.is_directory() && e.path().filename() == "aws_configs") out.push_back(e.path());
  }
  if (fs::exists(corpus / "batfish" / "aws")) {
    for (const auto& e : fs::directory_iterator(corpus / "batfish" / "aws")) {
      if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path());
    }
  }
  const fs::path examples = fs::path(VPCPROVE_SOURCE_DIR) / "examples";
  if (fs::exists(examples)) {
    // An example is a snapshot when it holds AWS JSON (examples/ci holds a CI recipe instead).
    for (const auto& e : fs::directory_iterator(examples)) {
      if (!e.is_directory()) continue;
      const bool has_json =
          std::any_of(fs::directory_iterator(e.path()), fs::directory_iterator{},
                      [](const fs::directory_entry& f) { return f.path().extension() == ".json"; });
      if (has_json) out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

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
