// SPDX-License-Identifier: Apache-2.0
// Security groups, NACLs and route tables as Z3 formulas, built once per context.
#include "encoder/encoder.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace vpcprove::encoder {

using model::Direction;

Encoder::Encoder(z3::context& ctx, const model::Network& network, bool dual_stack)
    : ctx_(&ctx), network_(&network), canon_(Header::make(ctx, "canonical", dual_stack)) {}

z3::expr Encoder::cached(const std::string& key, const Header& h,
                         const std::function<z3::expr(const Header&)>& build) {
  auto t = templates_.find(key);
  if (t == templates_.end()) t = templates_.emplace(key, build(canon_)).first;
  if (h.name == canon_.name) return t->second;
  auto k = std::make_pair(key, h.name);
  auto i = instances_.find(k);
  if (i == instances_.end()) {
    // Both of one kind: an IPv4-only template has no IPv6 variables to stand for.
    if (h.dual_stack != canon_.dual_stack)
      throw std::logic_error("encoder: header " + h.name +
                             " is not of the encoder's kind (dual-stack or not)");
    z3::expr_vector from = canon_.vars();
    z3::expr_vector to = h.vars();
    i = instances_.emplace(k, t->second.substitute(from, to)).first;
  }
  return i->second;
}

z3::expr Encoder::sg_rule(const model::SgRule& rule, const Header& h) const {
  const bool in = rule.direction == Direction::Ingress;
  z3::expr_vector peers(*ctx_);
  for (const auto& p : rule.peer_prefixes) peers.push_back(in_prefix(in ? h.src_ip : h.dst_ip, p));
  const z3::expr v4 = peers.empty() ? ctx_->bool_val(false) : l4_matches(rule.l4, h) && z3::mk_or(peers);
  if (!h.dual_stack) return v4;
  z3::expr_vector peers6(*ctx_);
  for (const auto& p : rule.peer_prefixes6) peers6.push_back(in_prefix6(in ? h.src_ip6 : h.dst_ip6, p));
  const z3::expr v6 = peers6.empty() ? ctx_->bool_val(false) : l4_matches(rule.l4, h) && z3::mk_or(peers6);
  return z3::ite(h.ip6, v6, v4);
}

z3::expr Encoder::security_group(const model::Id& group_id, Direction d, const Header& h) {
  return cached("sg:" + group_id + '/' + to_string(d), h, [&](const Header& c) {
    const auto* g = model::Network::find(network_->security_groups, group_id);
    z3::expr_vector rules(*ctx_);
    if (g) {
      for (const auto& r : d == Direction::Ingress ? g->ingress : g->egress) rules.push_back(sg_rule(r, c));
    }
    return rules.empty() ? ctx_->bool_val(false) : z3::mk_or(rules);
  });
}

z3::expr Encoder::interface_groups(const model::NetworkInterface& eni, Direction d, const Header& h) {
  if (eni.unfiltered) return ctx_->bool_val(true);  // a group-less NLB/GWLB: nothing filters
  z3::expr_vector groups(*ctx_);
  for (const auto& g : eni.security_group_ids) groups.push_back(security_group(g, d, h));
  return groups.empty() ? ctx_->bool_val(false) : z3::mk_or(groups);
}

z3::expr Encoder::nacl_entry(const model::NaclEntry& e, const Header& h) const {
  const bool in = e.direction == Direction::Ingress;
  if (e.cidr6) {
    if (!h.dual_stack) return ctx_->bool_val(false);  // an IPv4 packet
    return h.ip6 && l4_matches(e.l4, h) && in_prefix6(in ? h.src_ip6 : h.dst_ip6, *e.cidr6);
  }
  return ipv4_only(l4_matches(e.l4, h) && in_prefix(in ? h.src_ip : h.dst_ip, e.cidr), h);
}

z3::expr Encoder::nacl(const model::NetworkAcl& acl, Direction d, const Header& h) {
  return cached("acl:" + acl.id + '/' + to_string(d), h, [&](const Header& c) {
    // First match decides: built inside-out from the default deny. Each family has its own
    // entries (model::NetworkAcl::ingress6), so the chain is chosen by the family first.
    const auto chain = [&](const std::vector<model::NaclEntry>& entries) {
      z3::expr result = ctx_->bool_val(false);
      for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        result = z3::ite(nacl_entry(*it, c), ctx_->bool_val(it->allow), result);
      }
      return result;
    };
    const bool ingress = d == Direction::Ingress;
    const z3::expr v4 = chain(ingress ? acl.ingress : acl.egress);
    if (!c.dual_stack) return v4;
    return z3::ite(c.ip6, chain(ingress ? acl.ingress6 : acl.egress6), v4);
  });
}

