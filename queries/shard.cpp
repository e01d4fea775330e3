// SPDX-License-Identifier: Apache-2.0
// Shards of one check run and their merge (queries/shard.h).
#include "queries/shard.h"

#include <map>
#include <set>

#include "common/diagnostics.h"
#include "queries/check.h"

namespace vpcprove::queries {

Shard parse_shard(const std::string& text) {
  const auto bad = [&]() -> Shard {
    throw InputError("", "", "--shard wants K/N with 1 <= K <= N (K from 1), not '" + text + "'");
  };
  const auto slash = text.find('/');
  if (slash == std::string::npos) return bad();
  const auto number = [&](const std::string& digits) -> std::size_t {
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
      bad();
    return std::stoul(digits);
  };
  const Shard s{number(text.substr(0, slash)), number(text.substr(slash + 1))};
  if (s.n < 1 || s.k < 1 || s.k > s.n) return bad();
  return s;
}

std::vector<std::size_t> shard_positions(const Shard& shard, std::size_t total) {
  std::vector<std::size_t> out;
  for (std::size_t p = shard.k - 1; p < total; p += shard.n) out.push_back(p);
  return out;
}

nlohmann::json merge_shard_reports(const std::vector<std::pair<std::string, nlohmann::json>>& shards) {
  if (shards.empty())
    throw InputError("", "", "merge needs the JSON reports of the shards (check --shard K/N --format json)");
  std::size_t n = 0;
  std::size_t total = 0;
  std::map<std::size_t, std::string> seen_k;                 // k -> file
  std::map<std::size_t, const nlohmann::json*> by_position;  // the single run's order
  double elapsed = 0;
  const nlohmann::json* first = nullptr;
  for (const auto& [file, j] : shards) {
    const auto fail = [&file = file](const std::string& what) { throw InputError(file, "", what); };
    if (!j.is_object() || !j.contains("shard") || !j.contains("results") || !j["results"].is_array()) {
      fail("not the JSON report of one shard (vpcprove check --shard K/N --format json)");
    }
    try {
      const auto& s = j.at("shard");
      const auto k = s.at("k").get<std::size_t>();
      if (first == nullptr) {
        first = &j;
        n = s.at("n").get<std::size_t>();
        total = s.at("total").get<std::size_t>();
      }
      if (s.at("n").get<std::size_t>() != n || s.at("total").get<std::size_t>() != total ||
          j.at("snapshot") != first->at("snapshot") || j.at("specs") != first->at("specs")) {
        fail("a shard of another audit (its n, invariant count, snapshot or specs differ from " +
             shards.front().first + "'s)");
      }
      if (const auto [it, fresh] = seen_k.emplace(k, file); !fresh) {
        fail("shard " + std::to_string(k) + "/" + std::to_string(n) + " is also " + it->second);
      }
      const auto& positions = s.at("positions");
      if (positions.size() != j["results"].size()) fail("its positions and results differ in number");
      for (std::size_t i = 0; i < positions.size(); ++i) {
        const auto p = positions[i].get<std::size_t>();
        if (p >= total || !by_position.emplace(p, &j["results"][i]).second) {
          fail("result position " + std::to_string(p) + " is out of range or given twice");
        }
      }
      elapsed += j.at("elapsed_ms").get<double>();
    } catch (const nlohmann::json::exception& e) {
      fail(std::string("malformed shard field: ") + e.what());
    }
  }
  if (seen_k.size() != n || by_position.size() != total) {
    std::string missing;
    for (std::size_t k = 1; k <= n; ++k) {
      if (!seen_k.contains(k))
        missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(n);
    }
    throw InputError("", "", "merge needs every shard of the audit; missing: " + missing);
  }
  nlohmann::json results = nlohmann::json::array();
  CheckSummary summary;
  for (const auto& [p, r] : by_position) {
    results.push_back(*r);
    const auto v = r->value("verdict", "");
    if (v == "holds")
      ++summary.holds;
    else if (v == "violated")
      ++summary.violated;
    else
      ++summary.unknown;
  }
  nlohmann::json merged = *first;
  merged.erase("shard");
  merged["results"] = results;
  merged["summary"] = {
      {"holds", summary.holds}, {"violated", summary.violated}, {"unknown", summary.unknown}};
  merged["elapsed_ms"] = elapsed;
  return merged;
}

}  // namespace vpcprove::queries
