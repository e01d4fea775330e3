// SPDX-License-Identifier: Apache-2.0
#include "model/header_fields.h"

#include <charconv>

#include "model/packet.h"

namespace vpcprove::model {

namespace {

std::optional<unsigned> parse_number(std::string_view text, unsigned max) {
  unsigned value = 0;
  if (text.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

}  // namespace

std::optional<int> parse_protocol(std::string_view text) {
  if (text == "all" || text == "-1") return kAnyProtocol;
  if (text == "tcp") return kTcp;
  if (text == "udp") return kUdp;
  if (text == "icmp") return kIcmp;
  if (text == "icmpv6") return 58;
  if (auto n = parse_number(text, 255)) return static_cast<int>(*n);
  return std::nullopt;
}

std::optional<PortRange> parse_port_range(std::string_view text) {
  const auto dash = text.find('-');
  const auto lo = parse_number(text.substr(0, dash), 65535);
  if (!lo) return std::nullopt;
  if (dash == std::string_view::npos)
    return PortRange{static_cast<std::uint16_t>(*lo), static_cast<std::uint16_t>(*lo)};
  const auto hi = parse_number(text.substr(dash + 1), 65535);
  if (!hi || *hi < *lo) return std::nullopt;
  return PortRange{static_cast<std::uint16_t>(*lo), static_cast<std::uint16_t>(*hi)};
}

}  // namespace vpcprove::model
