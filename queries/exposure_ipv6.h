// SPDX-License-Identifier: Apache-2.0
// exposure's IPv6 pass: what the internet reaches over IPv6, addressed to the ENIs themselves.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/forwarding_graph.h"
#include "model/network.h"
#include "queries/exposure.h"

namespace vpcprove::queries::exposure_detail {

struct Ipv6Exposure {
  /** The ip_version 6 entries of each class reached, once per class (at 100k dual-stack ENIs,
   *  a copy per ENI was a third of the pass). */
  std::vector<std::vector<Exposed>> by_class;
  std::unordered_map<model::Id, std::size_t> class_of;  ///< ENIs reached only: index into by_class

  /** eni's entries, or nullptr when the internet does not reach it over IPv6. */
  [[nodiscard]] const std::vector<Exposed>* of(const model::Id& eni) const {
    auto it = class_of.find(eni);
    return it == class_of.end() ? nullptr : &by_class[it->second];
  }
  bool unknown = false;
  std::string unknown_reason;
  unsigned checks = 0;
  std::size_t classes = 0;
  std::size_t geometry_classes = 0;  ///< of those, decided by interval geometry (no solver)
};

/** Runs work on up to tasks threads (exposure's pool). */
using RunJobs = std::function<void(const std::function<void()>& work, std::size_t tasks)>;

/**
 * The IPv6 ranges the internet reaches, per ENI with IPv6 addresses (docs/semantics.md "IPv6"):
 * no translation, so a first packet is addressed to the ENI's own address, through its VPC's
 * internet gateway (an egress-only gateway admits no first packet), by the solver over a
 * dual-stack encoding, or by interval geometry where the way in is the plain one (packet
 * semantics, options.geometry), as the IPv4 pass. ENIs of one VPC with the same NACL (the same subnet for
 * sessions) and groups are one class, except in VPCs with ingress routing (routed): one class per ENI there.
 */
Ipv6Exposure ipv6_exposure(const model::Network& network, const ExposureOptions& options,
                           const std::set<model::Id>& routed, const RunJobs& run_jobs,
                           const graph::ForwardingGraph* graph = nullptr);

}  // namespace vpcprove::queries::exposure_detail
