// SPDX-License-Identifier: Apache-2.0
// examples/real-account: exposure and reach agree, range by range, on every ENI exposure lists.
#include <catch2/catch.hpp>

#include "aws/load.h"
#include "model/endpoint.h"
#include "queries/exposure.h"
#include "queries/reach.h"
#include "tests/support/test_paths.h"

namespace vpcprove {
namespace {

using queries::HeaderSpace;
using queries::Semantics;
using queries::Verdict;

const model::Network& real_account() {
  static const model::Network n =
      aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/examples/real-account");
  return n;
}

/** The ports of [0, 65535] that no range of ranges holds (ranges sorted, disjoint). */
std::vector<PortRange> gaps(const std::vector<PortRange>& ranges) {
  std::vector<PortRange> out;
  std::uint32_t next = 0;
  for (const auto& r : ranges) {
    if (r.lo > next) out.push_back({static_cast<std::uint16_t>(next), static_cast<std::uint16_t>(r.lo - 1)});
    next = std::uint32_t{r.hi} + 1;
  }
  if (next <= 0xFFFF) out.push_back({static_cast<std::uint16_t>(next), 0xFFFF});
  return out;
}

}  // namespace

TEST_CASE("real-account: every range exposure lists is reachable from the internet, and nothing else",
          "[queries][exposure][example]") {
  const auto& n = real_account();
  const auto e = queries::exposure(n, {});
  REQUIRE(e.complete);
  queries::Prover prover(n);
  auto ask = [&](const std::string& eni, int protocol, const PortRange& ports) {
    HeaderSpace h;
    h.protocol = protocol;
    h.dst_ports = ports;
    return prover
        .reach({model::resolve_endpoint(n, "internet"), model::resolve_endpoint(n, eni), h, Semantics::Packet,
                0})
        .verdict;
  };
  std::size_t listed = 0;
  for (const auto& x : e.enis) {
    ++listed;
    for (const auto& [name, protocol] : {std::pair{"tcp", model::kTcp}, std::pair{"udp", model::kUdp}}) {
      std::vector<PortRange> open;
      for (const auto& p : x.exposed) {
        if (p.protocol == name || p.protocol == "all")
          open.insert(open.end(), p.ports.begin(), p.ports.end());
      }
      for (const auto& r : open) {
        INFO(x.eni << " " << name << " " << r.to_string() << " is listed");
        CHECK(ask(x.eni, protocol, r) == Verdict::Reachable);
      }
      for (const auto& r : gaps(open)) {
        INFO(x.eni << " " << name << " " << r.to_string() << " is not listed");
        CHECK(ask(x.eni, protocol, r) == Verdict::Unreachable);
      }
    }
  }
  CHECK(listed >= 1);  // the NAT instance at least (the ALB and RDS ENIs once every ENI counts)
}

}  // namespace vpcprove
