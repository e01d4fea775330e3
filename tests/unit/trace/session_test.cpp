// SPDX-License-Identifier: Apache-2.0
// Unit tests of trace::walk_session: replies, stateful security groups, stateless NACLs, NAT state.
#include <catch2/catch.hpp>

#include "tests/unit/trace/trace_test_util.h"

using namespace vpcprove;
using namespace vpcprove::trace;
using namespace vpcprove::trace::test;
using model::Disposition;
using testing::any_l4;
using testing::tcp;
using Steps = std::vector<std::string>;

namespace {
testing::NetworkBuilder with_db_acl() {
  auto b = three_tier();
  b.nacl("acl-db", "vpc-1")
      .allow_in(100, tcp(5432), "10.0.2.0/24")
      .allow_in(110, tcp(1024, 65535), "10.0.2.0/24")
      .allow_out(100, tcp(1024, 65535), "10.0.2.0/24");
  b.subnet("subnet-db", "vpc-1", "10.0.3.0/24").nacl("acl-db");
  return b;
}
}  // namespace

TEST_CASE("a reply that a stateless NACL drops leaves the first packet delivered but no session",
          "[trace][session][nacl]") {
  const auto n = with_db_acl().build();
  const auto s =
      walk_session(n, Start::interface("eni-app"), packet("10.0.2.30", "10.0.3.40", model::kTcp, 1000, 5432));
  INFO(show(s.forward));
  CHECK(s.forward.disposition == Disposition::Delivered);
  REQUIRE(s.reply);
  INFO(show(*s.reply));
  CHECK_FALSE(s.established);
  REQUIRE(s.reply_drop);
  CHECK(s.reply_drop->code == "SUBNET_ACL_RESTRICTION");
  CHECK(s.reply_drop->at == "acl-db");
  CHECK(s.reply_drop->step == "nacl-egress");
}

TEST_CASE("with an ephemeral source port the same session is established", "[trace][session][nacl]") {
  const auto n = with_db_acl().build();
  const auto p = packet("10.0.2.30", "10.0.3.40", model::kTcp, 49152, 5432);
  const auto s = walk_session(n, Start::interface("eni-app"), p);
  REQUIRE(s.reply);
  INFO(show(*s.reply));
  CHECK(s.established);
  CHECK_FALSE(s.reply_drop);
  CHECK(s.reply->disposition == Disposition::Delivered);
  CHECK(s.reply->endpoint == "eni-app");
  CHECK(s.reply->final_packet == model::reply_to(p));
  CHECK(s.reply->initial == model::reply_to(p));
}

TEST_CASE("the reply needs no security-group rule at the responder or the initiator",
          "[trace][session][sg]") {
  auto b = three_tier();
  b.sg("sg-db", "vpc-1").ingress_tcp(5432, "sg-app");       // no egress at all
  b.sg("sg-app", "vpc-1").egress_tcp(5432, "10.0.3.0/24");  // no ingress from db
  const auto n = b.build();
  const auto s = walk_session(n, Start::interface("eni-app"),
                              packet("10.0.2.30", "10.0.3.40", model::kTcp, 49152, 5432));
  REQUIRE(s.reply);
  INFO(show(*s.reply));
  CHECK(s.established);
  // The reply still passes both NACLs (stateless) but no security group.
  CHECK(steps(*s.reply) ==
        Steps{"rtb-main-vpc-1 route", "subnet-db nacl-egress", "subnet-app nacl-ingress", "eni-app deliver"});
  // A new connection from db to app is not helped by that state.
  const auto back =
      walk(n, Start::interface("eni-db"), packet("10.0.3.40", "10.0.2.30", model::kTcp, 5432, 49152));
  REQUIRE(back.drop);
  CHECK(back.drop->code == "ENI_SG_RULES_MISMATCH");
}

TEST_CASE("a connection from the internet is answered through the IGW with the public source",
          "[trace][session][igw]") {
  const auto n = three_tier().build();
  const auto p = packet("198.51.100.1", "54.0.0.20", model::kTcp, 40000, 443);
  const auto s = walk_session(n, Start::internet(), p);
  REQUIRE(s.reply);
  INFO(show(*s.reply));
  CHECK(s.established);
  CHECK(s.reply->disposition == Disposition::ExitsInternet);
  CHECK(s.reply->final_packet == model::reply_to(p));
}

