// SPDX-License-Identifier: Apache-2.0
// Reading AWS Network Access Analyzer scopes (MatchPaths / ExcludePaths JSON).
#include "intent/scope.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/diagnostics.h"
#include "model/header_fields.h"
#include "model/packet.h"

namespace vpcprove::queries {

namespace {

using nlohmann::json;

// ---------------------------------------------------------------- parsing

[[noreturn]] void bad(const std::string& file, const std::string& path, const std::string& detail) {
  throw InputError(file, path, detail);
}

void only_keys(const std::string& file, const std::string& path, const json& j,
               std::initializer_list<const char*> keys) {
  if (!j.is_object()) bad(file, path, "expected an object");
  for (const auto& [k, v] : j.items()) {
    if (std::none_of(keys.begin(), keys.end(), [&, k = k](const char* x) { return k == x; })) {
      std::string list;
      for (const char* x : keys) list += (list.empty() ? "" : ", ") + std::string(x);
      bad(file, path, "unknown key '" + k + "' (expected " + list + ")");
    }
  }
}

std::vector<std::string> strings(const std::string& file, const std::string& path, const json& j) {
  if (!j.is_array()) bad(file, path, "expected a list of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) bad(file, path + '[' + std::to_string(i) + ']', "expected a string");
    out.push_back(j[i].get<std::string>());
  }
  return out;
}

/** "arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0ab" -> "subnet-0ab". */
std::string id_of(const std::string& text) {
  if (text.rfind("arn:", 0) != 0) return text;
  const auto slash = text.find_last_of('/');
  return slash == std::string::npos ? text : text.substr(slash + 1);
}

bool is_resource_type(const std::string& t) {
  // AWS::Service::Type; vpcprove models only some of them (see run_scope).
  if (t.rfind("AWS::", 0) != 0) return false;
  const auto second = t.find("::", 5);
  return second != std::string::npos && second > 5 && second + 2 < t.size();
}

ScopeResources parse_resources(const std::string& file, const std::string& path, const json& j) {
  only_keys(file, path, j, {"Resources", "ResourceTypes"});
  ScopeResources r;
  r.json_path = path;
  if (j.contains("Resources")) {
    for (const auto& s : strings(file, path + ".Resources", j["Resources"])) r.resources.push_back(id_of(s));
  }
  if (j.contains("ResourceTypes")) {
    const auto types = strings(file, path + ".ResourceTypes", j["ResourceTypes"]);
    for (std::size_t i = 0; i < types.size(); ++i) {
      if (!is_resource_type(types[i])) {
        bad(file, path + ".ResourceTypes[" + std::to_string(i) + "]",
            "'" + types[i] + "' is not a resource type (AWS::Service::Type, e.g. AWS::EC2::InternetGateway)");
      }
    }
    r.resource_types = types;
  }
  // https://docs.aws.amazon.com/vpc/latest/network-access-analyzer/resource-statement.html
  if (!r.resources.empty() && !r.resource_types.empty()) {
    bad(file, path, "a resource statement holds either Resources or ResourceTypes, not both");
  }
  if (r.resources.empty() && r.resource_types.empty())
    bad(file, path, "a resource statement needs Resources or ResourceTypes");
  return r;
}

std::vector<Ipv4Prefix> addresses(const std::string& file, const std::string& path, const json& j) {
  std::vector<Ipv4Prefix> out;
  const auto list = strings(file, path, j);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto p = Ipv4Prefix::parse(list[i]);
    if (!p)
      bad(file, path + '[' + std::to_string(i) + ']', "'" + list[i] + "' is not an IPv4 address or CIDR");
    out.push_back(*p);
  }
  return out;
}

std::vector<PortRange> ports(const std::string& file, const std::string& path, const json& j) {
  if (!j.is_array()) bad(file, path, "expected a list of ports as strings (\"22\", \"1000-2000\")");
  std::vector<PortRange> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    // The API takes strings; a bare number is accepted too.
    const std::string text = j[i].is_number_unsigned() ? std::to_string(j[i].get<unsigned>())
                             : j[i].is_string()        ? j[i].get<std::string>()
                                                       : std::string("?");
    const auto r = model::parse_port_range(text);
    if (!r)
      bad(file, path + '[' + std::to_string(i) + ']',
          "'" + text + "' is not a port 0-65535 or a range LO-HI");
    out.push_back(*r);
  }
  return out;
}

