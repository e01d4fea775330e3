// SPDX-License-Identifier: Apache-2.0
#include "model/assumption.h"

#include <algorithm>

namespace vpcprove::model {

void add_assumption(std::vector<Assumption>& list, Assumption a) {
  const auto at = std::lower_bound(list.begin(), list.end(), a);
  if (at != list.end() && *at == a) return;
  list.insert(at, std::move(a));
}

void add_assumptions(std::vector<Assumption>& list, const std::vector<Assumption>& more) {
  for (const auto& a : more) add_assumption(list, a);
}

std::string describe(const Assumption& a) { return a.id + " (" + a.kind + ": " + a.assumed + ")"; }

Assumption unfollowed_gateway(const Network& network, const Id& gateway_id) {
  namespace k = assumption_kind;
  const auto* g = Network::find(network.opaque_gateways, gateway_id);
  if (g && g->missing) {
    return {gateway_id, k::kMissingRouteTarget,
            "the route's target (" + std::string(to_string(g->kind)) +
                ") is not in the snapshot: traffic the route sends to it is dropped"};
  }
  const std::string assumed = "traffic handed to it is dropped and nothing comes back through it";
  switch (g ? g->kind : RouteTargetKind::Other) {
    case RouteTargetKind::TransitGateway:
      return {gateway_id, k::kTransitGateway, assumed};
    case RouteTargetKind::VirtualPrivateGateway:
      return {gateway_id, k::kVirtualPrivateGateway, assumed};
    case RouteTargetKind::GatewayEndpoint:
      return {gateway_id, k::kGatewayEndpoint, assumed};
    case RouteTargetKind::VpcPeering:
      return {gateway_id, k::kPeeringOutsideSnapshot,
              "the far side of the peering is not in the snapshot: traffic sent over it is dropped and "
              "nothing comes back"};
    default:
      return {gateway_id, k::kUnfollowedGateway, assumed};
  }
}

}  // namespace vpcprove::model
