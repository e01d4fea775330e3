// SPDX-License-Identifier: Apache-2.0
// Loads every snapshot of ../shared/corpus (and examples/) and records the warnings each gives.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "aws/load.h"
#include "common/diagnostics.h"
#include "common/ipv4.h"
#include "tests/support/test_paths.h"

namespace fs = std::filesystem;

namespace {

const fs::path kCorpus = fs::path(VPCPROVE_CORPUS_DIR);

std::vector<fs::path> snapshots() { return vpcprove::testing::corpus_and_example_snapshots(); }

const char* severity_name(vpcprove::Severity s) {
  switch (s) {
    case vpcprove::Severity::Warning:
      return "warning";
    case vpcprove::Severity::Unimplemented:
      return "unimplemented";
    case vpcprove::Severity::Note:
      return "note";
  }
  return "?";
}

vpcprove::model::Network load(const std::string& relative) {
  return vpcprove::aws::load_network((kCorpus / relative).string());
}

}  // namespace

TEST_CASE("Every snapshot of the corpus loads without an InputError", "[corpus]") {
  const auto all = snapshots();
  REQUIRE(all.size() > 50);
  std::ofstream report(VPCPROVE_CORPUS_WARNINGS_FILE);
  for (const auto& path : all) {
    INFO("snapshot " << path.string());
    std::string error;
    vpcprove::model::Network n;
    try {
      n = vpcprove::aws::load_network(path.string());
    } catch (const vpcprove::InputError& e) {
      error = e.what();
    }
    CHECK(error.empty());
    report << "== " << fs::relative(path, kCorpus.parent_path().parent_path()).generic_string() << ": "
           << n.vpcs.size() << " VPCs, " << n.subnets.size() << " subnets, " << n.network_interfaces.size()
           << " ENIs, " << n.diagnostics.items().size() << " diagnostics\n";
    if (!error.empty()) report << "  ERROR " << error << "\n";
    for (const auto& d : n.diagnostics.items()) {
      report << "  " << severity_name(d.severity) << " [" << d.code << "] " << d.message << "\n";
    }
  }
}

TEST_CASE("The public-subnet snapshot has its instance with its public IP behind an attached IGW",
          "[corpus]") {
  const auto n = load("batfish/aws/test-public-subnet/aws_configs");
  const auto* eni = n.interface_with_public_ip(*vpcprove::parse_ipv4("18.216.80.133"));
  REQUIRE(eni);
  CHECK(eni->instance_id == "i-06669a407b2ef3ae5");
  CHECK(eni->owns(*vpcprove::parse_ipv4("10.0.0.91")));
  CHECK(n.vpcs.at("vpc-0672bce73895d7252").internet_gateway_id == "igw-0a409e562d251f766");
  CHECK(n.subnets.at("subnet-0bb82ae8b3ea5dc78").route_table_id == "rtb-0489000c9e6c299e8");
  CHECK(n.regions == std::vector<std::string>{"us-east-2"});
}

TEST_CASE("The multi-account snapshot keeps both VPCs with their folder accounts and regions", "[corpus]") {
  const auto n = load("batfish/aws/test-multi-account/aws_configs");
  REQUIRE(n.vpcs.count("vpc-015b20578b48c1349") == 1);
  REQUIRE(n.vpcs.count("vpc-0008a7b45e3ddf1dd") == 1);
  CHECK(n.regions == std::vector<std::string>{"us-west-1", "us-west-2"});
}

TEST_CASE("The hybrid-cloud example network has no running instance, so no instance ENI", "[corpus]") {
  const auto n = load("batfish/networks/hybrid-cloud-aws/aws_configs");
  CHECK(n.vpcs.size() == 4);
  CHECK(n.instances.empty());
  CHECK(n.regions == std::vector<std::string>{"us-west-2"});
}
