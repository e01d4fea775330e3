// SPDX-License-Identifier: Apache-2.0
// check's JSON report read back into a CheckReport (queries/report_read.h).
#include "report/check_read.h"

#include <optional>

#include "common/diagnostics.h"
#include "common/ipv4.h"
#include "model/packet.h"
#include "model/walk.h"

namespace vpcprove::queries {

namespace {

using nlohmann::json;

// Every accessor names where it was: "shard-2.json: results[3].packet.src_ip: …".
struct Reader {
  const std::string& file;

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw InputError(file, where, what + " (not the JSON of vpcprove check)");
  }
  const json& at(const json& j, const char* key, const std::string& where) const {
    if (!j.is_object() || !j.contains(key)) fail(where, std::string("missing field '") + key + "'");
    return j.at(key);
  }
  std::string str(const json& j, const char* key, const std::string& where) const {
    const json& v = at(j, key, where);
    if (!v.is_string()) fail(where + '.' + key, "not a string");
    return v.get<std::string>();
  }
  std::optional<std::string> opt_str(const json& j, const char* key, const std::string& where) const {
    if (!j.is_object() || !j.contains(key) || j.at(key).is_null()) return std::nullopt;
    return str(j, key, where);
  }
  double number(const json& j, const char* key, const std::string& where) const {
    const json& v = at(j, key, where);
    if (!v.is_number()) fail(where + '.' + key, "not a number");
    return v.get<double>();
  }
  std::vector<std::string> strings(const json& j, const char* key, const std::string& where) const {
    const json& v = at(j, key, where);
    if (!v.is_array()) fail(where + '.' + key, "not an array");
    std::vector<std::string> out;
    for (const auto& e : v) {
      if (!e.is_string()) fail(where + '.' + key, "not an array of strings");
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  const json& array(const json& j, const char* key, const std::string& where) const {
    const json& v = at(j, key, where);
    if (!v.is_array()) fail(where + '.' + key, "not an array");
    return v;
  }

  int protocol(const std::string& text, const std::string& where) const {
    if (text == "tcp") return model::kTcp;
    if (text == "udp") return model::kUdp;
    if (text == "icmp") return model::kIcmp;
    if (text == "all") return model::kAnyProtocol;
    try {
      std::size_t used = 0;
      const int p = std::stoi(text, &used);
      if (used == text.size() && p >= 0 && p <= 255) return p;
    } catch (const std::exception&) {
    }
    fail(where, "bad protocol '" + text + "'");
  }
  model::Packet packet(const json& j, const std::string& where) const {
    model::Packet p;
    const auto ip = [&](const char* key) {
      const auto a = parse_ipv4(str(j, key, where));
      if (!a) fail(where + '.' + key, "not an IPv4 address");
      return *a;
    };
    if (j.contains("ip_version") && number(j, "ip_version", where) == 6) {
      const auto ip6 = [&](const char* key) {
        const auto a = parse_ipv6(str(j, key, where));
        if (!a) fail(where + '.' + key, "not an IPv6 address");
        return *a;
      };
      p.ip_version = 6;
      p.src_ip6 = ip6("src_ip");
      p.dst_ip6 = ip6("dst_ip");
    } else {
      p.src_ip = ip("src_ip");
      p.dst_ip = ip("dst_ip");
    }
    p.protocol = static_cast<std::uint8_t>(protocol(str(j, "protocol", where), where + ".protocol"));
    p.src_port = static_cast<std::uint16_t>(number(j, "src_port", where));
    p.dst_port = static_cast<std::uint16_t>(number(j, "dst_port", where));
    return p;
  }
  std::vector<model::Hop> hops(const json& j, const std::string& where) const {
    if (!j.is_array()) fail(where, "not an array of hops");
    std::vector<model::Hop> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string w = where + '[' + std::to_string(i) + ']';
      out.push_back({str(j[i], "at", w), str(j[i], "step", w), str(j[i], "by", w), {}});
    }
    return out;
  }
  model::Disposition disposition(const std::string& text, const std::string& where) const {
    for (const auto d : {model::Disposition::Delivered, model::Disposition::ExitsInternet,
                         model::Disposition::ExitsUnmodelled, model::Disposition::Dropped,
                         model::Disposition::AwsService, model::Disposition::GatewayEndpoint}) {
      if (text == model::to_string(d)) return d;
    }
    fail(where, "bad disposition '" + text + "'");
  }
  Verdict verdict(const std::string& text, const std::string& where) const {
    for (const auto v : {Verdict::Reachable, Verdict::Unreachable, Verdict::Unknown}) {
      if (text == to_string(v)) return v;
    }
    fail(where, "bad verdict '" + text + "'");
  }
  Semantics semantics(const std::string& text, const std::string& where) const {
    if (text == "packet") return Semantics::Packet;
    if (text == "session") return Semantics::Session;
    fail(where, "bad semantics '" + text + "'");
  }

  std::vector<Reason> reasons(const json& list, const std::string& w) const {
    std::vector<Reason> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const json& e = list[i];
      const std::string rw = w + '[' + std::to_string(i) + ']';
      Reason x;
      x.at = str(e, "at", rw);
      x.step = str(e, "step", rw);
      x.code = str(e, "code", rw);
      x.detail = str(e, "detail", rw);
      x.from_member = str(e, "from_member", rw);
      x.path = strings(e, "path", rw);
      if (e.contains("way")) {
        x.way = static_cast<int>(number(e, "way", rw));
        x.first = at(e, "first", rw).get<bool>();
        x.direction = opt_str(e, "direction", rw).value_or("");
        x.field = opt_str(e, "field", rw).value_or("");
        x.rule = opt_str(e, "rule", rw).value_or("");
      }
      out.push_back(x);
    }
    return out;
  }

