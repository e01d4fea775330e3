// SPDX-License-Identifier: Apache-2.0
// Unit tests of the concrete matchers: L4 matches, NACL first match, security-group union.
#include <catch2/catch.hpp>

#include "tests/support/network_builder.h"
#include "tests/unit/trace/trace_test_util.h"
#include "trace/l4_match.h"
#include "trace/nacl_match.h"
#include "trace/sg_match.h"

using namespace vpcprove;
using namespace vpcprove::testing;
using vpcprove::trace::evaluate_nacl;
using vpcprove::trace::first_matching_rule;
using vpcprove::trace::matches;

TEST_CASE("protocol -1 matches every protocol and port", "[trace][l4]") {
  CHECK(matches(any_l4(), packet("10.0.0.1", "10.0.0.2", model::kTcp, 1, 2)));
  CHECK(matches(any_l4(), packet("10.0.0.1", "10.0.0.2", 50, 0, 0)));
}

TEST_CASE("a tcp rule matches the destination port, never the source port", "[trace][l4]") {
  CHECK(matches(tcp(1000, 2000), packet("10.0.0.1", "10.0.0.2", model::kTcp, 5, 1500)));
  CHECK_FALSE(matches(tcp(1000, 2000), packet("10.0.0.1", "10.0.0.2", model::kTcp, 1500, 5)));
  CHECK_FALSE(matches(tcp(1000, 2000), packet("10.0.0.1", "10.0.0.2", model::kUdp, 5, 1500)));
  CHECK(matches(udp(53), packet("10.0.0.1", "10.0.0.2", model::kUdp, 5, 53)));
}

TEST_CASE("an icmp rule compares type and code unless they are -1", "[trace][l4]") {
  const auto echo = packet("10.0.0.1", "10.0.0.2", model::kIcmp, 0, 8);  // type 8 code 0
  CHECK(matches(icmp(), echo));
  CHECK(matches(icmp(8), echo));
  CHECK(matches(icmp(8, 0), echo));
  CHECK_FALSE(matches(icmp(8, 1), echo));
  CHECK_FALSE(matches(icmp(0), echo));
  CHECK_FALSE(matches(icmp(), packet("10.0.0.1", "10.0.0.2", model::kTcp, 0, 8)));
}

TEST_CASE("another protocol number matches on the number alone, and an invalid rule never", "[trace][l4]") {
  CHECK(matches(proto(50), packet("10.0.0.1", "10.0.0.2", 50, 0, 0)));
  CHECK_FALSE(matches(proto(50), packet("10.0.0.1", "10.0.0.2", 51, 0, 0)));
  auto never = any_l4();
  never.matches_nothing = true;
  CHECK_FALSE(matches(never, packet("10.0.0.1", "10.0.0.2", 50, 0, 0)));
}

namespace {
model::Network acl_network(bool deny_first) {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  auto acl = b.nacl("acl-1", "vpc-1");
  if (deny_first) {
    acl.deny_in(100, tcp(22), "0.0.0.0/0").allow_in(200, any_l4(), "0.0.0.0/0");
  } else {
    acl.allow_in(100, any_l4(), "0.0.0.0/0").deny_in(200, tcp(22), "0.0.0.0/0");
  }
  acl.allow_out(100, tcp(443), "8.8.8.0/24");
  return b.build();
}
}  // namespace

TEST_CASE("a NACL deny numbered before an allow wins", "[trace][nacl]") {
  const auto n = acl_network(true);
  const auto d = evaluate_nacl(n.network_acls.at("acl-1"), model::Direction::Ingress,
                               packet("1.2.3.4", "10.0.1.5", model::kTcp, 40000, 22));
  CHECK_FALSE(d.allow);
  REQUIRE(d.entry != nullptr);
  CHECK(d.entry->rule_number == 100);
  CHECK(d.by == "acl-1 rule 100 deny (tcp 22 0.0.0.0/0)");
}

