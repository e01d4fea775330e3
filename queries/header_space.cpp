// SPDX-License-Identifier: Apache-2.0
#include "queries/header_space.h"

namespace vpcprove::queries {

z3::expr encode_header_space(encoder::Encoder& enc, const encoder::Header& h, const ReachQuery& q) {
  z3::context& c = h.protocol.ctx();
  z3::expr_vector parts(c);
  const HeaderSpace& hs = q.header;
  if (hs.protocol) parts.push_back(h.protocol == c.bv_val(*hs.protocol, 8));
  const bool ports_given = hs.dst_ports || !hs.dst_port_set.empty() || hs.src_ports;
  if (ports_given && !hs.protocol) parts.push_back(encoder::is_tcp_or_udp(h));
  if (hs.dst_ports) parts.push_back(encoder::in_range(h.dst_port, *hs.dst_ports));
  if (!hs.dst_port_set.empty()) {
    z3::expr_vector any(c);
    for (const auto& r : hs.dst_port_set) any.push_back(encoder::in_range(h.dst_port, r));
    parts.push_back(z3::mk_or(any));
  }
  if (hs.src_ports) parts.push_back(encoder::in_range(h.src_port, *hs.src_ports));
  // An IPv4 restriction asks for IPv4 packets, an IPv6 one for IPv6 packets; over an IPv4-only
  // header (a network without IPv6) there are no IPv6 packets to ask about.
  auto ipv4 = [&](const z3::expr& e) { return encoder::Encoder::ipv4_only(e, h); };
  auto ipv6 = [&](const z3::expr& e) { return h.dual_stack ? h.ip6 && e : c.bool_val(false); };
  if (hs.ip_version) parts.push_back(*hs.ip_version == 6 ? ipv6(c.bool_val(true)) : ipv4(c.bool_val(true)));
  if (hs.src_ip) parts.push_back(ipv4(encoder::in_prefix(h.src_ip, *hs.src_ip)));
  if (hs.dst_ip) parts.push_back(ipv4(encoder::in_prefix(h.dst_ip, *hs.dst_ip)));
  if (hs.src_ip6) parts.push_back(ipv6(encoder::in_prefix6(h.src_ip6, *hs.src_ip6)));
  if (hs.dst_ip6) parts.push_back(ipv6(encoder::in_prefix6(h.dst_ip6, *hs.dst_ip6)));
  if (q.to.internet) {
    // The contract's internet: IPv4's routable space and IPv6's 2000::/3.
    parts.push_back(h.dual_stack
                        ? z3::ite(h.ip6, encoder::is_internet6(h.dst_ip6), enc.internet_address(h.dst_ip))
                        : enc.internet_address(h.dst_ip));
  }
  if (q.to.cidr) parts.push_back(ipv4(encoder::in_prefix(h.dst_ip, *q.to.cidr)));
  if (q.to.cidr6) parts.push_back(ipv6(encoder::in_prefix6(h.dst_ip6, *q.to.cidr6)));
  return parts.empty() ? c.bool_val(true) : z3::mk_and(parts);
}

}  // namespace vpcprove::queries
