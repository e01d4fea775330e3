// SPDX-License-Identifier: Apache-2.0
// gen_estate --tgw: two transit gateways, three TGW route tables, static and propagated routes and a
// blackhole over an estate already written (read back with nlohmann::json: the TGW files are small
// next to the ENIs', and the estate's own writers stay as they are).
#include "benchmarks/tgw_shape.h"

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace vpcprove::benchmarks {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("--tgw: cannot read " + p.string());
  return json::parse(in);
}

void write(const fs::path& p, const json& j) {
  const fs::path tmp = p.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << j.dump(4) << '\n';
    if (!out) throw std::runtime_error("--tgw: cannot write " + tmp.string());
  }
  fs::rename(tmp, p);
}

/** A 17-hex-digit ID suffix drawn from seed and n (splitmix64's finaliser, as gen_estate's). */
std::string hex_id(const std::string& prefix, std::uint64_t seed, std::uint64_t n) {
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ULL + n + 0x7467770000000000ULL;  // "tgw"
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  x ^= x >> 31;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%017llx", static_cast<unsigned long long>(x & 0x0FFFFFFFFFFFFFFFULL));
  return prefix + buf;
}

json name_tags(const std::string& name) { return json::array({{{"Key", "Name"}, {"Value", name}}}); }

struct Vpc {
  std::string id;
  std::string cidr;
  std::string account;
  std::vector<std::string> attach_subnets;  // the first subnet of each zone, by zone
};

struct Attachment {
  std::string id;
  std::size_t vpc;
  int tgw;
  std::string table;
};

json attachment_ref(const Attachment& a, const Vpc& v) {
  return {{"TransitGatewayAttachmentId", a.id}, {"ResourceId", v.id}, {"ResourceType", "vpc"}};
}

json static_route(const std::string& cidr, const Attachment& a, const Vpc& v) {
  return {{"DestinationCidrBlock", cidr},
          {"State", "active"},
          {"Type", "static"},
          {"TransitGatewayAttachments", json::array({attachment_ref(a, v)})}};
}

}  // namespace

