// SPDX-License-Identifier: Apache-2.0
// Security groups and network ACLs.
#include <stdexcept>

#include "aws/converter.h"
#include "aws/snapshot_loader.h"
#include "aws/terraform_plan.h"
#include "model/describe.h"
#include "model/drop_code.h"
#include "model/header_fields.h"

namespace vpcprove::aws::conversion {

model::L4Match Converter::l4_of(const IpPermission& p, const std::string& rule_name, const Source& src) {
  model::L4Match m;
  const int proto = model::parse_protocol(p.ip_protocol).value_or(model::kAnyProtocol);
  m.protocol = proto;
  auto invalid = [&](const std::string& why) {
    m.matches_nothing = true;
    n_.diagnostics.warn("invalid-rule", rule_name + ": " + why + ": the rule matches nothing", src.file,
                        rule_name.substr(0, rule_name.find(' ')));
  };
  if (proto == model::kTcp || proto == model::kUdp) {
    const int lo = p.from_port.value_or(-1) < 0 ? 0 : *p.from_port;
    const int hi = p.to_port.value_or(-1) < 0 ? 65535 : *p.to_port;
    if (lo > hi) {
      invalid("port range " + std::to_string(lo) + "-" + std::to_string(hi) + " is empty");
    } else {
      m.ports = {static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi)};
    }
  } else if (proto == model::kIcmp || proto == model::kIcmpv6) {
    // ICMPv6 takes a type and code as ICMP does (FromPort, ToPort):
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html
    m.icmp_type = p.from_port.value_or(-1);
    m.icmp_code = p.to_port.value_or(-1);
    if (m.icmp_type == -1 && m.icmp_code != -1) {
      invalid("ICMP type -1 (any) with code " + std::to_string(m.icmp_code) + " is invalid");
    } else if (m.icmp_type > 255 || m.icmp_code > 255) {
      invalid("ICMP type " + std::to_string(m.icmp_type) + " code " + std::to_string(m.icmp_code) +
              " is out of range");
    }
  }
  return m;
}

