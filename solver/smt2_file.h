// SPDX-License-Identifier: Apache-2.0
// The file behind --emit-smt2: opened before any solving, checked after the last write.
#pragma once

#include <fstream>
#include <string>

#include "solver/smt2_sink.h"

namespace vpcprove::solver {

/**
 * An SMT-LIB 2 file for Smt2Sink. The path "-" is refused: stdout carries the command's
 * report. Errors are InputError naming the file (the CLI's exit 2).
 */
class Smt2File {
 public:
  /** Creates or truncates path and writes the header (see Smt2Sink). */
  Smt2File(const std::string& path, const std::string& header);
  Smt2File(const Smt2File&) = delete;
  Smt2File& operator=(const Smt2File&) = delete;

  [[nodiscard]] Smt2Sink& sink() { return sink_; }
  /** Writes what is left and closes the file; InputError when any write failed. */
  void finish();

 private:
  static std::ofstream open(const std::string& path);

  std::string path_;
  std::ofstream file_;
  Smt2Sink sink_;
};

}  // namespace vpcprove::solver
