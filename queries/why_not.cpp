// SPDX-License-Identifier: Apache-2.0
// why_not: every blocker of every way a blocked question's traffic could take, relaxed one by one.
#include "queries/why_not.h"

#include <z3++.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "encoder/encoder.h"
#include "encoder/header.h"
#include "encoder/path_encoding.h"
#include "graph/paths.h"
#include "graph/step_meaning.h"
#include "model/describe.h"
#include "model/drop_code.h"
#include "model/hop_step.h"
#include "queries/question.h"
#include "solver/solver.h"
#include "trace/nacl_match.h"
#include "trace/trace.h"

namespace vpcprove::queries {

using encoder::Header;
using graph::StepKind;
using model::Id;
using solver::Outcome;

namespace {

const char* direction_of(StepKind k) {
  switch (k) {
    case StepKind::SgIngress:
    case StepKind::NaclIngress:
    case StepKind::IgwIngress:
    case StepKind::EigwIngress:
    case StepKind::OwnsDst:
      return "ingress";
    case StepKind::SgEgress:
    case StepKind::NaclEgress:
    case StepKind::IgwEgress:
    case StepKind::EigwEgress:
    case StepKind::Route:
    case StepKind::Route6:
    case StepKind::NoRoute:
    case StepKind::SourceDestCheck:
      return "egress";
    default:
      return "";
  }
}

/** The five fields of a header with the names people read in reasons. */
struct Field {
  const char* name;
  z3::expr Header::*member;
};
const Field kFields[] = {{"destination-port", &Header::dst_port},
                         {"protocol", &Header::protocol},
                         {"source-ip", &Header::src_ip},
                         {"destination-ip", &Header::dst_ip},
                         {"source-port", &Header::src_port}};

std::string field_value(const char* name, const model::Packet& p, const ReachQuery& q) {
  const std::string f = name;
  const HeaderSpace& hs = q.header;
  if (f == "source-ip" && q.from.internet) return f + " (any internet address)";
  if (f == "source-ip" && q.from.cidr) return f + ' ' + q.from.cidr->to_string();
  auto range = [](const PortRange& r) {
    return r.lo == r.hi ? std::to_string(r.lo) : std::to_string(r.lo) + "-" + std::to_string(r.hi);
  };
  if (f == "destination-port") {
    if (hs.dst_ports) return f + ' ' + range(*hs.dst_ports);
    if (!hs.dst_port_set.empty()) {
      std::string set;
      for (const auto& r : hs.dst_port_set) set += (set.empty() ? "" : ",") + range(r);
      return f + ' ' + set;
    }
    return f + ' ' + std::to_string(p.dst_port);
  }
  if (f == "source-port") {
    if (hs.src_ports) return f + ' ' + range(*hs.src_ports);
    return f + ' ' + std::to_string(p.src_port);
  }
  if (f == "protocol")
    return f + ' ' + (hs.protocol ? model::protocol_name(*hs.protocol) : model::protocol_name(p.protocol));
  if (f == "source-ip") return f + ' ' + format_ipv4(p.src_ip);
  return f + ' ' + format_ipv4(p.dst_ip);
}

/** One loaded candidate path: tracked literal per guarded step. */
struct Loaded {
  encoder::EncodedPath ep;
  std::vector<z3::expr> lits;
  std::vector<const encoder::EncodedStep*> steps;  // aligned with lits
};

/**
 * A way's blockers, and what makes two ways' blockers the same: each one's step of the graph
 * (component, and which route of a table), code and failing field, never the value the solver's
 * model happened to give that field ("destination-ip 10.3.3.11"). Two Z3 contexts pick
 * different values, and ways told apart by them were numbered differently by each.
 */
struct Way {
  std::vector<Reason> reasons;
  std::string key;
};

class WhyNot {
 public:
  /** pe: the encodings to build on (a Prover's, or why_not's own), over n and its graph g. */
  WhyNot(const model::Network& n, const graph::ForwardingGraph& g, const ReachQuery& q,
         encoder::PathEncoder& pe)
      : n_(n),
        g_(g),
        q_(q),
        ctx_(pe.encoder().ctx()),
        enc_(pe.encoder()),
        pe_(pe),
        solver_(ctx_, q.timeout_ms),
        h_(pe.encoder().header("h")) {}

