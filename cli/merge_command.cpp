// SPDX-License-Identifier: Apache-2.0
// `vpcprove merge`: the JSON reports of check's shards joined into the report one run prints.
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/diagnostics.h"
#include "queries/shard.h"
#include "report/check_read.h"
#include "report/check_report.h"
#include "vpcprove/config.h"

namespace vpcprove::cli {

namespace {

struct MergeCliOptions {
  std::vector<std::string> reports;
  std::string format = "text";
  std::string output;
};

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "", "cannot read the shard report");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(
        path, "", std::string("not JSON (a shard report is check --shard K/N --format json): ") + e.what());
  }
}

}  // namespace

void add_merge_command(CLI::App& app, ExitCode& exit_code) {
  auto opts = std::make_shared<MergeCliOptions>();
  auto* sub = app.add_subcommand(
      "merge", "join the JSON reports of check --shard 1/N … N/N into the report one check run prints");
  sub->add_option("reports", opts->reports, "the shards' JSON reports (check --shard K/N --format json)")
      ->required();
  sub->add_option("--format", opts->format, "output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "junit", "html"}));
  sub->add_option("-o,--output", opts->output, "write the report to this file instead of stdout");
  sub->callback([opts, &exit_code] {
    std::vector<std::pair<std::string, nlohmann::json>> shards;
    for (const auto& path : opts->reports) shards.emplace_back(path, read_json(path));
    const nlohmann::json merged = queries::merge_shard_reports(shards);
    // JSON: the shards' results as they were written (every field, even one this build does
    // not know); the other formats are rendered from the report read back.
    queries::CheckReport report = queries::read_check_report(merged, opts->reports.front());
    report.tool_version = VPCPROVE_VERSION;
    const auto write = [&](std::ostream& out) {
      if (opts->format == "json") {
        out << merged.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      } else {
        queries::write_report(out, report, opts->format);
      }
    };
    if (opts->output.empty()) {
      write(std::cout);
    } else {
      std::ofstream file(opts->output);
      if (!file) throw InputError(opts->output, "", "cannot write the report file");
      write(file);
    }
    exit_code = static_cast<ExitCode>(queries::exit_code_of(report.summary));
  });
}

}  // namespace vpcprove::cli
