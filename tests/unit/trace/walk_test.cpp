// SPDX-License-Identifier: Apache-2.0
// Unit tests of trace::walk: every rule of docs/semantics.md "A packet's walk", on hand-built networks.
#include <catch2/catch.hpp>

#include "tests/unit/trace/trace_test_util.h"

using namespace vpcprove;
using namespace vpcprove::trace;
using namespace vpcprove::trace::test;
using model::Disposition;
using testing::any_l4;
using testing::tcp;
using Steps = std::vector<std::string>;

TEST_CASE("a packet to another subnet passes both NACLs and is delivered with every hop named",
          "[trace][walk][local]") {
  const auto n = three_tier().build();
  const auto w = from_eni(n, "eni-web", packet("10.0.1.20", "10.0.2.30", model::kTcp, 49152, 8080));
  INFO(show(w));
  CHECK(w.disposition == Disposition::Delivered);
  CHECK(w.endpoint == "eni-app");
  CHECK(steps(w) == Steps{"eni-web sg-egress", "rtb-pub route", "subnet-pub nacl-egress",
                          "subnet-app nacl-ingress", "eni-app sg-ingress", "eni-app deliver"});
  CHECK(w.hops[0].by == "sg-web egress rule 0 (all traffic 0.0.0.0/0)");
  CHECK(w.hops[1].by == "10.0.0.0/16 -> local");
  CHECK(w.hops[2].by == "acl-default-vpc-1 rule 100 allow (all traffic 0.0.0.0/0)");
  CHECK(w.hops[4].by == "sg-app ingress rule 0 (tcp 8080 sg-web)");
  CHECK(w.final_packet == w.initial);
  CHECK_FALSE(w.drop.has_value());
}

TEST_CASE("a packet inside one subnet is delivered without passing the subnet's NACL",
          "[trace][walk][local]") {
  auto b = three_tier();
  b.sg("sg-app", "vpc-1").ingress_tcp(8080, "sg-web").ingress_tcp(9000, "sg-app").egress_all();
  b.nacl("acl-deny", "vpc-1");  // denies everything
  b.subnet("subnet-app", "vpc-1", "10.0.2.0/24").route_table("rtb-app").nacl("acl-deny");
  const auto n = b.build();
  const auto w = from_eni(n, "eni-app", packet("10.0.2.30", "10.0.2.31", model::kTcp, 49152, 9000));
  INFO(show(w));
  CHECK(w.disposition == Disposition::Delivered);
  CHECK(steps(w) == Steps{"eni-app sg-egress", "rtb-app route", "eni-app2 sg-ingress", "eni-app2 deliver"});
  // From another subnet the same NACL stops it.
  const auto other = from_eni(n, "eni-db", packet("10.0.3.40", "10.0.2.31", model::kTcp, 49152, 9000));
  REQUIRE(other.drop);
  CHECK(other.drop->code == "SUBNET_ACL_RESTRICTION");
  CHECK(other.drop->at == "acl-deny");
  CHECK(other.drop->step == "nacl-ingress");
  CHECK_THAT(other.drop->detail, Catch::Contains("acl-deny rule * deny"));
}

TEST_CASE("a NACL denies before delivery and allows its own listed sources", "[trace][walk][nacl]") {
  auto b = three_tier();
  b.nacl("acl-db", "vpc-1")
      .allow_in(100, tcp(5432), "10.0.2.0/24")
      .allow_in(110, tcp(1024, 65535), "10.0.2.0/24")
      .allow_out(100, tcp(1024, 65535), "10.0.2.0/24");
  b.subnet("subnet-db", "vpc-1", "10.0.3.0/24").nacl("acl-db");
  b.sg("sg-db", "vpc-1").ingress_tcp(5432, "sg-app").ingress_tcp(5432, "sg-web").egress_all();
  const auto n = b.build();
  const auto ok = from_eni(n, "eni-app", packet("10.0.2.30", "10.0.3.40", model::kTcp, 49152, 5432));
  INFO(show(ok));
  CHECK(ok.disposition == Disposition::Delivered);
  const auto* in = find_hop(ok, "nacl-ingress");
  REQUIRE(in);
  CHECK(in->by == "acl-db rule 100 allow (tcp 5432 10.0.2.0/24)");

  const auto web = from_eni(n, "eni-web", packet("10.0.1.20", "10.0.3.40", model::kTcp, 49152, 5432));
  REQUIRE(web.drop);
  CHECK(web.disposition == Disposition::Dropped);
  CHECK(web.drop->code == "SUBNET_ACL_RESTRICTION");
  CHECK(web.drop->at == "acl-db");
}

