// SPDX-License-Identifier: Apache-2.0
// least_model: the witness is a function of the question, not of the solver's history.
#include "solver/least_packet.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "common/ipv4.h"

namespace vpcprove {
namespace {

// The question: tcp or udp, a destination port in one of ranges, a source address in one of
// prefixes, destination 10.0.0.7 or 10.0.0.9.
struct Question {
  std::vector<PortRange> ranges;
  std::vector<Ipv4Prefix> prefixes;
};

z3::expr formula(const encoder::Header& h, const Question& q) {
  z3::context& c = h.src_ip.ctx();
  z3::expr_vector ports(c), sources(c);
  for (const auto& r : q.ranges) ports.push_back(encoder::in_range(h.dst_port, r));
  for (const auto& p : q.prefixes) sources.push_back(encoder::in_prefix(h.src_ip, p));
  return (h.protocol == c.bv_val(6, 8) || h.protocol == c.bv_val(17, 8)) && z3::mk_or(ports) &&
         z3::mk_or(sources) &&
         (h.dst_ip == c.bv_val(0x0A000007u, 32) || h.dst_ip == c.bv_val(0x0A000009u, 32));
}

model::Packet least(solver::Solver& s, const encoder::Header& h, const Question& q, const std::string& name) {
  z3::expr_vector a(h.src_ip.ctx());
  a.push_back(s.track(name, formula(h, q)));
  const auto r = s.check(a);
  REQUIRE(r.outcome == solver::Outcome::Sat);
  return solver::packet(solver::least_model(s, a, h, *r.model), h);
}

// The oracle, by enumeration: the allowed value closest to the preferred one in XOR order.
std::uint32_t closest_port(const std::vector<PortRange>& ranges, std::uint32_t preferred) {
  std::uint32_t best = 0, distance = std::numeric_limits<std::uint32_t>::max();
  for (const auto& r : ranges)
    for (std::uint32_t v = r.lo; v <= r.hi; ++v)
      if ((v ^ preferred) < distance) distance = v ^ preferred, best = v;
  return best;
}

TEST_CASE("the least model prefers tcp, port 443, source port 49152 and the lowest addresses", "[solver]") {
  z3::context c;
  solver::Solver s(c);
  const auto h = encoder::Header::make(c, "h");
  const Question q{{{400, 500}, {8000, 8080}}, {{0x08000000u, 8}, {0x03000000u, 8}}};
  const auto p = least(s, h, q, "q");
  CHECK(p.protocol == 6);
  CHECK(p.dst_port == 443);
  CHECK(p.src_port == 49152);
  CHECK(p.dst_ip == 0x0A000007u);
  CHECK(p.src_ip == 0x03000000u);
}

TEST_CASE("where the preferred value is not allowed, the least model takes the closest one", "[solver]") {
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    Question q;
    for (int k = 0; k < 3; ++k) {
      const auto lo = static_cast<std::uint16_t>(rng() % 60000);
      q.ranges.push_back({lo, static_cast<std::uint16_t>(lo + rng() % 3000)});
    }
    q.prefixes.push_back({static_cast<Ipv4Address>(rng() & 0xFFFF0000u), 16});
    z3::context c;
    solver::Solver s(c);
    const auto h = encoder::Header::make(c, "h");
    const auto p = least(s, h, q, "q");
    INFO("round " << round);
    CHECK(p.dst_port == closest_port(q.ranges, 443));
    CHECK(p.src_ip == q.prefixes[0].addr);
  }
}

TEST_CASE("the least model does not depend on what the solver was asked before", "[solver]") {
  const Question q{{{1000, 1200}, {30000, 31000}}, {{0x36000000u, 8}, {0x68100000u, 12}}};
  z3::context fresh_ctx;
  solver::Solver fresh(fresh_ctx);
  const auto alone = least(fresh, encoder::Header::make(fresh_ctx, "h"), q, "q");

  // The same question after others on the same context and solver, which steer Z3's own pick.
  z3::context c;
  solver::Solver s(c);
  const auto h = encoder::Header::make(c, "h");
  for (std::uint32_t i = 0; i < 8; ++i) {
    z3::expr_vector a(c);
    a.push_back(s.track("earlier " + std::to_string(i),
                        h.dst_port == c.bv_val(30999 - i, 16) && h.src_ip == c.bv_val(0x36FFFF00u + i, 32)));
    REQUIRE(s.check(a).outcome == solver::Outcome::Sat);
  }
  const auto after = least(s, h, q, "q");
  CHECK(after.dst_port == alone.dst_port);
  CHECK(after.src_ip == alone.src_ip);
  CHECK(after.dst_ip == alone.dst_ip);
  CHECK(after.src_port == alone.src_port);
  CHECK(after.protocol == alone.protocol);
}

}  // namespace
}  // namespace vpcprove
