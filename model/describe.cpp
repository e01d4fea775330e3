// SPDX-License-Identifier: Apache-2.0
// Human-readable names of model objects.
#include "model/describe.h"

namespace vpcprove::model {

namespace {
std::string icmp_part(int value) { return value < 0 ? std::string("any") : std::to_string(value); }
}  // namespace

std::string describe(const L4Match& m) {
  if (m.matches_nothing) return "nothing (invalid rule)";
  switch (m.protocol) {
    case kAnyProtocol:
      return "all traffic";
    case kTcp:
    case kUdp:
      return protocol_name(m.protocol) + ' ' +
             (m.ports.is_all() ? std::string("all ports") : m.ports.to_string());
    case kIcmp:
      if (m.icmp_type < 0) return "icmp all";
      return "icmp type " + icmp_part(m.icmp_type) + " code " + icmp_part(m.icmp_code);
    default:
      return "proto " + std::to_string(m.protocol);
  }
}

std::string describe(const SgRule& r) {
  return r.group_id + ' ' + to_string(r.direction) + " rule " + std::to_string(r.index) + " (" +
         describe(r.l4) + ' ' + r.peer + ')';
}

std::string describe(const NaclEntry& e) {
  return e.acl_id + " rule " + std::to_string(e.rule_number) + (e.allow ? " allow (" : " deny (") +
         describe(e.l4) + ' ' + (e.cidr6 ? e.cidr6->to_string() : e.cidr.to_string()) + ')';
}

std::string describe_default_deny(const Id& acl_id) { return acl_id + " rule * deny"; }

std::string describe(const Route& r) {
  const std::string cidr = r.destination6 ? r.destination6->to_string() : r.destination.to_string();
  std::string dest = r.prefix_list_id ? *r.prefix_list_id + " (" + cidr + ')' : cidr;
  // A TGW blackhole route names no target.
  return dest + (r.target_id.empty() ? std::string() : " -> " + r.target_id) +
         (r.blackhole ? " (blackhole)" : "");
}

std::string describe_tgw_arrival(const TransitGatewayAttachment& from, const std::string& zone) {
  return from.id + " (" + from.resource_id + (zone.empty() ? std::string() : ", " + zone) + ") -> " +
         (from.route_table_id.empty() ? std::string("no route table") : from.route_table_id);
}

std::string describe_tgw_entry(const TransitGatewayAttachment& to, const Subnet& entry,
                               const std::string& zone) {
  std::string where = entry.availability_zone;
  if (entry.availability_zone != zone)
    where += "; none in " + (zone.empty() ? std::string("the sender's zone") : zone);
  return "into " + to.resource_id + " at " + entry.id + " (" + where + ")";
}

std::string describe(AwsService service, Ipv4Address address) {
  return std::string(to_string(service)) + " at " + format_ipv4(address) +
         " (not filtered by security groups or network ACLs)";
}

std::string describe(const GatewayEndpoint& endpoint, bool reply) {
  const std::string service =
      endpoint.service_name.empty() ? std::string("its service") : endpoint.service_name;
  return std::string(reply ? "reply from " : "to ") + service +
         (endpoint.prefix_list_id.empty() ? "" : " (" + endpoint.prefix_list_id + ")") +
         "; the endpoint policy is not read";
}

}  // namespace vpcprove::model