TEST_CASE("a NACL deny entry before an allow drops, after it does not", "[trace][walk][nacl]") {
  for (bool deny_first : {true, false}) {
    auto b = three_tier();
    auto acl = b.nacl("acl-app", "vpc-1").allow_out(100, any_l4());
    if (deny_first) {
      acl.deny_in(90, tcp(8080), "10.0.1.20/32").allow_in(100, any_l4());
    } else {
      acl.allow_in(90, any_l4()).deny_in(100, tcp(8080), "10.0.1.20/32");
    }
    b.subnet("subnet-app", "vpc-1", "10.0.2.0/24").route_table("rtb-app").nacl("acl-app");
    const auto n = b.build();
    const auto w = from_eni(n, "eni-web", packet("10.0.1.20", "10.0.2.30", model::kTcp, 49152, 8080));
    INFO(show(w));
    if (deny_first) {
      REQUIRE(w.drop);
      CHECK(w.drop->code == "SUBNET_ACL_RESTRICTION");
      CHECK_THAT(w.drop->detail, Catch::StartsWith("acl-app rule 90 deny"));
    } else {
      CHECK(w.disposition == Disposition::Delivered);
      CHECK(find_hop(w, "nacl-ingress")->by == "acl-app rule 90 allow (all traffic 0.0.0.0/0)");
    }
  }
}

TEST_CASE("security groups drop at the group with ENI_SG_RULES_MISMATCH, egress and ingress",
          "[trace][walk][sg]") {
  auto b = three_tier();
  b.sg("sg-app", "vpc-1").ingress_tcp(8080, "sg-web");  // no egress rules at all
  const auto n = b.build();
  const auto out = from_eni(n, "eni-app", packet("10.0.2.30", "10.0.3.40", model::kTcp, 49152, 5432));
  REQUIRE(out.drop);
  CHECK(out.drop->code == "ENI_SG_RULES_MISMATCH");
  CHECK(out.drop->at == "sg-app");
  CHECK(out.drop->step == "sg-egress");
  CHECK(out.hops.empty());

  const auto in = from_eni(n, "eni-db", packet("10.0.3.40", "10.0.2.30", model::kTcp, 49152, 8080));
  REQUIRE(in.drop);
  CHECK(in.drop->code == "ENI_SG_RULES_MISMATCH");
  CHECK(in.drop->step == "sg-ingress");
  CHECK(steps(in).back() == "subnet-app nacl-ingress");
}

TEST_CASE("the route with the longest matching prefix is used", "[trace][walk][route]") {
  auto b = three_tier();
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1").route("8.8.8.0/24", "tgw-1");
  b.opaque_gateway("tgw-1", {"vpc-1"});
  const auto n = b.build();
  const auto w = from_eni(n, "eni-web", packet("10.0.1.20", "8.8.8.8"));
  INFO(show(w));
  CHECK(w.disposition == Disposition::ExitsUnmodelled);
  CHECK(w.endpoint == "tgw-1");
  CHECK(find_hop(w, "route")->by == "8.8.8.0/24 -> tgw-1");
  const auto other = from_eni(n, "eni-web", packet("10.0.1.20", "8.8.4.4"));
  CHECK(other.disposition == Disposition::ExitsInternet);
}

