// SPDX-License-Identifier: Apache-2.0
// The header flags every command reads the same way (--protocol, --dst-port, --src-port), over
// the one protocol and port parser (model/packet.h), with the message a user can act on.
#pragma once

#include <optional>
#include <string>

#include "common/ipv4.h"

namespace vpcprove::cli {

/** --protocol: a protocol number, or nullopt for "all"/"-1". InputError for anything else. */
std::optional<int> protocol_option(const std::string& text);

/** A port or a range LO-HI for flag (its name goes into the message). InputError otherwise. */
PortRange port_option(const std::string& flag, const std::string& text);

}  // namespace vpcprove::cli
