// SPDX-License-Identifier: Apache-2.0
// What check means: sets pair by pair, existential unreachable, exemptions, unknown never holds.
#include "queries/check.h"

#include <catch2/catch.hpp>
#include <string>

#include "common/diagnostics.h"
#include "primer_fixture.h"

using namespace vpcprove;
using namespace vpcprove::check_test;
using queries::CheckVerdict;
using queries::Verdict;

namespace {

/** An ask that counts the questions and passes them to the prover. */
struct CountingAsk {
  std::shared_ptr<int> count = std::make_shared<int>(0);
  queries::ReachResult operator()(queries::Prover& p, const queries::ReachQuery& q) const {
    ++*count;
    return p.reach(q);
  }
};

/** A fake solver limit: every question whose destination is `unknown_to` comes back unknown. */
queries::AskFunction unknown_for(const std::string& unknown_to) {
  return [unknown_to](queries::Prover& p, const queries::ReachQuery& q) {
    if (q.to.text == unknown_to || unknown_to.empty()) {
      queries::ReachResult r;
      r.verdict = Verdict::Unknown;
      r.unknown_reason = "timeout (fake)";
      r.from = q.from.text;
      r.to = q.to.text;
      return r;
    }
    return p.reach(q);
  };
}

std::string error_of(const model::Network& n, const std::string& yaml) {
  try {
    run(n, yaml);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("an unreachable invariant is violated by a counterexample naming the pair, packet and path",
          "[check][unreachable]") {
  const auto r = run(primer(), R"(invariants:
  - {name: no-ssh, from: internet, to: vpc-0af3841a0ca2bbffe, protocol: tcp, dst_port: 22, expect: unreachable}
)");
  REQUIRE(r.size() == 1);
  CHECK(r[0].verdict == CheckVerdict::Violated);
  REQUIRE(r[0].has_evidence);
  const auto& e = r[0].evidence;
  CHECK(e.verdict == Verdict::Reachable);
  CHECK(*e.from_member == "internet");
  CHECK(*e.to_member == kWeb);
  CHECK(e.packet->dst_port == 22);
  // Only the office range may use SSH: the witness comes from it.
  CHECK(Ipv4Prefix::parse("203.0.113.0/24")->contains(e.packet->src_ip));
  CHECK_FALSE(e.path.empty());
  CHECK(e.from == "internet");
  CHECK(e.to == kVpc);
}

TEST_CASE("an unreachable invariant over sets is one existential question", "[check][unreachable]") {
  CountingAsk ask;
  queries::CheckOptions o;
  o.ask = ask;
  const auto r = run(primer(), R"(invariants:
  - {name: inet-to-private, from: internet, to: private-subnets, expect: unreachable}
)",
                     o);
  CHECK(r[0].verdict == CheckVerdict::Holds);
  CHECK(*ask.count == 1);
  CHECK(r[0].pairs == 1);
  CHECK(r[0].evidence.verdict == Verdict::Unreachable);
}

TEST_CASE("a list of destination ports is one question over the set and is violated by any of them",
          "[check][unreachable]") {
  CountingAsk ask;
  queries::CheckOptions o;
  o.ask = ask;
  const auto held = run(primer(), R"(invariants:
  - {name: db-ports, from: internet, to: vpc-0af3841a0ca2bbffe, protocol: tcp, dst_port: [3306, 5432, 1433], expect: unreachable}
)",
                        o);
  CHECK(held[0].verdict == CheckVerdict::Holds);
  CHECK(*ask.count == 1);
  const auto broken = run(primer(), R"(invariants:
  - {name: ports, from: internet, to: vpc-0af3841a0ca2bbffe, protocol: tcp, dst_port: [3306, 443, 5432], expect: unreachable}
)");
  CHECK(broken[0].verdict == CheckVerdict::Violated);
  CHECK(broken[0].evidence.packet->dst_port == 443);
}

TEST_CASE("two invariants asking the same question get one answer, the second saying so", "[check]") {
  CountingAsk ask;
  queries::CheckOptions o;
  o.ask = ask;
  o.jobs = 2;
  // The same members and header space written twice (CIS 5.4 and FSBP EC2.2 are such a pair);
  // the third differs in its port, so it is asked on its own.
  const auto r = run(primer(), R"(invariants:
  - {name: first, from: internet, to: vpc-0af3841a0ca2bbffe, protocol: tcp, dst_port: 443, expect: unreachable}
  - {name: again, from: internet, to: vpc-0af3841a0ca2bbffe, protocol: tcp, dst_port: 443, expect: unreachable, severity: low}
  - {name: other, from: internet, to: vpc-0af3841a0ca2bbffe, protocol: tcp, dst_port: 3306, expect: unreachable}
)",
                     o);
  REQUIRE(r.size() == 3);
  CHECK(*ask.count == 2);
  CHECK(r[0].verdict == CheckVerdict::Violated);
  CHECK(r[1].verdict == CheckVerdict::Violated);
  CHECK(r[1].invariant.name == "again");
  CHECK(r[1].invariant.severity == queries::Severity::Low);
  REQUIRE(r[1].evidence.packet);
  CHECK(r[1].evidence.packet->dst_port == 443);
  REQUIRE_FALSE(r[1].notes.empty());
  CHECK_THAT(r[1].notes.back(), Catch::Contains("same question as 'first'"));
  CHECK(r[2].verdict == CheckVerdict::Holds);
  CHECK(r[0].notes.empty());
}

