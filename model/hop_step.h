// SPDX-License-Identifier: Apache-2.0
// What a hop of a path does: one vocabulary for trace, the forwarding graph, the encoder's
// witnesses, reach's reasons and the reports. Every stage writes the contract's words
// (cli-contract.md, "hops") through to_string, so a step cannot be spelled two ways.
#pragma once

#include <optional>
#include <string_view>

namespace vpcprove::model {

enum class HopStep {
  SgEgress,         ///< "sg-egress": the sender's security groups let the packet out
  SgIngress,        ///< "sg-ingress": the receiver's security groups let it in
  NaclEgress,       ///< "nacl-egress": the network ACL of the subnet it leaves
  NaclIngress,      ///< "nacl-ingress": the network ACL of the subnet it enters
  Route,            ///< "route": a route table's longest-prefix route
  Deliver,          ///< "deliver": the ENI that owns the destination address receives it
  IgwEgress,        ///< "igw-egress": an internet gateway translates the source to a public IP
  IgwIngress,       ///< "igw-ingress": an internet gateway translates a public destination to a private one
  Exit,             ///< "exit": the packet leaves for the internet
  Nat,              ///< "nat": a NAT gateway translates the source (or the reply's destination)
  Pcx,              ///< "pcx": a VPC peering connection carries it to the peer VPC
  Tgw,              ///< "tgw": a transit gateway takes it from an attachment, or hands it into a VPC
  EniForward,       ///< "eni-forward": an ENI with source/destination check off forwards it (an appliance)
  EniState,         ///< "eni-state": the ENI sends and receives nothing (not attached, instance stopped)
  Leave,            ///< "leave": it is handed to a gateway vpcprove does not follow
  AwsService,       ///< "aws-service": an AWS service address (DNS, IMDS, ...) answers it before routing
  GatewayEndpoint,  ///< "vpce": a gateway endpoint hands it to its service (S3, DynamoDB), or its answer back
};

inline constexpr HopStep kAllHopSteps[] = {
    HopStep::SgEgress,
    HopStep::SgIngress,
    HopStep::NaclEgress,
    HopStep::NaclIngress,
    HopStep::Route,
    HopStep::Deliver,
    HopStep::IgwEgress,
    HopStep::IgwIngress,
    HopStep::Exit,
    HopStep::Nat,
    HopStep::Pcx,
    HopStep::Tgw,
    HopStep::EniForward,
    HopStep::EniState,
    HopStep::Leave,
    HopStep::AwsService,
    HopStep::GatewayEndpoint,
};

/** The step as the contract prints it: "sg-egress". */
const char* to_string(HopStep step);

/** text is the step's word (a Hop's or Reason's step). */
inline bool step_is(std::string_view text, HopStep step) { return text == to_string(step); }

/** The step a string names (a report read back); nullopt for any other string. */
std::optional<HopStep> parse_hop_step(std::string_view text);

}  // namespace vpcprove::model
