// SPDX-License-Identifier: Apache-2.0
// reach: candidate paths from the graph, each checked by Z3; witnesses named like trace.
#include "queries/reach.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "graph/paths.h"
#include "graph/step_meaning.h"
#include "model/describe.h"
#include "model/drop_code.h"
#include "model/hop_step.h"
#include "queries/assumptions.h"
#include "queries/behaviour_classes.h"
#include "queries/header_space.h"
#include "queries/question.h"
#include "solver/least_packet.h"

namespace vpcprove::queries {

using encoder::EncodedPath;
using encoder::Header;
using graph::StepKind;
using model::Id;
using solver::Outcome;

std::string unfollowed_gateway_text(const std::string& gateway, const std::string& route) {
  return "the traffic leaves by " + gateway + (route.empty() ? "" : " (route " + route + ")") +
         ", a gateway vpcprove does not follow: where it goes beyond " + gateway + " is not modelled";
}

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

/** A source of the question, with what its address may be once asked. Built on first use for
 *  ENI classes: at 100k ENIs the sources' formulas cost more than a question answered at its
 *  first source. */
struct Source : QuestionSource {
  std::optional<z3::expr> constraint;
};

/** A candidate path found empty, explained only once no path carries a packet: finding the
 *  first component that blocks a path costs a few checks, wasted on a reachable answer. */
struct Unexplained {
  std::size_t slot;  // its place in the reasons, so reasons keep the order of the paths
  std::size_t source;
  graph::Path path;
  std::size_t unsat_prefix;  // a prefix of its literals known to be unsat
};

/** What explaining the blocked paths of one answer needs, kept when reach defers it. */
struct Blocked {
  std::vector<std::pair<std::string, z3::expr>> base;
  std::vector<Source> sources;  // constraints built: every source was asked
  std::map<graph::VertexId, const std::vector<Id>*> target_members;
  std::vector<Unexplained> unexplained;
  std::string qid;
  unsigned timeout_ms = 0;
  std::size_t slots = 0;      // reasons[0, slots) are the paths' reasons, deduplicated together
  std::set<Id> open_members;  // their blocked first-packet paths are not explained (see answer)
  std::shared_ptr<const Question> question;  // keeps the groups sources point into
};

/** A literal of a path and the step it guards (-1: the query itself, -2: the session match). */
struct Lit {
  z3::expr literal;
  const encoder::EncodedStep* step;
  bool reply;
};

}  // namespace

void apply_assumption_policy(ReachResult& r, model::AssumptionPolicy policy) {
  if (policy != model::AssumptionPolicy::Conditional || r.verdict != Verdict::Unreachable ||
      r.assumptions.empty()) {
    return;
  }
  r.verdict = Verdict::Unknown;
  r.if_assumed = Verdict::Unreachable;
  std::string names;
  for (const auto& a : r.assumptions) names += (names.empty() ? "" : ", ") + a.id + " (" + a.kind + ")";
  r.unknown_reason = "unreachable only if vpcprove's assumptions hold about " + names +
                     " (--assume opaque-drops accepts them)";
}

struct Prover::Impl {
  const model::Network& net;
  const graph::ForwardingGraph& g;
  std::unique_ptr<z3::context> own_ctx;
  z3::context& ctx;
  encoder::Encoder enc;
  encoder::PathEncoder paths;
  solver::Options options;
  /** The solver of the current candidate path (begin_path), also the query's notebook. */
  solver::Solver solver;
  Header h;
  unsigned queries = 0;
  unsigned retired_checks = 0;  // checks of the solvers begin_path replaced

  Impl(const model::Network& n, const graph::ForwardingGraph& graph, const solver::Options& options,
       std::unique_ptr<z3::context> context)
      : net(n),
        g(graph),
        own_ctx(std::move(context)),
        ctx(*own_ctx),
        enc(ctx, n),
        paths(enc, graph),
        options(options),
        solver(ctx, options),
        h(Header::make(ctx, "h")) {
    solver.define("h/well-formed", encoder::well_formed(h));
  }

  [[nodiscard]] unsigned checks() const { return retired_checks + solver.checks(); }

