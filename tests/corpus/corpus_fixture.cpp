// SPDX-License-Identifier: Apache-2.0
// Loading corpus snapshots once and asking concrete questions of them.
#include "tests/corpus/corpus_fixture.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <stdexcept>

#include "aws/load.h"
#include "model/endpoint.h"
#include "queries/explain.h"
#include "tests/support/test_paths.h"
#include "trace/trace.h"

namespace vpcprove::testing {

const model::Network& corpus_network(const std::string& relative_path) {
  static std::map<std::string, model::Network> cache;
  auto it = cache.find(relative_path);
  if (it == cache.end()) {
    it =
        cache
            .emplace(relative_path, aws::load_network(std::string(VPCPROVE_CORPUS_DIR) + "/" + relative_path))
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

queries::ReachResult reach_exact(const model::Network& network, const std::string& from,
                                 const model::Walk& walk) {
  static std::map<const model::Network*, std::unique_ptr<queries::Prover>> provers;
  auto& prover = provers[&network];
  if (!prover) prover = std::make_unique<queries::Prover>(network);
  const model::Packet& p = walk.initial;
  queries::ReachQuery q;
  if (from == "internet") {
    q.from = model::resolve_endpoint(network, "internet");
  } else {
    q.from = model::resolve_endpoint(network, model::resolve_endpoint(network, from).interfaces.front());
  }
  q.to = model::resolve_endpoint(network, format_ipv4(p.dst_ip));
  q.header.protocol = p.protocol;
  q.header.src_ip = Ipv4Prefix::make(p.src_ip, 32);
  q.header.src_ports = PortRange{p.src_port, p.src_port};
  q.header.dst_ports = PortRange{p.dst_port, p.dst_port};
  q.assume = model::AssumptionPolicy::OpaqueDrops;  // the proof under assumptions, which it lists
  // The answer `vpcprove reach` prints: the prover's verdict with why-not's reasons.
  return queries::reach_with_why_not(*prover, q);
}

void require_reach_agrees(const model::Network& network, const std::string& from, const model::Walk& walk) {
  const queries::ReachResult r = reach_exact(network, from, walk);
  const bool gets_through = walk.disposition == model::Disposition::Delivered ||
                            walk.disposition == model::Disposition::ExitsInternet ||
                            walk.disposition == model::Disposition::GatewayEndpoint;
  INFO("reach verdict: " << queries::to_string(r.verdict));
  if (gets_through) {
    REQUIRE(r.verdict == queries::Verdict::Reachable);
    REQUIRE(r.packet.has_value());
    CHECK(*r.packet == walk.initial);
    CHECK(r.disposition == walk.disposition);
    REQUIRE(r.path.size() == walk.hops.size());
    for (std::size_t i = 0; i < walk.hops.size(); ++i) {
      INFO("hop " << i);
      CHECK(r.path[i].at == walk.hops[i].at);
      CHECK(r.path[i].step == walk.hops[i].step);
      CHECK(r.path[i].by == walk.hops[i].by);
    }
    return;
  }
  REQUIRE(r.verdict == queries::Verdict::Unreachable);
  if (walk.disposition == model::Disposition::ExitsUnmodelled) {
    CHECK(std::any_of(r.assumptions.begin(), r.assumptions.end(),
                      [&](const model::Assumption& a) { return a.id == walk.endpoint; }));
    return;
  }
  REQUIRE(walk.drop.has_value());
  INFO("trace drop: " << walk.drop->code << " at " << walk.drop->at);
  CHECK(std::any_of(r.reasons.begin(), r.reasons.end(),
                    [&](const queries::Reason& reason) { return reason.code == walk.drop->code; }));
}

std::vector<std::string> hop_ids(const model::Walk& walk) {
  std::vector<std::string> ids;
  for (const auto& hop : walk.hops) {
    if (ids.empty() || ids.back() != hop.at) ids.push_back(hop.at);
  }
  if (walk.drop && (ids.empty() || ids.back() != walk.drop->at)) ids.push_back(walk.drop->at);
  return ids;
}

bool visits_in_order(const std::vector<std::string>& ids, const std::vector<std::string>& expected) {
  auto it = ids.begin();
  for (const auto& id : expected) {
    it = std::find(it, ids.end(), id);
    if (it == ids.end()) return false;
    ++it;
  }
  return true;
}

}  // namespace vpcprove::testing
