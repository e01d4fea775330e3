// SPDX-License-Identifier: Apache-2.0
// A throw-away snapshot folder for loader and converter tests: write JSON files, load, delete.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "aws/load.h"
#include "aws/snapshot_loader.h"
#include "aws/to_model.h"
#include "common/diagnostics.h"

namespace vpcprove::aws::test {

/** A fresh folder under the system temp dir, removed (with its contents) on destruction. */
class TempSnapshot {
 public:
  TempSnapshot() {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("vpcprove-aws-test-" + std::to_string(rd()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
  }
  ~TempSnapshot() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempSnapshot(const TempSnapshot&) = delete;
  TempSnapshot& operator=(const TempSnapshot&) = delete;

  /** Writes text to relative path name (folders created); returns the full path. */
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = dir_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.generic_string();
  }
  [[nodiscard]] std::string path() const { return dir_.generic_string(); }
  [[nodiscard]] std::string path(const std::string& name) const { return (dir_ / name).generic_string(); }

  [[nodiscard]] Snapshot snapshot() const { return load_snapshot(path()); }
  [[nodiscard]] model::Network network() const { return load_network(path()); }

 private:
  std::filesystem::path dir_;
};

/** The InputError message load_snapshot(path) throws, or "no error". */
inline std::string load_error(const std::string& path) {
  try {
    (void)load_snapshot(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

/** The diagnostics with the given code. */
inline std::vector<Diagnostic> with_code(const Diagnostics& d, const std::string& code) {
  std::vector<Diagnostic> out;
  for (const auto& x : d.items()) {
    if (x.code == code) out.push_back(x);
  }
  return out;
}

}  // namespace vpcprove::aws::test
