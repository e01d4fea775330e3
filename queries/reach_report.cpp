// SPDX-License-Identifier: Apache-2.0
// Text and JSON renderings of a ReachResult, shared by reach and check.
#include "queries/reach_report.h"

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

nlohmann::json reach_result_json(const ReachResult& r) {
  nlohmann::json j;
  j["verdict"] = to_string(r.verdict);
  j["from"] = r.from;
  j["to"] = r.to;
  j["semantics"] = to_string(r.semantics);
  const bool yes = r.verdict == Verdict::Reachable;
  j["from_member"] = yes ? nlohmann::json(*r.from_member) : nlohmann::json(nullptr);
  j["to_member"] = yes ? nlohmann::json(*r.to_member) : nlohmann::json(nullptr);
  j["packet"] = yes ? nlohmann::json(packet_json(*r.packet)) : nlohmann::json(nullptr);
  j["path"] = yes ? nlohmann::json(hops_json(r.path)) : nlohmann::json(nullptr);
  j["disposition"] = yes ? nlohmann::json(model::to_string(r.disposition)) : nlohmann::json(nullptr);
  j["reply"] = yes ? reply_json(r) : nlohmann::json(nullptr);
  if (r.verdict == Verdict::Unreachable) {
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
    j["reason"] = reasons;
  } else if (r.verdict == Verdict::Unknown) {
    j["reason"] = {{"code", "SOLVER_UNKNOWN"}, {"detail", r.unknown_reason}};
  } else {
    j["reason"] = nullptr;
  }
  j["assumptions"] = r.assumptions;
  j["elapsed_ms"] = r.elapsed_ms;
  return j;
}

void write_reach_text(std::ostream& out, const ReachResult& r, const std::string& indent) {
  const std::string& I = indent;
  out << I << to_string(r.verdict) << ": " << r.from << " -> " << r.to << " (" << to_string(r.semantics)
      << " semantics)\n";
  if (r.verdict == Verdict::Reachable) {
    out << I << "  packet: " << model::describe(*r.packet) << "  [" << *r.from_member << " -> "
        << *r.to_member << ", " << model::to_string(r.disposition) << "]\n";
    for (const auto& h : r.path) out << I << "  " << h.at << "  " << h.step << "  " << h.by << '\n';
    if (r.session && r.session->reply) {
      out << I << "  reply: " << model::describe(r.session->reply->initial)
          << (r.session->established ? "  (comes back: session established)\n" : "\n");
      for (const auto& h : r.session->reply->hops)
        out << I << "    " << h.at << "  " << h.step << "  " << h.by << '\n';
      if (r.session->reply_drop) {
        const auto& d = *r.session->reply_drop;
        out << I << "    dropped at " << d.at << " (" << d.step << "): " << d.code << "  " << d.detail
            << '\n';
      }
    }
  } else if (r.verdict == Verdict::Unreachable) {
    if (r.reasons.empty()) out << I << "  no way leads there\n";
    int way = 0;
    for (const auto& x : r.reasons) {
      if (x.way == 0) {
        out << I << "  stops at " << x.at << " (" << x.step << "): " << x.code << "  " << x.detail << '\n';
        continue;
      }
      if (x.way != way) {
        way = x.way;
        out << I << "  way " << way << " from " << x.from_member << ":";
        for (const auto& v : x.path) out << ' ' << v;
        out << '\n';
      }
      out << I << "    " << (x.first ? "stops at " : "then also ") << x.at << " (" << x.step
          << (x.direction.empty() ? "" : ", " + x.direction) << "): " << x.code;
      if (!x.field.empty()) out << "  " << x.field;
      if (!x.rule.empty()) out << "  [" << x.rule << "]";
      out << '\n';
    }
  } else {
    out << I << "  the solver gave up: " << r.unknown_reason << '\n';
  }
  if (!r.assumptions.empty()) {
    out << I << "  assuming nothing comes back through:";
    for (const auto& a : r.assumptions) out << ' ' << a;
    out << '\n';
  }
  out << I << "  (" << r.elapsed_ms << " ms)\n";
}

}  // namespace vpcprove::queries
