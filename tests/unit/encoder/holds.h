// SPDX-License-Identifier: Apache-2.0
// Evaluating an encoder formula on one concrete packet, for the encoder tests.
#pragma once

#include <z3++.h>

#include <catch2/catch.hpp>

#include "encoder/header.h"
#include "model/packet.h"

namespace vpcprove::encoder::test {

/** Evaluates f with h bound to the concrete packet p (its IPv6 part too when h is dual-stack). */
inline bool holds(const z3::expr& f, const Header& h, const model::Packet& p) {
  auto& c = f.ctx();
  z3::expr_vector to(c);
  to.push_back(c.bv_val(p.src_ip, 32));
  to.push_back(c.bv_val(p.dst_ip, 32));
  to.push_back(c.bv_val(unsigned{p.protocol}, 8));
  to.push_back(c.bv_val(unsigned{p.src_port}, 16));
  to.push_back(c.bv_val(unsigned{p.dst_port}, 16));
  if (h.dual_stack) {
    to.push_back(c.bool_val(p.is_ipv6()));
    to.push_back(ipv6_value(c, p.src_ip6));
    to.push_back(ipv6_value(c, p.dst_ip6));
  }
  z3::expr g = f;
  const z3::expr r = g.substitute(h.vars(), to).simplify();
  REQUIRE((r.is_true() || r.is_false()));
  return r.is_true();
}

}  // namespace vpcprove::encoder::test