TEST_CASE("among routes with equal prefixes the first in the table's route list is used",
          "[trace][walk][route]") {
  auto b = three_tier();
  b.route_table("rtb-pub", "vpc-1").route("172.16.0.0/12", "tgw-1").route("172.16.0.0/12", "vgw-1");
  b.opaque_gateway("tgw-1", {"vpc-1"});
  b.opaque_gateway("vgw-1", {"vpc-1"});
  auto n = b.build();
  const auto p = packet("10.0.1.20", "172.16.5.5");
  CHECK(from_eni(n, "eni-web", p).endpoint == "tgw-1");
  // The list order, not the target kind, decides: swap the two and the other is used.
  auto& routes = n.route_tables.at("rtb-pub").routes;
  auto first = std::find_if(routes.begin(), routes.end(),
                            [](const model::Route& r) { return r.target_id == "tgw-1"; });
  std::iter_swap(first, first + 1);
  CHECK(from_eni(n, "eni-web", p).endpoint == "vgw-1");
}

TEST_CASE("a gateway vpcprove does not follow ends the walk as exits-unmodelled", "[trace][walk][route]") {
  auto b = three_tier();
  b.main_route_table("vpc-1").route("192.168.0.0/16", "vgw-1");
  b.opaque_gateway("vgw-1", {"vpc-1"});
  const auto n = b.build();
  const auto w = from_eni(n, "eni-db", packet("10.0.3.40", "192.168.1.1"));
  INFO(show(w));
  CHECK(w.disposition == Disposition::ExitsUnmodelled);
  CHECK(w.endpoint == "vgw-1");
  CHECK(steps(w) ==
        Steps{"eni-db sg-egress", "rtb-main-vpc-1 route", "subnet-db nacl-egress", "vgw-1 leave"});
  CHECK_FALSE(w.drop);
}

TEST_CASE("no matching route drops NO_ROUTE_TO_DESTINATION at the route table", "[trace][walk][route]") {
  const auto n = three_tier().build();
  const auto w = from_eni(n, "eni-db", packet("10.0.3.40", "8.8.8.8"));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "NO_ROUTE_TO_DESTINATION");
  CHECK(w.drop->at == "rtb-main-vpc-1");
  CHECK(w.drop->step == "route");
}

TEST_CASE("a subnet without any route table drops NO_ROUTE_TO_DESTINATION", "[trace][walk][route]") {
  auto b = three_tier();
  b.subnet("subnet-db", "vpc-1", "10.0.3.0/24").no_route_table();
  const auto n = b.build();
  const auto w = from_eni(n, "eni-db", packet("10.0.3.40", "10.0.1.20"));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "NO_ROUTE_TO_DESTINATION");
  CHECK(w.drop->at == "subnet-db");
}

TEST_CASE("a blackhole route drops BAD_STATE_ROUTE", "[trace][walk][route]") {
  auto b = three_tier();
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1").blackhole("8.8.8.0/24", "nat-gone");
  const auto n = b.build();
  const auto w = from_eni(n, "eni-web", packet("10.0.1.20", "8.8.8.8"));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "BAD_STATE_ROUTE");
  CHECK(w.drop->at == "rtb-pub");
  CHECK(w.drop->detail == "8.8.8.0/24 -> nat-gone (blackhole)");
}

TEST_CASE("a local destination outside every subnet or owned by no ENI is dropped", "[trace][walk][local]") {
  const auto n = three_tier().build();
  const auto nowhere = from_eni(n, "eni-web", packet("10.0.1.20", "10.0.200.1"));
  REQUIRE(nowhere.drop);
  CHECK(nowhere.drop->code == "DESTINATION_ADDRESS_NOT_ASSIGNED");
  CHECK_THAT(nowhere.drop->detail, Catch::Contains("is in no subnet of"));
  CHECK(nowhere.drop->at == "vpc-1");

  const auto unassigned = from_eni(n, "eni-web", packet("10.0.1.20", "10.0.2.99"));
  INFO(show(unassigned));
  REQUIRE(unassigned.drop);
  CHECK(unassigned.drop->code == "DESTINATION_ADDRESS_NOT_ASSIGNED");
  CHECK(unassigned.drop->at == "subnet-app");
  CHECK(steps(unassigned).back() == "subnet-app nacl-ingress");  // NACLs run before the owner check
}

TEST_CASE("an ENI sending from an address it does not own is dropped by source/dest check",
          "[trace][walk][srcdst]") {
  auto b = three_tier();
  const auto n = b.build();
  const auto w = from_eni(n, "eni-web", packet("10.0.1.99", "10.0.2.30", model::kTcp, 1, 8080));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "ENI_SOURCE_DEST_CHECK_RESTRICTION");
  CHECK(w.drop->at == "eni-web");
}