  std::vector<Reason> run(std::size_t max_ways) {
    const EncodedQuestion asked = encode_each_eni_alone(n_, g_, enc_, h_, q_);
    const graph::PathConstraints avoiding{{}, q_.waypoints.not_through};
    std::vector<Reason> out;
    std::set<std::string> seen;
    int way = 0;
    for (std::size_t si = 0; si < asked.question.sources.size(); ++si) {
      const QuestionSource& src = asked.question.sources[si];
      const std::string base_name = "whynot/space+from " + src.member;
      const z3::expr base_formula = asked.space && asked.source_address[si];
      auto add_way = [&](Way w) {
        if (w.reasons.empty() || !seen.insert(src.member + w.key).second ||
            static_cast<std::size_t>(way) >= max_ways)
          return;
        ++way;
        for (auto& r : w.reasons) {
          r.way = way;
          out.push_back(std::move(r));
        }
      };
      // One way per path that some packet of the space addressed to the destination takes to
      // its end: a gateway vpcprove does not follow, or a drop. name(v, r) fills in the rest.
      auto end_ways = [&](const graph::PathSet& ends, model::HopStep step, const auto& name) {
        for (const auto& path : ends.paths) {
          if (static_cast<std::size_t>(way) >= max_ways) break;
          if (!taken(path, begin_path(base_name, base_formula), asked.addressed)) continue;
          const auto& v = g_.vertex(path.end(g_.graph()));
          Reason r;
          r.at = v.id;
          r.step = model::to_string(step);
          r.direction = "egress";
          r.from_member = src.member;
          r.path = graph::vertex_names(g_, path);
          r.rule = route_text_at_drop(path);
          name(path, v, r);
          const std::string key = '|' + r.at + '|' + r.step + '|' + r.code;
          add_way({{std::move(r)}, key});
        }
      };
      const std::size_t reasons_before = out.size();
      const int ways_before = way;
      bool forward_open = false;  // some first packet of this source gets through
      // The question's waypoints restrict its ways as they restrict the prover's paths; the ways
      // traffic ends elsewhere avoid what it must avoid (a --through resource may still come after).
      const auto fwd = graph::enumerate_paths(g_, src.start, asked.question.targets, graph::Mode::Forward,
                                              q_.waypoints, 256);
      for (const auto& path : fwd.paths) {
        if (static_cast<std::size_t>(way) >= max_ways) break;
        const z3::expr base = begin_path(base_name, base_formula);
        add_way(blockers(load(path), base, src.member, graph::vertex_names(g_, path)));
        forward_open = forward_open || last_way_open_;
      }
      if (forward_open) {
        // The first packet gets through (a session question): what stops the session is on the
        // reply's way, which why-not does not walk. Blockers of other first-packet ways, or
        // where traffic that is not this session is dropped, would mislead: the prover's reasons
        // for this member (the reply's blocker, e.g. the NACL that drops it) stay instead.
        out.resize(reasons_before);
        way = ways_before;
        continue;
      }
      // Where the traffic really goes: handed to a gateway vpcprove does not follow (a transit
      // gateway routes it on; "no route" would be false there), or dropped on the way (no
      // route, blackhole).
      const std::size_t before_leaves = out.size();
      end_ways(graph::enumerate_paths(g_, src.start, asked.ends.leaves, graph::Mode::Forward, avoiding, 64),
               model::HopStep::Leave, [&](const graph::Path&, const graph::Vertex& v, Reason& r) {
                 r.code = model::to_string(model::DropCode::UnfollowedGateway);
                 r.detail = unfollowed_gateway_text(v.id, r.rule);
               });
      if (out.size() > before_leaves) continue;  // it leaves unfollowed: no drop to report
      end_ways(graph::enumerate_paths(g_, src.start, asked.ends.drops, graph::Mode::Forward, avoiding, 64),
               model::HopStep::Route, [&](const graph::Path& path, const graph::Vertex& v, Reason& r) {
                 r.code = v.code;
                 r.step = model::to_string(graph::drop_step(v));  // tgw: no attachment subnet in the zone
                 r.detail = "the traffic is dropped at " + v.id + ": " + r.rule;
                 const std::string zone =
                     graph::tgw_zone_text(g_, boost::source(path.edges.back(), g_.graph()), v);
                 if (!zone.empty()) r.detail += "; " + zone;
               });
    }
    return out;
  }