TEST_CASE("a NACL allow numbered before a deny wins", "[trace][nacl]") {
  const auto n = acl_network(false);
  const auto d = evaluate_nacl(n.network_acls.at("acl-1"), model::Direction::Ingress,
                               packet("1.2.3.4", "10.0.1.5", model::kTcp, 40000, 22));
  CHECK(d.allow);
  REQUIRE(d.entry != nullptr);
  CHECK(d.entry->rule_number == 100);
}

TEST_CASE("a packet no NACL entry matches is denied by the default rule", "[trace][nacl]") {
  const auto n = acl_network(true);
  const auto d = evaluate_nacl(n.network_acls.at("acl-1"), model::Direction::Egress,
                               packet("10.0.1.5", "9.9.9.9", model::kTcp, 40000, 443));
  CHECK_FALSE(d.allow);
  CHECK(d.entry == nullptr);
  CHECK(d.by == "acl-1 rule * deny");
}

TEST_CASE("a NACL egress entry matches the destination address", "[trace][nacl]") {
  const auto n = acl_network(true);
  const auto d = evaluate_nacl(n.network_acls.at("acl-1"), model::Direction::Egress,
                               packet("10.0.1.5", "8.8.8.8", model::kTcp, 40000, 443));
  CHECK(d.allow);
  REQUIRE(d.entry != nullptr);
  CHECK(d.entry->rule_number == 100);
}

TEST_CASE("security groups are a union, and the first matching rule in group order is named", "[trace][sg]") {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24");
  b.eni("eni-1", "subnet-a", {"10.0.1.5"}).groups({"sg-b", "sg-a"});
  b.sg("sg-a").ingress_tcp(22, "0.0.0.0/0").ingress_tcp(443, "0.0.0.0/0");
  b.sg("sg-b").ingress_tcp(80, "0.0.0.0/0").ingress(tcp(0, 65535), "10.0.0.0/8");
  const auto n = b.build();
  const auto& eni = n.network_interfaces.at("eni-1");

  const auto* r443 = first_matching_rule(n, eni, model::Direction::Ingress,
                                         packet("1.2.3.4", "10.0.1.5", model::kTcp, 1, 443));
  REQUIRE(r443 != nullptr);
  CHECK(r443->label() == "sg-a/ingress/1");

  // Both groups admit this one: sg-b comes first on the ENI.
  const auto* both = first_matching_rule(n, eni, model::Direction::Ingress,
                                         packet("10.1.1.1", "10.0.1.5", model::kTcp, 1, 22));
  REQUIRE(both != nullptr);
  CHECK(both->label() == "sg-b/ingress/1");

  CHECK(first_matching_rule(n, eni, model::Direction::Ingress,
                            packet("1.2.3.4", "10.0.1.5", model::kTcp, 1, 8080)) == nullptr);
  CHECK(first_matching_rule(n, eni, model::Direction::Egress,
                            packet("10.0.1.5", "1.2.3.4", model::kTcp, 1, 80)) == nullptr);
}

TEST_CASE("a group reference matches the private addresses of the group's members", "[trace][sg]") {
  const auto n = vpcprove::trace::test::three_tier().build();
  const auto& app = n.network_interfaces.at("eni-app");
  CHECK(first_matching_rule(n, app, model::Direction::Ingress,
                            packet("10.0.1.21", "10.0.2.30", model::kTcp, 1, 8080)) != nullptr);
  CHECK(first_matching_rule(n, app, model::Direction::Ingress,
                            packet("10.0.3.40", "10.0.2.30", model::kTcp, 1, 8080)) == nullptr);
  // The member's public address is not part of the reference.
  CHECK(first_matching_rule(n, app, model::Direction::Ingress,
                            packet("54.0.0.20", "10.0.2.30", model::kTcp, 1, 8080)) == nullptr);
}

TEST_CASE("an ENI without security groups passes nothing", "[trace][sg]") {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24");
  b.eni("eni-1", "subnet-a", {"10.0.1.5"});
  const auto n = b.build();
  CHECK(first_matching_rule(n, n.network_interfaces.at("eni-1"), model::Direction::Egress,
                            packet("10.0.1.5", "10.0.1.6")) == nullptr);
}
