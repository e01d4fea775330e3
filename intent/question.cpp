// SPDX-License-Identifier: Apache-2.0
#include "intent/question.h"

namespace vpcprove::queries {

const char* to_string(Semantics s) { return s == Semantics::Packet ? "packet" : "session"; }

}  // namespace vpcprove::queries
