// SPDX-License-Identifier: Apache-2.0
// The encodings agree with the concrete matchers of trace/ on boundary values.
#include "encoder/encoder.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "encoder/header.h"
#include "model/describe.h"
#include "tests/support/network_builder.h"
#include "tests/unit/encoder/holds.h"
#include "trace/l4_match.h"
#include "trace/nacl_match.h"
#include "trace/sg_match.h"

namespace vpcprove {
namespace {

using encoder::Header;
using encoder::test::holds;
using testing::ip;
using testing::packet;
using testing::prefix;

TEST_CASE("prefix match by extraction agrees with Ipv4Prefix::contains at the edges", "[encoder][prefix]") {
  z3::context c;
  const Header h = Header::make(c, "h");
  for (const char* text :
       {"0.0.0.0/0", "10.0.0.0/8", "10.1.2.0/24", "10.1.2.3/32", "128.0.0.0/1", "172.16.0.0/12"}) {
    const Ipv4Prefix p = prefix(text);
    const z3::expr f = encoder::in_prefix(h.dst_ip, p);
    for (Ipv4Address a : {p.first() - 1, p.first(), p.first() + 1, p.last() - 1, p.last(), p.last() + 1}) {
      model::Packet pk;
      pk.dst_ip = a;
      INFO(text << " " << format_ipv4(a));
      CHECK(holds(f, h, pk) == p.contains(a));
    }
  }
}

TEST_CASE("an address set as a trie holds exactly its addresses: equal to one equality per address",
          "[encoder][address-set]") {
  z3::context c;
  const Header h = Header::make(c, "h");
  std::mt19937 rng(18);
  for (int round = 0; round < 60; ++round) {
    // Clustered (a block handed out in order, whole /30s and /24 edges) and scattered addresses.
    std::vector<Ipv4Address> set;
    const Ipv4Address base = static_cast<Ipv4Address>(rng()) & 0xFFFFFF00u;
    const int n = round % 6 == 0 ? static_cast<int>(rng() % 3) : static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) {
      switch (rng() % 3) {
        case 0:
          set.push_back(base + static_cast<Ipv4Address>(i));
          break;
        case 1:
          set.push_back(base + static_cast<Ipv4Address>(rng() % 4096));
          break;
        default:
          set.push_back(static_cast<Ipv4Address>(rng()));
      }
    }
    if (round == 1) set = {0, 0xFFFFFFFFu};
    if (round == 2) {
      set.clear();
      for (Ipv4Address a = 0x34000000u; a < 0x34000100u; ++a) set.push_back(a);  // a whole /24
    }
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    z3::expr_vector each(c);
    for (Ipv4Address a : set) each.push_back(h.dst_ip == c.bv_val(a, 32));
    const z3::expr naive = each.empty() ? c.bool_val(false) : z3::mk_or(each);
    const z3::expr trie = encoder::in_address_set(h.dst_ip, set);
    z3::solver s(c);
    s.add(naive != trie);
    INFO("round " << round << ", " << set.size() << " addresses");
    REQUIRE(s.check() == z3::unsat);
    // And on the edges of every address, concretely.
    for (std::size_t i = 0; i < set.size() && i < 20; ++i) {
      for (Ipv4Address a : {set[i] - 1, set[i], set[i] + 1}) {
        model::Packet pk;
        pk.dst_ip = a;
        CHECK(holds(trie, h, pk) == std::binary_search(set.begin(), set.end(), a));
      }
    }
  }
}

TEST_CASE("port ranges compare unsigned and agree with PortRange::contains", "[encoder][ports]") {
  z3::context c;
  const Header h = Header::make(c, "h");
  for (PortRange r : {PortRange{0, 65535}, PortRange{22, 22}, PortRange{1024, 65535}, PortRange{0, 1023},
                      PortRange{32768, 40000}}) {
    const z3::expr f = encoder::in_range(h.dst_port, r);
    for (int v : {0, 1, 21, 22, 23, 1023, 1024, 32767, 32768, 40000, 40001, 65534, 65535}) {
      model::Packet pk;
      pk.dst_port = static_cast<std::uint16_t>(v);
      INFO(r.to_string() << " " << v);
      CHECK(holds(f, h, pk) == r.contains(static_cast<std::uint32_t>(v)));
    }
  }
}

std::vector<model::Packet> sample_packets() {
  std::vector<model::Packet> out;
  for (int proto : {model::kTcp, model::kUdp, model::kIcmp, 50}) {
    for (int dport : {0, 8, 22, 53, 443, 1023, 1024, 65535}) {
      for (int sport : {0, 9, 49152}) {
        model::Packet p = packet("10.0.1.5", "10.0.2.7", proto, static_cast<std::uint16_t>(sport),
                                 static_cast<std::uint16_t>(dport));
        if (!p.well_formed()) continue;
        out.push_back(p);
        p.src_ip = ip("203.0.113.9");
        out.push_back(p);
      }
    }
  }
  return out;
}

TEST_CASE("L4 matches agree with trace's matcher for every rule kind", "[encoder][l4]") {
  z3::context c;
  const Header h = Header::make(c, "h");
  model::L4Match nothing = testing::tcp(22);
  nothing.matches_nothing = true;
  for (const auto& m :
       {testing::any_l4(), testing::tcp(22), testing::tcp(1024, 65535), testing::udp(53), testing::icmp(),
        testing::icmp(8), testing::icmp(8, 0), testing::proto(50), nothing}) {
    const z3::expr f = encoder::l4_matches(m, h);
    for (const auto& p : sample_packets()) {
      INFO(model::describe(m) << " on " << model::describe(p));
      CHECK(holds(f, h, p) == trace::matches(m, p));
    }
  }
}

TEST_CASE("well-formedness follows model::Packet::well_formed", "[encoder][header]") {
  z3::context c;
  const Header h = Header::make(c, "h");
  const z3::expr f = encoder::well_formed(h);
  for (int proto : {model::kTcp, model::kUdp, model::kIcmp, 0, 50}) {
    for (int port : {0, 255, 256, 65535}) {
      model::Packet p = packet("10.0.0.1", "10.0.0.2", proto, 0, static_cast<std::uint16_t>(port));
      CHECK(holds(f, h, p) == p.well_formed());
      std::swap(p.src_port, p.dst_port);
      CHECK(holds(f, h, p) == p.well_formed());
    }
  }
}

model::Network filters_network() {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24").nacl("acl-1");
  b.subnet("subnet-b", "vpc-1", "10.0.2.0/24");
  b.nacl("acl-1", "vpc-1")
      .deny_in(90, testing::tcp(22), "203.0.113.0/24")
      .allow_in(100, testing::tcp(0, 1023))
      .allow_in(110, testing::icmp(8))
      .deny_out(100, testing::udp(53), "10.0.2.0/24")
      .allow_out(200, testing::any_l4(), "10.0.0.0/16");
  b.sg("sg-1", "vpc-1").ingress_tcp(22, "203.0.113.0/24").egress_tcp(443, "0.0.0.0/0");
  b.sg("sg-2", "vpc-1").ingress(testing::icmp(), "sg-1").ingress_all("10.0.2.0/24");
  b.eni("eni-1", "subnet-a", {"10.0.1.5"}).groups({"sg-1", "sg-2"});
  b.eni("eni-2", "subnet-b", {"10.0.2.7"}).groups({"sg-1"});
  b.eni("eni-3", "subnet-b", {"10.0.2.8"}).groups({});
  b.route_table("rtb-1", "vpc-1")
      .route("0.0.0.0/0", "eni-2")
      .route("10.0.2.0/24", "eni-3")
      .route("10.0.2.0/24", "eni-1");
  return b.build();
}

TEST_CASE("NACL first-match chains and SG unions agree with trace on every sampled packet",
          "[encoder][nacl][sg]") {
  const model::Network n = filters_network();
  z3::context c;
  encoder::Encoder enc(c, n);
  const Header h = Header::make(c, "h");
  std::vector<model::Packet> packets = sample_packets();
  for (auto p : sample_packets()) {
    std::swap(p.src_ip, p.dst_ip);
    packets.push_back(p);
  }
  for (const auto d : {model::Direction::Ingress, model::Direction::Egress}) {
    const z3::expr acl = enc.nacl(n.network_acls.at("acl-1"), d, h);
    for (const auto& p : packets) {
      INFO(model::to_string(d) << " " << model::describe(p));
      CHECK(holds(acl, h, p) == trace::evaluate_nacl(n.network_acls.at("acl-1"), d, p).allow);
      for (const auto& [id, eni] : n.network_interfaces) {
        INFO(id);
        CHECK(holds(enc.interface_groups(eni, d, h), h, p) ==
              (trace::first_matching_rule(n, eni, d, p) != nullptr));
      }
    }
  }
}

TEST_CASE("route selection picks the first containing route of the decision order", "[encoder][route]") {
  const model::Network n = filters_network();
  z3::context c;
  encoder::Encoder enc(c, n);
  const Header h = Header::make(c, "h");
  const auto& table = n.route_tables.at("rtb-1");
  for (const char* dst : {"10.0.2.9", "10.0.1.1", "8.8.8.8", "10.0.255.255", "10.1.0.0"}) {
    model::Packet p;
    p.dst_ip = ip(dst);
    int first = -1;
    for (int i = 0; i < static_cast<int>(table.routes.size()); ++i) {
      if (first < 0 && table.routes[static_cast<std::size_t>(i)].destination.contains(p.dst_ip)) first = i;
    }
    for (int i = 0; i < static_cast<int>(table.routes.size()); ++i) {
      INFO(dst << " route " << i);
      CHECK(holds(enc.route_selected(table, i, h), h, p) == (i == first));
    }
    CHECK(holds(enc.no_route(table, h), h, p) == (first < 0));
  }
}

TEST_CASE("an encoding is built once and shared by every header it is used with", "[encoder][cache]") {
  const model::Network n = filters_network();
  z3::context c;
  encoder::Encoder enc(c, n);
  const Header h1 = Header::make(c, "h1");
  const z3::expr a = enc.nacl(n.network_acls.at("acl-1"), model::Direction::Ingress, h1);
  const z3::expr b = enc.nacl(n.network_acls.at("acl-1"), model::Direction::Ingress, h1);
  CHECK(z3::eq(a, b));
  const Header h2 = Header::make(c, "h2");
  const z3::expr other = enc.nacl(n.network_acls.at("acl-1"), model::Direction::Ingress, h2);
  CHECK_FALSE(z3::eq(a, other));
}

}  // namespace
}  // namespace vpcprove
