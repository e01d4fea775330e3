// SPDX-License-Identifier: Apache-2.0
// Opening and closing the --emit-smt2 file, with errors that name it.
#include "solver/smt2_file.h"

#include <cerrno>
#include <cstring>

#include "common/diagnostics.h"

namespace vpcprove::solver {

std::ofstream Smt2File::open(const std::string& path) {
  if (path == "-") {
    throw InputError("", "", "--emit-smt2 -: standard output carries the report; give a file name");
  }
  if (path.empty()) throw InputError("", "", "--emit-smt2: the file name is empty");
  std::ofstream file(path, std::ios::out | std::ios::trunc);
  if (!file)
    throw InputError(path, "", std::string("cannot write the SMT-LIB file: ") + std::strerror(errno));
  return file;
}

Smt2File::Smt2File(const std::string& path, const std::string& header)
    : path_(path), file_(open(path)), sink_(file_, header) {}

void Smt2File::finish() {
  const bool written = sink_.finish();
  file_.close();
  if (!written || file_.fail()) {
    throw InputError(path_, "", std::string("writing the SMT-LIB file failed: ") + std::strerror(errno));
  }
}

}  // namespace vpcprove::solver
