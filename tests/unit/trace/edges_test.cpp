// SPDX-License-Identifier: Apache-2.0
// trace at the edges of the model: what "internet" is, ICMP reply types, the traffic AWS does
// not filter (DNS, metadata, Time Sync) and the edge route table on replies to a NAT gateway.
#include <catch2/catch.hpp>

#include "tests/unit/trace/trace_test_util.h"

using namespace vpcprove;
using namespace vpcprove::trace;
using namespace vpcprove::trace::test;
using model::Disposition;
using testing::any_l4;
using testing::icmp;
using testing::tcp;
using Steps = std::vector<std::string>;

namespace {

/** three_tier() and an unrelated VPC in a public range (8.8.0.0/16) with a host in it. */
NetworkBuilder with_public_vpc() {
  auto b = three_tier();
  b.vpc("vpc-9", "8.8.0.0/16");
  b.subnet("subnet-9", "vpc-9", "8.8.4.0/24");
  b.eni("eni-9", "subnet-9", {"8.8.4.10"}).groups({"sg-9"});
  b.sg("sg-9", "vpc-9").egress_all();
  return b;
}

/** three_tier() with an edge table on igw-1 sending the NAT's subnet through appliance eni-fw. */
NetworkBuilder with_firewall_before_nat(bool firewall_admits_replies) {
  auto b = three_tier();
  b.route_table("rtb-edge", "vpc-1").edge("igw-1").route("10.0.1.0/24", "eni-fw");
  b.route_table("rtb-fw", "vpc-1").route("0.0.0.0/0", "igw-1");
  b.subnet("subnet-fw", "vpc-1", "10.0.4.0/24").route_table("rtb-fw");
  b.eni("eni-fw", "subnet-fw", {"10.0.4.5"}).groups({"sg-fw"}).source_dest_check(false);
  auto fw = b.sg("sg-fw", "vpc-1").egress_all();
  if (firewall_admits_replies) fw.ingress_all();
  return b;
}

}  // namespace

TEST_CASE("internet addresses: every bogon block is out, a VPC's public CIDR is in", "[trace][internet]") {
  const auto n = with_public_vpc().build();
  for (const char* a : {"0.0.0.1", "10.0.1.20", "100.64.0.1", "127.0.0.1", "169.254.169.254", "172.16.0.1",
                        "192.168.1.1", "224.0.0.5", "239.255.255.255", "240.0.0.1", "255.255.255.255"}) {
    INFO(a);
    CHECK_FALSE(n.is_internet_address(ip(a)));
  }
  for (const char* a : {"8.8.4.4", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.32.0.0",
                        "223.255.255.255", "203.0.113.7"}) {
    INFO(a);
    CHECK(n.is_internet_address(ip(a)));
  }
}

TEST_CASE("a host in a public range that an unrelated VPC also uses reaches a public server, both ways",
          "[trace][internet][session]") {
  const auto n = with_public_vpc().build();
  // 8.8.4.99 is inside vpc-9's CIDR, but it is an internet host to vpc-1.
  const auto s = walk_session(n, Start::internet(), packet("8.8.4.99", "54.0.0.20", model::kTcp, 49152, 443));
  INFO(show(s.forward));
  CHECK(s.forward.disposition == Disposition::Delivered);
  CHECK(s.forward.endpoint == "eni-web");
  REQUIRE(s.reply);
  INFO(show(*s.reply));
  CHECK(s.established);
}

TEST_CASE("nothing from the internet comes from a bogon", "[trace][internet]") {
  const auto n = three_tier().build();
  for (const char* src : {"127.0.0.1", "0.0.0.7", "224.0.0.9", "10.9.9.9", "169.254.1.1"}) {
    INFO(src);
    const auto w = walk(n, Start::internet(), packet(src, "54.0.0.20", model::kTcp, 49152, 443));
    CHECK(w.disposition == Disposition::Dropped);
    REQUIRE(w.drop);
    CHECK(w.drop->code == "SOURCE_NOT_INTERNET_ADDRESS");
  }
}

TEST_CASE("an internet gateway sends nothing to multicast, loopback, link-local or reserved space",
          "[trace][internet]") {
  const auto n = three_tier().build();
  for (const char* dst : {"224.0.0.5", "127.0.0.1", "169.254.1.1", "240.0.0.1", "0.0.0.7", "100.64.0.1"}) {
    INFO(dst);
    const auto w = from_eni(n, "eni-web", packet("10.0.1.20", dst, model::kUdp, 49152, 53));
    INFO(show(w));
    CHECK(w.disposition == Disposition::Dropped);
    REQUIRE(w.drop);
    CHECK(w.drop->code == "IGW_DESTINATION_NOT_PUBLIC");
  }
}

TEST_CASE("ICMP queries are answered with their reply types", "[trace][icmp]") {
  using P = model::Packet;
  const P echo = packet("10.0.0.1", "8.8.8.8", model::kIcmp, /*code*/ 0, /*type*/ 8);
  CHECK(model::reply_to(echo).icmp_type() == 0);
  for (auto [request, reply] : {std::pair{8, 0}, {13, 14}, {15, 16}, {17, 18}}) {
    INFO(request);
    const P p = packet("10.0.0.1", "8.8.8.8", model::kIcmp, 1, static_cast<std::uint16_t>(request));
    const P r = model::reply_to(p);
    CHECK(r.icmp_type() == reply);
    CHECK(r.icmp_code() == 0);
    CHECK(r.src_ip == p.dst_ip);
    CHECK(r.dst_ip == p.src_ip);
  }
  // Not a query: the same type and code come back (what a reply to it would be, if any).
  const P unreachable = packet("10.0.0.1", "8.8.8.8", model::kIcmp, 3, 3);
  CHECK(model::reply_to(unreachable) == packet("8.8.8.8", "10.0.0.1", model::kIcmp, 3, 3));
}

