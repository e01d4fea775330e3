// SPDX-License-Identifier: Apache-2.0
// exposure's header space: the four parts it reports on, cut at every rule boundary into pieces
// that each filter decides alike, and what a behaviour class is open to, piece by piece.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/ipv4.h"
#include "graph/forwarding_graph.h"
#include "model/network.h"
#include "queries/exposure.h"

namespace vpcprove::queries::exposure_detail {

/** The four parts of the header space exposure reports on. */
enum class Part { Tcp, Udp, Icmp, Other };
constexpr Part kParts[] = {Part::Tcp, Part::Udp, Part::Icmp, Part::Other};

/** The part's name; icmp is the family's ICMP (model::kIcmp, or model::kIcmpv6: "icmpv6"). */
const char* name_of(Part p, int icmp = model::kIcmp);
/** The protocol open_pieces (queries/exposure_geometry.h) takes for a part; icmp: the family's ICMP. */
int protocol_of(Part p, int icmp = model::kIcmp);

/**
 * Cut points of one part from the filters' L4 matches: a range [lo, hi] of a rule of that
 * protocol adds lo and hi + 1. On every piece between two cuts each rule matches all of the
 * piece or none of it, so one solver call decides the whole piece.
 */
void add_cuts(Part part, const model::L4Match& m, std::set<std::uint32_t>& cuts, int icmp = model::kIcmp);
/** The pieces of a part between its cuts (ICMP echo types and the named protocols cut apart).
 *  icmp: the family's ICMP protocol, whose types the Icmp part holds and Other leaves out. */
std::vector<PortRange> pieces(Part part, std::set<std::uint32_t> cuts, int icmp = model::kIcmp);
/** The pieces of every part cut at every rule and entry of the network, both directions and
 *  both families (session semantics: the reply's filters are anywhere on the way back). */
std::map<Part, std::vector<PortRange>> network_pieces(const model::Network& network, int icmp = model::kIcmp);
/**
 * The behaviour class of eni for exposure: its VPC, its subnet's NACL (the subnet itself for
 * session semantics: the reply uses its route table), address (what else decides the way in:
 * "public"/"private" for IPv4, "" for IPv6), whether it is unfiltered, its groups in order, and
 * the ENI itself in a VPC with ingress routing (routed), where the address decides the way.
 */
std::string class_key(const model::Network& n, const model::NetworkInterface& eni, Semantics semantics,
                      const std::set<model::Id>& routed, const std::string& address);
/** Every L4 match a filter step of a path applies: the rules of the step's own direction. */
void collect_filters(const model::Network& n, const graph::Step& s, std::vector<const model::L4Match*>& out);

bool is_filter_hop(const std::string& step);
void add_unique(std::vector<std::string>& v, const std::string& s);

/** What one behaviour class is open to, part by part. */
/** What one behaviour class is open to, part by part. */
struct ClassAnswer {
  std::map<Part, std::vector<std::pair<PortRange, std::vector<std::string>>>> open;  // piece, its rules
  bool unknown = false;
  std::string unknown_reason;
  unsigned checks = 0;
};

/** A class's open pieces as exposure reports them: merged ranges per part, or one "all". */
std::vector<Exposed> assemble(const ClassAnswer& a, int icmp = model::kIcmp);

}  // namespace vpcprove::queries::exposure_detail
