// SPDX-License-Identifier: Apache-2.0
// Bounded-exhaustive soundness: on tiny networks, every relevant packet through trace agrees with reach.
//
// The networks draw their addresses and ports from a few values, so the "relevant" packets (all
// combinations of those values, each port and its neighbours ±1, tcp/udp/icmp/ESP) cover every
// rule boundary. For every ordered pair of endpoints (ENI -> ENI, ENI -> internet, internet ->
// ENI) and both semantics: the prover says unreachable => no enumerated packet gets through;
// a packet gets through => the prover says reachable; the prover says reachable => its witness
// replays through trace with the same disposition and hops. Any disagreement prints the network
// and the packet.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <iostream>
#include <random>
#include <set>
#include <sstream>

#include "model/describe.h"
#include "model/endpoint.h"
#include "queries/reach.h"
#include "tests/support/network_builder.h"
#include "trace/l4_match.h"
#include "trace/trace.h"

namespace vpcprove {
namespace {

using queries::Semantics;
using queries::Verdict;
using testing::NetworkBuilder;

struct Rng {
  std::mt19937 gen;
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(gen); }
  bool chance(double p) { return std::bernoulli_distribution(p)(gen); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(uniform(0, static_cast<int>(v.size()) - 1))];
  }
};

std::string n(int i) { return std::to_string(i); }

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

const std::vector<std::uint16_t> kTcpPorts{0, 21, 22, 23, 79, 80, 81, 442, 443, 444, 1023, 1024, 1025, 65535};
const std::vector<std::uint16_t> kUdpPorts{0, 52, 53, 54, 1023, 1024, 1025, 65535};
const std::vector<std::uint16_t> kSrcPorts{22, 1023, 1024, 49152};
// Internet addresses: inside and outside the rules' 8.8.8.0/24 and 54.0.0.0/24, and elsewhere.
const std::vector<std::string> kInternet{"8.8.8.8", "8.8.9.1", "54.0.0.200", "203.0.113.9"};

/** A tiny random network: 1-2 VPCs, 1-3 subnets, 2-4 workload ENIs, IGW, NAT, peering, rules, and
 *  missing references (a route to a target the network lacks, rules naming a missing group or list). */
struct Tiny {
  model::Network network;
  std::vector<model::Id> enis;  // workload ENIs
};

