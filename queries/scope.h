// SPDX-License-Identifier: Apache-2.0
// AWS Network Access Analyzer scopes (MatchPaths / ExcludePaths JSON) answered with every finding.
//
// Format: https://docs.aws.amazon.com/vpc/latest/network-access-analyzer/resource-statement.html,
// https://docs.aws.amazon.com/vpc/latest/network-access-analyzer/packet-header-statement.html and
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkInsightsAccessScope.html.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/ipv4.h"
#include "model/network.h"
#include "queries/check.h"

namespace vpcprove::queries {

/** A ResourceStatement: resource IDs (ARNs reduced to their ID) or resource types, never both. */
struct ScopeResources {
  std::vector<std::string> resources;
  std::vector<std::string> resource_types;  ///< "AWS::EC2::InternetGateway", …
  std::string json_path;                    ///< "$.MatchPaths[0].Source.ResourceStatement", for messages
};

/** A PacketHeaderStatement. Empty lists do not constrain; values in a list are alternatives. */
struct ScopeHeader {
  std::vector<Ipv4Prefix> source_addresses;
  std::vector<Ipv4Prefix> destination_addresses;
  std::vector<std::string> source_prefix_lists;  ///< pl-… IDs, resolved against the snapshot
  std::vector<std::string> destination_prefix_lists;
  std::vector<PortRange> source_ports;
  std::vector<PortRange> destination_ports;
  std::vector<int> protocols;  ///< 6 and/or 17 (NAA analyses TCP and UDP only; empty: both)
  std::string json_path;
};

/** Source or Destination of a path: what it is and which packets. */
struct ScopeEnd {
  std::optional<ScopeResources> resources;
  std::optional<ScopeHeader> header;
};

/** One entry of MatchPaths or ExcludePaths. An absent end matches everything. */
struct ScopePath {
  std::optional<ScopeEnd> source;
  std::optional<ScopeEnd> destination;
  std::vector<ScopeResources> through;  ///< ThroughResources: the path passes one of them
  std::string json_path;                ///< "$.MatchPaths[2]"
};

struct Scope {
  std::string file;
  std::string name;  ///< the file name without folder and extension: the result's name
  std::vector<ScopePath> match;
  std::vector<ScopePath> exclude;
};

/**
 * Reads a scope: the request shape {"MatchPaths": […], "ExcludePaths": […]} (what
 * create-network-insights-access-scope --cli-input-json takes), the
 * get-network-insights-access-scope-content output {"NetworkInsightsAccessScopeContent": {…}},
 * or a CloudFormation AWS::EC2::NetworkInsightsAccessScope resource {"Properties": {…}}.
 * Throws InputError naming the file and the JSON path ("$.MatchPaths[0].Source…") for broken
 * JSON, unknown keys, wrong types, bad addresses, ports or protocols, a resource statement with
 * both IDs and types, and addresses given together with prefix lists on one side.
 */
Scope load_scope(const std::string& path);
Scope parse_scope(const std::string& text, const std::string& file);

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
 * - ThroughResources are checked on each finding's witness; a finding whose witness does not
 *   pass them is still reported (another path might), marked as not enforced;
 * - an ExcludePath is applied only where it certainly covers the finding: with
 *   ThroughResources it excludes nothing; DestinationAddresses exclude an ENI destination only
 *   when they cover all its addresses. Header exclusions (ports, protocols, addresses) are exact:
 *   the remaining header space is split into boxes and each is asked.
 * Findings use packet semantics (the first packet is delivered), as the analyzer's do.
 */
InvariantResult run_scope(const model::Network& network, const Scope& scope, const CheckOptions& options);

}  // namespace vpcprove::queries
