// SPDX-License-Identifier: Apache-2.0
// The dual-stack encoding agrees with trace's concrete matchers packet by packet, in both
// families, and an IPv4-only encoder builds formulas with no IPv6 variable in them.
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "encoder/encoder.h"
#include "encoder/header.h"
#include "model/describe.h"
#include "tests/support/dual_stack_network.h"
#include "tests/unit/encoder/holds.h"
#include "trace/nacl_match.h"
#include "trace/sg_match.h"

namespace vpcprove {
namespace {

using encoder::Header;
using encoder::test::holds;

/** Packets of both families around the dual-stack network's addresses, rules and routes. */
std::vector<model::Packet> packets(std::mt19937& rng, int count) {
  const char* v6[] = {"2600:1f18:1:1::20", "2600:1f18:1:2::30", "2600:1f18:2:1::40", "2001:db8::9",
                      "64:ff9b::808:808",  "fd00::1",           "2600:1f18:1:1::99", "::"};
  const char* v4[] = {"10.0.1.20", "10.0.2.30", "10.1.1.40", "198.51.100.9",
                      "54.0.0.20", "3.3.3.3",   "0.0.0.0"};
  const int protocols[] = {model::kTcp, model::kUdp, model::kIcmp, model::kIcmpv6, 50};
  const std::uint16_t ports[] = {22, 443, 8080, 0, 128, 65535};
  std::vector<model::Packet> out;
  for (int i = 0; i < count; ++i) {
    const int proto = protocols[rng() % 5];
    const bool ported = proto == model::kTcp || proto == model::kUdp;
    const bool icmp = proto == model::kIcmp || proto == model::kIcmpv6;
    std::uint16_t sp = ported ? ports[rng() % 6] : 0;
    std::uint16_t dp = ported ? ports[rng() % 6] : 0;
    if (icmp) sp = 0, dp = static_cast<std::uint16_t>(rng() % 2 ? 128 : 8);
    if (rng() % 2) {
      out.push_back(testing::packet6(v6[rng() % 8], v6[rng() % 8], proto, sp, dp));
    } else {
      out.push_back(testing::packet(v4[rng() % 7], v4[rng() % 7], proto, sp, dp));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("dual-stack security groups and NACLs match each family as trace does", "[encoder][ipv6]") {
  auto b = testing::dual_stack();
  b.nacl("acl-pub", "vpc-1")
      .deny_in(90, testing::tcp(22), "::/0")
      .allow_in(100, testing::any_l4(), "0.0.0.0/0")
      .allow_in(110, testing::any_l4(), "2001:db8::/32")
      .deny_out(80, testing::tcp(443), "2600:1f18:2::/48")
      .allow_out(100, testing::any_l4(), "::/0");
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24")
      .ipv6("2600:1f18:1:1::/64")
      .route_table("rtb-pub")
      .nacl("acl-pub");
  const auto n = b.build();
  z3::context c;
  encoder::Encoder enc(c, n, /*dual_stack=*/true);
  const Header h = enc.header("h");
  std::mt19937 rng(17);
  int v6_passes = 0;
  for (const auto& p : packets(rng, 400)) {
    INFO(model::describe(p));
    for (const auto& [id, eni] : n.network_interfaces) {
      for (auto d : {model::Direction::Ingress, model::Direction::Egress}) {
        const bool concrete = eni.unfiltered || trace::first_matching_rule(n, eni, d, p) != nullptr;
        CHECK(holds(enc.interface_groups(eni, d, h), h, p) == concrete);
        if (concrete && p.is_ipv6()) ++v6_passes;
      }
    }
    for (const auto& [id, acl] : n.network_acls) {
      for (auto d : {model::Direction::Ingress, model::Direction::Egress}) {
        INFO(id << ' ' << model::to_string(d));
        CHECK(holds(enc.nacl(acl, d, h), h, p) == trace::evaluate_nacl(acl, d, p).allow);
      }
    }
  }
  CHECK(v6_passes > 0);  // the packets reach the IPv6 rules, not only their default deny
}

TEST_CASE("dual-stack route selection picks trace's route in each family's table", "[encoder][ipv6]") {
  const auto n = testing::dual_stack().build();
  z3::context c;
  encoder::Encoder enc(c, n, /*dual_stack=*/true);
  const Header h = enc.header("h");
  std::mt19937 rng(23);
  for (const auto& p : packets(rng, 300)) {
    INFO(model::describe(p));
    for (const auto& [id, table] : n.route_tables) {
      // trace's lookup: the first route of the packet's family that contains the destination.
      int chosen4 = -1, chosen6 = -1;
      for (std::size_t i = 0; i < table.routes.size() && !p.is_ipv6(); ++i) {
        if (table.routes[i].destination.contains(p.dst_ip)) {
          chosen4 = static_cast<int>(i);
          break;
        }
      }
      for (std::size_t i = 0; i < table.routes6.size() && p.is_ipv6(); ++i) {
        if (table.routes6[i].destination6->contains(p.dst_ip6)) {
          chosen6 = static_cast<int>(i);
          break;
        }
      }
      for (std::size_t i = 0; i < table.routes.size(); ++i)
        CHECK(holds(enc.route_selected(table, static_cast<int>(i), h), h, p) ==
              (chosen4 == static_cast<int>(i)));
      for (std::size_t i = 0; i < table.routes6.size(); ++i)
        CHECK(holds(enc.route6_selected(table, static_cast<int>(i), h), h, p) ==
              (chosen6 == static_cast<int>(i)));
      CHECK(holds(enc.no_route(table, h), h, p) == (!p.is_ipv6() && chosen4 < 0));
      CHECK(holds(enc.no_route6(table, h), h, p) == (p.is_ipv6() && chosen6 < 0));
    }
  }
}

TEST_CASE(
    "dual-stack headers: a model gives back the packet, replies swap IPv6 addresses, ICMPv6 echo is answered",
    "[encoder][ipv6]") {
  z3::context c;
  const Header h = Header::make(c, "h", true);
  const Header r = Header::make(c, "r", true);
  const auto sent = testing::packet6("2600:1f18:1:1::20", "2001:db8::9", model::kIcmpv6, 0, 128);
  z3::solver s(c);
  s.add(h.equals(sent) && encoder::is_reply_to(r, h) && encoder::well_formed(h));
  REQUIRE(s.check() == z3::sat);
  CHECK(encoder::packet_of(s.get_model(), h) == sent);
  CHECK(encoder::packet_of(s.get_model(), r) == model::reply_to(sent));
  CHECK(model::reply_to(sent).dst_port == 129);
  // well_formed keeps the other family's addresses zero.
  z3::solver t(c);
  t.add(encoder::well_formed(h) && h.ip6 && h.src_ip != c.bv_val(0, 32));
  CHECK(t.check() == z3::unsat);
  CHECK(encoder::packet_of(s.get_model(), h).well_formed());
}

TEST_CASE("an IPv4-only encoder's formulas carry no IPv6 variable, even for a dual-stack network",
          "[encoder][ipv6]") {
  const auto n = testing::dual_stack().build();
  z3::context c;
  encoder::Encoder enc(c, n);
  const Header h = enc.header("h");
  CHECK_FALSE(h.dual_stack);
  CHECK(h.vars().size() == 5);
  const auto& web = n.network_interfaces.at("eni-web");
  const std::string text =
      enc.interface_groups(web, model::Direction::Ingress, h).to_string() +
      enc.nacl(n.network_acls.at("acl-default-vpc-1"), model::Direction::Ingress, h).to_string() +
      enc.route_selected(n.route_tables.at("rtb-pub"), 0, h).to_string();
  CHECK(text.find("ip6") == std::string::npos);
  // Exactly the IPv4 formula (the same Z3 term), with no conjunct for the family.
  const auto& entry = n.network_acls.at("acl-default-vpc-1").ingress.front();
  CHECK(z3::eq(enc.nacl_entry(entry, h),
               encoder::l4_matches(entry.l4, h) && encoder::in_prefix(h.src_ip, entry.cidr)));
  // The IPv6-only rule of sg-web (tcp 22 from ::/0) admits no IPv4 packet.
  z3::solver s(c);
  s.add(enc.interface_groups(web, model::Direction::Ingress, h) && h.protocol == c.bv_val(model::kTcp, 8) &&
        h.dst_port == c.bv_val(22, 16));
  CHECK(s.check() == z3::unsat);
}

}  // namespace vpcprove
