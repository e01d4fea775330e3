// SPDX-License-Identifier: Apache-2.0
// exposure decided by interval geometry held to the solver's exposure and to trace: shared by
// the random-network tests and the diverse generated-estate test.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/network.h"

namespace vpcprove::testing {

struct GeometryAgreement {
  std::size_t classes = 0;                 ///< behaviour classes exposure found
  std::size_t geometry_classes = 0;        ///< of those, decided without the solver
  std::size_t enis_compared = 0;           ///< ENIs compared with the solver's answer
  std::size_t probes = 0;                  ///< (ENI, protocol, value) probes held to trace
  std::size_t walks = 0;                   ///< trace walks they took
  std::vector<std::string> disagreements;  ///< empty: none
};

/**
 * exposure with geometry against exposure with the solver for every class: the same ENIs, the
 * same ranges per protocol (exactly). Then, for every ENI exposure lists (at most max_enis of
 * them, in ID order) and every protocol/port value at a boundary of its groups' and NACL's rules
 * and of its exposed ranges (each end, and one outside), trace from every internet source at an
 * edge of those rules' prefixes or of the non-internet blocks (first and last address, and one
 * outside each): a value is open in exposure exactly when some such packet is delivered (those
 * sources include the lowest address of every set the filters can carve, so none is missed
 * on the plain way in); where no probe source gets through an open value, the prover must
 * find a packet that trace delivers.
 */
GeometryAgreement check_geometry_agrees(const model::Network& network, std::size_t max_enis = SIZE_MAX);

}  // namespace vpcprove::testing