  /**
   * behaviour_classes, remembered per (ENI list, side): a spec asks many questions of one set
   * (all-enis), and grouping 100k ENIs took longer than answering one of them. The lists are
   * compared, not copied; a deque keeps the classes where earlier answers point.
   */
  const std::vector<std::vector<Id>>& classes_of(const graph::ForwardingGraph& g, const std::vector<Id>& enis,
                                                 bool as_destination) {
    for (const auto& r : remembered_classes) {
      if (r.as_destination == as_destination && r.enis == enis) return r.classes;
    }
    remembered_classes.push_back({enis, as_destination, behaviour_classes(g, enis, as_destination)});
    return remembered_classes.back().classes;
  }
  /** classes_of as the question's grouping (queries/question.h). */
  class Classes final : public EniGrouping {
   public:
    Classes(Impl& impl, const graph::ForwardingGraph& g) : impl_(impl), g_(g) {}
    const std::vector<std::vector<Id>>& groups(const std::vector<Id>& enis, bool as_destination) override {
      return impl_.classes_of(g_, enis, as_destination);
    }

   private:
    Impl& impl_;
    const graph::ForwardingGraph& g_;
  };
  struct RememberedClasses {
    std::vector<Id> enis;
    bool as_destination;
    std::vector<std::vector<Id>> classes;
  };
  std::deque<RememberedClasses> remembered_classes;

  std::optional<Blocked> deferred;  // what reach_deferring_reasons left, until the next question

  /** Explains b's paths into reasons (the slots b.slots before left empty), except those of
   *  source members in skip, whose slots are dropped; then one reason per (member, place, code)
   *  among the paths' reasons, as many candidate paths stop at the same resource. */
  void explain_blocked(const Blocked& b, std::vector<Reason>& reasons, const std::set<Id>& skip) {
    std::vector<bool> dropped(b.slots, false);
    std::vector<std::optional<bool>> has_packets(b.sources.size());  // a source's space alone, asked once
    for (const auto& u : b.unexplained) {
      const Source& src = b.sources[u.source];
      if (skip.count(src.member) || b.open_members.count(src.member)) {
        dropped[u.slot] = true;
        continue;
      }
      auto source_base = b.base;
      source_base.emplace_back(b.qid + "/from " + src.member, *src.constraint);
      const std::vector<z3::expr> sbase = begin_path(source_base, b.timeout_ms);
      EncodedPath ep = paths.encode(u.path, h);
      const auto class_of_end = b.target_members.find(u.path.end(g.graph()));
      if (class_of_end != b.target_members.end()) widen_destination(ep, *class_of_end->second, b.qid);
      const auto lits = load(ep, false);
      auto& known = has_packets[u.source];
      std::optional<bool> base_sat = known;
      if (!base_sat) {
        const auto r = check(sbase, lits, 0);
        if (r.outcome == Outcome::Unknown) {
          stopped_before_naming = r.reason_unknown;  // not cached: the next path may get an answer
          base_sat = false;
        } else {
          known = base_sat = r.outcome == Outcome::Sat;
        }
      }
      reasons[u.slot] = reason_for(lits, first_blocking(sbase, lits, u.unsat_prefix, base_sat), src,
                                   graph::vertex_names(g, u.path));
    }
    std::vector<Reason> unique;
    std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
    for (std::size_t i = 0; i < reasons.size(); ++i) {
      if (i < b.slots && dropped[i]) continue;
      auto& r = reasons[i];
      if (i >= b.slots || seen.insert({r.from_member, r.at, r.step, r.code}).second)
        unique.push_back(std::move(r));
    }
    reasons = std::move(unique);
  }

