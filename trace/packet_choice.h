// SPDX-License-Identifier: Apache-2.0
// The one concrete packet `trace` follows when the user names endpoints rather than a packet:
// every header field not given is picked (a primary private IP, a public IP where the source is
// outside the destination's VPC, an internet documentation address, tcp 49152 -> 443, ICMP echo),
// and each pick is reported with its reason so the user knows what was traced.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/endpoint.h"
#include "model/network.h"
#include "model/packet.h"
#include "model/walk.h"
#include "trace/trace.h"

namespace vpcprove::trace {

/** What the user gave: endpoints as written and the header fields set on the command line. */
struct PacketRequest {
  std::string from;
  std::string to;
  std::optional<int> protocol;  ///< nullopt: every protocol ("all"), of which tcp is traced
  std::string protocol_text;    ///< as written, for messages
  bool protocol_given = false;  ///< false: protocol is the default, and says so
  std::optional<std::string> src_ip;
  std::optional<std::string> dst_ip;
  std::optional<int> src_port;
  std::optional<int> dst_port;
  /** 6: an IPv6 packet (also when --src-ip or --dst-ip is IPv6 text); nullopt or 4: IPv4. */
  std::optional<int> ip_version;
};

/** A header field picked, and why. */
struct ChosenField {
  std::string field;  ///< "src_ip", "dst_port", "from", ...
  std::string why;    ///< "10.0.1.5 (primary private IP of eni-1)"
};

struct ChosenPacket {
  Start start;
  model::Packet packet;
  std::vector<ChosenField> chosen;
  model::Endpoint to;  ///< --to, resolved
};

/** The packet for request over n; InputError naming the flag when the request names no packet
 *  (an empty set, an address no ENI owns that is not on the internet, a port for a portless protocol). */
ChosenPacket choose_packet(const model::Network& n, const PacketRequest& request);

/** Whether walk w ended where `to` points (an ENI of a set, the internet, inside a CIDR). */
bool reaches(const model::Network& n, const model::Walk& w, const model::Endpoint& to);

}  // namespace vpcprove::trace
