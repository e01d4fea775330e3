// SPDX-License-Identifier: Apache-2.0
#include "cli/header_options.h"

#include "common/diagnostics.h"
#include "model/header_fields.h"
#include "model/packet.h"

namespace vpcprove::cli {

std::optional<int> protocol_option(const std::string& text) {
  const auto protocol = model::parse_protocol(text);
  if (!protocol)
    throw InputError("", "",
                     "--protocol " + text + ": expected tcp, udp, icmp, all or a protocol number 0-255");
  if (*protocol == model::kAnyProtocol) return std::nullopt;
  return protocol;
}

PortRange port_option(const std::string& flag, const std::string& text) {
  if (const auto range = model::parse_port_range(text)) return *range;
  // Two ports in the wrong order deserve their own message.
  const auto dash = text.find('-');
  if (dash != std::string::npos && dash > 0 && model::parse_port_range(text.substr(0, dash)) &&
      model::parse_port_range(text.substr(dash + 1)))
    throw InputError("", "", flag + ' ' + text + ": the range is empty");
  throw InputError("", "", flag + ' ' + text + ": expected a port 0-65535 or a range LO-HI");
}

}  // namespace vpcprove::cli