void Converter::security_groups() {
  // Each group's member addresses, first-seen order, without duplicates. A linear search per
  // address made this quadratic in the size of a group (a VPC's default group: every ENI).
  std::unordered_map<std::string_view, std::vector<Ipv4Prefix>> member_ips;
  // And their IPv6 addresses (a /128 each) and delegated IPv6 prefixes: a group reference
  // matches both families' addresses of the members.
  // https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
  std::unordered_map<std::string_view, std::vector<Ipv6Prefix>> member_ips6;
  for (const auto& [id, eni] : n_.network_interfaces) {
    for (const auto& g : eni.security_group_ids) {
      auto& members = member_ips[g];
      for (const auto& ip : eni.private_ips) members.push_back(Ipv4Prefix::make(ip.address, 32));
      if (!eni.has_ipv6()) continue;
      auto& members6 = member_ips6[g];
      for (const auto& a : eni.ipv6_addresses) add_unique(members6, Ipv6Prefix::make(a, 128));
      for (const auto& p : eni.ipv6_delegated_prefixes) add_unique(members6, p);
    }
  }
  for (auto& entry : member_ips) keep_first_of_each(entry.second);
  std::unordered_set<std::string_view> known;
  for (const auto& g : s_.security_groups) known.insert(g.group_id);

  for (const auto& g : s_.security_groups) {
    model::SecurityGroup m;
    m.id = g.group_id;
    m.name = g.group_name;
    m.vpc_id = g.vpc_id;
    m.tags = g.tags;
    m.origin = origin(g.source, g.owner_id);
    for (auto direction : {model::Direction::Ingress, model::Direction::Egress}) {
      const bool in = direction == model::Direction::Ingress;
      auto& out = in ? m.ingress : m.egress;
      const auto& perms = in ? g.ip_permissions : g.ip_permissions_egress;
      for (std::size_t pi = 0; pi < perms.size(); ++pi) {
        const auto& p = perms[pi];
        const std::string perm_name =
            g.group_id + " " + model::to_string(direction) + " permission " + std::to_string(pi);
        const auto l4 = l4_of(p, perm_name, g.source);
        for (const auto& c : p.ipv6_ranges) {
          (in ? m.ipv6_ingress : m.ipv6_egress)
              .push_back(model::describe(l4) + ' ' + c.cidr_ipv6.to_string());
        }
        // ICMPv6 exists only in IPv6 packets: such a rule gives its peers' IPv6 addresses only.
        const bool v6_only = l4.protocol == model::kIcmpv6;
        auto add = [&](std::string peer, std::vector<Ipv4Prefix> prefixes, std::vector<Ipv6Prefix> prefixes6,
                       std::string description) {
          model::SgRule r;
          r.group_id = g.group_id;
          r.direction = direction;
          r.index = static_cast<int>(out.size());
          r.l4 = l4;
          r.peer = std::move(peer);
          if (!v6_only) r.peer_prefixes = std::move(prefixes);
          r.peer_prefixes6 = std::move(prefixes6);
          r.description = std::move(description);
          out.push_back(std::move(r));
        };
        // AWS's order of peers: IpRanges, Ipv6Ranges, UserIdGroupPairs, PrefixListIds.
        for (const auto& x : p.ip_ranges) {
          if (!v6_only) add(x.cidr_ip.to_string(), {x.cidr_ip}, {}, x.description);
        }
        for (const auto& x : p.ipv6_ranges) add(x.cidr_ipv6.to_string(), {}, {x.cidr_ipv6}, x.description);
        for (const auto& x : p.user_id_group_pairs) {
          auto it = member_ips.find(x.group_id);
          auto it6 = member_ips6.find(x.group_id);
          if (!known.count(x.group_id)) {
            // A reference matches the private addresses of the ENIs that carry the group; ENIs
            // of the snapshot may name a group whose description is missing, and then the rule
            // matches their addresses (say so: a witness may use the rule).
            const std::size_t members = it == member_ips.end() ? 0 : it->second.size();
            dangling("security group " + g.group_id + " " + model::to_string(direction) + " rule -> " +
                         x.group_id + ": " + x.group_id + " is not in the snapshot (the rule matches " +
                         (members == 0 ? std::string("no address of the snapshot")
                                       : "only the " + std::to_string(members) +
                                             " private address(es) of the snapshot's ENIs that name it") +
                         ")",
                     g.source.file, g.group_id);
          }
          add(x.group_id, it == member_ips.end() ? std::vector<Ipv4Prefix>{} : it->second,
              it6 == member_ips6.end() ? std::vector<Ipv6Prefix>{} : it6->second, x.description);
        }
        for (const auto& x : p.prefix_list_ids) {
          const auto* pl = model::Network::find(n_.prefix_lists, x.prefix_list_id);
          if (!pl) {
            dangling("security group " + g.group_id + " " + model::to_string(direction) + " rule -> " +
                         x.prefix_list_id + ": " + x.prefix_list_id +
                         " is not in the snapshot (the rule matches no address)",
                     g.source.file, g.group_id);
          }
          add(x.prefix_list_id, pl ? pl->cidrs : std::vector<Ipv4Prefix>{},
              pl ? pl->ipv6_cidrs : std::vector<Ipv6Prefix>{}, x.description);
        }
      }
    }
    n_.security_groups[m.id] = std::move(m);
  }
  // ENIs name groups; a group the snapshot lacks is absent (its rules allow nothing).
  for (auto& [id, eni] : n_.network_interfaces) {
    std::vector<Id> kept;
    for (const auto& g : eni.security_group_ids) {
      if (known.count(g)) {
        kept.push_back(g);
      } else {
        dangling(id + " -> security group " + g + ": " + g + " is not in the snapshot", eni.origin.file, id);
      }
    }
    eni.security_group_ids = std::move(kept);
  }
}

void Converter::keep_first_of_each(std::vector<Ipv4Prefix>& prefixes) {
  std::vector<std::pair<Ipv4Address, std::size_t>> sorted(prefixes.size());
  for (std::size_t k = 0; k < prefixes.size(); ++k) sorted[k] = {prefixes[k].addr, k};
  std::sort(sorted.begin(), sorted.end());
  std::vector<bool> repeated(prefixes.size(), false);
  for (std::size_t k = 1; k < sorted.size(); ++k) {
    if (sorted[k].first == sorted[k - 1].first) repeated[sorted[k].second] = true;
  }
  std::size_t kept = 0;
  for (std::size_t k = 0; k < prefixes.size(); ++k) {
    if (!repeated[k]) prefixes[kept++] = prefixes[k];
  }
  prefixes.resize(kept);
}

model::L4Match Converter::nacl_l4(const NetworkAclEntry& e) {
  model::L4Match m;
  m.protocol = e.protocol;
  if ((e.protocol == model::kTcp || e.protocol == model::kUdp) && e.port_range) {
    if (e.port_range->from > e.port_range->to) {
      m.matches_nothing = true;
    } else {
      m.ports = {static_cast<std::uint16_t>(e.port_range->from),
                 static_cast<std::uint16_t>(e.port_range->to)};
    }
  } else if ((e.protocol == model::kIcmp || e.protocol == model::kIcmpv6) && e.icmp_type_code) {
    m.icmp_type = e.icmp_type_code->type;
    m.icmp_code = e.icmp_type_code->type == -1 ? -1 : e.icmp_type_code->code;
  }
  return m;
}