TEST_CASE("a reachable invariant needs every pair, and names each pair that fails", "[check][reachable]") {
  CountingAsk ask;
  queries::CheckOptions o;
  o.ask = ask;
  // web -> db is dropped by the db NACL; app -> db works; db -> db is the interface itself.
  const auto r = run(primer(), R"(invariants:
  - {name: vpc-to-db, from: vpc-0af3841a0ca2bbffe, to: eni-048dd1e45e6cc4df4, protocol: tcp, dst_port: 5432, expect: reachable}
)",
                     o);
  CHECK(r[0].verdict == CheckVerdict::Violated);
  CHECK(*ask.count == 2);
  CHECK(r[0].pairs == 2);
  REQUIRE(r[0].failing_pairs.size() == 1);
  CHECK(r[0].failing_pairs[0].from_member == kWeb);
  CHECK(r[0].failing_pairs[0].to_member == kDb);
  CHECK(r[0].evidence.verdict == Verdict::Unreachable);
  CHECK(*r[0].evidence.from_member == kWeb);
  CHECK_FALSE(r[0].evidence.reasons.empty());
  CHECK(r[0].evidence.reasons.front().at == "acl-0b916095b1acea811");
  REQUIRE(r[0].notes.size() == 1);
  CHECK_THAT(r[0].notes[0], Catch::Contains("itself"));
}

TEST_CASE("a reachable invariant holds when every pair has a working session", "[check][reachable]") {
  const auto r = run(primer(), R"(invariants:
  - {name: app-db, from: sg-0e6835e5e64cfe081, to: sg-08a66024d8bd1b996, protocol: tcp, dst_port: 5432, expect: reachable}
  - {name: web-app, from: eni-0c4d941a10da0333c, to: eni-02d8722b580a174f6, protocol: tcp, dst_port: 8080, expect: reachable}
)");
  CHECK(r[0].verdict == CheckVerdict::Holds);
  CHECK(r[1].verdict == CheckVerdict::Holds);
  CHECK(r[0].evidence.verdict == Verdict::Reachable);
}

TEST_CASE("reachable uses session semantics by default: the db NACL drops replies to low ports",
          "[check][reachable]") {
  // The db NACL lets replies out only to ports 1024-65535 of the app subnet.
  const auto r = run(primer(), R"(invariants:
  - {name: session, from: eni-02d8722b580a174f6, to: eni-048dd1e45e6cc4df4, protocol: tcp, dst_port: 5432, src_port: 100-200, expect: reachable}
  - {name: packet, from: eni-02d8722b580a174f6, to: eni-048dd1e45e6cc4df4, protocol: tcp, dst_port: 5432, src_port: 100-200, expect: reachable, semantics: packet}
)");
  CHECK(r[0].verdict == CheckVerdict::Violated);
  CHECK(r[1].verdict == CheckVerdict::Holds);
}

