// SPDX-License-Identifier: Apache-2.0
// `check --shard K/N` and `vpcprove merge`: one audit split over N machines and joined again.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace vpcprove::queries {

/** The K-th (from 1) of N slices. */
struct Shard {
  std::size_t k = 1;
  std::size_t n = 1;
};

/** "K/N" with 1 <= K <= N; InputError naming the text otherwise. */
Shard parse_shard(const std::string& text);

/**
 * The positions (0-based, in the single run's order: spec invariants in file order, then
 * scopes) that shard holds out of total: every position p with p % N == K - 1. Round robin
 * rather than blocks, so that a spec that groups its expensive invariants still spreads them;
 * stable because it depends only on the order of the invariants, never on timing or machine.
 */
std::vector<std::size_t> shard_positions(const Shard& shard, std::size_t total);

/**
 * The single run's JSON report from the JSON reports of all N shards of one audit (in any
 * order): results in single-run order, summary recounted, elapsed_ms the sum of the shards'
 * (the machine time the audit took). Each shard's report carries "shard": {"k", "n",
 * "total", "positions"}; merge checks that the files are the N shards of one audit (same n,
 * total, snapshot and specs; every k once; the positions a partition of 0..total-1) and
 * throws InputError naming the file otherwise.
 */
nlohmann::json merge_shard_reports(const std::vector<std::pair<std::string, nlohmann::json>>& shards);

}  // namespace vpcprove::queries