TEST_CASE("a timestamp session needs the NACL to admit the timestamp reply, not the request",
          "[trace][icmp][session][nacl]") {
  for (const int admitted : {14, 13}) {
    auto b = three_tier();
    b.sg("sg-web", "vpc-1").egress_all();
    b.nacl("acl-pub", "vpc-1").allow_out(100, any_l4()).allow_in(100, icmp(admitted));
    b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub").nacl("acl-pub");
    const auto n = b.build();
    const auto s =
        walk_session(n, Start::interface("eni-web"), packet("10.0.1.20", "8.8.8.8", model::kIcmp, 0, 13));
    INFO("NACL admits type " << admitted << "\n" << show(s.forward));
    CHECK(s.forward.disposition == Disposition::ExitsInternet);
    REQUIRE(s.reply);
    INFO(show(*s.reply));
    CHECK(s.reply->initial.icmp_type() == 14);
    CHECK(s.established == (admitted == 14));
  }
}

TEST_CASE("DNS, metadata and Time Sync answer an ENI that no group or NACL lets out",
          "[trace][aws-service]") {
  auto b = three_tier();
  b.sg("sg-db", "vpc-1");       // no rule at all
  b.nacl("acl-none", "vpc-1");  // denies everything both ways
  b.subnet("subnet-db", "vpc-1", "10.0.3.0/24").nacl("acl-none");
  auto n = b.build();
  n.vpcs.at("vpc-1").cidrs.push_back(
      testing::prefix("10.1.0.0/16"));  // secondary: its base + 2 is no DNS server
  n.index();
  const std::vector<std::pair<std::string, std::string>> services{{"10.0.0.2", "amazon-dns"},
                                                                  {"169.254.169.253", "amazon-dns"},
                                                                  {"169.254.169.254", "instance-metadata"},
                                                                  {"169.254.169.123", "amazon-time-sync"}};
  for (const auto& [dst, service] : services) {
    const auto p = packet("10.0.3.40", dst, dst == "169.254.169.254" ? model::kTcp : model::kUdp, 49152,
                          dst == "169.254.169.254" ? 80 : 53);
    const auto s = walk_session(n, Start::interface("eni-db"), p);
    INFO(dst << "\n" << show(s.forward));
    CHECK(s.forward.disposition == Disposition::AwsService);
    CHECK(s.forward.endpoint == service);
    CHECK(steps(s.forward) == Steps{"eni-db aws-service"});
    CHECK(s.established);
  }
  // Anything else from eni-db is stopped by its empty group, and 10.1.0.2 is just an address.
  const auto other = from_eni(n, "eni-db", packet("10.0.3.40", "10.1.0.2", model::kUdp, 49152, 53));
  INFO(show(other));
  CHECK(other.disposition == Disposition::Dropped);
  REQUIRE(other.drop);
  CHECK(other.drop->code == "ENI_SG_RULES_MISMATCH");
}

TEST_CASE("another VPC's DNS address is not a DNS server over a peering", "[trace][aws-service]") {
  auto b = three_tier();
  b.vpc("vpc-2", "10.2.0.0/16");
  b.subnet("subnet-2", "vpc-2", "10.2.1.0/24");
  b.peering("pcx-12", "vpc-1", "vpc-2");
  b.route_table("rtb-app", "vpc-1").route("0.0.0.0/0", "nat-1").route("10.2.0.0/16", "pcx-12");
  const auto n = b.build();
  const auto w = from_eni(n, "eni-app", packet("10.0.2.30", "10.2.0.2", model::kUdp, 49152, 53));
  INFO(show(w));
  CHECK(w.disposition == Disposition::Dropped);
  REQUIRE(w.drop);
  CHECK(w.drop->code == "DESTINATION_ADDRESS_NOT_ASSIGNED");
  CHECK_THAT(w.drop->detail, Catch::Contains("is in no subnet of vpc-2"));
}

TEST_CASE("the internet gateway's edge table routes the replies to a NAT gateway through the firewall",
          "[trace][edge][nat][session]") {
  const auto p = packet("10.0.2.30", "8.8.8.8", model::kTcp, 49152, 443);
  {
    const auto n = with_firewall_before_nat(true).build();
    const auto s = walk_session(n, Start::interface("eni-app"), p);
    REQUIRE(s.reply);
    INFO(show(s.forward) << show(*s.reply));
    CHECK(s.established);
    CHECK(steps(*s.reply) == Steps{"igw-1 igw-ingress", "rtb-edge route", "subnet-fw nacl-ingress",
                                   "eni-fw sg-ingress", "eni-fw eni-forward", "eni-fw sg-egress",
                                   "rtb-fw route", "subnet-fw nacl-egress", "subnet-pub nacl-ingress",
                                   "nat-1 nat", "rtb-pub route", "subnet-pub nacl-egress",
                                   "subnet-app nacl-ingress", "eni-app deliver"});
  }
  {
    // The firewall's group admits nothing new: the reply it never saw leave is dropped there,
    // which proves the edge table applies to it.
    const auto n = with_firewall_before_nat(false).build();
    const auto s = walk_session(n, Start::interface("eni-app"), p);
    REQUIRE(s.reply);
    INFO(show(*s.reply));
    CHECK_FALSE(s.established);
    REQUIRE(s.reply_drop);
    CHECK(s.reply_drop->code == "ENI_SG_RULES_MISMATCH");
    CHECK(s.reply_drop->at == "sg-fw");
  }
}
