// SPDX-License-Identifier: Apache-2.0
// What a failing step of the forwarding graph means for people: the drop code trace gives the
// same packet at that step, and the resource trace names as the drop's "at".
#pragma once

#include <string>

#include "graph/forwarding_graph.h"
#include "model/drop_code.h"
#include "model/hop_step.h"
#include "model/network.h"

namespace vpcprove::graph {

/** The drop code of a packet that fails step s (DropCode::Unknown for steps that never fail alone). */
model::DropCode drop_code(const Step& s);

/** The resource to blame for a failing step: the ENI's first security group, the subnet's NACL,
 *  the NAT gateway an internet gateway's edge refuses, ... */
model::Id blamed_resource(const model::Network& n, const Step& s);

/** The hop step of a structural drop (a Dropped vertex), as trace names it: `tgw` where a VPC's
 *  attachment has no subnet in the sender's Availability Zone (the route to the TGW is chosen but
 *  the TGW is never reached; v.id is the attachment), else `route` (no route, a blackhole). */
model::HopStep drop_step(const Vertex& dropped);

/** Why a drop of drop_step `tgw` happens, in trace's words: "tgw-attach-0a has no subnet in
 *  us-east-2b, so subnet-0a2 cannot reach tgw-0a"; from is the route lookup the dropping edge
 *  leaves. "" for any other drop. */
std::string tgw_zone_text(const ForwardingGraph& g, VertexId from, const Vertex& dropped);

}  // namespace vpcprove::graph