ScopeHeader parse_header(const std::string& file, const std::string& path, const json& j) {
  only_keys(file, path, j,
            {"SourceAddresses", "DestinationAddresses", "SourcePorts", "DestinationPorts",
             "SourcePrefixLists", "DestinationPrefixLists", "Protocols"});
  ScopeHeader h;
  h.json_path = path;
  if (j.contains("SourceAddresses"))
    h.source_addresses = addresses(file, path + ".SourceAddresses", j["SourceAddresses"]);
  if (j.contains("DestinationAddresses")) {
    h.destination_addresses = addresses(file, path + ".DestinationAddresses", j["DestinationAddresses"]);
  }
  if (j.contains("SourcePrefixLists"))
    h.source_prefix_lists = strings(file, path + ".SourcePrefixLists", j["SourcePrefixLists"]);
  if (j.contains("DestinationPrefixLists")) {
    h.destination_prefix_lists = strings(file, path + ".DestinationPrefixLists", j["DestinationPrefixLists"]);
  }
  for (auto& id : h.source_prefix_lists) id = id_of(id);
  for (auto& id : h.destination_prefix_lists) id = id_of(id);
  // https://docs.aws.amazon.com/vpc/latest/network-access-analyzer/packet-header-statement.html
  if (!h.source_addresses.empty() && !h.source_prefix_lists.empty()) {
    bad(file, path, "SourceAddresses and SourcePrefixLists cannot be used together");
  }
  if (!h.destination_addresses.empty() && !h.destination_prefix_lists.empty()) {
    bad(file, path, "DestinationAddresses and DestinationPrefixLists cannot be used together");
  }
  if (j.contains("SourcePorts")) h.source_ports = ports(file, path + ".SourcePorts", j["SourcePorts"]);
  if (j.contains("DestinationPorts"))
    h.destination_ports = ports(file, path + ".DestinationPorts", j["DestinationPorts"]);
  if (j.contains("Protocols")) {
    const auto list = strings(file, path + ".Protocols", j["Protocols"]);
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string p = list[i];
      std::transform(p.begin(), p.end(), p.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (p == "tcp" || p == "6") {
        h.protocols.push_back(model::kTcp);
      } else if (p == "udp" || p == "17") {
        h.protocols.push_back(model::kUdp);
      } else {
        bad(file, path + ".Protocols[" + std::to_string(i) + "]",
            "'" + list[i] + "': Network Access Analyzer analyses tcp and udp only");
      }
    }
  }
  return h;
}

ScopeEnd parse_end(const std::string& file, const std::string& path, const json& j) {
  only_keys(file, path, j, {"ResourceStatement", "PacketHeaderStatement"});
  ScopeEnd e;
  if (j.contains("ResourceStatement"))
    e.resources = parse_resources(file, path + ".ResourceStatement", j["ResourceStatement"]);
  if (j.contains("PacketHeaderStatement")) {
    e.header = parse_header(file, path + ".PacketHeaderStatement", j["PacketHeaderStatement"]);
  }
  return e;
}

std::vector<ScopePath> parse_paths(const std::string& file, const std::string& path, const json& j) {
  if (!j.is_array()) bad(file, path, "expected a list of paths");
  std::vector<ScopePath> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string p = path + '[' + std::to_string(i) + ']';
    only_keys(file, p, j[i], {"Source", "Destination", "ThroughResources"});
    ScopePath sp;
    sp.json_path = p;
    if (j[i].contains("Source")) sp.source = parse_end(file, p + ".Source", j[i]["Source"]);
    if (j[i].contains("Destination"))
      sp.destination = parse_end(file, p + ".Destination", j[i]["Destination"]);
    if (j[i].contains("ThroughResources")) {
      const auto& t = j[i]["ThroughResources"];
      if (!t.is_array()) bad(file, p + ".ThroughResources", "expected a list of {\"ResourceStatement\": …}");
      for (std::size_t k = 0; k < t.size(); ++k) {
        const std::string tp = p + ".ThroughResources[" + std::to_string(k) + "]";
        only_keys(file, tp, t[k], {"ResourceStatement"});
        if (!t[k].contains("ResourceStatement")) bad(file, tp, "missing ResourceStatement");
        sp.through.push_back(parse_resources(file, tp + ".ResourceStatement", t[k]["ResourceStatement"]));
      }
    }
    out.push_back(std::move(sp));
  }
  return out;
}

std::string stem_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const auto dot = name.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

}  // namespace

Scope parse_scope(const std::string& text, const std::string& file) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(file, "", std::string("broken JSON: ") + e.what());
  } catch (const json::exception& e) {
    throw InputError(file, "", std::string("unreadable JSON: ") + e.what());
  }
  std::string base = "$";
  if (root.is_object() && root.contains("NetworkInsightsAccessScopeContent")) {
    root = root["NetworkInsightsAccessScopeContent"];
    base += ".NetworkInsightsAccessScopeContent";
  } else if (root.is_object() && root.contains("Properties") && root.contains("Type")) {
    root = root["Properties"];
    base += ".Properties";
  }
  only_keys(file, base, root,
            {"MatchPaths", "ExcludePaths", "NetworkInsightsAccessScopeId", "ClientToken", "DryRun",
             "TagSpecifications", "Tags"});
  if (!root.contains("MatchPaths")) bad(file, base, "a scope needs MatchPaths");
  Scope s;
  s.file = file;
  s.name = stem_of(file);
  s.match = parse_paths(file, base + ".MatchPaths", root["MatchPaths"]);
  if (s.match.empty()) bad(file, base + ".MatchPaths", "MatchPaths must not be empty");
  if (root.contains("ExcludePaths"))
    s.exclude = parse_paths(file, base + ".ExcludePaths", root["ExcludePaths"]);
  return s;
}

Scope load_scope(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "", "cannot read the scope file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_scope(buffer.str(), path);
}

}  // namespace vpcprove::queries
