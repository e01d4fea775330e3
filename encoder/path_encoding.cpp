// SPDX-License-Identifier: Apache-2.0
// Paths as guarded constraints, and the hops of a witness named as trace names them.
#include "encoder/path_encoding.h"

#include <algorithm>
#include <optional>
#include <set>

#include "encoder/path_family.h"
#include "model/describe.h"
#include "model/hop_step.h"

namespace vpcprove::encoder {

using graph::StepKind;
using model::Direction;
using model::Id;

namespace {

std::string join_groups(const model::NetworkInterface& eni) {
  if (eni.security_group_ids.empty()) return eni.id + "/no-groups";
  std::string s;
  for (const auto& g : eni.security_group_ids) s += (s.empty() ? "" : "+") + g;
  return s;
}

/** Private -> public pairs an IGW of vpc_id applies to a source (trace's public_source, ENI part). */
std::vector<std::pair<Ipv4Address, Ipv4Address>> public_map(const model::Network& n, const Id& vpc_id) {
  std::vector<std::pair<Ipv4Address, Ipv4Address>> out;
  for (const auto* eni : n.interfaces_in(vpc_id)) {
    for (const auto& p : eni->private_ips) {
      // interface_owning picks one owner per (vpc, address): respect it.
      if (p.public_ip && n.interface_owning(vpc_id, p.address) == eni)
        out.emplace_back(p.address, *p.public_ip);
    }
  }
  return out;
}

/** The IPv6 part of after is that of before (IPv4 translations leave it alone). */
z3::expr same_ipv6_part(const Header& after, const Header& before) {
  if (!after.dual_stack) return after.src_ip.ctx().bool_val(true);
  return after.ip6 == before.ip6 && after.src_ip6 == before.src_ip6 && after.dst_ip6 == before.dst_ip6;
}

/** Steps only IPv4 packets pass: a NAT gateway's replies (NAT64's too are IPv4 there), the AWS
 *  services' IPv4 addresses, an IGW's edge to a NAT's public IP. */
bool ipv4_only_step(const graph::Step& step) {
  switch (step.kind) {
    case StepKind::NatAddressed:
    case StepKind::NatReverse:
    case StepKind::AwsService:
    case StepKind::VpceSource:
    case StepKind::VpceService:
    case StepKind::NotVpceSource:
    case StepKind::NotVpceService:
      return true;
    case StepKind::IgwIngress:
      return !step.aux.empty();
    default:
      return false;
  }
}

/** family4 over an IPv4-only header; over a dual-stack one, family6 for IPv6 packets. */
z3::expr by_family(const Header& h, const z3::expr& family4, const z3::expr& family6) {
  return h.dual_stack ? z3::ite(h.ip6, family6, family4) : family4;
}

}  // namespace

std::set<Id> tracked_interfaces(const EncodedPath& forward) {
  std::set<Id> out;
  for (const auto& s : forward.steps) {
    if ((s.step->kind == StepKind::SgEgress || s.step->kind == StepKind::SgIngress) && !s.skipped)
      out.insert(s.step->id);
  }
  return out;
}

Header PathEncoder::translated(const Header& h, const std::string& suffix) {
  return h.like(h.name + '/' + suffix);
}

std::pair<Header, Definition> PathEncoder::reply_header(const Header& delivered) {
  Header r = delivered.like("reply(" + delivered.name + ")");
  return {r, Definition{r.name, is_reply_to(r, delivered)}};
}

EncodedPath PathEncoder::encode(const graph::Path& path, const Header& start, const EncodedPath* forward) {
  EncodedPath out{{}, {}, start, start};
  Header h = start;
  family_ = family_guards_ && !forward ? path_family(*graph_, path, start.dual_stack) : std::nullopt;
  const auto& g = graph_->graph();
  for (std::size_t k = 0; k < path.edges.size(); ++k) {
    // Into a VPC by its local route, the gateway's next stop is one subnet (graph: IgwIn ->
    // SubnetIn -> Delivered, whose owns-dst names an ENI of that subnet).
    std::optional<Id> next_subnet;
    if (k + 1 < path.edges.size()) {
      const auto& next = g[boost::target(path.edges[k + 1], g)];
      if (next.kind == graph::VertexKind::SubnetIn) next_subnet = next.id;
    }
    for (const auto& step : g[path.edges[k]].steps) {
      out.steps.push_back(encode_step(step, h, forward, out.definitions, next_subnet));
      h = out.steps.back().after;
    }
  }
  out.end = h;
  if (family_) {
    if (!fixed_) fixed_ = std::make_shared<FamilyGuards>();
    fixed_->fix(out, *family_);
  }
  return out;
}

const std::vector<std::pair<Ipv4Address, Ipv4Address>>& PathEncoder::ingress_map(
    const Id& igw_id, const std::optional<Id>& next_subnet) {
  if (next_subnet) {
    if (auto done = ingress_maps_.find({igw_id, *next_subnet}); done != ingress_maps_.end())
      return done->second;
  }
  auto [whole, first_time] = ingress_maps_.try_emplace({igw_id, Id{}});
  if (first_time) {
    // trace: the ENI owning the public IP (not a NAT's), in a VPC whose gateway is this one.
    const auto& n = enc_->network();
    auto& holders = holders_[igw_id];
    for (const auto& [vpc_id, vpc] : n.vpcs) {
      if (vpc.internet_gateway_id != igw_id) continue;
      for (const auto* x : n.interfaces_in(vpc_id)) {
        for (const auto& p : x->private_ips) holders[p.address].insert(x->subnet_id);
        for (const auto& p : x->private_ips) {
          if (!p.public_ip || n.nat_gateway_with_public_ip(*p.public_ip)) continue;
          if (n.interface_with_public_ip(*p.public_ip) != x) continue;
          Ipv4Address priv = 0;  // trace keeps the last private IP mapped to it
          for (const auto& q : x->private_ips) {
            if (q.public_ip == p.public_ip) priv = q.address;
          }
          whole->second.emplace_back(*p.public_ip, priv);
        }
      }
    }
  }
  if (!next_subnet) return whole->second;
  // When the path goes on into one subnet, a public IP whose private address no ENI of that
  // subnet holds fails the owns-dst ahead anyway: leaving it out keeps each check the size of
  // the subnet, not of the VPC (hundreds of public IPs at 100k ENIs).
  auto& out = ingress_maps_[{igw_id, *next_subnet}];
  const auto& holders = holders_[igw_id];
  for (const auto& [pub, priv] : whole->second) {
    const auto h = holders.find(priv);
    if (h != holders.end() && h->second.count(*next_subnet)) out.emplace_back(pub, priv);
  }
  return out;
}

z3::expr PathEncoder::ipv6_ingress(const Id& igw_id, const Header& h, const EncodedPath* forward,
                                   std::vector<Definition>& defs) {
  const auto& n = enc_->network();
  auto& c = enc_->ctx();
  z3::expr_vector in(c);
  for (const auto& [vpc_id, vpc] : n.vpcs) {
    if (vpc.internet_gateway_id != igw_id) continue;
    z3::expr e = enc_->ipv6_owner(vpc_id, h);
    if (forward) {
      for (const auto& f : forward->steps) {
        if (f.step->kind != StepKind::EigwEgress ||
            n.egress_only_internet_gateways.at(f.step->id).vpc_id != vpc_id)
          continue;
        Header expect = f.before.like("reply(" + f.before.name + ")");
        defs.push_back({expect.name, is_reply_to(expect, f.before)});
        e = e && !h.equals(expect);
      }
    }
    in.push_back(e);
  }
  return in.empty() ? c.bool_val(false) : z3::mk_or(in);
}

EncodedStep PathEncoder::encode_step(const graph::Step& step, const Header& h, const EncodedPath* forward,
                                     std::vector<Definition>& defs, const std::optional<Id>& next_subnet) {
  const auto& n = enc_->network();
  auto& c = enc_->ctx();
  EncodedStep s{&step, "", c.bool_val(true), h, h, false, std::nullopt};
  auto eni = [&](const Id& id) -> const model::NetworkInterface& { return n.network_interfaces.at(id); };
  const std::string at = h.name == "h" ? std::string() : " @" + h.name;
  switch (step.kind) {
    case StepKind::SgEgress:
    case StepKind::SgIngress: {
      const auto d = step.kind == StepKind::SgEgress ? Direction::Egress : Direction::Ingress;
      if (forward && tracked_interfaces(*forward).count(step.id)) {
        s.skipped = true;
        break;
      }
      s.literal = join_groups(eni(step.id)) + '/' + to_string(d) + at;
      s.guard = enc_->interface_groups(eni(step.id), d, h);
      break;
    }
    case StepKind::NaclEgress:
    case StepKind::NaclIngress: {
      const auto d = step.kind == StepKind::NaclEgress ? Direction::Egress : Direction::Ingress;
      const auto* subnet = model::Network::find(n.subnets, step.id);
      const auto* acl = subnet ? model::Network::find(n.network_acls, subnet->nacl_id) : nullptr;
      if (!acl) break;  // trace allows when a subnet has no NACL (never hide a path)
      s.literal = acl->id + '/' + to_string(d) + at;
      s.guard = enc_->nacl(*acl, d, h);
      break;
    }
    case StepKind::Route: {
      const auto& table = n.route_tables.at(step.id);
      const auto& route = table.routes[static_cast<std::size_t>(step.index)];
      s.literal = route.label(table.id) + '#' + std::to_string(step.index) + at;
      s.guard = enc_->route_selected(table, step.index, h);
      break;
    }
    case StepKind::Route6: {
      const auto& table = n.route_tables.at(step.id);
      const auto& route = table.routes6[static_cast<std::size_t>(step.index)];
      s.literal = route.label(table.id) + "#6." + std::to_string(step.index) + at;
      s.guard = enc_->route6_selected(table, step.index, h);
      break;
    }
    case StepKind::NoRoute: {
      if (step.id.empty()) break;
      s.literal = step.id + "/no-route" + at;
      const auto& table = n.route_tables.at(step.id);
      s.guard =
          h.dual_stack ? enc_->no_route(table, h) || enc_->no_route6(table, h) : enc_->no_route(table, h);
      break;
    }
    case StepKind::Active: {
      const auto& x = eni(step.id);
      if (x.live()) break;  // no constraint
      s.literal = step.id + "/inactive" + at;
      s.guard = c.bool_val(false);
      break;
    }
    case StepKind::OwnsDst: {
      const auto& x = eni(step.id);
      s.literal = step.id + "/owns-dst" + at;
      s.guard = enc_->delivered_to(x, h);
      break;
    }
    case StepKind::SourceDestCheck: {
      const auto& f = eni(step.id);
      s.literal = step.id + "/source-dest-check" + at;
      s.guard = f.source_dest_check ? c.bool_val(false) : !enc_->owns_dst(f, h);
      break;
    }
    case StepKind::IgwEgress: {
      const auto& igw = n.internet_gateways.at(step.id);
      auto [cached, fresh] = public_maps_.try_emplace(igw.vpc_id);
      if (fresh) cached->second = public_map(n, igw.vpc_id);  // once per VPC, not per path
      const auto& pairs = cached->second;
      z3::expr_vector has(c);
      z3::expr mapped = h.src_ip;
      for (const auto& [priv, pub] : pairs) {
        has.push_back(h.src_ip == c.bv_val(priv, 32));
        mapped = z3::ite(h.src_ip == c.bv_val(priv, 32), c.bv_val(pub, 32), mapped);
      }
      z3::expr has_public = has.empty() ? c.bool_val(false) : z3::mk_or(has);
      if (!step.aux.empty()) {
        // Sent by a NAT gateway: its own address maps to its public IP, or to nothing (private NAT).
        const auto& nat = n.nat_gateways.at(step.aux);
        const z3::expr own = h.src_ip == c.bv_val(nat.private_ip, 32);
        has_public = nat.public_ip ? (own || has_public) : (!own && has_public);
        if (nat.public_ip) mapped = z3::ite(own, c.bv_val(*nat.public_ip, 32), mapped);
      }
      s.literal = step.id + "/egress" + (step.aux.empty() ? "" : " from " + step.aux) + at;
      // IPv6 passes untranslated: a source of the VPC's own blocks, to the IPv6 internet.
      s.guard = by_family(h, has_public && is_internet(h.dst_ip),
                          h.dual_stack ? enc_->vpc_contains6(igw.vpc_id, h.src_ip6) && is_internet6(h.dst_ip6)
                                       : c.bool_val(false));
      if (h.dual_stack) mapped = z3::ite(h.ip6, h.src_ip, mapped);
      s.after = translated(h, "igw-out:" + step.id + (step.aux.empty() ? "" : ":" + step.aux));
      defs.push_back({s.after.name, s.after.src_ip == mapped && s.after.dst_ip == h.dst_ip &&
                                        s.after.protocol == h.protocol && s.after.src_port == h.src_port &&
                                        s.after.dst_port == h.dst_port && same_ipv6_part(s.after, h)});
      break;
    }
    case StepKind::EigwEgress: {
      const auto& eigw = n.egress_only_internet_gateways.at(step.id);
      s.literal = step.id + "/egress" + at;
      s.guard = h.dual_stack ? h.ip6 && enc_->vpc_contains6(eigw.vpc_id, h.src_ip6) && is_internet6(h.dst_ip6)
                             : c.bool_val(false);
      break;
    }
    case StepKind::EigwIngress: {
      // trace: enter_from_internet6 admits the reply of a binding of this gateway, for an
      // address of an ENI of its VPC.
      const auto& eigw = n.egress_only_internet_gateways.at(step.id);
      z3::expr_vector replies(c);
      if (forward && h.dual_stack) {
        for (const auto& f : forward->steps) {
          if (f.step->kind != StepKind::EigwEgress || f.step->id != step.id) continue;
          Header expect = f.before.like("reply(" + f.before.name + ")");
          defs.push_back({expect.name, is_reply_to(expect, f.before)});
          replies.push_back(h.equals(expect));
        }
      }
      s.literal = step.id + "/ingress" + at;
      s.guard = replies.empty() ? c.bool_val(false)
                                : h.ip6 && enc_->ipv6_owner(eigw.vpc_id, h) && z3::mk_or(replies);
      break;
    }
    case StepKind::NotSnapshotPublic:
      s.literal = "internet/not-a-snapshot-address" + at;
      s.guard = Guard::lazy(
          [enc = enc_, h] { return by_family(h, !enc->snapshot_public(h), !enc->ipv6_owner("", h)); });
      if (const auto& all = enc_->snapshot_public_addresses(); !h.dual_stack) {
        if (all->size() >= Encoder::kSnapshotPublicTrieFrom) s.outside = OutsideAddresses{h.dst_ip, all};
      } else if (const auto& six = enc_->ipv6_held();
                 all->size() >= Encoder::kSnapshotPublicTrieFrom ||
                 six.addresses->size() >= Encoder::kIpv6AddressTrieFrom) {
        // Both halves a run at a time: asserted whole, the IPv4 trie and the IPv6 one cost Z3
        // more to take in than the rest of the path, and its first model is then far from the
        // least one the witness search wants (ten more checks at 10k ENIs).
        s.outside = OutsideAddresses{
            h.dst_ip, all, OutsideAddresses::Ipv6Half{h.ip6, h.dst_ip6, six.addresses, six.prefixes}};
      }
      break;
    case StepKind::IgwIngress: {
      z3::expr_vector in(c);
      z3::expr mapped = h.dst_ip;
      if (!step.aux.empty()) {
        const auto& nat = n.nat_gateways.at(step.aux);
        in.push_back(h.dst_ip == c.bv_val(*nat.public_ip, 32));
        mapped = c.bv_val(nat.private_ip, 32);
      } else {
        for (const auto& [pub, priv] : ingress_map(step.id, next_subnet)) {
          const z3::expr is = h.dst_ip == c.bv_val(pub, 32);
          in.push_back(is);
          mapped = z3::ite(is, c.bv_val(priv, 32), mapped);
        }
      }
      // The restricted formula is another component: its literal and header say which subnet.
      const std::string into = step.aux.empty() && next_subnet ? " into " + *next_subnet : "";
      s.literal = step.id + "/ingress" + (step.aux.empty() ? "" : " to " + step.aux) + into + at;
      s.guard = in.empty() ? c.bool_val(false) : z3::mk_or(in);
      if (step.aux.empty() && h.dual_stack) {
        // On an IPv4 path (fixed below) the IPv6 way in is never read: not built (the owners of
        // the VPCs' IPv6 addresses were half of an IPv4 question's encoding at 100k ENIs).
        if (family_ != false)
          s.guard = z3::ite(h.ip6, ipv6_ingress(step.id, h, forward, defs), s.guard.get());
        mapped = z3::ite(h.ip6, h.dst_ip, mapped);
      }
      s.after = translated(h, "igw-in:" + step.id + (step.aux.empty() ? "" : ":" + step.aux) +
                                  (into.empty() ? "" : ":" + *next_subnet));
      defs.push_back({s.after.name, s.after.src_ip == h.src_ip && s.after.dst_ip == mapped &&
                                        s.after.protocol == h.protocol && s.after.src_port == h.src_port &&
                                        s.after.dst_port == h.dst_port && same_ipv6_part(s.after, h)});
      break;
    }
    case StepKind::NatProtocol:
      s.literal = step.id + "/protocol" + at;
      // NAT64 (trace: nat64): TCP and UDP to 64:ff9b::/96; ICMPv6 there is Nat64Leave's.
      s.guard = by_family(
          h, is_tcp_or_udp(h) || h.protocol == c.bv_val(model::kIcmp, 8),
          h.dual_stack ? is_tcp_or_udp(h) && in_prefix6(h.dst_ip6, nat64_prefix()) : c.bool_val(false));
      break;
    case StepKind::Nat64Leave:
      s.literal = step.id + "/nat64-unmodelled" + at;
      s.guard = h.dual_stack ? h.ip6 && !is_tcp_or_udp(h) && in_prefix6(h.dst_ip6, nat64_prefix())
                             : c.bool_val(false);
      break;
    case StepKind::NatTranslate: {
      const auto& nat = n.nat_gateways.at(step.id);
      s.after = translated(h, "nat:" + step.id);
      const z3::expr low = is_tcp_or_udp(h) && z3::ult(h.src_port, c.bv_val(1024, 16));
      const z3::expr ports_and_source =
          s.after.src_ip == c.bv_val(nat.private_ip, 32) && s.after.protocol == h.protocol &&
          s.after.dst_port == h.dst_port &&
          s.after.src_port == z3::ite(low, h.src_port + c.bv_val(1024, 16), h.src_port);
      const z3::expr ipv4 = s.after.dst_ip == h.dst_ip && same_ipv6_part(s.after, h);
      z3::expr def = ports_and_source && ipv4;
      if (h.dual_stack) {
        // NAT64: an IPv4 packet to the address in the destination's low 32 bits.
        const z3::expr zero = c.bv_val(0, 128);
        const z3::expr nat64 = !s.after.ip6 && s.after.dst_ip == h.dst_ip6.extract(31, 0) &&
                               s.after.src_ip6 == zero && s.after.dst_ip6 == zero;
        def = ports_and_source && z3::ite(h.ip6, nat64, ipv4);
      }
      defs.push_back({s.after.name, def});
      break;
    }
    case StepKind::NatAddressed: {
      const auto& nat = n.nat_gateways.at(step.id);
      const auto* x = model::Network::find(n.network_interfaces, nat.network_interface_id);
      s.literal = step.id + "/addressed" + at;
      // trace reaches the NAT through the owner of the address: its ENI must say it is the NAT's.
      s.guard = x && x->kind == model::InterfaceKind::NatGateway && x->gateway_id == nat.id
                    ? enc_->owns(*x, h.dst_ip) && h.dst_ip == c.bv_val(nat.private_ip, 32)
                    : c.bool_val(false);
      break;
    }
    case StepKind::NatReverse: {
      // The first binding (in the first packet's order) whose reply this packet is (trace's find_binding).
      std::vector<std::pair<Header, Header>> bindings;  // inside, outside
      if (forward) {
        for (const auto& f : forward->steps) {
          if (f.step->kind == StepKind::NatTranslate && f.step->id == step.id)
            bindings.emplace_back(f.before, f.after);
        }
      }
      std::string names;
      for (const auto& b : bindings) names += '<' + b.second.name + '>';
      s.literal = step.id + "/binding" + names + at;
      s.after = translated(h, "unnat:" + step.id + names);
      z3::expr_vector match(c);
      z3::expr def = s.after.equals(h);
      for (auto it = bindings.rbegin(); it != bindings.rend(); ++it) {
        Header expect = it->second.like("reply(" + it->second.name + ")");
        Header back = it->first.like("reply(" + it->first.name + ")");
        defs.push_back({expect.name, is_reply_to(expect, it->second)});
        defs.push_back({back.name, is_reply_to(back, it->first)});
        match.push_back(h.equals(expect));
        def = z3::ite(h.equals(expect), s.after.equals(back), def);
      }
      s.guard = match.empty() ? c.bool_val(false) : z3::mk_or(match);
      defs.push_back({s.after.name, def});
      break;
    }
    case StepKind::PcxCheck: {
      const auto& p = n.vpc_peerings.at(step.id);
      const bool requester = p.requester_vpc_id == step.aux;
      const auto& own = requester ? p.requester_cidrs : p.accepter_cidrs;
      const auto& far = requester ? p.accepter_cidrs : p.requester_cidrs;
      z3::expr_vector o(c), f(c);
      for (const auto& x : own) o.push_back(in_prefix(h.src_ip, x));
      for (const auto& x : far) f.push_back(in_prefix(h.dst_ip, x));
      s.literal = step.id + "/cidrs from " + step.aux + at;
      s.guard =
          (f.empty() ? c.bool_val(false) : z3::mk_or(f)) && (o.empty() ? c.bool_val(false) : z3::mk_or(o));
      if (h.dual_stack) {
        const auto& own6 = requester ? p.requester_ipv6_cidrs : p.accepter_ipv6_cidrs;
        const auto& far6 = requester ? p.accepter_ipv6_cidrs : p.requester_ipv6_cidrs;
        z3::expr_vector o6(c), f6(c);
        for (const auto& x : own6) o6.push_back(in_prefix6(h.src_ip6, x));
        for (const auto& x : far6) f6.push_back(in_prefix6(h.dst_ip6, x));
        s.guard = by_family(h, s.guard,
                            (f6.empty() ? c.bool_val(false) : z3::mk_or(f6)) &&
                                (o6.empty() ? c.bool_val(false) : z3::mk_or(o6)));
      }
      break;
    }
    case StepKind::AwsService:
    case StepKind::NotAwsService: {
      // trace: aws_service_at(the ENI's VPC, dst) decides before the security groups.
      const auto& x = eni(step.id);
      z3::expr_vector at_service(c);
      for (const auto service : model::kAwsServices) {
        if (step.kind == StepKind::AwsService && model::to_string(service) != step.aux) continue;
        for (const auto a : n.aws_service_addresses(x.vpc_id, service))
          at_service.push_back(h.dst_ip == c.bv_val(a, 32));
      }
      const z3::expr any = at_service.empty() ? c.bool_val(false) : z3::mk_or(at_service);
      // Named per VPC: every ENI of a VPC shares the formula (and one literal per check).
      s.literal = x.vpc_id +
                  (step.kind == StepKind::AwsService ? "/aws-service " + step.aux : "/not-aws-service") + at;
      s.guard = step.kind == StepKind::AwsService ? any : !any;
      // Their IPv6 addresses (fd00:ec2::/64) are not modelled: trace routes IPv6 packets on.
      if (step.kind == StepKind::NotAwsService && h.dual_stack) s.guard = h.ip6 || s.guard;
      break;
    }
    case StepKind::TgwRoute: {
      const auto& table = n.transit_gateway_route_tables.at(step.id);
      const auto& route = table.routes[static_cast<std::size_t>(step.index)];
      s.literal = route.label(table.id) + '#' + std::to_string(step.index) + at;
      s.guard = enc_->tgw_route_selected(table, step.index, h);
      break;
    }
    case StepKind::TgwRoute6: {
      const auto& table = n.transit_gateway_route_tables.at(step.id);
      const auto& route = table.routes6[static_cast<std::size_t>(step.index)];
      s.literal = route.label(table.id) + "#6." + std::to_string(step.index) + at;
      s.guard = enc_->tgw_route6_selected(table, step.index, h);
      break;
    }
    case StepKind::TgwNoRoute: {
      if (step.id.empty()) break;
      s.literal = step.id + "/no-route" + at;
      const auto& table = n.transit_gateway_route_tables.at(step.id);
      s.guard = h.dual_stack ? enc_->tgw_no_route(table, h) || enc_->tgw_no_route6(table, h)
                             : enc_->tgw_no_route(table, h);
      break;
    }
    case StepKind::VpceSource:
    case StepKind::VpceService:
    case StepKind::NotVpceSource:
    case StepKind::NotVpceService: {
      // trace: gateway_endpoint. IPv4 only (graph: an IPv6 route to an endpoint leaves the model).
      const auto& e = n.gateway_endpoints.at(step.id);
      const bool source = step.kind == StepKind::VpceSource || step.kind == StepKind::NotVpceSource;
      const bool negated = step.kind == StepKind::NotVpceSource || step.kind == StepKind::NotVpceService;
      z3::expr_vector in(c);
      if (source) {
        if (const auto* vpc = model::Network::find(n.vpcs, e.vpc_id)) {
          for (const auto& x : vpc->cidrs) in.push_back(in_prefix(h.src_ip, x));
        }
      } else {
        for (const auto& x : e.service_cidrs) in.push_back(in_prefix(h.dst_ip, x));
      }
      s.literal = e.id + (source ? "/source in " + e.vpc_id : std::string("/service")) +
                  (negated ? " (not)" : "") + at;
      const z3::expr any = in.empty() ? c.bool_val(false) : z3::mk_or(in);
      s.guard = negated ? !any : any;
      break;
    }
    case StepKind::Deliver:
    case StepKind::Exit:
    case StepKind::Pcx:
    case StepKind::EniForward:
    case StepKind::Leave:
    case StepKind::TgwArrive:
    case StepKind::TgwEnter:
      break;
  }
  if (ipv4_only_step(step) && !s.literal.empty()) s.guard = Encoder::ipv4_only(s.guard, h);
  return s;
}

std::vector<model::Hop> PathEncoder::hops(const EncodedPath& path, const z3::model& m) {
  const auto& n = enc_->network();
  std::vector<model::Hop> out;
  const model::Route* last_route = nullptr;
  Id sender_vpc;         // the VPC of the last sender, for pcx hops
  std::string tgw_zone;  // the zone the last packet handed to a transit gateway came from
  auto holds = [&](const z3::expr& e) { return m.eval(e, true).is_true(); };
  for (const auto& s : path.steps) {
    const model::Packet before = packet_of(m, s.before);
    const model::Packet after = packet_of(m, s.after);
    const auto& st = *s.step;
    switch (st.kind) {
      case StepKind::SgEgress:
      case StepKind::SgIngress: {
        if (s.skipped) break;
        const auto d = st.kind == StepKind::SgEgress ? Direction::Egress : Direction::Ingress;
        const auto& eni = n.network_interfaces.at(st.id);
        std::string by = eni.unfiltered ? eni.unfiltered_text() : "?";
        for (const auto& gid : eni.security_group_ids) {
          const auto* g = model::Network::find(n.security_groups, gid);
          if (!g) continue;
          for (const auto& r : d == Direction::Ingress ? g->ingress : g->egress) {
            if (holds(enc_->sg_rule(r, s.before))) {
              by = model::describe(r);
              break;
            }
          }
          if (by != "?") break;
        }
        out.push_back({st.id, model::to_string(graph::hop_step(st.kind)), by, after});
        break;
      }
      case StepKind::NaclEgress:
      case StepKind::NaclIngress: {
        const auto d = st.kind == StepKind::NaclEgress ? Direction::Egress : Direction::Ingress;
        const auto& subnet = n.subnets.at(st.id);
        const auto* acl = model::Network::find(n.network_acls, subnet.nacl_id);
        std::string by = "no network ACL (allow)";
        if (acl) {
          by = model::describe_default_deny(acl->id);
          const bool v6 = before.is_ipv6();
          for (const auto& e : d == Direction::Ingress ? (v6 ? acl->ingress6 : acl->ingress)
                                                       : (v6 ? acl->egress6 : acl->egress)) {
            if (holds(enc_->nacl_entry(e, s.before))) {
              by = model::describe(e);
              break;
            }
          }
        }
        out.push_back({st.id, model::to_string(graph::hop_step(st.kind)), by, after});
        break;
      }
      case StepKind::Route:
      case StepKind::Route6: {
        const auto& table = n.route_tables.at(st.id);
        last_route =
            &(st.kind == StepKind::Route6 ? table.routes6 : table.routes)[static_cast<std::size_t>(st.index)];
        sender_vpc = table.vpc_id;
        out.push_back(
            {table.id, model::to_string(model::HopStep::Route), model::describe(*last_route), after});
        break;
      }
      case StepKind::Deliver:
        out.push_back({st.id, model::to_string(model::HopStep::Deliver), "owns " + before.dst_text(), after});
        break;
      case StepKind::IgwEgress: {
        if (before.is_ipv6()) {
          out.push_back({st.id, model::to_string(model::HopStep::IgwEgress),
                         before.src_text() + " (IPv6, not translated)", after});
          break;
        }
        Id owner = st.aux;
        if (owner.empty() || n.nat_gateways.at(owner).private_ip != before.src_ip) {
          const auto* x = n.interface_owning(n.internet_gateways.at(st.id).vpc_id, before.src_ip);
          owner = x ? x->id : "?";
        }
        out.push_back({st.id, model::to_string(model::HopStep::IgwEgress),
                       format_ipv4(before.src_ip) + " -> " + format_ipv4(after.src_ip) + " (" + owner + ")",
                       after});
        break;
      }
      case StepKind::EigwEgress:
        out.push_back({st.id, model::to_string(model::HopStep::IgwEgress),
                       before.src_text() + " (IPv6, egress-only)", after});
        break;
      case StepKind::Exit:
        out.push_back(
            {st.id, model::to_string(model::HopStep::Exit), before.dst_text() + " (internet)", after});
        break;
      case StepKind::EigwIngress: {
        const auto* x = n.interface_with_ipv6(before.dst_ip6);
        out.push_back({st.id, model::to_string(model::HopStep::IgwIngress),
                       before.dst_text() + " (" + (x ? x->id : "?") + ", reply through egress-only)", after});
        break;
      }
      case StepKind::IgwIngress: {
        if (before.is_ipv6()) {
          const auto* x = n.interface_with_ipv6(before.dst_ip6);
          out.push_back({st.id, model::to_string(model::HopStep::IgwIngress),
                         before.dst_text() + " (" + (x ? x->id : "?") + ", IPv6, not translated)", after});
          break;
        }
        Id owner = st.aux;
        if (owner.empty()) {
          const auto* x = n.interface_with_public_ip(before.dst_ip);
          owner = x ? x->id : "?";
        }
        out.push_back({st.id, model::to_string(model::HopStep::IgwIngress),
                       format_ipv4(before.dst_ip) + " -> " + format_ipv4(after.dst_ip) + " (" + owner + ")",
                       after});
        break;
      }
      case StepKind::NatTranslate:
        if (before.is_ipv6()) {
          out.push_back({st.id, model::to_string(model::HopStep::Nat),
                         before.src_endpoint_text() + " -> " + after.src_endpoint_text() + ", " +
                             before.dst_endpoint_text() + " -> " + after.dst_endpoint_text() + " (" + st.id +
                             ", NAT64)",
                         after});
          break;
        }
        out.push_back({st.id, model::to_string(model::HopStep::Nat),
                       before.src_endpoint_text() + " -> " + after.src_endpoint_text() + " (" + st.id + ")",
                       after});
        break;
      case StepKind::Nat64Leave:
        out.push_back({st.id, model::to_string(model::HopStep::Leave),
                       "NAT64 of " + model::protocol_name(before.protocol) + " (not followed by vpcprove)",
                       after});
        break;
      case StepKind::NatReverse:
        out.push_back(
            {st.id, model::to_string(model::HopStep::Nat),
             before.dst_endpoint_text() + " -> " + after.dst_endpoint_text() + " (" + st.id + ", reply)",
             after});
        break;
      case StepKind::Pcx: {
        const auto& p = n.vpc_peerings.at(st.id);
        const Id from = sender_vpc;
        const Id& to = p.requester_vpc_id == from ? p.accepter_vpc_id : p.requester_vpc_id;
        out.push_back({st.id, model::to_string(model::HopStep::Pcx), from + " -> " + to, after});
        break;
      }
      case StepKind::EniForward:
        out.push_back({st.id, model::to_string(model::HopStep::EniForward),
                       "source/destination check off: forwarded unchanged (appliance not modelled)", after});
        break;
      case StepKind::Leave:
        out.push_back({st.id, model::to_string(model::HopStep::Leave),
                       std::string(model::to_string(last_route ? last_route->target_kind
                                                               : model::RouteTargetKind::Other)) +
                           " " + st.id + " (not followed by vpcprove)",
                       after});
        break;
      case StepKind::PcxCheck:
        sender_vpc = st.aux;
        break;
      case StepKind::TgwArrive: {
        const auto& att = n.transit_gateway_attachments.at(st.id);
        tgw_zone = st.aux;
        out.push_back({att.transit_gateway_id, model::to_string(model::HopStep::Tgw),
                       model::describe_tgw_arrival(att, tgw_zone), after});
        break;
      }
      case StepKind::TgwRoute:
      case StepKind::TgwRoute6: {
        const auto& table = n.transit_gateway_route_tables.at(st.id);
        last_route = &(st.kind == StepKind::TgwRoute6 ? table.routes6
                                                      : table.routes)[static_cast<std::size_t>(st.index)];
        out.push_back(
            {table.id, model::to_string(model::HopStep::Route), model::describe(*last_route), after});
        break;
      }
      case StepKind::TgwEnter: {
        const auto& att = n.transit_gateway_attachments.at(st.id);
        out.push_back({att.id, model::to_string(model::HopStep::Tgw),
                       model::describe_tgw_entry(att, n.subnets.at(st.aux), tgw_zone), after});
        break;
      }
      case StepKind::VpceService:
        out.push_back({st.id, model::to_string(model::HopStep::GatewayEndpoint),
                       model::describe(n.gateway_endpoints.at(st.id)), after});
        break;
      case StepKind::AwsService: {
        const auto& x = n.network_interfaces.at(st.id);
        const auto service = n.aws_service_at(x.vpc_id, before.dst_ip);
        out.push_back({st.id, model::to_string(model::HopStep::AwsService),
                       service ? model::describe(*service, before.dst_ip) : "?", after});
        break;
      }
      default:
        break;
    }
  }
  return out;
}

}  // namespace vpcprove::encoder
