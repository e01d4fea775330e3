// SPDX-License-Identifier: Apache-2.0
// `diff`: what the change from one network to another does to reachability, exactly.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/ipv4.h"
#include "intent/spec.h"
#include "model/network.h"
#include "model/walk.h"
#include "queries/check.h"

namespace vpcprove::queries {

/**
 * Internet exposure one ENI has in one network and not in the other, for one protocol:
 * "tcp"/"udp" (destination ports), "icmp" (types), "other" (ports holds protocol numbers).
 * ports are exact, merged and ascending.
 */
struct ExposureDelta {
  model::Id eni;
  std::string protocol;
  std::vector<PortRange> ports;
  int ip_version = 4;
  /** The rules that open these ranges in the network where they are open (exposure's by). */
  std::vector<std::string> by;
};

/** An invariant whose verdict differs between the two networks. */
struct InvariantDelta {
  std::string name;
  CheckVerdict old_verdict = CheckVerdict::Unknown;
  CheckVerdict new_verdict = CheckVerdict::Unknown;
  InvariantResult old_result;
  InvariantResult new_result;
};

/**
 * A class of packets from one source member to one destination member that one network
 * delivers and the other does not: every packet whose source address is in src, destination
 * address in [dst_lo, dst_hi], protocol class and destination port (ICMP type) in ports.
 * Within a class both networks decide every rule, route and translation the same way, so
 * the witness stands for all of it.
 */
struct FlowDelta {
  model::Id from_member;  ///< ENI ID or "internet"
  model::Id to_member;    ///< ENI ID, "internet", or the CIDR as written
  std::string protocol;   ///< "tcp", "udp", "icmp", or "other" (then ports are protocol numbers)
  std::vector<PortRange> ports;
  std::optional<PortRange> icmp_codes;                   ///< icmp only
  std::vector<std::pair<Ipv4Address, Ipv4Address>> src;  ///< inclusive ranges, ascending
  Ipv4Address dst_lo = 0;
  Ipv4Address dst_hi = 0;
  model::Walk walk;   ///< the witness where it is delivered (NEW for added, OLD for removed)
  model::Walk other;  ///< the same packet in the other network (not delivered there)
};

struct DiffOptions {
  unsigned timeout_ms = 0;            ///< per solver call; 0: none
  unsigned jobs = 1;                  ///< 0: all cores
  std::vector<Invariant> invariants;  ///< --spec; empty: no invariant is asked
  std::optional<std::string> from;    ///< --from/--to: both or neither
  std::optional<std::string> to;
};

struct DiffResult {
  std::vector<ExposureDelta> opened;  ///< in NEW and not in OLD, by ENI then protocol
  std::vector<ExposureDelta> closed;  ///< in OLD and not in NEW
  std::vector<InvariantDelta> invariants;
  bool flows_asked = false;
  std::vector<FlowDelta> added;    ///< delivered in NEW, not in OLD
  std::vector<FlowDelta> removed;  ///< delivered in OLD, not in NEW
  std::size_t flow_classes = 0;    ///< header-space cells walked per network
  /** false when exposure or an invariant hit a solver limit: unknown_reason says which. */
  bool complete = true;
  std::string unknown_reason;
  double elapsed_ms = 0;
};

/**
 * Compares two indexed networks: exposure of each (queries/exposure.h) range by range per
 * ENI and protocol; every invariant checked on both, listing those whose verdict differs;
 * and, with from/to, the packets one network delivers and the other does not (diff_flows).
 * Endpoints are resolved in each network; an ID present in only one counts as an empty set
 * in the other. Throws InputError when an endpoint resolves in neither.
 */
DiffResult diff(const model::Network& old_network, const model::Network& new_network,
                const DiffOptions& options);

/**
 * The flow part of diff: the header space from `from` to `to` is cut into cells at every
 * boundary any rule, route, CIDR, address or translation of either network has (addresses,
 * protocol numbers, destination ports, ICMP types and codes; first-packet delivery decides
 * nothing on the source port); each cell's representative packet is walked with trace in
 * both networks, and cells delivered in one and not the other are grouped into FlowDeltas.
 * Packet semantics: a class is delivered when its first packet is.
 */
void diff_flows(const model::Network& old_network, const model::Network& new_network, const std::string& from,
                const std::string& to, DiffResult& result);

/** true when result reports any change. */
bool has_changes(const DiffResult& result);
/** The contract's exit code: 1 when something changed, else 3 when incomplete or an invariant
 *  is unknown on either side, else 0. */
int diff_exit_code(const DiffResult& result);

}  // namespace vpcprove::queries