 private:
  /** A fresh solver for each way, as Prover::reach has: one that keeps every earlier way's
   *  definitions answered the same checks several times slower. Returns base, tracked in it. */
  z3::expr begin_path(const std::string& base_name, const z3::expr& base_formula) {
    solver_ = solver::Solver(ctx_, q_.timeout_ms);
    return solver_.track(base_name, base_formula);
  }

  Loaded load(const graph::Path& p) {
    Loaded out{pe_.encode(p, h_), {}, {}};
    for (const auto& d : out.ep.definitions) solver_.define(d.name, d.formula);
    for (const auto& s : out.ep.steps) {
      if (s.literal.empty()) continue;
      out.lits.push_back(solver_.track(s.literal, s.guard, s.outside ? &*s.outside : nullptr));
    }
    for (const auto& s : out.ep.steps) {
      if (!s.literal.empty()) out.steps.push_back(&s);
    }
    return out;
  }

  solver::CheckResult check(const z3::expr& base, const std::vector<z3::expr>& lits) {
    z3::expr_vector a(ctx_);
    a.push_back(base);
    for (const auto& l : lits) a.push_back(l);
    return solver_.check(a);
  }

  /** Some packet of base, addressed to the destination, takes path to its end. */
  bool taken(const graph::Path& path, const z3::expr& base, const z3::expr& addressed) {
    std::vector<z3::expr> v{solver_.track("whynot/addressed", addressed)};
    const Loaded l = load(path);
    v.insert(v.end(), l.lits.begin(), l.lits.end());
    return check(base, v).outcome == Outcome::Sat;
  }

  /** Blockers of one way: the first, then each one left once the earlier ones are relaxed. */
  Way blockers(const Loaded& l, const z3::expr& base, const Id& member,
               const std::vector<std::string>& names) {
    Way out;
    std::vector<bool> relaxed(l.lits.size(), false);
    auto active_prefix = [&](std::size_t n) {
      std::vector<z3::expr> v;
      for (std::size_t i = 0; i < n && i < l.lits.size(); ++i) {
        if (!relaxed[i]) v.push_back(l.lits[i]);
      }
      return v;
    };
    last_way_open_ = false;
    if (check(base, {}).outcome != Outcome::Sat) return out;  // the space itself is empty here
    // The prefix of this length passes: the literals before the last blocker did, and it is relaxed.
    std::size_t passes = 0;
    for (int round = 0; round < 8; ++round) {
      const auto all = check(base, active_prefix(l.lits.size()));
      if (round == 0 && all.outcome == Outcome::Sat) last_way_open_ = true;
      if (all.outcome != Outcome::Unsat) break;  // passes (or unknown: claim nothing more)
      // lo passes, hi is blocked. Galloping from lo first: the blockers of a way often sit next
      // to each other (an internet gateway, then the NACL, then the group), and then one check
      // finds the next where a binary search over the rest takes log2 of it.
      std::size_t lo = passes, hi = l.lits.size();
      bool unknown = false;
      for (std::size_t step = 1; lo + step < hi; step *= 2) {
        const auto r = check(base, active_prefix(lo + step));
        if (r.outcome == Outcome::Unknown) {
          unknown = true;
          break;
        }
        if (r.outcome != Outcome::Sat) {
          hi = lo + step;
          break;
        }
        lo += step;
      }
      while (!unknown && hi - lo > 1) {
        const std::size_t mid = (lo + hi) / 2;
        const auto r = check(base, active_prefix(mid));
        if (r.outcome == Outcome::Unknown) {
          unknown = true;
          break;
        }
        (r.outcome == Outcome::Sat ? lo : hi) = mid;
      }
      if (unknown) break;
      std::size_t at = hi - 1;
      // A destination that no ENI of the far side owns, after a peering that carries only part
      // of that VPC: the peering's CIDRs are the cause when, without them, it would be owned.
      // Asked by a check, not read off an unsat core: Z3's cores are not minimal, and two
      // contexts give different ones.
      if (l.steps[at]->step->kind == StepKind::OwnsDst) {
        for (std::size_t k = at; k-- > 0;) {
          if (relaxed[k] || l.steps[k]->step->kind != StepKind::PcxCheck) continue;
          relaxed[k] = true;
          const bool cause = check(base, active_prefix(at + 1)).outcome == Outcome::Sat;
          relaxed[k] = false;
          if (cause) {
            at = k;
            break;
          }
        }
      }
      if (relaxed[at]) break;  // cannot happen: a relaxed literal is not in the prefix
      Reason r = describe(l, at, base, active_prefix(at), member, names);
      r.first = out.reasons.empty();
      const auto& st = *l.steps[at]->step;
      out.key += '|' + std::to_string(static_cast<int>(st.kind)) + ' ' + st.id + '#' +
                 std::to_string(st.index) + ' ' + st.aux + '|' + r.code + '|' +
                 r.field.substr(0, r.field.find(' '));
      out.reasons.push_back(std::move(r));
      relaxed[at] = true;
      passes = at + 1;
    }
    return out;
  }

