// SPDX-License-Identifier: Apache-2.0
// The converter: what the snapshot says (aws::Snapshot) to what the network does (model::Network).
#pragma once

#include "aws/snapshot.h"
#include "model/network.h"

namespace vpcprove::aws {

/**
 * Builds the network model from a loaded snapshot, exactly per docs/semantics.md and the field
 * documentation of model/network.h, and calls Network::index() before returning.
 *
 * Diagnostics: the snapshot's own diagnostics come first, then the converter's (dangling
 * references naming both ends, synthesised NACLs, invalid rules, …), in a deterministic order.
 *
 * Decisions worth knowing (each reported where it applies):
 * - a route whose target is not in the snapshot (or an IGW not attached to the table's VPC)
 *   becomes a blackhole; a prefix-list destination whose list is missing is dropped;
 * - transit gateways the snapshot describes (route tables and attachments) become
 *   Network::transit_gateways, followed by trace and the prover (aws/to_model_tgw.h); other
 *   transit gateways, TGW attachments that are not VPCs', virtual private gateways, gateway
 *   endpoints and other gateways become OpaqueGateway entries (traffic to them leaves the model,
 *   which widens what is allowed);
 * - a VPC without a default NACL in the snapshot gets a synthesised allow-all one
 *   ("acl-default-<vpc-id>", synthesized = true), as AWS's untouched default NACL allows all;
 * - a security-group reference expands to /32s of the private IPs of the ENIs carrying the
 *   group; a group missing from the snapshot leaves the rule with no peer addresses.
 *
 * Never throws on valid input (the loader has checked types and ranges).
 */
model::Network to_model(const Snapshot& snapshot);

}  // namespace vpcprove::aws
