// SPDX-License-Identifier: Apache-2.0
// The IPv6 half of the random dual-stack networks and packets (tests/support/random_network.h).
#include <set>
#include <stdexcept>

#include "tests/support/random_draws.h"

namespace vpcprove::testing {

namespace random_detail {

namespace {

// ---- IPv6 -------------------------------------------------------------------------------------
// VPC V's block is 2600:1f18:V00::/56, its subnet S's /64 2600:1f18:V00:S::/64 (S 9 for the
// IPv6-only subnet), eni-VSK's address 2600:1f18:V00:S::1K (a second one ::10K) and its
// delegated prefix 2600:1f18:V00:S:K::/80: disjoint by construction, so no two ENIs own one
// address.

std::string block6(int vpc) { return "2600:1f18:" + v(vpc) + "00::/56"; }
std::string subnet6(int vpc, int subnet) { return "2600:1f18:" + v(vpc) + "00:" + v(subnet) + "::/64"; }
std::string address6(int vpc, int subnet, int host) {
  return "2600:1f18:" + v(vpc) + "00:" + v(subnet) + "::" + v(host);
}
std::string delegated6(int vpc, int subnet, int k) {
  return "2600:1f18:" + v(vpc) + "00:" + v(subnet) + ":" + v(k) + "::/80";
}

model::L4Match random_l4_6(Rng& r) {
  switch (r.uniform(0, 9)) {
    case 0:
    case 1:
      return any_l4();
    case 2:
      return tcp(22);
    case 3:
      return tcp(80, 443);
    case 4:
      return tcp(1024, 65535);
    case 5:
      return udp(53);
    case 6:
      return icmpv6();
    case 7:
      return icmpv6(128, r.chance(0.5) ? -1 : 0);
    case 8:
      return icmp();  // an ICMP (IPv4) rule: never matches ICMPv6
    default:
      return proto(50);
  }
}

Ipv6Address ip6(const std::string& text) {
  const auto a = parse_ipv6(text);
  if (!a) throw std::invalid_argument("bad IPv6 address in test: " + text);
  return *a;
}

/** The address at offset host of prefix (the fifth of a delegated /80 stands for all of it). */
Ipv6Address in_prefix(const Ipv6Prefix& prefix, std::uint64_t host) {
  return {prefix.addr.hi, prefix.addr.lo | host};
}

}  // namespace

void ipv6_draws(Rng& r, NetworkBuilder& b, Layout& L) {
  std::set<std::string> v6_vpcs;
  std::map<std::string, std::string> eigw_of;
  std::map<std::string, std::vector<std::string>> v6_enis_of;  // ENIs with IPv6, per VPC
  std::set<std::string> v6_subnets;
  auto number = [](const std::string& vpc) { return vpc.back() - '0'; };

  // Blocks, gateways, subnets' /64s and an IPv6-only subnet now and then.
  for (const auto& vpc : L.vpc_ids) {
    if (!r.chance(0.85)) continue;
    const int i = number(vpc);
    v6_vpcs.insert(vpc);
    L.vpc_handles.at(vpc).ipv6(block6(i));
    // Some VPCs have only an egress-only gateway: IPv6 out and its replies in, nothing else in.
    if (L.igw_of.count(vpc) ? r.chance(0.3) : r.chance(0.75)) {
      eigw_of[vpc] = "eigw-" + v(i);
      b.eigw(eigw_of[vpc], vpc);
    }
    for (std::size_t s = 0; s < L.subnets_of[vpc].size(); ++s) {
      if (!r.chance(0.85)) continue;
      const std::string& sn = L.subnets_of[vpc][s];
      L.subnet_handles.at(sn).ipv6(subnet6(i, static_cast<int>(s) + 1));
      v6_subnets.insert(sn);
    }
  }
  // ENIs: most in a subnet with a /64 get an address, some two, some a delegated /80.
  for (const auto& id : L.all_enis) {
    const std::string sn = "subnet-" + id.substr(4, 2);
    if (!v6_subnets.count(sn) || !r.chance(0.75)) continue;
    const int i = id[4] - '0', s = id[5] - '0', k = id[6] - '0';
    std::vector<std::string> addresses{address6(i, s, 10 + k)};
    if (r.chance(0.2)) addresses.push_back(address6(i, s, 100 + k));
    auto& e = L.eni_handles.at(id);
    e.ipv6(addresses);
    if (r.chance(0.15)) e.ipv6_prefix(delegated6(i, s, k));
    v6_enis_of["vpc-" + std::string(1, id[4])].push_back(id);
  }
  for (const auto& vpc : v6_vpcs) {
    if (!r.chance(0.3)) continue;
    const int i = number(vpc);
    const std::string sn = "subnet-" + v(i) + "9";
    auto h = b.ipv6_only_subnet(sn, vpc, subnet6(i, 9));
    if (L.route_tables_of[vpc].size() > 1 && r.chance(0.5)) h.route_table(r.pick(L.route_tables_of[vpc]));
    std::vector<NetworkBuilder::NaclHandle> acls;
    for (const auto& [acl, acl_vpc] : L.custom_nacls) {
      if (acl_vpc == vpc) acls.push_back(acl);
    }
    if (!acls.empty() && r.chance(0.4)) h.nacl(r.pick(acls));
    for (int k = r.uniform(1, 2); k > 0; --k) {
      const std::string id = "eni-" + v(i) + "9" + v(k);
      auto e = b.ipv6_only_eni(id, sn, {address6(i, 9, 10 + k)});
      e.groups({r.pick(L.sgs_of[vpc])});
      if (r.chance(0.15)) e.source_dest_check(false);
      if (r.chance(0.2)) e.ipv6_prefix(delegated6(i, 9, k));
      L.eni_handles.emplace(id, e);
      L.enis_of[vpc].push_back(id);
      v6_enis_of[vpc].push_back(id);
    }
  }

  // Peerings carry both sides' IPv6 blocks unless one side shares less (a /64) or none.
  for (auto& [pcx, p] : L.peering_handles) {
    const std::string accepter = "vpc-" + std::string(1, pcx[5]);
    if (v6_vpcs.count(accepter) && r.chance(0.25)) p.accepter_ipv6_cidrs({subnet6(number(accepter), 1)});
    if (r.chance(0.15)) p.requester_ipv6_cidrs({});
  }

  // Security groups: IPv6 peers from a small pool (group references match both families).
  for (auto& [sg, h] : L.sg_handles) {
    const int i = sg[3] - '0';
    auto peer = [&]() -> std::string {
      switch (r.uniform(0, 7)) {
        case 0:
        case 1:
          return "::/0";
        case 2:
          return block6(i);
        case 3:
          return subnet6(r.uniform(1, 3), r.uniform(1, 3));
        case 4:
          return r.pick(L.sgs_of[r.pick(L.vpc_ids)]);
        case 5:
          return "2001:db8::/32";
        case 6:
          return address6(i, 1, 11) + "/128";
        default:
          return "2001:4860::/32";
      }
    };
    for (int k = r.uniform(0, 3); k > 0; --k) h.ingress(random_l4_6(r), peer());
    for (int k = r.uniform(0, 2); k > 0; --k) h.egress(random_l4_6(r), peer());
    if (r.chance(0.5)) h.egress_all("::/0");
  }

  // NACLs: IPv6 entries numbered between the IPv4 ones (AWS numbers both in one list).
  auto cidr6 = [&]() -> std::string {
    switch (r.uniform(0, 5)) {
      case 0:
      case 1:
        return "::/0";
      case 2:
        return block6(r.uniform(1, 3));
      case 3:
        return subnet6(r.uniform(1, 3), r.uniform(1, 3));
      case 4:
        return "2001:db8::/32";
      default:
        return "2000::/3";
    }
  };
  static const std::vector<int> numbers6{95, 101, 105, 115, 150};
  for (auto& [acl, vpc] : L.custom_nacls) {
    for (int k = r.uniform(0, 4); k > 0; --k)
      acl.ingress(r.pick(numbers6), r.chance(0.65), random_l4_6(r), cidr6());
    for (int k = r.uniform(0, 4); k > 0; --k)
      acl.egress(r.pick(numbers6), r.chance(0.65), random_l4_6(r), cidr6());
  }
  for (const auto& vpc : v6_vpcs) {
    if (!r.chance(0.15)) continue;
    auto acl = b.default_nacl(vpc);
    if (r.chance(0.5)) {
      acl.deny_in(90, random_l4_6(r), cidr6());
    } else {
      acl.deny_out(90, random_l4_6(r), cidr6());
    }
  }

  // Routes: ::/0 and other prefixes to the VPC's gateways, peerings, ENIs and tgw-1. Never
  // 64:ff9b::/96 to a NAT gateway (NAT64 leaves the prover's model), and a prefix inside the
  // VPC's own block only to an ENI: a route more specific than the local one must name a subnet's
  // whole block and a NAT gateway, a network interface or a Gateway Load Balancer endpoint
  // (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html, "Rules and
  // considerations").
  const bool tgw = L.tgw || L.tgw_described;
  for (const auto& vpc : v6_vpcs) {
    const int i = number(vpc);
    std::vector<std::string> gateways;
    if (L.igw_of.count(vpc)) gateways.push_back(L.igw_of[vpc]);
    if (eigw_of.count(vpc)) gateways.push_back(eigw_of[vpc]);
    std::vector<int> own_subnets;  // the numbers of the VPC's subnets with a /64
    for (std::size_t s = 0; s < L.subnets_of[vpc].size(); ++s) {
      if (v6_subnets.count(L.subnets_of[vpc][s])) own_subnets.push_back(static_cast<int>(s) + 1);
    }
    for (std::size_t t = 0; t < L.route_tables_of[vpc].size(); ++t) {
      auto& h = L.route_tables_of[vpc][t];
      if (!gateways.empty() && r.chance(t == 0 ? 0.7 : 0.5)) h.route("::/0", r.pick(gateways));
      for (int k = r.uniform(0, 3); k > 0; --k) {
        const int j = r.uniform(1, 3);
        if (j == i && !own_subnets.empty() && r.chance(0.5)) {
          h.route(subnet6(i, r.pick(own_subnets)), r.pick(L.enis_of[vpc]));
          continue;
        }
        static const std::vector<std::string> dests{"::/0", "2001:4860::/32", "2000::/3", "2001:db8::/32"};
        const std::string dest = j == i ? r.pick(dests) : (r.chance(0.5) ? block6(j) : subnet6(j, 1));
        std::vector<std::string> targets = gateways;
        for (const auto& [pcx, other] : L.peers_of[vpc]) targets.push_back(pcx);
        targets.push_back(r.pick(L.enis_of[vpc]));
        if (tgw) targets.push_back("tgw-1");
        if (r.chance(0.1)) {
          h.blackhole(dest, targets.front());
        } else {
          h.route(dest, r.pick(targets));
        }
      }
    }
    if (L.tgw_described && r.chance(0.5)) L.route_tables_of[vpc].front().route("2600:1f18::/32", "tgw-1");
    if (r.chance(0.1)) {
      static const std::vector<std::string> missing{"igw-9", "eni-999", "pcx-99"};
      auto h = r.pick(L.route_tables_of[vpc]);
      h.route_to_missing(r.chance(0.5) ? "2001:db8::/32" : "2000::/3", r.pick(missing));
    }
    // An internet gateway's edge table sends a subnet's /64 to an appliance, as for IPv4.
    for (auto& edge : L.edge_tables_of[vpc]) {
      if (v6_subnets.count(L.subnets_of[vpc].front()) && r.chance(0.5))
        edge.route(subnet6(i, 1), r.pick(L.enis_of[vpc]));
    }
  }
  // Transit gateway tables: static IPv6 routes and blackholes beside the propagated blocks.
  for (auto& h : L.tgw_tables) {
    for (int k = r.uniform(0, 2); k > 0; --k) {
      static const std::vector<std::string> dests{"::/0", "2600:1f18:100::/56", "2600:1f18:200::/56",
                                                  "2600:1f18:300::/56", "2001:db8::/32"};
      if (L.tgw_attachments.empty() || r.chance(0.2)) {
        h.blackhole(r.pick(dests));
      } else {
        h.route(r.pick(dests), r.pick(L.tgw_attachments));
      }
    }
  }
}

SampledStart random_packet6(const model::Network& n, Rng& r) {
  SampledStart out;
  model::Packet& p = out.packet;
  p.ip_version = 6;
  std::vector<std::string> enis;
  std::vector<Ipv6Address> dsts{ip6("2001:4860:4860::8888"), ip6("2001:db8::1"), ip6("2a00:1450:4001::1")};
  for (const auto& [id, e] : n.network_interfaces) {
    if ((e.in_sets() || !e.live()) && e.has_ipv6()) enis.push_back(id);
    for (const auto& a : e.ipv6_addresses) dsts.push_back(a);
    for (const auto& d : e.ipv6_delegated_prefixes) dsts.push_back(in_prefix(d, 5));
  }
  for (const auto& [id, vpc] : n.vpcs) {
    // Unassigned addresses of the block: in the first subnet's /64, and in no subnet at all.
    for (const auto& b : vpc.ipv6_cidrs) {
      dsts.push_back({b.addr.hi | 1U, 0x99});
      dsts.push_back({b.addr.hi | 0xffU, 1});
    }
  }
  if (enis.empty() || r.chance(0.3)) {
    out.from = "internet";
    static const std::vector<std::string> srcs{"2001:db8::9", "2001:4860:4860::8844", "2a00:1450:4001::2"};
    p.src_ip6 = ip6(r.pick(srcs));
    // At the edges: bogons (outside 2000::/3: never from the internet) and an address of a VPC.
    if (r.chance(0.2)) {
      static const std::vector<std::string> edges{"fd00::1", "fe80::1",          "::1",
                                                  "ff02::1", "64:ff9b::808:808", "2600:1f18:100:1::11"};
      p.src_ip6 = ip6(r.pick(edges));
    }
  } else {
    out.from = r.pick(enis);
    const auto& e = n.network_interfaces.at(out.from);
    std::vector<Ipv6Address> own = e.ipv6_addresses;
    for (const auto& d : e.ipv6_delegated_prefixes) own.push_back(in_prefix(d, 5));
    p.src_ip6 = r.pick(own);
    // Now and then an address it does not own: its source/destination check decides.
    if (r.chance(0.05)) p.src_ip6 = r.pick(dsts);
  }
  p.dst_ip6 = r.pick(dsts);
  // From the internet, mostly to an ENI's address: the gateways and filters decide, not a miss.
  if (out.from == "internet" && r.chance(0.6)) {
    std::vector<Ipv6Address> owned;
    for (const auto& [id, e] : n.network_interfaces) {
      for (const auto& a : e.ipv6_addresses) owned.push_back(a);
    }
    if (!owned.empty()) p.dst_ip6 = r.pick(owned);
  }
  // With a transit gateway, often an address of another VPC, the traffic a TGW carries.
  if (!n.transit_gateways.empty() && out.from != "internet" && r.chance(0.5)) {
    const auto& own = n.network_interfaces.at(out.from).vpc_id;
    std::vector<Ipv6Address> others;
    for (const auto& [id, e] : n.network_interfaces) {
      if (e.vpc_id != own && !e.ipv6_addresses.empty()) others.push_back(e.ipv6_addresses.front());
    }
    if (!others.empty()) p.dst_ip6 = r.pick(others);
  }
  if (r.chance(0.15)) {
    static const std::vector<std::string> edges{"fd00::5", "fe80::1",          "ff02::1",
                                                "::1",     "64:ff9b::808:808", "fd00:ec2::254"};
    p.dst_ip6 = ip6(r.pick(edges));
  }
  static const std::vector<int> protos{model::kTcp, model::kTcp, model::kUdp, model::kIcmpv6, 50};
  p.protocol = static_cast<std::uint8_t>(r.pick(protos));
  static const std::vector<int> ports{22, 80, 443, 53, 1000, 1500, 49152, 0, 5, 65535};
  if (p.protocol == model::kTcp || p.protocol == model::kUdp) {
    p.src_port = static_cast<std::uint16_t>(r.pick(ports));
    p.dst_port = static_cast<std::uint16_t>(r.pick(ports));
  } else if (p.protocol == model::kIcmpv6) {
    // Echo request 128 (and its reply 129), destination unreachable 1, time exceeded 3,
    // neighbour solicitation 135 (RFC 4443, RFC 4861).
    static const std::vector<int> types{128, 128, 129, 1, 3, 135};
    p.dst_port = static_cast<std::uint16_t>(r.pick(types));
    p.src_port = static_cast<std::uint16_t>(r.uniform(0, 1));
  }
  return out;
}

}  // namespace random_detail

model::Network random_dual_stack_network(std::uint32_t seed) {
  random_detail::Rng r{std::mt19937(seed)};
  NetworkBuilder b;
  random_detail::Layout layout;
  random_detail::ipv4_draws(r, b, layout);
  random_detail::ipv6_draws(r, b, layout);
  random_detail::gateway_endpoint_draws(r, b, layout);  // last: the draws before keep their values
  return b.build();
}

}  // namespace vpcprove::testing
