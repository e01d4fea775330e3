// SPDX-License-Identifier: Apache-2.0
// Primitive encodings: prefixes, port ranges, L4 matches, well-formedness, replies.
#include "encoder/header.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace vpcprove::encoder {

Header Header::make(z3::context& ctx, const std::string& name, bool dual_stack) {
  return {ctx.bv_const((name + ".src_ip").c_str(), 32),
          ctx.bv_const((name + ".dst_ip").c_str(), 32),
          ctx.bv_const((name + ".protocol").c_str(), 8),
          ctx.bv_const((name + ".src_port").c_str(), 16),
          ctx.bv_const((name + ".dst_port").c_str(), 16),
          name,
          dual_stack ? ctx.bool_const((name + ".ip6").c_str()) : ctx.bool_val(false),
          dual_stack ? ctx.bv_const((name + ".src_ip6").c_str(), 128) : ctx.bv_val(0, 128),
          dual_stack ? ctx.bv_const((name + ".dst_ip6").c_str(), 128) : ctx.bv_val(0, 128),
          dual_stack};
}

z3::expr_vector Header::vars() const {
  z3::expr_vector v(src_ip.ctx());
  v.push_back(src_ip);
  v.push_back(dst_ip);
  v.push_back(protocol);
  v.push_back(src_port);
  v.push_back(dst_port);
  if (dual_stack) {
    v.push_back(ip6);
    v.push_back(src_ip6);
    v.push_back(dst_ip6);
  }
  return v;
}

z3::expr Header::equals(const Header& o) const {
  z3::expr e = src_ip == o.src_ip && dst_ip == o.dst_ip && protocol == o.protocol && src_port == o.src_port &&
               dst_port == o.dst_port;
  if (dual_stack || o.dual_stack) e = e && ip6 == o.ip6 && src_ip6 == o.src_ip6 && dst_ip6 == o.dst_ip6;
  return e;
}

z3::expr Header::equals(const model::Packet& p) const {
  auto& c = src_ip.ctx();
  z3::expr e = src_ip == c.bv_val(p.src_ip, 32) && dst_ip == c.bv_val(p.dst_ip, 32) &&
               protocol == c.bv_val(unsigned{p.protocol}, 8) &&
               src_port == c.bv_val(unsigned{p.src_port}, 16) &&
               dst_port == c.bv_val(unsigned{p.dst_port}, 16);
  if (!dual_stack) return p.is_ipv6() ? c.bool_val(false) : e;
  return e && ip6 == c.bool_val(p.is_ipv6()) && src_ip6 == ipv6_value(c, p.src_ip6) &&
         dst_ip6 == ipv6_value(c, p.dst_ip6);
}

z3::expr ipv6_value(z3::context& c, const Ipv6Address& a) {
  return z3::concat(c.bv_val(a.hi, 64), c.bv_val(a.lo, 64)).simplify();
}

z3::expr in_prefix6(const z3::expr& ip, const Ipv6Prefix& p) {
  z3::context& c = ip.ctx();
  if (p.len == 0) return c.bool_val(true);
  const unsigned lo = 128u - p.len;
  // The top len bits of the prefix as a len-bit value.
  z3::expr value = p.len <= 64 ? c.bv_val(p.addr.hi >> (64 - p.len), p.len)
                               : (p.len == 128 ? ipv6_value(c, p.addr)
                                               : z3::concat(c.bv_val(p.addr.hi, 64),
                                                            c.bv_val(p.addr.lo >> (128 - p.len), p.len - 64u))
                                                     .simplify());
  return ip.extract(127, lo) == value;
}

z3::expr is_internet6(const z3::expr& ip) { return in_prefix6(ip, ipv6_global_unicast()); }

z3::expr in_prefix(const z3::expr& ip, const Ipv4Prefix& p) {
  z3::context& c = ip.ctx();
  if (p.len == 0) return c.bool_val(true);  // extract(31, 32) would be ill-formed
  const unsigned lo = 32u - p.len;
  return ip.extract(31, lo) == c.bv_val(static_cast<std::uint64_t>(p.addr) >> lo, p.len);
}

