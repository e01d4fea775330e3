// SPDX-License-Identifier: Apache-2.0
#include "cli/kept_snapshot.h"

#include <deque>
#include <iostream>
#include <utility>

#include "aws/snapshot_loader.h"
#include "aws/terraform_plan.h"
#include "aws/to_model.h"
#include "common/escape.h"

namespace vpcprove::cli {

bool printed_by_every_command(const Diagnostic& d) {
  return d.severity == Severity::Warning &&
         (d.code == "dangling-reference" || d.code == "duplicate-public-ip" ||
          d.code == "conflicting-public-ip");
}

KeptSnapshot load_kept(const std::string& path, const std::string& plan, bool warn) {
  struct Kept {
    aws::Snapshot snapshot;
    model::Network network;
  };
  // A raw pointer to a never-destroyed deque: no destructor runs at exit, and the elements
  // stay reachable (and stable) for as many loads as one process makes (in-process CLI tests).
  static auto* kept = new std::deque<Kept>();
  aws::Snapshot snapshot = aws::load_snapshot(path);
  if (!plan.empty()) aws::apply_plan(snapshot, plan);
  model::Network network = aws::to_model(snapshot);
  Kept& k = kept->emplace_back(Kept{std::move(snapshot), std::move(network)});
  if (warn) {
    for (const auto& d : k.network.diagnostics.items()) {
      if (printed_by_every_command(d)) std::cerr << "vpcprove: warning: " << escape_text(d.message) << '\n';
    }
  }
  return {k.snapshot, k.network};
}

}  // namespace vpcprove::cli