  /** "assumptions": [{"id", "kind", "assumed"}] (reach_report.h). */
  std::vector<model::Assumption> assumptions(const json& j, const std::string& w) const {
    std::vector<model::Assumption> out;
    const json& list = array(j, "assumptions", w);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string aw = w + ".assumptions[" + std::to_string(i) + ']';
      out.push_back({str(list[i], "id", aw), str(list[i], "kind", aw), str(list[i], "assumed", aw)});
    }
    return out;
  }

  // reach_result_json's fields (queries/reach_report.cpp), in its order.
  ReachResult reach(const json& j, const std::string& w) const {
    ReachResult r;
    r.verdict = verdict(str(j, "verdict", w), w + ".verdict");
    r.from = str(j, "from", w);
    r.to = str(j, "to", w);
    r.semantics = semantics(str(j, "semantics", w), w + ".semantics");
    r.from_member = opt_str(j, "from_member", w);
    r.to_member = opt_str(j, "to_member", w);
    if (r.verdict == Verdict::Reachable) {
      r.packet = packet(at(j, "packet", w), w + ".packet");
      r.path = hops(at(j, "path", w), w + ".path");
      r.disposition = disposition(str(j, "disposition", w), w + ".disposition");
      if (const json& reply = at(j, "reply", w); !reply.is_null()) {
        const std::string rw = w + ".reply";
        trace::SessionWalk s;
        s.established = at(reply, "established", rw).get<bool>();
        model::Walk walk;
        walk.initial = packet(at(reply, "packet", rw), rw + ".packet");
        walk.hops = hops(at(reply, "path", rw), rw + ".path");
        s.reply = walk;
        if (const json& d = at(reply, "dropped", rw); !d.is_null()) {
          const std::string dw = rw + ".dropped";
          s.reply_drop =
              model::Drop{str(d, "at", dw), str(d, "step", dw), str(d, "code", dw), str(d, "detail", dw)};
        }
        r.session = s;
      }
    } else if (r.verdict == Verdict::Unreachable) {
      r.reasons = reasons(array(j, "reason", w), w + ".reason");
    } else {
      const json& reason = at(j, "reason", w);
      r.unknown_reason = str(reason, "detail", w + ".reason");
      // Unknown only because the proof rests on assumptions (reach_report.cpp): the verdict
      // under them is unreachable, with its reasons.
      if (reason.is_object() && reason.contains("code") && reason["code"] == "RESTS_ON_ASSUMPTIONS") {
        r.if_assumed = Verdict::Unreachable;
        r.reasons = reasons(array(j, "reason_if_assumed", w), w + ".reason_if_assumed");
      }
    }
    r.assumptions = assumptions(j, w);
    r.elapsed_ms = number(j, "elapsed_ms", w);
    if (j.contains("graph_ms")) r.graph_ms = number(j, "graph_ms", w);
    return r;
  }

  PortRange range(const json& j, const std::string& where) const {
    if (!j.is_array() || j.size() != 2 || !j[0].is_number_unsigned() || !j[1].is_number_unsigned()) {
      fail(where, "not a [lo, hi] port range");
    }
    return {j[0].get<std::uint16_t>(), j[1].get<std::uint16_t>()};
  }