z3::expr in_range(const z3::expr& port, const PortRange& r) {
  z3::context& c = port.ctx();
  const unsigned width = port.get_sort().bv_size();
  if (r.lo == r.hi) return port == c.bv_val(unsigned{r.lo}, width);
  z3::expr_vector b(c);
  if (r.lo != 0) b.push_back(z3::uge(port, c.bv_val(unsigned{r.lo}, width)));
  if (r.hi != 0xFFFF || width > 16) b.push_back(z3::ule(port, c.bv_val(unsigned{r.hi}, width)));
  return b.empty() ? c.bool_val(true) : z3::mk_and(b);
}

z3::expr is_tcp_or_udp(const Header& h) {
  auto& c = h.protocol.ctx();
  return h.protocol == c.bv_val(model::kTcp, 8) || h.protocol == c.bv_val(model::kUdp, 8);
}

z3::expr well_formed(const Header& h) {
  auto& c = h.protocol.ctx();
  const z3::expr small = z3::ult(h.src_port, c.bv_val(256, 16)) && z3::ult(h.dst_port, c.bv_val(256, 16));
  const z3::expr zero = h.src_port == c.bv_val(0, 16) && h.dst_port == c.bv_val(0, 16);
  if (!h.dual_stack) {
    const z3::expr icmp = h.protocol == c.bv_val(model::kIcmp, 8);
    return z3::ite(is_tcp_or_udp(h), c.bool_val(true), z3::ite(icmp, small, zero));
  }
  const z3::expr icmp = h.protocol == c.bv_val(model::kIcmp, 8) || h.protocol == c.bv_val(model::kIcmpv6, 8);
  const z3::expr other_family_zero =
      z3::ite(h.ip6, h.src_ip == c.bv_val(0, 32) && h.dst_ip == c.bv_val(0, 32),
              h.src_ip6 == c.bv_val(0, 128) && h.dst_ip6 == c.bv_val(0, 128));
  return other_family_zero && z3::ite(is_tcp_or_udp(h), c.bool_val(true), z3::ite(icmp, small, zero));
}

z3::expr l4_matches(const model::L4Match& m, const Header& h) {
  auto& c = h.protocol.ctx();
  if (m.matches_nothing) return c.bool_val(false);
  if (m.protocol == model::kAnyProtocol) return c.bool_val(true);
  if (m.protocol < 0 || m.protocol > 255) return c.bool_val(false);
  const z3::expr proto = h.protocol == c.bv_val(m.protocol, 8);
  switch (m.protocol) {
    case model::kTcp:
    case model::kUdp:
      return proto && in_range(h.dst_port, m.ports);
    case model::kIcmp:
    case model::kIcmpv6: {
      z3::expr r = proto;
      if (m.icmp_type >= 0) r = r && h.dst_port == c.bv_val(m.icmp_type, 16);
      if (m.icmp_code >= 0) r = r && h.src_port == c.bv_val(m.icmp_code, 16);
      return r;
    }
    default:
      return proto;
  }
}

z3::expr is_private(const z3::expr& ip) {
  static const Ipv4Prefix kPrivate[] = {{0x0A000000u, 8},
                                        {0xAC100000u, 12},
                                        {0xC0A80000u, 16},
                                        {0x64400000u, 10}};  // 10/8 172.16/12 192.168/16 100.64/10
  z3::expr_vector v(ip.ctx());
  for (const auto& p : kPrivate) v.push_back(in_prefix(ip, p));
  return z3::mk_or(v);
}

