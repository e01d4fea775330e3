// SPDX-License-Identifier: Apache-2.0
// `vpcprove exposure`: what the internet reaches on every ENI, as exact port ranges (cli-contract.md).
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"
#include "cli/kept_snapshot.h"
#include "common/escape.h"
#include "common/ipv6.h"
#include "queries/exposure.h"
#include "queries/plan_unknowns.h"
#include "report/reach_report.h"

namespace vpcprove::cli {

namespace {

struct ExposureCliOptions {
  CommonOptions common;
  std::string snapshot;
  std::string semantics = "packet";
};

/**
 * The exposure JSON written as nlohmann::json's dump(2) writes the same document (keys in
 * order, one value a line, "[]" for empty arrays), straight into a buffer: at 100k ENIs the
 * document tree took ~2 s to build, print and free, about as long as loading the snapshot.
 */
class PrettyJson {
 public:
  explicit PrettyJson(std::string& out) : out_(out) {}
  void open(char bracket) {
    out_ += bracket;
    first_.push_back(true);
  }
  void close(char bracket) {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_ += bracket;
  }
  /** Before each array element. */
  void item() {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    newline();
  }
  void key(std::string_view k) {
    item();
    string(k);
    out_ += ": ";
  }
  void string(std::string_view s) {
    const bool plain = std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; });
    if (!plain) {  // escapes and bytes that are not UTF-8: exactly as dump() writes them
      out_ += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
    out_ += '"';
    out_ += s;
    out_ += '"';
  }
  void number(std::uint64_t v) { out_ += std::to_string(v); }
  /** Any other value, through dump() and indented to where it stands. */
  void value(const nlohmann::json& j) {
    const std::string text = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    const std::string indent(2 * first_.size(), ' ');
    for (char c : text) {
      out_ += c;
      if (c == '\n') out_ += indent;
    }
  }
  void strings(const std::vector<std::string>& v) {
    open('[');
    for (const auto& x : v) {
      item();
      string(x);
    }
    close(']');
  }
  void range(const PortRange& r) {
    open('[');
    item();
    number(r.lo);
    item();
    number(r.hi);
    close(']');
  }
  void ranges(const std::vector<PortRange>& v) {
    open('[');
    for (const auto& r : v) {
      item();
      range(r);
    }
    close(']');
  }

 private:
  void newline() {
    out_ += '\n';
    out_.append(2 * first_.size(), ' ');
  }
  std::string& out_;
  std::vector<bool> first_;  // per open bracket: nothing written in it yet
};

void write_exposed(PrettyJson& w, const queries::Exposed& x) {
  w.open('{');
  w.key("by");
  w.strings(x.by);
  if (x.ip_version == 6) {  // IPv4 entries carry no field (cli-contract.md)
    w.key("ip_version");
    w.number(6);
  }
  w.key("ports");
  w.ranges(x.ports);
  w.key("protocol");
  w.string(x.protocol);
  if (x.protocol == "other") {
    w.key("protocols");
    w.ranges(x.protocols);
  }
  // The rules range by range (an addition to the contract's fields).
  const auto& rs = x.protocol == "other" ? x.protocols : x.ports;
  w.key("ranges");
  w.open('[');
  for (std::size_t i = 0; i < rs.size() && i < x.range_by.size(); ++i) {
    w.item();
    w.open('{');
    w.key("by");
    w.strings(x.range_by[i]);
    w.key("range");
    w.range(rs[i]);
    w.close('}');
  }
  w.close(']');
  w.close('}');
}

std::string result_json(const queries::ExposureResult& r, const std::string& semantics) {
  std::string out;
  out.reserve(r.enis.size() * 1024);
  PrettyJson w(out);
  w.open('{');
  w.key("classes");
  w.number(r.classes);
  w.key("complete");
  out += r.complete ? "true" : "false";
  w.key("elapsed_ms");
  out += nlohmann::json(r.elapsed_ms).dump();
  w.key("enis");
  w.open('[');
  for (const auto& e : r.enis) {
    w.item();
    w.open('{');
    w.key("assumptions");
    if (e.assumptions.empty()) {
      out += "[]";
    } else {
      w.value(queries::assumptions_json(e.assumptions));
    }
    w.key("eni");
    w.string(e.eni);
    w.key("exposed");
    w.open('[');
    for (const auto& x : e.exposed) {
      w.item();
      write_exposed(w, x);
    }
    w.close(']');
    w.key("kind");
    w.string(e.kind);
    if (!e.owner.empty()) {
      w.key("owner");
      w.string(e.owner);
    }
    if (!e.ipv6_addresses.empty()) {
      w.key("ipv6_addresses");
      w.open('[');
      for (const auto& ip : e.ipv6_addresses) {
        w.item();
        w.string(format_ipv6(ip));
      }
      w.close(']');
    }
    w.key("public_ips");
    w.open('[');
    for (auto ip : e.public_ips) {
      w.item();
      w.string(format_ipv4(ip));
    }
    w.close(']');
    w.key("subnet");
    w.string(e.subnet);
    w.close('}');
  }
  w.close(']');
  w.key("semantics");
  w.string(semantics);
  w.key("solver_checks");
  w.number(r.solver_checks);
  if (!r.complete) {
    w.key("unknown_reason");
    w.string(r.unknown_reason);
  }
  w.close('}');
  return out;
}

std::string range_text(const PortRange& r) {
  return r.lo == r.hi ? std::to_string(r.lo) : std::to_string(r.lo) + '-' + std::to_string(r.hi);
}

/** Rank of a range for people: the first sensitive port it contains, else after all of them. */
std::size_t rank(const std::string& protocol, const PortRange& r) {
  if (protocol == "all") return 0;
  if (protocol != "tcp" && protocol != "udp") return 1000;
  const auto& s = queries::sensitive_ports();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (r.contains(s[i].port)) return i;
  }
  return 999;
}

