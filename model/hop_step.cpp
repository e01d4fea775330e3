// SPDX-License-Identifier: Apache-2.0
#include "model/hop_step.h"

namespace vpcprove::model {

const char* to_string(HopStep step) {
  switch (step) {
    case HopStep::SgEgress:
      return "sg-egress";
    case HopStep::SgIngress:
      return "sg-ingress";
    case HopStep::NaclEgress:
      return "nacl-egress";
    case HopStep::NaclIngress:
      return "nacl-ingress";
    case HopStep::Route:
      return "route";
    case HopStep::Deliver:
      return "deliver";
    case HopStep::IgwEgress:
      return "igw-egress";
    case HopStep::IgwIngress:
      return "igw-ingress";
    case HopStep::Exit:
      return "exit";
    case HopStep::Nat:
      return "nat";
    case HopStep::Pcx:
      return "pcx";
    case HopStep::Tgw:
      return "tgw";
    case HopStep::EniForward:
      return "eni-forward";
    case HopStep::EniState:
      return "eni-state";
    case HopStep::Leave:
      return "leave";
    case HopStep::AwsService:
      return "aws-service";
    case HopStep::GatewayEndpoint:
      return "vpce";
  }
  return "?";
}

std::optional<HopStep> parse_hop_step(std::string_view text) {
  for (const auto s : kAllHopSteps) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

}  // namespace vpcprove::model
