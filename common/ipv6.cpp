// SPDX-License-Identifier: Apache-2.0
// Parsing and formatting of IPv6 values (RFC 4291 section 2.2 text, RFC 5952 output).
#include "common/ipv6.h"

#include <array>
#include <cassert>
#include <charconv>

namespace vpcprove {

namespace {

using Groups = std::array<std::uint16_t, 8>;

std::optional<std::uint16_t> parse_group(std::string_view text) {
  if (text.empty() || text.size() > 4) return std::nullopt;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

/** The groups of one side of "::" (or of a whole address without it) into out; nullopt when a
 *  group is bad. The last field may be a dotted quad when dotted_allowed (it fills two groups). */
std::optional<std::size_t> parse_side(std::string_view text, bool dotted_allowed,
                                      std::array<std::uint16_t, 8>& out) {
  std::size_t n = 0;
  if (text.empty()) return n;
  while (true) {
    const auto colon = text.find(':');
    const auto field = text.substr(0, colon);
    if (colon == std::string_view::npos && dotted_allowed && field.find('.') != std::string_view::npos) {
      const auto v4 = parse_ipv4(field);
      if (!v4 || n + 2 > 8) return std::nullopt;
      out[n++] = static_cast<std::uint16_t>(*v4 >> 16);
      out[n++] = static_cast<std::uint16_t>(*v4 & 0xFFFF);
      return n;
    }
    const auto g = parse_group(field);
    if (!g || n == 8) return std::nullopt;
    out[n++] = *g;
    if (colon == std::string_view::npos) return n;
    text.remove_prefix(colon + 1);
  }
}

Ipv6Address from_groups(const Groups& g) {
  Ipv6Address a;
  for (int i = 0; i < 4; ++i) a.hi = (a.hi << 16) | g[i];
  for (int i = 4; i < 8; ++i) a.lo = (a.lo << 16) | g[i];
  return a;
}

Groups to_groups(const Ipv6Address& a) {
  Groups g{};
  for (int i = 0; i < 4; ++i) g[i] = static_cast<std::uint16_t>(a.hi >> (48 - 16 * i));
  for (int i = 0; i < 4; ++i) g[4 + i] = static_cast<std::uint16_t>(a.lo >> (48 - 16 * i));
  return g;
}

}  // namespace

std::optional<Ipv6Address> parse_ipv6(std::string_view text) {
  Groups head{};
  Groups tail{};
  const auto gap = text.find("::");
  if (gap == std::string_view::npos) {
    const auto n = parse_side(text, true, head);
    if (!n || *n != 8) return std::nullopt;
    return from_groups(head);
  }
  const auto left = text.substr(0, gap);
  const auto right = text.substr(gap + 2);
  if (right.find("::") != std::string_view::npos) return std::nullopt;
  // A single ':' at either end of a side is an empty group ("1:::2", ":1::"): not allowed.
  if ((!left.empty() && (left.front() == ':' || left.back() == ':')) ||
      (!right.empty() && (right.front() == ':' || right.back() == ':')))
    return std::nullopt;
  const auto nl = parse_side(left, false, head);
  const auto nr = parse_side(right, true, tail);
  // "::" stands for at least one zero group (RFC 4291 2.2.2).
  if (!nl || !nr || *nl + *nr > 7) return std::nullopt;
  Groups all{};
  for (std::size_t i = 0; i < *nl; ++i) all[i] = head[i];
  for (std::size_t i = 0; i < *nr; ++i) all[8 - *nr + i] = tail[i];
  return from_groups(all);
}

std::string format_ipv6(const Ipv6Address& address) {
  const auto g = to_groups(address);
  int best = -1;
  int best_len = 1;  // RFC 5952 4.2.2: a single zero group is not shortened
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) best = i, best_len = j - i;
    i = j;
  }
  std::string out;
  char buf[8];
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, g[i], 16);
    out.append(buf, end);
  }
  return out;
}

Ipv6Address ipv6_mask(const Ipv6Address& address, unsigned len) {
  assert(len <= 128);
  Ipv6Address m = address;
  if (len == 0) return {};
  if (len < 64) {
    m.hi &= ~std::uint64_t{0} << (64 - len);
    m.lo = 0;
  } else if (len < 128) {
    m.lo &= len == 64 ? 0 : ~std::uint64_t{0} << (128 - len);
  }
  return m;
}

std::optional<Ipv6Prefix> Ipv6Prefix::parse(std::string_view text) {
  const auto slash = text.find('/');
  const auto address = parse_ipv6(text.substr(0, slash));
  if (!address) return std::nullopt;
  if (slash == std::string_view::npos) return make(*address, 128);
  const auto len_text = text.substr(slash + 1);
  if (len_text.empty() || len_text.size() > 3 || (len_text.size() > 1 && len_text[0] == '0'))
    return std::nullopt;
  unsigned len = 0;
  auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (ec != std::errc{} || end != len_text.data() + len_text.size() || len > 128) return std::nullopt;
  return make(*address, static_cast<std::uint8_t>(len));
}

Ipv6Prefix Ipv6Prefix::make(const Ipv6Address& addr, std::uint8_t len) {
  assert(len <= 128);
  return Ipv6Prefix{ipv6_mask(addr, len), len};
}

bool Ipv6Prefix::contains(const Ipv6Address& address) const { return ipv6_mask(address, len) == addr; }

bool Ipv6Prefix::contains(const Ipv6Prefix& other) const { return other.len >= len && contains(other.addr); }

Ipv6Address Ipv6Prefix::last() const {
  const auto host_hi = len >= 64 ? 0 : (len == 0 ? ~std::uint64_t{0} : ~std::uint64_t{0} >> len);
  const auto host_lo = len <= 64 ? ~std::uint64_t{0} : (len == 128 ? 0 : ~std::uint64_t{0} >> (len - 64));
  return {addr.hi | host_hi, addr.lo | host_lo};
}

std::string Ipv6Prefix::to_string() const { return format_ipv6(addr) + '/' + std::to_string(len); }

Ipv6Prefix ipv6_global_unicast() { return Ipv6Prefix{{0x2000000000000000ULL, 0}, 3}; }

Ipv6Prefix nat64_prefix() { return Ipv6Prefix{{0x0064ff9b00000000ULL, 0}, 96}; }

bool is_internet6(const Ipv6Address& address) { return ipv6_global_unicast().contains(address); }

Ipv6Address nat64_address(Ipv4Address v4) { return {0x0064ff9b00000000ULL, v4}; }

}  // namespace vpcprove
