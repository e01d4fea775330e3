// SPDX-License-Identifier: Apache-2.0
// gen_estate --dual-stack (benchmarks/dual_stack.h): a small estate with IPv6 in every part (VPC
// and subnet blocks, ENI addresses, ::/0 routes to internet and egress-only gateways, Ipv6Ranges
// rules, IPv6 NACL entries) that the loader reads into the model's IPv6 fields.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "aws/load.h"
#include "model/network.h"

namespace {

namespace fs = std::filesystem;
using namespace vpcprove;

model::Network generate(const std::string& name, const std::string& flags) {
  const fs::path dir = fs::path(VPCPROVE_BENCH_SMOKE_DIR) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string command = std::string("\"") + VPCPROVE_GEN_ESTATE +
                              "\" --enis 60 --vpcs 4 --subnets-per-vpc 3 --sgs 16 --rules-per-sg 6 "
                              "--nacl-entries 4 --peerings 1 --accounts 1 --regions 2 --seed 11 " +
                              flags + " -o \"" + dir.string() + "\" > /dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  return aws::load_network(dir.string());
}

bool has_route6(const model::RouteTable& t, model::RouteTargetKind kind) {
  for (const auto& r : t.routes6) {
    if (r.destination6 == Ipv6Prefix{} && r.target_kind == kind && !r.blackhole) return true;
  }
  return false;
}

void check_dual_stack(const model::Network& n) {
  REQUIRE(n.has_ipv6());
  REQUIRE(n.vpcs.size() == 4);
  for (const auto& [id, vpc] : n.vpcs) {
    INFO(id);
    REQUIRE(vpc.ipv6_cidrs.size() == 1);
    CHECK(vpc.ipv6_cidrs[0].len == 56);
  }
  REQUIRE(n.egress_only_internet_gateways.size() == 4);
  for (const auto& [id, g] : n.egress_only_internet_gateways) CHECK(n.vpcs.count(g.vpc_id) == 1);
  for (const auto& [id, s] : n.subnets) {
    INFO(id);
    REQUIRE(s.ipv6_cidrs.size() == 1);
    CHECK(s.ipv6_cidrs[0].len == 64);
    CHECK(n.vpcs.at(s.vpc_id).ipv6_cidrs[0].contains(s.ipv6_cidrs[0]));
  }
  // Every workload ENI has an IPv6 address inside its subnet's /64, owned by it.
  std::size_t workloads = 0;
  for (const auto& [id, e] : n.network_interfaces) {
    if (e.kind == model::InterfaceKind::NatGateway) continue;
    INFO(id);
    ++workloads;
    REQUIRE(e.ipv6_addresses.size() == 1);
    CHECK(n.subnets.at(e.subnet_id).ipv6_cidrs[0].contains(e.ipv6_addresses[0]));
    CHECK(n.interface_owning6(e.vpc_id, e.ipv6_addresses[0]) == &e);
  }
  CHECK(workloads > 0);
  // Route tables: the local IPv6 route everywhere; ::/0 to the IGW in public tables and to the
  // egress-only gateway in private ones.
  std::size_t to_igw = 0, to_eigw = 0;
  for (const auto& [id, t] : n.route_tables) {
    INFO(id);
    bool local = false;
    for (const auto& r : t.routes6)
      local = local || (r.target_kind == model::RouteTargetKind::Local &&
                        r.destination6 == n.vpcs.at(t.vpc_id).ipv6_cidrs[0]);
    CHECK(local);
    to_igw += has_route6(t, model::RouteTargetKind::InternetGateway) ? 1 : 0;
    to_eigw += has_route6(t, model::RouteTargetKind::EgressOnlyInternetGateway) ? 1 : 0;
  }
  CHECK(to_igw == 4);
  CHECK(to_eigw == 4);
  // Security groups: IPv6 peers beside the IPv4 ones, ::/0 among them.
  std::size_t rules6 = 0, world6 = 0;
  for (const auto& [id, g] : n.security_groups) {
    for (const auto* rules : {&g.ingress, &g.egress}) {
      for (const auto& r : *rules) {
        rules6 += r.peer_prefixes6.empty() ? 0 : 1;
        for (const auto& p : r.peer_prefixes6) world6 += p == Ipv6Prefix{} ? 1 : 0;
      }
    }
  }
  CHECK(rules6 > 0);
  CHECK(world6 > 0);
  // NACLs: every one has IPv6 entries each way.
  for (const auto& [id, acl] : n.network_acls) {
    INFO(id);
    CHECK_FALSE(acl.ingress6.empty());
    CHECK_FALSE(acl.egress6.empty());
  }
}

}  // namespace

TEST_CASE("a --dual-stack estate has IPv6 in every VPC, subnet, ENI, route table, group and NACL",
          "[bench][ipv6]") {
  check_dual_stack(generate("dual-stack", "--dual-stack"));
}

TEST_CASE("a --dual-stack --diverse estate has IPv6 in every part too", "[bench][ipv6]") {
  check_dual_stack(generate("dual-stack-diverse", "--dual-stack --diverse"));
}

TEST_CASE("without --dual-stack an estate has no IPv6 at all", "[bench][ipv6]") {
  CHECK_FALSE(generate("ipv4-only", "").has_ipv6());
}
