// SPDX-License-Identifier: Apache-2.0
#include "graph/step_meaning.h"

namespace vpcprove::graph {

model::DropCode drop_code(const Step& s) {
  switch (s.kind) {
    case StepKind::SgEgress:
    case StepKind::SgIngress:
      return model::DropCode::EniSgRulesMismatch;
    case StepKind::NaclEgress:
    case StepKind::NaclIngress:
      return model::DropCode::SubnetAclRestriction;
    case StepKind::Route:
    case StepKind::Route6:
    case StepKind::NoRoute:
    case StepKind::TgwRoute:
    case StepKind::TgwRoute6:
    case StepKind::TgwNoRoute:
      return model::DropCode::NoRouteToDestination;
    case StepKind::OwnsDst:
      return model::DropCode::DestinationAddressNotAssigned;
    case StepKind::IgwEgress:
    case StepKind::EigwEgress:
      return model::DropCode::IgwPublicIpAssociationForEgress;
    case StepKind::NotSnapshotPublic:
      return model::DropCode::DestinationIsASnapshotPublicIp;
    case StepKind::IgwIngress:
      return s.aux.empty() ? model::DropCode::IgwPrivateIpAssociationForIngress
                           : model::DropCode::NgwInboundNotAllowed;
    case StepKind::EigwIngress:
      return model::DropCode::EigwInboundNotAllowed;
    case StepKind::NatProtocol:
    case StepKind::Nat64Leave:
      return model::DropCode::NgwUnsupportedProtocol;
    case StepKind::NatAddressed:
    case StepKind::NatReverse:
      return model::DropCode::ReplyDoesNotMatchSession;
    case StepKind::PcxCheck:
      return model::DropCode::PcxRequiresAddressInVpcCidr;
    case StepKind::SourceDestCheck:
      return model::DropCode::EniSourceDestCheckRestriction;
    case StepKind::AwsService:
      return model::DropCode::NotAnAwsServiceAddress;
    case StepKind::NotAwsService:
      return model::DropCode::DestinationIsAnAwsService;
    case StepKind::VpceSource:
      return model::DropCode::VpceRequiresSourceInVpcCidr;
    case StepKind::VpceService:
      return model::DropCode::VpceDestinationNotInService;
    default:
      return model::DropCode::Unknown;
  }
}

model::Id blamed_resource(const model::Network& n, const Step& s) {
  switch (s.kind) {
    case StepKind::SgEgress:
    case StepKind::SgIngress: {
      const auto& eni = n.network_interfaces.at(s.id);
      return eni.security_group_ids.empty() ? eni.id : eni.security_group_ids.front();
    }
    case StepKind::NaclEgress:
    case StepKind::NaclIngress: {
      const auto* sub = model::Network::find(n.subnets, s.id);
      return sub ? sub->nacl_id : s.id;
    }
    case StepKind::NotSnapshotPublic:
      return "internet";
    case StepKind::IgwIngress:
      return s.aux.empty() ? s.id : s.aux;
    default:
      return s.id;
  }
}

model::HopStep drop_step(const Vertex& dropped) {
  if (dropped.code == model::to_string(model::DropCode::TgwAttachmentAzRestriction))
    return model::HopStep::Tgw;
  if (dropped.code == model::to_string(model::DropCode::VpceRequiresSourceInVpcCidr) ||
      dropped.code == model::to_string(model::DropCode::VpceDestinationNotInService))
    return model::HopStep::GatewayEndpoint;
  return model::HopStep::Route;
}

std::string tgw_zone_text(const ForwardingGraph& g, VertexId from, const Vertex& dropped) {
  if (drop_step(dropped) != model::HopStep::Tgw) return {};
  const auto& n = g.network();
  const auto* att = model::Network::find(n.transit_gateway_attachments, dropped.id);
  // A subnet's route lookup names the subnet; a TGW's entry into a VPC names its attachment.
  const auto& sender = g.vertex(from).id;
  const auto* subnet = model::Network::find(n.subnets, sender);
  const std::string zone = subnet && !subnet->availability_zone.empty() ? subnet->availability_zone
                                                                        : "the sender's Availability Zone";
  return dropped.id + " has no subnet in " + zone + ", so " + sender + " cannot reach " +
         (att ? att->transit_gateway_id : std::string("its transit gateway"));
}

}  // namespace vpcprove::graph