Tiny tiny_network(std::uint32_t seed) {
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
  if (vpcs == 2 && r.chance(0.7)) {
    pcx = "pcx-01";
    auto p = b.peering(pcx, "vpc-0", "vpc-1");
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
  std::vector<std::string> acl_cidrs{"0.0.0.0/0", "10.0.0.0/8", "8.8.8.0/24", "54.0.0.0/24"};
  for (const auto& s : subnets) acl_cidrs.push_back(cidr_of[s]);
  for (const auto& vpc : vpc_ids) {
    if (!r.chance(0.5)) continue;
    const std::string id = "acl-" + vpc.substr(4) + "c";
    auto acl = b.nacl(id, vpc);
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
  if (r.chance(0.5)) {
    for (const auto& s : subnets) handles.at(s).zone(r.chance(0.5) ? "us-east-1a" : "us-east-1b");
    b.transit_gateway("tgw-0");
    std::vector<NetworkBuilder::TgwRouteTableHandle> tgw_tables{b.tgw_route_table("tgw-rtb-0", "tgw-0")};
    if (r.chance(0.4)) tgw_tables.push_back(b.tgw_route_table("tgw-rtb-1", "tgw-0"));
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
  t.network = b.build();
  return t;
}

// ---------------------------------------------------------------------------------------------
// What a disagreement prints: the whole network, compactly.

std::string dump(const model::Network& net) {
  std::ostringstream o;
  auto prefixes = [](const std::vector<Ipv4Prefix>& ps) {
    std::string s;
    for (const auto& p : ps) s += (s.empty() ? "" : ",") + p.to_string();
    return s;
  };
  for (const auto& [id, v] : net.vpcs) {
    o << id << " " << prefixes(v.cidrs) << " igw=" << v.internet_gateway_id.value_or("-") << "\n";
  }
  for (const auto& [id, s] : net.subnets) {
    o << id << " " << s.vpc_id << " " << s.cidr.to_string() << " rtb=" << s.route_table_id
      << " acl=" << s.nacl_id << "\n";
  }
  for (const auto& [id, e] : net.network_interfaces) {
    o << id << " " << e.subnet_id << " " << model::to_string(e.kind)
      << (e.source_dest_check ? "" : " sdc-off") << (e.unfiltered ? " unfiltered" : "")
      << (e.live() ? "" : " inactive:" + e.inactive_code);
    for (const auto& ip : e.private_ips) {
      o << " " << format_ipv4(ip.address) << (ip.public_ip ? "=" + format_ipv4(*ip.public_ip) : "");
    }
    o << " groups=";
    for (const auto& g : e.security_group_ids) o << g << ";";
    o << "\n";
  }
  for (const auto& [id, g] : net.nat_gateways) {
    o << id << " " << g.subnet_id << " " << format_ipv4(g.private_ip)
      << (g.public_ip ? "=" + format_ipv4(*g.public_ip) : " private") << "\n";
  }
  for (const auto& [id, p] : net.vpc_peerings) {
    o << id << " " << p.requester_vpc_id << "[" << prefixes(p.requester_cidrs) << "] <-> "
      << p.accepter_vpc_id << "[" << prefixes(p.accepter_cidrs) << "]\n";
  }
  for (const auto& [id, rt] : net.route_tables) {
    o << id << (rt.is_main ? " (main)" : "");
    for (const auto& g : rt.gateway_ids) o << " edge=" << g;
    o << ":";
    for (const auto& route : rt.routes) o << "  " << model::describe(route) << ";";
    o << "\n";
  }
  for (const auto& [id, a] : net.transit_gateway_attachments) {
    o << id << " " << a.resource_type << " " << a.resource_id << " rtb=" << a.route_table_id << " subnets=";
    for (const auto& s : a.subnet_ids) o << s << "(" << net.subnets.at(s).availability_zone << ");";
    o << "\n";
  }
  for (const auto& [id, rt] : net.transit_gateway_route_tables) {
    o << id << ":";
    for (const auto& route : rt.routes) o << "  " << model::describe(route) << " " << route.origin << ";";
    o << "\n";
  }
  for (const auto& [id, g] : net.security_groups) {
    for (const auto& rule : g.ingress) o << "  " << model::describe(rule) << "\n";
    for (const auto& rule : g.egress) o << "  " << model::describe(rule) << "\n";
  }
  for (const auto& [id, acl] : net.network_acls) {
    for (const auto& e : acl.ingress) o << "  " << model::describe(e) << " ingress\n";
    for (const auto& e : acl.egress) o << "  " << model::describe(e) << " egress\n";
  }
  return o.str();
}

std::string walk_text(const model::Walk& w) {
  std::string s = model::to_string(w.disposition);
  for (const auto& h : w.hops)
    s += "\n    " + h.at + " " + h.step + " " + h.by + "  [" + model::describe(h.packet) + "]";
  if (w.drop) s += "\n    DROP " + w.drop->at + " " + w.drop->step + " " + w.drop->code;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Enumeration.

/** Every relevant packet from src addresses to dst addresses. */
std::vector<model::Packet> packets(const std::vector<Ipv4Address>& srcs,
                                   const std::vector<Ipv4Address>& dsts) {
  std::vector<model::Packet> out;
  for (const auto s : srcs) {
    for (const auto d : dsts) {
      model::Packet p;
      p.src_ip = s;
      p.dst_ip = d;
      for (const auto sp : kSrcPorts) {
        p.protocol = model::kTcp;
        p.src_port = sp;
        for (const auto dp : kTcpPorts) {
          p.dst_port = dp;
          out.push_back(p);
        }
        p.protocol = model::kUdp;
        for (const auto dp : kUdpPorts) {
          p.dst_port = dp;
          out.push_back(p);
        }
      }
      p.protocol = model::kIcmp;
      for (const std::uint16_t type : {0, 3, 8, 9, 13, 14, 17}) {
        for (const std::uint16_t code : {0, 1}) {
          p.dst_port = type;
          p.src_port = code;
          out.push_back(p);
        }
      }
      p.protocol = 50;
      p.src_port = p.dst_port = 0;
      out.push_back(p);
    }
  }
  return out;
}

struct Counts {
  int networks = 0;
  long pairs = 0;
  long packets = 0;
  long reachable = 0;
  long witnessed_by_enumeration = 0;  // reachable pairs where some enumerated packet got through
  long disagreements = 0;
  long missing_targets_met = 0;  // packets that left by a route target the network lacks
  long missing_rules_met = 0;    // packets stopped where a rule naming a missing group or list might match
  long tgw_entries = 0;          // packets a transit gateway sent into a VPC
};

/** The rules of eni's groups in direction d that name a group or prefix list the network lacks
 *  and whose protocol and ports match p: AWS may match p by them where the model matches nothing. */
std::vector<const model::SgRule*> missing_peer_rules(const model::Network& net, const model::Id& eni,
                                                     model::Direction d, const model::Packet& p) {
  std::vector<const model::SgRule*> out;
  const auto* e = model::Network::find(net.network_interfaces, eni);
  if (!e) return out;
  for (const auto& gid : e->security_group_ids) {
    const auto& g = net.security_groups.at(gid);
    for (const auto& rule : d == model::Direction::Ingress ? g.ingress : g.egress) {
      const bool missing = (rule.peer.rfind("sg-", 0) == 0 && !net.security_groups.count(rule.peer)) ||
                           (rule.peer.rfind("pl-", 0) == 0 && !net.prefix_lists.count(rule.peer));
      if (missing && trace::matches(rule.l4, p)) out.push_back(&rule);
    }
  }
  return out;
}

trace::Start start_of(const std::string& from) {
  return from == "internet" ? trace::Start::internet() : trace::Start::interface(from);
}

void check_pair(std::uint32_t seed, const Tiny& t, queries::Prover& prover, const std::string& from,
                const std::string& to, Semantics semantics, Counts& c) {
  const model::Network& net = t.network;
  std::vector<Ipv4Address> srcs, dsts;
  if (from == "internet") {
    for (const auto& a : kInternet) srcs.push_back(testing::ip(a));
    srcs.push_back(testing::ip("127.0.0.1"));  // a bogon: nothing from the internet comes from it
  } else {
    for (const auto& ip : net.network_interfaces.at(from).private_ips) srcs.push_back(ip.address);
  }
  if (to == "internet") {
    for (const auto& a : kInternet) dsts.push_back(testing::ip(a));
    dsts.push_back(testing::ip("100.64.0.1"));   // RFC 6598: never the internet
    dsts.push_back(testing::ip("192.168.1.1"));  // RFC 1918 outside every VPC
    dsts.push_back(testing::ip("224.0.0.5"));    // multicast, link-local, reserved: not either
    dsts.push_back(testing::ip("169.254.169.254"));
    dsts.push_back(testing::ip("240.0.0.1"));
  } else if (const auto a = parse_ipv4(to)) {
    dsts.push_back(*a);  // an address: an AWS service's, here
  } else {
    for (const auto& ip : net.network_interfaces.at(to).private_ips) {
      dsts.push_back(ip.address);
      if (ip.public_ip) dsts.push_back(*ip.public_ip);
    }
  }
  const queries::ReachQuery q{
      model::resolve_endpoint(net, from),  model::resolve_endpoint(net, to), {}, semantics, 0,
      model::AssumptionPolicy::OpaqueDrops};  // proofs under assumptions, which must list them
  const queries::ReachResult r = prover.reach(q);
  ++c.pairs;
  const std::string where = "seed " + std::to_string(seed) + ", " + from + " -> " + to + " (" +
                            queries::to_string(semantics) + " semantics)";
  if (r.verdict == Verdict::Unknown) {
    ++c.disagreements;
    FAIL(where << ": the prover answered unknown: " << r.unknown_reason << "\n" << dump(net));
    return;
  }

  auto gets_through = [&](const model::Packet& p, model::Walk* forward) {
    if (semantics == Semantics::Packet) {
      *forward = trace::walk(net, start_of(from), p);
    } else {
      const auto sw = trace::walk_session(net, start_of(from), p);
      *forward = sw.forward;
      if (!sw.established) return false;
    }
    if (to == "internet") {
      return forward->disposition == model::Disposition::ExitsInternet && net.is_internet_address(p.dst_ip);
    }
    if (parse_ipv4(to)) {  // reach's address destination: delivered, out, or answered there
      return forward->disposition == model::Disposition::Delivered ||
             forward->disposition == model::Disposition::ExitsInternet ||
             forward->disposition == model::Disposition::AwsService;
    }
    return forward->disposition == model::Disposition::Delivered && forward->endpoint == to;
  };

  bool some_through = false;
  for (const auto& p : packets(srcs, dsts)) {
    ++c.packets;
    model::Walk w;
    const bool through = gets_through(p, &w);
    if (std::any_of(w.hops.begin(), w.hops.end(), [&](const model::Hop& h) {
          return h.step == "tgw" && net.transit_gateway_attachments.count(h.at);
        }))
      ++c.tgw_entries;
    if (!through) {
      // A packet handed to a gateway vpcprove does not follow: a proof must name the gateway as
      // an assumption (docs/semantics.md), never silently count the packet as stopped.
      // A route's target the network lacks is named as such (kind missing-route-target).
      const auto* opaque = model::Network::find(net.opaque_gateways, w.endpoint);
      const bool missing_target = opaque && opaque->missing;
      if (missing_target && w.disposition == model::Disposition::ExitsUnmodelled) ++c.missing_targets_met;
      if (w.disposition == model::Disposition::ExitsUnmodelled && r.verdict == Verdict::Unreachable &&
          std::none_of(r.assumptions.begin(), r.assumptions.end(), [&](const model::Assumption& a) {
            return a.id == w.endpoint &&
                   (!missing_target || a.kind == model::assumption_kind::kMissingRouteTarget);
          })) {
        ++c.disagreements;
        FAIL(where << ": the proof does not list " << w.endpoint << " as an assumption, but "
                   << model::describe(p) << " leaves by it:\n  trace: " << walk_text(w) << "\nnetwork:\n"
                   << dump(net));
        return;
      }
      // A packet the source's egress or the destination's ingress groups stop, which a rule naming
      // a group or prefix list the network lacks might admit: the proof must name the rule.
      if (w.drop && w.drop->code == "ENI_SG_RULES_MISMATCH" && r.verdict == Verdict::Unreachable) {
        const bool egress = w.drop->step == "sg-egress";
        const std::string& eni = egress ? from : to;
        if (w.drop->detail.find("(" + eni + ")") != std::string::npos) {
          const model::Packet& header = w.hops.empty() ? p : w.hops.back().packet;
          for (const auto* rule : missing_peer_rules(
                   net, eni, egress ? model::Direction::Egress : model::Direction::Ingress, header)) {
            ++c.missing_rules_met;
            const char* kind = rule->peer.rfind("sg-", 0) == 0 ? model::assumption_kind::kMissingSecurityGroup
                                                               : model::assumption_kind::kMissingPrefixList;
            if (std::none_of(r.assumptions.begin(), r.assumptions.end(), [&](const model::Assumption& a) {
                  return a.id == rule->label() && a.kind == kind;
                })) {
              ++c.disagreements;
              FAIL(where << ": the proof does not list " << rule->label() << " (naming " << rule->peer
                         << ", which the network lacks), but " << model::describe(p)
                         << " is stopped where it might match:\n  trace: " << walk_text(w) << "\nnetwork:\n"
                         << dump(net));
              return;
            }
          }
        }
      }
      // A packet an appliance forwards: the proof rests on how it forwards (unchanged, or with
      // its source rewritten as a NAT instance does), so it must name the appliance.
      for (const auto& hop : w.hops) {
        if (hop.step != "eni-forward" || r.verdict != Verdict::Unreachable) continue;
        if (std::none_of(r.assumptions.begin(), r.assumptions.end(), [&](const model::Assumption& a) {
              return a.id == hop.at && a.kind == model::assumption_kind::kAppliance;
            })) {
          ++c.disagreements;
          FAIL(where << ": the proof does not list the appliance " << hop.at << ", but " << model::describe(p)
                     << " is forwarded by it:\n  trace: " << walk_text(w) << "\nnetwork:\n"
                     << dump(net));
          return;
        }
      }
      continue;
    }
    some_through = true;
    if (r.verdict == Verdict::Unreachable) {
      ++c.disagreements;
      std::string reasons;
      for (const auto& x : r.reasons)
        reasons += "\n    " + x.at + " " + x.step + " " + x.code + " " + x.detail;
      FAIL(where << ": the prover says unreachable, but " << model::describe(p)
                 << " gets through:\n  trace: " << walk_text(w) << "\n  reasons:" << reasons << "\nnetwork:\n"
                 << dump(net));
      return;
    }
  }
  if (r.verdict != Verdict::Reachable) return;
  ++c.reachable;
  if (some_through) ++c.witnessed_by_enumeration;

  // A witness through an appliance names it.
  for (const auto& hop : r.path) {
    if (hop.step == "eni-forward" &&
        std::none_of(r.assumptions.begin(), r.assumptions.end(), [&](const model::Assumption& a) {
          return a.id == hop.at && a.kind == model::assumption_kind::kAppliance;
        })) {
      ++c.disagreements;
      FAIL(where << ": the witness passes the appliance " << hop.at << " but does not list it\nnetwork:\n"
                 << dump(net));
      return;
    }
  }

  // The witness must replay: same disposition, same hops, and it must get through.
  const model::Walk w = trace::walk(net, start_of(*r.from_member), *r.packet);
  model::Walk ignored;
  const bool through = gets_through(*r.packet, &ignored);
  const bool same = w.disposition == r.disposition && w.hops == r.path;
  if (!same || !through || (from != "internet" && *r.from_member != from)) {
    ++c.disagreements;
    std::string hops;
    for (const auto& h : r.path)
      hops += "\n    " + h.at + " " + h.step + " " + h.by + "  [" + model::describe(h.packet) + "]";
    FAIL(where << ": the witness " << *r.from_member << " " << model::describe(*r.packet) << " ("
               << model::to_string(r.disposition) << ")" << hops << "\ndoes not replay (gets through: "
               << through << "):\n  trace: " << walk_text(w) << "\nnetwork:\n"
               << dump(net));
  }
}

Counts run(std::uint32_t first_seed, int networks) {
  Counts c;
  for (std::uint32_t seed = first_seed; seed < first_seed + static_cast<std::uint32_t>(networks); ++seed) {
    const Tiny t = tiny_network(seed);
    queries::Prover prover(t.network);
    ++c.networks;
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& a : t.enis) {
      for (const auto& b : t.enis) {
        if (a != b) pairs.emplace_back(a, b);
      }
      pairs.emplace_back(a, "internet");
      pairs.emplace_back("internet", a);
      // The AWS services no filter applies to: metadata, and the VPC's DNS server (base + 2).
      pairs.emplace_back(a, "169.254.169.254");
      const auto& vpc = t.network.vpcs.at(t.network.network_interfaces.at(a).vpc_id);
      pairs.emplace_back(a, format_ipv4(vpc.cidrs.front().addr + 2));
    }
    for (const auto& [from, to] : pairs) {
      check_pair(seed, t, prover, from, to, Semantics::Packet, c);
      check_pair(seed, t, prover, from, to, Semantics::Session, c);
      if (c.disagreements > 0) return c;
    }
  }
  return c;
}

// Optimised builds check 150 networks (about 7 s of CPU); Debug and sanitizer builds, 10x slower, 30.
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
constexpr int kNetworks = 150;
#else
constexpr int kNetworks = 30;
#endif

}  // namespace

TEST_CASE("on tiny networks no enumerated packet contradicts the prover and every witness replays",
          "[exhaustive]") {
  const auto begin = std::chrono::steady_clock::now();
  const Counts c = run(1, kNetworks);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::cout << "exhaustive: " << c.networks << " networks, " << c.pairs << " (pair, semantics) questions, "
            << c.packets << " packets through trace, " << c.reachable << " reachable ("
            << c.witnessed_by_enumeration << " also found by enumeration), " << c.disagreements
            << " disagreements, " << c.missing_targets_met << " packets left by a missing route target, "
            << c.missing_rules_met << " stopped where a rule naming a missing group or list might match, "
            << c.tgw_entries << " sent into a VPC by a transit gateway, " << seconds << " s\n";
  CHECK(c.disagreements == 0);
  CHECK(c.networks == kNetworks);
  // The generator must produce both answers often, or the test proves little.
  CHECK(c.reachable > c.pairs / 10);
  CHECK(c.reachable < c.pairs - c.pairs / 10);
  // And missing references, whose assumptions the proofs must list.
  CHECK(c.missing_targets_met > 0);
  CHECK(c.missing_rules_met > 0);
  // And transit gateways, whose routing both sides follow.
  CHECK(c.tgw_entries > 4000);  // 8,034 at 150 networks
}

TEST_CASE("the tiny-network generator is deterministic and obeys its bounds", "[exhaustive]") {
  for (std::uint32_t seed = 1; seed <= 50; ++seed) {
    const Tiny a = tiny_network(seed), b = tiny_network(seed);
    CHECK(dump(a.network) == dump(b.network));
    CHECK(a.network.vpcs.size() <= 2);
    CHECK(a.network.subnets.size() <= 3);
    CHECK(a.enis.size() >= 2);
    CHECK(a.enis.size() <= 4);
  }
}

}  // namespace vpcprove