  Reason describe(const Loaded& l, std::size_t at, const z3::expr& base, const std::vector<z3::expr>& before,
                  const Id& member, const std::vector<std::string>& names) {
    const auto& es = *l.steps[at];
    const auto& st = *es.step;
    Reason r;
    r.from_member = member;
    r.path = names;
    r.step = model::to_string(graph::hop_step(st.kind));
    r.direction = direction_of(st.kind);
    // A packet as it arrives at this hop (the prefix before it passes).
    std::optional<model::Packet> arriving;
    if (auto m = check(base, before); m.outcome == Outcome::Sat)
      arriving = encoder::packet_of(*m.model, es.before);
    // The field that fails: left free at this hop alone, some packet passes. A field the hop
    // does not read leaves its guard as it is: that one check is made once, not per field.
    std::optional<bool> unchanged_passes;
    for (const auto& f : kFields) {
      const z3::expr var = es.before.*(f.member);
      const z3::expr fresh = ctx_.constant(
          ("whynot/free " + std::string(f.name) + " " + es.before.name).c_str(), var.get_sort());
      z3::expr_vector from(ctx_), to(ctx_);
      from.push_back(var);
      to.push_back(fresh);
      z3::expr relaxed = es.guard;
      relaxed = relaxed.substitute(from, to);
      const bool unchanged = z3::eq(relaxed, es.guard);
      bool pass = false;
      if (unchanged && unchanged_passes) {
        pass = *unchanged_passes;
      } else {
        const z3::expr lit = solver_.track("whynot/" + es.literal + " free " + f.name, relaxed);
        auto v = before;
        v.push_back(lit);
        pass = check(base, v).outcome == Outcome::Sat;
        if (unchanged) unchanged_passes = pass;
      }
      if (pass) {
        r.field = arriving ? field_value(f.name, *arriving, q_) : f.name;
        break;
      }
    }
    fill_code(st, es, arriving, r, base, before);
    r.detail = (r.field.empty() ? std::string("no packet of the space passes") : r.field + " does not pass") +
               " " + r.at + " (" + r.step + ")" + (r.rule.empty() ? "" : ": " + r.rule);
    return r;
  }

