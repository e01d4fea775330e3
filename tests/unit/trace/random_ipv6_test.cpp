// SPDX-License-Identifier: Apache-2.0
// The dual-stack random networks and packets (tests/support/random_network.h): what the generator
// promises, checked over a few hundred seeds, so the tests that draw from it draw what they think.
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>
#include <string>

#include "model/describe.h"
#include "tests/support/random_network.h"

namespace vpcprove::trace::test {

namespace {

constexpr std::uint32_t kSeeds = 300;
constexpr int kPacketsPerSeed = 40;

/** VPCs with an egress-only internet gateway and no internet gateway. */
std::set<model::Id> egress_only_vpcs(const model::Network& n) {
  std::set<model::Id> out;
  for (const auto& [id, g] : n.egress_only_internet_gateways) {
    const auto* vpc = model::Network::find(n.vpcs, g.vpc_id);
    if (vpc && !vpc->internet_gateway_id) out.insert(vpc->id);
  }
  return out;
}

}  // namespace

TEST_CASE("random_dual_stack_network: random_network's IPv4 with IPv6 on top, and no NAT64 route",
          "[trace][ipv6][random]") {
  std::map<std::string, int> seen;
  for (std::uint32_t seed = 1; seed <= kSeeds; ++seed) {
    INFO("seed " << seed);
    const auto v4 = testing::random_network(seed);
    const auto n = testing::random_dual_stack_network(seed);
    CHECK_FALSE(v4.has_ipv6());
    // The IPv4 part is random_network(seed)'s.
    for (const auto& [id, vpc] : v4.vpcs) {
      REQUIRE(n.vpcs.count(id));
      CHECK(n.vpcs.at(id).cidrs == vpc.cidrs);
      CHECK(n.vpcs.at(id).internet_gateway_id == vpc.internet_gateway_id);
    }
    for (const auto& [id, e] : v4.network_interfaces) {
      REQUIRE(n.network_interfaces.count(id));
      const auto& d = n.network_interfaces.at(id);
      REQUIRE(d.private_ips.size() == e.private_ips.size());
      for (std::size_t k = 0; k < e.private_ips.size(); ++k) {
        CHECK(d.private_ips[k].address == e.private_ips[k].address);
        CHECK(d.private_ips[k].public_ip == e.private_ips[k].public_ip);
      }
      CHECK(d.security_group_ids == e.security_group_ids);
    }
    // Gateway endpoints and their prefix-list routes are drawn last of all, after the IPv6 draws
    // (tests/support/random_draws.h): those routes differ; every other IPv4 route is the same.
    auto not_to_endpoint = [](const model::RouteTable& t) {
      std::vector<const model::Route*> out;
      for (const auto& r : t.routes) {
        if (r.target_id.rfind("vpce-", 0) != 0) out.push_back(&r);
      }
      return out;
    };
    for (const auto& [id, t] : v4.route_tables) {
      REQUIRE(n.route_tables.count(id));
      const auto mine = not_to_endpoint(n.route_tables.at(id)), theirs = not_to_endpoint(t);
      REQUIRE(mine.size() == theirs.size());
      for (std::size_t k = 0; k < theirs.size(); ++k) {
        CHECK(mine[k]->label(id) == theirs[k]->label(id));
        CHECK(mine[k]->target_id == theirs[k]->target_id);
      }
    }
    // The IPv6 part: addresses inside their subnet's /64, no NAT64.
    for (const auto& [id, e] : n.network_interfaces) {
      if (!e.has_ipv6()) continue;
      ++seen["eni with ipv6"];
      const auto& sn = n.subnets.at(e.subnet_id);
      REQUIRE(sn.ipv6_cidrs.size() == 1);
      for (const auto& a : e.ipv6_addresses) CHECK(sn.ipv6_cidrs.front().contains(a));
      for (const auto& p : e.ipv6_delegated_prefixes) {
        CHECK(sn.ipv6_cidrs.front().contains(p));
        CHECK(p.len == 80);
        ++seen["delegated /80"];
      }
      CHECK(n.interface_with_ipv6(e.ipv6_addresses.empty() ? e.ipv6_delegated_prefixes.front().addr
                                                           : e.ipv6_addresses.front()) == &e);
      if (sn.ipv6_only) {
        CHECK(e.private_ips.empty());
        ++seen["ipv6-only eni"];
      }
    }
    for (const auto& [id, t] : n.route_tables) {
      for (const auto& r : t.routes6) {
        REQUIRE(r.destination6);
        CHECK(r.target_kind != model::RouteTargetKind::NatGateway);
        CHECK_FALSE(nat64_prefix().contains(*r.destination6));
        if (r.target_kind != model::RouteTargetKind::Local)
          ++seen[std::string("route6 to ") + (r.blackhole ? "blackhole" : model::to_string(r.target_kind))];
      }
    }
    for (const auto& [id, a] : n.network_acls) {
      if (!a.is_default && !(a.ingress6.empty() && a.egress6.empty())) ++seen["custom nacl with ipv6"];
    }
    for (const auto& [id, g] : n.security_groups) {
      for (const auto* rules : {&g.ingress, &g.egress}) {
        for (const auto& r : *rules) {
          if (!r.peer_prefixes6.empty()) ++seen["sg rule with ipv6 peer"];
        }
      }
    }
    for (const auto& [id, t] : n.transit_gateway_route_tables) {
      if (!t.routes6.empty()) ++seen["tgw table with ipv6"];
    }
    seen["egress-only vpc"] += static_cast<int>(egress_only_vpcs(n).size());

    std::mt19937 rng(seed);
    for (int k = 0; k < kPacketsPerSeed; ++k) {
      const auto s = testing::random_packet(n, rng);
      INFO(model::describe(s.packet) << " from " << s.from);
      CHECK(s.packet.well_formed());
      if (!s.packet.is_ipv6()) {
        ++seen["ipv4 packet"];
        continue;
      }
      ++seen["ipv6 packet"];
      if (s.from == "internet") {
        ++seen["ipv6 from internet"];
        continue;
      }
      const auto& e = n.network_interfaces.at(s.from);
      CHECK(e.has_ipv6());
      if (e.owns6(s.packet.src_ip6)) ++seen["ipv6 from its own address"];
      if (s.packet.protocol == model::kIcmpv6) ++seen["icmpv6"];
    }
  }
  INFO([&] {
    std::string out;
    for (const auto& [what, count] : seen) out += what + ": " + std::to_string(count) + "\n";
    return out;
  }());
  for (const char* what : {"eni with ipv6", "delegated /80", "ipv6-only eni", "route6 to internet-gateway",
                           "route6 to egress-only-internet-gateway", "route6 to vpc-peering",
                           "route6 to network-interface", "route6 to transit-gateway", "route6 to blackhole",
                           "custom nacl with ipv6", "sg rule with ipv6 peer", "tgw table with ipv6",
                           "egress-only vpc", "ipv6 from internet", "ipv6 from its own address", "icmpv6"}) {
    CHECK(seen[what] > 0);
  }
  // About half the packets of a dual-stack network are IPv6.
  const int v6 = seen["ipv6 packet"], all = v6 + seen["ipv4 packet"];
  CHECK(v6 * 10 > all * 4);
  CHECK(v6 * 10 < all * 6);
}

}  // namespace vpcprove::trace::test
