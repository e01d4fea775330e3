// SPDX-License-Identifier: Apache-2.0
// Parsing and formatting of IPv4 values.
#include "common/ipv4.h"

#include <cassert>
#include <charconv>

namespace vpcprove {

namespace {

std::optional<unsigned> parse_decimal(std::string_view text, unsigned max) {
  // Leading zeros, signs and empty fields are rejected: AWS never prints them, and
  // accepting "010" would invite the octal ambiguity inet_aton has.
  if (text.empty() || text.size() > 5 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Ipv4Address> parse_ipv4(std::string_view text) {
  Ipv4Address address = 0;
  for (int octet = 0; octet < 4; ++octet) {
    const auto dot = text.find('.');
    const bool last = octet == 3;
    if (last != (dot == std::string_view::npos)) return std::nullopt;
    const auto value = parse_decimal(text.substr(0, dot), 255);
    if (!value) return std::nullopt;
    address = (address << 8) | *value;
    if (!last) text.remove_prefix(dot + 1);
  }
  return address;
}

std::string format_ipv4(Ipv4Address address) {
  return std::to_string(address >> 24) + '.' + std::to_string((address >> 16) & 0xFF) + '.' +
         std::to_string((address >> 8) & 0xFF) + '.' + std::to_string(address & 0xFF);
}

std::optional<Ipv4Prefix> Ipv4Prefix::parse(std::string_view text) {
  const auto slash = text.find('/');
  const auto address = parse_ipv4(text.substr(0, slash));
  if (!address) return std::nullopt;
  if (slash == std::string_view::npos) return make(*address, 32);
  const auto len = parse_decimal(text.substr(slash + 1), 32);
  if (!len) return std::nullopt;
  return make(*address, static_cast<std::uint8_t>(*len));
}

Ipv4Prefix Ipv4Prefix::make(Ipv4Address addr, std::uint8_t len) {
  assert(len <= 32);
  Ipv4Prefix p;
  p.len = len;
  p.addr = addr & p.mask();
  return p;
}

Ipv4Address Ipv4Prefix::mask() const { return len == 0 ? 0u : ~Ipv4Address{0} << (32 - len); }

bool Ipv4Prefix::contains(Ipv4Address address) const { return (address & mask()) == addr; }

bool Ipv4Prefix::contains(const Ipv4Prefix& other) const { return other.len >= len && contains(other.addr); }

std::string Ipv4Prefix::to_string() const { return format_ipv4(addr) + '/' + std::to_string(len); }

std::string PortRange::to_string() const {
  if (is_all()) return "all";
  if (lo == hi) return std::to_string(lo);
  return std::to_string(lo) + '-' + std::to_string(hi);
}

bool is_rfc1918(Ipv4Address address) {
  return Ipv4Prefix{0x0A000000, 8}.contains(address) || Ipv4Prefix{0xAC100000, 12}.contains(address) ||
         Ipv4Prefix{0xC0A80000, 16}.contains(address);
}

bool is_rfc6598(Ipv4Address address) { return Ipv4Prefix{0x64400000, 10}.contains(address); }

const std::vector<Ipv4Prefix>& non_internet_blocks() {
  static const std::vector<Ipv4Prefix> blocks{
      {0x00000000u, 8},   // 0.0.0.0/8 "this network"
      {0x0A000000u, 8},   // 10.0.0.0/8
      {0x64400000u, 10},  // 100.64.0.0/10
      {0x7F000000u, 8},   // 127.0.0.0/8
      {0xA9FE0000u, 16},  // 169.254.0.0/16
      {0xAC100000u, 12},  // 172.16.0.0/12
      {0xC0A80000u, 16},  // 192.168.0.0/16
      {0xE0000000u, 4},   // 224.0.0.0/4 multicast
      {0xF0000000u, 4},   // 240.0.0.0/4 reserved
  };
  return blocks;
}

bool is_internet(Ipv4Address address) {
  for (const auto& b : non_internet_blocks()) {
    if (b.contains(address)) return false;
  }
  return true;
}

}  // namespace vpcprove