std::string sensitive_names(const std::string& protocol, const PortRange& r) {
  if (protocol != "tcp" && protocol != "udp") return "";
  std::string out;
  for (const auto& s : queries::sensitive_ports()) {
    if (!r.contains(s.port)) continue;
    out += (out.empty() ? "" : ", ") + std::string(s.name);
    if (r.lo != r.hi) out += ' ' + std::to_string(s.port);
  }
  return out;
}

void print_text(const queries::ExposureResult& r) {
  std::size_t shown = 0;
  for (const auto& e : r.enis) {
    if (e.exposed.empty() && e.assumptions.empty()) continue;
    if (!e.exposed.empty()) ++shown;
    std::cout << escape_text(e.eni) << " (" << escape_text(e.kind);
    if (!e.owner.empty()) std::cout << ' ' << escape_text(e.owner);
    std::cout << ", " << escape_text(e.subnet);
    for (auto ip : e.public_ips) std::cout << ", " << format_ipv4(ip);
    for (const auto& ip : e.ipv6_addresses) std::cout << ", " << format_ipv6(ip);
    std::cout << ")\n";
    if (!e.assumptions.empty()) {
      std::cout << "  may be reached beyond this list; assumptions:\n";
      queries::write_assumptions_text(std::cout, e.assumptions, "    ");
    }
    struct Line {
      std::size_t rank;
      std::string text;
    };
    std::vector<Line> lines;
    // The rules name security groups and NACLs by ID: escape_text each for the terminal.
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& b : v) s += (s.empty() ? "" : "; ") + escape_text(b);
      return s;
    };
    for (const auto& x : e.exposed) {
      const std::string by = join(x.by);
      const std::string family = x.ip_version == 6 ? "IPv6 " : "";
      if (x.protocol == "all") {
        lines.push_back({0, "  ! " + family + "all traffic, every port   by " + by});
        continue;
      }
      if (x.protocol == "other") {
        std::string nums;
        for (const auto& p : x.protocols) nums += (nums.empty() ? "" : ", ") + range_text(p);
        lines.push_back({1000, "    " + family + "protocols " + nums + "   by " + by});
        continue;
      }
      for (std::size_t i = 0; i < x.ports.size(); ++i) {
        const auto& p = x.ports[i];
        const std::size_t k = rank(x.protocol, p);
        const std::string names = sensitive_names(x.protocol, p);
        std::string t = (k < 999 ? "  ! " : "    ") + family + x.protocol +
                        (x.protocol == "icmp" || x.protocol == "icmpv6" ? " type " : " ") + range_text(p);
        if (!names.empty()) t += "  (" + names + ")";
        lines.push_back({k, t + "   by " + (i < x.range_by.size() ? join(x.range_by[i]) : by)});
      }
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](const Line& a, const Line& b) { return a.rank < b.rank; });
    for (const auto& l : lines) std::cout << l.text << '\n';
  }
  if (shown == 0) std::cout << "nothing is reachable from the internet\n";
  std::cout << "(" << r.enis.size() << " ENIs listed, " << shown << " exposed; " << r.classes << " classes, "
            << r.solver_checks << " solver checks, " << r.elapsed_ms << " ms)\n";
  if (!r.complete) std::cout << "INCOMPLETE: " << escape_text(r.unknown_reason) << '\n';
}

}  // namespace

void add_exposure_command(CLI::App& app, ExitCode& exit_code) {
  auto opts = std::make_shared<ExposureCliOptions>();
  auto* sub =
      app.add_subcommand("exposure", "for every ENI, the exact protocols and ports the internet reaches");
  sub->add_option("snapshot", opts->snapshot, "snapshot directory or JSON file")->required();
  sub->add_option("--semantics", opts->semantics, "packet: the first packet; session: and the reply")
      ->check(CLI::IsMember({"packet", "session"}));
  add_common_options(*sub, opts->common);
  sub->callback([opts, &exit_code] {
    const auto& o = *opts;
    const model::Network& network = load_kept(o.snapshot, o.common.plan).network;
    queries::ExposureOptions eo;
    eo.semantics = o.semantics == "session" ? queries::Semantics::Session : queries::Semantics::Packet;
    eo.jobs = o.common.jobs;
    eo.timeout_ms = o.common.timeout_ms;
    eo.assume = o.common.policy();
    auto r = queries::exposure(network, eo);
    // Exposure rests on every ENI's groups, subnet, route table and NACL: a plan's value unknown
    // until apply on any of them leaves the answer unknown, naming it.
    if (!network.unknown_until_apply.empty()) {
      queries::ReachResult every;
      std::set<model::Id> resources;
      for (const auto& [id, e] : network.network_interfaces) resources.insert(id);
      every.path.clear();
      for (const auto& id : resources) every.path.push_back({id, "", "", {}});
      const auto names = queries::unknowns_on(network, queries::resources_of_answer(network, every));
      if (!names.empty()) {
        std::string list;
        for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
        r.complete = false;
        r.unknown_reason += (r.unknown_reason.empty() ? "" : "; ") + ("values unknown until apply: " + list);
      }
    }
    if (o.common.format == "json") {
      // IDs and tags are snapshot bytes, not always UTF-8: replaced by U+FFFD, never a throw.
      std::cout << result_json(r, o.semantics) << '\n';
    } else {
      print_text(r);
    }
    exit_code = r.complete ? ExitCode::Ok : ExitCode::Unknown;
  });
}

}  // namespace vpcprove::cli
