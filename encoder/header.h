// SPDX-License-Identifier: Apache-2.0
// Packet headers as Z3 bit-vectors, and the primitive matches every filter is built from.
#pragma once

#include <z3++.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/ipv4.h"
#include "common/ipv6.h"
#include "model/network.h"
#include "model/packet.h"

namespace vpcprove::encoder {

/**
 * One symbolic header with the bit layout of model::Packet: src_ip 32, dst_ip 32, protocol 8,
 * src_port 16, dst_port 16 (for ICMP and ICMPv6: dst_port the type, src_port the code), and
 * for a dual-stack header the family ip6 (a Boolean: an IPv6 packet) and src_ip6/dst_ip6 (128
 * bits each). name identifies the header within its context ("h", "h/nat-1", ...); variables
 * are named "<name>.src_ip" etc., so two Headers with one name are the same variables.
 *
 * An IPv4-only header (dual_stack false: the network has no IPv6 at all) has the constants
 * false, 0 and 0 in place of the IPv6 part: every formula over it is the IPv4 formula of
 * before, with no extra variable for Z3 to carry.
 */
struct Header {
  z3::expr src_ip;
  z3::expr dst_ip;
  z3::expr protocol;
  z3::expr src_port;
  z3::expr dst_port;
  std::string name;
  z3::expr ip6;
  z3::expr src_ip6;
  z3::expr dst_ip6;
  bool dual_stack = false;

  /** Fresh (or, for a name used before in ctx, the same) variables. */
  static Header make(z3::context& ctx, const std::string& name, bool dual_stack = false);
  /** A header of the same kind (dual-stack or not) as this one, named name. */
  [[nodiscard]] Header like(const std::string& name) const { return make(src_ip.ctx(), name, dual_stack); }
  /** The variables in field order (for z3 substitute): five, and the IPv6 three when dual-stack. */
  [[nodiscard]] z3::expr_vector vars() const;
  /** Field-wise equality. */
  [[nodiscard]] z3::expr equals(const Header& other) const;
  /** Field-wise equality with a concrete packet. */
  [[nodiscard]] z3::expr equals(const model::Packet& packet) const;
};

/** ip is in prefix: the top len bits equal (extract), true for /0. */
z3::expr in_prefix(const z3::expr& ip, const Ipv4Prefix& prefix);
/** A 128-bit ip is in an IPv6 prefix, as in_prefix. */
z3::expr in_prefix6(const z3::expr& ip, const Ipv6Prefix& prefix);
/** The 128-bit value of an IPv6 address. */
z3::expr ipv6_value(z3::context& ctx, const Ipv6Address& address);
/** A 128-bit ip is in 2000::/3, the IPv6 internet. */
z3::expr is_internet6(const z3::expr& ip);
/** lo <= port <= hi, unsigned, trivial bounds dropped; works for any bit-vector width >= 16. */
z3::expr in_range(const z3::expr& port, const PortRange& range);
/** The conventions of model/packet.h: ICMP (and ICMPv6) type/code < 256, ports 0 for other
 *  non-TCP/UDP protocols; the other family's addresses 0. */
z3::expr well_formed(const Header& h);
/** docs/semantics.md "L4Match" (the destination port for TCP/UDP; type/code for ICMP). */
z3::expr l4_matches(const model::L4Match& match, const Header& h);
/** ip is RFC 1918 or RFC 6598 space. */
z3::expr is_private(const z3::expr& ip);
/**
 * ip is one of the addresses of sorted (ascending, no repeats): a binary trie over the address
 * bits with shared prefixes compared once and complete blocks as one prefix test, exactly the
 * set. Thousands of public IPs as one equality each cost Z3 a 32-bit comparison apiece to
 * bit-blast in every solver that sees them; addresses a cloud hands out cluster in blocks.
 */
z3::expr in_address_set(const z3::expr& ip, const std::vector<Ipv4Address>& sorted);
/** A 128-bit ip is one of the IPv6 addresses of sorted (ascending, no repeats), as the IPv4
 *  trie: an ENI's IPv6 addresses are handed out from its subnet's /64, so they share their
 *  first 64 bits and more, and 100,000 of them as one 128-bit equality each cost Z3 far more. */
z3::expr in_address_set(const z3::expr& ip, const std::vector<Ipv6Address>& sorted);

/**
 * A guard "ip is none of addresses" over many addresses, kept beside its exact formula (the
 * negated in_address_set) so a solver can assert it a run of addresses at a time, as models
 * need it (solver::Solver::track): the exact formula of ~50,000 public IPs costs Z3 more to
 * take in than the rest of a path, while a witness rarely lands on one of them.
 */
struct OutsideAddresses {
  z3::expr ip;
  std::shared_ptr<const std::vector<Ipv4Address>> addresses;  ///< ascending, no repeats
  /** Over a dual-stack header, the guard's IPv6 half: the guard is then "if family, ip6 is none
   *  of addresses6 and in none of prefixes6; else ip is none of addresses". */
  struct Ipv6Half {
    z3::expr family;  ///< the header's ip6
    z3::expr ip6;
    std::shared_ptr<const std::vector<Ipv6Address>> addresses6;  ///< ascending, no repeats
    std::shared_ptr<const std::vector<Ipv6Prefix>> prefixes6;
  };
  std::optional<Ipv6Half> six = std::nullopt;
};
/**
 * A step's guard: a formula, or one built on first use where building it is what costs. The
 * exact "none of these 100,000 IPv6 addresses" trie took three quarters of a question's time at
 * 100k dual-stack ENIs, while a solver that takes it a run at a time (OutsideAddresses,
 * solver::Solver::track) seldom needs it whole. Reading it (conversion, get) builds it; the
 * builder must not outlive what it reads (the Encoder that made it).
 */
class Guard {
 public:
  Guard() = default;
  Guard(z3::expr formula)
      : value_(std::move(formula)) {}  // NOLINT(google-explicit-constructor): a formula is a guard
  /** A guard built by make when first read. */
  static Guard lazy(std::function<z3::expr()> make) {
    Guard g;
    g.make_ = std::move(make);
    return g;
  }
  Guard& operator=(z3::expr formula) {
    value_ = std::move(formula);
    make_ = nullptr;
    return *this;
  }
  /** The formula, built now if it was not yet. */
  [[nodiscard]] const z3::expr& get() const {
    if (!value_) value_ = make_();
    return *value_;
  }
  operator const z3::expr&() const { return get(); }  // NOLINT(google-explicit-constructor)
  /** true when the guard is the constant false; a guard not built yet is never that constant. */
  [[nodiscard]] bool is_false() const { return value_ && value_->is_false(); }
  /** true once the formula exists (for tests: what a question never read stays unbuilt). */
  [[nodiscard]] bool built() const { return value_.has_value(); }

 private:
  mutable std::optional<z3::expr> value_;
  std::function<z3::expr()> make_;
};

/** common/ipv4.h is_internet(ip): in no non_internet_blocks(). */
z3::expr is_internet(const z3::expr& ip);
/** The header model::reply_to(h) would return, as an expression per field (defines reply),
 *  ICMP reply types included (model::icmp_reply_type). */
z3::expr is_reply_to(const Header& reply, const Header& h);
/** true when protocol is TCP or UDP. */
z3::expr is_tcp_or_udp(const Header& h);

/** The concrete packet of h in model m (model completion on). */
model::Packet packet_of(const z3::model& m, const Header& h);

}  // namespace vpcprove::encoder