  void fill_code(const graph::Step& st, const encoder::EncodedStep& es, const std::optional<model::Packet>& p,
                 Reason& r, const z3::expr& base, const std::vector<z3::expr>& before) {
    r.at = st.id;
    switch (st.kind) {
      case StepKind::SgEgress:
      case StepKind::SgIngress: {
        const auto& eni = n_.network_interfaces.at(st.id);
        const bool in = st.kind == StepKind::SgIngress;
        std::size_t rules = 0;
        std::string groups;
        for (const auto& gid : eni.security_group_ids) {
          groups += (groups.empty() ? "" : "+") + gid;
          if (const auto* g = model::Network::find(n_.security_groups, gid))
            rules += (in ? g->ingress : g->egress).size();
        }
        r.at = eni.security_group_ids.empty() ? eni.id : eni.security_group_ids.front();
        if (eni.security_group_ids.empty() || rules == 0) {
          r.code = model::to_string(model::DropCode::SgHasNoRules);
          r.rule = eni.security_group_ids.empty()
                       ? eni.id + " has no security groups"
                       : groups + " has no " + (in ? "ingress" : "egress") + " rules";
        } else {
          r.code = model::to_string(model::DropCode::EniSgRulesMismatch);
          r.rule = "no " + std::string(in ? "ingress" : "egress") + " rule of " + groups + " matches";
        }
        break;
      }
      case StepKind::NaclEgress:
      case StepKind::NaclIngress: {
        r.code = model::to_string(model::DropCode::SubnetAclRestriction);
        const auto* sub = model::Network::find(n_.subnets, st.id);
        const auto* acl = sub ? model::Network::find(n_.network_acls, sub->nacl_id) : nullptr;
        if (!acl) break;
        r.at = acl->id;
        r.rule = p ? trace::evaluate_nacl(*acl,
                                          st.kind == StepKind::NaclIngress ? model::Direction::Ingress
                                                                           : model::Direction::Egress,
                                          *p)
                         .by
                   : model::describe_default_deny(acl->id);
        break;
      }
      case StepKind::Route:
      case StepKind::Route6:
      case StepKind::TgwRoute:
      case StepKind::TgwRoute6: {  // a subnet's table, or a transit gateway's: the same decision
        const bool tgw = st.kind == StepKind::TgwRoute || st.kind == StepKind::TgwRoute6;
        const bool v6 = st.kind == StepKind::Route6 || st.kind == StepKind::TgwRoute6;
        const auto& tgw_table = tgw ? &n_.transit_gateway_route_tables.at(st.id) : nullptr;
        const auto& vpc_table = tgw ? nullptr : &n_.route_tables.at(st.id);
        const struct {
          const Id& id;
          const std::vector<model::Route>& routes;
        } table{st.id, tgw ? (v6 ? tgw_table->routes6 : tgw_table->routes)
                           : (v6 ? vpc_table->routes6 : vpc_table->routes)};
        const auto& mine = table.routes[static_cast<std::size_t>(st.index)];
        // A route's destination as a formula (its family's), and prefix containment between routes.
        auto in_route = [&](const model::Route& r) {
          return v6 ? es.before.ip6 && encoder::in_prefix6(es.before.dst_ip6, *r.destination6)
                    : encoder::Encoder::ipv4_only(encoder::in_prefix(es.before.dst_ip, r.destination),
                                                  es.before);
        };
        auto nested = [&](const model::Route& a, const model::Route& b) {
          return v6 ? a.destination6->contains(*b.destination6) || b.destination6->contains(*a.destination6)
                    : a.destination.contains(b.destination) || b.destination.contains(a.destination);
        };
        // Does this route cover any destination of the space at all?
        const z3::expr covers =
            solver_.track("whynot/covers " + mine.label(table.id) + " @" + es.before.name, in_route(mine));
        auto v = before;
        v.push_back(covers);
        const auto m = check(base, v);
        if (m.outcome != Outcome::Sat) {
          r.code = model::to_string(model::DropCode::NoRouteToDestination);
          r.rule = "no route of " + table.id + " sends the destination to " + mine.target_id + " (" +
                   model::describe(mine) + " does not contain it)";
          break;
        }
        // The route that wins for a destination this one covers: the first, in decision order,
        // that contains one (no route before it contains any, so it wins there). Asked of the
        // solver, not read off its model's packet, so that every context names the same route.
        r.code = model::to_string(
            model::DropCode::MoreSpecificRoute);  // what stands when the solver gives up before naming it
        r.rule = "a more specific route of " + table.id + " wins over " + model::describe(mine);
        for (const auto& other : table.routes) {
          if (&other == &mine) break;
          if (!nested(other, mine)) continue;
          auto w = v;
          w.push_back(solver_.track("whynot/won by " + other.label(table.id) + " @" + es.before.name,
                                    in_route(other)));
          if (check(base, w).outcome != Outcome::Sat) continue;
          r.code = other.blackhole ? model::to_string(model::DropCode::BadStateRoute)
                                   : model::to_string(model::DropCode::MoreSpecificRoute);
          r.rule = model::describe(other) + " wins over " + model::describe(mine);
          break;
        }
        break;
      }
      case StepKind::NoRoute:
      case StepKind::TgwNoRoute:
        r.code = model::to_string(model::DropCode::NoRouteToDestination);
        break;
      case StepKind::OwnsDst: {
        const auto* x = model::Network::find(n_.network_interfaces, st.id);
        if (x && !x->has_public_ip() && es.before.name.find("igw-in:") != std::string::npos) {
          r.code = model::to_string(model::DropCode::IgwPrivateIpAssociationForIngress);
          r.step = model::to_string(model::HopStep::IgwIngress);
          r.field = "destination-ip";  // no public address of it exists to send to
          r.rule = x->id + " has no public or Elastic IP";
        } else {
          r.code = model::to_string(model::DropCode::DestinationAddressNotAssigned);
          r.rule = "the destination is not an address of " + st.id;
        }
        break;
      }
      case StepKind::IgwEgress: {
        // The gateway needs a source with a public IP and an internet destination, and checks
        // the source first (docs/semantics.md, trace/walk.cpp). The code is the one trace gives
        // the packets here, told by the failing field (source-ip is tried before
        // destination-ip), never by the packet the solver's model picked. destination-ip:
        // freeing the source let none through, so packets from a public source stop at their
        // destination. source-ip: packets to an internet destination stop at their source. No
        // field (neither alone lets one through): every packet here lacks a public source.
        const bool dst = r.field.rfind("destination-ip", 0) == 0;
        r.code = dst ? model::to_string(model::DropCode::IgwDestinationNotPublic)
                     : model::to_string(model::DropCode::IgwPublicIpAssociationForEgress);
        r.rule =
            dst ? "the destination is not an internet address" : "the source has no public or Elastic IP";
        if (!dst && r.field.empty()) {
          // Neither would pass alone: say whether the destination fails as well.
          auto v = before;
          v.push_back(solver_.track("whynot/internet dst @" + es.before.name,
                                    encoder::is_internet(es.before.dst_ip)));
          if (check(base, v).outcome == Outcome::Unsat)
            r.rule += ", nor is the destination an internet address";
        }
        break;
      }
      case StepKind::NotSnapshotPublic:
        r.code = model::to_string(model::DropCode::DestinationIsASnapshotPublicIp);
        r.at = "internet";
        break;
      case StepKind::IgwIngress:
        r.code = st.aux.empty() ? model::to_string(model::DropCode::IgwPrivateIpAssociationForIngress)
                                : model::to_string(model::DropCode::NgwInboundNotAllowed);
        r.at = st.aux.empty() ? st.id : st.aux;
        break;
      case StepKind::EigwIngress:
        r.code = model::to_string(model::DropCode::EigwInboundNotAllowed);
        r.rule = st.id + " is egress-only: it admits only replies to connections from its VPC";
        break;
      case StepKind::NatProtocol:
        r.code = model::to_string(model::DropCode::NgwUnsupportedProtocol);
        r.rule = "NAT gateways carry tcp, udp and icmp only";
        break;
      case StepKind::NatAddressed:
      case StepKind::NatReverse:
        r.code = model::to_string(model::DropCode::ReplyDoesNotMatchSession);
        break;
      case StepKind::PcxCheck: {
        r.code = model::to_string(model::DropCode::PcxRequiresAddressInVpcCidr);
        r.rule = "the peering carries only its VPCs' CIDRs (source in " + st.aux +
                 "'s, destination in the peer's)";
        break;
      }
      case StepKind::SourceDestCheck:
        r.code = model::to_string(model::DropCode::EniSourceDestCheckRestriction);
        r.rule = st.id + " has source/destination check on and does not own the destination";
        break;
      case StepKind::VpceSource:
        r.code = model::to_string(model::DropCode::VpceRequiresSourceInVpcCidr);
        r.rule = st.id + " carries only traffic from its VPC's addresses";
        break;
      case StepKind::VpceService:
        r.code = model::to_string(model::DropCode::VpceDestinationNotInService);
        r.rule = st.id + " carries only traffic to its service's addresses";
        break;
      case StepKind::Active: {
        const auto& x = n_.network_interfaces.at(st.id);
        r.code = x.inactive_code;
        r.rule = x.inactive;
        break;
      }
      default:
        r.code = model::to_string(model::DropCode::Unknown);
        break;
    }
  }