z3::expr Encoder::route_selected(const model::RouteTable& table, int index, const Header& h) {
  return ipv4_only(selected(table.id, table.routes, index, h), h);
}

z3::expr Encoder::no_route(const model::RouteTable& table, const Header& h) {
  return ipv4_only(none(table.id, table.routes, h), h);
}

z3::expr Encoder::tgw_route_selected(const model::TransitGatewayRouteTable& table, int index,
                                     const Header& h) {
  return ipv4_only(selected(table.id, table.routes, index, h), h);
}

z3::expr Encoder::tgw_no_route(const model::TransitGatewayRouteTable& table, const Header& h) {
  return ipv4_only(none(table.id, table.routes, h), h);
}

z3::expr Encoder::route6_selected(const model::RouteTable& table, int index, const Header& h) {
  return selected6(table.id, table.routes6, index, h);
}

z3::expr Encoder::no_route6(const model::RouteTable& table, const Header& h) {
  return none6(table.id, table.routes6, h);
}

z3::expr Encoder::tgw_route6_selected(const model::TransitGatewayRouteTable& table, int index,
                                      const Header& h) {
  return selected6(table.id, table.routes6, index, h);
}

z3::expr Encoder::tgw_no_route6(const model::TransitGatewayRouteTable& table, const Header& h) {
  return none6(table.id, table.routes6, h);
}

z3::expr Encoder::selected6(const model::Id& table_id, const std::vector<model::Route>& routes6, int index,
                            const Header& h) {
  if (!h.dual_stack) return ctx_->bool_val(false);
  return cached("rtb6:" + table_id + '#' + std::to_string(index), h, [&](const Header& c) {
    const auto& mine = *routes6[static_cast<std::size_t>(index)].destination6;
    z3::expr_vector parts(*ctx_);
    parts.push_back(c.ip6);
    parts.push_back(in_prefix6(c.dst_ip6, mine));
    for (int j = 0; j < index; ++j) {
      const auto& other = *routes6[static_cast<std::size_t>(j)].destination6;
      if (mine.contains(other) || other.contains(mine)) parts.push_back(!in_prefix6(c.dst_ip6, other));
    }
    return z3::mk_and(parts);
  });
}

z3::expr Encoder::none6(const model::Id& table_id, const std::vector<model::Route>& routes6,
                        const Header& h) {
  if (!h.dual_stack) return ctx_->bool_val(false);
  return cached("rtb6:" + table_id + "#none", h, [&](const Header& c) {
    z3::expr_vector any(*ctx_);
    for (const auto& r : routes6) any.push_back(in_prefix6(c.dst_ip6, *r.destination6));
    return any.empty() ? c.ip6 : c.ip6 && !z3::mk_or(any);
  });
}

// Route tables and TGW route tables have distinct IDs (rtb-…, tgw-rtb-…), so one cache serves both.
z3::expr Encoder::selected(const model::Id& table_id, const std::vector<model::Route>& routes, int index,
                           const Header& h) {
  return cached("rtb:" + table_id + '#' + std::to_string(index), h, [&](const Header& c) {
    const auto& mine = routes[static_cast<std::size_t>(index)].destination;
    z3::expr_vector parts(*ctx_);
    parts.push_back(in_prefix(c.dst_ip, mine));
    for (int j = 0; j < index; ++j) {
      const auto& other = routes[static_cast<std::size_t>(j)].destination;
      // A disjoint earlier route can never shadow this one; leave it out of the formula.
      if (mine.contains(other) || other.contains(mine)) parts.push_back(!in_prefix(c.dst_ip, other));
    }
    return z3::mk_and(parts);
  });
}

z3::expr Encoder::none(const model::Id& table_id, const std::vector<model::Route>& routes, const Header& h) {
  return cached("rtb:" + table_id + "#none", h, [&](const Header& c) {
    z3::expr_vector any(*ctx_);
    for (const auto& r : routes) any.push_back(in_prefix(c.dst_ip, r.destination));
    return any.empty() ? ctx_->bool_val(true) : !z3::mk_or(any);
  });
}

