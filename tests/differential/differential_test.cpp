// SPDX-License-Identifier: Apache-2.0
// trace and reach must agree: on single packets exactly, on header spaces by sampling.
#include <catch2/catch.hpp>
#include <random>

#include "model/describe.h"
#include "model/drop_code.h"
#include "model/hop_step.h"
#include "queries/reach.h"
#include "tests/support/random_network.h"
#include "trace/trace.h"

namespace vpcprove {
namespace {

using queries::Verdict;
// Trace follows one behaviour of what vpcprove does not model (opaque gateways drop, appliances
// forward unchanged): the prover is held to it under the same assumptions.
constexpr auto kAssume = model::AssumptionPolicy::OpaqueDrops;

model::Endpoint endpoint_of(const std::string& from) {
  model::Endpoint e;
  e.text = from;
  if (from == "internet") {
    e.internet = true;
  } else {
    e.interfaces = {from};
  }
  return e;
}

trace::Start start_of(const std::string& from) {
  return from == "internet" ? trace::Start::internet() : trace::Start::interface(from);
}

std::string walk_text(const model::Walk& w) {
  std::string s = model::to_string(w.disposition);
  for (const auto& h : w.hops)
    s += "\n  " + h.at + " " + h.step + " " + h.by + "  [" + model::describe(h.packet) + "]";
  if (w.drop) s += "\n  DROP " + w.drop->at + " " + w.drop->step + " " + w.drop->code + " " + w.drop->detail;
  return s;
}

std::string hops_text(const std::vector<model::Hop>& hops) {
  std::string s;
  for (const auto& h : hops)
    s += "\n  " + h.at + " " + h.step + " " + h.by + "  [" + model::describe(h.packet) + "]";
  return s;
}

bool arrives(const model::Walk& w) {
  return w.disposition == model::Disposition::Delivered ||
         w.disposition == model::Disposition::ExitsInternet ||
         w.disposition == model::Disposition::AwsService ||
         w.disposition == model::Disposition::GatewayEndpoint;  // an address destination counts all four
}

/** The same single packet through both: same verdict, and a witness equal to the walk. */
void check_packet(std::uint32_t seed, const model::Network& n, queries::Prover& prover,
                  const testing::SampledStart& s, bool session) {
  const model::Packet& p = s.packet;
  const model::Walk w = trace::walk(n, start_of(s.from), p);
  queries::HeaderSpace hs;
  hs.protocol = p.protocol;
  hs.src_ports = PortRange{p.src_port, p.src_port};
  hs.dst_ports = PortRange{p.dst_port, p.dst_port};
  model::Endpoint to;
  if (p.is_ipv6()) {
    hs.ip_version = 6;
    hs.src_ip6 = Ipv6Prefix::make(p.src_ip6, 128);
    hs.dst_ip6 = Ipv6Prefix::make(p.dst_ip6, 128);
    to.text = format_ipv6(p.dst_ip6);
    to.cidr6 = Ipv6Prefix::make(p.dst_ip6, 128);
  } else {
    hs.src_ip = Ipv4Prefix::make(p.src_ip, 32);
    hs.dst_ip = Ipv4Prefix::make(p.dst_ip, 32);
    to.text = format_ipv4(p.dst_ip);
    to.cidr = Ipv4Prefix::make(p.dst_ip, 32);
  }
  INFO("seed " << seed << ", from " << s.from << ": " << model::describe(p) << "\ntrace: " << walk_text(w));
  if (w.drop) CHECK(model::parse_drop_code(w.drop->code).has_value());  // one vocabulary (model/drop_code.h)
  if (w.drop) CHECK(model::parse_hop_step(w.drop->step).has_value());   // and model/hop_step.h
  for (const auto& h : w.hops) CHECK(model::parse_hop_step(h.step).has_value());
  const auto r = prover.reach({endpoint_of(s.from), to, hs, queries::Semantics::Packet, 0, kAssume});
  INFO("unknown reason: " << r.unknown_reason << ", candidate paths " << r.candidate_paths);
  REQUIRE(r.verdict != Verdict::Unknown);
  INFO("reach: " << queries::to_string(r.verdict) << hops_text(r.path));
  CHECK((r.verdict == Verdict::Reachable) == arrives(w));
  if (r.verdict == Verdict::Reachable && arrives(w)) {
    CHECK(*r.packet == p);
    CHECK(r.path == w.hops);
    CHECK(r.disposition == w.disposition);
    CHECK(*r.to_member ==
          (w.disposition == model::Disposition::ExitsInternet ? std::string("internet") : w.endpoint));
  }
  if (session) {
    const auto sw = trace::walk_session(n, start_of(s.from), p);
    INFO("trace reply: " << (sw.reply ? walk_text(*sw.reply) : std::string("none")));
    const auto rs = prover.reach({endpoint_of(s.from), to, hs, queries::Semantics::Session, 0, kAssume});
    REQUIRE(rs.verdict != Verdict::Unknown);
    CHECK((rs.verdict == Verdict::Reachable) == sw.established);
  }
}

/** A header space between two endpoints: a witness replays; a proof survives sampling. */
void check_space(std::uint32_t seed, const model::Network& n, queries::Prover& prover, std::mt19937& rng) {
  std::vector<std::string> enis;
  for (const auto& [id, e] : n.network_interfaces) {
    if (e.in_sets() || !e.live()) enis.push_back(id);
  }
  if (enis.empty()) return;
  auto pick = [&](int k) { return std::uniform_int_distribution<int>(0, k - 1)(rng); };
  const std::string from = pick(5) == 0 ? std::string("internet")
                                        : enis[static_cast<std::size_t>(pick(static_cast<int>(enis.size())))];
  const std::string to = enis[static_cast<std::size_t>(pick(static_cast<int>(enis.size())))];
  static const std::vector<std::optional<int>> protos{std::nullopt, model::kTcp, model::kUdp, model::kIcmp};
  queries::HeaderSpace hs;
  hs.protocol = protos[static_cast<std::size_t>(pick(4))];
  if (hs.protocol == model::kTcp && pick(2) == 0) hs.dst_ports = PortRange{0, 1023};
  const auto r =
      prover.reach({endpoint_of(from), endpoint_of(to), hs, queries::Semantics::Packet, 0, kAssume});
  INFO("seed " << seed << ", space " << from << " -> " << to << " protocol "
               << (hs.protocol ? *hs.protocol : -1));
  REQUIRE(r.verdict != Verdict::Unknown);
  const auto& x = n.network_interfaces.at(to);
  if (r.verdict == Verdict::Reachable) {
    const model::Walk w = trace::walk(n, start_of(*r.from_member), *r.packet);
    INFO("witness " << model::describe(*r.packet) << hops_text(r.path) << "\ntrace: " << walk_text(w));
    CHECK(w.disposition == model::Disposition::Delivered);
    CHECK(w.endpoint == to);
    CHECK(r.path == w.hops);
    return;
  }
  // Unreachable: no sampled packet of the space may be delivered to `to`, over either family
  // where both ends have addresses of it.
  std::vector<Ipv4Address> dsts;
  for (const auto& ip : x.private_ips) {
    dsts.push_back(ip.address);
    if (ip.public_ip) dsts.push_back(*ip.public_ip);
  }
  const model::NetworkInterface* src = from == "internet" ? nullptr : &n.network_interfaces.at(from);
  const bool v4 = !dsts.empty() && (!src || !src->private_ips.empty());
  const bool v6 = !x.ipv6_addresses.empty() && (!src || !src->ipv6_addresses.empty());
  for (int k = 0; k < 30 && (v4 || v6); ++k) {
    model::Packet p;
    if (v6 && (!v4 || pick(2) == 0)) {
      p.ip_version = 6;
      p.src_ip6 = src ? src->ipv6_addresses[static_cast<std::size_t>(
                            pick(static_cast<int>(src->ipv6_addresses.size())))]
                      : *parse_ipv6(pick(2) ? "2001:db8:9::9" : "2a00:1450::4");
      p.dst_ip6 = x.ipv6_addresses[static_cast<std::size_t>(pick(static_cast<int>(x.ipv6_addresses.size())))];
    } else if (from == "internet") {
      p.src_ip = pick(2) ? 0xCB007109u : 0x08080404u;  // 203.0.113.9, 8.8.4.4
    } else {
      p.src_ip =
          src->private_ips[static_cast<std::size_t>(pick(static_cast<int>(src->private_ips.size())))].address;
    }
    if (!p.is_ipv6()) p.dst_ip = dsts[static_cast<std::size_t>(pick(static_cast<int>(dsts.size())))];
    static const std::vector<int> any{model::kTcp, model::kUdp, model::kIcmp, 50};
    p.protocol =
        static_cast<std::uint8_t>(hs.protocol ? *hs.protocol : any[static_cast<std::size_t>(pick(4))]);
    static const std::vector<int> ports{22, 80, 443, 53, 1000, 1500, 49152, 0, 65535};
    if (p.protocol == model::kTcp || p.protocol == model::kUdp) {
      p.src_port = static_cast<std::uint16_t>(ports[static_cast<std::size_t>(pick(9))]);
      p.dst_port = static_cast<std::uint16_t>(ports[static_cast<std::size_t>(pick(9))]);
      if (hs.dst_ports && !hs.dst_ports->contains(p.dst_port)) p.dst_port = 22;
    } else if (p.protocol == model::kIcmp) {
      p.dst_port = pick(2) ? 8 : 3;
    }
    if (p.is_ipv6() && p.protocol == model::kIcmp) p.dst_port = 0;  // ICMP over IPv6 is just protocol 1
    const model::Walk w = trace::walk(n, start_of(from), p);
    INFO("sample " << model::describe(p) << "\ntrace: " << walk_text(w));
    CHECK_FALSE((w.disposition == model::Disposition::Delivered && w.endpoint == to));
  }
}

void run(int cases, std::uint32_t first_seed, bool dual_stack = false) {
  int done = 0;
  for (std::uint32_t seed = first_seed; done < cases; ++seed) {
    const model::Network n =
        dual_stack ? testing::random_dual_stack_network(seed) : testing::random_network(seed);
    queries::Prover prover(n);
    std::mt19937 rng(seed * 7919u + 1u);
    for (int k = 0; k < 25 && done < cases; ++k, ++done) {
      check_packet(seed, n, prover, testing::random_packet(n, rng), k % 5 == 0);
    }
    check_space(seed, n, prover, rng);
  }
}

TEST_CASE("trace and reach agree on 5,000 random packets of random networks", "[differential]") {
  run(5000, 1);
}

TEST_CASE("trace and reach agree on 5,000 random packets of random dual-stack networks",
          "[differential][ipv6]") {
  run(5000, 1, /*dual_stack=*/true);
}

TEST_CASE("the random networks of the 5,000 packets hold missing references, and packets meet them",
          "[differential]") {
  // The networks and first 25 packets of each seed that run(5000, 1) checks.
  int missing_targets = 0, missing_peers = 0, packets_left_by_missing = 0;
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    const model::Network n = testing::random_network(seed);
    bool target = false, peer = false;
    for (const auto& [id, g] : n.opaque_gateways) target = target || g.missing;
    for (const auto& [id, g] : n.security_groups) {
      for (const auto* rules : {&g.ingress, &g.egress}) {
        for (const auto& r : *rules) {
          if (r.peer == "sg-99" || r.peer == "pl-99") peer = true;
        }
      }
    }
    missing_targets += target;
    missing_peers += peer;
    std::mt19937 rng(seed * 7919u + 1u);
    for (int k = 0; k < 25; ++k) {
      const auto s = testing::random_packet(n, rng);
      const auto w = trace::walk(n, start_of(s.from), s.packet);
      const auto* g = model::Network::find(n.opaque_gateways, w.endpoint);
      if (w.disposition == model::Disposition::ExitsUnmodelled && g && g->missing) ++packets_left_by_missing;
    }
  }
  INFO(missing_targets << " networks with a missing route target, " << missing_peers
                       << " with a rule naming a missing group or prefix list, " << packets_left_by_missing
                       << " packets left by a missing target");
  CHECK(missing_targets >= 10);
  CHECK(missing_peers >= 10);
  // 9 since the transit-gateway draws send some packets of TGW networks to other VPCs instead.
  CHECK(packets_left_by_missing >= 8);
}

TEST_CASE("the random networks of the 5,000 packets hold transit gateways, and packets cross them",
          "[differential]") {
  // The networks and first 25 packets of each seed that run(5000, 1) checks.
  int tgw_networks = 0, crossed = 0, entered = 0, zone_drops = 0, tgw_drops = 0, tgw_leaves = 0;
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    const model::Network n = testing::random_network(seed);
    tgw_networks += !n.transit_gateways.empty();
    std::mt19937 rng(seed * 7919u + 1u);
    for (int k = 0; k < 25; ++k) {
      const auto s = testing::random_packet(n, rng);
      const auto w = trace::walk(n, start_of(s.from), s.packet);
      bool at_tgw = false, into_vpc = false;
      for (const auto& h : w.hops) {
        if (h.step == "tgw") (n.transit_gateways.count(h.at) ? at_tgw : into_vpc) = true;
      }
      crossed += at_tgw;
      entered += into_vpc;
      if (w.drop && w.drop->code == "TGW_ATTACHMENT_AZ_RESTRICTION") ++zone_drops;
      if (w.drop && n.transit_gateway_route_tables.count(w.drop->at)) ++tgw_drops;
      if (w.disposition == model::Disposition::ExitsUnmodelled &&
          n.transit_gateway_attachments.count(w.endpoint))
        ++tgw_leaves;
    }
  }
  INFO(tgw_networks << " networks with a transit gateway; of their packets " << crossed << " reach one, "
                    << entered << " are sent into a VPC by one, " << zone_drops
                    << " are dropped for want of an attachment subnet in their zone, " << tgw_drops
                    << " are dropped by a TGW route table, " << tgw_leaves
                    << " leave by an unfollowed attachment");
  CHECK(tgw_networks >= 15);
  CHECK(crossed >= 20);
  CHECK(entered >= 10);
  CHECK(zone_drops >= 3);
  CHECK(tgw_drops >= 3);
  CHECK(tgw_leaves >= 1);
}

