// SPDX-License-Identifier: Apache-2.0
// `vpcprove reach`: the prover's question, answered with a witness or a proof (cli-contract.md).
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/header_options.h"
#include "cli/kept_snapshot.h"
#include "common/diagnostics.h"
#include "common/escape.h"
#include "model/endpoint.h"
#include "queries/explain.h"
#include "queries/plan_unknowns.h"
#include "queries/reach.h"
#include "report/reach_report.h"
#include "solver/smt2_file.h"
#include "vpcprove/config.h"

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
  std::optional<int> ip_version;
  std::string semantics = "packet";
  std::optional<std::string> expect;
  bool explain = false;
  std::optional<std::string> emit_smt2;
  std::vector<std::string> through;
  std::vector<std::string> not_through;
};

nlohmann::json fixes_json(const queries::Explanation& e, const char* kind) {
  nlohmann::json fixes = nlohmann::json::array();
  for (const auto& f : e.fixes) fixes.push_back({{"change", f.summary}, {"aws_cli", f.aws_cli}});
  nlohmann::json j{{"kind", kind}, {"found", e.found}, {"fixes", fixes}};
  if (!e.from_member.empty()) j["from_member"] = e.from_member;
  if (e.packet) j["packet"] = nlohmann::json(queries::packet_json(*e.packet));
  if (!e.path.empty()) j["path"] = e.path;
  if (!e.note.empty()) j["note"] = e.note;
  return j;
}

void write_fixes_text(std::ostream& out, const queries::Explanation& e, const char* what) {
  if (!e.found) {
    out << "  explain: " << (e.note.empty() ? "no fix found" : escape_text(e.note)) << '\n';
    return;
  }
  out << "  explain: the fewest changes that " << what << " (" << e.fixes.size() << "):\n";
  // Escaped for the terminal only: an ID with shell syntax stays in the command as it is.
  for (const auto& f : e.fixes) {
    out << "    - " << escape_text(f.summary) << "\n      " << escape_text(f.aws_cli) << '\n';
  }
  if (e.packet) out << "    then " << model::describe(*e.packet) << " gets through\n";
}

/** The --emit-smt2 file's header: who wrote it and the question, as a command line. */
std::string smt2_header(const ReachOptions& o) {
  std::string q = "reach " + o.snapshot + " --from " + o.from + " --to " + o.to + " --protocol " + o.protocol;
  if (o.dst_port) q += " --dst-port " + *o.dst_port;
  if (o.src_port) q += " --src-port " + *o.src_port;
  if (o.ip_version) q += " --ip-version " + std::to_string(*o.ip_version);
  q += " --semantics " + o.semantics;
  return std::string("written by vpcprove ") + VPCPROVE_VERSION + " --emit-smt2\nquestion: " + q +
         "\nevery solver check the command made, in order; (set-info :status) is Z3's answer to the "
         "(check-sat) after it";
}

[[noreturn]] void bad(const std::string& message) { throw InputError("", "", message); }

}  // namespace