TEST_CASE("except removes members from both sides; from_except and to_except from one", "[check][except]") {
  const auto r = run(primer(), R"(invariants:
  - {name: both, from: vpc-0af3841a0ca2bbffe, to: eni-048dd1e45e6cc4df4, protocol: tcp, dst_port: 5432, expect: reachable, except: [eni-0c4d941a10da0333c]}
  - {name: from-only, from: vpc-0af3841a0ca2bbffe, to: vpc-0af3841a0ca2bbffe, protocol: tcp, dst_port: 5432, expect: unreachable, from_except: [sg-0e6835e5e64cfe081]}
  - {name: to-only, from: vpc-0af3841a0ca2bbffe, to: vpc-0af3841a0ca2bbffe, protocol: tcp, dst_port: 5432, expect: unreachable, to_except: [sg-08a66024d8bd1b996]}
  - {name: not-exempt, from: vpc-0af3841a0ca2bbffe, to: vpc-0af3841a0ca2bbffe, protocol: tcp, dst_port: 5432, expect: unreachable}
)");
  CHECK(r[0].verdict == CheckVerdict::Holds);
  CHECK(r[0].pairs == 1);
  CHECK(r[1].verdict == CheckVerdict::Holds);  // only app reaches 5432 anywhere
  CHECK(r[2].verdict == CheckVerdict::Holds);  // only db listens on 5432
  CHECK(r[3].verdict == CheckVerdict::Violated);
}

TEST_CASE("an exemption of the internet or an address is an error naming file and line", "[check][except]") {
  const std::string e = error_of(primer(), R"(invariants:
  - {name: a, from: internet, to: vpc-0af3841a0ca2bbffe, expect: unreachable}
  - {name: b, from: internet, to: vpc-0af3841a0ca2bbffe, expect: unreachable, except: 10.0.0.0/8}
)");
  CHECK_THAT(e, Catch::Contains("test.yaml:3"));
  CHECK_THAT(e, Catch::Contains("not a set of network interfaces"));
}

TEST_CASE("an ID the snapshot lacks is an error naming the spec file and line", "[check][input]") {
  const std::string e = error_of(primer(), R"(invariants:
  - {name: a, from: internet, to: vpc-0af3841a0ca2bbffe, expect: unreachable}
  - {name: b, from: internet, to: subnet-0000000000000000f, expect: unreachable}
)");
  CHECK_THAT(e, Catch::Contains("test.yaml:3"));
  CHECK_THAT(e, Catch::Contains("subnet-0000000000000000f"));
}

TEST_CASE("a side with no members holds vacuously and says so", "[check][vacuous]") {
  CountingAsk ask;
  queries::CheckOptions o;
  o.ask = ask;
  const auto r = run(primer(), R"(invariants:
  - {name: db-tier, from: internet, to: tag:Tier=db, expect: unreachable}
  - {name: default-sg, from: 0.0.0.0/0, to: sg-name:default, expect: unreachable}
)",
                     o);
  for (const auto& x : r) {
    CHECK(x.verdict == CheckVerdict::Holds);
    CHECK(x.vacuous);
    REQUIRE_FALSE(x.notes.empty());
    CHECK_THAT(x.notes[0], Catch::Contains("no member"));
  }
  CHECK(*ask.count == 0);
}

TEST_CASE("sg-name:default selects the ENIs that carry their VPC's default group", "[check][selector]") {
  model::Network n = primer();
  n.network_interfaces.at(kApp).security_group_ids.push_back(kSgDefault);
  n.index();
  const auto e = queries::resolve_spec_endpoint(n, "sg-name:default");
  CHECK(e.interfaces == std::vector<std::string>{kApp});
  CHECK(queries::resolve_spec_endpoint(n, "all-enis").interfaces.size() == 3);
  // app now carries a default group: anything reaching app (web on 8080) violates the invariant.
  const auto r = run(n, R"(invariants:
  - {name: default-sg, from: 0.0.0.0/0, to: sg-name:default, expect: unreachable}
)");
  CHECK(r[0].verdict == CheckVerdict::Violated);
}