TEST_CASE("the random networks of the 5,000 packets hold gateway endpoints, and packets reach their services",
          "[differential]") {
  // The networks and first 25 packets of each seed that run(5000, 1) checks.
  int networks = 0, plain = 0, handed = 0, established = 0, not_service = 0, not_vpc = 0;
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    const model::Network n = testing::random_network(seed);
    networks += !n.gateway_endpoints.empty();
    bool any_plain = false;
    for (const auto& [id, t] : n.route_tables) {
      for (const auto& r : t.routes)
        any_plain = any_plain || (n.gateway_endpoints.count(r.target_id) && !r.prefix_list_id);
    }
    plain += any_plain;
    std::mt19937 rng(seed * 7919u + 1u);
    for (int k = 0; k < 25; ++k) {
      const auto s = testing::random_packet(n, rng);
      const auto w = trace::walk_session(n, start_of(s.from), s.packet);
      if (w.forward.disposition == model::Disposition::GatewayEndpoint) {
        ++handed;
        established += w.established;
      }
      if (w.forward.drop && w.forward.drop->code == "VPCE_DESTINATION_NOT_IN_SERVICE") ++not_service;
      if (w.forward.drop && w.forward.drop->code == "VPCE_REQUIRES_SOURCE_IN_VPC_CIDR") ++not_vpc;
    }
  }
  INFO(networks << " networks with a gateway endpoint (" << plain << " with a CIDR route to one); " << handed
                << " packets handed to its service (" << established << " sessions established), "
                << not_service << " dropped outside the service's addresses, " << not_vpc
                << " from outside its VPC");
  CHECK(networks >= 20);
  CHECK(handed >= 20);
  CHECK(established >= 5);
  CHECK(not_service >= 1);
}

TEST_CASE("trace and reach agree on 100,000 random packets of random networks", "[.slow]") {
  run(100000, 100000);
}

}  // namespace
}  // namespace vpcprove
