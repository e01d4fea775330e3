// SPDX-License-Identifier: Apache-2.0
// A candidate path of the forwarding graph as guarded constraints over a chain of headers.
#pragma once

#include <z3++.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "encoder/encoder.h"
#include "encoder/header.h"
#include "graph/forwarding_graph.h"
#include "graph/paths.h"
#include "model/walk.h"

namespace vpcprove::encoder {

class FamilyGuards;  // encoder/path_family.h

/** One step of a path: what must hold for the packet to pass it (guard), and the header before/after. */
struct EncodedStep {
  const graph::Step* step = nullptr;  ///< points into the graph's edge
  /** Tracking-literal name, after AWS IDs ("sg-0ab/ingress", "rtb-1/0.0.0.0/0 @h/nat:nat-1");
   *  "" when the guard is trivially true (a pure hop such as deliver). */
  std::string literal;
  Guard guard;  ///< built on first read where it is costly (the snapshot's addresses: outside)
  Header before;
  Header after;          ///< differs from before only for translations
  bool skipped = false;  ///< a reply's security group that the session state lets through
  /** Set when guard is "the address is none of these many": a solver may take it a run at a
   *  time (solver::Solver::track), and then the exact formula (guard) is built only if needed;
   *  guard is that exact formula for everything else. */
  std::optional<OutsideAddresses> outside;
};

/** A header defined from others (a translation); asserted once, unconditionally. */
struct Definition {
  std::string name;  ///< the defined header's name
  z3::expr formula;
};

struct EncodedPath {
  std::vector<EncodedStep> steps;
  std::vector<Definition> definitions;
  Header start;
  Header end;
};

/**
 * Encodes candidate paths. For a reply walk, pass the encoded first packet: its NAT bindings
 * and the ENIs whose security groups it crossed (stateful: the reply skips them, as trace does).
 * Not thread-safe; one per Encoder.
 */
class PathEncoder {
 public:
  /** family_guards false: guards are left over both families (path_family.h; for comparison in tests). */
  PathEncoder(Encoder& encoder, const graph::ForwardingGraph& graph, bool family_guards = true)
      : enc_(&encoder), graph_(&graph), family_guards_(family_guards) {}

  [[nodiscard]] Encoder& encoder() const { return *enc_; }
  [[nodiscard]] const graph::ForwardingGraph& graph() const { return *graph_; }

  /** The steps of path from header start; forward != nullptr makes it a reply to that path. A
   *  first packet's guards are of its path's family where it has one (path_family.h). */
  EncodedPath encode(const graph::Path& path, const Header& start, const EncodedPath* forward = nullptr);

  /** The header of a reply to the first packet whose delivered header is delivered (defines it). */
  std::pair<Header, Definition> reply_header(const Header& delivered);

  /**
   * The hops of an encoded path under a model, named exactly as trace names them: each filter
   * hop is the first rule (in trace's order) that the model's header matches.
   */
  std::vector<model::Hop> hops(const EncodedPath& path, const z3::model& m);

 private:
  /** next_subnet: the subnet the path enters right after this step's edge, if it does. */
  EncodedStep encode_step(const graph::Step& step, const Header& h, const EncodedPath* forward,
                          std::vector<Definition>& defs, const std::optional<model::Id>& next_subnet);
  Header translated(const Header& h, const std::string& suffix);
  /** An IPv6 h may enter by internet gateway igw_id (trace: enter_from_internet6): its
   *  destination's holder is in a VPC that names the gateway, and it is no reply that an
   *  egress-only gateway of that VPC takes in (forward: the first packet, for replies). */
  z3::expr ipv6_ingress(const model::Id& igw_id, const Header& h, const EncodedPath* forward,
                        std::vector<Definition>& defs);
  /** (public, private) pairs an internet gateway's ingress maps; next_subnet: see encode(). */
  const std::vector<std::pair<Ipv4Address, Ipv4Address>>& ingress_map(
      const model::Id& igw_id, const std::optional<model::Id>& next_subnet);

  Encoder* enc_;
  const graph::ForwardingGraph* graph_;
  // (gateway, subnet or "") -> ingress_map, built once: the VPC's ENIs are walked per gateway, not per path.
  std::map<std::pair<model::Id, model::Id>, std::vector<std::pair<Ipv4Address, Ipv4Address>>> ingress_maps_;
  std::map<model::Id, std::map<Ipv4Address, std::set<model::Id>>> holders_;  // gateway -> address -> subnets
  std::map<model::Id, std::vector<std::pair<Ipv4Address, Ipv4Address>>>
      public_maps_;  // VPC -> (private, public)
  bool family_guards_ = true;
  std::optional<bool> family_;           // the family of the path being encoded, when fixed (path_family.h)
  std::shared_ptr<FamilyGuards> fixed_;  // a first packet's guards fixed to its path's family
};

/** The ENIs whose security groups an encoded first packet crossed (not skipped). */
std::set<model::Id> tracked_interfaces(const EncodedPath& forward);

}  // namespace vpcprove::encoder