TEST_CASE("unknown is never reported as holds", "[check][unknown]") {
  queries::CheckOptions o;
  o.ask = unknown_for("");
  const auto r = run(primer(), R"(invariants:
  - {name: u1, from: internet, to: private-subnets, expect: unreachable}
  - {name: u2, from: sg-0e6835e5e64cfe081, to: sg-08a66024d8bd1b996, protocol: tcp, dst_port: 5432, expect: reachable}
)",
                     o);
  CHECK(r[0].verdict == CheckVerdict::Unknown);
  CHECK(r[1].verdict == CheckVerdict::Unknown);
  CHECK(r[0].evidence.unknown_reason == "timeout (fake)");
  const auto s = queries::summarize(r);
  CHECK(s.unknown == 2);
  CHECK(queries::exit_code_of(s) == 3);
}

TEST_CASE("a failing pair makes a reachable invariant violated even when another pair is unknown",
          "[check][unknown]") {
  queries::CheckOptions o;
  o.ask = unknown_for(kApp);
  // web -> db fails (NACL); app -> app is skipped; web -> app and db -> app are unknown.
  const auto r = run(primer(), R"(invariants:
  - {name: mixed, from: vpc-0af3841a0ca2bbffe, to: vpc-0af3841a0ca2bbffe, protocol: tcp, dst_port: 5432, expect: reachable}
)",
                     o);
  CHECK(r[0].verdict == CheckVerdict::Violated);
  CHECK(r[0].evidence.verdict == Verdict::Unreachable);
  int unknown = 0;
  for (const auto& p : r[0].failing_pairs) unknown += p.verdict == Verdict::Unknown ? 1 : 0;
  CHECK(unknown == 2);
}

TEST_CASE("a real solver limit of 1 ms is unknown or answered, never wrongly held", "[check][unknown]") {
  queries::CheckOptions o;
  o.timeout_ms = 1;
  const auto r = run(primer(), R"(invariants:
  - {name: ssh, from: internet, to: vpc-0af3841a0ca2bbffe, protocol: tcp, dst_port: 22, expect: unreachable}
)",
                     o);
  // With 1 ms Z3 may or may not finish; whatever happens, a reachable space is never "holds".
  CHECK(r[0].verdict != CheckVerdict::Holds);
}

TEST_CASE("exit codes: 1 if any violated, else 3 if any unknown, else 0", "[check][exit]") {
  CHECK(queries::exit_code_of({3, 0, 0}) == 0);
  CHECK(queries::exit_code_of({3, 0, 1}) == 3);
  CHECK(queries::exit_code_of({3, 1, 1}) == 1);
  CHECK(queries::exit_code_of({0, 0, 0}) == 0);
}

TEST_CASE("parallel jobs give the results of one job, in spec order", "[check][jobs]") {
  const std::string yaml = R"(invariants:
  - {name: a, from: internet, to: vpc-0af3841a0ca2bbffe, protocol: tcp, dst_port: 22, expect: unreachable}
  - {name: b, from: internet, to: private-subnets, expect: unreachable}
  - {name: c, from: sg-0e6835e5e64cfe081, to: sg-08a66024d8bd1b996, protocol: tcp, dst_port: 5432, expect: reachable}
  - {name: d, from: vpc-0af3841a0ca2bbffe, to: eni-048dd1e45e6cc4df4, protocol: tcp, dst_port: 5432, expect: reachable}
  - {name: e, from: private-subnets, to: internet, expect: unreachable}
)";
  queries::CheckOptions one;
  one.jobs = 1;
  queries::CheckOptions three;
  three.jobs = 3;
  std::size_t calls = 0;
  three.progress = [&](std::size_t done, std::size_t total, const std::string&) {
    ++calls;
    CHECK(done <= total);
  };
  const auto a = run(primer(), yaml, one);
  const auto b = run(primer(), yaml, three);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].invariant.name == b[i].invariant.name);
    CHECK(a[i].verdict == b[i].verdict);
  }
  CHECK(calls == a.size());
  CHECK(a[4].verdict == CheckVerdict::Violated);  // app egresses through the NAT
}
