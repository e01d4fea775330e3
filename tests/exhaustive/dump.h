// SPDX-License-Identifier: Apache-2.0
// What a disagreement of the bounded-exhaustive tier prints: the network and a walk, compactly.
#pragma once

#include <string>

#include "model/network.h"
#include "model/walk.h"

namespace vpcprove::exhaustive {

/** The whole network, both families: one line per VPC, subnet, ENI, gateway and table, one per rule and
 * entry. */
std::string dump(const model::Network& net);

/** A walk's disposition, hops and drop. */
std::string walk_text(const model::Walk& w);

}  // namespace vpcprove::exhaustive
