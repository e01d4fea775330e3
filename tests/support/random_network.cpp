// SPDX-License-Identifier: Apache-2.0
// The random network and packet generators of the differential tests: the IPv4 draws
// (random_dual_stack.cpp adds the IPv6 ones).
#include <set>

#include "tests/support/random_draws.h"

namespace vpcprove::testing {

namespace random_detail {

namespace {

model::L4Match random_l4(Rng& r) {
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
      return udp(1000, 2000);
    case 7:
      return icmp();
    case 8:
      return icmp(8, r.chance(0.5) ? -1 : 0);
    default:
      return proto(50);
  }
}

}  // namespace

void ipv4_draws(Rng& r, NetworkBuilder& b, Layout& layout) {
  const int vpcs = r.uniform(1, 3);
  auto& vpc_ids = layout.vpc_ids;
  auto& all_subnets = layout.all_subnets;
  auto& all_enis = layout.all_enis;
  auto& subnets_of = layout.subnets_of;
  auto& enis_of = layout.enis_of;
  auto& sgs_of = layout.sgs_of;
  auto& nats_of = layout.nats_of;
  auto& igw_of = layout.igw_of;
  auto& vpc_handles = layout.vpc_handles;
  auto& subnet_handles = layout.subnet_handles;
  auto& eni_handles = layout.eni_handles;
  auto& sg_handles = layout.sg_handles;
  auto& route_tables_of = layout.route_tables_of;
  auto& edge_tables_of = layout.edge_tables_of;
  auto& peering_handles = layout.peering_handles;
  auto& custom_nacls = layout.custom_nacls;
  auto& peers_of = layout.peers_of;
  auto& tgw_tables = layout.tgw_tables;
  auto& tgw_attachments = layout.tgw_attachments;
  bool& tgw_drawn = layout.tgw;
  bool& tgw_described = layout.tgw_described;
  std::set<std::string> edged;  // VPCs given an edge table

  for (int i = 1; i <= vpcs; ++i) {
    const std::string vpc = "vpc-" + v(i);
    vpc_ids.push_back(vpc);
    vpc_handles.emplace(vpc, b.vpc(vpc, "10." + v(i) + ".0.0/16"));
    if (r.chance(0.75)) {
      igw_of[vpc] = "igw-" + v(i);
      b.igw(igw_of[vpc], vpc);
    }
    const int subnets = r.uniform(1, 3);
    for (int s = 1; s <= subnets; ++s) {
      const std::string sn = "subnet-" + v(i) + v(s);
      subnet_handles.emplace(sn, b.subnet(sn, vpc, "10." + v(i) + "." + v(s) + ".0/24"));
      subnets_of[vpc].push_back(sn);
      all_subnets.push_back(sn);
    }
    const int groups = r.uniform(1, 3);
    for (int g = 1; g <= groups; ++g) sgs_of[vpc].push_back("sg-" + v(i) + v(g));
  }
  for (const auto& vpc : vpc_ids) {
    const int i = vpc.back() - '0';
    for (std::size_t s = 0; s < subnets_of[vpc].size(); ++s) {
      const std::string& sn = subnets_of[vpc][s];
      const std::string net = "10." + v(i) + "." + v(static_cast<int>(s) + 1) + ".";
      const int enis = r.uniform(1, 3);
      for (int k = 1; k <= enis; ++k) {
        const std::string id = "eni-" + v(i) + v(static_cast<int>(s) + 1) + v(k);
        std::vector<std::string> ips{net + v(10 + k)};
        if (r.chance(0.2)) ips.push_back(net + v(100 + k));
        auto e = b.eni(id, sn, ips);
        if (r.chance(0.45)) e.public_ip("54.0." + v(i) + "." + v(static_cast<int>(s) * 10 + k));
        if (r.chance(0.15)) e.public_ip(ips.back(), "54.1." + v(i) + "." + v(static_cast<int>(s) * 10 + k));
        std::vector<std::string> groups;
        const int ng = r.uniform(0, 2);
        for (int g = 0; g < ng; ++g) groups.push_back(r.pick(sgs_of[vpc]));
        if (r.chance(0.9) && groups.empty()) groups.push_back(r.pick(sgs_of[vpc]));
        e.groups(groups);
        if (r.chance(0.2)) e.source_dest_check(false);
        enis_of[vpc].push_back(id);
        all_enis.push_back(id);
        eni_handles.emplace(id, e);
      }
      if (s == 0 && r.chance(0.5)) {
        const std::string nat = "nat-" + v(i);
        b.nat(nat, sn, net + "5", r.chance(0.8) ? "3.0.0." + v(i) : "");
        nats_of[vpc].push_back(nat);
      }
    }
  }
  for (int i = 0; i < vpcs; ++i) {
    for (int j = i + 1; j < vpcs; ++j) {
      if (!r.chance(0.5)) continue;
      const std::string pcx = "pcx-" + v(i + 1) + v(j + 1);
      auto p = b.peering(pcx, vpc_ids[static_cast<std::size_t>(i)], vpc_ids[static_cast<std::size_t>(j)]);
      peering_handles.emplace(pcx, p);
      if (r.chance(0.3)) p.accepter_cidrs({"10." + v(j + 1) + ".1.0/24"});
      peers_of[vpc_ids[static_cast<std::size_t>(i)]].push_back({pcx, vpc_ids[static_cast<std::size_t>(j)]});
      peers_of[vpc_ids[static_cast<std::size_t>(j)]].push_back({pcx, vpc_ids[static_cast<std::size_t>(i)]});
    }
  }
  const bool tgw = r.chance(0.15);
  tgw_drawn = tgw;
  if (tgw) b.opaque_gateway("tgw-1", vpc_ids);

  // Security groups: peers from a small pool, group references included.
  for (const auto& vpc : vpc_ids) {
    const int i = vpc.back() - '0';
    for (const auto& sg : sgs_of[vpc]) {
      auto h = b.sg(sg, vpc);
      sg_handles.emplace(sg, h);
      auto peer = [&]() -> std::string {
        switch (r.uniform(0, 6)) {
          case 0:
          case 1:
            return "0.0.0.0/0";
          case 2:
            return "10." + v(i) + ".0.0/16";
          case 3:
            return "10." + v(r.uniform(1, 3)) + "." + v(r.uniform(1, 3)) + ".0/24";
          case 4:
            return r.pick(sgs_of[r.pick(vpc_ids)]);
          case 5:
            return "203.0.113.0/24";
          default:
            return "10." + v(i) + ".1.11/32";
        }
      };
      for (int k = r.uniform(0, 3); k > 0; --k) h.ingress(random_l4(r), peer());
      for (int k = r.uniform(0, 3); k > 0; --k) h.egress(random_l4(r), peer());
    }
  }

  // NACLs: some subnets get a custom one with ordered allow/deny entries.
  int acl_n = 0;
  for (const auto& sn : all_subnets) {
    if (!r.chance(0.4)) continue;
    const std::string vpc = "vpc-" + std::string(1, sn[7]);
    const std::string acl = "acl-" + v(++acl_n);
    auto a = b.nacl(acl, vpc);
    custom_nacls.emplace_back(a, vpc);
    auto cidr = [&]() -> std::string {
      switch (r.uniform(0, 4)) {
        case 0:
        case 1:
          return "0.0.0.0/0";
        case 2:
          return "10." + v(r.uniform(1, 3)) + ".0.0/16";
        case 3:
          return "10." + v(r.uniform(1, 3)) + "." + v(r.uniform(1, 3)) + ".0/24";
        default:
          return "54.0.0.0/8";
      }
    };
    static const int numbers[] = {90, 100, 110, 120, 200};
    for (int k = r.uniform(0, 4); k > 0; --k)
      a.ingress(numbers[r.uniform(0, 4)], r.chance(0.65), random_l4(r), cidr());
    for (int k = r.uniform(0, 4); k > 0; --k)
      a.egress(numbers[r.uniform(0, 4)], r.chance(0.65), random_l4(r), cidr());
    subnet_handles.at(sn).nacl(acl);
  }

  // Route tables: the main table and maybe a custom one per VPC, with random routes.
  int rtb_n = 0;
  for (const auto& vpc : vpc_ids) {
    std::vector<std::string> tables;
    const int custom = r.uniform(0, 2);
    for (int t = 0; t < custom; ++t) tables.push_back("rtb-" + v(++rtb_n));
    auto fill = [&](NetworkBuilder::RouteTableHandle h) {
      for (int k = r.uniform(0, 3); k > 0; --k) {
        static const std::vector<std::string> dests{"0.0.0.0/0",   "0.0.0.0/0",   "8.8.8.0/24",
                                                    "54.0.0.0/8",  "10.1.0.0/16", "10.2.0.0/16",
                                                    "10.3.0.0/16", "10.2.1.0/24", "3.0.0.0/8"};
        const std::string& dest = r.pick(dests);
        std::vector<std::string> targets;
        if (igw_of.count(vpc)) targets.push_back(igw_of[vpc]);
        for (const auto& n : nats_of[vpc]) targets.push_back(n);
        for (const auto& [pcx, other] : peers_of[vpc]) targets.push_back(pcx);
        targets.push_back(r.pick(enis_of[vpc]));
        if (tgw) targets.push_back("tgw-1");
        if (r.chance(0.1)) {
          h.blackhole(dest, targets.front());
        } else {
          h.route(dest, r.pick(targets));
        }
      }
    };
    route_tables_of[vpc].push_back(b.main_route_table(vpc));
    for (const auto& t : tables) route_tables_of[vpc].push_back(b.route_table(t, vpc));
    for (const auto& h : route_tables_of[vpc]) fill(h);
    for (const auto& sn : subnets_of[vpc]) {
      if (!tables.empty() && r.chance(0.6)) subnet_handles.at(sn).route_table(r.pick(tables));
    }
    // Ingress routing now and then: the IGW's edge table sends one prefix to an appliance.
    if (igw_of.count(vpc) && r.chance(0.1)) {
      auto edge = b.route_table("rtb-edge-" + vpc, vpc);
      edge.edge(igw_of[vpc]);
      edge.route("10." + std::string(1, vpc.back()) + ".1.0/24", r.pick(enis_of[vpc]));
      edged.insert(vpc);
      edge_tables_of[vpc].push_back(edge);
    }
  }

  // Appended draws (those above keep their order): ENIs that are not an instance's, Network
  // Load Balancers without groups, delegated prefixes, and ENIs that are not attached or whose
  // instance is stopped.
  for (const auto& id : all_enis) {
    auto& e = eni_handles.at(id);
    switch (r.uniform(0, 19)) {
      case 0:
        e.kind(model::InterfaceKind::LoadBalancer);
        break;
      case 1:
        e.kind(model::InterfaceKind::Database);
        break;
      case 2:
        e.kind(model::InterfaceKind::Lambda);
        break;
      case 3:
        e.kind(model::InterfaceKind::VpcEndpoint);
        break;
      case 4:
        e.kind(model::InterfaceKind::Other);
        break;
      case 5:
      case 6:
        e.group_less_nlb();
        break;
      case 7:
        e.inactive("ENI_NOT_ATTACHED");
        break;
      case 8:
        e.inactive("INSTANCE_NOT_RUNNING");
        break;
      default:
        break;
    }
    // eni-ISK delegates 10.I.S.(128 + 16(K-1))/28: clear of every other address of the subnet.
    if (r.chance(0.12)) {
      const std::string net = "10." + id.substr(4, 1) + "." + id.substr(5, 1) + ".";
      e.delegated_prefix(net + v(128 + 16 * (id[6] - '1')) + "/28");
    }
  }

  // Draws appended after the ones above (which keep their order and meaning).

  // Edge tables where a NAT gateway lives: the replies to the NAT enter through the table too,
  // to an appliance (the Network Firewall layout) or by its local route alone.
  for (const auto& vpc : vpc_ids) {
    if (!igw_of.count(vpc) || nats_of[vpc].empty() || edged.count(vpc) || !r.chance(0.3)) continue;
    auto edge = b.route_table("rtb-edge-nat-" + vpc, vpc);
    edge.edge(igw_of[vpc]);
    edge_tables_of[vpc].push_back(edge);
    if (r.chance(0.7)) edge.route("10." + std::string(1, vpc.back()) + ".1.0/24", r.pick(enis_of[vpc]));
  }
  // A VPC in a public range that real internet hosts also use (8.8.0.0/16 holds the packets'
  // 8.8.8.8, 8.8.8.9 and 8.8.4.4): it is still the internet for everyone else.
  if (r.chance(0.3)) {
    b.vpc("vpc-4", "8.8.0.0/16");
    b.igw("igw-4", "vpc-4");
    b.subnet("subnet-41", "vpc-4", "8.8.8.0/24");
    auto g = b.sg("sg-41", "vpc-4");
    for (int k = r.uniform(1, 3); k > 0; --k)
      g.ingress(random_l4(r), r.chance(0.5) ? "0.0.0.0/0" : "8.8.0.0/16");
    g.egress_all();
    const int count = r.uniform(1, 2);
    for (int k = 1; k <= count; ++k) {
      auto e = b.eni("eni-41" + v(k), "subnet-41", {"8.8.8." + v(10 + k)});
      if (r.chance(0.7)) e.public_ip("54.4.0." + v(k));
      e.groups({"sg-41"});
    }
    b.main_route_table("vpc-4").route("0.0.0.0/0", "igw-4");
  }
  // Missing references (docs/semantics.md, "Proofs and assumptions"): an active route to a
  // target the network lacks leaves the model (the converter's form); a security-group rule
  // naming a group or prefix list the network lacks matches no address. The destinations hold
  // the packets' 8.8.8.8, 8.8.8.9, 10.9.9.9, 54.9.9.9 and 203.0.113.7 and the ENIs' public IPs
  // 54.0.V.x (0.0.0.0/1 takes half of what a default route would); mostly in the main table,
  // which most subnets use.
  for (const auto& vpc : vpc_ids) {
    if (!r.chance(0.3)) continue;
    static const std::vector<std::string> missing{"igw-9", "nat-9", "eni-999", "pcx-99"};
    static const std::vector<std::string> dests{"0.0.0.0/1",   "8.8.8.0/25",     "10.9.0.0/16",
                                                "54.9.0.0/16", "203.0.113.0/24", "54.0.0.0/16"};
    auto h = r.chance(0.7) ? route_tables_of[vpc].front() : r.pick(route_tables_of[vpc]);
    h.route_to_missing(r.pick(dests), r.pick(missing));
  }
  for (auto& [id, h] : sg_handles) {
    if (!r.chance(0.1)) continue;
    const std::string peer = r.chance(0.5) ? "sg-99" : "pl-99";
    if (r.chance(0.5)) {
      h.ingress(random_l4(r), peer);
    } else {
      h.egress(random_l4(r), peer);
    }
  }
  // Transit gateways (docs/semantics.md, "Transit gateways"): most of the time tgw-1 (drawn
  // above, else now and then a new one) is described: attachments with a subnet in some of their VPC's zones,
  // 1-3 route tables with static, propagated and blackhole routes, an attachment vpcprove does not follow (a
  // VPN), and inspection-style tables at the attachment subnets that send through an appliance.
  if (tgw ? r.chance(0.85) : r.chance(0.2)) {
    static const std::vector<std::string> zones{"us-east-1a", "us-east-1b", "us-east-1c"};
    for (const auto& sn : all_subnets) subnet_handles.at(sn).zone(r.pick(zones));
    b.transit_gateway("tgw-1");
    tgw_described = true;
    std::vector<std::string> tables;
    const int ntables = r.uniform(1, 3);
    for (int t = 1; t <= ntables; ++t) tables.push_back("tgw-rtb-" + v(t));
    std::vector<NetworkBuilder::TgwRouteTableHandle> handles;
    for (const auto& t : tables) handles.push_back(b.tgw_route_table(t, "tgw-1"));
    auto associate = [&]() -> std::string { return r.chance(0.1) ? std::string() : r.pick(tables); };
    std::vector<std::string> attachments;
    for (const auto& vpc : vpc_ids) {
      if (!r.chance(0.85)) continue;
      std::vector<std::string> chosen;
      for (const auto& sn : subnets_of[vpc]) {
        if (r.chance(0.6)) chosen.push_back(sn);
      }
      if (chosen.empty()) chosen.push_back(r.pick(subnets_of[vpc]));
      const std::string att = "tgw-attach-" + std::string(1, vpc.back());
      b.tgw_vpc_attachment(att, "tgw-1", vpc, chosen, associate());
      attachments.push_back(att);
      // More of the VPC's traffic to the TGW: the main table sends other VPCs' space there.
      if (r.chance(0.8))
        route_tables_of[vpc].front().route(r.chance(0.7) ? "10.0.0.0/8" : "0.0.0.0/0", "tgw-1");
      // An inspection-style table at one attachment subnet: through an appliance of the VPC.
      if (r.chance(0.35)) {
        auto t = b.route_table("rtb-tgw-" + vpc, vpc);
        t.route("10.0.0.0/8", r.pick(enis_of[vpc]));
        if (r.chance(0.5))
          t.route("0.0.0.0/0", r.chance(0.5) || nats_of[vpc].empty() ? "tgw-1" : nats_of[vpc][0]);
        subnet_handles.at(r.pick(chosen)).route_table("rtb-tgw-" + vpc);
      }
    }
    // Groups that let traffic between the VPCs out, and some in, so packets meet the TGW.
    for (auto& [id, h] : sg_handles) {
      if (r.chance(0.85)) h.egress(r.chance(0.7) ? any_l4() : random_l4(r), "10.0.0.0/8");
      if (r.chance(0.4)) h.ingress(r.chance(0.5) ? any_l4() : random_l4(r), "10.0.0.0/8");
    }
    if (r.chance(0.3)) {
      b.tgw_other_attachment("tgw-attach-9", "tgw-1", "vpn", associate());
      attachments.push_back("tgw-attach-9");
    }
    tgw_tables = handles;
    tgw_attachments = attachments;
    for (auto& h : handles) {
      for (const auto& att : attachments) {
        if (att != "tgw-attach-9" && r.chance(0.5)) h.propagate(att);
      }
      static const std::vector<std::string> dests{"10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.2.1.0/24",
                                                  "10.1.1.0/24", "0.0.0.0/0",   "8.8.8.0/24",  "54.0.0.0/8"};
      for (int k = r.uniform(0, 3); k > 0; --k) {
        if (attachments.empty() || r.chance(0.2)) {
          h.blackhole(r.pick(dests));
        } else {
          h.route(r.pick(dests), r.pick(attachments));
        }
      }
    }
  }
}

void gateway_endpoint_draws(Rng& r, NetworkBuilder& b, Layout& layout) {
  // Gateway endpoints (docs/semantics.md, "Gateway endpoints"): an S3-like service whose list
  // holds the packets' 54.9.9.9 (random_packet also aims at 52.216.0.0/15 where one exists); its
  // prefix-list route in some of the VPC's tables, now and then beside (and shadowing part of) a
  // default route; rarely a plain CIDR route to it, which drops what the service does not own,
  // or a route to another VPC's endpoint. 8.8.8.0/24 holds the packets' 8.8.8.8 and 8.8.8.9.
  bool listed = false;
  std::vector<std::string> endpoints;
  for (const auto& vpc : layout.vpc_ids) {
    if (!r.chance(0.35)) continue;
    if (!listed) b.prefix_list("pl-s3", {"52.216.0.0/15", "54.9.0.0/16", "3.5.0.0/20"});
    listed = true;
    const std::string id = "vpce-s3" + std::string(1, vpc.back());
    b.gateway_endpoint(id, vpc, "pl-s3");
    endpoints.push_back(id);
    for (auto& h : layout.route_tables_of[vpc]) {
      if (r.chance(0.8)) h.prefix_list_route("pl-s3", id);
    }
    if (r.chance(0.3)) {
      auto h = r.pick(layout.route_tables_of[vpc]);
      h.route(r.chance(0.5) ? "203.0.113.0/24" : "8.8.8.0/24", id);
    }
  }
  if (endpoints.size() > 1 && r.chance(0.2)) {
    const auto& vpc = r.pick(layout.vpc_ids);
    auto h = r.pick(layout.route_tables_of[vpc]);
    h.route("52.216.0.0/16", r.pick(endpoints));
  }
}

}  // namespace random_detail

