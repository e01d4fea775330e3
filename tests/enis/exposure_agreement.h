// SPDX-License-Identifier: Apache-2.0
// exposure and reach held to each other ENI by ENI: what exposure lists, reach finds; what it
// leaves out, reach proves unreachable. Shared by the enis tests and the corpus tier.
#pragma once

#include <string>
#include <vector>

#include "model/network.h"

namespace vpcprove::testing {

/** What check_exposure_agrees_with_reach asked, and every disagreement it found (empty: none). */
struct ExposureAgreement {
  int enis = 0;         ///< ENIs checked (set members, and inactive ENIs)
  int questions = 0;    ///< reach questions asked
  int conditional = 0;  ///< answers unknown under listed assumptions (compared to nothing)
  std::vector<std::string> disagreements;
};

/**
 * For every ENI that can end a flow: each TCP and UDP port range exposure lists is reachable
 * from the internet by reach, and the ports it leaves out are unreachable; ICMP and "all" alike
 * (as one question each). For every inactive ENI (not attached, instance stopped): exposure
 * lists nothing and reach proves it unreachable from the internet with its inactive code.
 */
ExposureAgreement check_exposure_agrees_with_reach(const model::Network& network);

}  // namespace vpcprove::testing
