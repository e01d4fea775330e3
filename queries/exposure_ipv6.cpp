// SPDX-License-Identifier: Apache-2.0
// exposure over IPv6 (queries/exposure_ipv6.h).
#include "queries/exposure_ipv6.h"

#include <atomic>
#include <optional>
#include <unordered_map>

#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "queries/exposure_pieces.h"
#include "queries/exposure_solver.h"

namespace vpcprove::queries::exposure_detail {

using model::Id;

Ipv6Exposure ipv6_exposure(const model::Network& n, const ExposureOptions& options,
                           const std::set<Id>& routed, const RunJobs& run_jobs) {
  Ipv6Exposure out;
  if (!n.has_ipv6()) return out;
  std::unordered_map<std::string, std::size_t> by_key;
  std::vector<Id> reps;
  std::vector<std::vector<Id>> members;
  for (const auto& [id, eni] : n.network_interfaces) {
    if (!eni.in_sets() || !eni.has_ipv6()) continue;
    auto [it, fresh] = by_key.try_emplace(class_key(n, eni, options.semantics, routed, ""), reps.size());
    if (fresh) {
      reps.push_back(id);
      members.emplace_back();
    }
    members[it->second].push_back(id);
  }
  out.classes = reps.size();
  if (reps.empty()) return out;

  const graph::ForwardingGraph g(n);
  std::set<graph::VertexId> targets;
  std::map<graph::VertexId, std::size_t> class_by_vertex;
  for (std::size_t i = 0; i < reps.size(); ++i) {
    targets.insert(g.delivered(reps[i]));
    class_by_vertex[g.delivered(reps[i])] = i;
  }
  const graph::PathSet paths =
      graph::enumerate_paths(g, g.internet(), targets, graph::Mode::Forward, 20000 + 16 * reps.size());
  std::vector<std::vector<const graph::Path*>> class_paths(reps.size());
  for (const auto& p : paths.paths) class_paths[class_by_vertex.at(p.end(g.graph()))].push_back(&p);
  if (paths.truncated) {
    out.unknown = true;
    out.unknown_reason = "too many candidate paths from the internet over IPv6 (enumeration limit)";
  }
  std::optional<std::map<Part, std::vector<PortRange>>> global_pieces;
  if (options.semantics == Semantics::Session) global_pieces = network_pieces(n, model::kIcmpv6);

  std::vector<ClassAnswer> answers(reps.size());
  std::atomic<std::size_t> next{0};
  const std::map<Ipv4Address, std::vector<Ipv4Address>> no_publics;
  run_jobs(
      [&]() {
        constexpr unsigned kClassesPerContext = 64;  // as exposure's IPv4 pass: Z3 slows as a context grows
        std::optional<ClassSolver> w;
        unsigned solved = 0;
        for (std::size_t i = next++; i < reps.size(); i = next++) {
          if (class_paths[i].empty()) continue;
          if (!w || solved++ % kClassesPerContext == 0) w.emplace(n, g, options.timeout_ms, 6);
          answers[i] = w->answer(n.network_interfaces.at(reps[i]), class_paths[i],
                                 global_pieces ? &*global_pieces : nullptr, no_publics, options.semantics);
        }
      },
      reps.size());

  for (std::size_t i = 0; i < reps.size(); ++i) {
    const auto& a = answers[i];
    out.checks += a.checks;
    if (a.unknown) {
      out.unknown = true;
      out.unknown_reason = a.unknown_reason.empty() ? "solver gave up" : a.unknown_reason;
    }
    auto exposed = assemble(a, model::kIcmpv6);
    if (exposed.empty()) continue;
    for (auto& x : exposed) x.ip_version = 6;
    for (const auto& id : members[i]) out.by_eni[id] = exposed;
  }
  return out;
}

}  // namespace vpcprove::queries::exposure_detail