  std::string route_text_at_drop(const graph::Path& path) const {
    if (path.edges.empty()) return {};
    for (const auto& s : g_.edge(path.edges.back()).steps) {
      const auto at = static_cast<std::size_t>(s.index);
      if (s.kind == StepKind::Route) return model::describe(n_.route_tables.at(s.id).routes[at]);
      if (s.kind == StepKind::Route6) return model::describe(n_.route_tables.at(s.id).routes6[at]);
      if (s.kind == StepKind::TgwRoute)
        return model::describe(n_.transit_gateway_route_tables.at(s.id).routes[at]);
      if (s.kind == StepKind::TgwRoute6)
        return model::describe(n_.transit_gateway_route_tables.at(s.id).routes6[at]);
      if (s.kind == StepKind::NoRoute || s.kind == StepKind::TgwNoRoute)
        return s.id.empty() ? "the subnet has no route table"
                            : "no route of " + s.id + " contains the destination";
    }
    return {};
  }

  const model::Network& n_;
  const graph::ForwardingGraph& g_;
  const ReachQuery& q_;
  z3::context& ctx_;
  encoder::Encoder& enc_;
  encoder::PathEncoder& pe_;
  solver::Solver solver_;
  bool last_way_open_ = false;  // blockers(): the way it was given lets a packet through
  Header h_;
};

}  // namespace

std::vector<Reason> why_not(const model::Network& network, const graph::ForwardingGraph& graph,
                            const ReachQuery& query, std::size_t max_ways) {
  z3::context ctx;
  encoder::Encoder enc(ctx, network, network.has_ipv6());
  encoder::PathEncoder pe(enc, graph);
  return WhyNot(network, graph, query, pe).run(max_ways);
}

void add_why_not(const model::Network& network, const graph::ForwardingGraph& graph, const ReachQuery& query,
                 ReachResult& result) {
  if (result.verdict != Verdict::Unreachable && !result.if_assumed) return;
  merge_reasons(why_not(network, graph, query), result);
}

void add_why_not(Prover& prover, const ReachQuery& query, ReachResult& result) {
  if (result.verdict != Verdict::Unreachable && !result.if_assumed) return;
  const graph::ForwardingGraph& g = prover.graph();
  merge_reasons(WhyNot(g.network(), g, query, prover.encodings()).run(kWhyNotWays), result);
}

ReachResult reach_with_why_not(Prover& prover, const ReachQuery& query) {
  return prover.reach(query, [&](const ReachResult& /*unreachable*/) {
    const graph::ForwardingGraph& g = prover.graph();
    return WhyNot(g.network(), g, query, prover.encodings()).run(kWhyNotWays);
  });
}

}  // namespace vpcprove::queries
