// SPDX-License-Identifier: Apache-2.0
// JSON of packets, hops and drops (queries/walk_json.h).
#include "report/walk_json.h"

#include "common/ipv4.h"

namespace vpcprove::queries {

nlohmann::ordered_json packet_json(const model::Packet& p) {
  nlohmann::ordered_json j = {{"src_ip", p.src_text()},
                              {"dst_ip", p.dst_text()},
                              {"protocol", model::protocol_name(p.protocol)},
                              {"src_port", p.src_port},
                              {"dst_port", p.dst_port}};
  // The contract: an IPv6 packet says so; an IPv4 one has no field (as before IPv6 was read).
  if (p.is_ipv6()) j["ip_version"] = 6;
  return j;
}

nlohmann::ordered_json hops_json(const std::vector<model::Hop>& hops) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& h : hops) a.push_back({{"at", h.at}, {"step", h.step}, {"by", h.by}});
  return a;
}

nlohmann::ordered_json drop_json(const model::Drop& d) {
  return {{"at", d.at}, {"step", d.step}, {"code", d.code}, {"detail", d.detail}};
}

}  // namespace vpcprove::queries