namespace {

/** An IPv4 address as the trie reads it: 32 bits, bit 0 the most significant. */
struct Bits4 {
  static constexpr unsigned kWidth = 32;
  static bool bit(Ipv4Address a, unsigned i) { return ((a >> (31 - i)) & 1U) != 0; }
  /** Bits [from, to) of a (from the top) as a (to - from)-bit value. */
  static z3::expr value(z3::context& c, Ipv4Address a, unsigned from, unsigned to) {
    const std::uint64_t below = std::uint64_t{a} & ((std::uint64_t{1} << (32 - from)) - 1);
    return c.bv_val(below >> (32 - to), to - from);
  }
};

/** An IPv6 address as the trie reads it: 128 bits, bit 0 the most significant. */
struct Bits6 {
  static constexpr unsigned kWidth = 128;
  static bool bit(const Ipv6Address& a, unsigned i) { return a.bit(i); }
  /** The (to - from) <= 64 bits [from, to) of a, as a number. */
  static std::uint64_t word(const Ipv6Address& a, unsigned from, unsigned to) {
    const unsigned n = to - from;
    if (n == 0) return 0;
    const Ipv6Address m{from >= 64 ? 0 : a.hi & (~std::uint64_t{0} >> from),
                        from <= 64 ? a.lo : a.lo & (~std::uint64_t{0} >> (from - 64))};
    // Shift the 128 bits m right by 128 - to and keep the low n bits.
    const unsigned shift = 128 - to;
    std::uint64_t v =
        shift >= 64 ? m.hi >> (shift - 64) : (m.lo >> shift) | (shift ? m.hi << (64 - shift) : 0);
    return n == 64 ? v : v & ((std::uint64_t{1} << n) - 1);
  }
  static z3::expr value(z3::context& c, const Ipv6Address& a, unsigned from, unsigned to) {
    if (to - from <= 64) return c.bv_val(word(a, from, to), to - from);
    return z3::concat(c.bv_val(word(a, from, to - 64), to - 64 - from), c.bv_val(word(a, to - 64, to), 64))
        .simplify();
  }
};

/**
 * The trie over one address field. Each bit test (extract(i, i) == 1) is made once per field and
 * shared by every node that splits on that bit: at 100,000 IPv6 addresses the trie has some
 * 200,000 nodes, and making the test afresh at each was most of the cost of building it.
 */
template <typename Bits, typename Address>
class AddressTrie {
 public:
  explicit AddressTrie(const z3::expr& ip)
      : ip_(ip), c_(ip.ctx()), bit_is_one_(Bits::kWidth), low_bits_(Bits::kWidth) {}

  /**
   * The addresses [lo, hi) (ascending, no repeats), sharing their top `depth` bits, as a formula
   * over ip's other bits. Bits count from the most significant (0); Z3's extract counts from the
   * least (width - 1 - i).
   */
  z3::expr build(const Address* lo, const Address* hi, unsigned depth) {
    constexpr unsigned kWidth = Bits::kWidth;
    if (lo == hi) return c_.bool_val(false);
    const unsigned width = kWidth - depth;  // the bits still to decide
    if (width == 0) return c_.bool_val(true);
    const auto n = static_cast<std::uint64_t>(hi - lo);
    if (width < 64 && n == std::uint64_t{1} << width) return c_.bool_val(true);  // every address of the block
    if (n == 1) return low(width) == Bits::value(c_, *lo, depth, kWidth);
    // The bits every address shares below depth, then the first bit that tells them apart (the
    // first and the last differ somewhere: no repeats).
    unsigned first = depth;
    while (Bits::bit(*lo, first) == Bits::bit(*(hi - 1), first)) ++first;
    const unsigned common = first - depth;
    const unsigned split = kWidth - 1 - first;  // the same bit as Z3 counts it
    const Address* mid = std::partition_point(lo, hi, [&](const Address& a) { return !Bits::bit(a, first); });
    const z3::expr below = z3::ite(one(split), build(mid, hi, first + 1), build(lo, mid, first + 1));
    if (common == 0) return below;
    return ip_.extract(width - 1, split + 1) == Bits::value(c_, *lo, depth, first) && below;
  }

 private:
  /** ip's low width bits (a leaf's remaining address), made once per width. */
  const z3::expr& low(unsigned width) {
    auto& b = low_bits_[width - 1];
    if (!b) b = ip_.extract(width - 1, 0);
    return *b;
  }
  const z3::expr& one(unsigned split) {
    auto& b = bit_is_one_[split];
    if (!b) b = ip_.extract(split, split) == c_.bv_val(1, 1);
    return *b;
  }

