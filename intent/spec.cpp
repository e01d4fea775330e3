// SPDX-License-Identifier: Apache-2.0
// Reading and validating invariant spec files.
#include "intent/spec.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "common/diagnostics.h"
#include "model/header_fields.h"

namespace vpcprove::queries {

const char* to_string(Expectation e) { return e == Expectation::Reachable ? "reachable" : "unreachable"; }
const char* to_string(Severity s) {
  switch (s) {
    case Severity::Low:
      return "low";
    case Severity::Medium:
      return "medium";
    case Severity::High:
      return "high";
    case Severity::Critical:
      return "critical";
  }
  return "medium";
}

bool is_spec_selector(const std::string& text) {
  return text == "all-enis" || (text.rfind("sg-name:", 0) == 0 && text.size() > 8);
}

bool is_endpoint_form(const std::string& text) {
  if (is_spec_selector(text)) return true;
  static const char* const kIdPrefixes[] = {"eni-", "i-", "subnet-", "sg-", "vpc-", "nat-"};
  if (text == "internet" || text == "public-subnets" || text == "private-subnets") return true;
  for (const char* prefix : kIdPrefixes) {
    const std::string p(prefix);
    if (text.size() > p.size() && text.compare(0, p.size(), p) == 0) return true;
  }
  if (text.rfind("kind:", 0) == 0) return text.size() > 5;
  if (text.rfind("tag:", 0) == 0) {
    const auto eq = text.find('=');
    return eq != std::string::npos && eq > 4;
  }
  return Ipv4Prefix::parse(text).has_value();
}

namespace {

/** Throws an InputError at node's line. */
[[noreturn]] void fail(const std::string& file, const YAML::Node& node, const std::string& what) {
  const int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
  throw InputError(file + (line > 0 ? ':' + std::to_string(line) : std::string{}), {}, what);
}

std::string scalar(const std::string& file, const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) fail(file, node, "'" + key + "' must be a single value");
  return node.as<std::string>();
}

std::string endpoint(const std::string& file, const YAML::Node& node, const std::string& key) {
  std::string text = scalar(file, node, key);
  if (!is_endpoint_form(text)) {
    fail(file, node,
         "'" + key + "': '" + text +
             "' is not an endpoint (eni-, i-, subnet-, sg-, vpc-, nat-, internet, an IP or CIDR, "
             "tag:KEY=VALUE, kind:KIND, "
             "public-subnets, private-subnets, all-enis, sg-name:NAME)");
  }
  return text;
}

Invariant parse_invariant(const std::string& file, const YAML::Node& node) {
  static const std::set<std::string> kKeys = {"name",     "description", "from",      "to",
                                              "except",   "from_except", "to_except", "protocol",
                                              "dst_port", "src_port",    "expect",    "semantics",
                                              "severity", "control",     "through",   "not_through"};
  if (!node.IsMap()) fail(file, node, "each invariant must be a mapping with name, from, to and expect");
  Invariant inv;
  inv.file = file;
  inv.line = node.Mark().line + 1;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) fail(file, kv.first, "keys must be plain names");
    const std::string key = kv.first.as<std::string>();
    if (!kKeys.count(key)) fail(file, kv.first, "unknown key '" + key + "'");
  }
  for (const char* required : {"name", "from", "to", "expect"}) {
    if (!node[required]) fail(file, node, std::string("invariant is missing '") + required + "'");
  }
  inv.name = scalar(file, node["name"], "name");
  if (node["description"]) inv.description = scalar(file, node["description"], "description");
  if (node["control"]) inv.control = scalar(file, node["control"], "control");
  inv.from = endpoint(file, node["from"], "from");
  inv.to = endpoint(file, node["to"], "to");
  const std::pair<const char*, std::vector<std::string>*> excepts[] = {
      {"except", &inv.except}, {"from_except", &inv.from_except}, {"to_except", &inv.to_except}};
  for (const auto& [key, list] : excepts) {
    const auto except = node[key];
    if (!except) continue;
    if (except.IsScalar()) {
      list->push_back(endpoint(file, except, key));
    } else if (except.IsSequence()) {
      for (const auto& item : except) list->push_back(endpoint(file, item, key));
    } else {
      fail(file, except, std::string("'") + key + "' must be an endpoint or a list of endpoints");
    }
  }
  const std::pair<const char*, std::vector<std::string>*> waypoints[] = {{"through", &inv.through},
                                                                         {"not_through", &inv.not_through}};
  for (const auto& [key, list] : waypoints) {
    const auto w = node[key];
    if (!w) continue;
    auto add = [&](const YAML::Node& item) {
      const std::string id = scalar(file, item, key);
      // A resource ID (vpc-…, subnet-…, tgw-attach-…): resolved against the snapshot by check.
      const bool tag = id.rfind("tag:", 0) == 0 && id.find('=') != std::string::npos;
      if (!tag && (id.find('-') == std::string::npos || id.front() == '-' || id.back() == '-' ||
                   id.find_first_of(" \t:/") != std::string::npos))
        fail(file, item,
             std::string("'") + key + "': '" + id +
                 "' is not a resource ID (a VPC, subnet, ENI, instance, gateway, attachment or endpoint) or "
                 "tag:KEY=VALUE");
      list->push_back(id);
    };
    if (w.IsScalar()) {
      add(w);
    } else if (w.IsSequence() && w.size() > 0) {
      for (const auto& item : w) add(item);
    } else {
      fail(file, w, std::string("'") + key + "' must be a resource ID or a non-empty list of them");
    }
  }
  if (const auto p = node["protocol"]) {
    const auto protocol = model::parse_protocol(scalar(file, p, "protocol"));
    if (!protocol) fail(file, p, "'protocol' must be tcp, udp, icmp, all or a number 0-255");
    if (*protocol >= 0) inv.header.protocol = *protocol;
  }
  if (const auto p = node["dst_port"]; p && p.IsSequence()) {
    if (p.size() == 0) fail(file, p, "'dst_port' must not be an empty list");
    for (const auto& item : p) {
      const auto range = model::parse_port_range(scalar(file, item, "dst_port"));
      if (!range) fail(file, item, "'dst_port' entries must be ports 0-65535 or ranges like 1000-2000");
      inv.dst_port_list.push_back(*range);
    }
  }
  for (const char* key : {"dst_port", "src_port"}) {
    if (const auto p = node[key]; p && !(p.IsSequence() && std::string(key) == "dst_port")) {
      const auto range = model::parse_port_range(scalar(file, p, key));
      if (!range)
        fail(file, p, std::string("'") + key + "' must be a port 0-65535 or a range like 1000-2000");
      if (!range->is_all())
        (std::string(key) == "dst_port" ? inv.header.dst_ports : inv.header.src_ports) = *range;
    }
  }
  const std::string expect = scalar(file, node["expect"], "expect");
  if (expect == "reachable") {
    inv.expect = Expectation::Reachable;
  } else if (expect == "unreachable") {
    inv.expect = Expectation::Unreachable;
  } else {
    fail(file, node["expect"], "'expect' must be reachable or unreachable");
  }
  if (!inv.dst_port_list.empty() && inv.expect == Expectation::Reachable) {
    fail(file, node["dst_port"],
         "a list of ports is only for 'expect: unreachable' (ask one port per invariant)");
  }
  if (const auto s = node["semantics"]) {
    const std::string text = scalar(file, s, "semantics");
    if (text == "packet") {
      inv.semantics = Semantics::Packet;
    } else if (text == "session") {
      inv.semantics = Semantics::Session;
    } else {
      fail(file, s, "'semantics' must be packet or session");
    }
  }
  if (const auto s = node["severity"]) {
    const std::string text = scalar(file, s, "severity");
    if (text == "low") {
      inv.severity = Severity::Low;
    } else if (text == "medium") {
      inv.severity = Severity::Medium;
    } else if (text == "high") {
      inv.severity = Severity::High;
    } else if (text == "critical") {
      inv.severity = Severity::Critical;
    } else {
      fail(file, s, "'severity' must be low, medium, high or critical");
    }
  }
  return inv;
}

}  // namespace

Spec parse_spec(const std::string& text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError(file + ':' + std::to_string(e.mark.line + 1), {}, "YAML syntax error: " + e.msg);
  }
  if (!root.IsMap() || !root["invariants"]) {
    throw InputError(file, {}, "a spec file is a mapping with a list under 'invariants'");
  }
  for (const auto& kv : root) {
    if (!kv.first.IsScalar()) fail(file, kv.first, "keys must be plain names");
    const std::string key = kv.first.as<std::string>();
    if (key != "invariants") fail(file, kv.first, "unknown key '" + key + "' (expected 'invariants')");
  }
  const YAML::Node list = root["invariants"];
  if (!list.IsSequence() || list.size() == 0) fail(file, list, "'invariants' must be a non-empty list");
  Spec spec;
  spec.file = file;
  std::set<std::string> names;
  for (const auto& node : list) {
    Invariant inv = parse_invariant(file, node);
    if (!names.insert(inv.name).second) fail(file, node, "duplicate invariant name '" + inv.name + "'");
    spec.invariants.push_back(std::move(inv));
  }
  return spec;
}

Spec load_spec(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, {}, "cannot read the spec file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_spec(buffer.str(), path);
}

}  // namespace vpcprove::queries
