// SPDX-License-Identifier: Apache-2.0
// What to change: the fewest fixes that open a blocked question or close an open one (reach --explain).
#pragma once

#include <string>
#include <vector>

#include "graph/forwarding_graph.h"
#include "model/network.h"
#include "queries/reach.h"
#include "queries/why_not.h"

namespace vpcprove::queries {

/** One change to the network, as a model edit and as the AWS CLI command that makes it. */
struct Fix {
  enum class Kind {
    AuthorizeSecurityGroup,     ///< add sg_rule to its group (direction in sg_rule)
    RevokeSecurityGroup,        ///< remove the rule labelled sg_rule.label()
    CreateNaclEntry,            ///< add nacl_entry to its ACL
    DeleteNaclEntry,            ///< remove the entry labelled nacl_entry.label()
    CreateRoute,                ///< add route to route_table_id (replacing one with the same destination)
    CreateTransitGatewayRoute,  ///< add route to TGW route table route_table_id (the same way)
    AssociateAddress,           ///< map public_ip to private_ip of eni
    DisableSourceDestCheck,     ///< turn eni's source/destination check off
  };
  Kind kind = Kind::AuthorizeSecurityGroup;
  model::SgRule sg_rule;
  model::NaclEntry nacl_entry;
  model::Id route_table_id;
  model::Route route;
  model::Id eni;
  Ipv4Address private_ip = 0;
  Ipv4Address public_ip = 0;
  std::string summary;  ///< for people: "allow tcp 443 from 203.0.113.7/32 into sg-0ab"
  /// "aws ec2 authorize-security-group-ingress --group-id sg-0ab ...": POSIX shell text in which
  /// every value taken from the snapshot is one inert word (common/escape.h shell_word).
  std::string aws_cli;
};

/** What `reach --explain` answers. */
struct Explanation {
  bool found = false;      ///< a set of fixes was found and checked (applied, reach agrees)
  std::vector<Fix> fixes;  ///< the fewest changes found, in path order
  std::string from_member;
  std::vector<std::string> path;        ///< the way they open (unreachable) or the ways they close
  std::optional<model::Packet> packet;  ///< unreachable: the packet the fixed way carries
  std::string note;                     ///< when nothing was found: why
};

/**
 * For an unreachable question: the smallest set of changes (security-group rules, NACL
 * entries, routes of VPC and transit gateway route tables, public IPs, source/destination
 * checks) that makes some packet of the
 * space get through. Each fixable gate of each candidate path is a soft constraint of Z3's
 * optimizer (a public IP the ENI lacks counts as one change); the cheapest path wins. The
 * answer is applied to a copy of the network and checked with Prover::reach before it is
 * returned (found == true only then). max_paths bounds the candidate paths tried.
 */
Explanation explain_unreachable(const model::Network& network, const ReachQuery& query,
                                std::size_t max_paths = 64);

/**
 * The dual, for a reachable question that should not be: the fewest security-group rules
 * and NACL allow entries to remove so that no packet of the space gets through. Hitting-set
 * loop: every witness names the rules it used; a minimum set meeting every witness so far is
 * removed and the question asked again, until it is unreachable (or max_rounds).
 */
Explanation explain_reachable(const model::Network& network, const ReachQuery& query, int max_rounds = 12);

/** network with the fixes applied (converter invariants kept: routes re-sorted, indices rebuilt). */
model::Network apply_fixes(const model::Network& network, const std::vector<Fix>& fixes);

}  // namespace vpcprove::queries
