// SPDX-License-Identifier: Apache-2.0
// `vpcprove check`: every invariant of spec files (and Network Access Analyzer scopes) at once.
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/kept_snapshot.h"
#include "common/diagnostics.h"
#include "common/escape.h"
#include "intent/spec.h"
#include "queries/check.h"
#include "queries/plan_unknowns.h"
#include "queries/scope_check.h"
#include "queries/shard.h"
#include "report/check_report.h"
#include "solver/smt2_file.h"
#include "vpcprove/config.h"

namespace vpcprove::cli {

namespace {

struct CheckCliOptions {
  CommonOptions common;
  std::string snapshot;
  std::vector<std::string> specs;
  std::vector<std::string> scopes;
  std::string output;
  std::optional<std::string> emit_smt2;
  std::optional<std::string> shard;  ///< "K/N": only that slice (queries/shard.h)
};

}  // namespace

void add_check_command(CLI::App& app, ExitCode& exit_code) {
  auto opts = std::make_shared<CheckCliOptions>();
  auto* sub = app.add_subcommand(
      "check", "prove every invariant of a spec file (and NAA scopes): holds, violated or unknown");
  sub->add_option("snapshot", opts->snapshot, "snapshot directory or JSON file")->required();
  sub->add_option("--spec", opts->specs, "spec file (YAML); repeat for several");
  sub->add_option("--scope", opts->scopes, "AWS Network Access Analyzer scope (JSON); repeat for several");
  sub->add_option("-o,--output", opts->output, "write the report to this file instead of stdout");
  sub->add_option("--emit-smt2", opts->emit_smt2,
                  "also write every solver check as SMT-LIB 2 (QF_BV) to FILE, for another solver");
  sub->add_option("--shard", opts->shard,
                  "K/N: only the K-th of N stable slices of the invariants (K from 1); join the JSON "
                  "reports with vpcprove merge");
  add_common_options(*sub, opts->common, {"text", "json", "sarif", "junit", "html"});
  sub->callback([opts, &exit_code] {
    const auto& o = *opts;
    if (o.specs.empty() && o.scopes.empty())
      throw InputError("", "", "check needs --spec FILE or --scope FILE.json");
    // Everything that can be wrong with the input is found before any solving.
    std::vector<queries::Invariant> invariants;
    std::map<std::string, std::string> where;  // name -> file:line, names are rule IDs in SARIF
    auto add = [&](const queries::Invariant& inv) {
      const std::string here = inv.file + ':' + std::to_string(inv.line);
      if (const auto it = where.find(inv.name); it != where.end()) {
        throw InputError(here, "", "invariant name '" + inv.name + "' is already used at " + it->second);
      }
      where.emplace(inv.name, here);
      invariants.push_back(inv);
    };
    for (const auto& path : o.specs) {
      for (const auto& inv : queries::load_spec(path).invariants) add(inv);
    }
    std::vector<queries::Scope> scopes;
    for (const auto& path : o.scopes) scopes.push_back(queries::load_scope(path));
    const auto shard = o.shard ? std::optional(queries::parse_shard(*o.shard)) : std::nullopt;

    // As in reach: every solver made while `recording` lives, on every worker thread, writes
    // its checks to the file, a segment per solver in the order they were made.
    std::optional<solver::Smt2File> smt2;
    if (o.emit_smt2) {
      std::string q = "check " + o.snapshot;
      for (const auto& f : o.specs) q += " --spec " + f;
      for (const auto& f : o.scopes) q += " --scope " + f;
      smt2.emplace(*o.emit_smt2, std::string("written by vpcprove ") + VPCPROVE_VERSION +
                                     " --emit-smt2\nquestion: " + q +
                                     "\nevery solver check the command made, a segment per solver; "
                                     "(set-info :status) is Z3's answer to the (check-sat) after it");
    }
    const solver::Smt2Sink::Install recording(smt2 ? &smt2->sink() : nullptr);

    const model::Network& network = load_kept(o.snapshot, o.common.plan).network;
    // A shard answers its slice of the single run's order (invariants, then scopes); run_check
    // still resolves every invariant and notes repeated questions as the single run does.
    std::vector<std::size_t> positions;
    const std::size_t total = invariants.size() + scopes.size();
    std::vector<std::size_t> invariant_positions;
    if (shard) {
      positions = queries::shard_positions(*shard, total);
      std::vector<queries::Scope> kept_scopes;
      for (const auto p : positions) {
        if (p < invariants.size())
          invariant_positions.push_back(p);
        else
          kept_scopes.push_back(scopes[p - invariants.size()]);
      }
      scopes = std::move(kept_scopes);
    }
    const auto t0 = std::chrono::steady_clock::now();

    queries::CheckOptions options;
    options.timeout_ms = o.common.timeout_ms;
    options.jobs = o.common.jobs;
    options.positions = invariant_positions;
    options.assume = o.common.policy();
    const bool tty = isatty(STDERR_FILENO) != 0;
    if (tty) {
      options.progress = [](std::size_t done, std::size_t total, const std::string& name) {
        std::cerr << "\r\033[K[" << done << '/' << total << "] " << escape_text(name) << std::flush;
      };
    }
    queries::CheckReport report;
    report.tool_version = VPCPROVE_VERSION;
    report.snapshot = o.snapshot;
    report.spec_files = o.specs;
    report.spec_files.insert(report.spec_files.end(), o.scopes.begin(), o.scopes.end());
    if (!shard || !invariant_positions.empty()) {
      report.results = queries::run_check(network, invariants, options);
    } else {
      // A shard with none of the spec's invariants (empty positions would mean all) still
      // rejects a bad selector as the whole run does.
      for (const auto& inv : invariants) queries::resolve_invariant(network, inv);
    }
    for (const auto& scope : scopes) {
      report.results.push_back(queries::run_scope(network, scope, options));
    }
    // An answer resting on a plan's value unknown until apply is unknown, naming the value.
    for (auto& result : report.results) {
      if (result.verdict == queries::CheckVerdict::Unknown || !result.has_evidence) continue;
      if (queries::mark_plan_unknowns(network, result.evidence)) {
        result.verdict = queries::CheckVerdict::Unknown;
        result.notes.push_back(result.evidence.unknown_reason);
      }
    }
    if (tty) std::cerr << "\r\033[K" << std::flush;
    if (smt2) smt2->finish();  // before the report: a failed write is exit 2 with no answer
    report.summary = queries::summarize(report.results);
    report.elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

    const auto write = [&](std::ostream& out) {
      if (!shard || o.common.format != "json") return queries::write_report(out, report, o.common.format);
      // A shard's JSON says which slice it is, for merge (queries/shard.h).
      auto j = queries::check_report_json(report);
      j["shard"] = {{"k", shard->k}, {"n", shard->n}, {"total", total}, {"positions", positions}};
      out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    };
    if (o.output.empty()) {
      write(std::cout);
    } else {
      std::ofstream file(o.output);
      if (!file) throw InputError(o.output, "", "cannot write the report file");
      write(file);
    }
    exit_code = static_cast<ExitCode>(queries::exit_code_of(report.summary));
  });
}

}  // namespace vpcprove::cli