void add_transit_gateways(const fs::path& dir, std::uint64_t seed) {
  const json vpcs_json = read(dir / "Vpcs.json");
  const json subnets_json = read(dir / "Subnets.json");
  json tables_json = read(dir / "RouteTables.json");

  std::vector<Vpc> vpcs;
  std::map<std::string, std::size_t> vpc_index;
  for (const auto& v : vpcs_json.at("Vpcs")) {
    vpc_index[v.at("VpcId").get<std::string>()] = vpcs.size();
    vpcs.push_back({v.at("VpcId"), v.at("CidrBlock"), v.at("OwnerId"), {}});
  }
  if (vpcs.size() < 4) throw std::runtime_error("--tgw needs at least 4 VPCs in " + dir.string());
  std::map<std::pair<std::size_t, std::string>, std::string> first_in_zone;
  for (const auto& s : subnets_json.at("Subnets")) {
    const auto it = vpc_index.find(s.at("VpcId").get<std::string>());
    if (it == vpc_index.end()) continue;
    const auto key = std::make_pair(it->second, s.at("AvailabilityZone").get<std::string>());
    const std::string id = s.at("SubnetId");
    auto [at, fresh] = first_in_zone.emplace(key, id);
    if (!fresh && id < at->second) at->second = id;
  }
  for (const auto& [key, subnet] : first_in_zone) vpcs[key.first].attach_subnets.push_back(subnet);

  const std::string account = vpcs.front().account;
  const std::array<std::string, 2> tgw = {hex_id("tgw-", seed, 1), hex_id("tgw-", seed, 2)};
  const std::string prod = hex_id("tgw-rtb-", seed, 11), dev = hex_id("tgw-rtb-", seed, 12),
                    shared = hex_id("tgw-rtb-", seed, 13);

  // Even VPCs on the first TGW, alternately prod and dev; odd VPCs on the second.
  std::vector<Attachment> atts;
  std::size_t on_first = 0;
  for (std::size_t i = 0; i < vpcs.size(); ++i) {
    Attachment a{hex_id("tgw-attach-", seed, 100 + i), i, static_cast<int>(i % 2), shared};
    if (a.tgw == 0) a.table = (on_first++ % 2 == 0) ? prod : dev;
    atts.push_back(a);
  }
  // The first two prod attachments: the shared egress VPC every table defaults to, and the VPC dev
  // must never reach (its CIDR blackholed in dev). The second TGW's first VPC is its hub.
  std::vector<const Attachment*> prods;
  for (const auto& a : atts) {
    if (a.table == prod) prods.push_back(&a);
  }
  const Attachment& egress = *prods.at(0);
  const Attachment& guarded = *prods.at(1);
  const Attachment& hub2 = atts.at(1);

  json tgws = json::array(), attachments = json::array(), vpc_attachments = json::array();
  for (int t = 0; t < 2; ++t) {
    tgws.push_back({{"TransitGatewayId", tgw[t]},
                    {"State", "available"},
                    {"OwnerId", account},
                    {"Tags", name_tags("bench-tgw-" + std::to_string(t))}});
  }
  for (const auto& a : atts) {
    const Vpc& v = vpcs[a.vpc];
    attachments.push_back(
        {{"TransitGatewayAttachmentId", a.id},
         {"TransitGatewayId", tgw[a.tgw]},
         {"TransitGatewayOwnerId", account},
         {"ResourceId", v.id},
         {"ResourceOwnerId", v.account},
         {"ResourceType", "vpc"},
         {"State", "available"},
         {"Association", {{"State", "associated"}, {"TransitGatewayRouteTableId", a.table}}},
         {"Tags", name_tags("bench-attach-" + v.id)}});
    vpc_attachments.push_back(
        {{"TransitGatewayAttachmentId", a.id},
         {"TransitGatewayId", tgw[a.tgw]},
         {"VpcId", v.id},
         {"VpcOwnerId", v.account},
         {"State", "available"},
         {"SubnetIds", v.attach_subnets},
         {"Options",
          {{"DnsSupport", "enable"}, {"Ipv6Support", "disable"}, {"ApplianceModeSupport", "disable"}}},
         {"Tags", name_tags("bench-attach-" + v.id)}});
  }
  json route_tables = json::array();
  const std::array<std::pair<std::string, int>, 3> tables = {std::pair{prod, 0}, {dev, 0}, {shared, 1}};
  for (const auto& [id, t] : tables) {
    route_tables.push_back({{"TransitGatewayRouteTableId", id},
                            {"TransitGatewayId", tgw[t]},
                            {"State", "available"},
                            {"DefaultAssociationRouteTable", false},
                            {"DefaultPropagationRouteTable", false},
                            {"Tags", name_tags(id == prod  ? "prod"
                                               : id == dev ? "dev"
                                                           : "shared")}});
  }
  // Static routes: every table defaults to its TGW's hub; dev blackholes the guarded prod VPC.
  json statics = json::array();
  statics.push_back({{"TransitGatewayRouteTableId", prod},
                     {"AdditionalRoutesAvailable", false},
                     {"Routes", json::array({static_route("0.0.0.0/0", egress, vpcs[egress.vpc])})}});
  statics.push_back({{"TransitGatewayRouteTableId", dev},
                     {"AdditionalRoutesAvailable", false},
                     {"Routes", json::array({static_route("0.0.0.0/0", egress, vpcs[egress.vpc]),
                                             {{"DestinationCidrBlock", vpcs[guarded.vpc].cidr},
                                              {"State", "blackhole"},
                                              {"Type", "static"}}})}});
  statics.push_back({{"TransitGatewayRouteTableId", shared},
                     {"AdditionalRoutesAvailable", false},
                     {"Routes", json::array({static_route("0.0.0.0/0", hub2, vpcs[hub2.vpc])})}});
  // Propagations: prod learns prod and dev's VPCs, dev learns dev's and prod's (the guarded one is
  // then both propagated and blackholed: the static blackhole wins), the shared table every VPC of
  // its TGW.
  json propagations = json::array();
  for (const auto& [id, t] : tables) {
    json list = json::array();
    for (const auto& a : atts) {
      if (a.tgw != t) continue;
      json p = attachment_ref(a, vpcs[a.vpc]);
      p["State"] = "enabled";
      list.push_back(p);
    }
    propagations.push_back(
        {{"TransitGatewayRouteTableId", id}, {"TransitGatewayRouteTablePropagations", list}});
  }
  // Every table of an attached VPC sends the rest of 10.0.0.0/8 to its TGW.
  std::map<std::string, int> tgw_of_vpc;
  for (const auto& a : atts) tgw_of_vpc[vpcs[a.vpc].id] = a.tgw;
  for (auto& t : tables_json.at("RouteTables")) {
    const auto it = tgw_of_vpc.find(t.at("VpcId").get<std::string>());
    if (it == tgw_of_vpc.end()) continue;
    t.at("Routes").push_back({{"DestinationCidrBlock", "10.0.0.0/8"},
                              {"TransitGatewayId", tgw[it->second]},
                              {"Origin", "CreateRoute"},
                              {"State", "active"}});
  }

  write(dir / "TransitGateways.json", {{"TransitGateways", tgws}});
  write(dir / "TransitGatewayAttachments.json", {{"TransitGatewayAttachments", attachments}});
  write(dir / "TransitGatewayVpcAttachments.json", {{"TransitGatewayVpcAttachments", vpc_attachments}});
  write(dir / "TransitGatewayRouteTables.json", {{"TransitGatewayRouteTables", route_tables}});
  write(dir / "TransitGatewayStaticRoutes.json", {{"TransitGatewayStaticRoutes", statics}});
  write(dir / "TransitGatewayPropagations.json", {{"TransitGatewayPropagations", propagations}});
  write(dir / "RouteTables.json", tables_json);
}

}  // namespace vpcprove::benchmarks
