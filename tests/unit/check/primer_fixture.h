// SPDX-License-Identifier: Apache-2.0
// examples/primer loaded once, with the IDs of examples/primer/README.md, for check's tests.
#pragma once

#include <string>
#include <vector>

#include "intent/spec.h"
#include "model/network.h"
#include "queries/check.h"

namespace vpcprove::check_test {

inline const std::string kWeb = "eni-0c4d941a10da0333c";
inline const std::string kApp = "eni-02d8722b580a174f6";
inline const std::string kDb = "eni-048dd1e45e6cc4df4";
inline const std::string kVpc = "vpc-0af3841a0ca2bbffe";
inline const std::string kIgw = "igw-0b3c43c4e6c81eeef";
inline const std::string kSgWeb = "sg-00e93904bb5648514";
inline const std::string kSgApp = "sg-0e6835e5e64cfe081";
inline const std::string kSgDb = "sg-08a66024d8bd1b996";
inline const std::string kSgDefault = "sg-0cced7e3de287e7c0";
inline const std::string kPublicSubnet = "subnet-05f5a8c776ec2d66e";
inline const std::string kAppSubnet = "subnet-0a2dcee60bfba05d9";
inline const std::string kDbSubnet = "subnet-054278e8b2caec359";

/** The primer network (loaded once per process). */
const model::Network& primer();

/** The invariants of a spec written inline (file "test.yaml"). */
std::vector<queries::Invariant> spec(const std::string& yaml);

/** Runs invariants on network with one job and no progress. */
std::vector<queries::InvariantResult> run(const model::Network& network, const std::string& yaml,
                                          queries::CheckOptions options = {});

}  // namespace vpcprove::check_test
