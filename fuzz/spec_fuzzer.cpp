// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness: arbitrary bytes as a `check` spec file (queries/spec.h).
//
// InputError (naming file and line) is the documented answer to a bad spec; any other
// exception (a yaml-cpp exception that escaped, std::out_of_range, ...) or a crash is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/diagnostics.h"
#include "intent/spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto spec = vpcprove::queries::parse_spec(text, "fuzz.yaml");
    for (const auto& inv : spec.invariants) (void)inv.effective_semantics();
  } catch (const vpcprove::InputError&) {
  }
  try {
    (void)vpcprove::queries::is_endpoint_form(text);
  } catch (const vpcprove::InputError&) {
  }
  return 0;
}
