// SPDX-License-Identifier: Apache-2.0
// The concrete packet simulator: the executable semantics of the model (docs/semantics.md).
//
// No solver here. trace is the reference the prover is tested against, so it stays a plain,
// direct reading of docs/semantics.md: one function per hop kind, no cleverness.
#pragma once

#include <optional>

#include "model/network.h"
#include "model/walk.h"

namespace vpcprove::trace {

/** Where a walk begins: leaving an ENI, arriving from the internet at an internet gateway, or (a
 *  reply only) a service's answer coming back into its VPC through a gateway endpoint. */
struct Start {
  enum class Kind { Interface, Internet, GatewayEndpoint };
  Kind kind = Kind::Interface;
  model::Id interface_id;  ///< for Kind::Interface; the vpce-… for Kind::GatewayEndpoint

  static Start interface(model::Id id) { return {Kind::Interface, std::move(id)}; }
  static Start internet() { return {Kind::Internet, {}}; }
  static Start gateway_endpoint(model::Id id) { return {Kind::GatewayEndpoint, std::move(id)}; }
};

/**
 * Follows one packet from start to its disposition. For Kind::Interface, packet.src_ip
 * should be one of the ENI's private IPs (otherwise the walk is dropped
 * ENI_SOURCE_DEST_CHECK_RESTRICTION unless the ENI has source/dest check off).
 * For Kind::Internet, packet.src_ip should be an internet address.
 * Throws InputError when start names an interface the network lacks (callers resolve
 * endpoints first, so this is a programming error surfaced as bad input).
 */
model::Walk walk(const model::Network& network, const Start& start, const model::Packet& packet);

/** A first packet and, when it was delivered, its reply (docs/semantics.md, "Replies"). */
struct SessionWalk {
  model::Walk forward;
  std::optional<model::Walk> reply;       ///< set when forward was delivered (or exits-internet: see below)
  bool established = false;               ///< the reply came back to the initiator with the reversed header
  std::optional<model::Drop> reply_drop;  ///< where the reply stopped, when it did
};

/**
 * Follows the first packet and its reply. When the first packet exits to the internet, the
 * reply is the internet host's answer entering through the same internet gateway; when a
 * gateway endpoint hands it to its service, the service's answer comes back through the endpoint.
 */
SessionWalk walk_session(const model::Network& network, const Start& start, const model::Packet& packet);

}  // namespace vpcprove::trace
