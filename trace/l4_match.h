// SPDX-License-Identifier: Apache-2.0
// Whether the layer-4 part of a filter rule matches a concrete packet (docs/semantics.md, "L4Match").
#pragma once

#include "model/network.h"
#include "model/packet.h"

namespace vpcprove::trace {

/**
 * true when match admits packet's protocol and ports:
 * protocol -1 matches everything; TCP/UDP need the same protocol and the destination port in
 * match.ports (source ports are never filtered); ICMP needs protocol 1 and the type (dst_port)
 * and code (src_port) equal where match's are not -1; any other protocol number only needs
 * to be equal. matches_nothing never matches.
 */
bool matches(const model::L4Match& match, const model::Packet& packet);

}  // namespace vpcprove::trace
