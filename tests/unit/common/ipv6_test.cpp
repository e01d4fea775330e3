// SPDX-License-Identifier: Apache-2.0
// Unit tests of common/ipv6.h: RFC 4291 parsing, RFC 5952 formatting, prefixes.
#include "common/ipv6.h"

#include <catch2/catch.hpp>
#include <string>

using vpcprove::format_ipv6;
using vpcprove::Ipv6Address;
using vpcprove::Ipv6Prefix;
using vpcprove::parse_ipv6;

namespace {

Ipv6Address ip6(const char* text) {
  const auto a = parse_ipv6(text);
  REQUIRE(a.has_value());
  return *a;
}

Ipv6Prefix prefix6(const char* text) {
  const auto p = Ipv6Prefix::parse(text);
  REQUIRE(p.has_value());
  return *p;
}

}  // namespace

TEST_CASE("IPv6 addresses parse in every RFC 4291 form", "[ipv6]") {
  CHECK(ip6("2001:db8::1") == Ipv6Address{0x20010db800000000ULL, 1});
  CHECK(ip6("2001:0DB8:0000:0000:0000:0000:0000:0001") == ip6("2001:db8::1"));
  CHECK(ip6("::") == Ipv6Address{});
  CHECK(ip6("::1") == Ipv6Address{0, 1});
  CHECK(ip6("1::") == Ipv6Address{0x0001000000000000ULL, 0});
  CHECK(ip6("::ffff:10.0.0.1") == Ipv6Address{0, 0x0000ffff0a000001ULL});
  CHECK(ip6("64:ff9b::8.8.8.8") == vpcprove::nat64_address(0x08080808));
  CHECK(ip6("1:2:3:4:5:6:7::") == Ipv6Address{0x0001000200030004ULL, 0x0005000600070000ULL});
}

TEST_CASE("IPv6 text that is not an address is refused", "[ipv6]") {
  for (const char* bad : {"", ":", ":::", "2001:db8:::1", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
                          "12345::", "g::1", "::ffff:300.1.1.1", "::ffff:1.2.3", "1.2.3.4::", ":1::2",
                          "1::2:", "1:2:3:4:5:6:7:8::", "fe80::1%eth0", "[::1]", "10.0.0.1"}) {
    INFO(bad);
    CHECK_FALSE(parse_ipv6(bad).has_value());
  }
}

TEST_CASE("IPv6 addresses print as RFC 5952 says", "[ipv6]") {
  CHECK(format_ipv6(ip6("2001:0db8:0000:0000:0000:0000:0000:0001")) == "2001:db8::1");
  CHECK(format_ipv6(ip6("::")) == "::");
  CHECK(format_ipv6(ip6("::1")) == "::1");
  CHECK(format_ipv6(ip6("2001:db8:0:1:1:1:1:1")) == "2001:db8:0:1:1:1:1:1");  // one zero group stays
  CHECK(format_ipv6(ip6("2001:0:0:1:0:0:0:1")) == "2001:0:0:1::1");           // the longest run
  CHECK(format_ipv6(ip6("2001:db8:0:0:1:0:0:1")) == "2001:db8::1:0:0:1");     // the first of equal runs
  CHECK(format_ipv6(ip6("2600:1F18:AB::")) == "2600:1f18:ab::");
}

TEST_CASE("IPv6 prefixes parse, normalise and contain", "[ipv6]") {
  const auto p = prefix6("2600:1f18:abcd:1200::/56");
  CHECK(p.to_string() == "2600:1f18:abcd:1200::/56");
  CHECK(prefix6("2600:1f18:abcd:12ff::/56") == p);  // host bits cleared
  CHECK(p.contains(ip6("2600:1f18:abcd:12ff:ffff::1")));
  CHECK_FALSE(p.contains(ip6("2600:1f18:abcd:1300::")));
  CHECK(p.contains(prefix6("2600:1f18:abcd:1234::/64")));
  CHECK_FALSE(prefix6("2600:1f18:abcd:1234::/64").contains(p));
  CHECK(p.last() == ip6("2600:1f18:abcd:12ff:ffff:ffff:ffff:ffff"));
  CHECK(prefix6("::/0").contains(ip6("ffff::1")));
  CHECK(prefix6("::/0").last() == ip6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  CHECK(prefix6("2001:db8::7").len == 128);
  CHECK(prefix6("2001:db8::/64").last() == ip6("2001:db8::ffff:ffff:ffff:ffff"));
  CHECK(prefix6("2001:db8::/100").last() == ip6("2001:db8::fff:ffff"));
  for (const char* bad :
       {"2001:db8::/129", "2001:db8::/", "2001:db8::/064", "2001:db8::/-1", "2001:db8::/1a", "10.0.0.0/8"}) {
    INFO(bad);
    CHECK_FALSE(Ipv6Prefix::parse(bad).has_value());
  }
}

TEST_CASE("The IPv6 internet is 2000::/3, and bits count from the top", "[ipv6]") {
  CHECK(vpcprove::is_internet6(ip6("2600:1f18::5")));
  CHECK(vpcprove::is_internet6(ip6("3fff:ffff::")));
  CHECK_FALSE(vpcprove::is_internet6(ip6("fd00::1")));
  CHECK_FALSE(vpcprove::is_internet6(ip6("fe80::1")));
  CHECK_FALSE(vpcprove::is_internet6(ip6("::1")));
  CHECK(ip6("8000::").bit(0));
  CHECK_FALSE(ip6("8000::").bit(1));
  CHECK(ip6("::1").bit(127));
  CHECK(ip6("0:0:0:1::").bit(63));
  CHECK(ip6("::8000:0:0:0").bit(64));
  CHECK(vpcprove::nat64_prefix().contains(vpcprove::nat64_address(0xC0000201)));
  CHECK(vpcprove::nat64_address(0xC0000201).low32() == 0xC0000201);
}
