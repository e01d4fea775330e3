// SPDX-License-Identifier: Apache-2.0
// A reachable answer: the session's reply, the witness packet people read, and its hops.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/paths.h"
#include "model/drop_code.h"
#include "model/hop_step.h"
#include "queries/assumptions.h"
#include "queries/behaviour_classes.h"
#include "queries/prover_impl.h"
#include "solver/least_packet.h"

namespace vpcprove::queries {

using encoder::EncodedPath;
using solver::Outcome;

std::optional<z3::model> Prover::Impl::answered_reply(Asking& a, const CarryingPath& p,
                                                      z3::expr_vector& witnessed) {
  const AskedSource& src = a.sources[p.source];
  const graph::VertexId end = p.path.end(g.graph());
  // The reply walks back from the responder and must reach the initiator as sent, reversed.
  const bool to_internet = g.vertex(end).kind == graph::VertexKind::ExitsInternet;
  // A gateway endpoint's service answers through the endpoint (trace: from_gateway_endpoint).
  const bool to_endpoint = g.vertex(end).kind == graph::VertexKind::GatewayEndpoint;
  const graph::VertexId rstart = to_internet   ? g.internet()
                                 : to_endpoint ? g.endpoint_reply(g.vertex(end).id)
                                               : g.start(g.vertex(end).id);
  const graph::VertexId rtarget = src.member == "internet" ? g.exits_internet() : g.delivered(src.member);
  const auto rep = graph::enumerate_paths(g, rstart, {rtarget}, graph::Mode::Reply);
  a.truncated = a.truncated || rep.truncated;
  auto [rh, rdef] = paths.reply_header(p.encoded.end);
  solver.define(rdef.name, rdef.formula);
  std::vector<z3::expr> fbase = p.source_base;
  for (const auto& l : p.lits) fbase.push_back(l.literal);
  // The reply's way that gets furthest is the one it takes (the others leave it at a route
  // or address it never matches): its first blocker, e.g. the NACL that drops the reply,
  // is the reason, not the first way enumerated.
  std::optional<Reason> reply_reason;
  std::size_t reply_reached = 0;
  for (const auto& rpath : rep.paths) {
    const EncodedPath rp = paths.encode(rpath, rh, &p.encoded);
    auto rlits = load(rp, true);
    rlits.push_back({solver.track("session/reply-matches @" + rp.end.name + " for " + p.encoded.end.name,
                                  encoder::is_reply_to(rp.end, h)),
                     nullptr, true});
    const auto rr = check(fbase, rlits, rlits.size());
    if (rr.outcome == Outcome::Sat) {
      for (const auto& l : rlits) witnessed.push_back(l.literal);
      return rr.model;
    }
    if (rr.outcome == Outcome::Unknown) {
      a.unknown = rr.reason_unknown;
      continue;
    }
    const auto at = first_blocking(fbase, rlits, unsat_prefix(rlits, rr.core));
    const std::size_t reached = at ? *at + 1 : 0;
    if (!reply_reason || reached > reply_reached) {
      auto names = graph::vertex_names(g, p.path);
      for (auto& v : graph::vertex_names(g, rpath)) names.push_back("reply:" + v);
      reply_reason = reason_for(rlits, at, src, names);
      reply_reached = reached;
    }
  }
  if (reply_reason) a.out.reasons.push_back(*reply_reason);
  if (rep.paths.empty()) {
    Reason rs;
    rs.at = g.vertex(end).id;
    rs.step = "reply";
    rs.code = model::to_string(model::DropCode::ReplyDoesNotMatchSession);
    rs.detail = "no way back from " + g.name(end) + " to " + src.member;
    rs.from_member = src.member;
    rs.path = graph::vertex_names(g, p.path);
    a.out.reasons.push_back(rs);
  }
  return std::nullopt;
}

z3::model Prover::Impl::readable_witness(Asking& a, const CarryingPath& p, z3::model model,
                                         z3::expr_vector& witnessed) {
  if (a.query.semantics == Semantics::Packet) {
    // A witness people can read: an ephemeral source port, no 0.0.0.0/8 or class D/E addresses.
    z3::expr_vector pref(ctx);
    const Ipv4Prefix zero{0, 8}, high{0xE0000000u, 3};
    pref.push_back(z3::implies(encoder::is_tcp_or_udp(h), z3::uge(h.src_port, ctx.bv_val(49152, 16))));
    for (const auto* ip : {&h.src_ip, &h.dst_ip}) {
      // An IPv6 packet's IPv4 fields are 0: the preference is about IPv4 addresses only.
      const z3::expr fine = !encoder::in_prefix(*ip, zero) && !encoder::in_prefix(*ip, high);
      pref.push_back(h.dual_stack ? h.ip6 || fine : fine);
    }
    // Tiers, most familiar first (a TCP connection to 443, then any TCP): the first tier the
    // header space allows gives the witness; each costs one incremental check.
    const z3::expr readable = z3::mk_and(pref);
    const z3::expr tcp = h.protocol == ctx.bv_val(model::kTcp, 8);
    const z3::expr https = tcp && h.dst_port == ctx.bv_val(443, 16);
    // Names are per query: Solver::track keeps the first formula given a name.
    const std::pair<std::string, z3::expr> tiers[] = {
        {a.qid + "/witness/readable-https", readable && https},
        {a.qid + "/witness/readable-tcp", readable && tcp},
        {a.qid + "/witness/readable", readable},
    };
    for (const auto& [name, preference] : tiers) {
      z3::expr_vector asked(ctx);
      for (const auto& b : p.source_base) asked.push_back(b);
      for (const auto& l : p.lits) asked.push_back(l.literal);
      asked.push_back(solver.track(name, preference));
      auto nice = solver.check(asked);
      if (nice.outcome == Outcome::Sat) {
        model = *nice.model;
        witnessed.push_back(asked.back());
        break;
      }
    }
  }
  return solver::least_model(solver, witnessed, h, model);
}

void Prover::Impl::show_witness(Asking& a, const CarryingPath& p, const z3::model& model) {
  ReachResult& out = a.out;
  const AskedSource& src = a.sources[p.source];
  const graph::VertexId end = p.path.end(g.graph());
  const auto& target_members = a.question->target_members;
  const auto class_of_end = target_members.find(end);
  out.verdict = Verdict::Reachable;
  out.reasons.clear();
  out.packet = solver::packet(model, h);
  // A class answered for all its members: show the members the witness packet belongs to.
  const MemberPath shown =
      member_path(g, p.path, src, class_of_end == target_members.end() ? nullptr : class_of_end->second,
                  p.encoded, model);
  const bool to_internet = g.vertex(end).kind == graph::VertexKind::ExitsInternet;
  const bool to_service = g.vertex(end).kind == graph::VertexKind::AwsService;
  const bool to_endpoint = g.vertex(end).kind == graph::VertexKind::GatewayEndpoint;
  out.from_member = shown.from;
  out.to_member = to_internet ? "internet" : shown.to ? *shown.to : g.vertex(end).id;
  const bool same = shown.path.start == p.path.start && shown.path.edges == p.path.edges;
  out.path = same ? paths.hops(p.encoded, model) : paths.hops(paths.encode(shown.path, h), model);
  out.disposition = to_internet   ? model::Disposition::ExitsInternet
                    : to_service  ? model::Disposition::AwsService
                    : to_endpoint ? model::Disposition::GatewayEndpoint
                                  : model::Disposition::Delivered;
  out.session = trace::walk_session(
      net, shown.from == src.member ? src.trace_start : trace::Start::interface(shown.from), *out.packet);
  out.assumptions = witness_assumptions(net, out.path);
  if (out.session->reply)
    model::add_assumptions(out.assumptions, witness_assumptions(net, out.session->reply->hops));
}

}  // namespace vpcprove::queries
