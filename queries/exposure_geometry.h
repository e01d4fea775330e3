// SPDX-License-Identifier: Apache-2.0
// exposure without the solver where the way in is boxes: a first packet from the internet that
// crosses one NACL's ingress entries and one ENI's groups' ingress rules, decided exactly over
// source-address interval sets, piece by piece of the protocol/port space.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/ipv4.h"
#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "model/network.h"
#include "model/packet.h"
#include "queries/exposure_pieces.h"

namespace vpcprove::queries {

/**
 * true when path is the plain way in from the internet to eni and nothing else: igw-ingress
 * (the gateway's own mapping, no NAT), nacl-ingress of eni's subnet, then owns-dst, sg-ingress
 * and deliver of eni. On such a path every guard but the two filters reads only the destination
 * address, so the delivered set is (destinations that get through) x (filters' boxes). Any other
 * shape (an edge route table, an inactive ENI, a NAT, an appliance, a missing subnet) is not
 * covered: exposure asks the solver there.
 */
bool plain_way_in(const graph::ForwardingGraph& g, const graph::Path& path,
                  const model::NetworkInterface& eni, const model::Network& network);

/**
 * model::describe of security-group rules and NACL entries, each formatted once: exposure names
 * the same few rules for thousands of classes. Keyed by address, so it must not outlive the
 * network it named; one per thread.
 */
class RuleNames {
 public:
  const std::string& of(const model::SgRule& rule);
  const std::string& of(const model::NaclEntry& entry);
  const std::string& default_deny(const model::NetworkAcl& acl);

 private:
  std::unordered_map<const void*, std::string> names_;
};

/** One piece of the cut protocol/port space that some internet source gets through. */
struct OpenPiece {
  PortRange piece;
  /** The NACL entry and security-group rule that let witness through, named as exposure's
   *  hops name them (nacl-ingress first, then sg-ingress). */
  std::vector<std::string> by;
  model::Packet witness;  ///< dst_ip / dst_ip6 unset (0): the caller addresses it
};

/**
 * For a first packet from an internet source of the family (common/ipv4.h is_internet; IPv6:
 * 2000::/3) that crosses eni's subnet's NACL ingress entries of that family (first match, default
 * deny; no NACL: allow) and eni's security groups' ingress rules (union of rules, their peers of
 * that family; unfiltered: allow), which pieces let some source through.
 * protocol: model::kTcp / kUdp (pieces of destination ports), the family's ICMP (model::kIcmp,
 * kIcmpv6: pieces of ICMP types, any code), or -1 for the other protocols (pieces of protocol
 * numbers; TCP, UDP and the family's ICMP excluded).
 * Every rule's L4 match must be constant on each piece (exposure cuts at every boundary);
 * then the answer is exact: one representative value per piece decides it.
 */
std::vector<OpenPiece> open_pieces(const model::Network& network, const model::NetworkInterface& eni,
                                   int protocol, const std::vector<PortRange>& pieces, RuleNames& names,
                                   int ip_version = 4);
/** open_pieces with names formatted afresh. */
std::vector<OpenPiece> open_pieces(const model::Network& network, const model::NetworkInterface& eni,
                                   int protocol, const std::vector<PortRange>& pieces, int ip_version = 4);

namespace exposure_detail {

/**
 * What rep's class is open to on the plain way in (plain_way_in), part by part: each part cut at
 * the boundaries of filters (the NACL entries and group rules of rep that can match an internet
 * source of the family; cutting at more only splits pieces) and decided by open_pieces.
 */
ClassAnswer plain_answer(const model::Network& network, const model::NetworkInterface& rep,
                         const std::vector<const model::L4Match*>& filters, RuleNames& names, int ip_version);

}  // namespace exposure_detail

}  // namespace vpcprove::queries
