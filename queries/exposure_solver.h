// SPDX-License-Identifier: Apache-2.0
// exposure's prover of record where the way in is not boxes: one Z3 context per worker, each
// class's paths asked piece by piece (model-guided), sessions narrowed by the prover.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "common/ipv4.h"
#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "model/network.h"
#include "queries/exposure_pieces.h"
#include "queries/reach.h"

namespace vpcprove::queries::exposure_detail {

struct Worker;

/** One worker thread's solver (a Z3 context is single-threaded) over one network and its graph. */
class ClassSolver {
 public:
  /** ip_version 4: IPv4 packets (IPv4-only formulas); 6: IPv6 packets over a dual-stack encoding. */
  ClassSolver(const model::Network& network, const graph::ForwardingGraph& graph, unsigned timeout_ms,
              int ip_version = 4);
  ~ClassSolver();
  ClassSolver(const ClassSolver&) = delete;
  ClassSolver& operator=(const ClassSolver&) = delete;

  /**
   * What the class of eni (its representative) is open to over its paths from the internet.
   * fixed_pieces: the pieces to decide (session semantics cut at every rule of the network);
   * nullptr: cut at the rules of the class's own paths. publics_of: private address -> the
   * public IPs an internet gateway translates to it (IPv4 only: IPv6 is addressed to eni itself). Session
   * semantics keeps the pieces whose reply also comes back.
   */
  ClassAnswer answer(const model::NetworkInterface& eni, const std::vector<const graph::Path*>& class_paths,
                     const std::map<Part, std::vector<PortRange>>* fixed_pieces,
                     const std::map<Ipv4Address, std::vector<Ipv4Address>>& publics_of, Semantics semantics);

 private:
  std::unique_ptr<Worker> worker_;
};

}  // namespace vpcprove::queries::exposure_detail