namespace {
testing::NetworkBuilder with_firewall(bool source_dest_check) {
  auto b = three_tier();
  b.subnet("subnet-fw", "vpc-1", "10.0.9.0/24");
  b.eni("eni-fw", "subnet-fw", {"10.0.9.9"}).groups({"sg-fw"}).source_dest_check(source_dest_check);
  b.sg("sg-fw", "vpc-1").ingress_all().egress_all();
  b.route_table("rtb-app", "vpc-1").route("0.0.0.0/0", "nat-1").route("10.0.3.0/24", "eni-fw");
  return b;
}
}  // namespace

TEST_CASE("a route to an appliance ENI with source/dest check off forwards through it",
          "[trace][walk][srcdst]") {
  const auto n = with_firewall(false).build();
  const auto w = from_eni(n, "eni-app", packet("10.0.2.30", "10.0.3.40", model::kTcp, 49152, 5432));
  INFO(show(w));
  CHECK(w.disposition == Disposition::Delivered);
  CHECK(w.endpoint == "eni-db");
  CHECK(steps(w) == Steps{"eni-app sg-egress", "rtb-app route", "subnet-app nacl-egress",
                          "subnet-fw nacl-ingress", "eni-fw sg-ingress", "eni-fw eni-forward",
                          "eni-fw sg-egress", "rtb-main-vpc-1 route", "subnet-fw nacl-egress",
                          "subnet-db nacl-ingress", "eni-db sg-ingress", "eni-db deliver"});
  CHECK(find_hop(w, "route")->by == "10.0.3.0/24 -> eni-fw");
}

TEST_CASE("a route to an ENI with source/dest check on drops ENI_SOURCE_DEST_CHECK_RESTRICTION",
          "[trace][walk][srcdst]") {
  const auto n = with_firewall(true).build();
  const auto w = from_eni(n, "eni-app", packet("10.0.2.30", "10.0.3.40", model::kTcp, 49152, 5432));
  INFO(show(w));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "ENI_SOURCE_DEST_CHECK_RESTRICTION");
  CHECK(w.drop->at == "eni-fw");
  CHECK(w.drop->step == "eni-forward");
}

TEST_CASE("an ENI with a public IP leaves through the IGW with its source translated", "[trace][walk][igw]") {
  const auto n = three_tier().build();
  const auto w = from_eni(n, "eni-web", packet("10.0.1.20", "8.8.8.8"));
  INFO(show(w));
  CHECK(w.disposition == Disposition::ExitsInternet);
  CHECK(w.endpoint == "igw-1");
  CHECK(steps(w) == Steps{"eni-web sg-egress", "rtb-pub route", "subnet-pub nacl-egress", "igw-1 igw-egress",
                          "igw-1 exit"});
  CHECK(find_hop(w, "igw-egress")->by == "10.0.1.20 -> 54.0.0.20 (eni-web)");
  CHECK(w.final_packet.src_ip == ip("54.0.0.20"));
  CHECK(w.final_packet.dst_ip == ip("8.8.8.8"));
}

TEST_CASE("an ENI without a public IP is dropped at the IGW", "[trace][walk][igw]") {
  auto b = three_tier();
  b.eni("eni-nopub", "subnet-pub", {"10.0.1.50"}).groups({"sg-web"});
  const auto n = b.build();
  const auto w = from_eni(n, "eni-nopub", packet("10.0.1.50", "8.8.8.8"));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
  CHECK(w.drop->at == "igw-1");
}

TEST_CASE("the IGW drops a private destination", "[trace][walk][igw]") {
  const auto n = three_tier().build();
  const auto w = from_eni(n, "eni-web", packet("10.0.1.20", "192.168.1.1"));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "IGW_DESTINATION_NOT_PUBLIC");
  const auto cgnat = from_eni(n, "eni-web", packet("10.0.1.20", "100.64.0.1"));
  REQUIRE(cgnat.drop);
  CHECK(cgnat.drop->code == "IGW_DESTINATION_NOT_PUBLIC");
}

