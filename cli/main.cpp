// SPDX-License-Identifier: Apache-2.0
// The vpcprove driver: parses the command line, runs one command, maps errors to exit codes.
// Error messages quote file names, IDs and arguments from the input: each is printed through
// escape_text (common/escape.h), so it stays on its one line and cannot drive the terminal.
#include <pthread.h>
#include <unistd.h>
#include <z3++.h>

#include <csignal>
#include <iostream>
#include <new>
#include <system_error>
#include <thread>

#include "cli/command.h"
#include "common/diagnostics.h"
#include "common/escape.h"
#include "vpcprove/config.h"

namespace vpcprove::cli {

void add_common_options(CLI::App& sub, CommonOptions& options, const std::vector<std::string>& formats) {
  sub.add_option("--format", options.format, "output format")->check(CLI::IsMember(formats));
  sub.add_option("--timeout-ms", options.timeout_ms, "limit per solver call in milliseconds (0: none)");
  sub.add_option("--jobs", options.jobs, "worker threads (0: all cores)");
  sub.add_option("--plan", options.plan,
                 "a Terraform plan (terraform show -json) whose changes apply over the snapshot");
  sub.add_option("--assume", options.assume,
                 "opaque-drops: accept the assumptions a proof rests on (what vpcprove does not follow "
                 "drops the traffic, a missing resource is absent, an appliance forwards unchanged)")
      ->check(CLI::IsMember({"opaque-drops"}));
}

}  // namespace vpcprove::cli

namespace {

// Ctrl-C. SIGINT is blocked in every thread (threads started later, Z3's included, inherit the
// mask, so Z3's own scoped SIGINT handler never runs and never turns Ctrl-C into an "unknown"
// answer) and one thread waits for it. It stops the process at once: a message on stderr,
// exit 130 (128 + SIGINT), and _exit so that no buffered, partial answer reaches stdout. The
// solver's work is not resumable, so there is nothing to unwind; the kernel reclaims the rest.
void exit_130_on_ctrl_c() {
  sigset_t interrupt;
  sigemptyset(&interrupt);
  sigaddset(&interrupt, SIGINT);
  if (pthread_sigmask(SIG_BLOCK, &interrupt, nullptr) != 0) return;
  try {
    std::thread([interrupt] {
      int signal = 0;
      if (sigwait(&interrupt, &signal) != 0) return;
      static constexpr char message[] = "vpcprove: interrupted (Ctrl-C); no answer\n";
      [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
      ::_exit(130);
    }).detach();
  } catch (const std::exception&) {
    // No thread to spare (std::system_error), or no memory for one (std::bad_alloc), under a
    // tight memory or process limit: Ctrl-C then ends the process the
    // default way, which a shell also reports as 130.
    pthread_sigmask(SIG_UNBLOCK, &interrupt, nullptr);
  }
}

/** What the user reads when the input needs more memory than this process may use. */
constexpr char kOutOfMemory[] =
    "vpcprove: error: out of memory: the input needs more memory than this process may use\n";

int run(int argc, char** argv);

}  // namespace

// Out of memory before a command runs (the driver's own setup under a tight limit) is the same
// clear error as out of memory while it runs.
int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc&) {
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, kOutOfMemory, sizeof kOutOfMemory - 1);
    return 2;
  }
}

namespace {

int run(int argc, char** argv) {
  using vpcprove::escape_text;
  using vpcprove::cli::ExitCode;
  exit_130_on_ctrl_c();
  CLI::App app{"vpcprove: proofs and counterexamples for AWS VPC reachability"};
  app.set_version_flag("--version", std::string("vpcprove ") + VPCPROVE_VERSION);
  app.require_subcommand(1);
  // A usage error quotes the offending argument: CLI11's message, its first line escaped.
  app.failure_message([](const CLI::App* failed, const CLI::Error& e) {
    const std::string what = e.what();
    return escape_text(what) + '\n' + CLI::FailureMessage::simple(failed, e).substr(what.size() + 1);
  });
  ExitCode exit_code = ExitCode::Ok;
  vpcprove::cli::add_inventory_command(app, exit_code);
  vpcprove::cli::add_trace_command(app, exit_code);
  vpcprove::cli::add_reach_command(app, exit_code);
  vpcprove::cli::add_check_command(app, exit_code);
  vpcprove::cli::add_exposure_command(app, exit_code);
  vpcprove::cli::add_diff_command(app, exit_code);
  vpcprove::cli::add_graph_command(app, exit_code);
  vpcprove::cli::add_merge_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 uses exit code 0 for --help/--version and non-zero for usage errors; the contract
    // wants 2 for every usage error.
    const int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(ExitCode::BadInput);
  } catch (const vpcprove::InputError& e) {
    std::cerr << "vpcprove: error: " << escape_text(e.what()) << '\n';
    return static_cast<int>(ExitCode::BadInput);
  } catch (const z3::exception& e) {
    std::cerr << "vpcprove: solver error: " << escape_text(e.msg()) << '\n';
    return static_cast<int>(ExitCode::Unknown);
  } catch (const std::bad_alloc&) {
    // A snapshot too big for the memory this process may use (RAM, ulimit -v, a container's
    // limit) is the input's size, not a bug: say so, exit 2, never die silently.
    std::cerr << kOutOfMemory;
    return static_cast<int>(ExitCode::BadInput);
  } catch (const std::system_error& e) {
    if (e.code() != std::errc::resource_unavailable_try_again) {
      std::cerr << "vpcprove: internal error: " << escape_text(e.what()) << '\n';
      return static_cast<int>(ExitCode::BadInput);
    }
    // std::thread could not start a worker: out of memory for its stack, or a process limit.
    std::cerr << "vpcprove: error: cannot start a worker thread (out of memory or at a process limit): "
              << escape_text(e.what()) << '\n';
    return static_cast<int>(ExitCode::BadInput);
  } catch (const std::exception& e) {
    std::cerr << "vpcprove: internal error: " << escape_text(e.what()) << '\n';
    return static_cast<int>(ExitCode::BadInput);
  }
  return static_cast<int>(exit_code);
}

}  // namespace
