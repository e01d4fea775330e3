// SPDX-License-Identifier: Apache-2.0
// Fixing a candidate path's address family in its guards (path_family.h).
#include "encoder/path_family.h"

namespace vpcprove::encoder {

using graph::StepKind;

std::optional<bool> path_family(const graph::ForwardingGraph& graph, const graph::Path& path,
                                bool dual_stack) {
  if (!dual_stack) return std::nullopt;
  const auto& g = graph.graph();
  std::optional<bool> family;
  bool nat = false;
  for (const auto e : path.edges) {
    for (const auto& step : g[e].steps) {
      std::optional<bool> here;
      switch (step.kind) {
        case StepKind::Route:
        case StepKind::TgwRoute:
          here = false;
          break;
        case StepKind::Route6:
        case StepKind::TgwRoute6:
        case StepKind::EigwEgress:
        case StepKind::EigwIngress:
          here = true;
          break;
        case StepKind::NatProtocol:
        case StepKind::NatTranslate:
        case StepKind::Nat64Leave:
        case StepKind::NatReverse:
        case StepKind::NatAddressed:
          nat = true;
          break;
        default:
          break;
      }
      if (!here) continue;
      if (family && *family != *here) return std::nullopt;  // NAT64: IPv6 in, IPv4 out
      family = here;
    }
  }
  if (family == true && nat) return std::nullopt;
  return family;
}

void FamilyGuards::fix(EncodedPath& path, bool ipv6) {
  const char* mark = ipv6 ? " [ipv6]" : " [ipv4]";
  for (auto& s : path.steps) {
    if (s.literal.empty() || s.outside || !s.guard.built()) continue;
    const z3::expr& g = s.guard.get();
    auto [it, fresh] = fixed_.try_emplace({g.id(), s.before.ip6.id(), ipv6}, g, g);
    if (fresh) {
      z3::context& c = g.ctx();
      z3::expr_vector from(c), to(c);
      from.push_back(s.before.ip6);
      to.push_back(c.bool_val(ipv6));
      const z3::expr is_family = ipv6 ? s.before.ip6 : !s.before.ip6;
      z3::expr plain = g;
      it->second.second = (is_family && plain.substitute(from, to)).simplify();
    }
    s.guard = it->second.second;
    s.literal += mark;
  }
}

}  // namespace vpcprove::encoder
