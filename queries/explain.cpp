// SPDX-License-Identifier: Apache-2.0
// why_not (every blocker of every way, relaxed one by one) and reach --explain (fewest fixes).
#include "queries/explain.h"

#include <z3++.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "common/escape.h"
#include "encoder/encoder.h"
#include "encoder/header.h"
#include "encoder/path_encoding.h"
#include "graph/paths.h"
#include "model/describe.h"
#include "model/drop_code.h"
#include "model/hop_step.h"
#include "queries/header_space.h"
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

/** The question as why-not and explain ask it (queries/question.h), every ENI alone: each reason
 *  and fix names its own ENI. */
struct Asked {
  Question question;
  z3::expr space;                        // the header space, well formed
  std::vector<z3::expr> source_address;  // per source of question
  z3::expr addressed;                    // dst is an address of the destination (for drop ways)
  WayEnds ends;
};

Asked ask(const model::Network& n, const graph::ForwardingGraph& g, encoder::Encoder& enc, const Header& h,
          const ReachQuery& q) {
  EachEniAlone alone;
  Asked out{resolve(g, q, alone),
            encoder::well_formed(h) && encode_header_space(enc, h, q),
            {},
            addressed_to(enc, h, n, q),
            way_ends(g)};
  for (const auto& src : out.question.sources) out.source_address.push_back(source_address(enc, h, n, src));
  return out;
}

std::vector<std::string> vertex_names(const graph::ForwardingGraph& g, const graph::Path& p) {
  std::vector<std::string> out{g.name(p.start)};
  for (auto e : p.edges) out.push_back(g.name(boost::target(e, g.graph())));
  return out;
}

