// SPDX-License-Identifier: Apache-2.0
// gen_estate --tgw: transit gateways added to an estate gen_estate has written.
#pragma once

#include <cstdint>
#include <filesystem>

namespace vpcprove::benchmarks {

/**
 * Adds two transit gateways to the estate in dir (one ACCOUNT/REGION folder as gen_estate writes
 * it): every VPC attached to one of them (even VPCs to the first, odd to the second), at the first
 * subnet of each of its Availability Zones. The first TGW has two route tables, "prod" and "dev",
 * each associated with half of its attachments and propagating from them, with a static default
 * route to the first prod VPC (a shared egress) in both and, in dev, a blackhole for the CIDR of
 * the second prod VPC; the second TGW has one table that every attachment propagates to, with a
 * static route to its first VPC. Every route table of an attached VPC gains 10.0.0.0/8 -> its TGW
 * (the VPCs' own, longer prefixes still win inside them). Writes the six TransitGateway*.json files
 * and rewrites RouteTables.json; the same estate and seed give the same bytes. Throws
 * std::runtime_error when dir lacks the files or holds fewer than four VPCs.
 */
void add_transit_gateways(const std::filesystem::path& dir, std::uint64_t seed);

}  // namespace vpcprove::benchmarks
