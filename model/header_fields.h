// SPDX-License-Identifier: Apache-2.0
// The one parser of the header fields AWS prints and users write: protocols and port ranges.
#pragma once

#include <optional>
#include <string_view>

#include "common/ipv4.h"

namespace vpcprove::model {

/**
 * A protocol as AWS prints it and as users write it (command line, spec files): "tcp", "udp",
 * "icmp", "icmpv6", "all" or "-1" (kAnyProtocol), or a number 0-255; nullopt for anything else.
 */
std::optional<int> parse_protocol(std::string_view text);

/** "22" or "1000-2000" with 0 <= lo <= hi <= 65535; nullopt for anything else. */
std::optional<PortRange> parse_port_range(std::string_view text);

}  // namespace vpcprove::model
