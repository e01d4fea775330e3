// SPDX-License-Identifier: Apache-2.0
// Network ACL evaluation for one concrete packet: the first matching entry decides.
#pragma once

#include <string>

#include "model/network.h"
#include "model/packet.h"

namespace vpcprove::trace {

/** What a NACL decided and which entry decided it. */
struct NaclDecision {
  bool allow = false;
  /** The deciding entry (points into the NetworkAcl), or nullptr for the built-in default deny. */
  const model::NaclEntry* entry = nullptr;
  /** model::describe(*entry), or model::describe_default_deny(acl.id) ("acl-0d4 rule * deny"). */
  std::string by;
};

/**
 * Evaluates acl in direction d for packet: entries in rule-number order (as stored), the first
 * whose L4 match admits the packet and whose cidr contains the peer address (source IP for
 * ingress, destination IP for egress) decides; no match is the default deny.
 */
NaclDecision evaluate_nacl(const model::NetworkAcl& acl, model::Direction d, const model::Packet& packet);

/** evaluate_nacl's deciding entry alone (nullptr: the default deny), without naming it. */
const model::NaclEntry* first_matching_entry(const model::NetworkAcl& acl, model::Direction d,
                                             const model::Packet& packet);

}  // namespace vpcprove::trace
