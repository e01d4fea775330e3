// SPDX-License-Identifier: Apache-2.0
// Unit tests of common/ipv4.h: parsing, formatting and containment of addresses and prefixes.
#include "common/ipv4.h"

#include <catch2/catch.hpp>
#include <string>

using vpcprove::format_ipv4;
using vpcprove::Ipv4Address;
using vpcprove::Ipv4Prefix;
using vpcprove::is_rfc1918;
using vpcprove::is_rfc6598;
using vpcprove::parse_ipv4;
using vpcprove::PortRange;

namespace {

Ipv4Address ip(const char* text) {
  const auto a = parse_ipv4(text);
  REQUIRE(a.has_value());
  return *a;
}

Ipv4Prefix prefix(const char* text) {
  const auto p = Ipv4Prefix::parse(text);
  REQUIRE(p.has_value());
  return *p;
}

}  // namespace

TEST_CASE("a dotted quad parses to the address in host byte order", "[common][ipv4]") {
  CHECK(parse_ipv4("10.0.0.1") == Ipv4Address{0x0A000001});
  CHECK(parse_ipv4("0.0.0.0") == Ipv4Address{0});
  CHECK(parse_ipv4("255.255.255.255") == Ipv4Address{0xFFFFFFFF});
  CHECK(parse_ipv4("203.0.113.7") == Ipv4Address{0xCB007107});
}

TEST_CASE("formatting an address gives back the dotted quad it was parsed from", "[common][ipv4]") {
  for (const char* text : {"0.0.0.0", "10.0.1.10", "172.31.255.254", "255.255.255.255", "8.8.8.8"}) {
    CHECK(format_ipv4(ip(text)) == text);
  }
}

TEST_CASE("an octet above 255 is rejected", "[common][ipv4]") {
  CHECK_FALSE(parse_ipv4("10.0.0.300"));
  CHECK_FALSE(parse_ipv4("300.0.0.1"));
  CHECK_FALSE(parse_ipv4("10.256.0.1"));
}

TEST_CASE("an address with fewer or more than four octets is rejected", "[common][ipv4]") {
  CHECK_FALSE(parse_ipv4("1.2.3"));
  CHECK_FALSE(parse_ipv4("1.2.3.4.5"));
  CHECK_FALSE(parse_ipv4("1.2.3."));
  CHECK_FALSE(parse_ipv4(".1.2.3"));
  CHECK_FALSE(parse_ipv4("1..2.3"));
  CHECK_FALSE(parse_ipv4(""));
}

TEST_CASE("signs, spaces, letters and leading zeros in an octet are rejected", "[common][ipv4]") {
  CHECK_FALSE(parse_ipv4("-1.0.0.0"));
  CHECK_FALSE(parse_ipv4("+1.0.0.0"));
  CHECK_FALSE(parse_ipv4(" 1.2.3.4"));
  CHECK_FALSE(parse_ipv4("1.2.3.4 "));
  CHECK_FALSE(parse_ipv4("a.b.c.d"));
  CHECK_FALSE(parse_ipv4("010.0.0.1"));
  CHECK_FALSE(parse_ipv4("1.2.3.4/32"));
}

TEST_CASE("a CIDR block parses to its network address and length", "[common][prefix]") {
  const auto p = prefix("10.0.0.0/16");
  CHECK(p.addr == Ipv4Address{0x0A000000});
  CHECK(p.len == 16);
  CHECK(p.to_string() == "10.0.0.0/16");
}

TEST_CASE("a /0 prefix covers every address", "[common][prefix]") {
  const auto p = prefix("0.0.0.0/0");
  CHECK(p.len == 0);
  CHECK(p.mask() == Ipv4Address{0});
  CHECK(p.first() == Ipv4Address{0});
  CHECK(p.last() == Ipv4Address{0xFFFFFFFF});
  CHECK(p.contains(ip("0.0.0.0")));
  CHECK(p.contains(ip("255.255.255.255")));
  CHECK(p.contains(prefix("10.0.0.0/8")));
  CHECK(p.to_string() == "0.0.0.0/0");
}

TEST_CASE("a /32 prefix holds exactly one address", "[common][prefix]") {
  const auto p = prefix("10.0.1.10/32");
  CHECK(p.mask() == Ipv4Address{0xFFFFFFFF});
  CHECK(p.first() == p.last());
  CHECK(p.contains(ip("10.0.1.10")));
  CHECK_FALSE(p.contains(ip("10.0.1.11")));
  CHECK_FALSE(p.contains(ip("10.0.1.9")));
}

TEST_CASE("a bare address parses as a /32 prefix", "[common][prefix]") {
  CHECK(prefix("8.8.8.8") == Ipv4Prefix::make(ip("8.8.8.8"), 32));
}

TEST_CASE("a prefix length above 32 is rejected", "[common][prefix]") {
  CHECK_FALSE(Ipv4Prefix::parse("10.0.0.0/33"));
  CHECK_FALSE(Ipv4Prefix::parse("10.0.0.0/64"));
  CHECK_FALSE(Ipv4Prefix::parse("10.0.0.0/100"));
}