TEST_CASE("a packet to another ENI's public IP goes out and back in through the IGW", "[trace][walk][igw]") {
  const auto n = three_tier().build();
  const auto w = from_eni(n, "eni-web", packet("10.0.1.20", "54.0.0.21"));
  INFO(show(w));
  CHECK(w.disposition == Disposition::Delivered);
  CHECK(w.endpoint == "eni-web2");
  CHECK(steps(w) == Steps{"eni-web sg-egress", "rtb-pub route", "subnet-pub nacl-egress", "igw-1 igw-egress",
                          "igw-1 igw-ingress", "subnet-pub nacl-ingress", "eni-web2 sg-ingress",
                          "eni-web2 deliver"});
  CHECK(w.final_packet.src_ip == ip("54.0.0.20"));
  CHECK(w.final_packet.dst_ip == ip("10.0.1.21"));
}

TEST_CASE("a packet from the internet reaches an ENI only through its public IP", "[trace][walk][igw]") {
  const auto n = three_tier().build();
  const auto ok = walk(n, Start::internet(), packet("198.51.100.1", "54.0.0.20"));
  INFO(show(ok));
  CHECK(ok.disposition == Disposition::Delivered);
  CHECK(steps(ok) ==
        Steps{"igw-1 igw-ingress", "subnet-pub nacl-ingress", "eni-web sg-ingress", "eni-web deliver"});
  CHECK(ok.hops[0].by == "54.0.0.20 -> 10.0.1.20 (eni-web)");

  const auto ssh = walk(n, Start::internet(), packet("198.51.100.1", "54.0.0.20", model::kTcp, 40000, 22));
  REQUIRE(ssh.drop);
  CHECK(ssh.drop->code == "ENI_SG_RULES_MISMATCH");
  CHECK(walk(n, Start::internet(), packet("203.0.113.9", "54.0.0.20", model::kTcp, 40000, 22)).disposition ==
        Disposition::Delivered);

  const auto priv = walk(n, Start::internet(), packet("198.51.100.1", "10.0.2.30"));
  REQUIRE(priv.drop);
  CHECK(priv.drop->code == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS");
}

TEST_CASE("a public IP in a VPC without an internet gateway is not reachable", "[trace][walk][igw]") {
  auto b = three_tier();
  b.igw("igw-1", "");  // detached
  auto n = b.build();
  n.vpcs.at("vpc-1").internet_gateway_id.reset();
  n.index();
  const auto w = walk(n, Start::internet(), packet("198.51.100.1", "54.0.0.20"));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS");
}

TEST_CASE("an edge-associated IGW route table sends inbound traffic through an appliance",
          "[trace][walk][igw]") {
  auto b = with_firewall(false);
  b.route_table("rtb-edge", "vpc-1").edge("igw-1").route("10.0.1.0/24", "eni-fw");
  b.route_table("rtb-fw", "vpc-1");
  b.subnet("subnet-fw", "vpc-1", "10.0.9.0/24").route_table("rtb-fw");
  const auto n = b.build();
  const auto w = walk(n, Start::internet(), packet("198.51.100.1", "54.0.0.20"));
  INFO(show(w));
  CHECK(w.disposition == Disposition::Delivered);
  CHECK(steps(w) == Steps{"igw-1 igw-ingress", "rtb-edge route", "subnet-fw nacl-ingress",
                          "eni-fw sg-ingress", "eni-fw eni-forward", "eni-fw sg-egress", "rtb-fw route",
                          "subnet-fw nacl-egress", "subnet-pub nacl-ingress", "eni-web sg-ingress",
                          "eni-web deliver"});
}

TEST_CASE("a private subnet reaches the internet through the NAT gateway, source rewritten twice",
          "[trace][walk][nat]") {
  const auto n = three_tier().build();
  const auto w = from_eni(n, "eni-app", packet("10.0.2.30", "8.8.8.8", model::kTcp, 49152, 443));
  INFO(show(w));
  CHECK(w.disposition == Disposition::ExitsInternet);
  CHECK(steps(w) == Steps{"eni-app sg-egress", "rtb-app route", "subnet-app nacl-egress",
                          "subnet-pub nacl-ingress", "nat-1 nat", "rtb-pub route", "subnet-pub nacl-egress",
                          "igw-1 igw-egress", "igw-1 exit"});
  CHECK(find_hop(w, "nat")->by == "10.0.2.30:49152 -> 10.0.1.10:49152 (nat-1)");
  CHECK(find_hop(w, "nat")->packet.src_ip == ip("10.0.1.10"));
  CHECK(find_hop(w, "igw-egress")->by == "10.0.1.10 -> 3.3.3.3 (nat-1)");
  CHECK(w.final_packet == packet("3.3.3.3", "8.8.8.8", model::kTcp, 49152, 443));
}

TEST_CASE("the NAT gateway moves a source port below 1024 up by 1024", "[trace][walk][nat]") {
  const auto n = three_tier().build();
  const auto w = from_eni(n, "eni-app", packet("10.0.2.30", "8.8.8.8", model::kUdp, 123, 123));
  INFO(show(w));
  CHECK(w.final_packet.src_port == 1147);
  const auto icmp = from_eni(n, "eni-app", packet("10.0.2.30", "8.8.8.8", model::kIcmp, 0, 8));
  CHECK(icmp.disposition == Disposition::ExitsInternet);
  CHECK(icmp.final_packet.src_port == 0);
}

TEST_CASE("the NAT gateway drops protocols other than TCP, UDP and ICMP", "[trace][walk][nat]") {
  const auto n = three_tier().build();
  const auto w = from_eni(n, "eni-app", packet("10.0.2.30", "8.8.8.8", 50, 0, 0));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "NGW_UNSUPPORTED_PROTOCOL");
  CHECK(w.drop->at == "nat-1");
}