  /**
   * A fresh solver for the next candidate path (and its replies and witness), with the
   * query's tracked formulas: an incremental solver keeps every path it was ever given, and
   * one solver per prover made each check slower than the last (check of specs/ on 1k ENIs:
   * minutes). Returns the literals of base.
   */
  std::vector<z3::expr> begin_path(const std::vector<std::pair<std::string, z3::expr>>& base,
                                   unsigned timeout_ms) {
    retired_checks += solver.checks();
    solver = solver::Solver(ctx, options);
    solver.set_timeout(timeout_ms);
    solver.define("h/well-formed", encoder::well_formed(h));
    std::vector<z3::expr> out;
    for (const auto& [name, formula] : base) out.push_back(solver.track(name, formula));
    return out;
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

  /**
   * Turns the path's "dst is the representative's address" step into "dst is the address of
   * some member of its destination class" (behaviour_classes), named per query: the class is
   * the query's.
   */
  void widen_destination(EncodedPath& ep, const std::vector<Id>& members, const std::string& qid) {
    for (auto it = ep.steps.rbegin(); it != ep.steps.rend(); ++it) {
      if (it->step->kind != StepKind::OwnsDst || it->step->id != members.front()) continue;
      z3::expr_vector owned(ctx);
      for (const auto& id : members)
        owned.push_back(enc.owns(net.network_interfaces.at(id), it->before.dst_ip));
      it->guard = z3::mk_or(owned);
      it->literal = qid + '/' + members.front() + "/owns-dst(class of " + std::to_string(members.size()) +
                    ") @" + it->before.name;
      return;
    }
  }

  /** The length of the shortest prefix of lits the unsat core already covers. */
  static std::size_t unsat_prefix(const std::vector<Lit>& lits, const std::vector<std::string>& core) {
    if (core.empty()) return lits.size();
    std::set<std::string> names(core.begin(), core.end());
    for (std::size_t i = lits.size(); i-- > 0;) {
      if (names.count(lits[i].literal.decl().name().str())) return i + 1;
    }
    return lits.size();
  }

  /** The first literal whose component is the constant false: it blocks every packet, unsolved. */
  static std::optional<std::size_t> first_constant_false(const std::vector<Lit>& lits) {
    for (std::size_t i = 0; i < lits.size(); ++i) {
      if (lits[i].step && lits[i].step->guard.is_false()) return i;
    }
    return std::nullopt;
  }

  /**
   * The first literal of lits at which no packet of the space is left, given that the prefix
   * of hi literals is unsat; nullopt when base alone is. base_sat: whether base alone has a
   * packet, when the caller already knows (it is the same for every path of a source).
   */
  /** Set by first_blocking when its first check hit a limit; read (and cleared) by reason_for. */
  std::string stopped_before_naming;

  std::optional<std::size_t> first_blocking(const std::vector<z3::expr>& base, const std::vector<Lit>& lits,
                                            std::size_t hi, std::optional<bool> base_sat = std::nullopt) {
    if (!base_sat) {
      const auto r = check(base, lits, 0);
      // A limit hit here says nothing about the header space: reason_for names the limit.
      if (r.outcome == Outcome::Unknown) stopped_before_naming = r.reason_unknown;
      base_sat = r.outcome == Outcome::Sat;
    }
    if (!*base_sat) return std::nullopt;  // the query alone is empty (or the solver stopped)
    std::size_t lo = 0;                   // prefix of lo literals is sat; prefix of hi is unsat (or unknown)
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
    if (!at && !stopped_before_naming.empty()) {
      r.at = src.member;
      r.step = "query";
      r.code = model::to_string(model::DropCode::Unknown);
      r.detail = "the solver stopped before naming where this way stops: " + stopped_before_naming;
      stopped_before_naming.clear();
      return r;
    }
    if (!at) {
      r.at = src.member;
      r.step = "query";
      r.code = model::to_string(model::DropCode::NoPacketInHeaderSpace);
      r.detail = "no packet of the asked header space can leave " + src.member;
      return r;
    }
    const Lit& l = lits[*at];
    if (!l.step) {
      r.at = src.member;
      r.step = "reply";
      r.code = model::to_string(model::DropCode::ReplyDoesNotMatchSession);
      r.detail = "the reply does not come back to the initiator with the header it sent, reversed";
      return r;
    }
    const auto& st = *l.step->step;
    const auto* x =
        st.kind == StepKind::OwnsDst ? model::Network::find(net.network_interfaces, st.id) : nullptr;
    if (x && !x->has_public_ip() && l.step->before.name.find("igw-in:") != std::string::npos) {
      // Entered from the internet: only ENIs with a public IP are addressable at all.
      r.at = x->id;
      r.step = model::to_string(model::HopStep::IgwIngress);
      r.code = model::to_string(model::DropCode::IgwPrivateIpAssociationForIngress);
      r.detail = x->id + " has no public or Elastic IP, so nothing from the internet is addressed to it";
      return r;
    }
    r.at = graph::blamed_resource(net, *l.step->step);
    r.step = model::to_string(graph::hop_step(l.step->step->kind));
    r.code = st.kind == StepKind::Active ? net.network_interfaces.at(st.id).inactive_code
                                         : model::to_string(graph::drop_code(st));
    r.detail = (l.reply ? "reply: " : "") + std::string("no packet passes ") + l.literal.decl().name().str();
    return r;
  }
};

graph::EniScope eni_scope(const model::Network& network, const ReachQuery& query) {
  if (query.to.cidr) return graph::EniScope::every();
  std::vector<Id> enis = query.from.interfaces;
  enis.insert(enis.end(), query.to.interfaces.begin(), query.to.interfaces.end());
  if (query.from.cidr) {
    for (const auto* e : model::interfaces_with_address_in(network, *query.from.cidr)) enis.push_back(e->id);
  }
  return graph::EniScope::only(std::move(enis));
}

// Creating a Z3 context takes ~7 ms, about what a question's forwarding graph takes at 100k
// ENIs: the context is made on another thread meanwhile (or here, deferred, when no thread can
// be started).
Prover::Prover(const model::Network& network, const solver::Options& solver_options,
               const graph::EniScope& scope)
    : network_(network),
      pending_context_(std::async(std::launch::async | std::launch::deferred,
                                  [] { return std::make_unique<z3::context>(); })),
      graph_(network, scope),
      impl_(std::make_unique<Impl>(network_, graph_, solver_options, pending_context_.get())) {}

Prover::~Prover() = default;

encoder::PathEncoder& Prover::encodings() { return impl_->paths; }

ReachResult Prover::reach(const ReachQuery& query) { return answer(query, false); }

ReachResult Prover::reach_deferring_reasons(const ReachQuery& query) { return answer(query, true); }

void Prover::explain_deferred(ReachResult& result, const std::set<model::Id>& skip_members) {
  if (!impl_->deferred) return;
  const auto t0 = std::chrono::steady_clock::now();
  const unsigned before = impl_->checks();
  impl_->explain_blocked(*impl_->deferred, result.reasons, skip_members);
  impl_->deferred.reset();
  result.solver_checks += impl_->checks() - before;
  result.elapsed_ms +=
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

ReachResult Prover::answer(const ReachQuery& q, bool defer_reasons) {
  const auto t0 = std::chrono::steady_clock::now();
  Impl& I = *impl_;
  auto& c = I.ctx;
  const Header& h = I.h;
  const auto& n = network_;
  const unsigned checks_before = I.checks();
  I.solver.set_timeout(q.timeout_ms);
  I.deferred.reset();
  ReachResult out;
  out.from = q.from.text;
  out.to = q.to.text;
  out.semantics = q.semantics;

  // The question: one literal per query so queries on one solver never mix.
  const std::string qid = "query" + std::to_string(++I.queries);
  I.solver.note(qid + ": reach from " + q.from.text + " to " + q.to.text + " (" + to_string(q.semantics) +
                " semantics)");
  std::vector<std::pair<std::string, z3::expr>> base;  // tracked in every path's solver
  base.emplace_back(qid + "/header-space", encode_header_space(I.enc, h, q));

  // Sources and targets, ENIs grouped by behaviour class for first packets.
  Impl::Classes classes(I, graph_);
  const auto question = std::make_shared<const Question>(resolve(graph_, q, classes));
  std::vector<Source> sources;
  for (const auto& qs : question->sources) sources.push_back({qs, std::nullopt});
  auto constraint_of = [&](Source& src) -> const z3::expr& {
    if (!src.constraint) src.constraint = source_address(I.enc, h, n, src);
    return *src.constraint;
  };
  const std::set<graph::VertexId>& targets = question->targets;
  const auto& target_members = question->target_members;

  bool truncated = false;
  std::string unknown;
  auto finish = [&]() {
    out.solver_checks = I.checks() - checks_before;
    out.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return out;
  };

  auto source_base_of = [&](Source& src) {
    auto source_base = base;
    source_base.emplace_back(qid + "/from " + src.member, constraint_of(src));
    return source_base;
  };
  auto encode_candidate = [&](const graph::Path& path) {
    EncodedPath ep = I.paths.encode(path, h);
    const auto class_of_end = target_members.find(path.end(graph_.graph()));
    if (class_of_end != target_members.end()) I.widen_destination(ep, *class_of_end->second, qid);
    return ep;
  };
  std::vector<Unexplained> unexplained;  // paths found empty (see Unexplained)
  // Session semantics: sources whose first packet gets through on some path. What stops their
  // session is the reply; why their other first-packet paths are empty would only mislead.
  std::set<Id> open_members;

  for (std::size_t si = 0; si < sources.size(); ++si) {
    Source& src = sources[si];
    const auto source_base = source_base_of(src);
    const auto fwd = graph::enumerate_paths(graph_, src.start, targets, graph::Mode::Forward);
    truncated = truncated || fwd.truncated;
    out.candidate_paths += fwd.paths.size();
    for (const auto& path : fwd.paths) {
      const std::vector<z3::expr> sbase = I.begin_path(source_base, q.timeout_ms);
      EncodedPath ep = encode_candidate(path);
      const auto class_of_end = target_members.find(path.end(graph_.graph()));
      const auto lits = I.load(ep, false);
      auto blocked_at = [&](std::size_t unsat_prefix) {
        unexplained.push_back({out.reasons.size(), si, path, unsat_prefix});
        out.reasons.emplace_back();
      };
      // A private ENI behind an internet gateway, a NACL that denies everything: no check needed.
      if (const auto k = Impl::first_constant_false(lits)) {
        blocked_at(*k + 1);
        continue;
      }
      const auto r = I.check(sbase, lits, lits.size());
      if (r.outcome == Outcome::Unknown) {
        unknown = r.reason_unknown;
        continue;
      }
      if (r.outcome == Outcome::Unsat) {
        blocked_at(Impl::unsat_prefix(lits, r.core));
        continue;
      }
      const graph::VertexId end = path.end(graph_.graph());
      std::optional<z3::model> model = r.model;
      // The assumptions model satisfies: the witness is made least under them (least_model).
      z3::expr_vector witnessed(c);
      for (const auto& b : sbase) witnessed.push_back(b);
      for (const auto& l : lits) witnessed.push_back(l.literal);
      const bool to_service = graph_.vertex(end).kind == graph::VertexKind::AwsService;
      // An AWS service answers unfiltered: its reply always comes back (trace: walk_session).
      if (q.semantics == Semantics::Session && !to_service) {
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
        open_members.insert(src.member);
        // The reply's way that gets furthest is the one it takes (the others leave it at a route
        // or address it never matches): its first blocker, e.g. the NACL that drops the reply,
        // is the reason, not the first way enumerated.
        std::optional<Reason> reply_reason;
        std::size_t reply_reached = 0;
        for (const auto& rpath : rep.paths) {
          const EncodedPath rp = I.paths.encode(rpath, rh, &ep);
          auto rlits = I.load(rp, true);
          rlits.push_back({I.solver.track("session/reply-matches @" + rp.end.name + " for " + ep.end.name,
                                          encoder::is_reply_to(rp.end, h)),
                           nullptr, true});
          const auto rr = I.check(fbase, rlits, rlits.size());
          if (rr.outcome == Outcome::Sat) {
            model = rr.model;
            for (const auto& l : rlits) witnessed.push_back(l.literal);
            break;
          }
          if (rr.outcome == Outcome::Unknown) {
            unknown = rr.reason_unknown;
          } else {
            const auto at = I.first_blocking(fbase, rlits, Impl::unsat_prefix(rlits, rr.core));
            const std::size_t reached = at ? *at + 1 : 0;
            if (!reply_reason || reached > reply_reached) {
              auto names = graph::vertex_names(graph_, path);
              for (auto& v : graph::vertex_names(graph_, rpath)) names.push_back("reply:" + v);
              reply_reason = I.reason_for(rlits, at, src, names);
              reply_reached = reached;
            }
          }
        }
        if (!model && reply_reason) out.reasons.push_back(*reply_reason);
        if (rep.paths.empty()) {
          Reason rs;
          rs.at = graph_.vertex(end).id;
          rs.step = "reply";
          rs.code = model::to_string(model::DropCode::ReplyDoesNotMatchSession);
          rs.detail = "no way back from " + graph_.name(end) + " to " + src.member;
          rs.from_member = src.member;
          rs.path = graph::vertex_names(graph_, path);
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
              witnessed.push_back(a.back());
              break;
            }
          }
        }
      }
      model = solver::least_model(I.solver, witnessed, h, *model);
      out.verdict = Verdict::Reachable;
      out.reasons.clear();
      out.packet = solver::packet(*model, h);
      // A class answered for all its members: show the members the witness packet belongs to.
      const MemberPath shown =
          member_path(graph_, path, src,
                      class_of_end == target_members.end() ? nullptr : class_of_end->second, ep, *model);
      const bool to_internet = graph_.vertex(end).kind == graph::VertexKind::ExitsInternet;
      out.from_member = shown.from;
      out.to_member = to_internet ? "internet" : shown.to ? *shown.to : graph_.vertex(end).id;
      const bool same = shown.path.start == path.start && shown.path.edges == path.edges;
      out.path = same ? I.paths.hops(ep, *model) : I.paths.hops(I.paths.encode(shown.path, h), *model);
      out.disposition = to_internet  ? model::Disposition::ExitsInternet
                        : to_service ? model::Disposition::AwsService
                                     : model::Disposition::Delivered;
      out.session = trace::walk_session(
          n, shown.from == src.member ? src.trace_start : trace::Start::interface(shown.from), *out.packet);
      out.assumptions = witness_assumptions(n, out.path);
      if (out.session->reply)
        model::add_assumptions(out.assumptions, witness_assumptions(n, out.session->reply->hops));
      return finish();
    }
  }

