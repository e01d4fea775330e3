// SPDX-License-Identifier: Apache-2.0
// Unit tests of model::resolve_endpoint and is_public_subnet: every form of the contract and the errors.
#include "model/endpoint.h"

#include <catch2/catch.hpp>

#include "common/diagnostics.h"
#include "tests/unit/trace/trace_test_util.h"

using namespace vpcprove;
using namespace vpcprove::trace::test;
using model::resolve_endpoint;
using Ids = std::vector<std::string>;

namespace {
model::Network tagged() {
  auto b = three_tier();
  b.subnet("subnet-app", "vpc-1", "10.0.2.0/24").route_table("rtb-app").tags({{"tier", "app"}});
  b.eni("eni-db", "subnet-db", {"10.0.3.40"}).groups({"sg-db"}).tags({{"tier", "app"}});
  b.eni("eni-db2", "subnet-db", {"10.0.3.41", "10.0.3.42"}).groups({"sg-db", "sg-app"}).instance("i-db");
  b.instance("i-db", {"eni-db2", "eni-db"});
  b.eni("eni-other", "subnet-db", {"10.0.3.50"}).kind(model::InterfaceKind::TransitGateway).groups({"sg-db"});
  return b.build();
}
}  // namespace

TEST_CASE("eni- resolves to that interface, gateway-managed ones included", "[endpoint]") {
  const auto n = tagged();
  CHECK(resolve_endpoint(n, "eni-web").interfaces == Ids{"eni-web"});
  CHECK(resolve_endpoint(n, "eni-nat-1").interfaces == Ids{"eni-nat-1"});
  const auto e = resolve_endpoint(n, "eni-web");
  CHECK(e.is_interface_set());
  CHECK(e.text == "eni-web");
}

TEST_CASE("i- resolves to every ENI of the instance, sorted", "[endpoint]") {
  const auto n = tagged();
  CHECK(resolve_endpoint(n, "i-db").interfaces == Ids{"eni-db", "eni-db2"});
}

TEST_CASE("subnet-, sg- and vpc- resolve to the ENIs that can end a flow only", "[endpoint]") {
  const auto n = tagged();
  CHECK(resolve_endpoint(n, "subnet-db").interfaces == Ids{"eni-db", "eni-db2"});
  CHECK(resolve_endpoint(n, "subnet-pub").interfaces == Ids{"eni-web", "eni-web2"});  // not the NAT's ENI
  CHECK(resolve_endpoint(n, "sg-app").interfaces == Ids{"eni-app", "eni-app2", "eni-db2"});
  CHECK(resolve_endpoint(n, "vpc-1").interfaces ==
        Ids{"eni-app", "eni-app2", "eni-db", "eni-db2", "eni-web", "eni-web2"});
}

TEST_CASE("a set with no members resolves to an empty interface list", "[endpoint]") {
  auto b = three_tier();
  b.sg("sg-unused", "vpc-1");
  const auto n = b.build();
  const auto e = resolve_endpoint(n, "sg-unused");
  CHECK(e.is_interface_set());
  CHECK(e.interfaces.empty());
}

TEST_CASE("nat- resolves to the NAT gateway's interface", "[endpoint]") {
  const auto n = tagged();
  CHECK(resolve_endpoint(n, "nat-1").interfaces == Ids{"eni-nat-1"});
}

TEST_CASE("internet, an address and a CIDR resolve to themselves", "[endpoint]") {
  const auto n = tagged();
  const auto inet = resolve_endpoint(n, "internet");
  CHECK(inet.internet);
  CHECK_FALSE(inet.is_interface_set());
  const auto addr = resolve_endpoint(n, "203.0.113.7");
  REQUIRE(addr.cidr);
  CHECK(*addr.cidr == testing::prefix("203.0.113.7/32"));
  const auto net = resolve_endpoint(n, "198.51.100.0/24");
  REQUIRE(net.cidr);
  CHECK(net.cidr->len == 24);
  CHECK_FALSE(net.is_interface_set());
}

TEST_CASE("tag:KEY=VALUE matches an ENI's own tags or its subnet's tags", "[endpoint]") {
  const auto n = tagged();
  CHECK(resolve_endpoint(n, "tag:tier=app").interfaces == Ids{"eni-app", "eni-app2", "eni-db"});
  CHECK(resolve_endpoint(n, "tag:tier=web").interfaces.empty());
}

TEST_CASE("public-subnets and private-subnets split by a route to an internet gateway", "[endpoint]") {
  auto b = three_tier();
  // A blackholed IGW route does not make a subnet public.
  b.route_table("rtb-dead", "vpc-1").blackhole("0.0.0.0/0", "igw-1");
  b.subnet("subnet-dead", "vpc-1", "10.0.4.0/24").route_table("rtb-dead");
  b.eni("eni-dead", "subnet-dead", {"10.0.4.4"});
  const auto n = b.build();
  CHECK(model::is_public_subnet(n, n.subnets.at("subnet-pub")));
  CHECK_FALSE(model::is_public_subnet(n, n.subnets.at("subnet-app")));
  CHECK_FALSE(model::is_public_subnet(n, n.subnets.at("subnet-dead")));
  CHECK(resolve_endpoint(n, "public-subnets").interfaces == Ids{"eni-web", "eni-web2"});
  CHECK(resolve_endpoint(n, "private-subnets").interfaces ==
        Ids{"eni-app", "eni-app2", "eni-db", "eni-dead"});
}

TEST_CASE("an ID that is not in the snapshot is an input error naming it", "[endpoint][errors]") {
  const auto n = tagged();
  CHECK_THROWS_WITH(resolve_endpoint(n, "eni-0abc"), "eni-0abc: no such network interface in the snapshot");
  CHECK_THROWS_AS(resolve_endpoint(n, "i-0abc"), InputError);
  CHECK_THROWS_WITH(resolve_endpoint(n, "subnet-x"), Catch::Contains("subnet-x: no such subnet"));
  CHECK_THROWS_WITH(resolve_endpoint(n, "sg-x"), Catch::Contains("sg-x: no such security group"));
  CHECK_THROWS_WITH(resolve_endpoint(n, "vpc-x"), Catch::Contains("vpc-x: no such VPC"));
  CHECK_THROWS_WITH(resolve_endpoint(n, "nat-x"), Catch::Contains("nat-x: no such NAT gateway"));
}

TEST_CASE("an unknown form or a malformed address is an input error naming it", "[endpoint][errors]") {
  const auto n = tagged();
  CHECK_THROWS_WITH(resolve_endpoint(n, "web-server"), Catch::StartsWith("web-server: not an endpoint"));
  CHECK_THROWS_WITH(resolve_endpoint(n, "10.0.0.300"), Catch::Contains("10.0.0.300: not a valid IPv4"));
  CHECK_THROWS_AS(resolve_endpoint(n, "10.0.0.0/33"), InputError);
  CHECK_THROWS_AS(resolve_endpoint(n, "tag:tier"), InputError);
  CHECK_THROWS_AS(resolve_endpoint(n, ""), InputError);
}
