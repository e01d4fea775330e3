// SPDX-License-Identifier: Apache-2.0
// Where the tests find the repository (examples/, fixtures) and the corpus, asked at run time:
// the paths are compiled into one small object (test_paths.cpp), not into every test, so that a
// second checkout shares the compiled tests through ccache.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace vpcprove::testing {

/** The repository's root folder. */
const std::string& source_dir();
/** The corpus folder of the corpus tier (VPCPROVE_CORPUS_DIR in CMake); may not exist. */
const std::string& corpus_dir();

/**
 * Every snapshot the corpus tier reads, sorted: each aws_configs/ folder and single-file snapshot
 * (the JSON files in batfish/aws) of the corpus, and each examples/ folder that holds AWS JSON.
 */
std::vector<std::filesystem::path> corpus_and_example_snapshots();

}  // namespace vpcprove::testing

#define VPCPROVE_SOURCE_DIR (::vpcprove::testing::source_dir())
#define VPCPROVE_CORPUS_DIR (::vpcprove::testing::corpus_dir())