TEST_CASE("a reply to an ENI whose subnet has no route back is dropped", "[trace][session][route]") {
  auto b = three_tier();
  b.eni("eni-dbpub", "subnet-db", {"10.0.3.41"}).public_ip("54.0.0.41").groups({"sg-web"});
  const auto n = b.build();
  const auto s =
      walk_session(n, Start::internet(), packet("198.51.100.1", "54.0.0.41", model::kTcp, 40000, 443));
  CHECK(s.forward.disposition == Disposition::Delivered);
  REQUIRE(s.reply_drop);
  CHECK(s.reply_drop->code == "NO_ROUTE_TO_DESTINATION");
  CHECK_FALSE(s.established);
}

TEST_CASE("the reply to a connection through the NAT gateway comes back to the initiator",
          "[trace][session][nat]") {
  const auto n = three_tier().build();
  const auto p = packet("10.0.2.30", "8.8.8.8", model::kTcp, 80, 443);
  const auto s = walk_session(n, Start::interface("eni-app"), p);
  CHECK(s.forward.disposition == Disposition::ExitsInternet);
  REQUIRE(s.reply);
  INFO(show(*s.reply));
  CHECK(s.established);
  CHECK(s.reply->initial == packet("8.8.8.8", "3.3.3.3", model::kTcp, 443, 1104));
  CHECK(steps(*s.reply) == Steps{"igw-1 igw-ingress", "subnet-pub nacl-ingress", "nat-1 nat", "rtb-pub route",
                                 "subnet-pub nacl-egress", "subnet-app nacl-ingress", "eni-app deliver"});
  CHECK(find_hop(*s.reply, "nat")->by == "10.0.1.10:1104 -> 10.0.2.30:80 (nat-1, reply)");
  CHECK(s.reply->final_packet == model::reply_to(p));
}

TEST_CASE("an ICMP echo through the NAT gateway gets its echo reply back", "[trace][session][nat]") {
  const auto n = three_tier().build();
  const auto s =
      walk_session(n, Start::interface("eni-app"), packet("10.0.2.30", "8.8.8.8", model::kIcmp, 0, 8));
  REQUIRE(s.reply);
  INFO(show(*s.reply));
  CHECK(s.established);
  CHECK(s.reply->final_packet.icmp_type() == 0);
}

TEST_CASE("a reply that comes back from another address does not complete the session", "[trace][session]") {
  auto b = three_tier();
  // web answers app through a private NAT gateway in the db subnet (asymmetric routing): the
  // reply arrives from 10.0.3.10, not from the address app sent to.
  b.nat("nat-2", "subnet-db", "10.0.3.10");
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1").route("10.0.2.0/24", "nat-2");
  b.sg("sg-web", "vpc-1").ingress_tcp(443, "0.0.0.0/0").egress_all();
  const auto n = b.build();
  const auto s =
      walk_session(n, Start::interface("eni-app"), packet("10.0.2.30", "10.0.1.20", model::kTcp, 49152, 443));
  CHECK(s.forward.disposition == Disposition::Delivered);
  REQUIRE(s.reply);
  INFO(show(*s.reply));
  CHECK_FALSE(s.established);
  REQUIRE(s.reply_drop);
  CHECK(s.reply_drop->code == "REPLY_DOES_NOT_MATCH_SESSION");
  CHECK(s.reply->disposition == Disposition::Dropped);
  CHECK(s.reply->final_packet.src_ip == ip("10.0.3.10"));
}

TEST_CASE("a dropped or unmodelled first packet has no reply", "[trace][session]") {
  const auto n = three_tier().build();
  const auto s = walk_session(n, Start::interface("eni-db"), packet("10.0.3.40", "8.8.8.8"));
  CHECK(s.forward.disposition == Disposition::Dropped);
  CHECK_FALSE(s.reply);
  CHECK_FALSE(s.established);
}
