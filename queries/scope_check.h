// SPDX-License-Identifier: Apache-2.0
// Answering an AWS Network Access Analyzer scope (intent/scope.h) with every finding.
#pragma once

#include "intent/scope.h"
#include "model/network.h"
#include "queries/check.h"

namespace vpcprove::queries {

/**
 * Every finding of a scope on a network, as one InvariantResult named scope.name whose
 * findings are ALL the (source, destination) pairs with a packet that matches a MatchPath and
 * no ExcludePath (one witness each, sorted by source then destination), not a sample.
 *
 * Sources and destinations are internet gateways (the internet, entering or leaving through
 * that gateway; paired only with ENIs of its VPC) and ENIs (every ENI but those of NAT
 * gateways). Resource types map as: AWS::EC2::InternetGateway → every attached IGW;
 * AWS::EC2::NetworkInterface, AWS::EC2::Subnet, AWS::EC2::VPC, AWS::EC2::SecurityGroup →
 * every ENI; AWS::EC2::Instance → every instance ENI. IDs: igw-, eni-, i-, subnet-, sg-, vpc-
 * (an unknown ID is an InputError naming the JSON path).
 *
 * Where the answer cannot be exact it widens, and says so in the result's notes:
 * - a MatchPath end naming resources vpcprove does not model (VPN gateways, TGW
 *   attachments, load balancers by ARN, …) makes the result unknown (never "holds");
 * - ThroughResources restrict the prover's candidate paths (graph/waypoints.h: a finding's own
 *   path passes one of them, and no finding means no packet's path does); where part of them is
 *   not modelled they are not enforced, and every finding is reported with a note;
 * - an ExcludePath is applied only where it certainly covers the finding: with
 *   ThroughResources it excludes nothing; DestinationAddresses exclude an ENI destination only
 *   when they cover all its addresses. Header exclusions (ports, protocols, addresses) are exact:
 *   the remaining header space is split into boxes and each is asked.
 * Findings use packet semantics (the first packet is delivered), as the analyzer's do.
 */
InvariantResult run_scope(const model::Network& network, const Scope& scope, const CheckOptions& options);

}  // namespace vpcprove::queries
