// SPDX-License-Identifier: Apache-2.0
// The header space of a question as a formula, shared by the prover and the why-not explainer.
#pragma once

#include <z3++.h>

#include "encoder/encoder.h"
#include "encoder/header.h"
#include "queries/reach.h"

namespace vpcprove::queries {

/**
 * The packets of q's header space on header h: protocol, ports (one range or a set of them),
 * extra address restrictions, and a destination side that is the internet or a CIDR.
 * Well-formedness of h is not included.
 */
z3::expr encode_header_space(encoder::Encoder& enc, const encoder::Header& h, const ReachQuery& q);

}  // namespace vpcprove::queries
