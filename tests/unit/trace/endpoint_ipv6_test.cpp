// SPDX-License-Identifier: Apache-2.0
// Unit tests of IPv6 endpoints: model::resolve_endpoint on IPv6 addresses and CIDRs (and the bad
// ones), and model::interfaces_with_address_in6.
#include <catch2/catch.hpp>

#include "common/diagnostics.h"
#include "model/endpoint.h"
#include "tests/support/dual_stack_network.h"

using namespace vpcprove;
using model::Ipv6Endpoints;
using model::resolve_endpoint;
using Ids = std::vector<std::string>;

namespace {

Ipv6Prefix p6(const std::string& text) { return *Ipv6Prefix::parse(text); }

/** dual_stack() with a delegated /80 on eni-app, clear of its address 2600:1f18:1:2::30. */
model::Network network() {
  auto b = testing::dual_stack();
  b.eni("eni-app", "subnet-app", {"10.0.2.30"})
      .ipv6({"2600:1f18:1:2::30"})
      .ipv6_prefix("2600:1f18:1:2:5::/80")
      .groups({"sg-app"});
  return b.build();
}

model::Endpoint resolve6(const model::Network& n, const std::string& text) {
  return resolve_endpoint(n, text, Ipv6Endpoints::Accepted);
}

Ids ids_in6(const model::Network& n, const std::string& cidr) {
  Ids out;
  for (const auto* e : model::interfaces_with_address_in6(n, p6(cidr))) out.push_back(e->id);
  return out;
}

}  // namespace

TEST_CASE("An IPv6 address is an endpoint of one address (a /128), and a CIDR one of its block",
          "[endpoint][ipv6]") {
  const auto n = network();
  const auto one = resolve6(n, "2600:1f18:1:1::20");
  CHECK(one.text == "2600:1f18:1:1::20");
  REQUIRE(one.cidr6);
  CHECK(*one.cidr6 == p6("2600:1f18:1:1::20/128"));
  CHECK_FALSE(one.cidr);
  CHECK_FALSE(one.internet);
  CHECK(one.interfaces.empty());
  CHECK_FALSE(one.is_interface_set());

  const auto block = resolve6(n, "2600:1f18::/56");
  REQUIRE(block.cidr6);
  CHECK(block.cidr6->len == 56);
  CHECK(block.cidr6->to_string() == "2600:1f18::/56");
  CHECK_FALSE(block.is_interface_set());
  // Host bits below the length are cleared, as for IPv4 CIDRs.
  CHECK(resolve6(n, "2600:1f18:1:1::20/56").cidr6 == p6("2600:1f18:1::/56"));
  CHECK(resolve6(n, "::/0").cidr6 == p6("::/0"));
  CHECK(resolve6(n, "::ffff:10.0.0.1").cidr6 == p6("::ffff:10.0.0.1/128"));
}

TEST_CASE("IPv4 endpoints and the internet are unchanged when IPv6 endpoints are accepted",
          "[endpoint][ipv6]") {
  const auto n = network();
  const auto v4 = resolve6(n, "10.0.0.0/16");
  CHECK(v4.cidr);
  CHECK_FALSE(v4.cidr6);
  const auto inet = resolve6(n, "internet");
  CHECK(inet.internet);
  CHECK_FALSE(inet.cidr6);
  CHECK_FALSE(inet.is_interface_set());
  CHECK(resolve6(n, "vpc-1").interfaces == Ids{"eni-app", "eni-web"});
  CHECK(resolve6(n, "vpc-1").is_interface_set());
}

TEST_CASE("Malformed IPv6 text is an input error naming the endpoint", "[endpoint][ipv6][errors]") {
  const auto n = network();
  for (const std::string bad :
       {"2001:db8:::1", "2600::/129", "2600:1f18::/", "2600:1f18::/x", "fe80::1%eth0", "[2001:db8::1]",
        "2001:db8::g", ":::", "1:2:3:4:5:6:7:8:9", "::ffff:300.1.1.1"}) {
    INFO(bad);
    CHECK_THROWS_AS(resolve6(n, bad), InputError);
    CHECK_THROWS_WITH(resolve6(n, bad), Catch::StartsWith(bad + ": not a valid IPv6 address or CIDR"));
    // Malformed text is malformed whether or not the question takes IPv6 endpoints.
    CHECK_THROWS_WITH(resolve_endpoint(n, bad),
                      Catch::StartsWith(bad + ": not a valid IPv6 address or CIDR"));
  }
}

TEST_CASE("Where IPv6 endpoints are not taken, a well-formed one is an input error, not an empty set",
          "[endpoint][ipv6][errors]") {
  const auto n = network();
  for (const std::string text : {"2600:1f18:1:1::20", "2600:1f18::/56", "::/0"}) {
    INFO(text);
    CHECK_THROWS_AS(resolve_endpoint(n, text), InputError);
    CHECK_THROWS_WITH(resolve_endpoint(n, text), Catch::StartsWith(text + ": an IPv6 address or CIDR"));
    CHECK_THROWS_AS(resolve_endpoint(n, text, Ipv6Endpoints::Refused), InputError);
  }
  CHECK(resolve_endpoint(n, "10.0.1.20").cidr);  // IPv4 stays accepted by default
}

TEST_CASE("interfaces_with_address_in6: the ENIs with an IPv6 address or delegated prefix in the CIDR",
          "[endpoint][ipv6]") {
  const auto n = network();
  CHECK(ids_in6(n, "2600:1f18:1::/56") == Ids{"eni-app", "eni-web"});
  CHECK(ids_in6(n, "2600:1f18:2::/56") == Ids{"eni-worker"});
  CHECK(ids_in6(n, "2600:1f18:1:1::/64") == Ids{"eni-web"});
  CHECK(ids_in6(n, "2600:1f18:1:1::20/128") == Ids{"eni-web"});
  CHECK(ids_in6(n, "2600:1f18:1:1::21/128").empty());
  CHECK(ids_in6(n, "::/0") == Ids{"eni-app", "eni-web", "eni-worker"});  // not the NAT's ENI: no IPv6
  CHECK(ids_in6(n, "2001:db8::/32").empty());
  // The delegated /80: a CIDR inside it, equal to it, or around it names its ENI; a neighbour does not.
  CHECK(ids_in6(n, "2600:1f18:1:2:5::7/128") == Ids{"eni-app"});
  CHECK(ids_in6(n, "2600:1f18:1:2:5::/96") == Ids{"eni-app"});
  CHECK(ids_in6(n, "2600:1f18:1:2:5::/80") == Ids{"eni-app"});
  CHECK(ids_in6(n, "2600:1f18:1:2:4::/78") == Ids{"eni-app"});
  CHECK(ids_in6(n, "2600:1f18:1:2:6::/80").empty());
  // The IPv4 lookup does not see IPv6 addresses, nor the IPv6 one IPv4 addresses.
  CHECK(model::interfaces_with_address_in(n, *Ipv4Prefix::parse("10.0.0.0/16")).size() ==
        3);  // app, nat-1, web
  CHECK(ids_in6(n, "::ffff:10.0.1.20/128").empty());
}