  const z3::expr& ip_;
  z3::context& c_;
  std::vector<std::optional<z3::expr>> bit_is_one_;  ///< by Z3's bit index
  std::vector<std::optional<z3::expr>> low_bits_;    ///< by width - 1
};

}  // namespace

z3::expr in_address_set(const z3::expr& ip, const std::vector<Ipv4Address>& sorted) {
  return AddressTrie<Bits4, Ipv4Address>(ip).build(sorted.data(), sorted.data() + sorted.size(), 0);
}

z3::expr in_address_set(const z3::expr& ip, const std::vector<Ipv6Address>& sorted) {
  return AddressTrie<Bits6, Ipv6Address>(ip).build(sorted.data(), sorted.data() + sorted.size(), 0);
}

z3::expr is_internet(const z3::expr& ip) {
  z3::expr_vector v(ip.ctx());
  for (const auto& p : non_internet_blocks()) v.push_back(in_prefix(ip, p));
  return !z3::mk_or(v);
}

z3::expr is_reply_to(const Header& r, const Header& h) {
  auto& c = h.protocol.ctx();
  const z3::expr icmp = h.protocol == c.bv_val(model::kIcmp, 8);
  const z3::expr zero = c.bv_val(0, 16);
  // ICMP: a request is answered by its reply type with code 0 (model::reply_to); any other
  // type keeps its type and code. Built inside-out from "unchanged".
  z3::expr type = h.dst_port;
  z3::expr code = h.src_port;
  for (const auto& [request, reply] : model::kIcmpReplyTypes) {
    const z3::expr is = icmp && h.dst_port == c.bv_val(request, 16);
    type = z3::ite(is, c.bv_val(reply, 16), type);
    code = z3::ite(is, zero, code);
  }
  if (h.dual_stack) {
    const z3::expr icmp6 = h.protocol == c.bv_val(model::kIcmpv6, 8);
    for (const auto& [request, reply] : model::kIcmpv6ReplyTypes) {
      const z3::expr is = icmp6 && h.dst_port == c.bv_val(request, 16);
      type = z3::ite(is, c.bv_val(reply, 16), type);
      code = z3::ite(is, zero, code);
    }
  }
  z3::expr e = r.src_ip == h.dst_ip && r.dst_ip == h.src_ip && r.protocol == h.protocol &&
               r.src_port == z3::ite(is_tcp_or_udp(h), h.dst_port, code) &&
               r.dst_port == z3::ite(is_tcp_or_udp(h), h.src_port, type);
  if (h.dual_stack || r.dual_stack)
    e = e && r.ip6 == h.ip6 && r.src_ip6 == h.dst_ip6 && r.dst_ip6 == h.src_ip6;
  return e;
}

model::Packet packet_of(const z3::model& m, const Header& h) {
  auto v = [&](const z3::expr& e) { return m.eval(e, true).get_numeral_uint64(); };
  model::Packet p;
  p.src_ip = static_cast<Ipv4Address>(v(h.src_ip));
  p.dst_ip = static_cast<Ipv4Address>(v(h.dst_ip));
  p.protocol = static_cast<std::uint8_t>(v(h.protocol));
  p.src_port = static_cast<std::uint16_t>(v(h.src_port));
  p.dst_port = static_cast<std::uint16_t>(v(h.dst_port));
  if (h.dual_stack && m.eval(h.ip6, true).is_true()) {
    auto v6 = [&](const z3::expr& e) { return Ipv6Address{v(e.extract(127, 64)), v(e.extract(63, 0))}; };
    p.ip_version = 6;
    p.src_ip6 = v6(h.src_ip6);
    p.dst_ip6 = v6(h.dst_ip6);
    p.src_ip = 0;
    p.dst_ip = 0;
  }
  return p;
}

}  // namespace vpcprove::encoder
