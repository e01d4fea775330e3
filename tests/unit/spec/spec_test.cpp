// SPDX-License-Identifier: Apache-2.0
// The spec language: what a valid file means, and that every mistake names file and line.
#include "intent/spec.h"

#include <catch2/catch.hpp>

#include "common/diagnostics.h"
#include "model/header_fields.h"

using namespace vpcprove;
using namespace vpcprove::queries;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_spec(text, "specs/x.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a contract example spec parses with its defaults", "[spec]") {
  const Spec spec = parse_spec(R"(invariants:
  - name: private-subnets-never-reach-the-internet
    description: Private tiers talk outward only through approved egress.
    from: private-subnets
    to: internet
    protocol: all
    dst_port: 0-65535
    expect: unreachable
  - name: app-reaches-db
    from: sg-0123456789abcdef0
    to: tag:Tier=db
    protocol: tcp
    dst_port: 5432
    expect: reachable
    severity: high
    except: [eni-0aaa]
)",
                               "s.yaml");
  REQUIRE(spec.invariants.size() == 2);
  const Invariant& a = spec.invariants[0];
  CHECK(a.from == "private-subnets");
  CHECK_FALSE(a.header.protocol);
  CHECK_FALSE(a.header.dst_ports);
  CHECK(a.expect == Expectation::Unreachable);
  CHECK(a.effective_semantics() == Semantics::Packet);
  CHECK(a.line == 2);
  const Invariant& b = spec.invariants[1];
  CHECK(b.header.protocol == 6);
  CHECK(b.header.dst_ports == PortRange{5432, 5432});
  CHECK(b.effective_semantics() == Semantics::Session);
  CHECK(b.severity == queries::Severity::High);
  CHECK(b.except == std::vector<std::string>{"eni-0aaa"});
}

TEST_CASE("explicit semantics override the default of the expectation", "[spec]") {
  const Spec spec = parse_spec(
      "invariants:\n  - {name: a, from: internet, to: vpc-1, expect: reachable, semantics: packet}\n", "s");
  CHECK(spec.invariants[0].effective_semantics() == Semantics::Packet);
}

TEST_CASE("an unknown key is an error naming file and line", "[spec]") {
  const std::string e = error_of(
      "invariants:\n  - name: a\n    from: internet\n    to: vpc-1\n    expect: unreachable\n    dst_prot: "
      "22\n");
  CHECK_THAT(e, Catch::Contains("specs/x.yaml:6"));
  CHECK_THAT(e, Catch::Contains("dst_prot"));
}

TEST_CASE("a bad port is an error naming file and line", "[spec]") {
  CHECK_THAT(
      error_of(
          "invariants:\n  - {name: a, from: internet, to: vpc-1, expect: unreachable, dst_port: 70000}\n"),
      Catch::Contains("specs/x.yaml:2"));
  CHECK_THAT(
      error_of(
          "invariants:\n  - {name: a, from: internet, to: vpc-1, expect: unreachable, dst_port: 20-10}\n"),
      Catch::Contains("dst_port"));
}

TEST_CASE("a selector of no known form is an error", "[spec]") {
  CHECK_THAT(error_of("invariants:\n  - {name: a, from: the-db, to: vpc-1, expect: unreachable}\n"),
             Catch::Contains("'the-db' is not an endpoint"));
  CHECK_THAT(error_of("invariants:\n  - {name: a, from: 10.0.0.0/33, to: vpc-1, expect: unreachable}\n"),
             Catch::Contains("not an endpoint"));
}

TEST_CASE("missing fields, bad expectations and duplicate names are errors", "[spec]") {
  CHECK_THAT(error_of("invariants:\n  - {name: a, from: internet, expect: unreachable}\n"),
             Catch::Contains("'to'"));
  CHECK_THAT(error_of("invariants:\n  - {name: a, from: internet, to: vpc-1, expect: maybe}\n"),
             Catch::Contains("expect"));
  CHECK_THAT(error_of("invariants:\n  - {name: a, from: internet, to: vpc-1, expect: reachable}\n"
                      "  - {name: a, from: internet, to: vpc-2, expect: reachable}\n"),
             Catch::Contains("duplicate"));
  CHECK_THAT(error_of("rules: []\n"), Catch::Contains("invariants"));
  CHECK_THAT(error_of("invariants: [\n"), Catch::Contains("YAML syntax error"));
}

