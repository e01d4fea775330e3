// SPDX-License-Identifier: Apache-2.0
// `vpcprove graph`: the topology as Graphviz DOT or SVG, with a reach result drawn on it.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/command.h"
#include "cli/kept_snapshot.h"
#include "common/diagnostics.h"
#include "common/escape.h"
#include "report/topology.h"

namespace vpcprove::cli {

namespace {

struct GraphOptions {
  CommonOptions common;
  std::string snapshot;
  std::string result;
  std::string output;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/** The first `dot` on PATH, or "". */
std::string find_dot() {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "";
  std::size_t start = 0;
  while (start <= p.size()) {
    const auto end = p.find(':', start);
    const std::string dir = p.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::filesystem::path cand = std::filesystem::path(dir.empty() ? "." : dir) / "dot";
    if (::access(cand.c_str(), X_OK) == 0) return cand.string();
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return {};
}

/** Runs dot -Tsvg on dot_text into output without a shell (no quoting of user paths needed). */
void render_svg(const std::string& dot, const std::string& dot_text, const std::string& output) {
  const std::string tmp = output + ".tmp.dot";
  {
    std::ofstream f(tmp, std::ios::binary);
    if (!f || !(f << dot_text)) throw InputError(tmp, "", "cannot write the DOT file");
  }
  const pid_t pid = ::fork();
  if (pid < 0) throw InputError("", "", "cannot start dot");
  if (pid == 0) {
    const std::string out_flag = "-o" + output;
    ::execl(dot.c_str(), "dot", "-Tsvg", out_flag.c_str(), tmp.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::filesystem::remove(tmp);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw InputError(
        output, "",
        "dot -Tsvg failed (exit " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
  }
}

}  // namespace

void add_graph_command(CLI::App& app, ExitCode& exit_code) {
  auto opts = std::make_shared<GraphOptions>();
  auto* sub =
      app.add_subcommand("graph", "draw the topology (Graphviz DOT or SVG), with a reach result on it");
  sub->add_option("snapshot", opts->snapshot, "snapshot directory or JSON file")->required();
  sub->add_option("--result", opts->result, "a `reach --format json` answer to draw (path or blocks)");
  sub->add_option("-o,--output", opts->output, "FILE.dot or FILE.svg (SVG needs Graphviz's dot on PATH)")
      ->required();
  add_common_options(*sub, opts->common);
  sub->callback([opts, &exit_code] {
    const auto& o = *opts;
    const bool svg = ends_with(o.output, ".svg");
    if (!svg && !ends_with(o.output, ".dot") && !ends_with(o.output, ".gv")) {
      throw InputError("", "", "-o " + o.output + ": expected a file name ending in .dot or .svg");
    }
    std::string dot;
    if (svg) {
      dot = find_dot();
      if (dot.empty()) {
        throw InputError("", "",
                         "-o " + o.output +
                             ": SVG output needs Graphviz's `dot` on PATH (apt-get install graphviz), "
                             "or write .dot instead");
      }
    }
    std::optional<queries::Highlight> highlight;
    if (!o.result.empty()) {
      std::ifstream f(o.result, std::ios::binary);
      if (!f) throw InputError(o.result, "", "cannot read the result file");
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(f);
      } catch (const nlohmann::json::exception& e) {
        throw InputError(o.result, "", std::string("not JSON: ") + e.what());
      }
      highlight = queries::highlight_from_json(j, o.result);
    }
    const model::Network& network = load_kept(o.snapshot, o.common.plan).network;
    const std::string text = queries::topology_dot(network, highlight ? &*highlight : nullptr);
    if (svg) {
      render_svg(dot, text, o.output);
    } else {
      std::ofstream out(o.output, std::ios::binary);
      if (!out || !(out << text)) throw InputError(o.output, "", "cannot write the output file");
    }
    if (o.common.format == "json") {
      // A path is bytes, not always UTF-8: replaced by U+FFFD, never a throw after the file is written.
      std::cout << nlohmann::json{{"output", o.output}, {"format", svg ? "svg" : "dot"}}.dump(
                       2, ' ', false, nlohmann::json::error_handler_t::replace)
                << '\n';
    } else {
      std::cout << "wrote " << escape_text(o.output) << '\n';
    }
    exit_code = ExitCode::Ok;
  });
}

}  // namespace vpcprove::cli
