// SPDX-License-Identifier: Apache-2.0
#include "tests/support/test_paths.h"

namespace vpcprove::testing {

const std::string& source_dir() {
  static const std::string dir = VPCPROVE_SOURCE_DIR_TEXT;
  return dir;
}

const std::string& corpus_dir() {
  static const std::string dir = VPCPROVE_CORPUS_DIR_TEXT;
  return dir;
}

}  // namespace vpcprove::testing
