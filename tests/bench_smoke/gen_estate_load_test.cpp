// SPDX-License-Identifier: Apache-2.0
// Tiny estates from benchmarks/gen_estate.cpp load through aws::load_network as the generator says.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "aws/load.h"
#include "common/diagnostics.h"
#include "model/network.h"

namespace {

namespace fs = std::filesystem;

struct Generated {
  fs::path dir;
  nlohmann::json manifest;
};

// Runs the generator into a fresh folder; the manifest holds what it wrote.
Generated generate(const std::string& name, const std::string& args) {
  const fs::path dir = fs::path(VPCPROVE_BENCH_SMOKE_DIR) / name;
  const fs::path manifest = fs::path(VPCPROVE_BENCH_SMOKE_DIR) / (name + ".manifest.json");
  fs::remove_all(dir);
  fs::remove(manifest);
  fs::create_directories(dir);
  const std::string command = std::string("\"") + VPCPROVE_GEN_ESTATE + "\" " + args + " -o \"" +
                              dir.string() + "\" --manifest \"" + manifest.string() + "\" > /dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  std::ifstream in(manifest);
  return {dir, nlohmann::json::parse(in)};
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const char* kTiny =
    "--enis 60 --vpcs 3 --subnets-per-vpc 3 --sgs 12 --rules-per-sg 5 --nacl-entries 6 --peerings 2 "
    "--accounts 2 --regions 2 --public-share 0.3 --group-ref-share 0.4";

}  // namespace

TEST_CASE(
    "A generated estate loads with every live interface, VPC, subnet, group and peering it was written with",
    "[bench][aws]") {
  const Generated g = generate("tiny", std::string(kTiny) + " --seed 7");
  const vpcprove::model::Network n = vpcprove::aws::load_network(g.dir.string());
  // Stopped instances' ENIs stay in the model, inactive (asked for by ID they are answered).
  CHECK(std::count_if(n.network_interfaces.begin(), n.network_interfaces.end(), [](const auto& kv) {
          return kv.second.live();
        }) == static_cast<std::ptrdiff_t>(g.manifest["live_network_interfaces"].get<std::size_t>()));
  CHECK(n.vpcs.size() == g.manifest["vpcs"].get<std::size_t>());
  CHECK(n.subnets.size() == g.manifest["subnets"].get<std::size_t>());
  CHECK(n.security_groups.size() == g.manifest["security_groups"].get<std::size_t>());
  CHECK(n.nat_gateways.size() == g.manifest["nat_gateways"].get<std::size_t>());
  CHECK(n.vpc_peerings.size() == g.manifest["vpc_peerings"].get<std::size_t>());
  CHECK(n.accounts.size() == 2);
  CHECK(n.regions.size() == 2);
  CHECK(n.network_interfaces.count(g.manifest["reach_from"].get<std::string>()) == 1);
  CHECK(n.network_interfaces.count(g.manifest["reach_to"].get<std::string>()) == 1);
}

TEST_CASE(
    "A generated estate gives the loader nothing to warn about, only notes on non-live and repeated "
    "resources",
    "[bench][aws]") {
  const Generated g = generate("tiny-notes", std::string(kTiny) + " --seed 11");
  const vpcprove::model::Network n = vpcprove::aws::load_network(g.dir.string());
  for (const auto& d : n.diagnostics.items()) {
    INFO(d.code << ": " << d.message);
    CHECK(d.severity == vpcprove::Severity::Note);
  }
}

TEST_CASE("Every NAT gateway of a generated estate has its requester-managed interface in the model",
          "[bench][aws]") {
  const Generated g = generate("tiny-nat", std::string(kTiny) + " --seed 3");
  const vpcprove::model::Network n = vpcprove::aws::load_network(g.dir.string());
  REQUIRE(!n.nat_gateways.empty());
  for (const auto& [id, nat] : n.nat_gateways) {
    INFO(id);
    const auto* eni = vpcprove::model::Network::find(n.network_interfaces, nat.network_interface_id);
    REQUIRE(eni != nullptr);
    CHECK(eni->kind == vpcprove::model::InterfaceKind::NatGateway);
    CHECK(nat.public_ip.has_value());
  }
}

TEST_CASE("The generator writes the same bytes for the same seed and different bytes for another seed",
          "[bench]") {
  const Generated a = generate("same-a", std::string(kTiny) + " --seed 5");
  const Generated b = generate("same-b", std::string(kTiny) + " --seed 5");
  const Generated c = generate("other", std::string(kTiny) + " --seed 6");
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(a.dir)) {
    if (!entry.is_regular_file()) continue;
    const fs::path relative = fs::relative(entry.path(), a.dir);
    INFO(relative.string());
    CHECK(read_all(entry.path()) == read_all(b.dir / relative));
    ++files;
  }
  CHECK(files == a.manifest["files"].get<std::size_t>());
  CHECK(a.manifest["reach_from"] != c.manifest["reach_from"]);
}

TEST_CASE(
    "A --diverse estate loads cleanly with one NACL per subnet, mostly distinct group sets, several kinds "
    "of ENI and about half of them public",
    "[bench][aws]") {
  const Generated g = generate("diverse",
                               "--diverse --enis 400 --vpcs 2 --subnets-per-vpc 6 --sgs 60 "
                               "--rules-per-sg 6 --nacl-entries 8 --peerings 1 --public-share 0.5 "
                               "--group-ref-share 0.3 --seed 2");
  const vpcprove::model::Network n = vpcprove::aws::load_network(g.dir.string());
  for (const auto& d : n.diagnostics.items()) {
    INFO(d.code << ": " << d.message);
    CHECK(d.severity == vpcprove::Severity::Note);
  }
  CHECK(std::count_if(n.network_interfaces.begin(), n.network_interfaces.end(), [](const auto& kv) {
          return kv.second.live();
        }) == static_cast<std::ptrdiff_t>(g.manifest["live_network_interfaces"].get<std::size_t>()));
  std::set<std::string> acls;
  for (const auto& [id, s] : n.subnets) {
    acls.insert(s.nacl_id);
    const auto* acl = vpcprove::model::Network::find(n.network_acls, s.nacl_id);
    REQUIRE(acl != nullptr);
    CHECK(acl->ingress.size() >= 8);
    CHECK(acl->egress.size() >= 8);
  }
  CHECK(acls.size() == n.subnets.size());
  std::set<std::string> combos;
  std::set<vpcprove::model::InterfaceKind> kinds;
  std::size_t workload = 0, public_ips = 0, unfiltered = 0;
  for (const auto& [id, e] : n.network_interfaces) {
    if (e.kind == vpcprove::model::InterfaceKind::NatGateway) continue;
    ++workload;
    kinds.insert(e.kind);
    std::string key = e.subnet_id;
    for (const auto& sg : e.security_group_ids) key += "|" + sg;
    combos.insert(key);
    if (std::any_of(e.private_ips.begin(), e.private_ips.end(), [](const auto& p) { return p.public_ip; }))
      ++public_ips;
    if (e.unfiltered) ++unfiltered;
  }
  INFO(combos.size() << " combinations of " << workload << " ENIs, " << public_ips << " public");
  CHECK(combos.size() * 10 >= workload * 7);  // most ENIs have a combination of their own
  CHECK(kinds.size() >= 6);
  CHECK(unfiltered > 0);
  CHECK(public_ips * 10 >= workload * 3);
  CHECK(public_ips * 10 <= workload * 6);
}
