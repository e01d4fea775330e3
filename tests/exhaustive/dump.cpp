// SPDX-License-Identifier: Apache-2.0
// What a disagreement of the bounded-exhaustive tier prints (dump.h).
#include "tests/exhaustive/dump.h"

#include <sstream>

#include "model/describe.h"

namespace vpcprove::exhaustive {

std::string dump(const model::Network& net) {
  std::ostringstream o;
  auto prefixes = [](const std::vector<Ipv4Prefix>& ps) {
    std::string s;
    for (const auto& p : ps) s += (s.empty() ? "" : ",") + p.to_string();
    return s;
  };
  auto prefixes6 = [](const std::vector<Ipv6Prefix>& ps) {
    std::string s;
    for (const auto& p : ps) s += " " + p.to_string();
    return s;
  };
  for (const auto& [id, v] : net.vpcs) {
    o << id << " " << prefixes(v.cidrs) << prefixes6(v.ipv6_cidrs)
      << " igw=" << v.internet_gateway_id.value_or("-") << "\n";
  }
  for (const auto& [id, g] : net.egress_only_internet_gateways)
    o << id << " egress-only " << g.vpc_id << "\n";
  for (const auto& [id, s] : net.subnets) {
    o << id << " " << s.vpc_id << " " << (s.ipv6_only ? std::string("ipv6-only") : s.cidr.to_string())
      << prefixes6(s.ipv6_cidrs) << " rtb=" << s.route_table_id << " acl=" << s.nacl_id << "\n";
  }
  for (const auto& [id, e] : net.network_interfaces) {
    o << id << " " << e.subnet_id << " " << model::to_string(e.kind)
      << (e.source_dest_check ? "" : " sdc-off") << (e.unfiltered ? " unfiltered" : "")
      << (e.live() ? "" : " inactive:" + e.inactive_code);
    for (const auto& ip : e.private_ips) {
      o << " " << format_ipv4(ip.address) << (ip.public_ip ? "=" + format_ipv4(*ip.public_ip) : "");
    }
    for (const auto& a : e.ipv6_addresses) o << " " << format_ipv6(a);
    for (const auto& d : e.ipv6_delegated_prefixes) o << " delegated " << d.to_string();
    o << " groups=";
    for (const auto& g : e.security_group_ids) o << g << ";";
    o << "\n";
  }
  for (const auto& [id, g] : net.nat_gateways) {
    o << id << " " << g.subnet_id << " " << format_ipv4(g.private_ip)
      << (g.public_ip ? "=" + format_ipv4(*g.public_ip) : " private") << "\n";
  }
  for (const auto& [id, p] : net.vpc_peerings) {
    o << id << " " << p.requester_vpc_id << "[" << prefixes(p.requester_cidrs) << "] <-> "
      << p.accepter_vpc_id << "[" << prefixes(p.accepter_cidrs) << "]; IPv6"
      << prefixes6(p.requester_ipv6_cidrs) << " <->" << prefixes6(p.accepter_ipv6_cidrs) << "\n";
  }
  for (const auto& [id, rt] : net.route_tables) {
    o << id << (rt.is_main ? " (main)" : "");
    for (const auto& g : rt.gateway_ids) o << " edge=" << g;
    o << ":";
    for (const auto& route : rt.routes) o << "  " << model::describe(route) << ";";
    for (const auto& route : rt.routes6) o << "  " << model::describe(route) << ";";
    o << "\n";
  }
  for (const auto& [id, a] : net.transit_gateway_attachments) {
    o << id << " " << a.resource_type << " " << a.resource_id << " rtb=" << a.route_table_id << " subnets=";
    for (const auto& s : a.subnet_ids) o << s << "(" << net.subnets.at(s).availability_zone << ");";
    o << "\n";
  }
  for (const auto& [id, rt] : net.transit_gateway_route_tables) {
    o << id << ":";
    for (const auto& route : rt.routes) o << "  " << model::describe(route) << " " << route.origin << ";";
    for (const auto& route : rt.routes6) o << "  " << model::describe(route) << " " << route.origin << ";";
    o << "\n";
  }
  for (const auto& [id, g] : net.security_groups) {
    for (const auto& rule : g.ingress) o << "  " << model::describe(rule) << "\n";
    for (const auto& rule : g.egress) o << "  " << model::describe(rule) << "\n";
  }
  for (const auto& [id, acl] : net.network_acls) {
    for (const auto& e : acl.ingress) o << "  " << model::describe(e) << " ingress\n";
    for (const auto& e : acl.egress) o << "  " << model::describe(e) << " egress\n";
    for (const auto& e : acl.ingress6) o << "  " << model::describe(e) << " ingress\n";
    for (const auto& e : acl.egress6) o << "  " << model::describe(e) << " egress\n";
  }
  return o.str();
}

std::string walk_text(const model::Walk& w) {
  std::string s = model::to_string(w.disposition);
  for (const auto& h : w.hops)
    s += "\n    " + h.at + " " + h.step + " " + h.by + "  [" + model::describe(h.packet) + "]";
  if (w.drop) s += "\n    DROP " + w.drop->at + " " + w.drop->step + " " + w.drop->code;
  return s;
}

}  // namespace vpcprove::exhaustive
