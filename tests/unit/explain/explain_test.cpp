// SPDX-License-Identifier: Apache-2.0
// Tests of reach --explain: the fewest fixes, and that each set, applied, makes reach agree.
#include "queries/explain.h"

#include <catch2/catch.hpp>
#include <random>

#include "aws/load.h"
#include "model/endpoint.h"
#include "queries/reach.h"
#include "tests/support/network_builder.h"
#include "tests/support/random_network.h"
#include "tests/support/test_paths.h"

namespace vpcprove::queries {
namespace {

using testing::NetworkBuilder;
using testing::tcp;

ReachQuery query(const model::Network& n, const std::string& from, const std::string& to,
                 HeaderSpace hs = {}) {
  return {model::resolve_endpoint(n, from), model::resolve_endpoint(n, to), hs, Semantics::Packet, 0};
}

HeaderSpace tcp_port(std::uint16_t port) {
  HeaderSpace hs;
  hs.protocol = model::kTcp;
  hs.dst_ports = PortRange{port, port};
  return hs;
}

Verdict verdict_after(const model::Network& n, const ReachQuery& q, const std::vector<Fix>& fixes) {
  const auto fixed = apply_fixes(n, fixes);
  Prover p(fixed);
  return p.reach(q).verdict;
}

/** Explains q (unreachable on n) and checks the promise: the fixes, applied, make it reachable. */
Explanation open_and_check(const model::Network& n, const ReachQuery& q) {
  {
    Prover p(n);
    REQUIRE(p.reach(q).verdict == Verdict::Unreachable);
  }
  const auto e = explain_unreachable(n, q);
  if (e.found) {
    CHECK_FALSE(e.fixes.empty());
    CHECK(verdict_after(n, q, e.fixes) == Verdict::Reachable);
    for (const auto& f : e.fixes) CHECK(f.aws_cli.rfind("aws ec2 ", 0) == 0);
  }
  return e;
}

NetworkBuilder base() {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1");
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub");
  b.eni("eni-web", "subnet-pub", {"10.0.1.20"}).public_ip("54.0.0.20").groups({"sg-web"});
  b.sg("sg-web", "vpc-1").ingress_tcp(443, "0.0.0.0/0").egress_all();
  b.sg("sg-all", "vpc-1").ingress_all().egress_all();
  return b;
}

TEST_CASE("explain opens a closed port with one security-group rule", "[explain]") {
  const auto n = base().build();
  const auto e = open_and_check(n, query(n, "internet", "eni-web", tcp_port(22)));
  REQUIRE(e.found);
  REQUIRE(e.fixes.size() == 1);
  CHECK(e.fixes[0].kind == Fix::Kind::AuthorizeSecurityGroup);
  CHECK(
      e.fixes[0].aws_cli ==
      "aws ec2 authorize-security-group-ingress --group-id sg-web --protocol tcp --port 22 --cidr 0.0.0.0/0");
}

TEST_CASE("explain adds a NACL entry before the deny that decides, and the rule", "[explain]") {
  auto b = base();
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub").nacl("acl-pub");
  b.nacl("acl-pub", "vpc-1")
      .deny_in(50, tcp(22))
      .allow_in(100, testing::any_l4())
      .allow_out(100, testing::any_l4());
  const auto n = b.build();
  const auto e = open_and_check(n, query(n, "internet", "eni-web", tcp_port(22)));
  REQUIRE(e.found);
  REQUIRE(e.fixes.size() == 2);
  const auto nacl = std::find_if(e.fixes.begin(), e.fixes.end(),
                                 [](const Fix& f) { return f.kind == Fix::Kind::CreateNaclEntry; });
  REQUIRE(nacl != e.fixes.end());
  CHECK(nacl->nacl_entry.rule_number < 50);
  CHECK(nacl->aws_cli.find(
            "aws ec2 create-network-acl-entry --network-acl-id acl-pub --ingress --rule-number") == 0);
}

TEST_CASE("explain gives an ENI without a public IP an Elastic IP", "[explain]") {
  auto b = base();
  b.eni("eni-priv", "subnet-pub", {"10.0.1.30"}).groups({"sg-web"});
  const auto n = b.build();
  auto e = open_and_check(n, query(n, "internet", "eni-priv", tcp_port(443)));
  REQUIRE(e.found);
  REQUIRE(e.fixes.size() == 1);
  CHECK(e.fixes[0].kind == Fix::Kind::AssociateAddress);
  CHECK(e.fixes[0].aws_cli.find("aws ec2 associate-address --network-interface-id eni-priv") !=
        std::string::npos);
  e = open_and_check(n, query(n, "eni-priv", "internet", tcp_port(443)));
  REQUIRE(e.found);
  CHECK(e.fixes.size() == 1);
}

/** Spokes A (10.1.0.0/16) and B (10.2.0.0/16) on tgw-1, both associated with and propagating
 *  to tgw-rtb-1; each VPC sends the other's CIDR to the TGW. */
NetworkBuilder two_spokes() {
  NetworkBuilder b;
  for (const char* x : {"a", "b"}) {
    const std::string v = std::string("vpc-") + x,
                      other = std::string(x) == "a" ? "10.2.0.0/16" : "10.1.0.0/16";
    b.vpc(v, std::string(x) == "a" ? "10.1.0.0/16" : "10.2.0.0/16");
    b.route_table(std::string("rtb-") + x, v).route(other, "tgw-1");
    b.subnet(std::string("subnet-") + x, v, std::string(x) == "a" ? "10.1.0.0/24" : "10.2.0.0/24")
        .route_table(std::string("rtb-") + x)
        .zone("us-east-1a");
    b.sg(std::string("sg-") + x, v).ingress_all().egress_all();
  }
  b.eni("eni-a", "subnet-a", {"10.1.0.10"}).groups({"sg-a"});
  b.eni("eni-b", "subnet-b", {"10.2.0.10"}).groups({"sg-b"});
  b.transit_gateway("tgw-1");
  b.tgw_vpc_attachment("tgw-attach-a", "tgw-1", "vpc-a", {"subnet-a"}, "tgw-rtb-1");
  b.tgw_vpc_attachment("tgw-attach-b", "tgw-1", "vpc-b", {"subnet-b"}, "tgw-rtb-1");
  return b;
}

/** explain opens eni-a -> eni-b on tcp 443 with one TGW route to B's attachment (checked by open_and_check).
 */
void expect_tgw_route_to_b(const model::Network& n) {
  const auto e = open_and_check(n, query(n, "eni-a", "eni-b", tcp_port(443)));
  REQUIRE(e.found);
  REQUIRE(e.fixes.size() == 1);
  CHECK(e.fixes[0].kind == Fix::Kind::CreateTransitGatewayRoute);
  CHECK(e.fixes[0].aws_cli ==
        "aws ec2 create-transit-gateway-route --transit-gateway-route-table-id tgw-rtb-1 "
        "--destination-cidr-block 10.2.0.10/32 --transit-gateway-attachment-id tgw-attach-b");
}

TEST_CASE("explain adds a transit gateway route past a TGW blackhole", "[explain][tgw]") {
  auto b = two_spokes();
  b.tgw_route_table("tgw-rtb-1", "tgw-1")
      .propagate("tgw-attach-a")
      .propagate("tgw-attach-b")
      .blackhole("10.2.0.0/24");
  expect_tgw_route_to_b(b.build());
}

TEST_CASE("explain adds a transit gateway route a TGW table lacks for the destination", "[explain][tgw]") {
  auto b = two_spokes();
  // B's CIDR is not propagated: only a static route for another prefix goes to B's attachment.
  b.tgw_route_table("tgw-rtb-1", "tgw-1").propagate("tgw-attach-a").route("10.2.128.0/17", "tgw-attach-b");
  expect_tgw_route_to_b(b.build());
}

TEST_CASE("explain adds a route when a more specific one sends the traffic elsewhere", "[explain]") {
  auto b = base();
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1").blackhole("9.9.9.0/24", "igw-old");
  const auto n = b.build();
  HeaderSpace hs = tcp_port(443);
  hs.dst_ip = testing::prefix("9.9.9.9/32");
  const auto e = open_and_check(n, query(n, "eni-web", "internet", hs));
  REQUIRE(e.found);
  REQUIRE(e.fixes.size() == 1);
  CHECK(e.fixes[0].kind == Fix::Kind::CreateRoute);
  CHECK(
      e.fixes[0].aws_cli ==
      "aws ec2 create-route --route-table-id rtb-pub --destination-cidr-block 9.9.9.9/32 --gateway-id igw-1");
}

TEST_CASE("explain turns off a source/destination check that stops a middlebox route", "[explain]") {
  auto b = base();
  b.eni("eni-fw", "subnet-pub", {"10.0.1.40"}).public_ip("54.0.0.40").groups({"sg-all"});
  b.route_table("rtb-app", "vpc-1").route("0.0.0.0/0", "eni-fw");
  b.subnet("subnet-app", "vpc-1", "10.0.3.0/24").route_table("rtb-app");
  b.eni("eni-app", "subnet-app", {"10.0.3.5"}).groups({"sg-all"});
  const auto n = b.build();
  const auto e = open_and_check(n, query(n, "eni-app", "internet", tcp_port(443)));
  REQUIRE(e.found);
  CHECK(std::any_of(e.fixes.begin(), e.fixes.end(), [](const Fix& f) {
    return f.kind == Fix::Kind::DisableSourceDestCheck && f.eni == "eni-fw";
  }));
}

TEST_CASE("explain on the primer: web to db on 5432 needs the db NACL and sg-db", "[explain][primer]") {
  const auto n = aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/examples/primer");
  const auto e =
      open_and_check(n, query(n, "eni-0c4d941a10da0333c", "eni-048dd1e45e6cc4df4", tcp_port(5432)));
  REQUIRE(e.found);
  CHECK(e.fixes.size() == 2);
}

TEST_CASE("the dual: removing the fewest rules makes a reachable pair unreachable", "[explain]") {
  const auto n = aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/examples/primer");
  const auto q = query(n, "internet", "eni-0c4d941a10da0333c", tcp_port(443));
  const auto e = explain_reachable(n, q);
  REQUIRE(e.found);
  REQUIRE(e.fixes.size() == 1);
  CHECK(e.fixes[0].kind == Fix::Kind::RevokeSecurityGroup);
  CHECK(e.fixes[0].aws_cli.rfind("aws ec2 revoke-security-group-ingress --group-id sg-00e93904bb5648514",
                                 0) == 0);
  CHECK(verdict_after(n, q, e.fixes) == Verdict::Unreachable);
}

TEST_CASE("every fix suggested on random networks makes reach agree", "[explain][random]") {
  std::size_t opened = 0, closed = 0;
  for (std::uint32_t seed = 1; seed <= 15; ++seed) {
    const auto n = testing::random_network(seed);
    std::mt19937 rng(seed);
    std::vector<std::string> enis;
    for (const auto& [id, e] : n.network_interfaces) {
      if (e.in_sets()) enis.push_back(id);
    }
    if (enis.size() < 2) continue;
    for (int i = 0; i < 8; ++i) {
      const auto& a = enis[rng() % enis.size()];
      const auto& b = enis[rng() % enis.size()];
      const std::string to = i % 2 ? std::string("internet") : b;
      // Half of the questions on one port, half on every packet (those are reachable more often).
      const auto q =
          query(n, a, to, i % 4 < 2 ? tcp_port(static_cast<std::uint16_t>(i % 2 ? 443 : 22)) : HeaderSpace{});
      Prover p(n);
      const auto r = p.reach(q);
      INFO("seed " << seed << ": " << a << " -> " << to);
      if (r.verdict == Verdict::Unreachable) {
        const auto e = explain_unreachable(n, q);
        if (e.found) {
          ++opened;
          CHECK(verdict_after(n, q, e.fixes) == Verdict::Reachable);
        }
      } else if (r.verdict == Verdict::Reachable) {
        const auto e = explain_reachable(n, q);
        UNSCOPED_INFO("reachable " << a << " -> " << to << ": " << e.note);
        if (e.found) {
          ++closed;
          CHECK(verdict_after(n, q, e.fixes) == Verdict::Unreachable);
        }
      }
    }
  }
  CHECK(opened > 0);
  CHECK(closed > 0);
}

}  // namespace
}  // namespace vpcprove::queries
