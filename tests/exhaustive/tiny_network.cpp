// SPDX-License-Identifier: Apache-2.0
// The IPv4 draws of the tiny networks (tiny_network.h), moved here from exhaustive_test.cpp unchanged.
#include "tests/exhaustive/tiny_network.h"

namespace vpcprove::exhaustive {

using testing::NetworkBuilder;

namespace {

// The few values everything is drawn from. Rule ports are 22, 53, 80-443, 1024-65535 and all;
// packets try each bound and its neighbours.
model::L4Match random_l4(Rng& r) {
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
      return testing::icmp();
    case 8:
      return testing::icmp(8, r.chance(0.5) ? -1 : 0);
    case 9:
      return testing::tcp(0, 65535);
    default:
      return testing::proto(50);
  }
}

/** The draws of tiny_network, then (dual_stack) those of tiny_dual_stack_network. */
Tiny draw(std::uint32_t seed, bool dual_stack) {
  Rng r{std::mt19937(seed)};
  NetworkBuilder b;
  const int vpcs = r.uniform(1, 2);
  const int subnet_count = r.uniform(vpcs, 3);
  std::vector<std::string> vpc_ids, subnets;
  std::map<std::string, std::string> vpc_of, cidr_of, igw_of, nat_of;
  std::map<std::string, std::vector<std::string>> subnets_of, sgs_of;
  std::map<std::string, NetworkBuilder::SubnetHandle> handles;
  std::map<std::string, NetworkBuilder::VpcHandle> vpc_handles;
  for (int v = 0; v < vpcs; ++v) {
    const std::string vpc = "vpc-" + n(v);
    vpc_ids.push_back(vpc);
    vpc_handles.emplace(vpc, b.vpc(vpc, "10." + n(v) + ".0.0/16"));
    if (r.chance(0.8)) {
      igw_of[vpc] = "igw-" + n(v);
      b.igw(igw_of[vpc], vpc);
    }
    sgs_of[vpc] = {"sg-" + n(v) + "a", "sg-" + n(v) + "b"};
  }
  for (int s = 0; s < subnet_count; ++s) {
    // The first subnets go one per VPC, so every VPC has one.
    const std::string vpc = s < vpcs ? vpc_ids[static_cast<std::size_t>(s)] : r.pick(vpc_ids);
    const std::string id = "subnet-" + n(s);
    const std::string cidr = "10." + vpc.substr(4) + "." + n(s) + ".0/24";
    handles.emplace(id, b.subnet(id, vpc, cidr));
    subnets.push_back(id);
    vpc_of[id] = vpc;
    cidr_of[id] = cidr;
    subnets_of[vpc].push_back(id);
  }
  auto host = [&](const std::string& subnet, int h) {
    const std::string& c = cidr_of[subnet];
    return c.substr(0, c.size() - 4) + n(h);  // "10.v.s." + h
  };

  // ENIs, each a workload with one or two private IPs, maybe a public IP.
  Tiny t;
  std::vector<std::string> eni_peers;  // /32s rules may name
  std::map<std::string, std::string> vpc_of_eni, subnet_of_eni;
  std::map<std::string, NetworkBuilder::EniHandle> eni_handles;
  const int eni_count = r.uniform(2, 4);
  for (int k = 0; k < eni_count; ++k) {
    const std::string subnet = r.pick(subnets);
    const std::string id = "eni-" + n(k);
    std::vector<std::string> ips{host(subnet, 10 + k)};
    if (r.chance(0.15)) ips.push_back(host(subnet, 20 + k));
    auto e = b.eni(id, subnet, ips);
    if (r.chance(0.5)) e.public_ip("54.0.0." + n(k + 1));
    if (r.chance(0.15)) e.source_dest_check(false);
    const auto& groups = sgs_of[vpc_of[subnet]];
    switch (r.uniform(0, 9)) {
      case 0:
        break;  // no group: passes nothing
      case 1:
        e.groups({groups[0], groups[1]});
        break;
      default:
        e.groups({r.pick(groups)});
    }
    t.enis.push_back(id);
    vpc_of_eni[id] = vpc_of[subnet];
    subnet_of_eni[id] = subnet;
    eni_handles.emplace(id, e);
    eni_peers.push_back(ips[0] + "/32");
  }

  // NAT gateways (public or private) in a random subnet of their VPC.
  for (const auto& vpc : vpc_ids) {
    if (!r.chance(0.4)) continue;
    const std::string subnet = r.pick(subnets_of[vpc]);
    nat_of[vpc] = "nat-" + vpc.substr(4);
    b.nat(nat_of[vpc], subnet, host(subnet, 100), r.chance(0.8) ? "54.0.1." + vpc.substr(4) : "");
  }
  std::string pcx;
  std::optional<NetworkBuilder::PeeringHandle> peering;
  if (vpcs == 2 && r.chance(0.7)) {
    pcx = "pcx-01";
    auto p = b.peering(pcx, "vpc-0", "vpc-1");
    peering = p;
    if (r.chance(0.3)) p.accepter_cidrs({cidr_of[subnets_of["vpc-1"].front()]});
  }

  // Security groups: a few rules over the value pools, including references to groups.
  std::map<std::string, NetworkBuilder::SgHandle> sg_handles;
  std::vector<std::string> peers{"0.0.0.0/0", "10.0.0.0/8", "8.8.8.0/24", "54.0.0.0/24"};
  for (const auto& s : subnets) peers.push_back(cidr_of[s]);
  for (const auto& e : eni_peers) peers.push_back(e);
  for (const auto& vpc : vpc_ids) {
    for (const auto& sg : sgs_of[vpc]) {
      auto g = b.sg(sg, vpc);
      sg_handles.emplace(sg, g);
      const int in = r.uniform(1, 3), out = r.uniform(0, 2);
      auto peer = [&] { return r.chance(0.15) ? r.pick(sgs_of[vpc]) : r.pick(peers); };
      for (int i = 0; i < in; ++i) g.ingress(random_l4(r), peer());
      for (int i = 0; i < out; ++i) g.egress(random_l4(r), peer());
      if (r.chance(0.7)) g.egress_all();
    }
  }

  // NACLs: the default allows all; sometimes a custom one with ordered allow/deny entries.
  std::vector<std::pair<NetworkBuilder::NaclHandle, std::string>> custom_nacls;
  std::vector<std::string> acl_cidrs{"0.0.0.0/0", "10.0.0.0/8", "8.8.8.0/24", "54.0.0.0/24"};
  for (const auto& s : subnets) acl_cidrs.push_back(cidr_of[s]);
  for (const auto& vpc : vpc_ids) {
    if (!r.chance(0.5)) continue;
    const std::string id = "acl-" + vpc.substr(4) + "c";
    auto acl = b.nacl(id, vpc);
    custom_nacls.emplace_back(acl, vpc);
    const int entries = r.uniform(1, 4);
    for (int i = 0; i < entries; ++i) {
      const int number = 100 + 10 * r.uniform(0, 5);
      const bool allow = r.chance(0.7);
      if (r.chance(0.5)) {
        acl.ingress(number, allow, random_l4(r), r.pick(acl_cidrs));
      } else {
        acl.egress(number, allow, random_l4(r), r.pick(acl_cidrs));
      }
    }
    if (r.chance(0.7)) acl.allow_in(200, testing::any_l4()).allow_out(200, testing::any_l4());
    for (const auto& s : subnets_of[vpc]) {
      if (r.chance(0.6)) handles.at(s).nacl(id);
    }
  }

  // Routes: in the main table and sometimes a custom table, over the address pool.
  std::map<std::string, std::vector<NetworkBuilder::RouteTableHandle>> tables_of;  // main first
  std::map<std::string, std::vector<std::string>> dests_of;                        // per VPC
  std::map<std::string, std::set<std::string>> used_of;                            // per table
  for (const auto& vpc : vpc_ids) {
    const std::string v = vpc.substr(4);
    const std::string other = v == "0" ? "1" : "0";
    std::vector<std::string> targets{"blackhole", "tgw-0"};
    if (igw_of.count(vpc)) targets.insert(targets.end(), {igw_of[vpc], igw_of[vpc], igw_of[vpc]});
    if (nat_of.count(vpc)) targets.insert(targets.end(), {nat_of[vpc], nat_of[vpc]});
    if (!pcx.empty()) targets.insert(targets.end(), {pcx, pcx, pcx});
    for (const auto& e : t.enis) {
      if (vpc_of_eni[e] == vpc) targets.push_back(e);
    }
    std::vector<std::string> dests{"0.0.0.0/0", "0.0.0.0/0", "8.8.8.0/24", "54.0.0.0/24",
                                   "10." + other + ".0.0/16"};
    if (vpcs == 2) dests.push_back(cidr_of[subnets_of["vpc-" + other].front()]);
    dests_of[vpc] = dests;
    auto add_routes = [&](NetworkBuilder::RouteTableHandle rt) {
      tables_of[vpc].push_back(rt);
      const int count = r.uniform(0, 3);
      std::set<std::string>& used = used_of[rt.id()];
      for (int i = 0; i < count; ++i) {
        const std::string dest = r.pick(dests);
        if (!used.insert(dest).second) continue;  // AWS allows one route per destination
        const std::string target = r.pick(targets);
        if (target == "blackhole") {
          rt.blackhole(dest, igw_of.count(vpc) ? igw_of[vpc] : "igw-gone");
        } else {
          rt.route(dest, target);
        }
      }
    };
    add_routes(b.main_route_table(vpc));
    if (r.chance(0.5)) {
      auto rt = b.route_table("rtb-" + v + "c", vpc);
      add_routes(rt);
      const std::string s = r.pick(subnets_of[vpc]);
      handles.at(s).route_table(rt);
    }
  }
  // Appended draws (those above keep their order): a database's ENI, a Network Load Balancer
  // without groups, an ENI that is not attached or whose instance is stopped, a delegated
  // prefix (a /31 here, to keep the enumeration small: the model treats any length alike).
  for (std::size_t k = 0; k < t.enis.size(); ++k) {
    auto& e = eni_handles.at(t.enis[k]);
    switch (r.uniform(0, 11)) {
      case 0:
        e.kind(model::InterfaceKind::Database);
        break;
      case 1:
        e.group_less_nlb();
        break;
      case 2:
        e.inactive(r.chance(0.5) ? "ENI_NOT_ATTACHED" : "INSTANCE_NOT_RUNNING");
        break;
      case 3:
        e.delegated_prefix(host(subnet_of_eni[t.enis[k]], 40 + 2 * static_cast<int>(k)) + "/31");
        break;
      default:
        break;
    }
  }

  // Draws appended after the ones above (which keep their order and meaning).
  for (const auto& vpc : vpc_ids) {
    // An edge table on the internet gateway: it routes every packet entering, replies to the
    // NAT gateway included; to an appliance of the VPC, or by the local route alone.
    if (igw_of.count(vpc) && r.chance(0.3)) {
      auto edge = b.route_table("rtb-" + vpc.substr(4) + "e", vpc);
      edge.edge(igw_of[vpc]);
      std::vector<std::string> own;
      for (const auto& e : t.enis) {
        if (vpc_of_eni[e] == vpc) own.push_back(e);
      }
      tables_of[vpc].push_back(edge);
      if (!own.empty() && r.chance(0.7)) {
        const std::string dest = cidr_of[r.pick(subnets_of[vpc])];
        edge.route(dest, r.pick(own));
        used_of[edge.id()].insert(dest);
      }
    }
    // A secondary CIDR in a public range that internet hosts of kInternet use (8.8.8.0/24):
    // they are still the internet.
    if (r.chance(0.2)) vpc_handles.at(vpc).cidr("8.8.8.0/24");
  }
  // Missing references (docs/semantics.md, "Proofs and assumptions"): an active route to a
  // target the network lacks (the converter's form: it leaves the model), in any table of the
  // VPC, the edge table included (which routes the VPC's subnets); security-group rules naming a
  // group or prefix list the network lacks (they match no address).
  for (const auto& vpc : vpc_ids) {
    if (!r.chance(0.25)) continue;
    static const std::vector<std::string> missing{"igw-9", "nat-9", "eni-9", "pcx-9"};
    auto rt = r.pick(tables_of[vpc]);
    std::vector<std::string> dests = dests_of[vpc];
    for (const auto& s : subnets_of[vpc]) dests.push_back(cidr_of[s]);
    const std::string dest = r.pick(dests);
    const std::string target = r.pick(missing);
    if (used_of[rt.id()].insert(dest).second) rt.route_to_missing(dest, target);
  }
  for (auto& [id, g] : sg_handles) {
    if (!r.chance(0.15)) continue;
    const std::string peer = r.chance(0.5) ? "sg-9" : "pl-9";
    if (r.chance(0.5)) {
      g.ingress(random_l4(r), peer);
    } else {
      g.egress(random_l4(r), peer);
    }
  }
  // Transit gateways: now and then tgw-0 (a route target above) is described: subnets in two
  // zones, an attachment per VPC (most of the time) with a subnet in some zones, one or two TGW
  // route tables with propagated, static and blackhole routes, and sometimes an inspection
  // table at an attachment subnet that sends through an ENI of the VPC.
  std::vector<NetworkBuilder::TgwRouteTableHandle> described_tgw_tables;
  if (r.chance(0.5)) {
    for (const auto& s : subnets) handles.at(s).zone(r.chance(0.5) ? "us-east-1a" : "us-east-1b");
    b.transit_gateway("tgw-0");
    std::vector<NetworkBuilder::TgwRouteTableHandle> tgw_tables{b.tgw_route_table("tgw-rtb-0", "tgw-0")};
    if (r.chance(0.4)) tgw_tables.push_back(b.tgw_route_table("tgw-rtb-1", "tgw-0"));
    described_tgw_tables = tgw_tables;
    std::vector<std::string> attachments;
    for (const auto& vpc : vpc_ids) {
      if (!r.chance(0.85)) continue;
      std::vector<std::string> chosen;
      for (const auto& s : subnets_of[vpc]) {
        if (r.chance(0.6)) chosen.push_back(s);
      }
      if (chosen.empty()) chosen.push_back(r.pick(subnets_of[vpc]));
      const std::string att = "tgw-attach-" + vpc.substr(4);
      b.tgw_vpc_attachment(att, "tgw-0", vpc, chosen,
                           r.chance(0.1) ? std::string() : r.pick(tgw_tables).id());
      attachments.push_back(att);
      if (r.chance(0.5)) {
        std::vector<std::string> own;
        for (const auto& e : t.enis) {
          if (vpc_of_eni[e] == vpc) own.push_back(e);
        }
        if (!own.empty()) {
          auto rt = b.route_table("rtb-" + vpc.substr(4) + "t", vpc);
          rt.route("10.0.0.0/8", r.pick(own));
          if (r.chance(0.5)) rt.route("0.0.0.0/0", "tgw-0");
          handles.at(r.pick(chosen)).route_table(rt);
        }
      }
    }
    for (auto& h : tgw_tables) {
      for (const auto& att : attachments) {
        if (r.chance(0.6)) h.propagate(att);
      }
      static const std::vector<std::string> dests{"0.0.0.0/0", "10.0.0.0/16", "10.1.0.0/16", "8.8.8.0/24"};
      for (int k = r.uniform(0, 2); k > 0; --k) {
        if (attachments.empty() || r.chance(0.25)) {
          h.blackhole(r.pick(dests));
        } else {
          h.route(r.pick(dests), r.pick(attachments));
        }
      }
    }
  }
  if (dual_stack) {
    tiny_detail::Layout layout{vpc_ids,
                               subnets,
                               vpc_of,
                               igw_of,
                               nat_of,
                               vpc_of_eni,
                               subnet_of_eni,
                               subnets_of,
                               sgs_of,
                               vpc_handles,
                               handles,
                               eni_handles,
                               sg_handles,
                               custom_nacls,
                               tables_of,
                               peering,
                               described_tgw_tables};
    tiny_detail::ipv6_draws(r, b, layout, t);
  }
  t.network = b.build();
  return t;
}

}  // namespace

Tiny tiny_network(std::uint32_t seed) { return draw(seed, false); }

Tiny tiny_dual_stack_network(std::uint32_t seed) { return draw(seed, true); }

}  // namespace vpcprove::exhaustive
