// SPDX-License-Identifier: Apache-2.0
// The vpcprove driver: parses the command line, runs one command, maps errors to exit codes.
#include <z3++.h>

#include <iostream>

#include "cli/command.h"
#include "common/diagnostics.h"
#include "vpcprove/config.h"

namespace vpcprove::cli {

void add_common_options(CLI::App& sub, CommonOptions& options, const std::vector<std::string>& formats) {
  sub.add_option("--format", options.format, "output format")->check(CLI::IsMember(formats));
  sub.add_option("--timeout-ms", options.timeout_ms, "limit per solver call in milliseconds (0: none)");
  sub.add_option("--jobs", options.jobs, "worker threads (0: all cores)");
}

}  // namespace vpcprove::cli

int main(int argc, char** argv) {
  using vpcprove::cli::ExitCode;
  CLI::App app{"vpcprove: proofs and counterexamples for AWS VPC reachability"};
  app.set_version_flag("--version", std::string("vpcprove ") + VPCPROVE_VERSION);
  app.require_subcommand(1);
  ExitCode exit_code = ExitCode::Ok;
  vpcprove::cli::add_inventory_command(app, exit_code);
  vpcprove::cli::add_trace_command(app, exit_code);
  vpcprove::cli::add_reach_command(app, exit_code);
  vpcprove::cli::add_check_command(app, exit_code);
  vpcprove::cli::add_exposure_command(app, exit_code);
  vpcprove::cli::add_diff_command(app, exit_code);
  vpcprove::cli::add_graph_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 uses exit code 0 for --help/--version and non-zero for usage errors; the contract
    // wants 2 for every usage error.
    const int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(ExitCode::BadInput);
  } catch (const vpcprove::InputError& e) {
    std::cerr << "vpcprove: error: " << e.what() << '\n';
    return static_cast<int>(ExitCode::BadInput);
  } catch (const z3::exception& e) {
    std::cerr << "vpcprove: solver error: " << e.msg() << '\n';
    return static_cast<int>(ExitCode::Unknown);
  } catch (const std::exception& e) {
    std::cerr << "vpcprove: internal error: " << e.what() << '\n';
    return static_cast<int>(ExitCode::BadInput);
  }
  return static_cast<int>(exit_code);
}
