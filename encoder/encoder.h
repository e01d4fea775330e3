// SPDX-License-Identifier: Apache-2.0
// The network's filters and route tables as cached Z3 formulas over a header.
#pragma once

#include <z3++.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/hash.h"
#include "encoder/header.h"
#include "model/network.h"

namespace vpcprove::encoder {

/**
 * Encodes the model's rule sets and route tables. Each one is built ONCE per context, as a
 * template over a canonical header, and instantiated for other headers by substitution
 * (cached per header name), so every query and path that crosses a component shares it.
 * Not thread-safe: one Encoder per z3::context per thread. The network must outlive it.
 *
 * A dual-stack encoder (dual_stack true) builds every formula over dual-stack headers
 * (Header::ip6, src_ip6, dst_ip6): filters match each family by its own rules and entries, the
 * IPv4 route tables guard on an IPv4 packet and route6_selected/no_route6 give the IPv6 ones.
 * Its headers come from header(); an IPv4-only encoder (the default) builds exactly the IPv4
 * formulas.
 */
class Encoder {
 public:
  Encoder(z3::context& ctx, const model::Network& network, bool dual_stack = false);

  [[nodiscard]] z3::context& ctx() const { return *ctx_; }
  [[nodiscard]] const model::Network& network() const { return *network_; }
  [[nodiscard]] bool dual_stack() const { return canon_.dual_stack; }
  /** A header of this encoder's kind named name. */
  [[nodiscard]] Header header(const std::string& name) const {
    return Header::make(*ctx_, name, dual_stack());
  }
  /** formula, and over a dual-stack header also "h is an IPv4 packet"; over an IPv4-only header
   *  formula itself, unchanged (no "true" conjunct: IPv4-only formulas stay those of before). */
  [[nodiscard]] static z3::expr ipv4_only(const z3::expr& formula, const Header& h) {
    return h.dual_stack ? !h.ip6 && formula : formula;
  }