TEST_CASE("protocols and port ranges parse as the contract writes them", "[spec][header]") {
  CHECK(vpcprove::model::parse_protocol("tcp") == 6);
  CHECK(vpcprove::model::parse_protocol("all") == -1);
  CHECK(vpcprove::model::parse_protocol("-1") == -1);
  CHECK(vpcprove::model::parse_protocol("50") == 50);
  CHECK_FALSE(vpcprove::model::parse_protocol("256"));
  CHECK_FALSE(vpcprove::model::parse_protocol("tcpx"));
  CHECK(vpcprove::model::parse_port_range("22") == PortRange{22, 22});
  CHECK(vpcprove::model::parse_port_range("1000-2000") == PortRange{1000, 2000});
  CHECK_FALSE(vpcprove::model::parse_port_range("65536"));
  CHECK_FALSE(vpcprove::model::parse_port_range("2000-1000"));
  CHECK_FALSE(vpcprove::model::parse_port_range(""));
  CHECK_FALSE(vpcprove::model::parse_port_range("-5"));
}

TEST_CASE("from_except and to_except exempt members on one side only", "[spec][except]") {
  const Spec spec = parse_spec(R"(invariants:
  - {name: a, from: all-enis, to: tag:Tier=db, expect: unreachable, from_except: [tag:Tier=db, tag:Tier=app], to_except: eni-0aaa}
)",
                               "s.yaml");
  const Invariant& a = spec.invariants[0];
  CHECK(a.from_except == std::vector<std::string>{"tag:Tier=db", "tag:Tier=app"});
  CHECK(a.to_except == std::vector<std::string>{"eni-0aaa"});
  CHECK(a.except.empty());
  CHECK_THAT(
      error_of(
          "invariants:\n  - {name: a, from: internet, to: vpc-1, expect: unreachable, to_except: nowhere}\n"),
      Catch::Contains("'to_except': 'nowhere' is not an endpoint"));
}

TEST_CASE("a list of destination ports is read for unreachable invariants only", "[spec][ports]") {
  const Spec spec = parse_spec(
      "invariants:\n  - {name: a, from: internet, to: all-enis, protocol: tcp, expect: unreachable, "
      "dst_port: [22, "
      "3389, 8000-8100]}\n",
      "s.yaml");
  const Invariant& a = spec.invariants[0];
  CHECK(a.dst_port_list == std::vector<PortRange>{{22, 22}, {3389, 3389}, {8000, 8100}});
  CHECK_FALSE(a.header.dst_ports);
  CHECK_THAT(
      error_of(
          "invariants:\n  - {name: a, from: internet, to: vpc-1, expect: reachable, dst_port: [22, 80]}\n"),
      Catch::Contains("only for 'expect: unreachable'"));
  CHECK_THAT(
      error_of(
          "invariants:\n  - {name: a, from: internet, to: vpc-1, expect: unreachable, dst_port: [22, x]}\n"),
      Catch::Contains("specs/x.yaml:2"));
  CHECK_THAT(
      error_of("invariants:\n  - {name: a, from: internet, to: vpc-1, expect: unreachable, dst_port: []}\n"),
      Catch::Contains("empty list"));
}

TEST_CASE("spec-level selectors all-enis and sg-name:NAME are endpoint forms", "[spec][selector]") {
  CHECK(is_spec_selector("all-enis"));
  CHECK(is_spec_selector("sg-name:default"));
  CHECK_FALSE(is_spec_selector("sg-name:"));
  CHECK_FALSE(is_spec_selector("sg-0abc"));
  CHECK(is_endpoint_form("sg-name:default"));
  CHECK(is_endpoint_form("all-enis"));
  CHECK_FALSE(is_endpoint_form("all-instances"));
}

TEST_CASE("through and not_through take a resource ID, a tag or a list of them", "[spec][waypoints]") {
  const Spec spec = parse_spec(
      "invariants:\n"
      "  - {name: a, from: vpc-1, to: internet, expect: unreachable, not_through: [vpc-9, "
      "tag:Segment=egress]}\n"
      "  - {name: b, from: vpc-1, to: internet, expect: reachable, through: tgw-attach-0ab}\n",
      "s");
  CHECK(spec.invariants[0].not_through == std::vector<std::string>{"vpc-9", "tag:Segment=egress"});
  CHECK(spec.invariants[0].through.empty());
  CHECK(spec.invariants[1].through == std::vector<std::string>{"tgw-attach-0ab"});
  CHECK_THAT(error_of("invariants:\n  - {name: a, from: vpc-1, to: internet, expect: unreachable, through: "
                      "inspection}\n"),
             Catch::Contains("'through': 'inspection' is not a resource ID"));
  CHECK_THAT(error_of("invariants:\n  - {name: a, from: vpc-1, to: internet, expect: unreachable, "
                      "not_through: []}\n"),
             Catch::Contains("specs/x.yaml:2"));
}