  // result_json's fields (queries/report_json.cpp).
  InvariantResult result(const json& j, const std::string& w) const {
    InvariantResult r;
    Invariant& inv = r.invariant;
    inv.name = str(j, "name", w);
    inv.description = str(j, "description", w);
    inv.from = str(j, "from", w);
    inv.to = str(j, "to", w);
    inv.expect = str(j, "expect", w) == "reachable" ? Expectation::Reachable : Expectation::Unreachable;
    const std::string severity = str(j, "severity", w);
    for (const auto s : {Severity::Low, Severity::Medium, Severity::High, Severity::Critical}) {
      if (severity == to_string(s)) inv.severity = s;
    }
    inv.control = str(j, "control", w);
    inv.file = str(j, "file", w);
    inv.line = static_cast<int>(number(j, "line", w));
    const json& q = at(j, "question", w);
    const std::string qw = w + ".question";
    if (const json& p = at(q, "protocol", qw); !p.is_null())
      inv.header.protocol = protocol(p.get<std::string>(), qw);
    if (const json& p = at(q, "dst_port", qw); !p.is_null())
      inv.header.dst_ports = range(p, qw + ".dst_port");
    if (const json& p = at(q, "src_port", qw); !p.is_null())
      inv.header.src_ports = range(p, qw + ".src_port");
    for (const json& p : array(q, "dst_port_list", qw))
      inv.dst_port_list.push_back(range(p, qw + ".dst_port_list"));
    inv.semantics = semantics(str(q, "semantics", qw), qw + ".semantics");

    const std::string verdict_text = str(j, "verdict", w);
    bool known = false;
    for (const auto v : {CheckVerdict::Holds, CheckVerdict::Violated, CheckVerdict::Unknown}) {
      if (verdict_text == to_string(v)) r.verdict = v, known = true;
    }
    if (!known) fail(w + ".verdict", "bad verdict '" + verdict_text + "'");
    r.has_evidence = !at(j, "reach_verdict", w).is_null();
    if (r.has_evidence) {
      json evidence = j;
      evidence["verdict"] = j.at("reach_verdict");
      r.evidence = reach(evidence, w);
      // result_json names a failing pair of a reachable invariant even when it is unreachable.
      r.evidence.from_member = opt_str(j, "from_member", w);
      r.evidence.to_member = opt_str(j, "to_member", w);
    }
    r.pairs = static_cast<std::size_t>(number(j, "pairs", w));
    const json& failing = array(j, "failing_pairs", w);
    for (std::size_t i = 0; i < failing.size(); ++i) {
      const std::string pw = w + ".failing_pairs[" + std::to_string(i) + ']';
      r.failing_pairs.push_back({str(failing[i], "from_member", pw), str(failing[i], "to_member", pw),
                                 verdict(str(failing[i], "verdict", pw), pw + ".verdict")});
    }
    const json& findings = array(j, "findings", w);
    for (std::size_t i = 0; i < findings.size(); ++i) {
      r.findings.push_back(reach(findings[i], w + ".findings[" + std::to_string(i) + ']'));
    }
    r.vacuous = at(j, "vacuous", w).get<bool>();
    r.notes = strings(j, "notes", w);
    r.assumptions = assumptions(j, w);
    if (j.contains("if_assumed")) {
      const std::string text = str(j, "if_assumed", w);
      for (const auto v : {CheckVerdict::Holds, CheckVerdict::Violated, CheckVerdict::Unknown}) {
        if (text == to_string(v)) r.if_assumed = v;
      }
    }
    r.elapsed_ms = number(j, "elapsed_ms", w);
    return r;
  }
};

}  // namespace

CheckReport read_check_report(const nlohmann::json& j, const std::string& file) {
  const Reader in{file};
  CheckReport report;
  try {
    const json& results = in.array(j, "results", "");
    for (std::size_t i = 0; i < results.size(); ++i) {
      report.results.push_back(in.result(results[i], "results[" + std::to_string(i) + ']'));
    }
    report.snapshot = in.str(j, "snapshot", "");
    report.spec_files = in.strings(j, "specs", "");
    report.elapsed_ms = in.number(j, "elapsed_ms", "");
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file, "", std::string("not the JSON of vpcprove check: ") + e.what());
  }
  report.summary = summarize(report.results);
  return report;
}

}  // namespace vpcprove::queries
