// SPDX-License-Identifier: Apache-2.0
// JSON of the pieces of a walk (packet, hops, drop): the one renderer reach, check and trace share.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "model/packet.h"
#include "model/walk.h"

namespace vpcprove::queries {

// Ordered, in the contract's field order, so that trace (ordered_json) prints them that way;
// reach and check build nlohmann::json, which sorts keys when these are converted into it.

/** {"src_ip", "dst_ip", "protocol", "src_port", "dst_port"} as in docs/cli-contract.md. */
nlohmann::ordered_json packet_json(const model::Packet& packet);

/** [{"at", "step", "by"}, …]: the hops of a path, in order. */
nlohmann::ordered_json hops_json(const std::vector<model::Hop>& hops);

/** {"at", "step", "code", "detail"}: where and why a walk was dropped. */
nlohmann::ordered_json drop_json(const model::Drop& drop);

}  // namespace vpcprove::queries
