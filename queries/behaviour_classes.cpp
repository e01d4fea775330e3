// SPDX-License-Identifier: Apache-2.0
#include "queries/behaviour_classes.h"

#include <string>
#include <unordered_map>

#include "encoder/header.h"

namespace vpcprove::queries {

using graph::StepKind;
using model::Id;

std::vector<std::vector<Id>> behaviour_classes(const graph::ForwardingGraph& g, const std::vector<Id>& enis,
                                               bool as_destination) {
  const auto& n = g.network();
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::vector<Id>> out;
  for (const auto& id : enis) {
    const auto* e = model::Network::find(n.network_interfaces, id);
    if (!e) continue;
    std::string key;
    if (as_destination) {
      const auto v = g.delivered(id);
      if (boost::in_degree(v, g.graph()) == 1) {
        const auto from = boost::source(*boost::in_edges(v, g.graph()).first, g.graph());
        if (g.vertex(from).kind == graph::VertexKind::SubnetIn) key = std::to_string(from);
      }
    } else if (g.vertex(g.start(id)).kind == graph::VertexKind::EniOut) {
      key = e->vpc_id + '|' + e->subnet_id;
    }
    if (key.empty() || !e->live()) {
      key = "own|" + id;  // a class of its own (an inactive ENI's reason names it)
    } else {
      if (e->unfiltered) key += "|unfiltered";
      for (const auto& sg : e->security_group_ids) key += '|' + sg;
    }
    auto [it, fresh] = index.try_emplace(key, out.size());
    if (fresh) out.emplace_back();
    out[it->second].push_back(id);
  }
  return out;
}

MemberPath member_path(const graph::ForwardingGraph& g, const graph::Path& path, const QuestionSource& src,
                       const std::vector<Id>* to_class, const encoder::EncodedPath& ep, const z3::model& m) {
  const auto& graph = g.graph();
  const auto& n = g.network();
  MemberPath out{path, src.member, std::nullopt};
  if (src.owned_by && src.owned_by->size() > 1 && !path.edges.empty()) {
    const model::Packet first = encoder::packet_of(m, ep.start);
    for (const auto& id : *src.owned_by) {
      const auto& x = n.network_interfaces.at(id);
      if (id == src.member || !(first.is_ipv6() ? x.owns6(first.src_ip6) : x.owns(first.src_ip))) continue;
      const auto [e, found] = boost::edge(g.start(id), boost::target(path.edges.front(), graph), graph);
      if (!found) break;
      out.path.start = g.start(id);
      out.path.edges.front() = e;
      out.from = id;
      break;
    }
  }
  if (to_class && !path.edges.empty()) {
    std::optional<model::Packet> delivered;
    for (const auto& s : ep.steps) {
      if (s.step->kind == StepKind::OwnsDst) delivered = encoder::packet_of(m, s.before);
    }
    for (const auto& id : *to_class) {
      const auto& x = n.network_interfaces.at(id);
      if (!delivered || !(delivered->is_ipv6() ? x.owns6(delivered->dst_ip6) : x.owns(delivered->dst_ip)))
        continue;
      if (id != to_class->front()) {
        const auto [e, found] = boost::edge(boost::source(path.edges.back(), graph), g.delivered(id), graph);
        if (!found) break;
        out.path.edges.back() = e;
      }
      out.to = id;
      break;
    }
  }
  return out;
}

}  // namespace vpcprove::queries
