// SPDX-License-Identifier: Apache-2.0
// The IPv6 draws of the tiny dual-stack networks (tiny_network.h), after the IPv4 ones.
//
// Addresses: VPC V's block 2600:1f18:V::/56, subnet S's /64 2600:1f18:V:S::/64 (an IPv6-only
// subnet's 2600:1f18:V:9::/64), eni-K's address 2600:1f18:V:S::1K (a second ::2K) and delegated
// prefix 2600:1f18:V:S:K+1::/80: disjoint by construction, so no two ENIs own one address.
#include "tests/exhaustive/tiny_network.h"

namespace vpcprove::exhaustive::tiny_detail {

namespace {

std::string block6(const std::string& v) { return "2600:1f18:" + v + "::/56"; }
std::string subnet6(const std::string& v, const std::string& s) {
  return "2600:1f18:" + v + ":" + s + "::/64";
}

/** The rules' protocols for IPv6: those of IPv4 with ICMPv6 for ICMP, and an ICMP (IPv4) rule,
 *  which no ICMPv6 packet matches. */
model::L4Match random_l4_6(Rng& r) {
  switch (r.uniform(0, 10)) {
    case 0:
    case 1:
      return testing::any_l4();
    case 2:
      return testing::tcp(22);
    case 3:
      return testing::tcp(80, 443);
    case 4:
      return testing::tcp(1024, 65535);
    case 5:
      return testing::udp(53);
    case 6:
      return testing::udp(1024, 65535);
    case 7:
      return testing::icmpv6();
    case 8:
      return testing::icmpv6(128, r.chance(0.5) ? -1 : 0);
    case 9:
      return testing::icmp();
    default:
      return testing::proto(50);
  }
}

}  // namespace

void ipv6_draws(Rng& r, NetworkBuilder& b, Layout& L, Tiny& t) {
  std::set<std::string> v6_vpcs, v6_subnets;
  std::map<std::string, std::string> eigw_of, v6_subnet_cidr;
  std::vector<std::string> eni_addresses;                   // /128s rules may name
  std::map<std::string, std::vector<std::string>> enis_of;  // per VPC, IPv6 or not (appliances)
  for (const auto& e : t.enis) enis_of[L.vpc_of_eni[e]].push_back(e);

  // Blocks; an egress-only gateway on most VPCs without an internet gateway, some with one.
  for (const auto& vpc : L.vpc_ids) {
    if (!r.chance(0.85)) continue;
    const std::string v = vpc.substr(4);
    v6_vpcs.insert(vpc);
    L.vpc_handles.at(vpc).ipv6(block6(v));
    if (L.igw_of.count(vpc) ? r.chance(0.35) : r.chance(0.8)) {
      eigw_of[vpc] = "eigw-" + v;
      b.eigw(eigw_of[vpc], vpc);
    }
  }
  for (const auto& s : L.subnets) {
    const std::string& vpc = L.vpc_of[s];
    if (!v6_vpcs.count(vpc) || !r.chance(0.85)) continue;
    v6_subnet_cidr[s] = subnet6(vpc.substr(4), s.substr(7));
    L.subnet_handles.at(s).ipv6(v6_subnet_cidr[s]);
    v6_subnets.insert(s);
  }
  // ENIs in a subnet with a /64: most an address, some a second, some a delegated /80.
  for (const auto& e : t.enis) {
    const std::string& s = L.subnet_of_eni[e];
    if (!v6_subnets.count(s) || !r.chance(0.8)) continue;
    const std::string base = "2600:1f18:" + L.vpc_of_eni[e].substr(4) + ":" + s.substr(7) + ":";
    const std::string k = e.substr(4);
    std::vector<std::string> addresses{base + ":1" + k};
    if (r.chance(0.15)) addresses.push_back(base + ":2" + k);
    auto& h = L.eni_handles.at(e);
    h.ipv6(addresses);
    if (r.chance(0.1)) h.ipv6_prefix(base + n(std::stoi(k) + 1) + "::/80");
    eni_addresses.push_back(addresses.front() + "/128");
  }
  // Now and then an IPv6-only subnet with an ENI that has no IPv4 address (eni-6, eni-7: eni-9 is a
  // missing route target).
  for (const auto& vpc : v6_vpcs) {
    if (!r.chance(0.2)) continue;
    const std::string v = vpc.substr(4);
    const std::string s = "subnet-" + n(6 + std::stoi(v)), id = "eni-" + n(6 + std::stoi(v));
    auto sh = b.ipv6_only_subnet(s, vpc, "2600:1f18:" + v + ":9::/64");
    if (L.tables_of[vpc].size() > 1 && L.tables_of[vpc][1].id().back() == 'c' && r.chance(0.5))
      sh.route_table(L.tables_of[vpc][1]);  // rtb-Vc, the custom table (rtb-Ve is an edge table)
    for (const auto& [acl, acl_vpc] : L.custom_nacls) {
      if (acl_vpc == vpc && r.chance(0.5)) sh.nacl(acl);
    }
    auto e = b.ipv6_only_eni(id, s, {"2600:1f18:" + v + ":9::1" + n(6 + std::stoi(v))});
    e.groups({r.pick(L.sgs_of[vpc])});
    if (r.chance(0.15)) e.source_dest_check(false);
    t.enis.push_back(id);
    L.vpc_of_eni[id] = vpc;
    L.subnet_of_eni[id] = s;
    L.subnet_handles.emplace(s, sh);
    L.eni_handles.emplace(id, e);
    enis_of[vpc].push_back(id);
    v6_subnets.insert(s);
    v6_subnet_cidr[s] = "2600:1f18:" + v + ":9::/64";
  }

  // A peering carries both blocks unless a side shares less: one /64, or nothing.
  if (L.peering) {
    if (v6_vpcs.count("vpc-1") && !L.subnets_of["vpc-1"].empty() && r.chance(0.25)) {
      const std::string& s = L.subnets_of["vpc-1"].front();
      L.peering->accepter_ipv6_cidrs({subnet6("1", s.substr(7))});
    }
    if (r.chance(0.15)) L.peering->requester_ipv6_cidrs({});
  }

  // Security groups: IPv6 peers from a small pool (group references already match both families).
  std::vector<std::string> peers{"::/0", "::/0", "2001:db8::/32"};
  for (const auto& vpc : v6_vpcs) peers.push_back(block6(vpc.substr(4)));
  for (const auto& [s, c] : v6_subnet_cidr) peers.push_back(c);
  for (const auto& a : eni_addresses) peers.push_back(a);
  for (auto& [sg, g] : L.sg_handles) {
    const std::string vpc = "vpc-" + sg.substr(3, 1);
    auto peer = [&] { return r.chance(0.1) ? r.pick(L.sgs_of[vpc]) : r.pick(peers); };
    for (int k = r.uniform(0, 2); k > 0; --k) g.ingress(random_l4_6(r), peer());
    for (int k = r.uniform(0, 1); k > 0; --k) g.egress(random_l4_6(r), peer());
    if (r.chance(0.6)) g.egress_all("::/0");
  }

  // NACLs: IPv6 entries numbered among the IPv4 ones (one list in AWS, first match per family),
  // and often a last allow of ::/0; a deny now and then in a default NACL (which allows ::/0 at 101).
  std::vector<std::string> acl_cidrs{"::/0", "::/0", "2001:db8::/32", "2000::/3"};
  for (const auto& vpc : v6_vpcs) acl_cidrs.push_back(block6(vpc.substr(4)));
  for (const auto& [s, c] : v6_subnet_cidr) acl_cidrs.push_back(c);
  static const std::vector<int> numbers{95, 105, 115, 125, 150, 205};
  for (auto& [acl, vpc] : L.custom_nacls) {
    for (int k = r.uniform(0, 3); k > 0; --k) {
      const int number = r.pick(numbers);
      const bool allow = r.chance(0.7);
      if (r.chance(0.5)) {
        acl.ingress(number, allow, random_l4_6(r), r.pick(acl_cidrs));
      } else {
        acl.egress(number, allow, random_l4_6(r), r.pick(acl_cidrs));
      }
    }
    if (r.chance(0.7)) acl.allow_in(210, testing::any_l4(), "::/0").allow_out(210, testing::any_l4(), "::/0");
  }
  for (const auto& vpc : v6_vpcs) {
    if (!r.chance(0.15)) continue;
    auto acl = b.default_nacl(vpc);
    if (r.chance(0.5)) {
      acl.deny_in(90, random_l4_6(r), r.pick(acl_cidrs));
    } else {
      acl.deny_out(90, random_l4_6(r), r.pick(acl_cidrs));
    }
  }

  // Routes: ::/0 to the VPC's gateways, internet prefixes, the other VPC's block over the
  // peering, and a subnet's /64 of the VPC's own block only to an ENI (a route more specific than
  // the local one must name a whole subnet block and an ENI, a NAT gateway or a Gateway Load
  // Balancer endpoint: https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html,
  // "Rules and considerations").
  for (const auto& vpc : v6_vpcs) {
    const std::string v = vpc.substr(4), other = v == "0" ? "1" : "0";
    std::vector<std::string> gateways, own_subnets;
    if (L.igw_of.count(vpc)) gateways.push_back(L.igw_of[vpc]);
    if (eigw_of.count(vpc)) gateways.push_back(eigw_of[vpc]);
    for (const auto& s : L.subnets_of[vpc]) {
      if (v6_subnet_cidr.count(s)) own_subnets.push_back(v6_subnet_cidr[s]);
    }
    std::vector<std::string> targets = gateways;
    targets.insert(targets.end(), gateways.begin(), gateways.end());
    targets.push_back("tgw-0");
    if (L.peering) targets.insert(targets.end(), {"pcx-01", "pcx-01"});
    std::vector<std::string> dests{"::/0", "2000::/3", "2001:db8::/32"};
    if (L.peering) dests.insert(dests.end(), {block6(other), block6(other)});
    for (auto& rt : L.tables_of[vpc]) {
      std::set<std::string> used;
      const bool edge = rt.id().back() == 'e';  // rtb-Ve: an internet gateway's edge table
      if (edge) {
        // Routes the IPv6 packets entering by the gateway, as for IPv4: a subnet's /64 to an appliance.
        if (!own_subnets.empty() && !enis_of[vpc].empty() && r.chance(0.5))
          rt.route(r.pick(own_subnets), r.pick(enis_of[vpc]));
        continue;
      }
      if (!gateways.empty() && r.chance(0.7)) {
        rt.route("::/0", r.pick(gateways));
        used.insert("::/0");
      }
      // Often the other VPC's block: over the peering, or the transit gateway when it is
      // described (its tables hold the blocks the attachments propagate); else few IPv6 packets
      // would ever cross either.
      if (v6_vpcs.count("vpc-" + other) && (L.peering || !L.tgw_tables.empty()) && r.chance(0.6)) {
        const bool pcx = L.peering && (L.tgw_tables.empty() || r.chance(0.5));
        rt.route(block6(other), pcx ? "pcx-01" : "tgw-0");
        used.insert(block6(other));
      }
      for (int k = r.uniform(0, 2); k > 0; --k) {
        if (!own_subnets.empty() && !enis_of[vpc].empty() && r.chance(0.2)) {
          const std::string dest = r.pick(own_subnets);
          if (used.insert(dest).second) rt.route(dest, r.pick(enis_of[vpc]));
          continue;
        }
        const std::string dest = r.pick(dests);
        if (!used.insert(dest).second) continue;  // one route per destination
        if (r.chance(0.1)) {
          rt.blackhole(dest, gateways.empty() ? "igw-gone" : gateways.front());
        } else if (r.chance(0.08)) {
          static const std::vector<std::string> missing{"igw-9", "eni-9", "pcx-9"};
          rt.route_to_missing(dest, r.pick(missing));
        } else {
          std::vector<std::string> to = targets;
          for (const auto& e : enis_of[vpc]) to.push_back(e);
          rt.route(dest, r.pick(to));
        }
      }
    }
  }
  // The transit gateway (when described): VPC attachments propagate their IPv6 blocks; static
  // IPv6 routes and blackholes beside them, and a route across it now and then.
  for (auto& h : L.tgw_tables) {
    for (int k = r.uniform(0, 1); k > 0; --k) {
      static const std::vector<std::string> dests{"::/0", "2600:1f18:0::/56", "2600:1f18:1::/56"};
      h.blackhole(r.pick(dests));
    }
  }
  if (!L.tgw_tables.empty()) {
    for (const auto& vpc : v6_vpcs) {
      if (r.chance(0.4)) L.tables_of[vpc].front().route("2600:1f18::/32", "tgw-0");
    }
  }
}

}  // namespace vpcprove::exhaustive::tiny_detail
