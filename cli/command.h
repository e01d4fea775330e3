// SPDX-License-Identifier: Apache-2.0
// How the vpcprove driver is put together: each subcommand registers itself on the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "model/assumption.h"

namespace vpcprove::cli {

/** The contract's exit codes. */
enum class ExitCode : int {
  Ok = 0,        ///< answered as wished
  Violated = 1,  ///< answered, and something is wrong (invariant violated, --expect disagrees)
  BadInput = 2,  ///< bad usage or bad input
  Unknown = 3,   ///< a solver limit was hit, or a proof would rest on an assumption
};

/** Options every command takes (--format, --timeout-ms, --jobs). */
struct CommonOptions {
  std::string format = "text";
  unsigned timeout_ms = 0;  ///< 0: no limit
  unsigned jobs = 0;        ///< 0: all cores
  std::string plan;         ///< --plan PLAN.json: a Terraform plan applied over the snapshot; "" for none
  std::string assume;       ///< "" or "opaque-drops" (--assume)

  /** The answers' assumption policy: --assume opaque-drops accepts the assumptions. */
  [[nodiscard]] model::AssumptionPolicy policy() const {
    return assume == "opaque-drops" ? model::AssumptionPolicy::OpaqueDrops
                                    : model::AssumptionPolicy::Conditional;
  }
};

/** Adds --format (restricted to formats), --timeout-ms, --jobs, --plan and --assume to a subcommand. */
void add_common_options(CLI::App& sub, CommonOptions& options,
                        const std::vector<std::string>& formats = {"text", "json"});

/**
 * Registration functions, one per command, each in its own <name>_command.cpp. A command's
 * callback stores its exit code in exit_code; errors in the input are thrown as InputError
 * and mapped to exit 2 by main().
 */
void add_inventory_command(CLI::App& app, ExitCode& exit_code);
void add_trace_command(CLI::App& app, ExitCode& exit_code);
void add_reach_command(CLI::App& app, ExitCode& exit_code);
void add_check_command(CLI::App& app, ExitCode& exit_code);
void add_exposure_command(CLI::App& app, ExitCode& exit_code);
void add_diff_command(CLI::App& app, ExitCode& exit_code);
void add_graph_command(CLI::App& app, ExitCode& exit_code);
void add_merge_command(CLI::App& app, ExitCode& exit_code);

}  // namespace vpcprove::cli
