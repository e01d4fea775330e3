// SPDX-License-Identifier: Apache-2.0
// The primer network and inline specs for check's tests.
#include "primer_fixture.h"

#include "aws/load.h"
#include "tests/support/test_paths.h"

namespace vpcprove::check_test {

const model::Network& primer() {
  static const model::Network network =
      aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/examples/primer");
  return network;
}

std::vector<queries::Invariant> spec(const std::string& yaml) {
  return queries::parse_spec(yaml, "test.yaml").invariants;
}

std::vector<queries::InvariantResult> run(const model::Network& network, const std::string& yaml,
                                          queries::CheckOptions options) {
  return queries::run_check(network, spec(yaml), options);
}

}  // namespace vpcprove::check_test
