// SPDX-License-Identifier: Apache-2.0
// Fixing a candidate path's address family in its guards (path_family.h).
#include "encoder/path_family.h"

namespace vpcprove::encoder {

using graph::StepKind;

namespace {

/** The family steps admit (path_family), visiting each step's kind through for_each. */
template <typename ForEachKind>
std::optional<bool> family_of(ForEachKind for_each) {
  std::optional<bool> family;
  bool nat = false, mixed = false;
  for_each([&](StepKind kind) {
    std::optional<bool> here;
    switch (kind) {
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
    if (!here) return;
    mixed = mixed || (family && *family != *here);  // NAT64: IPv6 in, IPv4 out
    family = here;
  });
  if (mixed || (family == true && nat)) return std::nullopt;
  return family;
}

}  // namespace

std::optional<bool> path_family(const EncodedPath& path) {
  if (!path.start.dual_stack) return std::nullopt;
  return family_of([&](const auto& visit) {
    for (const auto& s : path.steps) visit(s.step->kind);
  });
}

std::optional<bool> path_family(const graph::ForwardingGraph& graph, const graph::Path& path,
                                bool dual_stack) {
  if (!dual_stack) return std::nullopt;
  const auto& g = graph.graph();
  return family_of([&](const auto& visit) {
    for (const auto e : path.edges) {
      for (const auto& step : g[e].steps) visit(step.kind);
    }
  });
}

void FamilyGuards::fix(EncodedPath& path) {
  const std::optional<bool> family = path_family(path);
  if (!family) return;
  const char* mark = *family ? " [ipv6]" : " [ipv4]";
  for (auto& s : path.steps) {
    if (s.literal.empty() || s.outside || !s.guard.built()) continue;
    const z3::expr& g = s.guard.get();
    auto [it, fresh] = fixed_.try_emplace({g.id(), s.before.ip6.id(), *family}, g, g);
    if (fresh) {
      z3::context& c = g.ctx();
      const z3::expr value = c.bool_val(*family);
      z3::expr_vector from(c), to(c);
      from.push_back(s.before.ip6);
      to.push_back(value);
      const z3::expr is_family = *family ? s.before.ip6 : !s.before.ip6;
      z3::expr plain = g;
      it->second.second = (is_family && plain.substitute(from, to)).simplify();
    }
    s.guard = it->second.second;
    s.literal += mark;
  }
}

}  // namespace vpcprove::encoder
