// SPDX-License-Identifier: Apache-2.0
// Text and JSON renderings of a ReachResult, shared by reach and check.
#include "report/reach_report.h"

#include "common/escape.h"
#include "model/describe.h"

namespace vpcprove::queries {

namespace {

nlohmann::json reply_json(const ReachResult& r) {
  if (!r.session || !r.session->reply) return nullptr;
  const auto& s = *r.session;
  nlohmann::json j{{"established", s.established},
                   {"packet", nlohmann::json(packet_json(s.reply->initial))},
                   {"path", nlohmann::json(hops_json(s.reply->hops))}};
  j["dropped"] = s.reply_drop ? nlohmann::json(drop_json(*s.reply_drop)) : nlohmann::json(nullptr);
  return j;
}

}  // namespace

nlohmann::json assumptions_json(const std::vector<model::Assumption>& assumptions) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : assumptions) out.push_back({{"id", a.id}, {"kind", a.kind}, {"assumed", a.assumed}});
  return out;
}

void write_assumptions_text(std::ostream& out, const std::vector<model::Assumption>& assumptions,
                            const std::string& indent) {
  for (const auto& a : assumptions) {
    out << indent << escape_text(a.id) << " (" << escape_text(a.kind) << "): " << escape_text(a.assumed)
        << '\n';
  }
}

nlohmann::json reach_result_json(const ReachResult& r) {
  nlohmann::json j;
  j["verdict"] = to_string(r.verdict);
  j["from"] = r.from;
  j["to"] = r.to;
  j["semantics"] = to_string(r.semantics);
  // Only when asked: answers without waypoints keep the contract's fields as they were.
  if (!r.through.empty()) j["through"] = r.through;
  if (!r.not_through.empty()) j["not_through"] = r.not_through;
  const bool yes = r.verdict == Verdict::Reachable;
  j["from_member"] = yes ? nlohmann::json(*r.from_member) : nlohmann::json(nullptr);
  j["to_member"] = yes ? nlohmann::json(*r.to_member) : nlohmann::json(nullptr);
  j["packet"] = yes ? nlohmann::json(packet_json(*r.packet)) : nlohmann::json(nullptr);
  j["path"] = yes ? nlohmann::json(hops_json(r.path)) : nlohmann::json(nullptr);
  j["disposition"] = yes ? nlohmann::json(model::to_string(r.disposition)) : nlohmann::json(nullptr);
  j["reply"] = yes ? reply_json(r) : nlohmann::json(nullptr);
  if (r.verdict == Verdict::Unreachable || r.if_assumed) {
    nlohmann::json reasons = nlohmann::json::array();
    for (const auto& x : r.reasons) {
      nlohmann::json e{{"at", x.at},
                       {"step", x.step},
                       {"code", x.code},
                       {"detail", x.detail},
                       {"from_member", x.from_member},
                       {"path", x.path}};
      // Why-not fields (queries/explain.h), when they were derived.
      if (x.way > 0) {
        e["way"] = x.way;
        e["first"] = x.first;
        e["direction"] = x.direction.empty() ? nlohmann::json(nullptr) : nlohmann::json(x.direction);
        e["field"] = x.field.empty() ? nlohmann::json(nullptr) : nlohmann::json(x.field);
        e["rule"] = x.rule.empty() ? nlohmann::json(nullptr) : nlohmann::json(x.rule);
      }
      reasons.push_back(e);
    }
    if (r.if_assumed) {
      // Unknown only because the proof rests on assumptions: say so, with the reasons it
      // would have under them.
      j["reason"] = {{"code", "RESTS_ON_ASSUMPTIONS"}, {"detail", r.unknown_reason}};
      j["if_assumed"] = to_string(*r.if_assumed);
      j["reason_if_assumed"] = reasons;
    } else {
      j["reason"] = reasons;
    }
  } else if (r.verdict == Verdict::Unknown) {
    j["reason"] = {{"code", "SOLVER_UNKNOWN"}, {"detail", r.unknown_reason}};
  } else {
    j["reason"] = nullptr;
  }
  j["assumptions"] = assumptions_json(r.assumptions);
  j["elapsed_ms"] = r.elapsed_ms;
  j["graph_ms"] = r.graph_ms;
  return j;
}

void write_reach_text(std::ostream& out, const ReachResult& r, const std::string& indent) {
  // IDs, rules and details come from the snapshot or the command line: escape_text each, so
  // that none can forge a line or drive the terminal.
  const std::string& I = indent;
  out << I << to_string(r.verdict) << ": " << escape_text(r.from) << " -> " << escape_text(r.to);
  for (const auto& w : r.through) out << " through " << escape_text(w);
  for (const auto& w : r.not_through) out << " not through " << escape_text(w);
  out << " (" << to_string(r.semantics) << " semantics)\n";
  if (r.verdict == Verdict::Reachable) {
    out << I << "  packet: " << model::describe(*r.packet) << "  [" << escape_text(*r.from_member) << " -> "
        << escape_text(*r.to_member) << ", " << model::to_string(r.disposition) << "]\n";
    write_hops_text(out, r.path, I + "  ");
    if (r.session && r.session->reply) {
      out << I << "  reply: " << model::describe(r.session->reply->initial)
          << (r.session->established ? "  (comes back: session established)\n" : "\n");
      write_hops_text(out, r.session->reply->hops, I + "    ");
      if (r.session->reply_drop) {
        const auto& d = *r.session->reply_drop;
        out << I << "    dropped at " << escape_text(d.at) << " (" << escape_text(d.step)
            << "): " << escape_text(d.code) << "  " << escape_text(d.detail) << '\n';
      }
    }
  } else if (r.verdict == Verdict::Unreachable || r.if_assumed) {
    if (r.if_assumed) {
      out << I << "  not proved: " << to_string(*r.if_assumed)
          << " only under the assumptions below (--assume opaque-drops accepts them); under them:\n";
    }
    if (r.reasons.empty()) out << I << "  no way leads there\n";
    int way = 0;
    for (const auto& x : r.reasons) {
      if (x.way == 0) {
        out << I << "  stops at " << escape_text(x.at) << " (" << escape_text(x.step)
            << "): " << escape_text(x.code) << "  " << escape_text(x.detail) << '\n';
        continue;
      }
      if (x.way != way) {
        way = x.way;
        out << I << "  way " << way << " from " << escape_text(x.from_member) << ":";
        for (const auto& v : x.path) out << ' ' << escape_text(v);
        out << '\n';
      }
      out << I << "    " << (x.first ? "stops at " : "then also ") << escape_text(x.at) << " ("
          << escape_text(x.step) << (x.direction.empty() ? "" : ", " + escape_text(x.direction))
          << "): " << escape_text(x.code);
      if (!x.field.empty()) out << "  " << escape_text(x.field);
      if (!x.rule.empty()) out << "  [" << escape_text(x.rule) << "]";
      out << '\n';
    }
  } else {
    out << I << "  the solver gave up: " << escape_text(r.unknown_reason) << '\n';
  }
  if (!r.assumptions.empty()) {
    out << I << "  assumptions:\n";
    write_assumptions_text(out, r.assumptions, I + "    ");
  }
  out << I << "  (" << r.elapsed_ms << " ms)\n";
}

void write_hops_text(std::ostream& out, const std::vector<model::Hop>& hops, const std::string& indent) {
  for (const auto& h : hops) {
    out << indent << escape_text(h.at) << "  " << escape_text(h.step) << "  " << escape_text(h.by) << '\n';
  }
}

}  // namespace vpcprove::queries
