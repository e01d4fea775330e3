// SPDX-License-Identifier: Apache-2.0
// aws::load_network: the loader and the converter, end to end.
#include "aws/load.h"

#include "aws/snapshot_loader.h"
#include "aws/to_model.h"

namespace vpcprove::aws {

model::Network load_network(const std::string& path) { return to_model(load_snapshot(path)); }

}  // namespace vpcprove::aws
