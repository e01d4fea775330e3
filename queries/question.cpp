// SPDX-License-Identifier: Apache-2.0
#include "queries/question.h"

#include <algorithm>

#include "common/diagnostics.h"
#include "encoder/path_encoding.h"
#include "queries/header_space.h"

namespace vpcprove::queries {

using model::Id;

const std::vector<std::vector<Id>>& EachEniAlone::groups(const std::vector<Id>& enis, bool) {
  auto& out = made_.emplace_back();
  for (const auto& id : enis) out.push_back({id});
  return out;
}

namespace {

/** Fills out; grouping may be out.alone (which must then outlive the groups: it does, in out). */
void fill(Question& out, const graph::ForwardingGraph& g, const ReachQuery& q, EniGrouping& grouping) {
  const auto& n = g.network();
  EniGrouping& by = q.semantics == Semantics::Packet ? grouping : out.alone;
  auto add_sources = [&](const std::vector<Id>& ids, const std::optional<Ipv4Prefix>& within,
                         const std::optional<Ipv6Prefix>& within6 = std::nullopt) {
    std::vector<Id> with_addresses;
    for (const auto& id : ids) {
      const auto* e = model::Network::find(n.network_interfaces, id);
      if (e && (!e->private_ips.empty() || e->has_ipv6())) with_addresses.push_back(id);
    }
    for (const auto& members : by.groups(with_addresses, false)) {
      const Id& first = members.front();
      out.sources.push_back(
          {g.start(first), first, trace::Start::interface(first), &members, within, within6});
    }
  };
  auto add_internet_source = [&](const std::optional<Ipv4Prefix>& within,
                                 const std::optional<Ipv6Prefix>& within6 = std::nullopt) {
    out.sources.push_back({g.internet(), "internet", trace::Start::internet(), nullptr, within, within6});
  };
  if (q.from.gateway_endpoint) {
    // Its service answers connections from the VPC and starts none (trace: packet_choice).
    throw InputError(
        "", q.from.text,
        "a gateway endpoint's service starts no connection into the VPC; ask --to " + q.from.text);
  }
  if (q.from.internet) {
    add_internet_source(std::nullopt);
  } else if (q.from.cidr) {
    std::vector<Id> inside;
    for (const auto* e : model::interfaces_with_address_in(n, *q.from.cidr)) inside.push_back(e->id);
    add_sources(inside, q.from.cidr);
    add_internet_source(q.from.cidr);
  } else if (q.from.cidr6) {
    std::vector<Id> inside;
    for (const auto* e : model::interfaces_with_address_in6(n, *q.from.cidr6)) inside.push_back(e->id);
    add_sources(inside, std::nullopt, q.from.cidr6);
    add_internet_source(std::nullopt, q.from.cidr6);
  } else {
    add_sources(q.from.interfaces, std::nullopt);
  }

  auto add_targets = [&](const std::vector<Id>& ids) {
    std::vector<Id> known;
    for (const auto& id : ids) {
      if (n.network_interfaces.count(id)) known.push_back(id);
    }
    if (by.each_alone()) {  // a CIDR destination is every ENI: 100k one-ENI groups for nothing
      for (const auto& id : known) out.targets.insert(g.delivered(id));
      return;
    }
    for (const auto& members : by.groups(known, true)) {
      const auto v = g.delivered(members.front());
      out.targets.insert(v);
      if (members.size() > 1) out.target_members[v] = &members;
    }
  };
  // What gateway endpoints hand to their services, where a service address is in the CIDR.
  auto add_endpoints_in = [&](const Ipv4Prefix& cidr) {
    for (const auto& [id, e] : n.gateway_endpoints) {
      const bool meets =
          std::any_of(e.service_cidrs.begin(), e.service_cidrs.end(),
                      [&](const Ipv4Prefix& s) { return s.contains(cidr) || cidr.contains(s); });
      if (meets) out.targets.insert(g.gateway_endpoint(id));
    }
  };
  if (q.to.gateway_endpoint) {
    out.targets.insert(g.gateway_endpoint(*q.to.gateway_endpoint));
  } else if (q.to.internet) {
    out.targets.insert(g.exits_internet());
  } else if (q.to.cidr) {
    out.targets.insert(g.exits_internet());
    add_endpoints_in(*q.to.cidr);
    // The AWS services an ENI reaches unfiltered, those with an address in the CIDR (the header
    // space keeps dst in it; a service outside it would only add blocked paths to the reasons).
    for (std::size_t k = 0; k < g.aws_services().size(); ++k) {
      if (n.aws_service_in(*q.to.cidr, model::kAwsServices[k])) out.targets.insert(g.aws_services()[k]);
    }
    std::vector<Id> all;
    all.reserve(n.network_interfaces.size());
    for (const auto& [id, e] : n.network_interfaces) all.push_back(id);
    add_targets(all);
  } else if (q.to.cidr6) {
    // No AWS service answers an IPv6 address here (their fd00:ec2:: addresses are not modelled).
    out.targets.insert(g.exits_internet());
    std::vector<Id> all;
    all.reserve(n.network_interfaces.size());
    for (const auto& [id, e] : n.network_interfaces) all.push_back(id);
    add_targets(all);
  } else {
    add_targets(q.to.interfaces);
  }
}

}  // namespace

Question resolve(const graph::ForwardingGraph& g, const ReachQuery& q, EniGrouping& grouping) {
  Question out;
  fill(out, g, q, grouping);
  return out;
}

Question resolve_each_eni_alone(const graph::ForwardingGraph& g, const ReachQuery& q) {
  Question out;
  fill(out, g, q, out.alone);
  return out;
}

z3::expr source_address(encoder::Encoder& enc, const encoder::Header& h, const model::Network& n,
                        const QuestionSource& src) {
  // An ENI sends from its own addresses of the packet's family; the internet from internet
  // addresses (IPv6: 2000::/3, trace's bogon check).
  auto owned_address = [&] {
    z3::expr_vector owned(enc.ctx());
    for (const auto& id : *src.owned_by) {
      const auto& x = n.network_interfaces.at(id);
      owned.push_back(h.dual_stack ? z3::ite(h.ip6, enc.owns6(x, h.src_ip6), enc.owns(x, h.src_ip))
                                   : enc.owns(x, h.src_ip));
    }
    return z3::mk_or(owned);
  };
  const z3::expr internet =
      h.dual_stack ? z3::ite(h.ip6, encoder::is_internet6(h.src_ip6), enc.internet_address(h.src_ip))
                   : enc.internet_address(h.src_ip);
  z3::expr k = src.owned_by ? owned_address() : internet;
  if (src.within) k = k && encoder::Encoder::ipv4_only(encoder::in_prefix(h.src_ip, *src.within), h);
  if (src.within6)
    k = k &&
        (h.dual_stack ? h.ip6 && encoder::in_prefix6(h.src_ip6, *src.within6) : enc.ctx().bool_val(false));
  return k;
}

z3::expr addressed_to(encoder::Encoder& enc, const encoder::Header& h, const model::Network& n,
                      const ReachQuery& q) {
  auto& c = enc.ctx();
  if (q.to.internet || q.to.cidr || q.to.cidr6 || q.to.gateway_endpoint) return c.bool_val(true);
  z3::expr_vector addr(c);
  for (const auto& id : q.to.interfaces) {
    const auto* e = model::Network::find(n.network_interfaces, id);
    if (!e) continue;
    for (const auto& p : e->private_ips) {
      addr.push_back(encoder::Encoder::ipv4_only(h.dst_ip == c.bv_val(p.address, 32), h));
      if (p.public_ip) addr.push_back(encoder::Encoder::ipv4_only(h.dst_ip == c.bv_val(*p.public_ip, 32), h));
    }
    if (h.dual_stack && e->has_ipv6()) addr.push_back(h.ip6 && enc.owns6(*e, h.dst_ip6));
  }
  return addr.empty() ? c.bool_val(false) : z3::mk_or(addr);
}

WayEnds way_ends(const graph::ForwardingGraph& g) {
  WayEnds out;
  for (auto [it, end] = boost::vertices(g.graph()); it != end; ++it) {
    const auto k = g.vertex(*it).kind;
    if (k == graph::VertexKind::Dropped) out.drops.insert(*it);
    if (k == graph::VertexKind::ExitsUnmodelled) out.leaves.insert(*it);
  }
  return out;
}

EncodedQuestion encode_each_eni_alone(const model::Network& n, const graph::ForwardingGraph& g,
                                      encoder::Encoder& enc, const encoder::Header& h, const ReachQuery& q) {
  EncodedQuestion out{resolve_each_eni_alone(g, q),
                      encoder::well_formed(h) && encode_header_space(enc, h, q),
                      {},
                      addressed_to(enc, h, n, q),
                      way_ends(g)};
  for (const auto& src : out.question.sources) out.source_address.push_back(source_address(enc, h, n, src));
  return out;
}

}  // namespace vpcprove::queries
