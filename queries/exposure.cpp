// SPDX-License-Identifier: Apache-2.0
// exposure: per behaviour class, the header space from the internet cut at every rule boundary.
#include "queries/exposure.h"

#include <z3++.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "encoder/encoder.h"
#include "encoder/header.h"
#include "encoder/path_encoding.h"
#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "model/hop_step.h"
#include "queries/assumptions.h"
#include "queries/exposure_geometry.h"
#include "solver/solver.h"

namespace vpcprove::queries {

using graph::StepKind;
using model::Id;
using solver::Outcome;

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

/** The four parts of the header space exposure reports on. */
enum class Part { Tcp, Udp, Icmp, Other };
constexpr Part kParts[] = {Part::Tcp, Part::Udp, Part::Icmp, Part::Other};

const char* name_of(Part p) {
  switch (p) {
    case Part::Tcp:
      return "tcp";
    case Part::Udp:
      return "udp";
    case Part::Icmp:
      return "icmp";
    case Part::Other:
      return "other";
  }
  return "other";
}

/** The largest value of the part's cut dimension: dst port, ICMP type (< 256), protocol number. */
std::uint32_t top_of(Part p) { return p == Part::Tcp || p == Part::Udp ? 0xFFFF : 0xFF; }

/**
 * Cut points of one part from the filters' L4 matches: a range [lo, hi] of a rule of that
 * protocol adds lo and hi + 1. On every piece between two cuts each rule matches all of the
 * piece or none of it, so one solver call decides the whole piece.
 */
void add_cuts(Part part, const model::L4Match& m, std::set<std::uint32_t>& cuts) {
  if (m.matches_nothing || m.protocol == model::kAnyProtocol) return;
  switch (part) {
    case Part::Tcp:
    case Part::Udp:
      if (m.protocol == (part == Part::Tcp ? model::kTcp : model::kUdp)) {
        cuts.insert(m.ports.lo);
        cuts.insert(std::uint32_t{m.ports.hi} + 1);
      }
      break;
    case Part::Icmp:
      if (m.protocol == model::kIcmp && m.icmp_type >= 0) {
        cuts.insert(static_cast<std::uint32_t>(m.icmp_type));
        cuts.insert(static_cast<std::uint32_t>(m.icmp_type) + 1);
      }
      break;
    case Part::Other:
      if (m.protocol >= 0) {
        cuts.insert(static_cast<std::uint32_t>(m.protocol));
        cuts.insert(static_cast<std::uint32_t>(m.protocol) + 1);
      }
      break;
  }
}

std::vector<PortRange> pieces(Part part, std::set<std::uint32_t> cuts) {
  const std::uint32_t top = top_of(part);
  cuts.insert(0);
  cuts.insert(top + 1);
  if (part == Part::Icmp) cuts.insert({0, 1, 8, 9});  // echo reply / request: replies change the type
  if (part == Part::Other) cuts.insert({1, 2, 6, 7, 17, 18});
  std::vector<PortRange> out;
  for (auto it = cuts.begin(); it != cuts.end(); ++it) {
    auto next = std::next(it);
    if (next == cuts.end() || *it > top) break;
    const PortRange r{static_cast<std::uint16_t>(*it), static_cast<std::uint16_t>(std::min(*next - 1, top))};
    if (part == Part::Other && r.lo == r.hi &&
        (r.lo == model::kTcp || r.lo == model::kUdp || r.lo == model::kIcmp)) {
      continue;  // reported under their own names
    }
    out.push_back(r);
  }
  return out;
}

/**
 * Every L4 match a filter step of the path applies: the rules of the step's own direction.
 * (It used to take both directions, a superset and still exact; on estates where every subnet
 * has its own NACL the other direction's boundaries cut the open ranges into pieces that each
 * cost a solver check.)
 */
void collect_filters(const model::Network& n, const graph::Step& s, std::vector<const model::L4Match*>& out) {
  const bool ingress = s.kind == StepKind::SgIngress || s.kind == StepKind::NaclIngress;
  switch (s.kind) {
    case StepKind::SgEgress:
    case StepKind::SgIngress: {
      const auto* eni = model::Network::find(n.network_interfaces, s.id);
      if (!eni) break;
      for (const auto& gid : eni->security_group_ids) {
        const auto* g = model::Network::find(n.security_groups, gid);
        if (!g) continue;
        for (const auto& r : ingress ? g->ingress : g->egress) out.push_back(&r.l4);
      }
      break;
    }
    case StepKind::NaclEgress:
    case StepKind::NaclIngress: {
      const auto* sub = model::Network::find(n.subnets, s.id);
      const auto* acl = sub ? model::Network::find(n.network_acls, sub->nacl_id) : nullptr;
      if (!acl) break;
      for (const auto& e : ingress ? acl->ingress : acl->egress) out.push_back(&e.l4);
      break;
    }
    default:
      break;
  }
}

bool is_filter_hop(const std::string& step) {
  return model::step_is(step, model::HopStep::SgIngress) || model::step_is(step, model::HopStep::SgEgress) ||
         model::step_is(step, model::HopStep::NaclIngress) ||
         model::step_is(step, model::HopStep::NaclEgress);
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

/** What one behaviour class is open to, part by part. */
struct ClassAnswer {
  std::map<Part, std::vector<std::pair<PortRange, std::vector<std::string>>>> open;  // piece, its rules
  bool unknown = false;
  std::string unknown_reason;
  unsigned checks = 0;
};

/** One worker's solver state: a Z3 context is single-threaded. */
struct Worker {
  const model::Network& net;
  const graph::ForwardingGraph& g;
  z3::context ctx;
  encoder::Encoder enc;
  encoder::PathEncoder paths;
  unsigned timeout_ms;
  encoder::Header h;
  z3::expr base;                   // well-formed, from an internet address
  z3::expr pin;                    // the initial destinations that can end at the class's ENI
  std::unique_ptr<Prover> prover;  // session semantics only

  Worker(const model::Network& n, const graph::ForwardingGraph& graph, unsigned timeout)
      : net(n),
        g(graph),
        ctx(),
        enc(ctx, n),
        paths(enc, graph),
        timeout_ms(timeout),
        h(encoder::Header::make(ctx, "h")),
        base(encoder::well_formed(h) && enc.internet_address(h.src_ip)),
        pin(ctx.bool_val(true)) {}

  /**
   * When public and private addresses are disjoint, only an internet gateway rewrites the
   * destination of a first packet, once: a packet delivered to eni was addressed to a public
   * IP that maps to one of eni's private IPs. Pinning it is exact and lets Z3 fold every
   * address translation into constants.
   */
  void pin_destination(const model::NetworkInterface& eni,
                       const std::map<Ipv4Address, std::vector<Ipv4Address>>& publics_of) {
    pin = ctx.bool_val(true);
    if (!g.public_private_disjoint()) return;
    z3::expr_vector any(ctx);
    for (const auto& p : eni.private_ips) {
      auto it = publics_of.find(p.address);
      if (it == publics_of.end()) continue;
      for (auto pub : it->second) any.push_back(h.dst_ip == ctx.bv_val(pub, 32));
    }
    pin = any.empty() ? ctx.bool_val(false) : z3::mk_or(any);
  }

  z3::expr part_constraint(Part p) {
    switch (p) {
      case Part::Tcp:
        return h.protocol == ctx.bv_val(model::kTcp, 8);
      case Part::Udp:
        return h.protocol == ctx.bv_val(model::kUdp, 8);
      case Part::Icmp:
        return h.protocol == ctx.bv_val(model::kIcmp, 8);
      case Part::Other:
        return !encoder::is_tcp_or_udp(h) && h.protocol != ctx.bv_val(model::kIcmp, 8);
    }
    return ctx.bool_val(false);
  }

  z3::expr piece_constraint(Part p, const PortRange& r) {
    if (p == Part::Other) {
      return part_constraint(p) && z3::uge(h.protocol, ctx.bv_val(unsigned{r.lo}, 8)) &&
             z3::ule(h.protocol, ctx.bv_val(unsigned{r.hi}, 8));
    }
    return part_constraint(p) && encoder::in_range(h.dst_port, r);
  }

  struct Loaded {
    encoder::EncodedPath ep;
    z3::expr formula;                      // its translations and every guard
    std::unique_ptr<z3::solver> solver{};  // the path's own, made by its first question (check)
  };

  Loaded load(const graph::Path& p) {
    Loaded out{paths.encode(p, h), ctx.bool_val(true)};
    z3::expr_vector all(ctx);
    for (const auto& d : out.ep.definitions) all.push_back(d.formula);
    for (const auto& s : out.ep.steps) {
      if (!s.literal.empty()) all.push_back(s.guard);
    }
    if (!all.empty()) out.formula = z3::mk_and(all);
    return out;
  }

  /**
   * One question about a path, on the path's own bit-vector solver: the first question asserts
   * the path once, pinned, so Z3's QF_BV preprocessing turns it mostly into constants; every
   * question is then pushed and popped, and the bit-blasted path is kept for the next part and
   * the next excluded piece. (Assumptions instead of push/pop, or one solver unpinned, cost
   * 7 ms a check on a 1,000-ENI estate; a fresh solver per question 0.6 ms; this halves the
   * whole exposure of a 100k-ENI estate again: 4.9 s -> 2.6 s of solving, the same ranges.)
   */
  solver::CheckResult check(const z3::expr& query, Loaded& p, ClassAnswer& a) {
    if (!p.solver) {
      p.solver = std::make_unique<z3::solver>(ctx, "QF_BV");
      if (timeout_ms != 0) {
        z3::params prm(ctx);
        prm.set("timeout", timeout_ms);
        p.solver->set(prm);
      }
      p.solver->add(base);
      p.solver->add(pin);
      p.solver->add(p.formula);
    }
    z3::solver& s = *p.solver;
    s.push();
    s.add(query);
    ++a.checks;
    solver::CheckResult r;
    switch (s.check()) {
      case z3::sat:
        r.outcome = Outcome::Sat;
        r.model = s.get_model();
        break;
      case z3::unsat:
        r.outcome = Outcome::Unsat;
        break;
      case z3::unknown:
        r.outcome = Outcome::Unknown;
        r.reason_unknown = solver::name_limit(s.reason_unknown(), timeout_ms);
        a.unknown = true;
        a.unknown_reason = r.reason_unknown;
        break;
    }
    s.pop();
    // A solver stopped by its limit is not asked again: after a cancel, Z3 4.8's incremental
    // bit-vector solver answered a later question sat with a model outside the question.
    if (r.outcome == Outcome::Unknown) p.solver.reset();
    return r;
  }

  ClassAnswer packet_answer(const std::vector<const graph::Path*>& class_paths,
                            const std::map<Part, std::vector<PortRange>>* fixed_pieces) {
    ClassAnswer a;
    std::vector<Loaded> loaded;
    std::vector<const model::L4Match*> filters;
    for (const auto* p : class_paths) {
      loaded.push_back(load(*p));
      for (const auto& s : loaded.back().ep.steps) collect_filters(net, *s.step, filters);
    }
    // Model-guided: each sat answer names one open piece, which the next question excludes, so
    // a part costs (open pieces + 1) checks per path instead of one per piece.
    for (Part part : kParts) {
      std::vector<PortRange> cut;
      if (fixed_pieces) {
        cut = fixed_pieces->at(part);
      } else {
        std::set<std::uint32_t> cuts;
        for (const auto* m : filters) add_cuts(part, *m, cuts);
        cut = pieces(part, cuts);
      }
      std::vector<bool> found(cut.size(), false);
      z3::expr_vector excluded(ctx);
      for (auto& l : loaded) {
        for (;;) {
          z3::expr q = part_constraint(part);
          if (!excluded.empty()) q = q && !z3::mk_or(excluded);
          const auto r = check(q, l, a);
          if (r.outcome != Outcome::Sat) break;
          const model::Packet pk = encoder::packet_of(*r.model, h);
          const std::uint32_t v = part == Part::Other ? pk.protocol : pk.dst_port;
          const auto it =
              std::find_if(cut.begin(), cut.end(), [&](const PortRange& c) { return c.contains(v); });
          if (it == cut.end()) {  // cannot happen: the pieces cover the part
            a.unknown = true;
            a.unknown_reason = "exposure: a witness outside every piece";
            break;
          }
          const auto k = static_cast<std::size_t>(it - cut.begin());
          excluded.push_back(piece_constraint(part, *it));
          if (found[k]) continue;
          found[k] = true;
          std::vector<std::string> by;
          for (const auto& hop : paths.hops(l.ep, *r.model)) {
            if (is_filter_hop(hop.step)) add_unique(by, hop.by);
          }
          a.open[part].emplace_back(*it, std::move(by));
        }
      }
    }
    return a;
  }

  /** Narrows a packet answer to the pieces whose reply also comes back (Prover, session semantics). */
  void narrow_to_sessions(const Id& eni, ClassAnswer& a) {
    if (!prover) prover = std::make_unique<Prover>(net);
    model::Endpoint from{"internet", {}, true, std::nullopt};
    model::Endpoint to{eni, {eni}, false, std::nullopt};
    for (Part part : kParts) {
      auto it = a.open.find(part);
      if (it == a.open.end()) continue;
      std::vector<std::pair<PortRange, std::vector<std::string>>> kept;
      for (const auto& [piece, packet_by] : it->second) {
        HeaderSpace hs;
        if (part == Part::Other) {
          hs.protocol = piece.lo;  // every number of the piece behaves alike
        } else {
          hs.protocol = part == Part::Tcp ? model::kTcp : part == Part::Udp ? model::kUdp : model::kIcmp;
          hs.dst_ports = piece;
        }
        const auto r = prover->reach({from, to, hs, Semantics::Session, 0});
        a.checks += r.solver_checks;
        if (r.verdict == Verdict::Unknown) {
          a.unknown = true;
          a.unknown_reason = r.unknown_reason;
        } else if (r.verdict == Verdict::Reachable) {
          std::vector<std::string> by;
          for (const auto& hop : r.path) {
            if (is_filter_hop(hop.step)) add_unique(by, hop.by);
          }
          kept.emplace_back(piece, std::move(by));
        }
      }
      it->second = std::move(kept);
    }
  }
};

/** The protocol open_pieces takes for a part. */
int protocol_of(Part p) {
  switch (p) {
    case Part::Tcp:
      return model::kTcp;
    case Part::Udp:
      return model::kUdp;
    case Part::Icmp:
      return model::kIcmp;
    case Part::Other:
      return -1;
  }
  return -1;
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
                                            const std::vector<Ipv4Address>& publics) {
  if (class_paths.size() != 1 || !plain_way_in(g, *class_paths[0], rep, net)) return std::nullopt;
  const model::Id& gateway = g.edge(class_paths[0]->edges.front()).steps.front().id;
  const bool addressed = std::any_of(publics.begin(), publics.end(), [&](Ipv4Address pub) {
    const auto* owner = net.interface_with_public_ip(pub);
    const auto* vpc = owner ? model::Network::find(net.vpcs, owner->vpc_id) : nullptr;
    return vpc && vpc->internet_gateway_id == gateway;
  });
  if (!addressed) return std::nullopt;
  std::vector<const model::L4Match*> filters;
  for (auto e : class_paths[0]->edges) {
    for (const auto& s : g.edge(e).steps) collect_filters(net, s, filters);
  }
  ClassAnswer a;
  for (Part part : kParts) {
    std::set<std::uint32_t> cuts;
    for (const auto* m : filters) add_cuts(part, *m, cuts);
    for (auto& o : open_pieces(net, rep, protocol_of(part), pieces(part, cuts)))
      a.open[part].emplace_back(o.piece, std::move(o.by));
  }
  return a;
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

/** The open pieces of one part merged into ranges, each with the union of its pieces' rules. */
Exposed merged(const char* protocol,
               const std::vector<std::pair<PortRange, std::vector<std::string>>>& open) {
  auto sorted = open;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Exposed e{protocol, {}, {}, {}, {}};
  for (const auto& [r, by] : sorted) {
    if (!e.ports.empty() && std::uint32_t{e.ports.back().hi} + 1 >= r.lo) {
      e.ports.back().hi = std::max(e.ports.back().hi, r.hi);
    } else {
      e.ports.push_back(r);
      e.range_by.emplace_back();
    }
    for (const auto& b : by) {
      add_unique(e.range_by.back(), b);
      add_unique(e.by, b);
    }
  }
  return e;
}

std::vector<Exposed> assemble(const ClassAnswer& a) {
  std::map<Part, Exposed> parts;
  for (Part p : kParts) {
    auto it = a.open.find(p);
    if (it != a.open.end() && !it->second.empty()) parts[p] = merged(name_of(p), it->second);
  }
  auto ports = [&](Part p) { return parts.count(p) ? parts[p].ports : std::vector<PortRange>{}; };
  const std::vector<PortRange> all16{{0, 0xFFFF}}, icmp_all{{0, 0xFF}};
  const std::vector<PortRange> other_all{{0, 0}, {2, 5}, {7, 16}, {18, 0xFF}};
  if (ports(Part::Tcp) == all16 && ports(Part::Udp) == all16 && ports(Part::Icmp) == icmp_all &&
      ports(Part::Other) == other_all) {
    Exposed e{"all", all16, {}, {}, {{}}};
    for (Part p : kParts) {
      for (const auto& b : parts[p].by) {
        add_unique(e.by, b);
        add_unique(e.range_by.front(), b);
      }
    }
    return {e};
  }
  std::vector<Exposed> out;
  for (Part p : kParts) {
    if (!parts.count(p)) continue;
    Exposed e = parts[p];
    if (p == Part::Other) {
      e.protocols = e.ports;
      e.ports = {{0, 0}};
    }
    out.push_back(std::move(e));
  }
  return out;
}

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
  std::map<std::string, std::size_t> by_key;
  std::vector<Id> reps;
  std::vector<std::vector<Id>> members;
  for (const auto& [id, eni] : original.network_interfaces) {
    if (!eni.in_sets() || eni.private_ips.empty()) continue;
    const auto* subnet = model::Network::find(original.subnets, eni.subnet_id);
    // The reply leaves by the subnet's route table: session answers keep subnets apart.
    const bool by_nacl = subnet && options.semantics == Semantics::Packet;
    std::string key = eni.vpc_id + '|' + (by_nacl ? "acl:" + subnet->nacl_id : "subnet:" + eni.subnet_id) +
                      '|' + (addressable(original, eni) ? "public" : "private");
    if (eni.unfiltered) key += "|unfiltered";
    for (const auto& g : eni.security_group_ids) key += '|' + g;
    if (routed.count(eni.vpc_id)) key += "|own:" + id;
    auto [it, fresh] = by_key.try_emplace(key, reps.size());
    if (fresh) {
      reps.push_back(id);
      members.emplace_back();
    }
    members[it->second].push_back(id);
  }
  out.classes = reps.size();

  // One enumeration from the internet to every representative, over the network as internet
  // sources see it, unless some way in rewrites the source (then over the network as it is).
  std::optional<model::Network> pruned;
  if (options.semantics == Semantics::Packet) pruned.emplace(seen_from_internet(original));
  std::unique_ptr<graph::ForwardingGraph> graph_ptr;
  graph::PathSet paths;
  std::map<graph::VertexId, std::size_t> class_by_vertex;
  for (;;) {
    graph_ptr = std::make_unique<graph::ForwardingGraph>(pruned ? *pruned : original);
    std::set<graph::VertexId> targets;
    class_by_vertex.clear();
    for (std::size_t i = 0; i < reps.size(); ++i) {
      const auto v = graph_ptr->delivered(reps[i]);
      targets.insert(v);
      class_by_vertex[v] = i;
    }
    paths = graph::enumerate_paths(*graph_ptr, graph_ptr->internet(), targets, graph::Mode::Forward,
                                   20000 + 16 * reps.size());
    const bool rewritten = std::any_of(paths.paths.begin(), paths.paths.end(),
                                       [&](const graph::Path& p) { return rewrites_source(*graph_ptr, p); });
    if (!pruned || !rewritten) break;
    pruned.reset();
  }
  const graph::ForwardingGraph& graph = *graph_ptr;
  const model::Network& network = pruned ? *pruned : original;
  if (paths.truncated) {
    out.complete = false;
    out.unknown_reason = "too many candidate paths from the internet (enumeration limit)";
  }
  std::vector<std::vector<const graph::Path*>> class_paths(reps.size());
  for (const auto& p : paths.paths) class_paths[class_by_vertex.at(p.end(graph.graph()))].push_back(&p);

  // In session mode the reply's filters are anywhere on the way back: cut at every rule of the network.
  std::optional<std::map<Part, std::vector<PortRange>>> global_pieces;
  if (options.semantics == Semantics::Session) {
    std::map<Part, std::set<std::uint32_t>> cuts;
    auto add = [&](const model::L4Match& m) {
      for (Part p : kParts) add_cuts(p, m, cuts[p]);
    };
    for (const auto& [id, g] : network.security_groups) {
      for (const auto& r : g.ingress) add(r.l4);
      for (const auto& r : g.egress) add(r.l4);
    }
    for (const auto& [id, acl] : network.network_acls) {
      for (const auto& e : acl.ingress) add(e.l4);
      for (const auto& e : acl.egress) add(e.l4);
    }
    global_pieces.emplace();
    for (Part p : kParts) (*global_pieces)[p] = pieces(p, cuts[p]);
  }

  // Private address -> the public IPs an internet gateway translates to it (as trace does).
  std::map<Ipv4Address, std::vector<Ipv4Address>> publics_of;
  for (const auto& [id, x] : network.network_interfaces) {
    for (const auto& p : x.private_ips) {
      if (!p.public_ip || network.nat_gateway_with_public_ip(*p.public_ip) ||
          network.interface_with_public_ip(*p.public_ip) != &x) {
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
  std::vector<char> by_geometry(reps.size(), 0);
  std::atomic<std::size_t> next{0};
  auto work = [&]() {
    // A fresh context every kClassesPerContext classes: Z3 sizes per-check tables by the
    // context's largest term id, so one context that kept every class's terms made each check
    // cost more than the last (measured at 100k ENIs: 5.5 ms per check with one context per
    // thread, against 0.5 ms at 10k).
    constexpr unsigned kClassesPerContext = 64;
    std::optional<Worker> w;
    unsigned solved = 0;
    for (std::size_t i = next++; i < reps.size(); i = next++) {
      if (class_paths[i].empty()) continue;
      const auto& rep = network.network_interfaces.at(reps[i]);
      // Packet semantics over the plain way in: boxes, no solver (sessions need the reply's
      // route table and NACL egress; edge route tables and the rest take the solver below).
      if (options.geometry && options.semantics == Semantics::Packet && !routed.count(rep.vpc_id) &&
          graph.public_private_disjoint()) {
        std::vector<Ipv4Address> publics;
        for (const auto& p : rep.private_ips) {
          if (auto it = publics_of.find(p.address); it != publics_of.end())
            publics.insert(publics.end(), it->second.begin(), it->second.end());
        }
        if (publics.empty()) continue;  // as the solver's pin: nothing is addressed to it
        if (auto a = geometric_answer(network, graph, class_paths[i], rep, publics)) {
          answers[i] = std::move(*a);
          by_geometry[i] = 1;
          continue;
        }
      }
      if (!w || solved++ % kClassesPerContext == 0) w.emplace(network, graph, options.timeout_ms);
      w->pin_destination(network.network_interfaces.at(reps[i]), publics_of);
      // No public IP maps to it: no first packet from the internet is ever addressed to it.
      if (w->pin.is_false()) continue;
      answers[i] = w->packet_answer(class_paths[i], global_pieces ? &*global_pieces : nullptr);
      if (options.semantics == Semantics::Session) w->narrow_to_sessions(reps[i], answers[i]);
    }
  };
  unsigned jobs = options.jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.jobs;
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, reps.size())));
  if (jobs <= 1) {
    work();
  } else {
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
          next = reps.size();
        }
      });
    }
    for (auto& t : threads) t.join();
    if (error) std::rethrow_exception(error);
  }

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
      const auto& eni = network.network_interfaces.at(id);
      EniExposure e{id, eni.subnet_id, {}, exposed, model::to_string(eni.kind), eni.owner, {}};
      for (const auto& p : eni.private_ips) {
        if (p.public_ip) e.public_ips.push_back(*p.public_ip);
      }
      e.assumptions = exposure_assumptions(original, original.network_interfaces.at(id));
      if (!e.public_ips.empty() || !e.exposed.empty() || !e.assumptions.empty())
        out.enis.push_back(std::move(e));
    }
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
