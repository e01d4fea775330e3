// SPDX-License-Identifier: Apache-2.0
// A small dual-stack network and IPv6 packets, shared by the trace and encoder tests.
#pragma once

#include <string>

#include "tests/support/network_builder.h"

namespace vpcprove::testing {

/** An IPv6 packet: tcp by default; for ICMPv6 pass type as dst_port and code as src_port. */
inline model::Packet packet6(const std::string& src, const std::string& dst, int protocol = model::kTcp,
                             std::uint16_t src_port = 49152, std::uint16_t dst_port = 443) {
  model::Packet p;
  p.ip_version = 6;
  p.src_ip6 = *parse_ipv6(src);
  p.dst_ip6 = *parse_ipv6(dst);
  p.protocol = static_cast<std::uint8_t>(protocol);
  p.src_port = src_port;
  p.dst_port = dst_port;
  return p;
}

/**
 * vpc-1 (10.0.0.0/16, 2600:1f18:1::/56) with igw-1: subnet-pub (::/0 and 0/0 -> igw-1) holds
 * eni-web (10.0.1.20, public 54.0.0.20, 2600:1f18:1:1::20; sg-web opens tcp 443 to both
 * families and tcp 22 to ::/0 only) and nat-1 (3.3.3.3); subnet-app (0/0 -> nat-1, 64:ff9b::/96
 * -> nat-1) holds eni-app (2600:1f18:1:2::30; tcp 8080 from sg-web). vpc-2 (2600:1f18:2::/56)
 * has only an egress-only gateway eigw-2 (::/0 -> eigw-2); eni-worker's group admits every
 * IPv6 source, so only the gateway keeps the internet out.
 */
inline NetworkBuilder dual_stack() {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16").ipv6("2600:1f18:1::/56");
  b.igw("igw-1", "vpc-1");
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1").route("::/0", "igw-1");
  b.route_table("rtb-app", "vpc-1").route("0.0.0.0/0", "nat-1").route("64:ff9b::/96", "nat-1");
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").ipv6("2600:1f18:1:1::/64").route_table("rtb-pub");
  b.subnet("subnet-app", "vpc-1", "10.0.2.0/24").ipv6("2600:1f18:1:2::/64").route_table("rtb-app");
  b.nat("nat-1", "subnet-pub", "10.0.1.10", "3.3.3.3");
  b.eni("eni-web", "subnet-pub", {"10.0.1.20"})
      .public_ip("54.0.0.20")
      .ipv6({"2600:1f18:1:1::20"})
      .groups({"sg-web"});
  b.eni("eni-app", "subnet-app", {"10.0.2.30"}).ipv6({"2600:1f18:1:2::30"}).groups({"sg-app"});
  b.sg("sg-web", "vpc-1")
      .ingress_tcp(443, "0.0.0.0/0")
      .ingress_tcp(443, "::/0")
      .ingress_tcp(22, "::/0")
      .egress_all()
      .egress_all("::/0");
  b.sg("sg-app", "vpc-1").ingress_tcp(8080, "sg-web").egress_all().egress_all("::/0");

  b.vpc("vpc-2", "10.1.0.0/16").ipv6("2600:1f18:2::/56");
  b.eigw("eigw-2", "vpc-2");
  b.route_table("rtb-2", "vpc-2").route("::/0", "eigw-2");
  b.subnet("subnet-2", "vpc-2", "10.1.1.0/24").ipv6("2600:1f18:2:1::/64").route_table("rtb-2");
  b.eni("eni-worker", "subnet-2", {"10.1.1.40"}).ipv6({"2600:1f18:2:1::40"}).groups({"sg-worker"});
  b.sg("sg-worker", "vpc-2").ingress_all("::/0").egress_all("::/0").egress_all();
  return b;
}

}  // namespace vpcprove::testing
