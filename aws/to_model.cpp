// SPDX-License-Identifier: Apache-2.0
// The converter from aws::Snapshot to model::Network: its order of work, VPCs and their gateways,
// accounts and regions (docs/semantics.md is the specification).
#include "aws/to_model.h"

#include <stdexcept>

#include "aws/converter.h"
#include "aws/snapshot_loader.h"
#include "aws/terraform_plan.h"
#include "aws/to_model_tgw.h"
#include "model/describe.h"
#include "model/drop_code.h"
#include "model/header_fields.h"

namespace vpcprove::aws::conversion {

model::Network Converter::run() {
  prefix_lists();
  vpcs();
  internet_gateways();
  vpc_peerings();
  interfaces();
  nat_gateways();
  instances();
  addresses();
  commit_interfaces();
  security_groups();
  network_acls();
  route_tables();
  subnets();
  opaque_gateways();
  add_transit_gateways(s_, n_);
  places();
  n_.index();
  warn_contested_public_ips();
  return std::move(n_);
}

model::Origin Converter::origin(const Source& src, const std::string& owner_id,
                                const std::string& zone) const {
  model::Origin o{src.file, owner_id.empty() ? src.account : owner_id, src.region};
  if (o.region.empty() && !zone.empty()) o.region = region_of_availability_zone(zone).value_or("");
  return o;
}

void Converter::dangling(const std::string& message, const std::string& file, const std::string& resource) {
  n_.diagnostics.warn(kDangling, message, file, resource);
}

void Converter::prefix_lists() {
  for (const auto& p : s_.prefix_lists) {
    n_.prefix_lists[p.prefix_list_id] = {p.prefix_list_id, p.prefix_list_name, p.cidrs, p.ipv6_cidrs,
                                         origin(p.source, p.owner_id)};
  }
}

void Converter::vpcs() {
  for (const auto& v : s_.vpcs) {
    model::Vpc m;
    m.id = v.vpc_id;
    if (v.cidr_block) m.cidrs.push_back(*v.cidr_block);
    for (const auto& a : v.cidr_block_association_set) add_unique(m.cidrs, a.cidr_block);
    for (const auto& c : v.ipv6_cidr_block_association_set) add_unique(m.ipv6_cidrs, c);
    if (m.cidrs.empty()) {
      n_.diagnostics.warn("vpc-without-cidr", v.vpc_id + " has no associated IPv4 CIDR block in the snapshot",
                          v.source.file, v.vpc_id);
    }
    m.tags = v.tags;
    m.origin = origin(v.source, v.owner_id);
    n_.vpcs[m.id] = std::move(m);
  }
}

void Converter::internet_gateways() {
  for (const auto& g : s_.internet_gateways) {
    model::InternetGateway m{g.internet_gateway_id, "", g.tags, origin(g.source, g.owner_id)};
    if (!g.attachments.empty()) m.vpc_id = g.attachments.front().vpc_id;
    if (!m.vpc_id.empty()) {
      auto it = n_.vpcs.find(m.vpc_id);
      if (it == n_.vpcs.end()) {
        dangling("internet gateway " + m.id + " -> " + m.vpc_id + ": " + m.vpc_id + " is not in the snapshot",
                 g.source.file, m.id);
      } else if (!it->second.internet_gateway_id) {
        it->second.internet_gateway_id = m.id;
      }
    }
    n_.internet_gateways[m.id] = std::move(m);
  }
  for (const auto& g : s_.egress_only_internet_gateways) {
    model::EgressOnlyInternetGateway m{g.egress_only_internet_gateway_id, "", g.tags, origin(g.source, "")};
    if (!g.attachments.empty()) m.vpc_id = g.attachments.front().vpc_id;
    if (!m.vpc_id.empty() && !n_.vpcs.count(m.vpc_id)) {
      dangling("egress-only internet gateway " + m.id + " -> " + m.vpc_id + ": " + m.vpc_id +
                   " is not in the snapshot",
               g.source.file, m.id);
    }
    n_.egress_only_internet_gateways[m.id] = std::move(m);
  }
}

void Converter::vpc_peerings() {
  auto side = [&](const VpcPeeringConnectionVpcInfo& info, const VpcPeeringConnection& p) {
    if (!info.cidr_block_set.empty()) return info.cidr_block_set;
    if (info.cidr_block) return std::vector<Ipv4Prefix>{*info.cidr_block};
    if (const auto* vpc = model::Network::find(n_.vpcs, info.vpc_id)) return vpc->cidrs;
    n_.diagnostics.warn("peering-without-cidr",
                        "VPC peering " + p.vpc_peering_connection_id + " names no CIDR block for " +
                            info.vpc_id +
                            " and that VPC is not in the snapshot: no traffic can use that side",
                        p.source.file, p.vpc_peering_connection_id);
    return std::vector<Ipv4Prefix>{};
  };
  // AWS prints Ipv6CidrBlockSet for a side whose VPC has IPv6 blocks. A side that prints no block
  // of either family (hand-written data) stands for its VPC's blocks, as for IPv4 above.
  auto side6 = [&](const VpcPeeringConnectionVpcInfo& info) {
    if (!info.ipv6_cidr_block_set.empty() || info.cidr_block || !info.cidr_block_set.empty())
      return info.ipv6_cidr_block_set;
    if (const auto* vpc = model::Network::find(n_.vpcs, info.vpc_id)) return vpc->ipv6_cidrs;
    return std::vector<Ipv6Prefix>{};
  };
  for (const auto& p : s_.vpc_peering_connections) {
    model::VpcPeering m;
    m.id = p.vpc_peering_connection_id;
    m.requester_vpc_id = p.requester_vpc_info.vpc_id;
    m.accepter_vpc_id = p.accepter_vpc_info.vpc_id;
    m.requester_cidrs = side(p.requester_vpc_info, p);
    m.accepter_cidrs = side(p.accepter_vpc_info, p);
    m.requester_ipv6_cidrs = side6(p.requester_vpc_info);
    m.accepter_ipv6_cidrs = side6(p.accepter_vpc_info);
    m.tags = p.tags;
    m.origin = origin(p.source, p.requester_vpc_info.owner_id);
    n_.vpc_peerings[m.id] = std::move(m);
  }
}

void Converter::warn_contested_public_ips() {
  for (const auto& [ip, ids] : n_.contested_public_ips) {
    std::string names;
    for (const auto& id : ids) names += (names.empty() ? "" : " and ") + id;
    const auto& first = n_.network_interfaces.at(ids.front());
    n_.diagnostics.warn("duplicate-public-ip",
                        "public IP " + format_ipv4(ip) + " is held by both " + names +
                            " (files collected at different times?): which one the internet reaches is "
                            "unknown, so no answer that depends on it is a proof",
                        first.origin.file, ids.front());
  }
}

void Converter::places() {
  // A VPC's region: the folder, else its subnets' zones; everything else inherits from its VPC.
  for (const auto& [id, s] : n_.subnets) {
    if (auto* vpc = find_mut(n_.vpcs, s.vpc_id)) {
      if (vpc->origin.region.empty()) vpc->origin.region = s.origin.region;
      if (vpc->origin.account.empty()) vpc->origin.account = s.origin.account;
    }
  }
  std::unordered_map<std::string_view, const model::Vpc*> vpc_by_id;
  for (const auto& [id, vpc] : n_.vpcs) vpc_by_id.emplace(id, &vpc);
  auto inherit = [&](model::Origin& o, const Id& vpc_id) {
    auto it = vpc_by_id.find(vpc_id);
    const auto* vpc = it == vpc_by_id.end() ? nullptr : it->second;
    if (!vpc) return;
    if (o.region.empty()) o.region = vpc->origin.region;
    if (o.account.empty()) o.account = vpc->origin.account;
  };
  for (auto& [id, x] : n_.subnets) inherit(x.origin, x.vpc_id);
  for (auto& [id, x] : n_.route_tables) inherit(x.origin, x.vpc_id);
  for (auto& [id, x] : n_.security_groups) inherit(x.origin, x.vpc_id);
  for (auto& [id, x] : n_.network_acls) inherit(x.origin, x.vpc_id);
  for (auto& [id, x] : n_.network_interfaces) inherit(x.origin, x.vpc_id);
  for (auto& [id, x] : n_.internet_gateways) inherit(x.origin, x.vpc_id);
  for (auto& [id, x] : n_.egress_only_internet_gateways) inherit(x.origin, x.vpc_id);
  for (auto& [id, x] : n_.nat_gateways) inherit(x.origin, x.vpc_id);
  for (auto& [id, x] : n_.vpc_peerings) inherit(x.origin, x.requester_vpc_id);
  for (auto& [id, x] : n_.opaque_gateways) {
    if (!x.vpc_ids.empty()) inherit(x.origin, x.vpc_ids.front());
  }
  for (auto& [id, x] : n_.instances) {
    if (!x.network_interface_ids.empty() && (x.origin.region.empty() || x.origin.account.empty())) {
      const auto& eni = n_.network_interfaces.at(x.network_interface_ids.front());
      if (x.origin.region.empty()) x.origin.region = eni.origin.region;
      if (x.origin.account.empty()) x.origin.account = eni.origin.account;
    }
  }
  // A handful of accounts and regions, each named by thousands of resources: a short list
  // searched linearly, sorted once at the end.
  std::vector<std::string_view> accounts, regions;
  auto note = [](std::vector<std::string_view>& seen, const std::string& x) {
    if (!x.empty() && std::find(seen.begin(), seen.end(), x) == seen.end()) seen.push_back(x);
  };
  auto collect = [&](const auto& map) {
    for (const auto& entry : map) {
      note(accounts, entry.second.origin.account);
      note(regions, entry.second.origin.region);
    }
  };
  collect(n_.vpcs);
  collect(n_.subnets);
  collect(n_.route_tables);
  collect(n_.security_groups);
  collect(n_.network_acls);
  collect(n_.network_interfaces);
  collect(n_.instances);
  collect(n_.internet_gateways);
  collect(n_.egress_only_internet_gateways);
  collect(n_.nat_gateways);
  collect(n_.vpc_peerings);
  collect(n_.prefix_lists);
  collect(n_.opaque_gateways);
  collect(n_.gateway_endpoints);
  std::sort(accounts.begin(), accounts.end());
  std::sort(regions.begin(), regions.end());
  n_.accounts.assign(accounts.begin(), accounts.end());
  n_.regions.assign(regions.begin(), regions.end());
}

bool Converter::known_subnet(const Id& id) {
  if (subnet_ids_.empty()) {
    for (const auto& s : s_.subnets) subnet_ids_.insert(s.subnet_id);
  }
  return subnet_ids_.count(id) > 0;
}

model::NetworkInterface& Converter::interface_at(std::size_t position) {
  if (position == kNowhere) throw std::out_of_range("an instance's ENI is not in the model");
  return enis_[position];
}

}  // namespace vpcprove::aws::conversion

namespace vpcprove::aws {

model::Network to_model(const Snapshot& snapshot) { return conversion::Converter(snapshot).run(); }

}  // namespace vpcprove::aws