  {
    for (const auto& u : unexplained) out.reasons[u.slot].from_member = sources[u.source].member;
    Blocked blocked{base,    sources,      target_members,     std::move(unexplained),
                    qid,     q.timeout_ms, out.reasons.size(), std::move(open_members),
                    question};
    if (defer_reasons) {
      I.deferred = std::move(blocked);
    } else {
      I.explain_blocked(blocked, out.reasons, {});
    }
  }
  if (truncated || !unknown.empty()) {
    out.verdict = Verdict::Unknown;
    out.unknown_reason = !unknown.empty() ? unknown : "too many candidate paths (enumeration limit)";
    return finish();
  }
  out.verdict = Verdict::Unreachable;

  // Explain sources with no candidate path at all by where their traffic does go, and list
  // the unmodelled gateways this space can leave by.
  const auto [drops, leaves] = way_ends(graph_);
  // Appliances (docs/semantics.md): a proof whose traffic an appliance forwards rests on how it
  // forwards. The edges they forward by leave the routers that send traffic to them: a way to
  // such a router and over that edge (even one that then loops back, as trace's walk also
  // forwards before it stops at the loop) names the appliance.
  bool any_appliance = false;
  for (const auto& [tid, table] : n.route_tables) {
    for (const auto& r : table.routes) {
      if (r.blackhole || r.target_kind != model::RouteTargetKind::NetworkInterface) continue;
      const auto* f = model::Network::find(n.network_interfaces, r.target_id);
      any_appliance = any_appliance || (f && !f->source_dest_check);
    }
  }
  std::map<graph::VertexId, std::vector<graph::EdgeId>>
      forwarding;  // router -> edges an appliance forwards by
  if (any_appliance) {
    for (auto [it, end] = boost::edges(graph_.graph()); it != end; ++it) {
      const auto& steps = graph_.edge(*it).steps;
      if (std::any_of(steps.begin(), steps.end(),
                      [](const graph::Step& s) { return s.kind == StepKind::EniForward; }))
        forwarding[boost::source(*it, graph_.graph())].push_back(*it);
    }
  }
  std::set<graph::VertexId> routers;
  for (const auto& [v, edges] : forwarding) routers.insert(v);
  std::set<Id> forwarded_by;  // appliances met, each once
  std::set<Id> assumed;       // gateways, each once
  for (auto& src : sources) {
    const auto source_base = source_base_of(src);
    const bool has_reason = std::any_of(out.reasons.begin(), out.reasons.end(),
                                        [&](const Reason& r) { return r.from_member == src.member; });
    if (!has_reason) {
      // Traffic handed to a gateway vpcprove does not follow is not "dropped" (a transit gateway
      // routes it on): say where it leaves, before any drop elsewhere.
      const auto up = graph::enumerate_paths(graph_, src.start, leaves, graph::Mode::Forward, 64);
      for (const auto& path : up.paths) {
        const std::vector<z3::expr> sbase = I.begin_path(source_base, q.timeout_ms);
        const EncodedPath ep = I.paths.encode(path, h);
        const auto lits = I.load(ep, false);
        if (I.check(sbase, lits, lits.size()).outcome != Outcome::Sat) continue;
        const auto& v = graph_.vertex(path.end(graph_.graph()));
        std::string route;
        for (const auto& st : graph_.edge(path.edges.back()).steps) {
          if (st.kind == StepKind::Route)
            route = model::describe(n.route_tables.at(st.id).routes[static_cast<std::size_t>(st.index)]);
          if (st.kind == StepKind::TgwRoute)
            route = model::describe(
                n.transit_gateway_route_tables.at(st.id).routes[static_cast<std::size_t>(st.index)]);
        }
        Reason r;
        r.at = v.id;
        r.step = model::to_string(model::HopStep::Leave);
        r.code = model::to_string(model::DropCode::UnfollowedGateway);
        r.detail = unfollowed_gateway_text(v.id, route);
        r.from_member = src.member;
        r.path = graph::vertex_names(graph_, path);
        out.reasons.push_back(r);
        if (out.reasons.size() > 16) break;
      }
      const bool leaves_unfollowed =
          std::any_of(out.reasons.begin(), out.reasons.end(), [&](const Reason& r) {
            return r.from_member == src.member &&
                   r.code == model::to_string(model::DropCode::UnfollowedGateway);
          });
      const auto dp = leaves_unfollowed
                          ? graph::PathSet{}
                          : graph::enumerate_paths(graph_, src.start, drops, graph::Mode::Forward, 64);
      for (const auto& path : dp.paths) {
        const std::vector<z3::expr> sbase = I.begin_path(source_base, q.timeout_ms);
        const EncodedPath ep = I.paths.encode(path, h);
        const auto lits = I.load(ep, false);
        if (I.check(sbase, lits, lits.size()).outcome != Outcome::Sat) continue;
        const auto& v = graph_.vertex(path.end(graph_.graph()));
        Reason r;
        r.at = v.id;
        r.step = model::to_string(model::HopStep::Route);
        r.code = v.code;
        r.detail = "no candidate path; this traffic is dropped at " + v.id;
        r.from_member = src.member;
        r.path = graph::vertex_names(graph_, path);
        out.reasons.push_back(r);
        if (out.reasons.size() > 16) break;
      }
      if (std::none_of(out.reasons.begin(), out.reasons.end(),
                       [&](const Reason& r) { return r.from_member == src.member; })) {
        out.reasons.push_back({src.member,
                               model::to_string(model::HopStep::Route),
                               model::to_string(model::DropCode::NoPath),
                               "no forwarding path leads from " + src.member + " to " + q.to.text,
                               src.member,
                               {},
                               {},
                               {},
                               {}});
      }
    }
    // Some packet of the space gets along path: the thing it ends at is met. One solver for
    // the source's few such paths: a fresh one per path cost more than the checks.
    std::optional<std::vector<z3::expr>> sbase;
    auto met = [&](const graph::Path& path) {
      if (!sbase) sbase = I.begin_path(source_base, q.timeout_ms);
      const EncodedPath ep = I.paths.encode(path, h);
      const auto lits = I.load(ep, false);
      return I.check(*sbase, lits, lits.size()).outcome != Outcome::Unsat;
    };
    const auto lp = graph::enumerate_paths(graph_, src.start, leaves, graph::Mode::Forward, 256);
    for (const auto& path : lp.paths) {
      const Id gw = graph_.vertex(path.end(graph_.graph())).id;
      if (!assumed.count(gw) && met(path)) assumed.insert(gw);
    }
    if (routers.empty()) continue;
    const auto fp = graph::enumerate_paths(graph_, src.start, routers, graph::Mode::Forward, 256);
    for (const auto& path : fp.paths) {
      for (const auto e : forwarding.at(path.end(graph_.graph()))) {
        const auto& steps = graph_.edge(e).steps;
        const Id& f = std::find_if(steps.begin(), steps.end(), [](const graph::Step& s) {
                        return s.kind == StepKind::EniForward;
                      })->id;
        if (forwarded_by.count(f)) continue;
        graph::Path over = path;
        over.edges.push_back(e);
        if (met(over)) forwarded_by.insert(f);
      }
    }
  }
  for (const auto& gw : assumed) model::add_assumption(out.assumptions, model::unfollowed_gateway(n, gw));
  for (const auto& f : forwarded_by)
    model::add_assumption(out.assumptions, appliance(n.network_interfaces.at(f)));
  model::add_assumptions(out.assumptions, endpoint_assumptions(n, q));
  apply_assumption_policy(out, q.assume);
  return finish();
}

ReachResult reach(const model::Network& network, const std::string& from, const std::string& to,
                  const HeaderSpace& header, Semantics semantics, unsigned timeout_ms) {
  const ReachQuery query{model::resolve_endpoint(network, from), model::resolve_endpoint(network, to), header,
                         semantics, timeout_ms};
  Prover prover(network, {}, eni_scope(network, query));
  return prover.reach(query);
}

}  // namespace vpcprove::queries
