// SPDX-License-Identifier: Apache-2.0
// Candidate paths refuted by source addresses (queries/source_refutation.h): the prover's answers
// with the refutation are its answers without it (verdict, reasons, assumptions), and its
// witnesses still replay through trace.
#include "queries/source_refutation.h"

#include <catch2/catch.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "model/describe.h"
#include "model/endpoint.h"
#include "queries/reach.h"
#include "tests/support/network_builder.h"
#include "tests/support/random_network.h"
#include "trace/trace.h"

namespace vpcprove {
namespace {

using queries::Verdict;
using testing::NetworkBuilder;

/** Two subnets; sg-def admits its own members only (a default group), sg-web admits 0.0.0.0/0. */
model::Network default_group_network() {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.route_table("rtb-1", "vpc-1");
  b.subnet("subnet-1", "vpc-1", "10.0.1.0/24").route_table("rtb-1");
  b.subnet("subnet-2", "vpc-1", "10.0.2.0/24").route_table("rtb-1");
  b.eni("eni-a", "subnet-1", {"10.0.1.10"}).groups({"sg-def"});
  b.eni("eni-b", "subnet-2", {"10.0.2.10"}).groups({"sg-def"});
  b.eni("eni-c", "subnet-2", {"10.0.2.11"}).groups({"sg-web"});
  b.sg("sg-def", "vpc-1").ingress_all("sg-def").egress_all();
  b.sg("sg-web", "vpc-1").ingress_all().egress_all();
  return b.build();
}

model::Endpoint set_of(const std::string& text, std::vector<model::Id> ids) {
  model::Endpoint e;
  e.text = text;
  e.interfaces = std::move(ids);
  return e;
}

queries::ReachQuery question(model::Endpoint from, model::Endpoint to, const queries::HeaderSpace& hs = {},
                             queries::Semantics semantics = queries::Semantics::Packet) {
  return {std::move(from), std::move(to), hs, semantics, 0, model::AssumptionPolicy::Conditional, {}};
}

std::string reasons_text(const std::vector<queries::Reason>& reasons) {
  std::ostringstream s;
  for (const auto& r : reasons) {
    s << r.from_member << " | " << r.at << " | " << r.step << " | " << r.code << " | " << r.detail << " |";
    for (const auto& v : r.path) s << ' ' << v;
    s << '\n';
  }
  return s.str();
}

std::string assumptions_text(const std::vector<model::Assumption>& list) {
  std::string s;
  for (const auto& a : list) s += a.id + " (" + a.kind + ")\n";
  return s;
}

/** The same question with and without the refutation: the same answer; a witness that replays. */
void same_answer(const model::Network& n, queries::Prover& fast, queries::Prover& slow,
                 const queries::ReachQuery& q) {
  const auto a = fast.reach(q);
  const auto b = slow.reach(q);
  INFO(q.from.text << " -> " << q.to.text << " (" << queries::to_string(q.semantics) << ")");
  REQUIRE(queries::to_string(a.verdict) == std::string(queries::to_string(b.verdict)));
  CHECK(assumptions_text(a.assumptions) == assumptions_text(b.assumptions));
  if (a.verdict != Verdict::Reachable) {
    CHECK(reasons_text(a.reasons) == reasons_text(b.reasons));
    CHECK(a.unknown_reason == b.unknown_reason);
    return;
  }
  // Witnesses may differ (the solver picks the packet): each must be trace's walk.
  const auto start =
      *a.from_member == "internet" ? trace::Start::internet() : trace::Start::interface(*a.from_member);
  const model::Walk w = trace::walk(n, start, *a.packet);
  INFO("witness " << model::describe(*a.packet));
  CHECK(a.path == w.hops);
  CHECK(a.disposition == w.disposition);
  if (w.disposition == model::Disposition::Delivered) CHECK(w.endpoint == *a.to_member);
}

TEST_CASE("source refutation: a group admitting only its members refutes paths from others") {
  const model::Network n = default_group_network();
  queries::Prover fast(n);
  queries::Prover slow(n);
  slow.refute_by_addresses(false);
  // eni-c is no member of sg-def: both of its paths to the group stop at sg-ingress, unchecked.
  const queries::ReachQuery from_c =
      question(set_of("eni-c", {"eni-c"}), set_of("sg-def", {"eni-a", "eni-b"}));
  same_answer(n, fast, slow, from_c);
  CHECK(fast.reach(from_c).verdict == Verdict::Unreachable);
  CHECK(fast.refuted_paths() >= 2);
  CHECK(slow.refuted_paths() == 0);
  // eni-a is a member: its path to eni-b is not refuted, and carries a packet.
  const auto before = fast.refuted_paths();
  const queries::ReachQuery from_a = question(set_of("eni-a", {"eni-a"}), set_of("eni-b", {"eni-b"}));
  same_answer(n, fast, slow, from_a);
  CHECK(fast.reach(from_a).verdict == Verdict::Reachable);
  CHECK(fast.refuted_paths() == before);
  // sg-web admits every address: nothing refuted, eni-a reaches eni-c.
  const queries::ReachQuery to_c = question(set_of("eni-a", {"eni-a"}), set_of("eni-c", {"eni-c"}));
  same_answer(n, fast, slow, to_c);
  CHECK(fast.refuted_paths() == before);
}

TEST_CASE("source refutation: source addresses are what the prover encodes") {
  const model::Network n = default_group_network();
  const std::vector<model::Id> members{"eni-a", "eni-c"};
  queries::QuestionSource enis{};
  enis.owned_by = &members;
  const auto s = queries::source_addresses(n, enis);
  CHECK(s.v4.contains(testing::ip("10.0.1.10")));
  CHECK(s.v4.contains(testing::ip("10.0.2.11")));
  CHECK_FALSE(s.v4.contains(testing::ip("10.0.2.10")));
  CHECK(s.v6.empty());
  queries::QuestionSource internet{};
  internet.within = testing::prefix("8.8.0.0/16");
  const auto i = queries::source_addresses(n, internet);
  CHECK(i.v4.contains(testing::ip("8.8.8.8")));
  CHECK_FALSE(i.v4.contains(testing::ip("9.9.9.9")));
  CHECK(i.v6.empty());  // a CIDR source of IPv4 sends IPv4 only
  internet.within = testing::prefix("10.0.0.0/8");
  CHECK(queries::source_addresses(n, internet).v4.empty());  // no internet address is private
}

/** Random sets of ENIs as destinations, from ENI sets, single ENIs, the internet and a CIDR. */
void random_questions(const model::Network& n, std::uint32_t seed, std::size_t& refuted) {
  queries::Prover fast(n);
  queries::Prover slow(n);
  slow.refute_by_addresses(false);
  std::mt19937 rng(seed * 2654435761u + 7u);
  std::vector<model::Id> enis;
  for (const auto& [id, e] : n.network_interfaces) {
    if (e.in_sets()) enis.push_back(id);
  }
  if (enis.size() < 2) return;
  auto pick = [&](std::size_t k) { return std::uniform_int_distribution<std::size_t>(0, k - 1)(rng); };
  auto some = [&](const std::string& text) {
    std::vector<model::Id> ids;
    for (const auto& id : enis) {
      if (pick(3) == 0) ids.push_back(id);
    }
    if (ids.empty()) ids.push_back(enis[pick(enis.size())]);
    return set_of(text, ids);
  };
  model::Endpoint internet;
  internet.text = "internet";
  internet.internet = true;
  model::Endpoint anywhere;
  anywhere.text = "0.0.0.0/0";
  anywhere.cidr = testing::prefix("0.0.0.0/0");
  const model::Id one = enis[pick(enis.size())];
  const std::vector<model::Endpoint> sources{some("some ENIs"), set_of(one, {one}), internet, anywhere,
                                             set_of("all ENIs", enis)};
  static const std::vector<std::optional<int>> protocols{std::nullopt, model::kTcp, model::kUdp};
  for (const auto& from : sources) {
    queries::HeaderSpace hs;
    hs.protocol = protocols[pick(protocols.size())];
    if (hs.protocol == model::kTcp && pick(2) == 0) hs.dst_ports = PortRange{22, 22};
    const auto semantics = pick(4) == 0 ? queries::Semantics::Session : queries::Semantics::Packet;
    INFO("seed " << seed);
    same_answer(n, fast, slow, question(from, some("some ENIs"), hs, semantics));
  }
  refuted += fast.refuted_paths();
}

TEST_CASE("source refutation: the prover answers random networks as it does without it", "[random]") {
  std::size_t refuted = 0;
  for (std::uint32_t seed = 1; seed <= 15; ++seed)
    random_questions(testing::random_network(seed), seed, refuted);
  CHECK(refuted > 0);  // the refutation was exercised, not only the solver
}

TEST_CASE("source refutation: the prover answers random dual-stack networks as it does without it",
          "[random][ipv6]") {
  std::size_t refuted = 0;
  for (std::uint32_t seed = 1; seed <= 15; ++seed)
    random_questions(testing::random_dual_stack_network(seed), seed, refuted);
  CHECK(refuted > 0);
}

}  // namespace
}  // namespace vpcprove
