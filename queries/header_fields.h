// SPDX-License-Identifier: Apache-2.0
// Parsing the header fields users write on the command line and in spec files.
#pragma once

#include <optional>
#include <string_view>

#include "common/ipv4.h"

namespace vpcprove::queries {

/** "tcp", "udp", "icmp", "all" (or "-1"), or a protocol number 0..255; -1 stands for all. */
std::optional<int> parse_protocol(std::string_view text);

/** "22" or "1000-2000" with 0 <= lo <= hi <= 65535. */
std::optional<PortRange> parse_port_range(std::string_view text);

}  // namespace vpcprove::queries
