// SPDX-License-Identifier: Apache-2.0
// trace through a gateway endpoint (docs/semantics.md, "Gateway endpoints"): what it hands to its
// service, what it refuses, and how the service's answer comes back.
#include <catch2/catch.hpp>

#include "tests/unit/trace/trace_test_util.h"

using namespace vpcprove;
using namespace vpcprove::trace;
using namespace vpcprove::trace::test;
using model::Disposition;

namespace {

/** three_tier() with an S3 endpoint in vpc-1: the app subnet's table (NAT default) and the public
 *  one (IGW default) carry its prefix-list route; appliance eni-fw (source/dest check off) too. */
NetworkBuilder with_s3_endpoint() {
  auto b = three_tier();
  b.prefix_list("pl-s3", {"52.216.0.0/15", "3.5.0.0/20"});
  b.gateway_endpoint("vpce-s3", "vpc-1", "pl-s3");
  b.route_table("rtb-app", "vpc-1").prefix_list_route("pl-s3", "vpce-s3").route("192.0.2.0/24", "vpce-s3");
  b.route_table("rtb-pub", "vpc-1").prefix_list_route("pl-s3", "vpce-s3");
  b.eni("eni-fw", "subnet-app", {"10.0.2.50"}).groups({"sg-fw"}).source_dest_check(false);
  b.sg("sg-fw", "vpc-1").ingress_all().egress_all();
  return b;
}

}  // namespace

TEST_CASE("a packet to the service's address is handed to it by the endpoint, not the NAT or IGW",
          "[trace][vpce]") {
  const auto n = with_s3_endpoint().build();
  for (const char* eni : {"eni-app", "eni-web"}) {
    INFO(eni);
    const auto& x = n.network_interfaces.at(eni);
    const auto w =
        from_eni(n, eni, testing::packet(format_ipv4(x.private_ips.front().address), "52.216.1.1"));
    INFO(show(w));
    REQUIRE(w.disposition == Disposition::GatewayEndpoint);
    CHECK(w.endpoint == "vpce-s3");
    REQUIRE(find_hop(w, "vpce"));
    CHECK(find_hop(w, "vpce")->at == "vpce-s3");
    CHECK(find_hop(w, "nat") == nullptr);
    CHECK(find_hop(w, "igw-egress") == nullptr);
  }
}

TEST_CASE("the endpoint drops a destination outside its service and a source outside its VPC",
          "[trace][vpce]") {
  const auto n = with_s3_endpoint().build();
  const auto outside = from_eni(n, "eni-app", testing::packet("10.0.2.30", "192.0.2.9"));
  REQUIRE(outside.drop.has_value());
  CHECK(outside.drop->code == "VPCE_DESTINATION_NOT_IN_SERVICE");
  CHECK(outside.drop->at == "vpce-s3");
  // An appliance forwarding a packet whose source is not the VPC's (as one that came over a
  // peering or a transit gateway would be): endpoint connections do not extend out of the VPC.
  const auto foreign = from_eni(n, "eni-fw", testing::packet("172.16.0.9", "52.216.1.1"));
  INFO(show(foreign));
  REQUIRE(foreign.drop.has_value());
  CHECK(foreign.drop->code == "VPCE_REQUIRES_SOURCE_IN_VPC_CIDR");
  CHECK(foreign.drop->step == "vpce");
}

TEST_CASE("the service's answer comes back through the endpoint past the subnet's NACL",
          "[trace][vpce][session]") {
  auto b = with_s3_endpoint();
  SECTION("an allow-all NACL: the session is established, the initiator's group skipped") {
    const auto n = b.build();
    const auto s = walk_session(n, Start::interface("eni-app"), testing::packet("10.0.2.30", "52.216.1.1"));
    REQUIRE(s.reply.has_value());
    INFO(show(*s.reply));
    CHECK(s.established);
    CHECK(s.reply->hops.front().at == "vpce-s3");
    CHECK(s.reply->hops.front().step == "vpce");
    REQUIRE(find_hop(*s.reply, "nacl-ingress"));
    CHECK(find_hop(*s.reply, "nacl-ingress")->at == "subnet-app");
    CHECK(find_hop(*s.reply, "sg-ingress") == nullptr);
  }
  SECTION("a NACL that admits only the VPC drops the answer") {
    b.nacl("acl-app", "vpc-1")
        .ingress(100, true, testing::any_l4(), "10.0.0.0/16")
        .egress(100, true, testing::any_l4(), "0.0.0.0/0");
    b.subnet("subnet-app", "vpc-1", "10.0.2.0/24").route_table("rtb-app").nacl("acl-app");
    const auto n = b.build();
    const auto s = walk_session(n, Start::interface("eni-app"), testing::packet("10.0.2.30", "52.216.1.1"));
    CHECK(s.forward.disposition == Disposition::GatewayEndpoint);
    CHECK_FALSE(s.established);
    REQUIRE(s.reply_drop.has_value());
    CHECK(s.reply_drop->code == "SUBNET_ACL_RESTRICTION");
  }
}

TEST_CASE("an IPv6 route to a gateway endpoint leaves the model", "[trace][vpce][ipv6]") {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16").ipv6("2600:1f18:1::/56");
  b.subnet("subnet-1", "vpc-1", "10.0.1.0/24").ipv6("2600:1f18:1:1::/64");
  b.eni("eni-1", "subnet-1", {"10.0.1.10"}).groups({"sg-1"}).ipv6({"2600:1f18:1:1::10"});
  b.sg("sg-1", "vpc-1").egress_all().egress(testing::any_l4(), "::/0");
  b.prefix_list("pl-s3", {"52.216.0.0/15"});
  b.gateway_endpoint("vpce-s3", "vpc-1", "pl-s3");
  b.main_route_table("vpc-1").prefix_list_route("pl-s3", "vpce-s3").route("2600:9000::/28", "vpce-s3");
  const auto n = b.build();
  model::Packet p = testing::packet("10.0.1.10", "52.216.1.1");
  p.ip_version = 6;
  p.src_ip6 = *parse_ipv6("2600:1f18:1:1::10");
  p.dst_ip6 = *parse_ipv6("2600:9000::1");
  const auto w = from_eni(n, "eni-1", p);
  INFO(show(w));
  CHECK(w.disposition == Disposition::ExitsUnmodelled);
  CHECK(w.endpoint == "vpce-s3");
  // The same network's IPv4 packet is handed to the service.
  CHECK(from_eni(n, "eni-1", testing::packet("10.0.1.10", "52.216.1.1")).disposition ==
        Disposition::GatewayEndpoint);
}
