// SPDX-License-Identifier: Apache-2.0
#include "cli/kept_snapshot.h"

#include <deque>
#include <utility>

#include "aws/snapshot_loader.h"
#include "aws/terraform_plan.h"
#include "aws/to_model.h"

namespace vpcprove::cli {

KeptSnapshot load_kept(const std::string& path, const std::string& plan) {
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
  return {k.snapshot, k.network};
}

}  // namespace vpcprove::cli
