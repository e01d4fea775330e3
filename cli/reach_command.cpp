// SPDX-License-Identifier: Apache-2.0
// `vpcprove reach`: the prover's question, answered with a witness or a proof (cli-contract.md).
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "aws/load.h"
#include "cli/command.h"
#include "common/diagnostics.h"
#include "model/endpoint.h"
#include "queries/reach.h"

namespace vpcprove::cli {

namespace {

struct ReachOptions {
  CommonOptions common;
  std::string snapshot;
  std::string from;
  std::string to;
  std::string protocol = "all";
  std::optional<std::string> dst_port;
  std::optional<std::string> src_port;
  std::string semantics = "packet";
  std::optional<std::string> expect;
};

[[noreturn]] void bad(const std::string& message) { throw InputError("", "", message); }

std::optional<int> parse_protocol(const std::string& text) {
  if (text == "all" || text == "-1") return std::nullopt;
  if (text == "tcp") return model::kTcp;
  if (text == "udp") return model::kUdp;
  if (text == "icmp") return model::kIcmp;
  try {
    std::size_t used = 0;
    const int n = std::stoi(text, &used);
    if (used == text.size() && n >= 0 && n <= 255) return n;
  } catch (const std::exception&) {
  }
  bad("--protocol " + text + ": expected tcp, udp, icmp, all or a protocol number 0-255");
}

/** "22" or "1000-2000". */
PortRange parse_ports(const std::string& flag, const std::string& text) {
  auto number = [&](const std::string& s) {
    std::size_t used = 0;
    int v = -1;
    try {
      v = std::stoi(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != s.size() || s.empty() || v < 0 || v > 65535) bad(flag + ' ' + text + ": expected a port 0-65535 or a range LO-HI");
    return static_cast<std::uint16_t>(v);
  };
  const auto dash = text.find('-');
  if (dash == std::string::npos) {
    const auto p = number(text);
    return {p, p};
  }
  const PortRange r{number(text.substr(0, dash)), number(text.substr(dash + 1))};
  if (r.lo > r.hi) bad(flag + ' ' + text + ": the range is empty");
  return r;
}

nlohmann::json packet_json(const model::Packet& p) {
  return {{"src_ip", format_ipv4(p.src_ip)},
          {"dst_ip", format_ipv4(p.dst_ip)},
          {"protocol", model::protocol_name(p.protocol)},
          {"src_port", p.src_port},
          {"dst_port", p.dst_port}};
}

nlohmann::json hops_json(const std::vector<model::Hop>& hops) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& h : hops) a.push_back({{"at", h.at}, {"step", h.step}, {"by", h.by}});
  return a;
}

nlohmann::json drop_json(const model::Drop& d) {
  return {{"at", d.at}, {"step", d.step}, {"code", d.code}, {"detail", d.detail}};
}

nlohmann::json reply_json(const queries::ReachResult& r) {
  if (!r.session || !r.session->reply) return nullptr;
  const auto& s = *r.session;
  nlohmann::json j{{"established", s.established},
                   {"packet", packet_json(s.reply->initial)},
                   {"path", hops_json(s.reply->hops)}};
  j["dropped"] = s.reply_drop ? drop_json(*s.reply_drop) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json result_json(const queries::ReachResult& r) {
  nlohmann::json j;
  j["verdict"] = queries::to_string(r.verdict);
  j["from"] = r.from;
  j["to"] = r.to;
  j["semantics"] = queries::to_string(r.semantics);
  const bool yes = r.verdict == queries::Verdict::Reachable;
  j["from_member"] = yes ? nlohmann::json(*r.from_member) : nlohmann::json(nullptr);
  j["to_member"] = yes ? nlohmann::json(*r.to_member) : nlohmann::json(nullptr);
  j["packet"] = yes ? packet_json(*r.packet) : nlohmann::json(nullptr);
  j["path"] = yes ? hops_json(r.path) : nlohmann::json(nullptr);
  j["disposition"] = yes ? nlohmann::json(model::to_string(r.disposition)) : nlohmann::json(nullptr);
  j["reply"] = yes ? reply_json(r) : nlohmann::json(nullptr);
  if (r.verdict == queries::Verdict::Unreachable) {
    nlohmann::json reasons = nlohmann::json::array();
    for (const auto& x : r.reasons) {
      reasons.push_back({{"at", x.at}, {"step", x.step}, {"code", x.code}, {"detail", x.detail},
                         {"from_member", x.from_member}, {"path", x.path}});
    }
    j["reason"] = reasons;
  } else if (r.verdict == queries::Verdict::Unknown) {
    j["reason"] = {{"code", "SOLVER_UNKNOWN"}, {"detail", r.unknown_reason}};
  } else {
    j["reason"] = nullptr;
  }
  j["assumptions"] = r.assumptions;
  j["elapsed_ms"] = r.elapsed_ms;
  return j;
}

void print_text(const queries::ReachResult& r) {
  std::cout << queries::to_string(r.verdict) << ": " << r.from << " -> " << r.to << " ("
            << queries::to_string(r.semantics) << " semantics)\n";
  if (r.verdict == queries::Verdict::Reachable) {
    std::cout << "  packet: " << model::describe(*r.packet) << "  [" << *r.from_member << " -> " << *r.to_member
              << ", " << model::to_string(r.disposition) << "]\n";
    for (const auto& h : r.path) std::cout << "  " << h.at << "  " << h.step << "  " << h.by << '\n';
    if (r.session && r.session->reply) {
      std::cout << "  reply: " << model::describe(r.session->reply->initial)
                << (r.session->established ? "  (comes back: session established)\n" : "\n");
      for (const auto& h : r.session->reply->hops) std::cout << "    " << h.at << "  " << h.step << "  " << h.by << '\n';
      if (r.session->reply_drop) {
        const auto& d = *r.session->reply_drop;
        std::cout << "    dropped at " << d.at << " (" << d.step << "): " << d.code << "  " << d.detail << '\n';
      }
    }
  } else if (r.verdict == queries::Verdict::Unreachable) {
    if (r.reasons.empty()) std::cout << "  no way leads there\n";
    for (const auto& x : r.reasons) {
      std::cout << "  stops at " << x.at << " (" << x.step << "): " << x.code << "  " << x.detail << '\n';
    }
  } else {
    std::cout << "  the solver gave up: " << r.unknown_reason << '\n';
  }
  if (!r.assumptions.empty()) {
    std::cout << "  assuming nothing comes back through:";
    for (const auto& a : r.assumptions) std::cout << ' ' << a;
    std::cout << '\n';
  }
  std::cout << "  (" << r.elapsed_ms << " ms)\n";
}

}  // namespace

void add_reach_command(CLI::App& app, ExitCode& exit_code) {
  auto opts = std::make_shared<ReachOptions>();
  auto* sub = app.add_subcommand("reach", "prove that no packet gets from --from to --to, or show one that does");
  sub->add_option("snapshot", opts->snapshot, "snapshot directory or JSON file")->required();
  sub->add_option("--from", opts->from, "source endpoint")->required();
  sub->add_option("--to", opts->to, "destination endpoint")->required();
  sub->add_option("--protocol", opts->protocol, "tcp, udp, icmp, all or a protocol number");
  sub->add_option("--dst-port", opts->dst_port, "destination port or range (ICMP: type)");
  sub->add_option("--src-port", opts->src_port, "source port or range (ICMP: code)");
  sub->add_option("--semantics", opts->semantics, "packet: the first packet; session: both ways")
      ->check(CLI::IsMember({"packet", "session"}));
  sub->add_option("--expect", opts->expect, "reachable or unreachable: exit 1 when the answer differs")
      ->check(CLI::IsMember({"reachable", "unreachable"}));
  add_common_options(*sub, opts->common);
  sub->callback([opts, &exit_code] {
    const auto& o = *opts;
    queries::HeaderSpace hs;
    hs.protocol = parse_protocol(o.protocol);
    if (o.dst_port) hs.dst_ports = parse_ports("--dst-port", *o.dst_port);
    if (o.src_port) hs.src_ports = parse_ports("--src-port", *o.src_port);
    const model::Network network = aws::load_network(o.snapshot);
    model::Endpoint from, to;
    try {
      from = model::resolve_endpoint(network, o.from);
    } catch (const InputError& e) {
      bad(std::string("--from ") + e.what());
    }
    try {
      to = model::resolve_endpoint(network, o.to);
    } catch (const InputError& e) {
      bad(std::string("--to ") + e.what());
    }
    // Timed from here: everything after loading (graph, encodings, solving).
    const auto t0 = std::chrono::steady_clock::now();
    queries::Prover prover(network);
    queries::ReachResult r = prover.reach({from, to, hs,
                                           o.semantics == "session" ? queries::Semantics::Session
                                                                    : queries::Semantics::Packet,
                                           o.common.timeout_ms});
    r.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (o.common.format == "json") {
      std::cout << result_json(r).dump(2) << '\n';
    } else {
      print_text(r);
    }
    if (r.verdict == queries::Verdict::Unknown) {
      exit_code = ExitCode::Unknown;
    } else if (o.expect && *o.expect != queries::to_string(r.verdict)) {
      exit_code = ExitCode::Violated;
    } else {
      exit_code = ExitCode::Ok;
    }
  });
}

}  // namespace vpcprove::cli
