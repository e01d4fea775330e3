// SPDX-License-Identifier: Apache-2.0
// Loading corpus snapshots once and asking concrete questions of them.
#include "tests/corpus/corpus_fixture.h"

#include <map>
#include <stdexcept>

#include "aws/load.h"
#include "model/endpoint.h"
#include "trace/trace.h"

namespace vpcprove::testing {

const model::Network& corpus_network(const std::string& relative_path) {
  static std::map<std::string, model::Network> cache;
  auto it = cache.find(relative_path);
  if (it == cache.end()) {
    it = cache
             .emplace(relative_path,
                      aws::load_network(std::string(VPCPROVE_SHARED_DIR) + "/corpus/" + relative_path))
             .first;
  }
  return it->second;
}

model::Walk trace_flow(const model::Network& network, const std::string& from, const Flow& flow) {
  model::Packet packet;
  packet.dst_ip = *parse_ipv4(flow.dst_ip);
  packet.protocol = static_cast<std::uint8_t>(flow.protocol);
  if (flow.protocol == model::kTcp || flow.protocol == model::kUdp) {
    packet.src_port = 49152;  // Batfish's getTcpFlow source port
    packet.dst_port = static_cast<std::uint16_t>(flow.dst_port);
  }
  if (from == "internet") {
    packet.src_ip = *parse_ipv4(flow.src_ip.empty() ? "8.8.8.8" : flow.src_ip);
    return trace::walk(network, trace::Start::internet(), packet);
  }
  const model::Endpoint endpoint = model::resolve_endpoint(network, from);
  if (endpoint.interfaces.empty()) throw std::runtime_error(from + " has no interface");
  const model::NetworkInterface& eni = network.network_interfaces.at(endpoint.interfaces.front());
  packet.src_ip = flow.src_ip.empty() ? eni.private_ips.front().address : *parse_ipv4(flow.src_ip);
  return trace::walk(network, trace::Start::interface(eni.id), packet);
}

std::vector<std::string> hop_ids(const model::Walk& walk) {
  std::vector<std::string> ids;
  for (const auto& hop : walk.hops) {
    if (ids.empty() || ids.back() != hop.at) ids.push_back(hop.at);
  }
  if (walk.drop && (ids.empty() || ids.back() != walk.drop->at)) ids.push_back(walk.drop->at);
  return ids;
}

}  // namespace vpcprove::testing
