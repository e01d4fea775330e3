// SPDX-License-Identifier: Apache-2.0
// The 128-bit address trie holds exactly its addresses, and ipv6_owner built over it is the
// formula of one equality per address (Network::interface_with_ipv6's reading), proved by Z3.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>

#include "encoder/encoder.h"
#include "encoder/header.h"
#include "tests/support/network_builder.h"
#include "tests/unit/encoder/holds.h"

namespace vpcprove {
namespace {

using encoder::Header;
using encoder::test::holds;

Ipv6Address plus(Ipv6Address a, std::uint64_t n) {
  const std::uint64_t lo = a.lo + n;
  return {lo < a.lo ? a.hi + 1 : a.hi, lo};
}

Ipv6Address minus_one(Ipv6Address a) { return {a.lo == 0 ? a.hi - 1 : a.hi, a.lo - 1}; }

z3::expr one_equality_each(const z3::expr& ip6, const std::vector<Ipv6Address>& set) {
  z3::expr_vector each(ip6.ctx());
  for (const auto& a : set) each.push_back(ip6 == encoder::ipv6_value(ip6.ctx(), a));
  return each.empty() ? ip6.ctx().bool_val(false) : z3::mk_or(each);
}

model::Packet to(const Ipv6Address& a) {
  model::Packet p;
  p.ip_version = 6;
  p.dst_ip6 = a;
  return p;
}

TEST_CASE("an IPv6 address set as a trie holds exactly its addresses: equal to one equality per address",
          "[encoder][address-set][ipv6]") {
  z3::context c;
  const Header h = Header::make(c, "h", true);
  std::mt19937_64 rng(17);
  for (int round = 0; round < 24; ++round) {
    // Addresses of a few /64s handed out in order (as AWS and gen_estate do), across the /64s
    // of one /56, around the 64-bit boundary, and scattered over all 128 bits.
    std::vector<Ipv6Address> set;
    const Ipv6Address base{0x26001f0000000000ULL | (rng() & 0xFFFFFF00ULL), 0};
    const int n = round % 6 == 0 ? static_cast<int>(rng() % 3) : static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) {
      switch (rng() % 4) {
        case 0:
          set.push_back(plus(base, 16 + static_cast<std::uint64_t>(i)));
          break;
        case 1:
          set.push_back({base.hi | (rng() % 4), 16 + rng() % 4096});
          break;
        case 2:
          set.push_back(plus({base.hi, ~std::uint64_t{0}}, rng() % 8));  // across hi/lo
          break;
        default:
          set.push_back({rng(), rng()});
      }
    }
    if (round == 1) set = {Ipv6Address{0, 0}, Ipv6Address{~std::uint64_t{0}, ~std::uint64_t{0}}};
    if (round == 2) {
      set.clear();
      for (std::uint64_t i = 0; i < 256; ++i) set.push_back(plus(base, 0x100 + i));  // a whole /120
    }
    if (round == 3) {
      set.clear();
      for (std::uint64_t i = 0; i < 300; ++i) set.push_back(plus({base.hi, ~std::uint64_t{0} - 149}, i));
    }
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    const z3::expr naive = one_equality_each(h.dst_ip6, set);
    const z3::expr trie = encoder::in_address_set(h.dst_ip6, set);
    z3::solver s(c);
    s.add(naive != trie);
    INFO("round " << round << ", " << set.size() << " addresses");
    REQUIRE(s.check() == z3::unsat);
    // And on the neighbours of some addresses, concretely.
    for (std::size_t i = 0; i < set.size() && i < 20; ++i) {
      for (const auto& a : {minus_one(set[i]), set[i], plus(set[i], 1)}) {
        CHECK(holds(trie, h, to(a)) == std::binary_search(set.begin(), set.end(), a));
      }
    }
  }
}

/**
 * ipv6_owner as it was written before the trie: one equality per held address (the holder the
 * first ENI in ID order that lists it), then each delegated prefix in ENI ID order without the
 * earlier prefixes that overlap it and without the held addresses inside it.
 */
z3::expr owner_by_equalities(const model::Network& n, const model::Id& vpc_id, const Header& h) {
  z3::context& c = h.dst_ip6.ctx();
  std::map<Ipv6Address, const model::NetworkInterface*> holder;
  std::vector<std::pair<Ipv6Prefix, const model::NetworkInterface*>> delegated;
  for (const auto& [id, eni] : n.network_interfaces) {
    for (const auto& a : eni.ipv6_addresses) holder.try_emplace(a, &eni);
    for (const auto& p : eni.ipv6_delegated_prefixes) delegated.emplace_back(p, &eni);
  }
  auto mine = [&](const model::NetworkInterface* x) { return vpc_id.empty() || x->vpc_id == vpc_id; };
  z3::expr_vector any(c);
  for (const auto& [a, x] : holder) {
    if (mine(x)) any.push_back(h.dst_ip6 == encoder::ipv6_value(c, a));
  }
  for (std::size_t k = 0; k < delegated.size(); ++k) {
    const auto& [p, x] = delegated[k];
    if (!mine(x)) continue;
    z3::expr_vector parts(c);
    parts.push_back(encoder::in_prefix6(h.dst_ip6, p));
    for (std::size_t j = 0; j < k; ++j) {
      const auto& q = delegated[j].first;
      if (q.contains(p) || p.contains(q)) parts.push_back(!encoder::in_prefix6(h.dst_ip6, q));
    }
    for (auto it = holder.lower_bound(p.addr); it != holder.end() && p.contains(it->first); ++it)
      parts.push_back(h.dst_ip6 != encoder::ipv6_value(c, it->first));
    any.push_back(z3::mk_and(parts));
  }
  return any.empty() ? c.bool_val(false) : z3::mk_or(any);
}

TEST_CASE("ipv6_owner over a trie is the formula of one equality per address, for every VPC and any ENI",
          "[encoder][address-set][ipv6]") {
  // vpc-a and vpc-b, 40 ENIs each (more addresses per VPC than kIpv6AddressTrieFrom, so the trie):
  // addresses in order in a /64, a few at random, and some listed by two ENIs (the first in ID
  // order holds them). Delegated prefixes: one holding addresses of both VPCs, an earlier
  // overlapping one of the other VPC, and one of vpc-b beside everything.
  testing::NetworkBuilder b;
  b.vpc("vpc-a", "10.0.0.0/16").ipv6("2600:1f18:a::/56");
  b.vpc("vpc-b", "10.1.0.0/16").ipv6("2600:1f18:b::/56");
  b.subnet("subnet-a", "vpc-a", "10.0.1.0/24").ipv6("2600:1f18:a:1::/64");
  b.subnet("subnet-b", "vpc-b", "10.1.1.0/24").ipv6("2600:1f18:b:1::/64");
  std::mt19937 rng(6);
  auto text = [](const Ipv6Address& a) { return format_ipv6(a); };
  const Ipv6Address a_base = *parse_ipv6("2600:1f18:a:1::");
  const Ipv6Address b_base = *parse_ipv6("2600:1f18:b:1::");
  for (int i = 0; i < 40; ++i) {
    const std::string n = std::to_string(100 + i);
    std::vector<std::string> a6{text(plus(a_base, 16 + 2 * static_cast<std::uint64_t>(i))),
                                text(plus(a_base, 0x1000 + rng() % 512))};
    std::vector<std::string> b6{text(plus(b_base, 16 + static_cast<std::uint64_t>(i))),
                                text(plus(b_base, 0x2000 + 3 * static_cast<std::uint64_t>(i)))};
    if (i % 10 == 3)
      b6.push_back(text(plus(a_base, 16 + 2 * static_cast<std::uint64_t>(i))));  // also vpc-a's
    b.eni("eni-a" + n, "subnet-a", {"10.0.1." + std::to_string(10 + i)}).ipv6(a6);
    b.eni("eni-b" + n, "subnet-b", {"10.1.1." + std::to_string(10 + i)}).ipv6(b6);
  }
  model::Network n = b.build();
  // 2600:1f18:a:1::/120 holds vpc-a's ordered addresses; eni-a107's /124 inside it comes first
  // in ID order; eni-b103's /120 and eni-b120's /112 in vpc-b's own /64.
  n.network_interfaces.at("eni-a107")
      .ipv6_delegated_prefixes.push_back(*Ipv6Prefix::parse("2600:1f18:a:1::20/124"));
  n.network_interfaces.at("eni-b103")
      .ipv6_delegated_prefixes.push_back(*Ipv6Prefix::parse("2600:1f18:a:1::/120"));
  n.network_interfaces.at("eni-b120")
      .ipv6_delegated_prefixes.push_back(*Ipv6Prefix::parse("2600:1f18:b:1::1:0/112"));
  n.index();

  z3::context c;
  encoder::Encoder enc(c, n, true);
  const Header h = enc.header("h");
  for (const model::Id vpc : {"", "vpc-a", "vpc-b", "vpc-none"}) {
    const z3::expr trie = enc.ipv6_owner(vpc, h);
    z3::solver s(c);
    s.add(trie != owner_by_equalities(n, vpc, h));
    INFO("vpc '" << vpc << "'");
    REQUIRE(s.check() == z3::unsat);
    // Concretely, as Network::interface_with_ipv6 answers, around the ordered addresses, the
    // prefixes' edges and an address listed twice.
    for (std::uint64_t k = 0; k < 0x140; k += 3) {
      for (const auto& base : {a_base, b_base, *parse_ipv6("2600:1f18:b:1::1:0")}) {
        const Ipv6Address a = plus(base, k);
        const auto* x = n.interface_with_ipv6(a);
        CHECK(holds(trie, h, to(a)) == (x && (vpc.empty() || x->vpc_id == vpc)));
      }
    }
  }
  // The sets are large enough for the trie: the test would compare equalities with equalities.
  CHECK(enc.ipv6_owners().by_vpc.at("vpc-a").size() >= encoder::Encoder::kIpv6AddressTrieFrom);
  CHECK(enc.ipv6_owners().by_vpc.at("vpc-b").size() >= encoder::Encoder::kIpv6AddressTrieFrom);
}

}  // namespace
}  // namespace vpcprove
