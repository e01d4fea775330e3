// SPDX-License-Identifier: Apache-2.0
// The walk of IPv6 packets: an internet gateway without translation, an egress-only gateway
// (connections out and their replies in, nothing initiated from outside), NAT64, IPv6 NACL
// entries in their own first-match order, and security-group rules per family.
#include <catch2/catch.hpp>

#include "tests/support/dual_stack_network.h"
#include "tests/unit/trace/trace_test_util.h"

namespace vpcprove::trace::test {
using testing::any_l4;
using testing::dual_stack;
using testing::packet6;
using testing::tcp;

namespace {

model::Walk from_internet(const model::Network& n, const model::Packet& p) {
  return walk(n, Start::internet(), p);
}

}  // namespace

TEST_CASE("SSH open to ::/0 only: the internet reaches it over IPv6, not over IPv4", "[trace][ipv6]") {
  const auto n = dual_stack().build();
  const auto v6 = from_internet(n, packet6("2001:db8::9", "2600:1f18:1:1::20", model::kTcp, 50000, 22));
  INFO(show(v6));
  CHECK(v6.disposition == model::Disposition::Delivered);
  CHECK(v6.endpoint == "eni-web");
  REQUIRE(find_hop(v6, "igw-ingress"));
  CHECK(find_hop(v6, "igw-ingress")->at == "igw-1");
  CHECK(find_hop(v6, "sg-ingress")->by.find("::/0") != std::string::npos);
  CHECK(v6.final_packet == v6.initial);  // IPv6 is not translated

  const auto v4 = from_internet(n, packet("198.51.100.9", "54.0.0.20", model::kTcp, 50000, 22));
  REQUIRE(v4.drop);
  CHECK(v4.drop->code == "ENI_SG_RULES_MISMATCH");
}

TEST_CASE("An egress-only gateway lets connections out and their replies in, and nothing else in",
          "[trace][ipv6]") {
  const auto n = dual_stack().build();
  const auto in = from_internet(n, packet6("2001:db8::9", "2600:1f18:2:1::40", model::kTcp, 50000, 22));
  INFO(show(in));
  REQUIRE(in.drop);
  CHECK(in.drop->code == "EIGW_INBOUND_NOT_ALLOWED");
  CHECK(in.drop->at == "eigw-2");

  const auto out =
      walk_session(n, Start::interface("eni-worker"), packet6("2600:1f18:2:1::40", "2001:db8::9"));
  INFO(show(out.forward));
  CHECK(out.forward.disposition == model::Disposition::ExitsInternet);
  CHECK(out.forward.endpoint == "eigw-2");
  REQUIRE(out.reply);
  INFO(show(*out.reply));
  CHECK(out.established);
  CHECK(out.reply->hops.front().at == "eigw-2");

  // IPv4 has no route here: an egress-only gateway carries IPv6 only.
  const auto v4 = from_eni(n, "eni-worker", packet("10.1.1.40", "8.8.8.8"));
  REQUIRE(v4.drop);
  CHECK(v4.drop->code == "NO_ROUTE_TO_DESTINATION");
}

TEST_CASE("A source outside 2000::/3 is no internet host, and the gateway passes only internet destinations",
          "[trace][ipv6]") {
  const auto n = dual_stack().build();
  const auto bogon = from_internet(n, packet6("fd00::1", "2600:1f18:1:1::20"));
  REQUIRE(bogon.drop);
  CHECK(bogon.drop->code == "SOURCE_NOT_INTERNET_ADDRESS");
  const auto ula = from_eni(n, "eni-web", packet6("2600:1f18:1:1::20", "fd12::1"));
  REQUIRE(ula.drop);
  CHECK(ula.drop->code == "IGW_DESTINATION_NOT_PUBLIC");
}

TEST_CASE(
    "NAT64: a 64:ff9b::/96 destination leaves as IPv4 from the NAT's address, and the reply returns as IPv6",
    "[trace][ipv6]") {
  const auto n = dual_stack().build();
  const auto s =
      walk_session(n, Start::interface("eni-app"), packet6("2600:1f18:1:2::30", "64:ff9b::808:808"));
  INFO(show(s.forward));
  CHECK(s.forward.disposition == model::Disposition::ExitsInternet);
  CHECK(s.forward.final_packet.ip_version == 4);
  CHECK(format_ipv4(s.forward.final_packet.dst_ip) == "8.8.8.8");
  CHECK(format_ipv4(s.forward.final_packet.src_ip) == "3.3.3.3");
  REQUIRE(find_hop(s.forward, "nat"));
  CHECK(find_hop(s.forward, "nat")->by.find("NAT64") != std::string::npos);
  REQUIRE(s.reply);
  INFO(show(*s.reply));
  CHECK(s.established);
  CHECK(s.reply->final_packet.is_ipv6());
  CHECK(s.reply->endpoint == "eni-app");

  // Any other IPv6 destination sent to a NAT gateway is dropped there.
  auto b = dual_stack();
  b.route_table("rtb-app", "vpc-1").route("::/0", "nat-1");
  const auto n2 = b.build();
  const auto other = from_eni(n2, "eni-app", packet6("2600:1f18:1:2::30", "2001:db8::9"));
  REQUIRE(other.drop);
  CHECK(other.drop->at == "nat-1");
}

TEST_CASE("IPv6 NACL entries decide IPv6 packets in rule order; IPv4 entries never do", "[trace][ipv6]") {
  auto b = dual_stack();
  b.nacl("acl-pub", "vpc-1")
      .deny_in(90, tcp(22), "::/0")
      .allow_in(100, any_l4(), "0.0.0.0/0")
      .allow_in(110, any_l4(), "::/0")
      .allow_out(100, any_l4(), "0.0.0.0/0")
      .allow_out(110, any_l4(), "::/0");
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24")
      .ipv6("2600:1f18:1:1::/64")
      .route_table("rtb-pub")
      .nacl("acl-pub");
  const auto n = b.build();
  const auto ssh = from_internet(n, packet6("2001:db8::9", "2600:1f18:1:1::20", model::kTcp, 50000, 22));
  REQUIRE(ssh.drop);
  CHECK(ssh.drop->code == "SUBNET_ACL_RESTRICTION");
  CHECK(ssh.drop->detail.find("90") != std::string::npos);
  const auto https = from_internet(n, packet6("2001:db8::9", "2600:1f18:1:1::20", model::kTcp, 50000, 443));
  INFO(show(https));
  CHECK(https.disposition == model::Disposition::Delivered);
  // An IPv4 allow-all entry (rule 100) does not admit IPv6 when no IPv6 entry allows it.
  auto b2 = dual_stack();
  b2.nacl("acl-v4", "vpc-1").allow_in(100, any_l4(), "0.0.0.0/0").allow_out(100, any_l4(), "0.0.0.0/0");
  b2.subnet("subnet-pub", "vpc-1", "10.0.1.0/24")
      .ipv6("2600:1f18:1:1::/64")
      .route_table("rtb-pub")
      .nacl("acl-v4");
  const auto v4_only = from_internet(b2.build(), packet6("2001:db8::9", "2600:1f18:1:1::20"));
  REQUIRE(v4_only.drop);
  CHECK(v4_only.drop->code == "SUBNET_ACL_RESTRICTION");
}

TEST_CASE("Inside a VPC, IPv6 takes the local IPv6 route, and a group reference matches IPv6 members",
          "[trace][ipv6]") {
  const auto n = dual_stack().build();
  const auto w =
      from_eni(n, "eni-web", packet6("2600:1f18:1:1::20", "2600:1f18:1:2::30", model::kTcp, 40000, 8080));
  INFO(show(w));
  CHECK(w.disposition == model::Disposition::Delivered);
  CHECK(w.endpoint == "eni-app");
  REQUIRE(find_hop(w, "route"));
  CHECK(find_hop(w, "route")->by.find("2600:1f18:1::/56") != std::string::npos);
  CHECK(describe(w.initial) == "tcp [2600:1f18:1:1::20]:40000 -> [2600:1f18:1:2::30]:8080");
  // A source address the ENI does not own is dropped by its source/destination check.
  const auto spoof = from_eni(n, "eni-web", packet6("2600:1f18:1:1::99", "2600:1f18:1:2::30"));
  REQUIRE(spoof.drop);
  CHECK(spoof.drop->code == "ENI_SOURCE_DEST_CHECK_RESTRICTION");
}

TEST_CASE("IPv6 owners: an address or a delegated prefix, the first ENI in ID order, in the VPC asked",
          "[trace][ipv6]") {
  auto b = dual_stack();
  // eni-app2 (after eni-app in ID order) holds 2600:1f18:1:2::30 too, and eni-a0 (before it)
  // a delegated /80 holding it and 2600:1f18:1:2:a::/80's other addresses.
  b.eni("eni-app2", "subnet-app", {"10.0.2.31"}).ipv6({"2600:1f18:1:2::30"}).groups({"sg-app"});
  b.eni("eni-a0", "subnet-app", {"10.0.2.32"}).groups({"sg-app"});
  auto n = b.build();
  n.network_interfaces.at("eni-a0").ipv6_delegated_prefixes = {*Ipv6Prefix::parse("2600:1f18:1:2::/80")};
  n.index();
  const auto a = *parse_ipv6("2600:1f18:1:2::30");
  const auto in_prefix_only = *parse_ipv6("2600:1f18:1:2::77");
  REQUIRE(n.interface_owning6("vpc-1", a));
  CHECK(n.interface_owning6("vpc-1", a)->id == "eni-a0");  // its prefix holds it, and it comes first
  CHECK(n.interface_with_ipv6(a)->id == "eni-app");        // an address before any prefix
  CHECK(n.interface_owning6("vpc-1", in_prefix_only)->id == "eni-a0");
  CHECK(n.interface_with_ipv6(in_prefix_only)->id == "eni-a0");
  CHECK(n.interface_owning6("vpc-2", a) == nullptr);
  CHECK(n.interface_with_ipv6(*parse_ipv6("2600:1f18:1:2:1::1")) == nullptr);
  // Without the prefix, the first holder of the address in ID order.
  n.network_interfaces.at("eni-a0").ipv6_delegated_prefixes.clear();
  n.index();
  CHECK(n.interface_owning6("vpc-1", a)->id == "eni-app");
  // trace delivers to the prefix's owner, from the internet too.
  n.network_interfaces.at("eni-a0").ipv6_delegated_prefixes = {*Ipv6Prefix::parse("2600:1f18:1:2::/80")};
  n.index();
  const auto w =
      from_eni(n, "eni-web", packet6("2600:1f18:1:1::20", "2600:1f18:1:2::77", model::kTcp, 40000, 8080));
  INFO(show(w));
  CHECK(w.endpoint == "eni-a0");
}

}  // namespace vpcprove::trace::test
