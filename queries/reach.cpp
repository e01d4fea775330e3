// SPDX-License-Identifier: Apache-2.0
// reach: candidate paths from the graph, each checked by Z3; witnesses named like trace.
#include "queries/reach.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <tuple>

#include "graph/paths.h"

namespace vpcprove::queries {

using encoder::EncodedPath;
using encoder::Header;
using graph::StepKind;
using model::Id;
using solver::Outcome;

const char* to_string(Semantics s) { return s == Semantics::Packet ? "packet" : "session"; }

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::Reachable:
      return "reachable";
    case Verdict::Unreachable:
      return "unreachable";
    case Verdict::Unknown:
      return "unknown";
  }
  return "unknown";
}

namespace {

struct Source {
  graph::VertexId start;
  Id member;  // ENI or "internet"
  z3::expr constraint;
  trace::Start trace_start;
};

/** A literal of a path and the step it guards (-1: the query itself, -2: the session match). */
struct Lit {
  z3::expr literal;
  const encoder::EncodedStep* step;
  bool reply;
};

std::string code_of(const graph::Step& s) {
  switch (s.kind) {
    case StepKind::SgEgress:
    case StepKind::SgIngress:
      return "ENI_SG_RULES_MISMATCH";
    case StepKind::NaclEgress:
    case StepKind::NaclIngress:
      return "SUBNET_ACL_RESTRICTION";
    case StepKind::Route:
    case StepKind::NoRoute:
      return "NO_ROUTE_TO_DESTINATION";
    case StepKind::OwnsDst:
      return "DESTINATION_ADDRESS_NOT_ASSIGNED";
    case StepKind::IgwEgress:
      return "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS";
    case StepKind::NotSnapshotPublic:
      return "DESTINATION_IS_A_SNAPSHOT_PUBLIC_IP";
    case StepKind::IgwIngress:
      return s.aux.empty() ? "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS" : "NGW_INBOUND_NOT_ALLOWED";
    case StepKind::NatProtocol:
      return "NGW_UNSUPPORTED_PROTOCOL";
    case StepKind::NatAddressed:
    case StepKind::NatReverse:
      return "REPLY_DOES_NOT_MATCH_SESSION";
    case StepKind::PcxCheck:
      return "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR";
    case StepKind::SourceDestCheck:
      return "ENI_SOURCE_DEST_CHECK_RESTRICTION";
    default:
      return "UNKNOWN";
  }
}

/** The resource to blame for a failing step, named as trace names the drop's "at". */
std::string blame(const model::Network& n, const graph::Step& s) {
  switch (s.kind) {
    case StepKind::SgEgress:
    case StepKind::SgIngress: {
      const auto& eni = n.network_interfaces.at(s.id);
      return eni.security_group_ids.empty() ? eni.id : eni.security_group_ids.front();
    }
    case StepKind::NaclEgress:
    case StepKind::NaclIngress: {
      const auto* sub = model::Network::find(n.subnets, s.id);
      return sub ? sub->nacl_id : s.id;
    }
    case StepKind::NotSnapshotPublic:
      return "internet";
    case StepKind::IgwIngress:
      return s.aux.empty() ? s.id : s.aux;
    default:
      return s.id;
  }
}

}  // namespace

struct Prover::Impl {
  const model::Network& net;
  const graph::ForwardingGraph& g;
  z3::context ctx;
  encoder::Encoder enc;
  encoder::PathEncoder paths;
  solver::Solver solver;
  Header h;
  unsigned queries = 0;

  Impl(const model::Network& n, const graph::ForwardingGraph& graph)
      : net(n), g(graph), ctx(), enc(ctx, n), paths(enc, graph), solver(ctx), h(Header::make(ctx, "h")) {
    solver.define("h/well-formed", encoder::well_formed(h));
  }

  /** Asserts the path's definitions and guards; returns its literals in path order. */
  std::vector<Lit> load(const EncodedPath& p, bool reply) {
    std::vector<Lit> out;
    for (const auto& d : p.definitions) solver.define(d.name, d.formula);
    for (const auto& s : p.steps) {
      if (s.literal.empty()) continue;
      out.push_back({solver.track(s.literal, s.guard), &s, reply});
    }
    return out;
  }