TEST_CASE("a new connection to the NAT gateway's public IP is dropped", "[trace][walk][nat]") {
  const auto n = three_tier().build();
  const auto in = walk(n, Start::internet(), packet("198.51.100.1", "3.3.3.3"));
  REQUIRE(in.drop);
  CHECK(in.drop->code == "NGW_INBOUND_NOT_ALLOWED");
  CHECK(in.drop->at == "nat-1");
  const auto hairpin = from_eni(n, "eni-web", packet("10.0.1.20", "3.3.3.3"));
  REQUIRE(hairpin.drop);
  CHECK(hairpin.drop->code == "NGW_INBOUND_NOT_ALLOWED");
}

TEST_CASE("a private NAT gateway cannot use the internet gateway", "[trace][walk][nat]") {
  auto b = three_tier();
  b.nat("nat-1", "subnet-pub", "10.0.1.10");
  const auto n = b.build();
  const auto w = from_eni(n, "eni-app", packet("10.0.2.30", "8.8.8.8"));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
}

namespace {
/** vpc-2 10.1.0.0/16 peered with vpc-1 over pcx-12; vpc-2 has its own IGW and a peering to vpc-3. */
testing::NetworkBuilder peered() {
  auto b = three_tier();
  b.vpc("vpc-2", "10.1.0.0/16");
  b.vpc("vpc-3", "10.2.0.0/16");
  b.igw("igw-2", "vpc-2");
  b.subnet("subnet-p", "vpc-2", "10.1.0.0/24");
  b.subnet("subnet-q", "vpc-2", "10.1.1.0/24");
  b.subnet("subnet-3", "vpc-3", "10.2.0.0/24");
  b.eni("eni-peer", "subnet-p", {"10.1.0.5"}).groups({"sg-peer"});
  b.eni("eni-q", "subnet-q", {"10.1.1.5"}).groups({"sg-peer"});
  b.eni("eni-3", "subnet-3", {"10.2.0.5"}).groups({"sg-peer3"});
  b.sg("sg-peer", "vpc-2").ingress_all("10.0.0.0/8").egress_all();
  b.sg("sg-peer3", "vpc-3").ingress_all("10.0.0.0/8").egress_all();
  b.peering("pcx-12", "vpc-1", "vpc-2");
  b.peering("pcx-23", "vpc-2", "vpc-3");
  b.main_route_table("vpc-1")
      .route("10.1.0.0/16", "pcx-12")
      .route("10.2.0.0/16", "pcx-12")
      .route("0.0.0.0/0", "pcx-12");
  b.main_route_table("vpc-2")
      .route("10.0.0.0/16", "pcx-12")
      .route("10.2.0.0/16", "pcx-23")
      .route("0.0.0.0/0", "igw-2");
  b.main_route_table("vpc-3").route("10.1.0.0/16", "pcx-23");
  return b;
}
}  // namespace