void add_reach_command(CLI::App& app, ExitCode& exit_code) {
  auto opts = std::make_shared<ReachOptions>();
  auto* sub =
      app.add_subcommand("reach", "prove that no packet gets from --from to --to, or show one that does");
  sub->add_option("snapshot", opts->snapshot, "snapshot directory or JSON file")->required();
  sub->add_option("--from", opts->from, "source endpoint")->required();
  sub->add_option("--to", opts->to, "destination endpoint")->required();
  sub->add_option("--protocol", opts->protocol, "tcp, udp, icmp, all or a protocol number");
  sub->add_option("--dst-port", opts->dst_port, "destination port or range (ICMP: type)");
  sub->add_option("--src-port", opts->src_port, "source port or range (ICMP: code)");
  sub->add_option("--ip-version", opts->ip_version, "4 or 6: only packets of that family (default: both)")
      ->check(CLI::IsMember({4, 6}));
  sub->add_option("--semantics", opts->semantics, "packet: the first packet; session: both ways")
      ->check(CLI::IsMember({"packet", "session"}));
  sub->add_option("--expect", opts->expect, "reachable or unreachable: exit 1 when the answer differs")
      ->check(CLI::IsMember({"reachable", "unreachable"}));
  sub->add_flag("--explain", opts->explain,
                "unreachable: the fewest changes that open a way, as AWS CLI commands; reachable with "
                "--expect unreachable: the fewest rules to remove");
  sub->add_option("--through", opts->through,
                  "only paths that pass this VPC, subnet, ENI, instance, gateway, attachment or endpoint "
                  "(repeatable: each one)");
  sub->add_option("--not-through", opts->not_through,
                  "only paths that avoid this resource (repeatable: all of them); unreachable then proves "
                  "every path passes one");
  sub->add_option("--emit-smt2", opts->emit_smt2,
                  "also write every solver check as SMT-LIB 2 (QF_BV) to FILE, for another solver");
  add_common_options(*sub, opts->common);
  sub->callback([opts, &exit_code] {
    const auto& o = *opts;
    // Opened before loading so a bad path fails at once; every solver made while `recording`
    // lives (the prover's, why-not's, explain's) writes its checks there.
    std::optional<solver::Smt2File> smt2;
    if (o.emit_smt2) smt2.emplace(*o.emit_smt2, smt2_header(o));
    const solver::Smt2Sink::Install recording(smt2 ? &smt2->sink() : nullptr);
    queries::HeaderSpace hs;
    hs.protocol = protocol_option(o.protocol);
    if (o.dst_port) hs.dst_ports = port_option("--dst-port", *o.dst_port);
    if (o.src_port) hs.src_ports = port_option("--src-port", *o.src_port);
    hs.ip_version = o.ip_version;
    const model::Network& network = load_kept(o.snapshot, o.common.plan).network;
    model::Endpoint from, to;
    try {
      from = model::resolve_endpoint(network, o.from, model::Ipv6Endpoints::Accepted);
    } catch (const InputError& e) {
      bad(std::string("--from ") + e.what());
    }
    try {
      to = model::resolve_endpoint(network, o.to, model::Ipv6Endpoints::Accepted);
    } catch (const InputError& e) {
      bad(std::string("--to ") + e.what());
    }
    queries::ReachQuery query{
        from,
        to,
        hs,
        o.semantics == "session" ? queries::Semantics::Session : queries::Semantics::Packet,
        o.common.timeout_ms,
        o.common.policy(),
        {}};
    auto waypoints = [&](const char* flag, const std::vector<std::string>& texts,
                         std::vector<graph::Waypoint>& into) {
      for (const auto& text : texts) {
        try {
          into.push_back(graph::resolve_waypoint(network, text));
        } catch (const InputError& e) {
          bad(std::string(flag) + ' ' + e.what());
        }
      }
    };
    waypoints("--through", o.through, query.waypoints.through);
    waypoints("--not-through", o.not_through, query.waypoints.not_through);
    // Timed from here: everything after loading (graph, encodings, solving). The graph holds
    // the question's own ENIs (and the ENIs that forward), not every ENI of the estate.
    const auto t0 = std::chrono::steady_clock::now();
    queries::Prover prover(network, {}, queries::eni_scope(network, query));
    const double graph_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    // Every way, with every component that stops it (why not).
    queries::ReachResult r = queries::reach_with_why_not(prover, query);
    r.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    r.graph_ms = graph_ms;
    // A plan's value unknown until apply that the answer rests on makes it unknown (exit 3).
    queries::mark_plan_unknowns(network, r);
    std::optional<queries::Explanation> explanation;
    const char* kind = "";
    if (o.explain && r.verdict == queries::Verdict::Unreachable) {
      explanation = queries::explain_unreachable(network, query);
      kind = "open";
    } else if (o.explain && r.verdict == queries::Verdict::Reachable && o.expect &&
               *o.expect == "unreachable") {
      explanation = queries::explain_reachable(network, query);
      kind = "close";
    }
    if (smt2) smt2->finish();  // before the report: a failed write is exit 2 with no answer
    if (o.common.format == "json") {
      auto j = queries::reach_result_json(r);
      if (explanation) j["explain"] = fixes_json(*explanation, kind);
      std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    } else {
      queries::write_reach_text(std::cout, r);
      if (explanation) {
        write_fixes_text(std::cout, *explanation,
                         std::string(kind) == "open" ? "would let it through" : "would close every way");
      } else if (o.explain && r.verdict == queries::Verdict::Reachable) {
        std::cout << "  explain: reachable; add --expect unreachable for the rules to remove\n";
      }
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
