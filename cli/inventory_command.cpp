// SPDX-License-Identifier: Apache-2.0
// `vpcprove inventory`: what a snapshot holds (counts per kind, accounts, regions) and its warnings.
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "aws/to_model.h"
#include "cli/command.h"
#include "cli/kept_snapshot.h"
#include "common/diagnostics.h"
#include "common/escape.h"

namespace vpcprove::cli {

namespace {

struct InventoryOptions {
  CommonOptions common;
  std::string snapshot;
};

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Warning:
      return "warning";
    case Severity::Unimplemented:
      return "unimplemented";
    case Severity::Note:
      return "note";
  }
  return "warning";
}

// Model counts, in the order the text output prints them.
std::vector<std::pair<std::string, std::size_t>> model_counts(const model::Network& n) {
  std::size_t routes = 0, sg_rules = 0, nacl_entries = 0, private_ips = 0, public_ips = 0;
  for (const auto& [id, t] : n.route_tables) routes += t.routes.size();
  for (const auto& [id, g] : n.security_groups) sg_rules += g.ingress.size() + g.egress.size();
  for (const auto& [id, a] : n.network_acls) nacl_entries += a.ingress.size() + a.egress.size();
  for (const auto& [id, e] : n.network_interfaces) {
    private_ips += e.private_ips.size();
    for (const auto& p : e.private_ips) public_ips += p.public_ip.has_value();
  }
  std::size_t synthesized = 0;
  for (const auto& [id, a] : n.network_acls) synthesized += a.synthesized;
  std::vector<std::pair<std::string, std::size_t>> counts{{"vpcs", n.vpcs.size()},
                                                          {"subnets", n.subnets.size()},
                                                          {"route_tables", n.route_tables.size()},
                                                          {"routes", routes},
                                                          {"internet_gateways", n.internet_gateways.size()},
                                                          {"nat_gateways", n.nat_gateways.size()},
                                                          {"network_interfaces", n.network_interfaces.size()},
                                                          {"private_ips", private_ips},
                                                          {"public_ips", public_ips},
                                                          {"instances", n.instances.size()},
                                                          {"security_groups", n.security_groups.size()},
                                                          {"security_group_rules", sg_rules},
                                                          {"network_acls", n.network_acls.size()},
                                                          {"network_acls_synthesized", synthesized},
                                                          {"network_acl_entries", nacl_entries},
                                                          {"vpc_peerings", n.vpc_peerings.size()},
                                                          {"prefix_lists", n.prefix_lists.size()},
                                                          {"opaque_gateways", n.opaque_gateways.size()}};
  // Printed where there are any, so that snapshots without them print what they always printed.
  if (!n.gateway_endpoints.empty()) counts.emplace_back("gateway_endpoints", n.gateway_endpoints.size());
  if (!n.has_ipv6()) return counts;  // IPv4-only snapshots print what they always printed
  std::size_t routes6 = 0, entries6 = 0, addresses6 = 0, rules6 = 0;
  for (const auto& [id, t] : n.route_tables) routes6 += t.routes6.size();
  for (const auto& [id, a] : n.network_acls) entries6 += a.ingress6.size() + a.egress6.size();
  for (const auto& [id, e] : n.network_interfaces) addresses6 += e.ipv6_addresses.size();
  for (const auto& [id, g] : n.security_groups) {
    for (const auto* rules : {&g.ingress, &g.egress}) {
      for (const auto& r : *rules) rules6 += !r.peer_prefixes6.empty();
    }
  }
  counts.insert(counts.end(), {{"ipv6_routes", routes6},
                               {"ipv6_addresses", addresses6},
                               {"security_group_ipv6_rules", rules6},
                               {"network_acl_ipv6_entries", entries6}});
  return counts;
}