TEST_CASE("a packet over a VPC peering is delivered in the peer VPC", "[trace][walk][pcx]") {
  const auto n = peered().build();
  const auto w = from_eni(n, "eni-db", packet("10.0.3.40", "10.1.0.5"));
  INFO(show(w));
  CHECK(w.disposition == Disposition::Delivered);
  CHECK(w.endpoint == "eni-peer");
  CHECK(steps(w) == Steps{"eni-db sg-egress", "rtb-main-vpc-1 route", "subnet-db nacl-egress", "pcx-12 pcx",
                          "subnet-p nacl-ingress", "eni-peer sg-ingress", "eni-peer deliver"});
  CHECK(find_hop(w, "pcx")->by == "vpc-1 -> vpc-2");
}

TEST_CASE("a peering carries only addresses in the CIDRs it shares", "[trace][walk][pcx]") {
  auto b = peered();
  b.peering("pcx-12", "vpc-1", "vpc-2").accepter_cidrs({"10.1.0.0/24"});
  const auto n = b.build();
  CHECK(from_eni(n, "eni-db", packet("10.0.3.40", "10.1.0.5")).disposition == Disposition::Delivered);
  const auto w = from_eni(n, "eni-db", packet("10.0.3.40", "10.1.1.5"));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR");
  CHECK(w.drop->at == "pcx-12");
}

TEST_CASE("a peering is not transitive: neither the peer's IGW nor its other peering is used",
          "[trace][walk][pcx]") {
  const auto n = peered().build();
  const auto internet = from_eni(n, "eni-db", packet("10.0.3.40", "8.8.8.8"));
  INFO(show(internet));
  REQUIRE(internet.drop);
  CHECK(internet.drop->code == "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR");
  const auto third = from_eni(n, "eni-db", packet("10.0.3.40", "10.2.0.5"));
  REQUIRE(third.drop);
  CHECK(third.drop->code == "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR");
  // While vpc-2 itself does reach vpc-3.
  CHECK(from_eni(n, "eni-peer", packet("10.1.0.5", "10.2.0.5")).disposition == Disposition::Delivered);
}

TEST_CASE("an egress-only internet gateway passes no IPv4", "[trace][walk][route]") {
  auto b = three_tier();
  b.main_route_table("vpc-1").route("0.0.0.0/0", "eigw-1");
  const auto n = b.build();
  const auto w = from_eni(n, "eni-db", packet("10.0.3.40", "8.8.8.8"));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "NO_ROUTE_TO_DESTINATION");
  CHECK(w.drop->at == "eigw-1");
}

TEST_CASE("a forwarding cycle between appliances is dropped ROUTING_LOOP", "[trace][walk][loop]") {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.route_table("rtb-a", "vpc-1").route("192.168.0.0/16", "eni-b");
  b.route_table("rtb-b", "vpc-1").route("192.168.0.0/16", "eni-a");
  b.subnet("subnet-a", "vpc-1", "10.0.1.0/24").route_table("rtb-a");
  b.subnet("subnet-b", "vpc-1", "10.0.2.0/24").route_table("rtb-b");
  b.eni("eni-a", "subnet-a", {"10.0.1.5"}).groups({"sg-all"}).source_dest_check(false);
  b.eni("eni-b", "subnet-b", {"10.0.2.5"}).groups({"sg-all"}).source_dest_check(false);
  b.sg("sg-all").ingress_all().egress_all();
  const auto n = b.build();
  const auto w = from_eni(n, "eni-a", packet("10.0.1.5", "192.168.1.1"));
  INFO(show(w));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "ROUTING_LOOP");
  CHECK(w.drop->at == "eni-a");
  CHECK(find_hop(w, "eni-forward") != nullptr);
}