z3::expr Encoder::owns(const model::NetworkInterface& eni, const z3::expr& ip) const {
  z3::expr_vector v(*ctx_);
  for (const auto& p : eni.private_ips) v.push_back(ip == ctx_->bv_val(p.address, 32));
  return v.empty() ? ctx_->bool_val(false) : z3::mk_or(v);
}

z3::expr Encoder::owns6(const model::NetworkInterface& eni, const z3::expr& ip6) const {
  z3::expr_vector v(*ctx_);
  for (const auto& a : eni.ipv6_addresses) v.push_back(ip6 == ipv6_value(*ctx_, a));
  for (const auto& p : eni.ipv6_delegated_prefixes) v.push_back(in_prefix6(ip6, p));
  return v.empty() ? ctx_->bool_val(false) : z3::mk_or(v);
}

z3::expr Encoder::owns_dst(const model::NetworkInterface& eni, const Header& h) const {
  if (!h.dual_stack) return owns(eni, h.dst_ip);
  return z3::ite(h.ip6, owns6(eni, h.dst_ip6), owns(eni, h.dst_ip));
}

z3::expr Encoder::delivered_to(const model::NetworkInterface& eni, const Header& h) const {
  if (!h.dual_stack) return owns(eni, h.dst_ip);
  const auto* subnet = model::Network::find(network_->subnets, eni.subnet_id);
  z3::expr_vector in(*ctx_);
  if (subnet) {
    for (const auto& p : subnet->ipv6_cidrs) in.push_back(in_prefix6(h.dst_ip6, p));
  }
  const z3::expr in_subnet = in.empty() ? ctx_->bool_val(false) : z3::mk_or(in);
  return z3::ite(h.ip6, owns6(eni, h.dst_ip6) && in_subnet, owns(eni, h.dst_ip));
}

z3::expr Encoder::vpc_contains6(const model::Id& vpc_id, const z3::expr& ip6) const {
  const auto* vpc = model::Network::find(network_->vpcs, vpc_id);
  z3::expr_vector v(*ctx_);
  if (vpc) {
    for (const auto& p : vpc->ipv6_cidrs) v.push_back(in_prefix6(ip6, p));
  }
  return v.empty() ? ctx_->bool_val(false) : z3::mk_or(v);
}

