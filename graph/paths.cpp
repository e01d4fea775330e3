// SPDX-License-Identifier: Apache-2.0
// Depth-first enumeration of candidate paths, pruned to vertices that can reach a target.
#include "graph/paths.h"

#include <algorithm>
#include <deque>

namespace vpcprove::graph {

bool rewrites_destination(const Edge& edge) {
  return std::any_of(edge.steps.begin(), edge.steps.end(), [](const Step& s) {
    return s.kind == StepKind::IgwIngress || s.kind == StepKind::NatReverse;
  });
}

namespace {

struct Search {
  const Graph& g;
  const std::set<VertexId>& targets;
  Mode mode;
  std::size_t max_paths;
  int max_epochs;
  std::vector<bool> useful;
  PathSet out;
  Path current;
  std::vector<std::vector<VertexId>> epochs;  // vertices seen in each epoch so far

  bool allowed(EdgeId e) const { return mode == Mode::Reply || !g[e].reply_only; }

  void dfs(VertexId v) {
    if (out.truncated) return;
    if (targets.count(v)) {
      if (out.paths.size() >= max_paths) {
        out.truncated = true;
        return;
      }
      out.paths.push_back(current);
      // A target is a terminal; walks end there.
      return;
    }
    for (auto [it, end] = boost::out_edges(v, g); it != end; ++it) {
      const EdgeId e = *it;
      const VertexId w = boost::target(e, g);
      if (!allowed(e) || !useful[w]) continue;
      const bool new_epoch = rewrites_destination(g[e]);
      if (new_epoch) {
        if (static_cast<int>(epochs.size()) >= max_epochs) {
          out.truncated = true;
          continue;
        }
        epochs.push_back({});
      } else {
        const auto& seen = epochs.back();
        if (std::find(seen.begin(), seen.end(), w) != seen.end()) continue;  // a loop within an epoch
      }
      epochs.back().push_back(w);
      current.edges.push_back(e);
      dfs(w);
      current.edges.pop_back();
      epochs.back().pop_back();
      if (new_epoch) epochs.pop_back();
    }
  }
};

}  // namespace

PathSet enumerate_paths(const ForwardingGraph& graph, VertexId start, const std::set<VertexId>& targets, Mode mode,
                        std::size_t max_paths, int max_epochs) {
  const Graph& g = graph.graph();
  Search s{g, targets, mode, max_paths, max_epochs, std::vector<bool>(boost::num_vertices(g), false), {}, {}, {}};
  // Backwards from the targets: which vertices can reach one at all.
  std::deque<VertexId> queue(targets.begin(), targets.end());
  for (VertexId t : targets) s.useful[t] = true;
  while (!queue.empty()) {
    const VertexId v = queue.front();
    queue.pop_front();
    for (auto [it, end] = boost::in_edges(v, g); it != end; ++it) {
      if (!s.allowed(*it)) continue;
      const VertexId u = boost::source(*it, g);
      if (!s.useful[u]) {
        s.useful[u] = true;
        queue.push_back(u);
      }
    }
  }
  s.current.start = start;
  s.epochs.push_back({start});
  if (s.useful[start]) s.dfs(start);
  auto steps = [&](const Path& p) {
    std::size_t n = 0;
    for (EdgeId e : p.edges) n += g[e].steps.size();
    return n;
  };
  std::stable_sort(s.out.paths.begin(), s.out.paths.end(),
                   [&](const Path& a, const Path& b) { return steps(a) < steps(b); });
  return std::move(s.out);
}

}  // namespace vpcprove::graph
