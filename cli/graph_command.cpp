// SPDX-License-Identifier: Apache-2.0
// `vpcprove graph` (placeholder until the command is implemented).
#include <iostream>

#include "cli/command.h"

namespace vpcprove::cli {

void add_graph_command(CLI::App& app, ExitCode& exit_code) {
  auto* sub = app.add_subcommand("graph", "not implemented yet");
  sub->allow_extras();
  sub->callback([&exit_code] {
    std::cerr << "vpcprove: graph is not implemented yet\n";
    exit_code = ExitCode::BadInput;
  });
}

}  // namespace vpcprove::cli
