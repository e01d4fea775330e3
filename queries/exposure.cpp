// SPDX-License-Identifier: Apache-2.0
// exposure: per behaviour class, the header space from the internet cut at every rule boundary.
#include "queries/exposure.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "queries/assumptions.h"
#include "queries/exposure_geometry.h"
#include "queries/exposure_ipv6.h"
#include "queries/exposure_pieces.h"
#include "queries/exposure_solver.h"

namespace vpcprove::queries {

using graph::StepKind;
using model::Id;
using namespace exposure_detail;

const std::vector<SensitivePort>& sensitive_ports() {
  static const std::vector<SensitivePort> ports{
      {22, "ssh"},      {3389, "rdp"},      {5432, "postgresql"},     {3306, "mysql"},   {1433, "mssql"},
      {6379, "redis"},  {27017, "mongodb"}, {9200, "elasticsearch"},  {5984, "couchdb"}, {11211, "memcached"},
      {2375, "docker"}, {2379, "etcd"},     {6443, "kubernetes-api"}, {5900, "vnc"},     {23, "telnet"},
      {21, "ftp"},      {445, "smb"},       {135, "msrpc"},           {1521, "oracle"},  {9042, "cassandra"},
      {5601, "kibana"}, {8086, "influxdb"}, {9092, "kafka"},          {5672, "amqp"},    {25, "smtp"}};
  return ports;
}

std::vector<PortRange> merge_ranges(std::vector<PortRange> ranges) {
  std::sort(ranges.begin(), ranges.end());
  std::vector<PortRange> out;
  for (const auto& r : ranges) {
    if (!out.empty() && std::uint32_t{out.back().hi} + 1 >= r.lo) {
      out.back().hi = std::max(out.back().hi, r.hi);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

namespace {

/** true when some address of p is an internet address (outside every excluded block). */
bool has_internet_address(const Ipv4Prefix& p, const std::vector<Ipv4Prefix>& excluded) {
  for (const auto& x : excluded) {
    if (x.contains(p)) return false;
  }
  const bool split =
      std::any_of(excluded.begin(), excluded.end(), [&](const Ipv4Prefix& x) { return p.contains(x); });
  if (!split) return true;  // no excluded block inside it either: all of it is internet
  const auto len = static_cast<std::uint8_t>(p.len + 1);
  return has_internet_address(Ipv4Prefix::make(p.addr, len), excluded) ||
         has_internet_address(Ipv4Prefix::make(p.addr | (Ipv4Address{1} << (32 - len)), len), excluded);
}

/** true when some address of p is an internet address. */
bool has_internet_address(const Ipv4Prefix& p) { return has_internet_address(p, non_internet_blocks()); }

/** Per security group and NACL, which ingress rules / entries can match an internet source. */
struct InternetRules {
  std::unordered_map<Id, std::vector<char>> sg_rules;
  std::unordered_map<Id, std::vector<char>> acl_entries;
};

InternetRules internet_rules(const model::Network& n) {
  InternetRules out;
  out.sg_rules.reserve(n.security_groups.size());
  for (const auto& [id, g] : n.security_groups) {
    auto& keep = out.sg_rules[id];
    for (const auto& r : g.ingress) {
      keep.push_back(std::any_of(r.peer_prefixes.begin(), r.peer_prefixes.end(),
                                 [](const Ipv4Prefix& p) { return has_internet_address(p); }));
    }
  }
  for (const auto& [id, acl] : n.network_acls) {
    auto& keep = out.acl_entries[id];
    for (const auto& e : acl.ingress) keep.push_back(has_internet_address(e.cidr));
  }
  return out;
}

/**
 * A packet-semantics class decided without the solver, when its only way in is the plain one
 * (queries/exposure_geometry.h): the same pieces the solver would decide, each by interval
 * geometry over internet sources. The destination part of the path holds for every packet or
 * for none: the solver's pin (dst is a public IP in publics) and igw-ingress (its gateway maps
 * the address: the address's owner is in a VPC of that gateway, PathEncoder::ingress_map) then
 * owns-dst (the mapped private IP is the ENI's, as publics is built). When no address of
 * publics is the gateway's, the class goes back to the solver rather than be called closed.
 */
std::optional<ClassAnswer> geometric_answer(const model::Network& net, const graph::ForwardingGraph& g,
                                            const std::vector<const graph::Path*>& class_paths,
                                            const model::NetworkInterface& rep,
                                            const std::vector<Ipv4Address>& publics,
                                            const InternetRules& internet, RuleNames& names) {
  if (class_paths.size() != 1 || !plain_way_in(g, *class_paths[0], rep, net)) return std::nullopt;
  const model::Id& gateway = g.edge(class_paths[0]->edges.front()).steps.front().id;
  const bool addressed = std::any_of(publics.begin(), publics.end(), [&](Ipv4Address pub) {
    const auto* owner = net.interface_with_public_ip(pub);
    const auto* vpc = owner ? model::Network::find(net.vpcs, owner->vpc_id) : nullptr;
    return vpc && vpc->internet_gateway_id == gateway;
  });
  if (!addressed) return std::nullopt;
  // The filters of the plain way in (nacl-ingress of rep's subnet, sg-ingress of rep), cut only
  // where a rule can match an internet source: as the solver's copy seen_from_internet is cut.
  std::vector<const model::L4Match*> filters;
  const auto& subnet = net.subnets.at(rep.subnet_id);
  if (const auto* acl = model::Network::find(net.network_acls, subnet.nacl_id)) {
    const auto& keep = internet.acl_entries.at(acl->id);
    for (std::size_t i = 0; i < acl->ingress.size(); ++i) {
      if (keep[i]) filters.push_back(&acl->ingress[i].l4);
    }
  }
  for (const auto& gid : rep.security_group_ids) {
    const auto* sg = model::Network::find(net.security_groups, gid);
    if (!sg) continue;
    const auto& keep = internet.sg_rules.at(gid);
    for (std::size_t i = 0; i < sg->ingress.size(); ++i) {
      if (keep[i]) filters.push_back(&sg->ingress[i].l4);
    }
  }
  return plain_answer(net, rep, filters, names, 4);
}

/** The owner of a public IP that the internet can address (not a NAT's). */
bool addressable(const model::Network& n, const model::NetworkInterface& eni) {
  return std::any_of(eni.private_ips.begin(), eni.private_ips.end(), [&](const model::PrivateIp& p) {
    return p.public_ip && !n.nat_gateway_with_public_ip(*p.public_ip) &&
           n.interface_with_public_ip(*p.public_ip) == &eni;
  });
}

/** VPCs whose internet gateway has an edge route table: there the destination address decides. */
std::set<Id> vpcs_with_ingress_routing(const model::Network& n) {
  std::set<Id> out;
  for (const auto& [id, t] : n.route_tables) {
    if (!t.gateway_ids.empty()) out.insert(t.vpc_id);
  }
  return out;
}

/**
 * The network as a packet from the internet sees it until something rewrites its source:
 * ingress SG peers and ingress NACL entries that hold no internet address can never match
 * such a packet, so dropping them changes no answer (first match among the NACL entries left
 * is the same entry). It matters for speed: group references expand to one /32 per member,
 * hundreds of disjuncts Z3 would otherwise refute one check at a time.
 */
model::Network seen_from_internet(const model::Network& n) {
  // The internet is every address outside these (a VPC's CIDR included: cli-contract).
  const std::vector<Ipv4Prefix>& excluded = non_internet_blocks();
  model::Network out = n;
  for (auto& [id, g] : out.security_groups) {
    for (auto& r : g.ingress) {
      std::vector<Ipv4Prefix> keep;
      for (const auto& p : r.peer_prefixes) {
        if (has_internet_address(p, excluded)) keep.push_back(p);
      }
      if (keep.empty()) r.l4.matches_nothing = true;
      r.peer_prefixes = std::move(keep);
    }
  }
  for (auto& [id, acl] : out.network_acls) {
    std::erase_if(acl.ingress,
                  [&](const model::NaclEntry& e) { return !has_internet_address(e.cidr, excluded); });
  }
  out.index();
  return out;
}

/** Steps after which the source is no longer the internet host's address. */
bool rewrites_source(const graph::ForwardingGraph& g, const graph::Path& p) {
  for (auto e : p.edges) {
    for (const auto& s : g.edge(e).steps) {
      if (s.kind == StepKind::NatTranslate || s.kind == StepKind::IgwEgress) return true;
    }
  }
  return false;
}

}  // namespace

ExposureResult exposure(const model::Network& original, const ExposureOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  ExposureResult out;
  const auto routed = vpcs_with_ingress_routing(original);

  // Behaviour classes. Without ingress routing the only way in is igw-ingress, nacl-ingress of
  // the ENI's subnet, sg-ingress, deliver: it depends on the VPC, the subnet's NACL (not the
  // subnet itself), the groups in order and whether the ENI has a public IP. With an edge
  // route table the address decides the way: one class per ENI there.
  std::unordered_map<std::string, std::size_t> by_key;
  by_key.reserve(original.network_interfaces.size());
  std::vector<Id> reps;
  std::vector<std::vector<Id>> members;
  for (const auto& [id, eni] : original.network_interfaces) {
    if (!eni.in_sets() || eni.private_ips.empty()) continue;
    auto [it, fresh] = by_key.try_emplace(class_key(original, eni, options.semantics, routed,
                                                    addressable(original, eni) ? "public" : "private"),
                                          reps.size());
    if (fresh) {
      reps.push_back(id);
      members.emplace_back();
    }
    members[it->second].push_back(id);
  }
  out.classes = reps.size();

  // Private address -> the public IPs an internet gateway translates to it (as trace does).
  std::map<Ipv4Address, std::vector<Ipv4Address>> publics_of;
  for (const auto& [id, x] : original.network_interfaces) {
    for (const auto& p : x.private_ips) {
      if (!p.public_ip || original.nat_gateway_with_public_ip(*p.public_ip) ||
          original.interface_with_public_ip(*p.public_ip) != &x) {
        continue;
      }
      Ipv4Address priv = p.address;  // trace keeps the last private IP mapped to it
      for (const auto& q : x.private_ips) {
        if (q.public_ip == p.public_ip) priv = q.address;
      }
      publics_of[priv].push_back(*p.public_ip);
    }
  }

  std::vector<ClassAnswer> answers(reps.size());
  std::vector<char> decided(reps.size(), 0);  // answered: by geometry, or nothing leads there
  std::vector<char> by_geometry(reps.size(), 0);
  auto run_jobs = [&](const std::function<void()>& work, std::size_t tasks) {
    unsigned jobs = options.jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.jobs;
    jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, tasks)));
    if (jobs <= 1) return work();
    std::vector<std::thread> threads;
    std::mutex error_lock;
    std::exception_ptr error;
    for (unsigned j = 0; j < jobs; ++j) {
      threads.emplace_back([&]() {
        try {
          work();
        } catch (...) {
          std::lock_guard<std::mutex> lock(error_lock);
          if (!error) error = std::current_exception();
        }
      });
    }
    for (auto& t : threads) t.join();
    if (error) std::rethrow_exception(error);
  };
  auto paths_to = [&](const graph::ForwardingGraph& g, const std::vector<std::size_t>& classes,
                      std::vector<std::vector<const graph::Path*>>& class_paths, graph::PathSet& paths) {
    std::set<graph::VertexId> targets;
    std::map<graph::VertexId, std::size_t> class_by_vertex;
    for (auto i : classes) {
      const auto v = g.delivered(reps[i]);
      targets.insert(v);
      class_by_vertex[v] = i;
    }
    paths =
        graph::enumerate_paths(g, g.internet(), targets, graph::Mode::Forward, 20000 + 16 * classes.size());
    for (auto& c : class_paths) c.clear();
    for (const auto& p : paths.paths) class_paths[class_by_vertex.at(p.end(g.graph()))].push_back(&p);
    if (paths.truncated) {
      out.complete = false;
      out.unknown_reason = "too many candidate paths from the internet (enumeration limit)";
    }
  };
  std::vector<std::vector<const graph::Path*>> class_paths(reps.size());
  std::vector<std::size_t> every(reps.size());
  for (std::size_t i = 0; i < reps.size(); ++i) every[i] = i;

  // First packets over the plain way in: boxes, decided over the network as it is (internet
  // sources are intersected in, so the solver's pruned copy would change nothing), no solver.
  // Sessions need the reply's route table and NACL egress; edge route tables, NATs, appliances
  // and the rest are left to the solver below.
  std::vector<std::size_t> to_solve = every;
  std::optional<graph::ForwardingGraph> whole;  // the network's graph, shared with the IPv6 pass
  if (options.geometry && options.semantics == Semantics::Packet) {
    const graph::ForwardingGraph& g = whole.emplace(original);
    graph::PathSet paths;
    paths_to(g, every, class_paths, paths);
    const InternetRules internet = internet_rules(original);
    std::atomic<std::size_t> next{0};
    run_jobs(
        [&]() {
          RuleNames names;
          for (std::size_t i = next++; i < reps.size(); i = next++) {
            if (class_paths[i].empty()) {
              decided[i] = 1;
              continue;
            }
            const auto& rep = original.network_interfaces.at(reps[i]);
            if (routed.count(rep.vpc_id) || !g.public_private_disjoint()) continue;
            std::vector<Ipv4Address> publics;
            for (const auto& p : rep.private_ips) {
              if (auto it = publics_of.find(p.address); it != publics_of.end())
                publics.insert(publics.end(), it->second.begin(), it->second.end());
            }
            if (publics.empty()) {  // as the solver's pin: nothing is addressed to it
              decided[i] = 1;
              continue;
            }
            if (auto a = geometric_answer(original, g, class_paths[i], rep, publics, internet, names)) {
              answers[i] = std::move(*a);
              decided[i] = by_geometry[i] = 1;
            }
          }
        },
        reps.size());
    to_solve.clear();
    for (std::size_t i = 0; i < reps.size(); ++i) {
      if (!decided[i]) to_solve.push_back(i);
    }
  }

  // The rest by the solver, over the network as internet sources see it, unless some way in
  // rewrites the source (then over the network as it is).
  if (!to_solve.empty()) {
    std::optional<model::Network> pruned;
    if (options.semantics == Semantics::Packet) pruned.emplace(seen_from_internet(original));
    std::unique_ptr<graph::ForwardingGraph> g;
    graph::PathSet paths;
    for (;;) {
      g = std::make_unique<graph::ForwardingGraph>(pruned ? *pruned : original);
      paths_to(*g, to_solve, class_paths, paths);
      const bool rewritten = std::any_of(paths.paths.begin(), paths.paths.end(),
                                         [&](const graph::Path& p) { return rewrites_source(*g, p); });
      if (!pruned || !rewritten) break;
      pruned.reset();
    }
    const model::Network& network = pruned ? *pruned : original;
    // In session mode the reply's filters are anywhere on the way back: cut at every rule of the network.
    std::optional<std::map<Part, std::vector<PortRange>>> global_pieces;
    if (options.semantics == Semantics::Session) global_pieces = network_pieces(network);
    std::atomic<std::size_t> next{0};
    run_jobs(
        [&]() {
          // A fresh context every kClassesPerContext classes: Z3 sizes per-check tables by the
          // context's largest term id, so one context that kept every class's terms made each
          // check cost more than the last (measured at 100k ENIs: 5.5 ms per check with one
          // context per thread, against 0.5 ms at 10k).
          constexpr unsigned kClassesPerContext = 64;
          std::optional<ClassSolver> w;
          unsigned solved = 0;
          for (std::size_t k = next++; k < to_solve.size(); k = next++) {
            const std::size_t i = to_solve[k];
            if (class_paths[i].empty()) continue;
            if (!w || solved++ % kClassesPerContext == 0) w.emplace(network, *g, options.timeout_ms);
            answers[i] = w->answer(network.network_interfaces.at(reps[i]), class_paths[i],
                                   global_pieces ? &*global_pieces : nullptr, publics_of, options.semantics);
          }
        },
        to_solve.size());
  }

  // IPv6: addressed to the ENIs themselves, listed after each ENI's IPv4 ranges.
  const Ipv6Exposure v6 = ipv6_exposure(original, options, routed, run_jobs, whole ? &*whole : nullptr);
  out.classes += v6.classes;
  out.geometry_classes += v6.geometry_classes;
  out.solver_checks += v6.checks;
  if (v6.unknown) {
    out.complete = false;
    out.unknown_reason = v6.unknown_reason;
  }
  auto listed = [&](EniExposure e) {
    const auto& eni = original.network_interfaces.at(e.eni);
    e.ipv6_addresses = eni.ipv6_addresses;
    if (const auto* six = v6.of(e.eni)) e.exposed.insert(e.exposed.end(), six->begin(), six->end());
    e.assumptions = exposure_assumptions(original, eni);
    if (!e.public_ips.empty() || !e.exposed.empty() || !e.assumptions.empty())
      out.enis.push_back(std::move(e));
  };
  for (std::size_t i = 0; i < reps.size(); ++i) {
    const auto& a = answers[i];
    out.solver_checks += a.checks;
    out.geometry_classes += by_geometry[i];
    if (a.unknown) {
      out.complete = false;
      out.unknown_reason = a.unknown_reason.empty() ? "solver gave up" : a.unknown_reason;
    }
    const auto exposed = assemble(a);
    for (const auto& id : members[i]) {
      const auto& eni = original.network_interfaces.at(id);
      EniExposure e{id, eni.subnet_id, {}, exposed, model::to_string(eni.kind), eni.owner, {}, {}};
      for (const auto& p : eni.private_ips) {
        if (p.public_ip) e.public_ips.push_back(*p.public_ip);
      }
      listed(std::move(e));
    }
  }
  // ENIs reached over IPv6 alone (IPv6-only ENIs have no IPv4 class).
  for (const auto& [id, cls] : v6.class_of) {
    const auto& eni = original.network_interfaces.at(id);
    if (!eni.private_ips.empty()) continue;  // listed with its IPv4 class above
    listed(EniExposure{eni.id, eni.subnet_id, {}, {}, model::to_string(eni.kind), eni.owner, {}, {}});
  }
  // "Nothing more is exposed" is a proof too: it must not rest on an unlisted assumption.
  if (options.assume == model::AssumptionPolicy::Conditional) {
    std::string names;
    for (const auto& e : out.enis) {
      for (const auto& a : e.assumptions)
        names += (names.empty() ? "" : ", ") + e.eni + ": " + a.id + " (" + a.kind + ")";
    }
    if (!names.empty()) {
      out.complete = false;
      if (!out.unknown_reason.empty()) out.unknown_reason += "; ";
      out.unknown_reason += "the lists rest on assumptions (--assume opaque-drops accepts them): " + names;
    }
  }
  std::sort(out.enis.begin(), out.enis.end(),
            [](const EniExposure& a, const EniExposure& b) { return a.eni < b.eni; });
  out.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace vpcprove::queries