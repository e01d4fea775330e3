// SPDX-License-Identifier: Apache-2.0
// The one entry point the rest of vpcprove uses to read a snapshot: path in, model out.
#pragma once

#include <string>

#include "model/network.h"

namespace vpcprove::aws {

/**
 * Reads a snapshot per docs/cli-contract.md ("The snapshot"): a directory read
 * recursively (ACCOUNT/REGION folders, Batfish's aws_configs/ layout) or one JSON file whose
 * top-level keys are describe-* outputs; converts it to the network model, reporting into
 * Network::diagnostics. Throws InputError (naming file and resource) on malformed input:
 * broken JSON, wrong types, out-of-range values, a missing path, an empty folder.
 */
model::Network load_network(const std::string& path);

}  // namespace vpcprove::aws
