// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness: arbitrary bytes as a Network Access Analyzer scope (queries/scope.h).
//
// InputError (naming the file and JSON path) is the documented answer to a bad scope; any
// other exception, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/diagnostics.h"
#include "intent/scope.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto scope = vpcprove::queries::parse_scope(text, "fuzz.json");
    (void)scope.match.size();
  } catch (const vpcprove::InputError&) {
  }
  return 0;
}
