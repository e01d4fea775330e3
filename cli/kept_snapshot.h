// SPDX-License-Identifier: Apache-2.0
// A command's snapshot, loaded once and kept until the process exits.
#pragma once

#include <string>

#include "aws/snapshot.h"
#include "model/network.h"

namespace vpcprove::cli {

struct KeptSnapshot {
  const aws::Snapshot& snapshot;
  const model::Network& network;
};

/**
 * Loads the snapshot at path (aws::load_snapshot, then aws::to_model) and keeps both until
 * the process exits (with plan's changes applied over it when plan is not "": aws::apply_plan), never freeing
 * them: freeing a 100k-ENI estate's strings and maps one by one took 0.4-0.5 s at exit
 * (benchmarks/RESULTS.md), and the OS takes the heap back at once. They stay reachable from a static, so leak
 * checkers (ASan) do not count them. Throws what the loader throws (InputError: exit 2). With warn, every
 * warning about a missing or contradictory resource (what answers may rest on, cli-contract.md) goes to
 * stderr as "vpcprove: warning: …" (inventory lists them in its own output instead).
 */
KeptSnapshot load_kept(const std::string& path, const std::string& plan = "", bool warn = true);

/** true for the diagnostics every command prints on stderr: missing references, contradictions. */
bool printed_by_every_command(const Diagnostic& d);

}  // namespace vpcprove::cli