  solver::CheckResult check(const std::vector<z3::expr>& base, const std::vector<Lit>& lits,
                            std::size_t count) {
    z3::expr_vector a(ctx);
    for (const auto& b : base) a.push_back(b);
    for (std::size_t i = 0; i < count && i < lits.size(); ++i) a.push_back(lits[i].literal);
    return solver.check(a);
  }

  /** The first literal of lits at which no packet of the space is left (lits as a whole is unsat). */
  std::optional<std::size_t> first_blocking(const std::vector<z3::expr>& base, const std::vector<Lit>& lits,
                                            const std::vector<std::string>& core) {
    // The core bounds the search: the prefix up to its last member is already unsat.
    std::size_t hi = lits.size();
    if (!core.empty()) {
      std::set<std::string> names(core.begin(), core.end());
      for (std::size_t i = lits.size(); i-- > 0;) {
        if (names.count(lits[i].literal.decl().name().str())) {
          hi = i + 1;
          break;
        }
      }
    }
    if (check(base, lits, 0).outcome != Outcome::Sat) return std::nullopt;  // the query alone is empty
    std::size_t lo = 0;  // prefix of lo literals is sat; prefix of hi is unsat (or unknown)
    while (hi - lo > 1) {
      const std::size_t mid = (lo + hi) / 2;
      if (check(base, lits, mid).outcome == Outcome::Sat) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi - 1;
  }

  Reason reason_for(const std::vector<Lit>& lits, std::optional<std::size_t> at, const Source& src,
                    const std::vector<std::string>& vertices) {
    Reason r;
    r.from_member = src.member;
    r.path = vertices;
    if (!at) {
      r.at = src.member;
      r.step = "query";
      r.code = "NO_PACKET_IN_HEADER_SPACE";
      r.detail = "no packet of the asked header space can leave " + src.member;
      return r;
    }
    const Lit& l = lits[*at];
    if (!l.step) {
      r.at = src.member;
      r.step = "reply";
      r.code = "REPLY_DOES_NOT_MATCH_SESSION";
      r.detail = "the reply does not come back to the initiator with the header it sent, reversed";
      return r;
    }
    const auto& st = *l.step->step;
    const auto* x =
        st.kind == StepKind::OwnsDst ? model::Network::find(net.network_interfaces, st.id) : nullptr;
    if (x && !x->has_public_ip() && l.step->before.name.find("igw-in:") != std::string::npos) {
      // Entered from the internet: only ENIs with a public IP are addressable at all.
      r.at = x->id;
      r.step = "igw-ingress";
      r.code = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS";
      r.detail = x->id + " has no public or Elastic IP, so nothing from the internet is addressed to it";
      return r;
    }
    r.at = blame(net, *l.step->step);
    r.step = graph::hop_step(l.step->step->kind);
    r.code = code_of(*l.step->step);
    r.detail = (l.reply ? "reply: " : "") + std::string("no packet passes ") + l.literal.decl().name().str();
    return r;
  }

  std::vector<std::string> vertex_names(const graph::Path& p) {
    std::vector<std::string> out{g.name(p.start)};
    for (auto e : p.edges) out.push_back(g.name(boost::target(e, g.graph())));
    return out;
  }
};

Prover::Prover(const model::Network& network)
    : network_(network), graph_(network), impl_(std::make_unique<Impl>(network_, graph_)) {}

Prover::~Prover() = default;

ReachResult Prover::reach(const ReachQuery& q) {
  const auto t0 = std::chrono::steady_clock::now();
  Impl& I = *impl_;
  auto& c = I.ctx;
  const Header& h = I.h;
  const auto& n = network_;
  const unsigned checks_before = I.solver.checks();
  I.solver.set_timeout(q.timeout_ms);
  ReachResult out;
  out.from = q.from.text;
  out.to = q.to.text;
  out.semantics = q.semantics;

  // The question: one literal per query so queries on one solver never mix.
  const std::string qid = "query" + std::to_string(++I.queries);
  std::vector<z3::expr> base;
  {
    z3::expr_vector parts(c);
    const auto& hs = q.header;
    if (hs.protocol) parts.push_back(h.protocol == c.bv_val(*hs.protocol, 8));
    const bool ports_given = hs.dst_ports || hs.src_ports;
    if (ports_given && !hs.protocol) parts.push_back(encoder::is_tcp_or_udp(h));
    if (hs.dst_ports) parts.push_back(encoder::in_range(h.dst_port, *hs.dst_ports));
    if (hs.src_ports) parts.push_back(encoder::in_range(h.src_port, *hs.src_ports));
    if (hs.src_ip) parts.push_back(encoder::in_prefix(h.src_ip, *hs.src_ip));
    if (hs.dst_ip) parts.push_back(encoder::in_prefix(h.dst_ip, *hs.dst_ip));
    if (q.to.internet) parts.push_back(I.enc.internet_address(h.dst_ip));
    if (q.to.cidr) parts.push_back(encoder::in_prefix(h.dst_ip, *q.to.cidr));
    base.push_back(
        I.solver.track(qid + "/header-space", parts.empty() ? c.bool_val(true) : z3::mk_and(parts)));
  }

  // Sources.
  std::vector<Source> sources;
  auto add_eni = [&](const model::NetworkInterface& e, const std::optional<Ipv4Prefix>& within) {
    if (e.private_ips.empty()) return;
    z3::expr k = I.enc.owns(e, h.src_ip);
    if (within) k = k && encoder::in_prefix(h.src_ip, *within);
    sources.push_back({graph_.start(e.id), e.id, k, trace::Start::interface(e.id)});
  };
  if (q.from.internet) {
    sources.push_back(
        {graph_.internet(), "internet", I.enc.internet_address(h.src_ip), trace::Start::internet()});
  } else if (q.from.cidr) {
    for (const auto& [id, e] : n.network_interfaces) {
      if (std::any_of(e.private_ips.begin(), e.private_ips.end(),
                      [&](const model::PrivateIp& p) { return q.from.cidr->contains(p.address); })) {
        add_eni(e, q.from.cidr);
      }
    }
    sources.push_back({graph_.internet(), "internet",
                       I.enc.internet_address(h.src_ip) && encoder::in_prefix(h.src_ip, *q.from.cidr),
                       trace::Start::internet()});
  } else {
    for (const auto& id : q.from.interfaces) {
      const auto* e = model::Network::find(n.network_interfaces, id);
      if (e) add_eni(*e, std::nullopt);
    }
  }

  // Targets.
  std::set<graph::VertexId> targets;
  if (q.to.internet) {
    targets.insert(graph_.exits_internet());
  } else if (q.to.cidr) {
    targets.insert(graph_.exits_internet());
    for (const auto& [id, e] : n.network_interfaces) targets.insert(graph_.delivered(id));
  } else {
    for (const auto& id : q.to.interfaces) {
      if (n.network_interfaces.count(id)) targets.insert(graph_.delivered(id));
    }
  }

  bool truncated = false;
  std::string unknown;
  auto finish = [&]() {
    out.solver_checks = I.solver.checks() - checks_before;
    out.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return out;
  };

  for (const auto& src : sources) {
    std::vector<z3::expr> sbase = base;
    sbase.push_back(I.solver.track(qid + "/from " + src.member, src.constraint));
    const auto fwd = graph::enumerate_paths(graph_, src.start, targets, graph::Mode::Forward);
    truncated = truncated || fwd.truncated;
    out.candidate_paths += fwd.paths.size();
    for (const auto& path : fwd.paths) {
      const EncodedPath ep = I.paths.encode(path, h);
      const auto lits = I.load(ep, false);
      const auto r = I.check(sbase, lits, lits.size());
      if (r.outcome == Outcome::Unknown) {
        unknown = r.reason_unknown;
        continue;
      }
      if (r.outcome == Outcome::Unsat) {
        out.reasons.push_back(
            I.reason_for(lits, I.first_blocking(sbase, lits, r.core), src, I.vertex_names(path)));
        continue;
      }
      const graph::VertexId end = path.end(graph_.graph());
      std::optional<z3::model> model = r.model;
      if (q.semantics == Semantics::Session) {
        model.reset();
        // The reply walks back from the responder and must reach the initiator as sent, reversed.
        const bool to_internet = graph_.vertex(end).kind == graph::VertexKind::ExitsInternet;
        const graph::VertexId rstart = to_internet ? graph_.internet() : graph_.start(graph_.vertex(end).id);
        const graph::VertexId rtarget =
            src.member == "internet" ? graph_.exits_internet() : graph_.delivered(src.member);
        const auto rep = graph::enumerate_paths(graph_, rstart, {rtarget}, graph::Mode::Reply);
        truncated = truncated || rep.truncated;
        auto [rh, rdef] = I.paths.reply_header(ep.end);
        I.solver.define(rdef.name, rdef.formula);
        std::vector<z3::expr> fbase = sbase;
        for (const auto& l : lits) fbase.push_back(l.literal);
        bool explained = false;
        for (const auto& rpath : rep.paths) {
          const EncodedPath rp = I.paths.encode(rpath, rh, &ep);
          auto rlits = I.load(rp, true);
          rlits.push_back({I.solver.track("session/reply-matches @" + rp.end.name + " for " + ep.end.name,
                                          encoder::is_reply_to(rp.end, h)),
                           nullptr, true});
          const auto rr = I.check(fbase, rlits, rlits.size());
          if (rr.outcome == Outcome::Sat) {
            model = rr.model;
            break;
          }
          if (rr.outcome == Outcome::Unknown) {
            unknown = rr.reason_unknown;
          } else if (!explained) {
            explained = true;
            auto names = I.vertex_names(path);
            for (auto& v : I.vertex_names(rpath)) names.push_back("reply:" + v);
            out.reasons.push_back(I.reason_for(rlits, I.first_blocking(fbase, rlits, rr.core), src, names));
          }
        }
        if (rep.paths.empty()) {
          Reason rs;
          rs.at = graph_.vertex(end).id;
          rs.step = "reply";
          rs.code = "REPLY_DOES_NOT_MATCH_SESSION";
          rs.detail = "no way back from " + graph_.name(end) + " to " + src.member;
          rs.from_member = src.member;
          rs.path = I.vertex_names(path);
          out.reasons.push_back(rs);
        }
        if (!model) continue;
      }
      {
        // A witness people can read: an ephemeral source port, no 0.0.0.0/8 or class D/E addresses.
        z3::expr_vector pref(c);
        const Ipv4Prefix zero{0, 8}, high{0xE0000000u, 3};
        pref.push_back(z3::implies(encoder::is_tcp_or_udp(h), z3::uge(h.src_port, c.bv_val(49152, 16))));
        for (const auto* ip : {&h.src_ip, &h.dst_ip}) {
          pref.push_back(!encoder::in_prefix(*ip, zero) && !encoder::in_prefix(*ip, high));
        }
        // Tiers, most familiar first (a TCP connection to 443, then any TCP): the first tier the
        // header space allows gives the witness; each costs one incremental check.
        const z3::expr readable = z3::mk_and(pref);
        const z3::expr tcp = h.protocol == c.bv_val(model::kTcp, 8);
        const z3::expr https = tcp && h.dst_port == c.bv_val(443, 16);
        // Names are per query: Solver::track keeps the first formula given a name.
        const std::pair<std::string, z3::expr> tiers[] = {
            {qid + "/witness/readable-https", readable && https},
            {qid + "/witness/readable-tcp", readable && tcp},
            {qid + "/witness/readable", readable},
        };
        if (q.semantics == Semantics::Packet) {
          for (const auto& [name, preference] : tiers) {
            z3::expr_vector a(c);
            for (const auto& b : sbase) a.push_back(b);
            for (const auto& l : lits) a.push_back(l.literal);
            a.push_back(I.solver.track(name, preference));
            auto nice = I.solver.check(a);
            if (nice.outcome == Outcome::Sat) {
              model = nice.model;
              break;
            }
          }
        }
      }
      out.verdict = Verdict::Reachable;
      out.reasons.clear();
      out.from_member = src.member;
      out.to_member =
          graph_.vertex(end).kind == graph::VertexKind::ExitsInternet ? "internet" : graph_.vertex(end).id;
      out.packet = solver::packet(*model, h);
      out.path = I.paths.hops(ep, *model);
      out.disposition = graph_.vertex(end).kind == graph::VertexKind::ExitsInternet
                            ? model::Disposition::ExitsInternet
                            : model::Disposition::Delivered;
      out.session = trace::walk_session(n, src.trace_start, *out.packet);
      return finish();
    }
  }

  // One reason per (source, place, code): many candidate paths stop at the same resource.
  {
    std::vector<Reason> unique;
    std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
    for (auto& r : out.reasons) {
      if (seen.insert({r.from_member, r.at, r.step, r.code}).second) unique.push_back(std::move(r));
    }
    out.reasons = std::move(unique);
  }
  if (truncated || !unknown.empty()) {
    out.verdict = Verdict::Unknown;
    out.unknown_reason = !unknown.empty() ? unknown : "too many candidate paths (enumeration limit)";
    return finish();
  }
  out.verdict = Verdict::Unreachable;

  // Explain sources with no candidate path at all by where their traffic does go, and list
  // the unmodelled gateways this space can leave by.
  std::set<graph::VertexId> drops, leaves;
  for (auto [it, end] = boost::vertices(graph_.graph()); it != end; ++it) {
    const auto k = graph_.vertex(*it).kind;
    if (k == graph::VertexKind::Dropped) drops.insert(*it);
    if (k == graph::VertexKind::ExitsUnmodelled) leaves.insert(*it);
  }
  std::set<Id> assumed;
  for (const auto& src : sources) {
    std::vector<z3::expr> sbase = base;
    sbase.push_back(I.solver.track(qid + "/from " + src.member, src.constraint));
    const bool has_reason = std::any_of(out.reasons.begin(), out.reasons.end(),
                                        [&](const Reason& r) { return r.from_member == src.member; });
    if (!has_reason) {
      const auto dp = graph::enumerate_paths(graph_, src.start, drops, graph::Mode::Forward, 64);
      for (const auto& path : dp.paths) {
        const EncodedPath ep = I.paths.encode(path, h);
        const auto lits = I.load(ep, false);
        if (I.check(sbase, lits, lits.size()).outcome != Outcome::Sat) continue;
        const auto& v = graph_.vertex(path.end(graph_.graph()));
        Reason r;
        r.at = v.id;
        r.step = "route";
        r.code = v.code;
        r.detail = "no candidate path; this traffic is dropped at " + v.id;
        r.from_member = src.member;
        r.path = I.vertex_names(path);
        out.reasons.push_back(r);
        if (out.reasons.size() > 16) break;
      }
      if (std::none_of(out.reasons.begin(), out.reasons.end(),
                       [&](const Reason& r) { return r.from_member == src.member; })) {
        out.reasons.push_back({src.member,
                               "route",
                               "NO_PATH",
                               "no forwarding path leads from " + src.member + " to " + q.to.text,
                               src.member,
                               {}});
      }
    }
    const auto lp = graph::enumerate_paths(graph_, src.start, leaves, graph::Mode::Forward, 256);
    for (const auto& path : lp.paths) {
      const Id gw = graph_.vertex(path.end(graph_.graph())).id;
      if (assumed.count(gw)) continue;
      const EncodedPath ep = I.paths.encode(path, h);
      const auto lits = I.load(ep, false);
      if (I.check(sbase, lits, lits.size()).outcome != Outcome::Unsat) assumed.insert(gw);
    }
  }
  out.assumptions.assign(assumed.begin(), assumed.end());
  return finish();
}

ReachResult reach(const model::Network& network, const std::string& from, const std::string& to,
                  const HeaderSpace& header, Semantics semantics, unsigned timeout_ms) {
  Prover prover(network);
  return prover.reach({model::resolve_endpoint(network, from), model::resolve_endpoint(network, to), header,
                       semantics, timeout_ms});
}

}  // namespace vpcprove::queries
