// SPDX-License-Identifier: Apache-2.0
// `exposure`: for every workload ENI, the exact protocols and ports on which the internet reaches it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/ipv4.h"
#include "common/ipv6.h"
#include "model/assumption.h"
#include "model/network.h"
#include "queries/reach.h"

namespace vpcprove::queries {

/**
 * One protocol on which an ENI is exposed.
 * - protocol "tcp" / "udp": ports are destination-port ranges;
 * - "icmp": ports are ranges of ICMP types (any code);
 * - "other": protocols lists the ranges of protocol numbers other than 1, 6 and 17 that get
 *   through; ports is [[0,0]] (those protocols carry no ports in the model);
 * - "all": every packet gets through (tcp, udp, icmp and every other protocol, every port);
 *   ports is [[0,65535]] and it is then the only entry.
 * Ranges are exact, merged (adjacent and overlapping ranges joined) and ascending.
 */
struct Exposed {
  std::string protocol;
  std::vector<PortRange> ports;
  std::vector<PortRange> protocols;  ///< "other" only: protocol numbers
  /** The security-group rules and NACL entries that let the witnesses through, as
   *  model::describe() names them ("sg-0ab ingress rule 2 (tcp 22 0.0.0.0/0)"), deduplicated. */
  std::vector<std::string> by;
  /** by, range by range: range_by[i] names the rules that open ports[i] (protocols[i] for "other"). */
  std::vector<std::vector<std::string>> range_by;
  /** 4, or 6 for ranges the internet reaches over IPv6 (listed after the IPv4 ones; the
   *  Icmp part is then ICMPv6, named "icmpv6"). */
  int ip_version = 4;
};

struct EniExposure {
  model::Id eni;
  model::Id subnet;
  std::vector<Ipv4Address> public_ips;
  /** tcp, udp, icmp, other in that order (or a single "all"), then the same over IPv6
   *  (ip_version 6); empty: not reachable. */
  std::vector<Exposed> exposed;
  std::string kind;   ///< model::to_string(InterfaceKind): "instance", "load-balancer", …
  std::string owner;  ///< NetworkInterface::owner ("" when the snapshot does not say)
  /** What the list rests on (queries/assumptions.h): while non-empty, the internet may reach
   *  more than exposed says, and under AssumptionPolicy::Conditional the result is incomplete. */
  std::vector<model::Assumption> assumptions;
  std::vector<Ipv6Address> ipv6_addresses;  ///< its own IPv6 addresses (the exposed IPv6 ranges reach them)
};

struct ExposureOptions {
  Semantics semantics = Semantics::Packet;
  unsigned jobs = 1;        ///< worker threads (each its own Z3 context); 0: all cores
  unsigned timeout_ms = 0;  ///< per solver call; 0: none
  /** Conditional: an ENI whose list rests on assumptions makes the result incomplete. */
  model::AssumptionPolicy assume = model::AssumptionPolicy::Conditional;
  /** true: classes whose only way in is the plain one (queries/exposure_geometry.h) are decided
   *  by interval geometry, without the solver; false: the solver decides every class (the
   *  tests hold the two to each other). */
  bool geometry = true;
};

struct ExposureResult {
  /** Every workload ENI that has a public IP, that the internet reaches or whose list rests on
   *  assumptions, in ID order. */
  std::vector<EniExposure> enis;
  /** false when a solver limit or the path-enumeration limit was hit: then some ENI's ranges
   *  may be missing and unknown_reason says why (the CLI exits 3). */
  bool complete = true;
  std::string unknown_reason;
  std::size_t classes = 0;           ///< behaviour classes solved (ENIs that behave identically share one)
  std::size_t geometry_classes = 0;  ///< of those, decided by interval geometry (no solver)
  unsigned solver_checks = 0;
  double elapsed_ms = 0;
};

/**
 * Computes exposure exactly. The destination-port (ICMP type, protocol number) space is cut
 * at every boundary of every SG rule and NACL entry that can apply on a candidate path from
 * the internet to the ENI, so every filter decides the same way on each piece; the solver
 * then decides each piece once (existentially over the other header fields) and open pieces
 * are merged. ENIs of one VPC without ingress routing with the same subnet NACL (the same
 * subnet for session semantics: the reply uses its route table), the same security groups (in
 * order) and the same public-IP status are solved once per class.
 * With Semantics::Session a piece counts only when the reply also comes back (Prover::reach
 * per piece that is open for the first packet).
 * The network must be indexed. Thread-safe with respect to other callers (it shares nothing).
 */
ExposureResult exposure(const model::Network& network, const ExposureOptions& options = {});

/** The well-known administration and database ports, in the order people care about them
 *  (22, 3389, 5432, 3306, 1433, 6379, 27017, 9200, ...), with a name each. */
struct SensitivePort {
  std::uint16_t port;
  const char* name;
};
const std::vector<SensitivePort>& sensitive_ports();

/** Merges overlapping and adjacent ranges; returns them ascending. */
std::vector<PortRange> merge_ranges(std::vector<PortRange> ranges);

}  // namespace vpcprove::queries
