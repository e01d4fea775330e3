// SPDX-License-Identifier: Apache-2.0
// Security-group evaluation for one concrete packet: the union of an ENI's groups.
#pragma once

#include "model/network.h"
#include "model/packet.h"

namespace vpcprove::trace {

/** true when rule admits packet: its L4 match does and the peer address (source IP for an
 *  ingress rule, destination IP for an egress rule) is in one of its peer_prefixes (peer_prefixes6
 *  for an IPv6 packet). */
bool matches(const model::SgRule& rule, const model::Packet& packet);

/**
 * The rule that lets packet pass eni's security groups in direction d: the first matching
 * rule in (eni.security_group_ids order, then rule index) order, pointing into network; or
 * nullptr when no rule of any group matches (also when the ENI has no groups). Group IDs the
 * network lacks contribute no rules.
 */
const model::SgRule* first_matching_rule(const model::Network& network, const model::NetworkInterface& eni,
                                         model::Direction d, const model::Packet& packet);

}  // namespace vpcprove::trace