  /** One SG rule: L4 match and the peer (src for ingress, dst for egress) in a peer prefix. */
  [[nodiscard]] z3::expr sg_rule(const model::SgRule& rule, const Header& h) const;
  /** The union of the rules of one group in one direction (false for an unknown group). */
  z3::expr security_group(const model::Id& group_id, model::Direction d, const Header& h);
  /** The union over all groups of eni (false when it has none): docs/semantics.md "Security groups". */
  z3::expr interface_groups(const model::NetworkInterface& eni, model::Direction d, const Header& h);
  /** One NACL entry's match (L4 and the peer in its CIDR), regardless of allow/deny. */
  [[nodiscard]] z3::expr nacl_entry(const model::NaclEntry& entry, const Header& h) const;
  /** The NACL allows h in direction d: ordered first match, default deny. */
  z3::expr nacl(const model::NetworkAcl& acl, model::Direction d, const Header& h);
  /** Route index of table is the route used for h.dst_ip: it matches and no earlier route does. */
  z3::expr route_selected(const model::RouteTable& table, int index, const Header& h);
  /** No route of table contains h.dst_ip. */
  z3::expr no_route(const model::RouteTable& table, const Header& h);
  /** IPv6 route index of table (routes6) is the route used for an IPv6 h (dual-stack headers). */
  z3::expr route6_selected(const model::RouteTable& table, int index, const Header& h);
  /** h is IPv6 and no IPv6 route of table contains h.dst_ip6. */
  z3::expr no_route6(const model::RouteTable& table, const Header& h);
  /** Route index of a transit gateway route table is the one used for h.dst_ip (as route_selected). */
  z3::expr tgw_route_selected(const model::TransitGatewayRouteTable& table, int index, const Header& h);
  /** No route of a transit gateway route table contains h.dst_ip. */
  z3::expr tgw_no_route(const model::TransitGatewayRouteTable& table, const Header& h);
  /** IPv6 route index of a transit gateway route table is the one used for an IPv6 h. */
  z3::expr tgw_route6_selected(const model::TransitGatewayRouteTable& table, int index, const Header& h);
  /** h is IPv6 and no IPv6 route of a transit gateway route table contains h.dst_ip6. */
  z3::expr tgw_no_route6(const model::TransitGatewayRouteTable& table, const Header& h);
  /** ip is one of eni's private IPs. */
  [[nodiscard]] z3::expr owns(const model::NetworkInterface& eni, const z3::expr& ip) const;
  /** A 128-bit ip is one of eni's IPv6 addresses or in a delegated IPv6 prefix of it. */
  [[nodiscard]] z3::expr owns6(const model::NetworkInterface& eni, const z3::expr& ip6) const;
  /** h's destination is an address of eni in h's family (owns, or owns6 over a dual-stack h). */
  [[nodiscard]] z3::expr owns_dst(const model::NetworkInterface& eni, const Header& h) const;
  /** Local delivery hands h to eni (trace: local_delivery): owns_dst, and for IPv6 also the
   *  destination in a block of eni's subnet (the subnet trace delivers in holds it). */
  [[nodiscard]] z3::expr delivered_to(const model::NetworkInterface& eni, const Header& h) const;
  /** A 128-bit ip is in one of vpc_id's IPv6 CIDR blocks. */
  [[nodiscard]] z3::expr vpc_contains6(const model::Id& vpc_id, const z3::expr& ip6) const;
  /** Network::interface_with_ipv6(h.dst_ip6) is an ENI of vpc_id (any ENI for vpc_id ""): the
   *  address's own holder first, else the first delegated prefix in ENI ID order. Over a
   *  dual-stack h only (false otherwise); says nothing of h.ip6. */
  z3::expr ipv6_owner(const model::Id& vpc_id, const Header& h);
  /** From this many IPv6 addresses ipv6_owner holds them as a trie (in_address_set); below, one
   *  128-bit equality each, so small networks keep the formulas (and Z3's witnesses) of before. */
  static constexpr std::size_t kIpv6AddressTrieFrom = 64;
  /** Every ENI's IPv6 addresses and delegated prefixes, as Network::interface_with_ipv6 reads them. */
  struct Ipv6Owners {
    /** Ascending by address, each with its holder (the first ENI in ID order that lists it). */
    std::vector<std::pair<Ipv6Address, const model::NetworkInterface*>> holders;
    /** The addresses of holders, ascending (OutsideAddresses::Ipv6Half). */
    std::shared_ptr<const std::vector<Ipv6Address>> addresses;
    /** The addresses of holders by the holder's VPC, ascending. */
    std::unordered_map<model::Id, std::vector<Ipv6Address>> by_vpc;
    /** Delegated prefixes in ENI ID order. */
    std::vector<std::pair<Ipv6Prefix, const model::NetworkInterface*>> delegated;
    /** The prefixes of delegated, in the same order. */
    std::shared_ptr<const std::vector<Ipv6Prefix>> prefixes;
  };
  /** Collected once per encoder: at 100k ENIs a scan per VPC asked would cost more than the formula. */
  const Ipv6Owners& ipv6_owners();
  /** Ipv6Owners' addresses and prefixes alone, read off the network's index without sorting:
   *  "the destination is no address of the snapshot" (OutsideAddresses) needs no holder. */
  struct Ipv6Held {
    std::shared_ptr<const std::vector<Ipv6Address>> addresses;
    std::shared_ptr<const std::vector<Ipv6Prefix>> prefixes;
  };
  const Ipv6Held& ipv6_held();
  /** Network::is_internet_address(ip). */
  [[nodiscard]] z3::expr internet_address(const z3::expr& ip) const;
  /** From this many public IPs snapshot_public is a trie (in_address_set), and the path encoder
   *  lets solvers take "not one of them" a run at a time (OutsideAddresses); below, one equality
   *  each, asserted whole, so small networks keep Z3's choices of before. */
  static constexpr std::size_t kSnapshotPublicTrieFrom = 256;
  /** h.dst_ip is the public IP of some ENI or NAT gateway of the snapshot. */
  z3::expr snapshot_public(const Header& h);
  /** The public IPs of snapshot_public, ascending, collected once. */
  const std::shared_ptr<const std::vector<Ipv4Address>>& snapshot_public_addresses();

 private:
  z3::expr selected(const model::Id& table_id, const std::vector<model::Route>& routes, int index,
                    const Header& h);
  z3::expr none(const model::Id& table_id, const std::vector<model::Route>& routes, const Header& h);
  z3::expr selected6(const model::Id& table_id, const std::vector<model::Route>& routes6, int index,
                     const Header& h);
  z3::expr none6(const model::Id& table_id, const std::vector<model::Route>& routes6, const Header& h);
  z3::expr cached(const std::string& key, const Header& h,
                  const std::function<z3::expr(const Header&)>& build);

  z3::context* ctx_;
  const model::Network* network_;
  Header canon_;
  std::unordered_map<std::string, z3::expr> templates_;
  std::shared_ptr<const std::vector<Ipv4Address>> snapshot_public_;
  std::shared_ptr<const Ipv6Owners> ipv6_owners_;
  std::optional<Ipv6Held> ipv6_held_;
  // Hashed: at 100k ENIs a path looks up thousands of components by long, alike IDs.
  std::unordered_map<std::pair<std::string, std::string>, z3::expr, StringPairHash> instances_;
};

}  // namespace vpcprove::encoder
