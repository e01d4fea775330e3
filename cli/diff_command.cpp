// SPDX-License-Identifier: Apache-2.0
// `vpcprove diff OLD NEW`: what the change from OLD to NEW does to reachability (cli-contract.md).
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
#include "intent/spec.h"
#include "queries/diff.h"
#include "report/diff_report.h"
#include "vpcprove/config.h"

namespace vpcprove::cli {

namespace {

struct DiffCliOptions {
  CommonOptions common;
  std::string old_snapshot;
  std::string new_snapshot;
  std::vector<std::string> specs;
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::string output;
  std::string sarif_output;     ///< also write SARIF here (CI: one run, every report)
  std::string markdown_output;  ///< also write Markdown here
};

}  // namespace

void add_diff_command(CLI::App& app, ExitCode& exit_code) {
  auto opts = std::make_shared<DiffCliOptions>();
  auto* sub = app.add_subcommand("diff", "what the change from OLD to NEW does to reachability, exactly");
  sub->add_option("old", opts->old_snapshot, "snapshot (or plan) before the change")->required();
  sub->add_option("new", opts->new_snapshot, "snapshot (or plan) after the change")->required();
  sub->add_option("--spec", opts->specs,
                  "spec file (YAML): report invariants whose verdict changes; repeatable");
  sub->add_option("--from", opts->from, "with --to: packets newly delivered / no longer delivered from here");
  sub->add_option("--to", opts->to, "with --from");
  sub->add_option("-o,--output", opts->output, "write the report to this file instead of stdout");
  sub->add_option("--sarif-output", opts->sarif_output, "also write the report as SARIF to this file");
  sub->add_option("--markdown-output", opts->markdown_output,
                  "also write the report as Markdown to this file");
  add_common_options(*sub, opts->common, {"text", "json", "sarif", "markdown"});
  sub->callback([opts, &exit_code] {
    const auto& o = *opts;
    if (o.from.has_value() != o.to.has_value())
      throw InputError("", "", "diff needs both --from and --to, or neither");
    queries::DiffOptions options;
    options.timeout_ms = o.common.timeout_ms;
    options.jobs = o.common.jobs;
    options.from = o.from;
    options.to = o.to;
    for (const auto& path : o.specs) {
      for (const auto& inv : queries::load_spec(path).invariants) options.invariants.push_back(inv);
    }
    const auto old_kept = load_kept(o.old_snapshot);
    const auto new_kept = load_kept(o.new_snapshot, o.common.plan);
    queries::DiffReport report;
    report.tool_version = VPCPROVE_VERSION;
    report.old_path = o.old_snapshot;
    report.new_path = o.common.plan.empty() ? o.new_snapshot : o.new_snapshot + " + " + o.common.plan;
    report.new_file = o.common.plan.empty() ? o.new_snapshot : o.common.plan;
    report.addresses = new_kept.network.terraform_addresses;
    report.result = queries::diff(old_kept.network, new_kept.network, options);
    auto write = [&](const std::string& path, const std::string& format) {
      std::ofstream file(path);
      if (!file) throw InputError(path, "", "cannot write the report file");
      queries::write_diff_report(file, report, format);
    };
    if (!o.sarif_output.empty()) write(o.sarif_output, "sarif");
    if (!o.markdown_output.empty()) write(o.markdown_output, "markdown");
    if (o.output.empty()) {
      queries::write_diff_report(std::cout, report, o.common.format);
    } else {
      write(o.output, o.common.format);
    }
    exit_code = static_cast<ExitCode>(queries::diff_exit_code(report.result));
  });
}

}  // namespace vpcprove::cli
