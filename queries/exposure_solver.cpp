// SPDX-License-Identifier: Apache-2.0
// exposure by Z3: per class and part, model-guided checks over each path's own solver.
#include "queries/exposure_solver.h"

#include <z3++.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <set>

#include "encoder/encoder.h"
#include "encoder/header.h"
#include "encoder/path_encoding.h"
#include "solver/solver.h"

namespace vpcprove::queries::exposure_detail {

using model::Id;
using solver::Outcome;

/** One worker's solver state: a Z3 context is single-threaded. */
struct Worker {
  const model::Network& net;
  const graph::ForwardingGraph& g;
  z3::context ctx;
  encoder::Encoder enc;
  encoder::PathEncoder paths;
  unsigned timeout_ms;
  int ip_version;  // 4, or 6: the IPv6 pass over a dual-stack encoding
  int icmp;        // the family's ICMP protocol: the Icmp part's
  encoder::Header h;
  z3::expr base;                   // well-formed, from an internet address (of the pass's family)
  z3::expr pin;                    // the initial destinations that can end at the class's ENI
  std::unique_ptr<Prover> prover;  // session semantics only

  Worker(const model::Network& n, const graph::ForwardingGraph& graph, unsigned timeout, int family)
      : net(n),
        g(graph),
        ctx(),
        // The IPv4 pass keeps the IPv4-only formulas (exactly IPv4's answers, and as fast).
        enc(ctx, n, family == 6),
        paths(enc, graph),
        timeout_ms(timeout),
        ip_version(family),
        icmp(family == 6 ? model::kIcmpv6 : model::kIcmp),
        h(enc.header("h")),
        base(family == 6 ? encoder::well_formed(h) && h.ip6 && encoder::is_internet6(h.src_ip6)
                         : encoder::well_formed(h) && enc.internet_address(h.src_ip)),
        pin(ctx.bool_val(true)) {}

  /** IPv6 is not translated: a first packet delivered to eni was addressed to it. */
  void pin_destination6(const model::NetworkInterface& eni) { pin = enc.owns6(eni, h.dst_ip6); }

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
        return h.protocol == ctx.bv_val(icmp, 8);
      case Part::Other:
        return !encoder::is_tcp_or_udp(h) && h.protocol != ctx.bv_val(icmp, 8);
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
        for (const auto* m : filters) add_cuts(part, *m, cuts, icmp);
        cut = pieces(part, cuts, icmp);
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
          hs.protocol = part == Part::Tcp ? model::kTcp : part == Part::Udp ? model::kUdp : icmp;
          hs.dst_ports = piece;
        }
        hs.ip_version = ip_version;
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

ClassSolver::ClassSolver(const model::Network& network, const graph::ForwardingGraph& graph,
                         unsigned timeout_ms, int ip_version)
    : worker_(std::make_unique<Worker>(network, graph, timeout_ms, ip_version)) {}

ClassSolver::~ClassSolver() = default;

ClassAnswer ClassSolver::answer(const model::NetworkInterface& eni,
                                const std::vector<const graph::Path*>& class_paths,
                                const std::map<Part, std::vector<PortRange>>* fixed_pieces,
                                const std::map<Ipv4Address, std::vector<Ipv4Address>>& publics_of,
                                Semantics semantics) {
  if (worker_->ip_version == 6) {
    worker_->pin_destination6(eni);
  } else {
    worker_->pin_destination(eni, publics_of);
  }
  // No public IP maps to it (no IPv6 address): no first packet from the internet is addressed to it.
  if (worker_->pin.is_false()) return {};
  ClassAnswer a = worker_->packet_answer(class_paths, fixed_pieces);
  if (semantics == Semantics::Session) worker_->narrow_to_sessions(eni.id, a);
  return a;
}

}  // namespace vpcprove::queries::exposure_detail
