// SPDX-License-Identifier: Apache-2.0
// exposure over IPv6 (tests/support/dual_stack_network.h): IPv6 ranges listed apart with
// ip_version 6, each agreeing with trace on packets inside and just outside them.
#include <catch2/catch.hpp>

#include "queries/exposure.h"
#include "tests/support/dual_stack_network.h"
#include "trace/trace.h"

namespace vpcprove::queries {
namespace {

const Exposed* part(const EniExposure& e, const std::string& protocol, int ip_version) {
  for (const auto& x : e.exposed) {
    if (x.protocol == protocol && x.ip_version == ip_version) return &x;
  }
  return nullptr;
}

const EniExposure* find(const ExposureResult& r, const std::string& eni) {
  for (const auto& e : r.enis) {
    if (e.eni == eni) return &e;
  }
  return nullptr;
}

TEST_CASE("exposure lists IPv6 ranges apart: SSH open to ::/0 only is IPv6 tcp 22", "[exposure][ipv6]") {
  const auto n = testing::dual_stack().build();
  for (const auto semantics : {Semantics::Packet, Semantics::Session}) {
    ExposureOptions o;
    o.semantics = semantics;
    const auto r = exposure(n, o);
    REQUIRE(r.complete);
    const auto* web = find(r, "eni-web");
    REQUIRE(web != nullptr);
    const auto* v4 = part(*web, "tcp", 4);
    const auto* v6 = part(*web, "tcp", 6);
    REQUIRE(v4 != nullptr);
    REQUIRE(v6 != nullptr);
    CHECK(v4->ports == std::vector<PortRange>{{443, 443}});
    CHECK(v6->ports == std::vector<PortRange>{{22, 22}, {443, 443}});
    CHECK(web->ipv6_addresses == std::vector<Ipv6Address>{*parse_ipv6("2600:1f18:1:1::20")});
    // IPv4 entries first, then IPv6.
    CHECK(web->exposed.front().ip_version == 4);
    CHECK(web->exposed.back().ip_version == 6);
    // eni-worker's group admits every IPv6 source; its VPC has only an egress-only gateway.
    const auto* worker = find(r, "eni-worker");
    CHECK((worker == nullptr || worker->exposed.empty()));
  }
}

TEST_CASE("IPv6 exposure agrees with trace at and around every boundary", "[exposure][ipv6]") {
  const auto n = testing::dual_stack().build();
  const auto r = exposure(n);
  REQUIRE(r.complete);
  const auto* web = find(r, "eni-web");
  REQUIRE(web != nullptr);
  const auto* v6 = part(*web, "tcp", 6);
  REQUIRE(v6 != nullptr);
  auto open = [&](std::uint16_t port) {
    for (const auto& p : v6->ports) {
      if (p.contains(port)) return true;
    }
    return false;
  };
  for (std::uint16_t port : {0, 21, 22, 23, 442, 443, 444, 8080, 65535}) {
    const auto p = testing::packet6("2001:db8:1::7", "2600:1f18:1:1::20", model::kTcp, 49152, port);
    const auto w = trace::walk(n, trace::Start::internet(), p);
    INFO("port " << port);
    CHECK((w.disposition == model::Disposition::Delivered) == open(port));
  }
  // Nothing else over IPv6: no udp, icmpv6 or other protocol.
  CHECK(part(*web, "udp", 6) == nullptr);
  CHECK(part(*web, "icmpv6", 6) == nullptr);
  CHECK(part(*web, "other", 6) == nullptr);
}

}  // namespace
}  // namespace vpcprove::queries