// Raw resources read but left out because they are not live, by the model count they would join;
// for network interfaces, the ones in the model that are inactive (not attached, instance stopped).
std::map<std::string, std::size_t> not_live_counts(const aws::Snapshot& s, const model::Network& n) {
  static const std::map<std::string, std::string> kind_names = {
      {"Reservations", "instances"},
      {"NatGateways", "nat_gateways"},
      {"VpcPeeringConnections", "vpc_peerings"},
      {"VpcEndpoints", "vpc_endpoints"},
      {"TransitGateways", "transit_gateways"},
      {"TransitGatewayAttachments", "transit_gateway_attachments"},
      {"TransitGatewayRouteTables", "transit_gateway_route_tables"}};
  std::map<std::string, std::size_t> out;
  for (const auto& x : s.not_live) {
    auto it = kind_names.find(x.kind);
    ++out[it == kind_names.end() ? x.kind : it->second];
  }
  for (const auto& [id, e] : n.network_interfaces) {
    if (!e.live()) ++out["network_interfaces"];
  }
  return out;
}

// ENIs per kind (model::to_string(InterfaceKind)), the kinds `kind:KIND` selects.
std::map<std::string, std::size_t> kind_counts(const model::Network& n) {
  std::map<std::string, std::size_t> out;
  for (const auto& [id, e] : n.network_interfaces) ++out[model::to_string(e.kind)];
  return out;
}

// One line per ENI that is not an instance's or is inactive: what vpcprove takes it for.
std::string eni_text(const model::NetworkInterface& e) {
  std::string t = escape_text(e.id) + "  " + model::to_string(e.kind);
  if (!e.owner.empty()) t += " " + escape_text(e.owner);
  if (e.unfiltered) t += ", no security groups (not filtered)";
  if (!e.delegated_prefixes.empty()) {
    t += ", delegated";
    for (const auto& p : e.delegated_prefixes) t += " " + p.to_string();
  }
  if (!e.live()) t += "  [" + e.inactive_code + "] " + escape_text(e.inactive);
  return t;
}

void print_text(const InventoryOptions& o, const aws::Snapshot& s, const model::Network& n) {
  // Text output: every string from the snapshot or the command line through escape_text.
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + escape_text(x);
    return out.empty() ? std::string("(none seen)") : out;
  };
  std::cout << "snapshot: " << escape_text(o.snapshot) << " (" << s.files.size() << " JSON file"
            << (s.files.size() == 1 ? "" : "s") << ")\n";
  std::cout << "accounts: " << join(n.accounts) << "\n";
  std::cout << "regions:  " << join(n.regions) << "\n\n";
  const auto skipped = not_live_counts(s, n);
  std::cout << std::left << std::setw(32) << "kind" << std::right << std::setw(8) << "count" << std::setw(12)
            << "not live"
            << "\n";
  std::set<std::string> printed;
  for (const auto& [kind, count] : model_counts(n)) {
    std::cout << std::left << std::setw(32) << kind << std::right << std::setw(8) << count;
    if (auto it = skipped.find(kind); it != skipped.end()) std::cout << std::setw(12) << it->second;
    std::cout << "\n";
    printed.insert(kind);
  }
  const std::vector<std::pair<std::string, std::size_t>> raw = {
      {"vpc_endpoints", s.vpc_endpoints.size()},
      {"transit_gateways", s.transit_gateways.size()},
      {"transit_gateway_attachments", s.transit_gateway_attachments.size()},
      {"transit_gateway_route_tables", s.transit_gateway_route_tables.size()},
      {"egress_only_internet_gateways", s.egress_only_internet_gateways.size()},
      {"addresses", s.addresses.size()}};
  for (const auto& [kind, count] : raw) {
    std::cout << std::left << std::setw(32) << kind << std::right << std::setw(8) << count;
    if (auto it = skipped.find(kind); it != skipped.end()) std::cout << std::setw(12) << it->second;
    std::cout << "\n";
    printed.insert(kind);
  }
  for (const auto& [kind, count] : skipped) {
    if (!printed.count(kind))
      std::cout << std::left << std::setw(32) << kind << std::right << std::setw(8) << 0 << std::setw(12)
                << count << "\n";
  }
  std::cout << "\nnetwork interfaces by kind:";
  for (const auto& [kind, count] : kind_counts(n)) std::cout << " " << kind << " " << count << ";";
  std::cout << "\n";
  for (const auto& [id, e] : n.network_interfaces) {
    if (e.kind != model::InterfaceKind::Instance || !e.live() || !e.delegated_prefixes.empty())
      std::cout << "  " << eni_text(e) << "\n";
  }
  const auto& items = n.diagnostics.items();
  std::cout << "\nwarnings: " << items.size() << "\n";
  for (const auto& d : items) {
    std::cout << "  " << severity_name(d.severity) << " [" << escape_text(d.code) << "] "
              << escape_text(d.message);
    if (!d.file.empty()) std::cout << " (" << escape_text(d.file) << ")";
    std::cout << "\n";
  }
}

