// SPDX-License-Identifier: Apache-2.0
// What a failing step of the forwarding graph means for people: the drop code trace gives the
// same packet at that step, and the resource trace names as the drop's "at".
#pragma once

#include "graph/forwarding_graph.h"
#include "model/drop_code.h"
#include "model/network.h"

namespace vpcprove::graph {

/** The drop code of a packet that fails step s (DropCode::Unknown for steps that never fail alone). */
model::DropCode drop_code(const Step& s);

/** The resource to blame for a failing step: the ENI's first security group, the subnet's NACL,
 *  the NAT gateway an internet gateway's edge refuses, ... */
model::Id blamed_resource(const model::Network& n, const Step& s);

}  // namespace vpcprove::graph
