// SPDX-License-Identifier: Apache-2.0
// exposure against reach, ENI by ENI (see exposure_agreement.h).
#include "tests/enis/exposure_agreement.h"

#include <algorithm>

#include "model/endpoint.h"
#include "queries/exposure.h"
#include "queries/reach.h"

namespace vpcprove::testing {

namespace {

using queries::Verdict;

/** [0, 65535] minus ranges (sorted, merged, as exposure prints them). */
std::vector<PortRange> complement(const std::vector<PortRange>& ranges) {
  std::vector<PortRange> out;
  std::uint32_t next = 0;
  for (const auto& r : ranges) {
    if (r.lo > next) out.push_back({static_cast<std::uint16_t>(next), static_cast<std::uint16_t>(r.lo - 1)});
    next = std::uint32_t{r.hi} + 1;
  }
  if (next <= 65535) out.push_back({static_cast<std::uint16_t>(next), 65535});
  return out;
}

class Checker {
 public:
  Checker(const model::Network& n, ExposureAgreement& out) : n_(n), prover_(n), out_(out) {}

  /** Asks internet -> eni in hs; records a disagreement unless the verdict is want. */
  void expect(const model::Id& eni, const queries::HeaderSpace& hs, Verdict want, const std::string& what,
              const std::string& code = "") {
    ++out_.questions;
    const auto r = prover_.reach({model::resolve_endpoint(n_, "internet"), model::resolve_endpoint(n_, eni),
                                  hs, queries::Semantics::Packet, 0});
    if (r.verdict == Verdict::Unknown && !r.assumptions.empty()) {
      ++out_.conditional;
      return;
    }
    if (r.verdict != want) {
      out_.disagreements.push_back(eni + ": exposure says " + what + ", reach answers " +
                                   queries::to_string(r.verdict) +
                                   (r.unknown_reason.empty() ? "" : " (" + r.unknown_reason + ")"));
      return;
    }
    if (!code.empty() && std::none_of(r.reasons.begin(), r.reasons.end(),
                                      [&](const queries::Reason& x) { return x.code == code; })) {
      out_.disagreements.push_back(eni + ": unreachable, but no reason carries " + code);
    }
  }

  void ports(const model::Id& eni, int protocol, const std::vector<PortRange>& open, int ip_version) {
    const std::string name =
        std::string(protocol == model::kTcp ? "tcp" : "udp") + (ip_version == 6 ? " (IPv6)" : "");
    queries::HeaderSpace hs;
    hs.protocol = protocol;
    hs.ip_version = ip_version;
    if (!open.empty()) {
      hs.dst_port_set = open;
      expect(eni, hs, Verdict::Reachable, name + " ports open");
    }
    const auto closed = complement(open);
    if (!closed.empty()) {
      hs.dst_port_set = closed;
      expect(eni, hs, Verdict::Unreachable, "the other " + name + " ports closed");
    }
  }

 private:
  const model::Network& n_;
  queries::Prover prover_;
  ExposureAgreement& out_;
};

}  // namespace

ExposureAgreement check_exposure_agrees_with_reach(const model::Network& network) {
  ExposureAgreement out;
  const auto exposure = queries::exposure(network);
  if (!exposure.complete) {
    out.disagreements.push_back("exposure is incomplete: " + exposure.unknown_reason);
    return out;
  }
  Checker check(network, out);
  for (const auto& [id, eni] : network.network_interfaces) {
    const bool inactive = !eni.live();
    if (!eni.in_sets() && !inactive) continue;
    ++out.enis;
    const queries::EniExposure* e = nullptr;
    for (const auto& x : exposure.enis) {
      if (x.eni == id) e = &x;
    }
    const std::vector<queries::Exposed> none;
    const auto& exposed = e ? e->exposed : none;
    if (inactive) {
      if (!exposed.empty()) out.disagreements.push_back(id + " is inactive, yet exposure lists ports");
      // Only an addressable ENI is reached (and stopped) at its own state; others stop earlier.
      check.expect(id, {}, Verdict::Unreachable, "nothing (inactive)",
                   eni.has_public_ip() ? eni.inactive_code : "");
      continue;
    }
    // Each family apart: IPv4's entries against IPv4 packets, IPv6's (ip_version 6) against IPv6 ones.
    for (const int v : network.has_ipv6() ? std::vector<int>{4, 6} : std::vector<int>{4}) {
      auto part = [&](const std::string& protocol) -> const queries::Exposed* {
        for (const auto& x : exposed) {
          if (x.protocol == protocol && x.ip_version == v) return &x;
        }
        return nullptr;
      };
      const std::string family = v == 6 ? " (IPv6)" : "";
      queries::HeaderSpace any;
      any.ip_version = v;
      if (part("all")) {
        check.expect(id, any, Verdict::Reachable, "all traffic" + family);
        continue;
      }
      const auto* tcp = part("tcp");
      const auto* udp = part("udp");
      check.ports(id, model::kTcp, tcp ? tcp->ports : std::vector<PortRange>{}, v);
      check.ports(id, model::kUdp, udp ? udp->ports : std::vector<PortRange>{}, v);
      const std::string icmp_name = v == 6 ? "icmpv6" : "icmp";
      queries::HeaderSpace icmp = any;
      icmp.protocol = v == 6 ? model::kIcmpv6 : model::kIcmp;
      check.expect(id, icmp, part(icmp_name) ? Verdict::Reachable : Verdict::Unreachable,
                   icmp_name + (part(icmp_name) ? " open" : " closed"));
    }
  }
  return out;
}

}  // namespace vpcprove::testing
