// SPDX-License-Identifier: Apache-2.0
// `vpcprove check` (placeholder until the command is implemented).
#include <iostream>

#include "cli/command.h"

namespace vpcprove::cli {

void add_check_command(CLI::App& app, ExitCode& exit_code) {
  auto* sub = app.add_subcommand("check", "not implemented yet");
  sub->allow_extras();
  sub->callback([&exit_code] {
    std::cerr << "vpcprove: check is not implemented yet\n";
    exit_code = ExitCode::BadInput;
  });
}

}  // namespace vpcprove::cli
