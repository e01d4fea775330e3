// SPDX-License-Identifier: Apache-2.0
// Running the vpcprove binary from a test: exit status, stdout, stderr, and a SIGINT on cue.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace vpcprove::testing {

struct ProcessResult {
  int exit_code = -1;     ///< the exit status, or -1 when the process was killed by a signal
  int term_signal = 0;    ///< the signal that killed it (SIGSEGV, SIGABRT, ...), 0 when it exited
  std::string out;        ///< everything it wrote on stdout
  std::string err;        ///< everything it wrote on stderr
  double elapsed_ms = 0;  ///< wall time from start to exit
};

struct RunOptions {
  /** Send SIGINT this long after the start (the process's Ctrl-C). */
  std::optional<std::chrono::milliseconds> sigint_after;
  /** Kill the process (SIGKILL) after this long; the result then has term_signal SIGKILL. */
  std::chrono::milliseconds kill_after{std::chrono::minutes(5)};
};

/** Runs argv[0] (a path, not looked up in PATH) with stdin from /dev/null; never throws on the
 *  child's failure, only when the process cannot be started (std::runtime_error). */
ProcessResult run_process(const std::vector<std::string>& argv, const RunOptions& options = {});

/** "exit 2" / "killed by signal 11 (Segmentation fault)" for messages. */
std::string describe_status(const ProcessResult& r);

}  // namespace vpcprove::testing
