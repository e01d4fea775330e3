// SPDX-License-Identifier: Apache-2.0
// AWS Network Access Analyzer scopes (MatchPaths / ExcludePaths JSON): the question a scope asks.
//
// Format: https://docs.aws.amazon.com/vpc/latest/network-access-analyzer/resource-statement.html,
// https://docs.aws.amazon.com/vpc/latest/network-access-analyzer/packet-header-statement.html and
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkInsightsAccessScope.html.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/ipv4.h"

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

}  // namespace vpcprove::queries
