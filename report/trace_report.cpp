// SPDX-License-Identifier: Apache-2.0
#include "report/trace_report.h"

#include "common/escape.h"
#include "model/describe.h"
#include "report/reach_report.h"
#include "report/walk_json.h"

namespace vpcprove::report {

namespace {

// Text output: every ID, rule and argument goes through escape_text (common/escape.h).
std::string disposition_line(const model::Walk& w) {
  const std::string endpoint = escape_text(w.endpoint);
  switch (w.disposition) {
    case model::Disposition::Delivered:
      return "delivered to " + endpoint;
    case model::Disposition::ExitsInternet:
      return "exits to the internet via " + endpoint;
    case model::Disposition::ExitsUnmodelled:
      return "leaves the model via " + endpoint + " (vpcprove does not follow traffic beyond it)";
    case model::Disposition::AwsService:
      return "answered by " + endpoint + " (an AWS service no security group or network ACL filters)";
    case model::Disposition::GatewayEndpoint:
      return "handed to its service by gateway endpoint " + endpoint +
             " (the endpoint policy is not read: it may still refuse the request)";
    case model::Disposition::Dropped:
      if (w.drop) {
        return "dropped at " + escape_text(w.drop->at) + " (" + escape_text(w.drop->code) +
               "): " + escape_text(w.drop->detail);
      }
      return "dropped";
  }
  return "dropped";
}

nlohmann::ordered_json walk_json(const model::Walk& w) {
  using queries::packet_json;
  return {{"disposition", model::to_string(w.disposition)},
          {"packet", packet_json(w.initial)},
          {"path", queries::hops_json(w.hops)},
          {"drop", w.drop ? queries::drop_json(*w.drop) : nlohmann::ordered_json(nullptr)},
          {"final_packet", packet_json(w.final_packet)},
          {"endpoint",
           w.endpoint.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(w.endpoint)}};
}

void print_walk_text(std::ostream& out, const model::Walk& w, const std::string& indent) {
  out << indent << "packet: " << model::describe(w.initial) << '\n';
  queries::write_hops_text(out, w.hops, indent + "  ");
  if (w.final_packet != w.initial)
    out << indent << "final packet: " << model::describe(w.final_packet) << '\n';
}

}  // namespace

nlohmann::ordered_json trace_json(const TraceAnswer& a) {
  nlohmann::ordered_json j = walk_json(a.session.forward);
  j["from"] = a.from;
  j["to"] = a.to;
  j["reaches_to"] = a.reaches_to;
  nlohmann::ordered_json chosen = nlohmann::ordered_json::array();
  nlohmann::ordered_json notes = nlohmann::ordered_json::array();
  for (const auto& c : a.chosen) {
    chosen.push_back(c.field);
    notes.push_back(c.field + ": " + c.why);
  }
  j["chosen"] = chosen;
  j["chosen_why"] = notes;
  if (a.reply_asked && a.session.reply) {
    nlohmann::ordered_json r = walk_json(*a.session.reply);
    r["established"] = a.session.established;
    j["reply"] = r;
  } else {
    j["reply"] = nullptr;
  }
  return j;
}

void write_trace_text(std::ostream& out, const TraceAnswer& a) {
  out << disposition_line(a.session.forward) << '\n';
  print_walk_text(out, a.session.forward, "");
  if (!a.reaches_to) out << "note: this packet does not reach --to " << escape_text(a.to) << '\n';
  for (const auto& c : a.chosen) out << "chosen: " << c.field << " = " << escape_text(c.why) << '\n';
  if (a.reply_asked) {
    if (!a.session.reply) {
      out << "reply: none (the first packet was neither delivered nor sent to the internet)\n";
    } else {
      out << "reply: " << disposition_line(*a.session.reply) << '\n';
      print_walk_text(out, *a.session.reply, "  ");
      out << (a.session.established ? "session established\n" : "session not established\n");
    }
  }
}

}  // namespace vpcprove::report