using random_detail::Layout;
using random_detail::Rng;
using random_detail::v;

model::Network random_network(std::uint32_t seed) {
  Rng r{std::mt19937(seed)};
  NetworkBuilder b;
  Layout layout;
  random_detail::ipv4_draws(r, b, layout);
  random_detail::gateway_endpoint_draws(r, b, layout);
  return b.build();
}

SampledStart random_packet(const model::Network& n, std::mt19937& gen) {
  Rng r{std::move(gen)};
  if (n.has_ipv6() && r.chance(0.5)) {
    // Only on networks with IPv6, so those without keep their packets.
    SampledStart out = random_detail::random_packet6(n, r);
    gen = std::move(r.gen);
    return out;
  }
  SampledStart out;
  std::vector<std::string> enis;
  std::vector<Ipv4Address> dsts{ip("8.8.8.8"), ip("8.8.8.9"), ip("203.0.113.7"), ip("10.9.9.9"),
                                ip("54.9.9.9")};
  for (const auto& [id, e] : n.network_interfaces) {
    // Inactive ENIs too: asked for by ID they are answered (they send nothing). Not those of an
    // IPv6-only subnet, which have no IPv4 address to send from.
    if ((e.in_sets() || !e.live()) && !e.private_ips.empty()) enis.push_back(id);
    for (const auto& p : e.private_ips) {
      // One address of a delegated prefix (the fifth) stands for its sixteen in the pool.
      if (p.delegated && (p.address & 15u) != 5u) continue;
      dsts.push_back(p.address);
      if (p.public_ip) dsts.push_back(*p.public_ip);
    }
  }
  for (const auto& [id, nat] : n.nat_gateways) {
    dsts.push_back(nat.private_ip);
    if (nat.public_ip) dsts.push_back(*nat.public_ip);
  }
  model::Packet& p = out.packet;
  if (enis.empty() || r.chance(0.25)) {
    out.from = "internet";
    static const std::vector<std::string> srcs{"203.0.113.9", "8.8.4.4", "198.51.100.1"};
    p.src_ip = ip(r.pick(srcs));
  } else {
    out.from = r.pick(enis);
    const auto& e = n.network_interfaces.at(out.from);
    p.src_ip = r.pick(e.private_ips).address;
  }
  p.dst_ip = r.pick(dsts);
  static const std::vector<int> protos{model::kTcp, model::kTcp, model::kUdp, model::kIcmp, 50};
  p.protocol = static_cast<std::uint8_t>(r.pick(protos));
  static const std::vector<int> ports{22, 80, 443, 53, 1000, 1500, 49152, 0, 5, 65535};
  if (p.protocol == model::kTcp || p.protocol == model::kUdp) {
    p.src_port = static_cast<std::uint16_t>(r.pick(ports));
    p.dst_port = static_cast<std::uint16_t>(r.pick(ports));
  } else if (p.protocol == model::kIcmp) {
    static const std::vector<int> types{8, 0, 3};
    p.dst_port = static_cast<std::uint16_t>(r.pick(types));
    p.src_port = static_cast<std::uint16_t>(r.uniform(0, 1));
  }
  // Draws appended after the ones above.
  // ICMP queries other than echo, whose replies have types of their own (13 -> 14, ...).
  if (p.protocol == model::kIcmp && r.chance(0.4)) {
    static const std::vector<int> types{13, 14, 15, 17, 18, 11};
    p.dst_port = static_cast<std::uint16_t>(r.pick(types));
  }
  // Addresses at the edges of "internet": bogons, link-local services, the VPC's DNS server.
  if (r.chance(0.15)) {
    static const std::vector<std::string> edges{"169.254.169.254", "169.254.169.253", "169.254.169.123",
                                                "127.0.0.1",       "0.0.0.7",         "224.0.0.5",
                                                "240.0.0.1",       "100.64.0.1",      "169.254.1.1"};
    if (out.from != "internet" && r.chance(0.3)) {
      const auto& vpc = n.vpcs.at(n.network_interfaces.at(out.from).vpc_id);
      p.dst_ip = vpc.cidrs.front().addr + 2;  // the Amazon DNS server
    } else {
      p.dst_ip = ip(r.pick(edges));
    }
  }
  // Internet sources at the edges: bogons (never from the internet) and addresses inside a VPC's
  // public CIDR (8.8.0.0/16 when vpc-4 exists: still internet hosts).
  if (out.from == "internet" && r.chance(0.2)) {
    static const std::vector<std::string> srcs{"8.8.8.50",  "8.8.8.11",  "127.0.0.1",
                                               "10.1.1.11", "224.0.0.9", "0.1.2.3"};
    p.src_ip = ip(r.pick(srcs));
  }
  // With a gateway endpoint (only then, so other networks keep their packets): often an address
  // of its service, or one a CIDR route to an endpoint holds (8.8.8.8, 203.0.113.7).
  if (!n.gateway_endpoints.empty() && r.chance(0.5)) {
    static const std::vector<std::string> service{"52.216.237.77", "52.217.0.1", "3.5.1.2",
                                                  "54.9.0.1",      "8.8.8.8",    "203.0.113.7"};
    p.dst_ip = ip(r.pick(service));
    // Where the sender's table has a CIDR route to an endpoint, now and then into that CIDR.
    const auto* sn = out.from == "internet"
                         ? nullptr
                         : model::Network::find(n.subnets, n.network_interfaces.at(out.from).subnet_id);
    const auto* table = sn ? model::Network::find(n.route_tables, sn->route_table_id) : nullptr;
    for (const auto& route : table ? table->routes : std::vector<model::Route>{}) {
      if (n.gateway_endpoints.count(route.target_id) && !route.prefix_list_id && r.chance(0.5))
        p.dst_ip = route.destination.addr + 7;
    }
  }
  // With a transit gateway (only then, so other networks keep their packets): often a private
  // address of another VPC, the traffic a TGW carries.
  if (!n.transit_gateways.empty() && out.from != "internet" && r.chance(0.5)) {
    const auto& own = n.network_interfaces.at(out.from).vpc_id;
    std::vector<Ipv4Address> others;
    for (const auto& [id, e] : n.network_interfaces) {
      if (e.vpc_id != own && !e.private_ips.empty()) others.push_back(e.private_ips.front().address);
    }
    if (!others.empty()) p.dst_ip = r.pick(others);
  }
  gen = std::move(r.gen);
  return out;
}

}  // namespace vpcprove::testing