const char* direction_of(StepKind k) {
  switch (k) {
    case StepKind::SgIngress:
    case StepKind::NaclIngress:
    case StepKind::IgwIngress:
    case StepKind::OwnsDst:
      return "ingress";
    case StepKind::SgEgress:
    case StepKind::NaclEgress:
    case StepKind::IgwEgress:
    case StepKind::Route:
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
        h_(Header::make(ctx_, "h")) {}

  std::vector<Reason> run(std::size_t max_ways) {
    const Asked asked = ask(n_, g_, enc_, h_, q_);
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
          r.path = vertex_names(g_, path);
          r.rule = route_text_at_drop(path);
          name(v, r);
          const std::string key = '|' + r.at + '|' + r.step + '|' + r.code;
          add_way({{std::move(r)}, key});
        }
      };
      const std::size_t reasons_before = out.size();
      const int ways_before = way;
      bool forward_open = false;  // some first packet of this source gets through
      const auto fwd =
          graph::enumerate_paths(g_, src.start, asked.question.targets, graph::Mode::Forward, 256);
      for (const auto& path : fwd.paths) {
        if (static_cast<std::size_t>(way) >= max_ways) break;
        const z3::expr base = begin_path(base_name, base_formula);
        add_way(blockers(load(path), base, src.member, vertex_names(g_, path)));
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
      end_ways(graph::enumerate_paths(g_, src.start, asked.ends.leaves, graph::Mode::Forward, 64),
               model::HopStep::Leave, [&](const graph::Vertex& v, Reason& r) {
                 r.code = model::to_string(model::DropCode::UnfollowedGateway);
                 r.detail = unfollowed_gateway_text(v.id, r.rule);
               });
      if (out.size() > before_leaves) continue;  // it leaves unfollowed: no drop to report
      end_ways(graph::enumerate_paths(g_, src.start, asked.ends.drops, graph::Mode::Forward, 64),
               model::HopStep::Route, [&](const graph::Vertex& v, Reason& r) {
                 r.code = v.code;
                 r.detail = "the traffic is dropped at " + v.id + ": " + r.rule;
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
      out.lits.push_back(solver_.track(s.literal, s.guard));
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
      case StepKind::TgwRoute: {  // a subnet's table, or a transit gateway's: the same decision
        const bool tgw = st.kind == StepKind::TgwRoute;
        const struct {
          const Id& id;
          const std::vector<model::Route>& routes;
        } table{st.id,
                tgw ? n_.transit_gateway_route_tables.at(st.id).routes : n_.route_tables.at(st.id).routes};
        const auto& mine = table.routes[static_cast<std::size_t>(st.index)];
        // Does this route cover any destination of the space at all?
        const z3::expr covers = solver_.track("whynot/covers " + mine.label(table.id) + " @" + es.before.name,
                                              encoder::in_prefix(es.before.dst_ip, mine.destination));
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
          if (!other.destination.contains(mine.destination) && !mine.destination.contains(other.destination))
            continue;
          auto w = v;
          w.push_back(solver_.track("whynot/won by " + other.label(table.id) + " @" + es.before.name,
                                    encoder::in_prefix(es.before.dst_ip, other.destination)));
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
      if (s.kind == StepKind::Route) {
        const auto& t = n_.route_tables.at(s.id);
        return model::describe(t.routes[static_cast<std::size_t>(s.index)]);
      }
      if (s.kind == StepKind::TgwRoute) {
        const auto& t = n_.transit_gateway_route_tables.at(s.id);
        return model::describe(t.routes[static_cast<std::size_t>(s.index)]);
      }
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
  encoder::Encoder enc(ctx, network);
  encoder::PathEncoder pe(enc, graph);
  return WhyNot(network, graph, query, pe).run(max_ways);
}

namespace {

/** The source members reasons are about. */
std::set<Id> members_of(const std::vector<Reason>& reasons) {
  std::set<Id> out;
  for (const auto& r : reasons) out.insert(r.from_member);
  return out;
}

/** Replaces result's reasons by mine, member by member (see add_why_not). */
void merge_reasons(std::vector<Reason> mine, ReachResult& result) {
  const std::set<Id> covered = members_of(mine);
  for (auto& r : result.reasons) {
    if (!covered.count(r.from_member)) mine.push_back(std::move(r));
  }
  result.reasons = std::move(mine);
}

}  // namespace

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
  ReachResult result = prover.reach_deferring_reasons(query);
  if (result.verdict != Verdict::Unreachable && !result.if_assumed) {
    prover.explain_deferred(result, {});
    return result;
  }
  const auto t0 = std::chrono::steady_clock::now();
  const graph::ForwardingGraph& g = prover.graph();
  auto mine = WhyNot(g.network(), g, query, prover.encodings()).run(kWhyNotWays);
  result.elapsed_ms +=
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  // merge_reasons drops the prover's reasons for every member why-not covers: not worth making.
  prover.explain_deferred(result, members_of(mine));
  merge_reasons(std::move(mine), result);
  return result;
}

// ---- reach --explain -------------------------------------------------------------------------

namespace {

std::string cidr32(Ipv4Address a) { return format_ipv4(a) + "/32"; }

/** AWS CLI's IpProtocol / --protocol text for a protocol number. */
std::string aws_protocol(int p) {
  if (p == model::kTcp) return "tcp";
  if (p == model::kUdp) return "udp";
  if (p == model::kIcmp) return "icmp";
  return std::to_string(p);
}

/** The L4 match that admits exactly this packet's protocol and port (type/code for ICMP). */
model::L4Match exact_l4(const model::Packet& p) {
  model::L4Match m;
  m.protocol = p.protocol;
  if (p.protocol == model::kTcp || p.protocol == model::kUdp) {
    m.ports = {p.dst_port, p.dst_port};
  } else if (p.protocol == model::kIcmp) {
    m.icmp_type = p.icmp_type();
    m.icmp_code = p.icmp_code();
    m.ports = {0, 0xFFFF};
  }
  return m;
}

std::string ip_permissions(const model::L4Match& m, const std::string& cidr) {
  std::string s = "IpProtocol=" + aws_protocol(m.protocol);
  if (m.protocol == model::kTcp || m.protocol == model::kUdp) {
    s += ",FromPort=" + std::to_string(m.ports.lo) + ",ToPort=" + std::to_string(m.ports.hi);
  } else if (m.protocol == model::kIcmp) {
    s += ",FromPort=" + std::to_string(m.icmp_type) + ",ToPort=" + std::to_string(m.icmp_code);
  }
  return s + ",IpRanges=[{CidrIp=" + cidr + "}]";
}

/** The peer a new rule names: the asked CIDR (0.0.0.0/0 for the internet) when the hop still
 *  sees the asked endpoint's address, else the one address the packet carries there. */
Ipv4Prefix peer_of(const ReachQuery& q, const model::Packet& first, const model::Packet& at,
                   model::Direction d) {
  if (d == model::Direction::Ingress) {
    if (at.src_ip == first.src_ip && (q.from.internet || q.from.cidr)) {
      return q.from.cidr ? *q.from.cidr : Ipv4Prefix::make(0, 0);
    }
    return Ipv4Prefix::make(at.src_ip, 32);
  }
  if (at.dst_ip == first.dst_ip && (q.to.internet || q.to.cidr))
    return q.to.cidr ? *q.to.cidr : Ipv4Prefix::make(0, 0);
  return Ipv4Prefix::make(at.dst_ip, 32);
}

Fix sg_fix(const model::Network& n, const model::NetworkInterface& eni, model::Direction d,
           const model::Packet& p, const Ipv4Prefix& peer_prefix) {
  Fix f;
  f.kind = Fix::Kind::AuthorizeSecurityGroup;
  const Id& group = eni.security_group_ids.front();
  const auto* g = model::Network::find(n.security_groups, group);
  const std::string peer_text = peer_prefix.to_string();
  f.sg_rule.group_id = group;
  f.sg_rule.direction = d;
  f.sg_rule.index =
      g ? static_cast<int>((d == model::Direction::Ingress ? g->ingress : g->egress).size()) : 0;
  f.sg_rule.l4 = exact_l4(p);
  f.sg_rule.peer = peer_text;
  f.sg_rule.peer_prefixes = {peer_prefix};
  f.sg_rule.description = "vpcprove --explain";
  const bool in = d == model::Direction::Ingress;
  f.summary = "allow " + model::describe(f.sg_rule.l4) + (in ? " from " : " to ") + peer_text + " in " +
              group + (in ? " (ingress)" : " (egress)");
  if (in && (p.protocol == model::kTcp || p.protocol == model::kUdp)) {
    f.aws_cli = "aws ec2 authorize-security-group-ingress --group-id " + shell_word(group) + " --protocol " +
                aws_protocol(p.protocol) + " --port " + std::to_string(p.dst_port) + " --cidr " +
                shell_word(peer_text);
  } else {
    f.aws_cli = std::string("aws ec2 authorize-security-group-") + (in ? "ingress" : "egress") +
                " --group-id " + shell_word(group) + " --ip-permissions " +
                shell_word(ip_permissions(f.sg_rule.l4, peer_text));
  }
  return f;
}

std::optional<Fix> nacl_fix(const model::NetworkAcl& acl, model::Direction d, const model::Packet& p) {
  const auto& entries = d == model::Direction::Ingress ? acl.ingress : acl.egress;
  const auto* deciding = trace::evaluate_nacl(acl, d, p).entry;
  const int limit = deciding ? deciding->rule_number : 32767;  // 32767: the built-in deny
  std::set<int> used;
  for (const auto& e : entries) used.insert(e.rule_number);
  int number = 0;
  // A round number just below the deciding entry when one is free, else the nearest free one.
  for (int cand = limit - 1; cand >= 1; --cand) {
    if (used.count(cand)) continue;
    if (number == 0) number = cand;
    if (cand % 10 == 0) {
      number = cand;
      break;
    }
    if (limit - cand > 10) break;
  }
  if (number == 0) return std::nullopt;
  const Ipv4Address peer = d == model::Direction::Ingress ? p.src_ip : p.dst_ip;
  Fix f;
  f.kind = Fix::Kind::CreateNaclEntry;
  f.nacl_entry.acl_id = acl.id;
  f.nacl_entry.direction = d;
  f.nacl_entry.rule_number = number;
  f.nacl_entry.allow = true;
  f.nacl_entry.l4 = exact_l4(p);
  f.nacl_entry.cidr = Ipv4Prefix::make(peer, 32);
  f.summary = "allow " + model::describe(f.nacl_entry.l4) +
              (d == model::Direction::Ingress ? " from " : " to ") + cidr32(peer) + " in " + acl.id +
              " as rule " + std::to_string(number) +
              (d == model::Direction::Ingress ? " (inbound)" : " (outbound)");
  f.aws_cli = "aws ec2 create-network-acl-entry --network-acl-id " + shell_word(acl.id) +
              (d == model::Direction::Ingress ? " --ingress" : " --egress") + " --rule-number " +
              std::to_string(number) + " --protocol " + std::to_string(p.protocol);
  if (p.protocol == model::kTcp || p.protocol == model::kUdp) {
    f.aws_cli += " --port-range From=" + std::to_string(p.dst_port) + ",To=" + std::to_string(p.dst_port);
  } else if (p.protocol == model::kIcmp) {
    f.aws_cli +=
        " --icmp-type-code Type=" + std::to_string(p.icmp_type()) + ",Code=" + std::to_string(p.icmp_code());
  }
  f.aws_cli += " --cidr-block " + cidr32(peer) + " --rule-action allow";
  return f;
}

Fix route_fix(const model::RouteTable& t, const model::Route& via, Ipv4Address dst) {
  Fix f;
  f.kind = Fix::Kind::CreateRoute;
  f.route_table_id = t.id;
  f.route = via;
  f.route.destination = Ipv4Prefix::make(dst, 32);
  f.route.prefix_list_id.reset();
  f.route.blackhole = false;
  f.route.origin = "CreateRoute";
  const bool replace = std::any_of(t.routes.begin(), t.routes.end(), [&](const model::Route& r) {
    return !r.prefix_list_id && r.destination == f.route.destination;
  });
  std::string target;
  switch (via.target_kind) {
    case model::RouteTargetKind::InternetGateway:
      target = "--gateway-id ";
      break;
    case model::RouteTargetKind::NatGateway:
      target = "--nat-gateway-id ";
      break;
    case model::RouteTargetKind::NetworkInterface:
      target = "--network-interface-id ";
      break;
    case model::RouteTargetKind::VpcPeering:
      target = "--vpc-peering-connection-id ";
      break;
    case model::RouteTargetKind::TransitGateway:
      target = "--transit-gateway-id ";
      break;
    case model::RouteTargetKind::EgressOnlyInternetGateway:
      target = "--egress-only-internet-gateway-id ";
      break;
    default:
      target = "--gateway-id ";
      break;
  }
  f.summary = std::string(replace ? "replace" : "add") + " the route " + cidr32(dst) + " -> " +
              via.target_id + " in " + t.id;
  f.aws_cli = std::string("aws ec2 ") + (replace ? "replace-route" : "create-route") + " --route-table-id " +
              shell_word(t.id) + " --destination-cidr-block " + cidr32(dst) + " " + target +
              shell_word(via.target_id);
  return f;
}

/** Addresses from 198.18.0.0/15 (benchmarking space: internet, never a VPC's) no ENI uses. */
std::vector<Ipv4Address> spare_public_ips(const model::Network& n, std::size_t count) {
  std::vector<Ipv4Address> out;
  for (Ipv4Address a = 0xC6120001u; out.size() < count && a < 0xC613FFFFu; ++a) {
    if (!n.interface_with_public_ip(a) && !n.nat_gateway_with_public_ip(a) && n.is_internet_address(a))
      out.push_back(a);
  }
  return out;
}

/** A soft gate of a path: a guard that a change could open, with how to open it. */
struct Soft {
  z3::expr holds;
  const encoder::EncodedStep* step = nullptr;  // a gate of the path
  Id hypothetical_eni;                         // or: "this ENI's new public IP is not used"
};

}  // namespace

Explanation explain_unreachable(const model::Network& network, const ReachQuery& query,
                                std::size_t max_paths) {
  Explanation out;
  // The network as it would be if every workload ENI without a public IP had one: using it
  // costs one change (associate-address), like any other gate.
  model::Network hyp = network;
  std::map<Id, std::pair<Ipv4Address, Ipv4Address>> new_ip;  // eni -> (private, public)
  {
    std::vector<Id> lacking;
    for (const auto& [id, e] : network.network_interfaces) {
      if (e.in_sets() && !e.private_ips.empty() && !e.has_public_ip()) lacking.push_back(id);
    }
    const auto spare = spare_public_ips(network, lacking.size());
    for (std::size_t i = 0; i < lacking.size() && i < spare.size(); ++i) {
      auto& e = hyp.network_interfaces.at(lacking[i]);
      e.private_ips.front().public_ip = spare[i];
      new_ip[lacking[i]] = {e.private_ips.front().address, spare[i]};
    }
    hyp.index();
  }
  const graph::ForwardingGraph g(hyp);
  z3::context c;
  encoder::Encoder enc(c, hyp);
  encoder::PathEncoder pe(enc, g);
  const Header h = Header::make(c, "h");
  const Asked asked = ask(hyp, g, enc, h, query);

  struct Candidate {
    unsigned cost;
    std::vector<Fix> fixes;
    Id member;
    std::vector<std::string> path;
    model::Packet packet;
  };
  std::vector<Candidate> candidates;
  for (std::size_t si = 0; si < asked.question.sources.size(); ++si) {
    const QuestionSource& src = asked.question.sources[si];
    const auto paths =
        graph::enumerate_paths(g, src.start, asked.question.targets, graph::Mode::Forward, max_paths);
    for (const auto& path : paths.paths) {
      const auto ep = pe.encode(path, h);
      z3::optimize opt(c);
      if (query.timeout_ms) {
        z3::params prm(c);
        prm.set("timeout", query.timeout_ms);
        opt.set(prm);
      }
      opt.add(asked.space && asked.source_address[si]);
      for (const auto& d : ep.definitions) opt.add(d.formula);
      std::vector<Soft> soft;
      std::map<Id, z3::expr_vector> unused;  // eni -> "its new IP is not used" parts
      for (const auto& s : ep.steps) {
        if (s.literal.empty()) continue;
        switch (s.step->kind) {
          case StepKind::SgEgress:
          case StepKind::SgIngress: {
            const auto& eni = hyp.network_interfaces.at(s.step->id);
            if (eni.security_group_ids.empty()) {
              opt.add(s.guard);  // no group to add a rule to: not a change this command suggests
            } else {
              soft.push_back({s.guard, &s, {}});
            }
            break;
          }
          case StepKind::NaclEgress:
          case StepKind::NaclIngress:
          case StepKind::Route:
          case StepKind::SourceDestCheck:
            soft.push_back({s.guard, &s, {}});
            break;
          case StepKind::IgwIngress:
            opt.add(s.guard);
            for (const auto& [id, ip] : new_ip) {
              auto it = unused.try_emplace(id, c).first;
              it->second.push_back(s.before.dst_ip != c.bv_val(ip.second, 32));
            }
            break;
          case StepKind::IgwEgress:
            opt.add(s.guard);
            for (const auto& [id, ip] : new_ip) {
              auto it = unused.try_emplace(id, c).first;
              it->second.push_back(s.before.src_ip != c.bv_val(ip.first, 32));
            }
            break;
          default:
            opt.add(s.guard);
            break;
        }
      }
      for (auto& [id, parts] : unused) soft.push_back({z3::mk_and(parts), nullptr, id});
      // Fewest changes first (weight 1000 each), then a packet people can read (weight 1 each).
      for (const auto& x : soft) opt.add_soft(x.holds, 1000);
      {
        const Ipv4Prefix zero{0, 8}, high{0xE0000000u, 3};
        for (const auto* ip : {&h.src_ip, &h.dst_ip}) {
          opt.add_soft(!encoder::in_prefix(*ip, zero) && !encoder::in_prefix(*ip, high), 1);
        }
        opt.add_soft(z3::implies(encoder::is_tcp_or_udp(h), z3::uge(h.src_port, c.bv_val(49152, 16))), 1);
      }
      if (opt.check() != z3::sat) continue;
      const z3::model m = opt.get_model();
      Candidate cand{0, {}, src.member, vertex_names(g, path), encoder::packet_of(m, h)};
      bool fixable = true;
      for (const auto& x : soft) {
        if (m.eval(x.holds, true).is_true()) continue;
        ++cand.cost;
        if (!x.step) {
          const auto& [priv, pub] = new_ip.at(x.hypothetical_eni);
          Fix f;
          f.kind = Fix::Kind::AssociateAddress;
          f.eni = x.hypothetical_eni;
          f.private_ip = priv;
          f.public_ip = pub;
          f.summary = "give " + f.eni + " (" + format_ipv4(priv) + ") an Elastic IP (" + format_ipv4(pub) +
                      " stands for the address AWS allocates)";
          f.aws_cli = "aws ec2 associate-address --network-interface-id " + shell_word(f.eni) +
                      " --private-ip-address " + format_ipv4(priv) +
                      // One command a shell can run: the allocation's ID is what allocate-address prints.
                      " --allocation-id \"$(aws ec2 allocate-address --domain vpc --query AllocationId "
                      "--output text)\"";
          cand.fixes.push_back(f);
          continue;
        }
        const auto& st = *x.step->step;
        const model::Packet at = encoder::packet_of(m, x.step->before);
        switch (st.kind) {
          case StepKind::SgEgress:
          case StepKind::SgIngress: {
            const auto d =
                st.kind == StepKind::SgIngress ? model::Direction::Ingress : model::Direction::Egress;
            cand.fixes.push_back(
                sg_fix(hyp, hyp.network_interfaces.at(st.id), d, at, peer_of(query, cand.packet, at, d)));
          } break;
          case StepKind::NaclEgress:
          case StepKind::NaclIngress: {
            const auto* sub = model::Network::find(hyp.subnets, st.id);
            const auto* acl = sub ? model::Network::find(hyp.network_acls, sub->nacl_id) : nullptr;
            auto f = acl ? nacl_fix(*acl,
                                    st.kind == StepKind::NaclIngress ? model::Direction::Ingress
                                                                     : model::Direction::Egress,
                                    at)
                         : std::nullopt;
            if (f) {
              cand.fixes.push_back(*f);
            } else {
              fixable = false;
            }
            break;
          }
          case StepKind::Route: {
            const auto& t = hyp.route_tables.at(st.id);
            cand.fixes.push_back(route_fix(t, t.routes[static_cast<std::size_t>(st.index)], at.dst_ip));
            break;
          }
          case StepKind::SourceDestCheck: {
            Fix f;
            f.kind = Fix::Kind::DisableSourceDestCheck;
            f.eni = st.id;
            f.summary = "turn off the source/destination check of " + st.id + " (it forwards for others)";
            f.aws_cli = "aws ec2 modify-network-interface-attribute --network-interface-id " +
                        shell_word(st.id) + " --no-source-dest-check";
            cand.fixes.push_back(f);
            break;
          }
          default:
            fixable = false;
            break;
        }
      }
      if (fixable) candidates.push_back(std::move(cand));
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.cost < b.cost; });
  // Check each candidate on the real network with the fixes applied; the first that works wins.
  for (const auto& cand : candidates) {
    if (cand.fixes.empty()) continue;  // nothing to change: the prover would have found it
    const model::Network fixed = apply_fixes(network, cand.fixes);
    Prover prover(fixed, {}, eni_scope(fixed, query));
    const auto r = prover.reach(query);
    if (r.verdict != Verdict::Reachable) continue;
    out.found = true;
    out.fixes = cand.fixes;
    out.from_member = cand.member;
    out.path = cand.path;
    out.packet = cand.packet;
    return out;
  }
  out.note = candidates.empty()
                 ? "no candidate path can be opened by security-group, NACL, route, public-IP or "
                   "source/destination-check changes (e.g. peering CIDRs, NAT protocols)"
                 : "no suggested set of changes was confirmed by the prover";
  return out;
}

namespace {

/** The SG rule or NACL entry a witness hop names (by its model::describe text), as a removal. */
std::optional<Fix> removal_for(const model::Network& n, const model::Hop& hop) {
  if (model::step_is(hop.step, model::HopStep::SgIngress) ||
      model::step_is(hop.step, model::HopStep::SgEgress)) {
    const auto* eni = model::Network::find(n.network_interfaces, hop.at);
    if (!eni) return std::nullopt;
    const bool in = model::step_is(hop.step, model::HopStep::SgIngress);
    for (const auto& gid : eni->security_group_ids) {
      const auto* g = model::Network::find(n.security_groups, gid);
      if (!g) continue;
      for (const auto& r : in ? g->ingress : g->egress) {
        if (model::describe(r) != hop.by) continue;
        Fix f;
        f.kind = Fix::Kind::RevokeSecurityGroup;
        f.sg_rule = r;
        f.summary = "remove " + model::describe(r);
        const std::string cidr = r.peer;
        const std::string perm =
            r.l4.protocol == model::kAnyProtocol
                ? "IpProtocol=-1"
                : ip_permissions(r.l4, cidr).substr(0, ip_permissions(r.l4, cidr).find(",IpRanges"));
        std::string peer_part;
        if (cidr.rfind("sg-", 0) == 0) {
          peer_part = ",UserIdGroupPairs=[{GroupId=" + cidr + "}]";
        } else if (cidr.rfind("pl-", 0) == 0) {
          peer_part = ",PrefixListIds=[{PrefixListId=" + cidr + "}]";
        } else {
          peer_part = ",IpRanges=[{CidrIp=" + cidr + "}]";
        }
        f.aws_cli = std::string("aws ec2 revoke-security-group-") + (in ? "ingress" : "egress") +
                    " --group-id " + shell_word(gid) + " --ip-permissions " + shell_word(perm + peer_part);
        return f;
      }
    }
  } else if (model::step_is(hop.step, model::HopStep::NaclIngress) ||
             model::step_is(hop.step, model::HopStep::NaclEgress)) {
    const auto* sub = model::Network::find(n.subnets, hop.at);
    const auto* acl = sub ? model::Network::find(n.network_acls, sub->nacl_id) : nullptr;
    if (!acl) return std::nullopt;
    const bool in = model::step_is(hop.step, model::HopStep::NaclIngress);
    for (const auto& e : in ? acl->ingress : acl->egress) {
      if (model::describe(e) != hop.by || !e.allow) continue;
      Fix f;
      f.kind = Fix::Kind::DeleteNaclEntry;
      f.nacl_entry = e;
      f.summary = "remove " + model::describe(e);
      f.aws_cli = "aws ec2 delete-network-acl-entry --network-acl-id " + shell_word(acl->id) +
                  (in ? " --ingress" : " --egress") + " --rule-number " + std::to_string(e.rule_number);
      return f;
    }
  }
  return std::nullopt;
}

std::string key_of(const Fix& f) {
  return f.kind == Fix::Kind::RevokeSecurityGroup ? f.sg_rule.label() : f.nacl_entry.label();
}

}  // namespace

Explanation explain_reachable(const model::Network& network, const ReachQuery& query, int max_rounds) {
  Explanation out;
  std::map<std::string, Fix> known;              // every removable rule any witness used
  std::vector<std::set<std::string>> witnesses;  // the rules each witness used
  std::vector<Fix> chosen;
  for (int round = 0; round < max_rounds; ++round) {
    const model::Network current = apply_fixes(network, chosen);
    Prover prover(current, {}, eni_scope(current, query));
    const auto r = prover.reach(query);
    if (r.verdict == Verdict::Unreachable) {
      out.found = !chosen.empty();
      out.fixes = chosen;
      if (!out.found) out.note = "already unreachable";
      return out;
    }
    if (r.verdict == Verdict::Unknown) {
      out.note = "the solver gave up: " + r.unknown_reason;
      return out;
    }
    std::set<std::string> used;
    for (const auto& hop : r.path) {
      if (auto f = removal_for(current, hop)) {
        known.emplace(key_of(*f), *f);
        used.insert(key_of(*f));
      }
    }
    out.path.clear();
    for (const auto& hop : r.path) out.path.push_back(hop.at + " " + hop.step);
    if (used.empty()) {
      out.note = "the witness " + model::describe(*r.packet) + " passes no rule that could be removed";
      return out;
    }
    witnesses.push_back(used);
    // Minimum hitting set of every witness so far: fewest removals that break them all.
    z3::context c;
    z3::optimize opt(c);
    std::map<std::string, z3::expr> var;
    for (const auto& [k, f] : known) var.emplace(k, c.bool_const(k.c_str()));
    for (const auto& w : witnesses) {
      z3::expr_vector any(c);
      for (const auto& k : w) any.push_back(var.at(k));
      opt.add(z3::mk_or(any));
    }
    for (const auto& [k, v] : var) opt.add_soft(!v, 1);
    if (opt.check() != z3::sat) {
      out.note = "no set of removals found";
      return out;
    }
    const auto m = opt.get_model();
    chosen.clear();
    for (const auto& [k, v] : var) {
      if (m.eval(v, true).is_true()) chosen.push_back(known.at(k));
    }
  }
  out.note = "no set of removals closed every way within " + std::to_string(max_rounds) + " rounds";
  return out;
}

model::Network apply_fixes(const model::Network& network, const std::vector<Fix>& fixes) {
  model::Network n = network;
  for (const auto& f : fixes) {
    switch (f.kind) {
      case Fix::Kind::AuthorizeSecurityGroup: {
        auto it = n.security_groups.find(f.sg_rule.group_id);
        if (it == n.security_groups.end()) break;
        auto& rules =
            f.sg_rule.direction == model::Direction::Ingress ? it->second.ingress : it->second.egress;
        model::SgRule r = f.sg_rule;
        r.index = static_cast<int>(rules.size());
        rules.push_back(r);
        break;
      }
      case Fix::Kind::RevokeSecurityGroup: {
        auto it = n.security_groups.find(f.sg_rule.group_id);
        if (it == n.security_groups.end()) break;
        auto& rules =
            f.sg_rule.direction == model::Direction::Ingress ? it->second.ingress : it->second.egress;
        // Indices stay as they were: labels of the other rules keep naming the same rules.
        std::erase_if(rules, [&](const model::SgRule& r) { return r.index == f.sg_rule.index; });
        break;
      }
      case Fix::Kind::CreateNaclEntry:
      case Fix::Kind::DeleteNaclEntry: {
        auto it = n.network_acls.find(f.nacl_entry.acl_id);
        if (it == n.network_acls.end()) break;
        auto& entries =
            f.nacl_entry.direction == model::Direction::Ingress ? it->second.ingress : it->second.egress;
        std::erase_if(entries,
                      [&](const model::NaclEntry& e) { return e.rule_number == f.nacl_entry.rule_number; });
        if (f.kind == Fix::Kind::CreateNaclEntry) {
          entries.push_back(f.nacl_entry);
          std::stable_sort(entries.begin(), entries.end(),
                           [](const model::NaclEntry& a, const model::NaclEntry& b) {
                             return a.rule_number < b.rule_number;
                           });
        }
        break;
      }
      case Fix::Kind::CreateRoute: {
        auto it = n.route_tables.find(f.route_table_id);
        if (it == n.route_tables.end()) break;
        auto& routes = it->second.routes;
        std::erase_if(routes, [&](const model::Route& r) {
          return !r.prefix_list_id && r.destination == f.route.destination;
        });
        // Decision order: longest prefix first; a new static route goes before others of its length.
        auto pos = std::find_if(routes.begin(), routes.end(), [&](const model::Route& r) {
          return r.destination.len <= f.route.destination.len;
        });
        routes.insert(pos, f.route);
        break;
      }
      case Fix::Kind::AssociateAddress: {
        auto it = n.network_interfaces.find(f.eni);
        if (it == n.network_interfaces.end()) break;
        for (auto& p : it->second.private_ips) {
          if (p.address == f.private_ip) p.public_ip = f.public_ip;
        }
        break;
      }
      case Fix::Kind::DisableSourceDestCheck: {
        auto it = n.network_interfaces.find(f.eni);
        if (it != n.network_interfaces.end()) it->second.source_dest_check = false;
        break;
      }
    }
  }
  n.index();
  return n;
}

}  // namespace vpcprove::queries