TEST_CASE("a malformed prefix length or address is rejected", "[common][prefix]") {
  CHECK_FALSE(Ipv4Prefix::parse("10.0.0.0/"));
  CHECK_FALSE(Ipv4Prefix::parse("10.0.0.0/-1"));
  CHECK_FALSE(Ipv4Prefix::parse("10.0.0.0/16/8"));
  CHECK_FALSE(Ipv4Prefix::parse("10.0.0.0/1a"));
  CHECK_FALSE(Ipv4Prefix::parse("10.0.0.300/16"));
  CHECK_FALSE(Ipv4Prefix::parse("1.2.3/24"));
  CHECK_FALSE(Ipv4Prefix::parse("/24"));
}

TEST_CASE("host bits below the prefix length are cleared", "[common][prefix]") {
  CHECK(prefix("10.0.1.77/24").to_string() == "10.0.1.0/24");
  CHECK(prefix("10.0.255.255/16") == prefix("10.0.0.0/16"));
  CHECK(prefix("255.255.255.255/0").addr == Ipv4Address{0});
  CHECK(Ipv4Prefix::make(ip("192.168.7.9"), 20).to_string() == "192.168.0.0/20");
}

TEST_CASE("a prefix contains exactly the addresses from its first to its last", "[common][prefix]") {
  const auto p = prefix("10.0.2.0/24");
  CHECK(format_ipv4(p.first()) == "10.0.2.0");
  CHECK(format_ipv4(p.last()) == "10.0.2.255");
  CHECK(p.contains(ip("10.0.2.0")));
  CHECK(p.contains(ip("10.0.2.255")));
  CHECK_FALSE(p.contains(ip("10.0.1.255")));
  CHECK_FALSE(p.contains(ip("10.0.3.0")));
}

TEST_CASE("a prefix contains another prefix only when it is nested inside it", "[common][prefix]") {
  const auto vpc = prefix("10.0.0.0/16");
  CHECK(vpc.contains(vpc));
  CHECK(vpc.contains(prefix("10.0.3.0/24")));
  CHECK(vpc.contains(prefix("10.0.255.255/32")));
  CHECK_FALSE(vpc.contains(prefix("10.0.0.0/8")));
  CHECK_FALSE(vpc.contains(prefix("10.1.0.0/24")));
  CHECK_FALSE(prefix("10.0.3.0/24").contains(vpc));
}

TEST_CASE("a port range prints as one port, a range, or all", "[common][ports]") {
  CHECK(PortRange{22, 22}.to_string() == "22");
  CHECK(PortRange{1024, 65535}.to_string() == "1024-65535");
  CHECK(PortRange{0, 65535}.to_string() == "all");
  CHECK(PortRange{}.to_string() == "all");
  CHECK(PortRange{0, 0}.to_string() == "0");
  CHECK(PortRange{0, 65534}.to_string() == "0-65534");
}

TEST_CASE("a port range contains its inclusive bounds and nothing outside", "[common][ports]") {
  const PortRange r{1000, 2000};
  CHECK(r.contains(1000));
  CHECK(r.contains(2000));
  CHECK_FALSE(r.contains(999));
  CHECK_FALSE(r.contains(2001));
  CHECK_FALSE(PortRange{0, 65535}.contains(65536));
  CHECK(PortRange{}.is_all());
  CHECK_FALSE(r.is_all());
}

TEST_CASE("RFC 1918 space is exactly 10/8, 172.16/12 and 192.168/16", "[common][rfc]") {
  CHECK(is_rfc1918(ip("10.0.0.0")));
  CHECK(is_rfc1918(ip("10.255.255.255")));
  CHECK_FALSE(is_rfc1918(ip("9.255.255.255")));
  CHECK_FALSE(is_rfc1918(ip("11.0.0.0")));
  CHECK(is_rfc1918(ip("172.16.0.0")));
  CHECK(is_rfc1918(ip("172.31.255.255")));
  CHECK_FALSE(is_rfc1918(ip("172.15.255.255")));
  CHECK_FALSE(is_rfc1918(ip("172.32.0.0")));
  CHECK(is_rfc1918(ip("192.168.0.0")));
  CHECK(is_rfc1918(ip("192.168.255.255")));
  CHECK_FALSE(is_rfc1918(ip("192.167.255.255")));
  CHECK_FALSE(is_rfc1918(ip("192.169.0.0")));
  CHECK_FALSE(is_rfc1918(ip("8.8.8.8")));
  CHECK_FALSE(is_rfc1918(ip("100.64.0.1")));
}

TEST_CASE("RFC 6598 shared space is exactly 100.64.0.0/10", "[common][rfc]") {
  CHECK(is_rfc6598(ip("100.64.0.0")));
  CHECK(is_rfc6598(ip("100.127.255.255")));
  CHECK_FALSE(is_rfc6598(ip("100.63.255.255")));
  CHECK_FALSE(is_rfc6598(ip("100.128.0.0")));
  CHECK_FALSE(is_rfc6598(ip("10.0.0.1")));
}
