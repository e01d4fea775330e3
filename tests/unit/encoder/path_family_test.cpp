// SPDX-License-Identifier: Apache-2.0
// A first packet's guards fixed to its path's family (encoder/path_family.h) admit the same
// packets along the whole path as the guards over both families.
#include "encoder/path_family.h"

#include <z3++.h>

#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <string>

#include "encoder/encoder.h"
#include "encoder/header.h"
#include "encoder/path_encoding.h"
#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "tests/support/dual_stack_network.h"
#include "tests/support/random_network.h"

namespace vpcprove::encoder {
namespace {

/** The path as one formula: its definitions and every guard. */
z3::expr whole(const EncodedPath& p, const Header& h) {
  z3::expr_vector all(h.ip6.ctx());
  all.push_back(well_formed(h));
  for (const auto& d : p.definitions) all.push_back(d.formula);
  for (const auto& s : p.steps) {
    if (!s.literal.empty()) all.push_back(s.guard);
  }
  return z3::mk_and(all);
}

/** f mentions a constant named name. */
bool mentions(const z3::expr& f, const std::string& name) {
  std::set<unsigned> seen;
  std::function<bool(const z3::expr&)> walk = [&](const z3::expr& e) {
    if (!seen.insert(e.id()).second) return false;
    if (e.is_const() && e.decl().name().str() == name) return true;
    if (!e.is_app()) return false;
    for (unsigned i = 0; i < e.num_args(); ++i) {
      if (walk(e.arg(i))) return true;
    }
    return false;
  };
  return walk(f);
}

}  // namespace

TEST_CASE("a path's guards fixed to its family admit the packets the guards over both families admit",
          "[encoder][ipv6]") {
  int fixed4 = 0, fixed6 = 0, open = 0, shed_ipv6 = 0, paths = 0;
  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    const model::Network n = testing::random_dual_stack_network(seed);
    const graph::ForwardingGraph g(n);
    z3::context ctx;
    Encoder enc(ctx, n, true);
    PathEncoder fixed(enc, g);
    PathEncoder plain(enc, g, false);
    const Header h = enc.header("h");
    std::set<graph::VertexId> targets{g.exits_internet()};
    for (const auto& [id, eni] : n.network_interfaces) targets.insert(g.delivered(id));
    std::vector<graph::VertexId> starts{g.internet()};
    for (const auto& [id, eni] : n.network_interfaces) starts.push_back(g.start(id));
    for (const auto start : starts) {
      const auto ps = graph::enumerate_paths(g, start, targets, graph::Mode::Forward, 16);
      for (const auto& path : ps.paths) {
        ++paths;
        const EncodedPath a = fixed.encode(path, h);
        const EncodedPath b = plain.encode(path, h);
        const auto family = path_family(g, path, true);
        if (!family) continue;
        (*family ? fixed6 : fixed4) += 1;
        // Guards built when encoded (not the lazy ones, which whole() builds below).
        for (std::size_t i = 0; i < a.steps.size(); ++i) {
          if (b.steps[i].literal.empty() || !b.steps[i].guard.built() || b.steps[i].outside) continue;
          REQUIRE(a.steps[i].literal == b.steps[i].literal + (*family ? " [ipv6]" : " [ipv4]"));
          const std::string dst6 = b.steps[i].before.dst_ip6.decl().name().str();
          if (!*family && mentions(b.steps[i].guard, dst6) && !mentions(a.steps[i].guard, dst6)) ++shed_ipv6;
        }
        z3::solver s(ctx);
        s.add(whole(a, h) != whole(b, h));
        INFO("seed " << seed << ", a path of " << a.steps.size() << " steps, IPv" << (*family ? 6 : 4));
        REQUIRE(s.check() == z3::unsat);
        z3::solver t(ctx);
        t.add(whole(a, h));
        if (t.check() == z3::sat) ++open;
      }
    }
  }
  INFO(paths << " paths: " << fixed4 << " IPv4 and " << fixed6 << " IPv6 fixed, " << open << " open, "
             << shed_ipv6 << " IPv4 guards without their IPv6 half");
  CHECK(fixed4 > 50);
  CHECK(fixed6 > 20);
  CHECK(open > 10);
  CHECK(shed_ipv6 > 50);
}

TEST_CASE("a path through NAT64 or over IPv4-only headers keeps its guards over both families",
          "[encoder][ipv6]") {
  // eni-app sends IPv6 to 64:ff9b::/96 through nat-1, which sends it on as IPv4 (NAT64).
  const model::Network n = testing::dual_stack().build();
  const graph::ForwardingGraph g(n);
  z3::context ctx;
  Encoder enc4(ctx, n, false);
  Encoder enc(ctx, n, true);
  PathEncoder four(enc4, g);
  PathEncoder both(enc, g);
  int mixed = 0, ipv4_only = 0;
  for (const auto& [id, eni] : n.network_interfaces) {
    const auto ps = graph::enumerate_paths(g, g.start(id), {g.exits_internet()}, graph::Mode::Forward, 32);
    for (const auto& path : ps.paths) {
      ++ipv4_only;
      CHECK_FALSE(path_family(g, path, false));
      for (const auto& s : four.encode(path, enc4.header("h")).steps)
        CHECK(s.literal.find(" [ipv") == std::string::npos);
      const EncodedPath p = both.encode(path, enc.header("h"));
      bool route4 = false, route6 = false;
      for (const auto& s : p.steps) {
        route4 = route4 || s.step->kind == graph::StepKind::Route;
        route6 = route6 || s.step->kind == graph::StepKind::Route6;
      }
      if (!(route4 && route6)) continue;
      ++mixed;
      CHECK_FALSE(path_family(g, path, true));
      for (const auto& s : p.steps) CHECK(s.literal.find(" [ipv") == std::string::npos);
    }
  }
  CHECK(ipv4_only > 0);
  CHECK(mixed > 0);
}

}  // namespace vpcprove::encoder
