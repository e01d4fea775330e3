// SPDX-License-Identifier: Apache-2.0
#include "tests/support/test_paths.h"

#include <algorithm>

namespace vpcprove::testing {

const std::string& source_dir() {
  static const std::string dir = VPCPROVE_SOURCE_DIR_TEXT;
  return dir;
}

const std::string& corpus_dir() {
  static const std::string dir = VPCPROVE_CORPUS_DIR_TEXT;
  return dir;
}

std::vector<std::filesystem::path> corpus_and_example_snapshots() {
  namespace fs = std::filesystem;
  std::vector<fs::path> out;
  const fs::path corpus(corpus_dir());
  for (const auto& e : fs::recursive_directory_iterator(corpus)) {
    if (e.is_directory() && e.path().filename() == "aws_configs") out.push_back(e.path());
  }
  if (fs::exists(corpus / "batfish" / "aws")) {
    for (const auto& e : fs::directory_iterator(corpus / "batfish" / "aws")) {
      if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path());
    }
  }
  const fs::path examples = fs::path(source_dir()) / "examples";
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

}  // namespace vpcprove::testing
