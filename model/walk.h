// SPDX-License-Identifier: Apache-2.0
// The result of following one packet: hops, disposition, and the drop that ended it.
//
// trace/ produces Walks concretely; the prover turns each witness into a Walk with the same
// hop names, so a witness and its replay can be compared hop for hop.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/network.h"
#include "model/packet.h"

namespace vpcprove::model {

/** How a walk ended (Batfish calls these flow dispositions). See docs/semantics.md. */
enum class Disposition {
  Delivered,        ///< accepted by the ENI that owns the destination address
  ExitsInternet,    ///< left through an internet gateway to an address the snapshot does not own
  ExitsUnmodelled,  ///< handed to a gateway vpcprove does not follow (tgw, vgw, vpce, …)
  Dropped,          ///< stopped; Walk::drop says where and why
  AwsService,       ///< answered by an AWS service no filter applies to (DNS, metadata, Time Sync)
  GatewayEndpoint,  ///< handed to an AWS service (S3, DynamoDB) through gateway endpoint `endpoint`
};
const char* to_string(Disposition d);  // "delivered", "exits-internet", "exits-unmodelled", "dropped",
                                       // "aws-service", "gateway-endpoint"

/** One forwarding step. at: AWS ID; step: "sg-egress", "nacl-egress", "route", "igw-egress",
 *  "igw-ingress", "nat", "pcx", "nacl-ingress", "sg-ingress", "eni-forward", "deliver", "exit",
 *  "leave", "aws-service", "vpce"; by: model::describe() of the rule or route that decided, or the
 * translation done.
 */
struct Hop {
  std::string at;
  std::string step;
  std::string by;
  Packet packet;  ///< the header as it leaves this hop (differs from the input after translations)

  friend bool operator==(const Hop& a, const Hop& b) {
    return a.at == b.at && a.step == b.step && a.by == b.by && a.packet == b.packet;
  }
};

/** Why and where a walk stopped. code is in the style of Reachability Analyzer's explanation
 *  codes (ENI_SG_RULES_MISMATCH, SUBNET_ACL_RESTRICTION, NO_ROUTE_TO_DESTINATION, …). */
struct Drop {
  std::string at;
  std::string step;
  std::string code;
  std::string detail;  ///< for people: "no rule of sg-0ab ingress matches tcp dst-port 443"
};

struct Walk {
  Packet initial;
  std::vector<Hop> hops;
  Disposition disposition = Disposition::Dropped;
  std::optional<Drop> drop;  ///< set iff disposition == Dropped
  Packet final_packet;       ///< header at the end (as delivered / as it left)
  Id endpoint;               ///< ENI delivered to, the gateway the packet left by (a gateway
                             ///< endpoint's vpce-… too), or the AWS service that answered
                             ///< ("amazon-dns", model::to_string(AwsService))
};

}  // namespace vpcprove::model
