// SPDX-License-Identifier: Apache-2.0
// What a proof would have to assume about something vpcprove does not model exactly.
//
// cli-contract.md, "Proofs never rest on silent assumptions": an answer that would be a proof
// only if an unfollowed gateway, a missing resource, an appliance, an unread IPv6 field or a
// contradictory snapshot behaved one particular way is `unknown`, naming each such thing,
// unless the user accepts the assumptions (--assume opaque-drops). Every stage that finds
// such a thing describes it with an Assumption; the queries collect the ones an answer rests on.
#pragma once

#include <compare>
#include <string>
#include <vector>

#include "model/network.h"

namespace vpcprove::model {

/** Kinds of things an answer may rest on (Assumption::kind). Open-ended: stages may add more. */
namespace assumption_kind {
inline constexpr const char* kTransitGateway = "transit-gateway";
inline constexpr const char* kVirtualPrivateGateway = "virtual-private-gateway";
inline constexpr const char* kGatewayEndpoint = "gateway-endpoint";
inline constexpr const char* kUnfollowedGateway = "unfollowed-gateway";
inline constexpr const char* kMissingRouteTarget = "missing-route-target";
inline constexpr const char* kPeeringOutsideSnapshot = "peering-outside-snapshot";
inline constexpr const char* kMissingSecurityGroup = "missing-security-group";
inline constexpr const char* kMissingPrefixList = "missing-prefix-list";
inline constexpr const char* kAppliance = "appliance";
/// Amazon's services at fd00:ec2::/64 (DNS ::253, metadata ::254, Time Sync ::123 on Nitro
/// instances) are not modelled over IPv6: a question to those addresses rests on that.
inline constexpr const char* kAwsServiceIpv6 = "aws-service-ipv6";
inline constexpr const char* kDuplicatePublicIp = "duplicate-public-ip";
/// A Terraform plan value known only after apply (aws/terraform_plan.h); --assume does not accept it.
inline constexpr const char* kUnknownUntilApply = "unknown-until-apply";
}  // namespace assumption_kind

/**
 * One thing an answer rests on.
 * id: the thing's AWS ID (or, for a rule, its label "sg-0ab/ingress/2"; for an address, the address);
 * kind: one of assumption_kind; assumed: what would have to hold for the proof, for people
 * ("traffic handed to it is dropped and nothing comes back through it").
 */
struct Assumption {
  Id id;
  std::string kind;
  std::string assumed;

  friend auto operator<=>(const Assumption&, const Assumption&) = default;
  friend bool operator==(const Assumption&, const Assumption&) = default;
};

/** How answers treat assumptions. */
enum class AssumptionPolicy {
  Conditional,  ///< a proof resting on an assumption is unknown (exit 3), with if_assumed
  OpaqueDrops,  ///< --assume opaque-drops: the proof is given under them, still listing them
};

/** Adds a to list, keeping list sorted and free of repeats. */
void add_assumption(std::vector<Assumption>& list, Assumption a);

/** Adds every element of more to list (add_assumption each). */
void add_assumptions(std::vector<Assumption>& list, const std::vector<Assumption>& more);

/** "vgw-1 (virtual-private-gateway: traffic handed to it is dropped ...)". */
std::string describe(const Assumption& a);

/** The assumption of handing traffic to gateway_id, a route target vpcprove does not follow
 *  (Network::opaque_gateways names its kind; a target missing from the snapshot says so). */
Assumption unfollowed_gateway(const Network& network, const Id& gateway_id);

}  // namespace vpcprove::model