const Encoder::Ipv6Owners& Encoder::ipv6_owners() {
  if (ipv6_owners_) return *ipv6_owners_;
  // As Network::index: an address's holder is the first ENI in ID order that lists it; a
  // delegated prefix answers only for addresses no ENI lists, the first in ENI ID order.
  auto owners = std::make_shared<Ipv6Owners>();
  for (const auto& [id, eni] : network_->network_interfaces) {
    for (const auto& a : eni.ipv6_addresses) owners->holders.emplace_back(a, &eni);
    for (const auto& p : eni.ipv6_delegated_prefixes) owners->delegated.emplace_back(p, &eni);
  }
  // Stable: among equal addresses the first in ID order stays first, and unique keeps it.
  std::stable_sort(owners->holders.begin(), owners->holders.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  owners->holders.erase(std::unique(owners->holders.begin(), owners->holders.end(),
                                    [](const auto& a, const auto& b) { return a.first == b.first; }),
                        owners->holders.end());
  for (const auto& [a, x] : owners->holders) owners->by_vpc[x->vpc_id].push_back(a);
  owners->addresses = ipv6_held().addresses;
  owners->prefixes = ipv6_held().prefixes;
  ipv6_owners_ = std::move(owners);
  return *ipv6_owners_;
}

const Encoder::Ipv6Held& Encoder::ipv6_held() {
  if (ipv6_held_) return *ipv6_held_;
  // Plain addresses sort in a few milliseconds at 100k ENIs; holders and their VPCs (ipv6_owners)
  // took about 35 ms more, for a guard that seldom needs them.
  std::vector<Ipv6Address> addresses;
  std::vector<Ipv6Prefix> prefixes;
  for (const auto& [id, eni] : network_->network_interfaces) {
    addresses.insert(addresses.end(), eni.ipv6_addresses.begin(), eni.ipv6_addresses.end());
    prefixes.insert(prefixes.end(), eni.ipv6_delegated_prefixes.begin(), eni.ipv6_delegated_prefixes.end());
  }
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  ipv6_held_ = Ipv6Held{std::make_shared<const std::vector<Ipv6Address>>(std::move(addresses)),
                        std::make_shared<const std::vector<Ipv6Prefix>>(std::move(prefixes))};
  return *ipv6_held_;
}

z3::expr Encoder::ipv6_owner(const model::Id& vpc_id, const Header& h) {
  if (!h.dual_stack) return ctx_->bool_val(false);
  return cached("ipv6-owner:" + vpc_id, h, [&](const Header& c) {
    const auto& owners = ipv6_owners();
    const auto& holders = owners.holders;
    auto mine = [&](const model::NetworkInterface* x) { return vpc_id.empty() || x->vpc_id == vpc_id; };
    z3::expr_vector any(*ctx_);
    const auto by_vpc = owners.by_vpc.find(vpc_id);
    const std::vector<Ipv6Address>* held = vpc_id.empty()                  ? owners.addresses.get()
                                           : by_vpc != owners.by_vpc.end() ? &by_vpc->second
                                                                           : nullptr;
    if (held && held->size() >= kIpv6AddressTrieFrom) {
      any.push_back(in_address_set(c.dst_ip6, *held));
    } else if (held) {
      // A few: one equality each, the formula Z3 was given before the trie.
      for (const auto& a : *held) any.push_back(c.dst_ip6 == ipv6_value(*ctx_, a));
    }
    for (std::size_t k = 0; k < owners.delegated.size(); ++k) {
      const auto& [p, x] = owners.delegated[k];
      if (!mine(x)) continue;
      z3::expr_vector parts(*ctx_);
      parts.push_back(in_prefix6(c.dst_ip6, p));
      for (std::size_t j = 0; j < k; ++j) {
        const auto& q = owners.delegated[j].first;
        if (q.contains(p) || p.contains(q)) parts.push_back(!in_prefix6(c.dst_ip6, q));
      }
      // The addresses an ENI lists inside p are their holders', not p's.
      std::vector<Ipv6Address> inside;
      auto it = std::lower_bound(holders.begin(), holders.end(), p.addr,
                                 [](const auto& e, const Ipv6Address& a) { return e.first < a; });
      for (; it != holders.end() && p.contains(it->first); ++it) inside.push_back(it->first);
      if (inside.size() >= kIpv6AddressTrieFrom) {
        parts.push_back(!in_address_set(c.dst_ip6, inside));
      } else {
        for (const auto& a : inside) parts.push_back(c.dst_ip6 != ipv6_value(*ctx_, a));
      }
      any.push_back(z3::mk_and(parts));
    }
    return any.empty() ? ctx_->bool_val(false) : z3::mk_or(any);
  });
}

z3::expr Encoder::internet_address(const z3::expr& ip) const {
  // The contract's "internet": globally routable space, VPC CIDRs included (where a packet to
  // one goes is for the route tables to say).
  return is_internet(ip);
}

const std::shared_ptr<const std::vector<Ipv4Address>>& Encoder::snapshot_public_addresses() {
  if (snapshot_public_) return snapshot_public_;
  std::vector<Ipv4Address> all;
  for (const auto& [id, eni] : network_->network_interfaces) {
    for (const auto& p : eni.private_ips) {
      if (p.public_ip) all.push_back(*p.public_ip);
    }
  }
  for (const auto& [id, nat] : network_->nat_gateways) {
    if (nat.public_ip) all.push_back(*nat.public_ip);
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  snapshot_public_ = std::make_shared<const std::vector<Ipv4Address>>(std::move(all));
  return snapshot_public_;
}

z3::expr Encoder::snapshot_public(const Header& h) {
  // Built once over the canonical header and substituted per header: at 100k ENIs collecting
  // and building it took ~20 ms per path encoded.
  return cached("snapshot-public", h, [&](const Header& c) {
    const auto& all = *snapshot_public_addresses();
    // Many addresses: a trie, not one equality per address (at 10k ENIs a reach to the internet
    // spent most of its solving bit-blasting 4,300 equalities). A few: one equality each, as
    // before, so Z3 keeps choosing the same witnesses on small networks (the examples' outputs).
    if (all.size() >= kSnapshotPublicTrieFrom) return in_address_set(c.dst_ip, all);
    z3::expr_vector v(*ctx_);
    for (Ipv4Address a : all) v.push_back(c.dst_ip == ctx_->bv_val(a, 32));
    return v.empty() ? ctx_->bool_val(false) : z3::mk_or(v);
  });
}

}  // namespace vpcprove::encoder
