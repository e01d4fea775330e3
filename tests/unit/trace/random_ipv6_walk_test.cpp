// SPDX-License-Identifier: Apache-2.0
// trace over the random dual-stack networks (tests/support/random_network.h): properties every
// IPv6 walk must have whatever the network (docs/semantics.md, "IPv6"), over a few hundred seeds.
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>
#include <string>

#include "model/describe.h"
#include "model/drop_code.h"
#include "model/hop_step.h"
#include "tests/support/random_network.h"
#include "tests/unit/trace/trace_test_util.h"

namespace vpcprove::trace::test {

namespace {

constexpr std::uint32_t kSeeds = 300;
constexpr int kPacketsPerSeed = 40;

/** Every ID that belongs to a VPC with an egress-only internet gateway and no internet gateway:
 *  the VPC, its subnets, route tables, NACLs, groups, ENIs and the gateway itself. */
std::set<model::Id> egress_only_territory(const model::Network& n) {
  std::set<model::Id> vpcs, out;
  for (const auto& [id, g] : n.egress_only_internet_gateways) {
    const auto* vpc = model::Network::find(n.vpcs, g.vpc_id);
    if (vpc && !vpc->internet_gateway_id) {
      vpcs.insert(vpc->id);
      out.insert(id);
    }
  }
  for (const auto& v : vpcs) out.insert(v);
  for (const auto& [id, x] : n.subnets) {
    if (vpcs.count(x.vpc_id)) out.insert(id);
  }
  for (const auto& [id, x] : n.route_tables) {
    if (vpcs.count(x.vpc_id)) out.insert(id);
  }
  for (const auto& [id, x] : n.network_acls) {
    if (vpcs.count(x.vpc_id)) out.insert(id);
  }
  for (const auto& [id, x] : n.security_groups) {
    if (vpcs.count(x.vpc_id)) out.insert(id);
  }
  for (const auto& [id, x] : n.network_interfaces) {
    if (vpcs.count(x.vpc_id)) out.insert(id);
  }
  return out;
}

/** The walk's hop steps and drop code are words of the contract's vocabulary. */
void check_vocabulary(const model::Walk& w) {
  for (const auto& h : w.hops) {
    INFO("hop " << h.at << ' ' << h.step);
    CHECK(model::parse_hop_step(h.step));
    CHECK(h.packet.well_formed());
  }
  CHECK(w.drop.has_value() == (w.disposition == model::Disposition::Dropped));
  if (w.drop) {
    INFO("drop " << w.drop->at << ' ' << w.drop->step << ' ' << w.drop->code);
    CHECK(model::parse_drop_code(w.drop->code));
    CHECK(model::parse_hop_step(w.drop->step));
  }
}

/** A delivered walk ends at the ENI that owns its destination, in the packet's family. */
void check_delivery(const model::Network& n, const model::Walk& w) {
  if (w.disposition != model::Disposition::Delivered) return;
  const auto* eni = model::Network::find(n.network_interfaces, w.endpoint);
  REQUIRE(eni);
  CHECK(eni->live());
  CHECK((w.final_packet.is_ipv6() ? eni->owns6(w.final_packet.dst_ip6) : eni->owns(w.final_packet.dst_ip)));
  REQUIRE_FALSE(w.hops.empty());
  CHECK(w.hops.back().step == "deliver");
  CHECK(w.hops.back().at == eni->id);
}

}  // namespace

TEST_CASE("IPv6 walks over random dual-stack networks: known words, right owners, egress-only gateways hold",
          "[trace][ipv6][random]") {
  std::map<std::string, int> seen;
  for (std::uint32_t seed = 1; seed <= kSeeds; ++seed) {
    const auto n = testing::random_dual_stack_network(seed);
    const auto egress_only = egress_only_territory(n);
    std::mt19937 rng(seed);
    for (int k = 0; k < kPacketsPerSeed; ++k) {
      const auto s = testing::random_packet(n, rng);
      if (!s.packet.is_ipv6()) continue;
      const Start start = s.from == "internet" ? Start::internet() : Start::interface(s.from);
      const auto session = walk_session(n, start, s.packet);
      const auto& w = session.forward;
      INFO("seed " << seed << ", packet " << k << " from " << s.from << '\n' << show(w));
      check_vocabulary(w);
      check_delivery(n, w);
      ++seen[model::to_string(w.disposition)];
      // No NAT64 route in these networks: an IPv6 packet stays IPv6 at every hop.
      for (const auto& h : w.hops) CHECK(h.packet.is_ipv6());
      CHECK(w.final_packet.is_ipv6());
      if (session.reply) {
        INFO("reply\n" << show(*session.reply));
        check_vocabulary(*session.reply);
        check_delivery(n, *session.reply);
      }

      // Out through an egress-only gateway: its reply comes back through it. Past the gateway
      // only the initiator's subnet NACL (stateless) may stop it; the groups let it in.
      if (w.disposition == model::Disposition::ExitsInternet &&
          n.egress_only_internet_gateways.count(w.endpoint)) {
        ++seen["out by egress-only"];
        REQUIRE(session.reply);
        REQUIRE_FALSE(session.reply->hops.empty());
        CHECK(session.reply->hops.front().at == w.endpoint);
        CHECK(session.reply->hops.front().step == "igw-ingress");
        const auto& sender = n.network_interfaces.at(s.from);
        if (sender.owns6(s.packet.src_ip6)) {
          if (session.established) {
            ++seen["egress-only reply established"];
            CHECK(session.reply->endpoint == s.from);
          } else {
            REQUIRE(session.reply_drop);
            CHECK(session.reply_drop->code == "SUBNET_ACL_RESTRICTION");
          }
        }
      }

      // From the internet, nothing enters a VPC whose only gateway is egress-only.
      if (s.from == "internet") {
        for (const auto& h : w.hops) {
          INFO("hop " << h.at << ' ' << h.step);
          CHECK_FALSE(egress_only.count(h.at));
        }
        if (w.disposition == model::Disposition::Delivered) CHECK_FALSE(egress_only.count(w.endpoint));
        if (w.drop && w.drop->code == "EIGW_INBOUND_NOT_ALLOWED") {
          ++seen["egress-only keeps the internet out"];
          CHECK(n.egress_only_internet_gateways.count(w.drop->at));
        }
        if (w.disposition == model::Disposition::Delivered) ++seen["internet delivered"];
      }
    }
  }
  INFO([&] {
    std::string out;
    for (const auto& [what, count] : seen) out += what + ": " + std::to_string(count) + "\n";
    return out;
  }());
  // The properties above were exercised, not vacuous.
  for (const char* what :
       {"delivered", "exits-internet", "dropped", "out by egress-only", "egress-only reply established",
        "egress-only keeps the internet out", "internet delivered"}) {
    CHECK(seen[what] > 0);
  }
}

}  // namespace vpcprove::trace::test
