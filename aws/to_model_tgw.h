// SPDX-License-Identifier: Apache-2.0
// The converter's transit-gateway part: TGWs, their attachments and route tables (aws/to_model.h).
#pragma once

#include "aws/snapshot.h"
#include "model/network.h"

namespace vpcprove::aws {

/**
 * Adds the snapshot's transit gateways to network, whose VPCs and subnets are already converted
 * (and whose opaque gateways are listed: the attachments vpcprove does not follow join them).
 *
 * - A TGW is followed when the snapshot holds at least one of its route tables and one of its
 *   attachments; otherwise routes to it keep leaving the model (an assumption), with a note.
 * - Attachments come from TransitGatewayAttachments (kind, resource, association) joined with
 *   TransitGatewayVpcAttachments (subnets, appliance mode) by ID.
 * - A route table's routes: the static routes of TransitGatewayStaticRoutes (Type "propagated"
 *   entries there are skipped: propagation is derived) and, for each enabled propagation from a
 *   VPC attachment, one route per CIDR of the VPC (secondary CIDRs included; a CIDR another
 *   propagation already gave is left out, with a warning). A propagation from any other kind of
 *   attachment (VPN, Direct Connect, peering) carries routes the snapshot does not say: it adds a
 *   0.0.0.0/0 route to that attachment (so traffic no more specific route takes leaves the
 *   model, an assumption, never a silent drop), with a warning.
 * - Missing references (an association, a subnet, a VPC, a route's attachment) are warnings
 *   naming both ends.
 */
void add_transit_gateways(const Snapshot& snapshot, model::Network& network);

}  // namespace vpcprove::aws
