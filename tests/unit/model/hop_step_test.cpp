// SPDX-License-Identifier: Apache-2.0
// One vocabulary of hop steps: every step reads back as itself, and every step the contract
// and docs/semantics.md print is one of them (the differential tier checks that trace's hops
// and drops use only these words; the reasons tier checks reach's reasons).
#include "model/hop_step.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/test_paths.h"

namespace vpcprove {
namespace {

TEST_CASE("every hop step reads back as itself, and no two steps share a word", "[model]") {
  std::set<std::string> names;
  for (const auto step : model::kAllHopSteps) {
    const std::string name = model::to_string(step);
    INFO(name);
    CHECK(names.insert(name).second);
    REQUIRE(model::parse_hop_step(name).has_value());
    CHECK(*model::parse_hop_step(name) == step);
    CHECK(model::step_is(name, step));
  }
  CHECK(names.size() == 17);
  // Names of the forwarding graph's internal steps are not hop steps.
  CHECK_FALSE(model::parse_hop_step("not-aws-service").has_value());
  CHECK_FALSE(model::parse_hop_step("nat-reverse").has_value());
  CHECK_FALSE(model::parse_hop_step("").has_value());
}

TEST_CASE("every step the contract's hop examples print is in the vocabulary", "[model]") {
  std::ifstream in(std::string(VPCPROVE_SOURCE_DIR) + "/docs/cli-contract.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::regex step("\"step\": \"([a-z-]+)\"");
  int found = 0;
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), step); it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1];
    INFO(name);
    CHECK(model::parse_hop_step(name).has_value());
    ++found;
  }
  CHECK(found >= 4);
}

}  // namespace
}  // namespace vpcprove