void Converter::network_acls() {
  for (const auto& a : s_.network_acls) {
    model::NetworkAcl m;
    m.id = a.network_acl_id;
    m.vpc_id = a.vpc_id;
    m.is_default = a.is_default;
    m.tags = a.tags;
    m.origin = origin(a.source, a.owner_id);
    std::vector<NetworkAclEntry> entries = a.entries;
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& x, const auto& y) { return x.rule_number < y.rule_number; });
    for (const auto& e : entries) {
      // 32767 and 32768 are AWS's "*" rules (IPv4, IPv6): deny, built into the model.
      if (e.rule_number == 32767 || e.rule_number == 32768) continue;
      if (!e.cidr_block && !e.ipv6_cidr_block) continue;
      model::NaclEntry x;
      x.acl_id = m.id;
      x.direction = e.egress ? model::Direction::Egress : model::Direction::Ingress;
      x.rule_number = e.rule_number;
      x.allow = e.allow;
      x.l4 = nacl_l4(e);
      if (e.cidr_block) {
        x.cidr = *e.cidr_block;
      } else {
        // An IPv6 entry: in its own list, AWS's order within the family. Also kept as text for the
        // answers that still name IPv6 entries as not modelled (model/assumption.h).
        x.cidr = Ipv4Prefix{0, 32};
        x.cidr6 = *e.ipv6_cidr_block;
        m.ipv6_entries.push_back(std::string(e.egress ? "egress" : "ingress") + " rule " +
                                 std::to_string(e.rule_number) + (e.allow ? " allow " : " deny ") +
                                 e.ipv6_cidr_block->to_string());
      }
      if (x.l4.matches_nothing) {
        n_.diagnostics.warn("invalid-rule", x.label() + ": empty port range: the entry matches nothing",
                            a.source.file, m.id);
      }
      auto& list = x.cidr6 ? (e.egress ? m.egress6 : m.ingress6) : (e.egress ? m.egress : m.ingress);
      list.push_back(std::move(x));
    }
    for (const auto& assoc : a.associations) {
      if (!subnet_acl_.emplace(assoc.subnet_id, m.id).second) continue;
      if (!known_subnet(assoc.subnet_id)) {
        dangling("network ACL " + m.id + " association -> " + assoc.subnet_id + ": " + assoc.subnet_id +
                     " is not in the snapshot",
                 a.source.file, m.id);
      }
    }
    if (m.is_default) {
      if (auto* vpc = find_mut(n_.vpcs, m.vpc_id); vpc && vpc->default_nacl_id.empty())
        vpc->default_nacl_id = m.id;
      default_acl_.emplace(m.vpc_id, m.id);
    }
    n_.network_acls[m.id] = std::move(m);
  }
  // Every VPC needs a NACL for subnets without an explicit one. AWS's untouched default NACL
  // allows everything, and allow-all is also the sound choice when the snapshot is silent.
  std::set<Id> vpc_ids;
  for (const auto& [id, v] : n_.vpcs) vpc_ids.insert(id);
  for (const auto& s : s_.subnets) vpc_ids.insert(s.vpc_id);
  if (s_.network_acls.empty() && !vpc_ids.empty()) {
    n_.diagnostics.warn(
        "no-network-acls",
        "the snapshot has no NetworkAcls: every VPC gets an allow-all network ACL (AWS's default "
        "NACL allows all traffic)");
  }
  for (const auto& vpc_id : vpc_ids) {
    if (default_acl_.count(vpc_id)) continue;
    const Id id = "acl-default-" + vpc_id;
    if (!s_.network_acls.empty()) {
      n_.diagnostics.warn("synthesized-nacl",
                          vpc_id +
                              " has no default network ACL in the snapshot: subnets without an explicit one "
                              "use a synthesised allow-all " +
                              id,
                          "", vpc_id);
    }
    model::NetworkAcl m;
    m.id = id;
    m.vpc_id = vpc_id;
    m.is_default = true;
    m.synthesized = true;
    for (auto direction : {model::Direction::Ingress, model::Direction::Egress}) {
      model::NaclEntry x;
      x.acl_id = id;
      x.direction = direction;
      x.rule_number = 100;
      x.allow = true;
      x.cidr = Ipv4Prefix::make(0, 0);
      (direction == model::Direction::Ingress ? m.ingress : m.egress).push_back(x);
      // A VPC with IPv6 blocks: AWS's default NACL allows all IPv6 traffic as well (rule 101).
      // https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html
      const auto* vpc = model::Network::find(n_.vpcs, vpc_id);
      if (vpc && !vpc->ipv6_cidrs.empty()) {
        x.rule_number = 101;
        x.cidr = Ipv4Prefix{0, 32};
        x.cidr6 = Ipv6Prefix{};
        (direction == model::Direction::Ingress ? m.ingress6 : m.egress6).push_back(x);
      }
    }
    if (const auto* vpc = model::Network::find(n_.vpcs, vpc_id)) m.origin = vpc->origin;
    if (auto* vpc = find_mut(n_.vpcs, vpc_id)) vpc->default_nacl_id = id;
    default_acl_.emplace(vpc_id, id);
    n_.network_acls[id] = std::move(m);
  }
}

}  // namespace vpcprove::aws::conversion