void print_json(const InventoryOptions& o, const aws::Snapshot& s, const model::Network& n) {
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (const auto& [kind, count] : model_counts(n)) counts[kind] = count;
  counts["vpc_endpoints"] = s.vpc_endpoints.size();
  counts["transit_gateways"] = s.transit_gateways.size();
  counts["transit_gateway_attachments"] = s.transit_gateway_attachments.size();
  counts["transit_gateway_route_tables"] = s.transit_gateway_route_tables.size();
  counts["egress_only_internet_gateways"] = s.egress_only_internet_gateways.size();
  counts["addresses"] = s.addresses.size();
  nlohmann::ordered_json not_live = nlohmann::ordered_json::object();
  for (const auto& [kind, count] : not_live_counts(s, n)) not_live[kind] = count;
  nlohmann::ordered_json kinds = nlohmann::ordered_json::object();
  for (const auto& [kind, count] : kind_counts(n)) kinds[kind] = count;
  nlohmann::ordered_json enis = nlohmann::ordered_json::array();
  for (const auto& [id, e] : n.network_interfaces) {
    nlohmann::ordered_json j{{"eni", e.id}, {"kind", model::to_string(e.kind)}, {"subnet", e.subnet_id}};
    if (!e.owner.empty()) j["owner"] = e.owner;
    if (e.unfiltered) j["unfiltered"] = true;
    if (!e.delegated_prefixes.empty()) {
      nlohmann::ordered_json ps = nlohmann::ordered_json::array();
      for (const auto& p : e.delegated_prefixes) ps.push_back(p.to_string());
      j["delegated_prefixes"] = ps;
    }
    if (!e.live()) j["inactive"] = {{"code", e.inactive_code}, {"reason", e.inactive}};
    enis.push_back(std::move(j));
  }
  nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
  for (const auto& d : n.diagnostics.items()) {
    warnings.push_back({{"severity", severity_name(d.severity)},
                        {"code", d.code},
                        {"message", d.message},
                        {"file", d.file},
                        {"resource", d.resource}});
  }
  nlohmann::ordered_json out;
  out["snapshot"] = o.snapshot;
  out["files"] = s.files.size();
  out["counts"] = counts;
  out["not_live"] = not_live;
  out["interface_kinds"] = kinds;
  out["network_interfaces"] = enis;
  out["accounts"] = n.accounts;
  out["regions"] = n.regions;
  out["warnings"] = warnings;
  std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace

void add_inventory_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<InventoryOptions>();
  auto* sub = app.add_subcommand("inventory", "count the resources of a snapshot and list its warnings");
  sub->add_option("SNAPSHOT", options->snapshot, "snapshot folder or JSON file")->required();
  add_common_options(*sub, options->common);
  sub->callback([options, &exit_code] {
    // Both layers are needed: the model for what counts, the raw snapshot for what was skipped.
    const auto [snapshot, network] = load_kept(options->snapshot, options->common.plan, /*warn=*/false);
    if (options->common.format == "json") {
      print_json(*options, snapshot, network);
    } else {
      print_text(*options, snapshot, network);
    }
    exit_code = ExitCode::Ok;
  });
}

}  // namespace vpcprove::cli
