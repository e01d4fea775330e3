// SPDX-License-Identifier: Apache-2.0
// One vocabulary of drop codes: every code reads back as itself, and every code the documents
// name is one of them (a code spelled two ways in two stages fails here or does not compile).
#include "model/drop_code.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/test_paths.h"

namespace vpcprove {
namespace {

TEST_CASE("every drop code reads back as itself, and no two codes share a name", "[model]") {
  std::set<std::string> names;
  for (const auto code : model::kAllDropCodes) {
    const std::string name = model::to_string(code);
    INFO(name);
    CHECK(names.insert(name).second);
    REQUIRE(model::parse_drop_code(name).has_value());
    CHECK(*model::parse_drop_code(name) == code);
  }
  CHECK_FALSE(model::parse_drop_code("SOURCE_NOT_AN_INTERNET_ADDRESS").has_value());
  CHECK_FALSE(model::parse_drop_code("").has_value());
}

TEST_CASE("every drop code docs/semantics.md names is in the vocabulary", "[model]") {
  std::ifstream in(std::string(VPCPROVE_SOURCE_DIR) + "/docs/semantics.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  // Codes are written in backticks, upper case with underscores: `ENI_SG_RULES_MISMATCH`.
  const std::regex code("`([A-Z][A-Z0-9]*(_[A-Z0-9]+)+)`");
  int found = 0;
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), code); it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1];
    INFO(name);
    CHECK(model::parse_drop_code(name).has_value());
    ++found;
  }
  CHECK(found >= 15);
}

}  // namespace
}  // namespace vpcprove
