// SPDX-License-Identifier: Apache-2.0
// Tests of queries::diff: exact exposure deltas, and flow deltas that agree with trace and reach.
#include "queries/diff.h"

#include <catch2/catch.hpp>
#include <random>

#include "model/describe.h"
#include "queries/reach.h"
#include "report/diff_report.h"
#include "tests/support/network_builder.h"
#include "tests/support/random_network.h"
#include "trace/trace.h"

namespace vpcprove::queries {
namespace {

using testing::ip;
using testing::NetworkBuilder;

/** A public web ENI and a private db ENI; web's group opens 443 to the internet. */
NetworkBuilder estate() {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1");
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub");
  b.subnet("subnet-db", "vpc-1", "10.0.2.0/24");
  b.eni("eni-web", "subnet-pub", {"10.0.1.5"}).public_ip("54.0.0.5").groups({"sg-web"});
  b.eni("eni-db", "subnet-db", {"10.0.2.5"}).groups({"sg-db"});
  b.sg("sg-web", "vpc-1").ingress_tcp(443, "0.0.0.0/0").egress_all();
  b.sg("sg-db", "vpc-1").ingress_tcp(5432, "sg-web").egress_all();
  return b;
}

TEST_CASE("diff of a network with itself reports nothing and exits 0") {
  const auto n = estate().build();
  DiffOptions o;
  o.from = "internet";
  o.to = "eni-web";
  const auto r = diff(n, n, o);
  CHECK(r.opened.empty());
  CHECK(r.closed.empty());
  CHECK(r.added.empty());
  CHECK(r.removed.empty());
  CHECK(r.flow_classes > 0);
  CHECK_FALSE(has_changes(r));
  CHECK(diff_exit_code(r) == 0);
}

TEST_CASE("opening ssh to the internet is one opened exposure, exactly tcp 22, and one added flow") {
  const auto before = estate().build();
  auto b = estate();
  b.sg("sg-web", "vpc-1").ingress_tcp(443, "0.0.0.0/0").ingress_tcp(22, "0.0.0.0/0").egress_all();
  const auto after = b.build();
  DiffOptions o;
  o.from = "internet";
  o.to = "eni-web";
  const auto r = diff(before, after, o);
  REQUIRE(r.opened.size() == 1);
  CHECK(r.opened[0].eni == "eni-web");
  CHECK(r.opened[0].protocol == "tcp");
  CHECK(r.opened[0].ports == std::vector<PortRange>{{22, 22}});
  CHECK(r.opened[0].ip_version == 4);
  REQUIRE_FALSE(r.opened[0].by.empty());
  CHECK(resource_of_rule(r.opened[0].by[0]) == "sg-web");  // the group's rule first, then the NACL's
  CHECK(r.closed.empty());
  REQUIRE_FALSE(r.added.empty());
  for (const auto& f : r.added) {
    CHECK(f.protocol == "tcp");
    CHECK(f.ports == std::vector<PortRange>{{22, 22}});
    CHECK(f.walk.disposition == model::Disposition::Delivered);
    CHECK(f.other.disposition == model::Disposition::Dropped);
  }
  CHECK(r.removed.empty());
  CHECK(diff_exit_code(r) == 1);
  // Reversed, the same change is closed and removed.
  const auto back = diff(after, before, o);
  REQUIRE(back.closed.size() == 1);
  CHECK(back.closed[0].ports == std::vector<PortRange>{{22, 22}});
  CHECK(back.opened.empty());
  CHECK(back.added.empty());
  CHECK(back.removed.size() == r.added.size());
}

TEST_CASE("an ENI only in NEW: its exposure is opened whole, and --to it resolves in NEW") {
  const auto before = estate().build();
  auto b = estate();
  b.eni("eni-new", "subnet-pub", {"10.0.1.9"}).public_ip("54.0.0.9").groups({"sg-web"});
  const auto after = b.build();
  DiffOptions o;
  o.from = "internet";
  o.to = "eni-new";
  const auto r = diff(before, after, o);
  REQUIRE(r.opened.size() == 1);
  CHECK(r.opened[0].eni == "eni-new");
  CHECK(r.opened[0].ports == std::vector<PortRange>{{443, 443}});
  REQUIRE_FALSE(r.added.empty());
  CHECK(r.added[0].other.disposition == model::Disposition::Dropped);
  CHECK_THROWS_AS(diff(before, after,
                       [] {
                         DiffOptions x;
                         x.from = "internet";
                         x.to = "eni-nowhere";
                         return x;
                       }()),
                  InputError);
}

TEST_CASE("invariant verdicts that change are listed with both verdicts") {
  const auto before = estate().build();
  auto b = estate();
  b.sg("sg-db", "vpc-1").ingress_tcp(5432, "0.0.0.0/0").egress_all();
  b.route_table("rtb-pub2", "vpc-1").route("0.0.0.0/0", "igw-1");
  b.subnet("subnet-db", "vpc-1", "10.0.2.0/24").route_table("rtb-pub2");
  b.eni("eni-db", "subnet-db", {"10.0.2.5"}).public_ip("54.0.0.6").groups({"sg-db"});
  const auto after = b.build();
  DiffOptions o;
  Invariant inv;
  inv.name = "db-not-from-internet";
  inv.from = "internet";
  inv.to = "eni-db";
  inv.expect = Expectation::Unreachable;
  Invariant same;
  same.name = "web-not-from-internet-on-80";
  same.from = "internet";
  same.to = "eni-web";
  same.header.protocol = model::kTcp;
  same.header.dst_ports = PortRange{80, 80};
  o.invariants = {inv, same};
  const auto r = diff(before, after, o);
  REQUIRE(r.invariants.size() == 1);
  CHECK(r.invariants[0].name == "db-not-from-internet");
  CHECK(r.invariants[0].old_verdict == CheckVerdict::Holds);
  CHECK(r.invariants[0].new_verdict == CheckVerdict::Violated);
  DiffReport report;
  report.result = r;
  report.new_file = "plan.json";
  report.addresses["sg-db"] = "aws_security_group.db";
  const auto j = diff_report_json(report);
  CHECK(j["invariants"][0]["old"] == "holds");
  CHECK(j["invariants"][0]["new"] == "violated");
  CHECK(j["summary"]["newly_violated"] == 1);
  const auto s = diff_report_sarif(report);
  bool located = false;
  for (const auto& res : s["runs"][0]["results"]) {
    if (res["ruleId"] != "exposure-opened") continue;
    for (const auto& l : res["locations"][0]["logicalLocations"]) {
      located = located || l["fullyQualifiedName"] == "aws_security_group.db";
    }
  }
  CHECK(located);
}

/** One random change: an SG rule added or removed, a route retargeted, added or removed, a NACL entry
 * removed. */
std::string mutate(model::Network& n, std::mt19937& rng) {
  auto pick = [&](std::size_t size) { return std::uniform_int_distribution<std::size_t>(0, size - 1)(rng); };
  for (int attempt = 0; attempt < 20; ++attempt) {
    switch (pick(5)) {
      case 0: {  // add an ingress rule
        if (n.security_groups.empty()) break;
        auto it = std::next(n.security_groups.begin(), static_cast<long>(pick(n.security_groups.size())));
        model::SgRule r;
        r.group_id = it->first;
        r.direction = model::Direction::Ingress;
        r.index = static_cast<int>(it->second.ingress.size());
        static const std::uint16_t ports[] = {22, 80, 443, 5432, 8080};
        const auto port = ports[pick(5)];
        r.l4 = pick(2) ? testing::tcp(port, static_cast<std::uint16_t>(port + pick(3))) : testing::udp(port);
        r.peer = pick(2) ? "0.0.0.0/0" : "10.0.0.0/8";
        r.peer_prefixes = {testing::prefix(r.peer)};
        it->second.ingress.push_back(r);
        return it->first + ": added " + model::describe(r);
      } break;
      case 1: {  // remove a rule
        if (n.security_groups.empty()) break;
        auto& g =
            std::next(n.security_groups.begin(), static_cast<long>(pick(n.security_groups.size())))->second;
        auto& rules = pick(2) ? g.ingress : g.egress;
        if (rules.empty()) break;
        const auto k = pick(rules.size());
        const auto what = model::describe(rules[k]);
        rules.erase(rules.begin() + static_cast<long>(k));
        for (std::size_t i = 0; i < rules.size(); ++i) rules[i].index = static_cast<int>(i);
        return g.id + ": removed " + what;
      } break;
      case 2:
      case 3: {  // retarget a non-local route to a blackhole, or remove it
        if (n.route_tables.empty()) break;
        auto& t = std::next(n.route_tables.begin(), static_cast<long>(pick(n.route_tables.size())))->second;
        std::vector<std::size_t> ks;
        for (std::size_t i = 0; i < t.routes.size(); ++i) {
          if (t.routes[i].target_kind != model::RouteTargetKind::Local) ks.push_back(i);
        }
        if (ks.empty()) break;
        const auto k = ks[pick(ks.size())];
        const auto what = t.id + ' ' + model::describe(t.routes[k]);
        if (pick(2)) {
          t.routes[k].blackhole = !t.routes[k].blackhole;
          return t.id + ": toggled blackhole of " + what;
        }
        t.routes.erase(t.routes.begin() + static_cast<long>(k));
        return t.id + ": removed route " + what;
      } break;
      case 4: {  // remove a NACL entry
        if (n.network_acls.empty()) break;
        auto& a = std::next(n.network_acls.begin(), static_cast<long>(pick(n.network_acls.size())))->second;
        auto& entries = pick(2) ? a.ingress : a.egress;
        if (entries.empty()) break;
        const auto k = pick(entries.size());
        const auto what = model::describe(entries[k]);
        entries.erase(entries.begin() + static_cast<long>(k));
        return a.id + ": removed " + what;
      }
    }
  }
  return ": nothing";
}

bool contains(const FlowDelta& f, const model::Packet& p) {
  bool src = false;
  for (const auto& [lo, hi] : f.src) src = src || (lo <= p.src_ip && p.src_ip <= hi);
  if (!src || p.dst_ip < f.dst_lo || p.dst_ip > f.dst_hi) return false;
  const std::string name = p.protocol == model::kTcp    ? "tcp"
                           : p.protocol == model::kUdp  ? "udp"
                           : p.protocol == model::kIcmp ? "icmp"
                                                        : "other";
  if (name != f.protocol) return false;
  const std::uint32_t dim = name == "other" ? p.protocol : p.dst_port;
  if (f.icmp_codes && !f.icmp_codes->contains(p.src_port)) return false;
  for (const auto& r : f.ports) {
    if (r.contains(dim)) return true;
  }
  return false;
}

bool delivered(const model::Walk& w, const std::string& to) {
  if (to == "internet") return w.disposition == model::Disposition::ExitsInternet;
  return w.disposition == model::Disposition::Delivered && w.endpoint == to;
}

HeaderSpace exactly(const model::Packet& p) {
  HeaderSpace h;
  h.protocol = p.protocol;
  if (p.protocol == model::kTcp || p.protocol == model::kUdp || p.protocol == model::kIcmp) {
    h.dst_ports = PortRange{p.dst_port, p.dst_port};
    h.src_ports = PortRange{p.src_port, p.src_port};
  }
  h.src_ip = Ipv4Prefix::make(p.src_ip, 32);
  h.dst_ip = Ipv4Prefix::make(p.dst_ip, 32);
  return h;
}

TEST_CASE("diff's flows agree with reach and trace on random networks with one random change") {
  std::size_t witnesses = 0;
  std::size_t differing = 0;
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    const auto old_network = testing::random_network(seed);
    auto new_network = old_network;
    std::mt19937 rng(seed * 7919u);
    const auto change = mutate(new_network, rng);
    new_network.index();
    // The ENIs the change can matter to first (members of the group, ENIs of the subnets of
    // the table or ACL), then others, four in all; every ordered pair and the internet both ways.
    const std::string touched = change.substr(0, change.find(':'));
    std::vector<std::string> near;
    std::vector<std::string> far;
    for (const auto& [id, e] : old_network.network_interfaces) {
      if (!e.in_sets()) continue;
      const auto& sub = old_network.subnets.at(e.subnet_id);
      const bool related = std::find(e.security_group_ids.begin(), e.security_group_ids.end(), touched) !=
                               e.security_group_ids.end() ||
                           sub.route_table_id == touched || sub.nacl_id == touched;
      (related ? near : far).push_back(id);
    }
    std::shuffle(near.begin(), near.end(), rng);
    std::shuffle(far.begin(), far.end(), rng);
    std::vector<std::string> enis(near.begin(),
                                  near.begin() + static_cast<long>(std::min<std::size_t>(2, near.size())));
    for (const auto& id : far) {
      if (enis.size() < 4) enis.push_back(id);
    }
    if (enis.size() < 2) continue;
    UNSCOPED_INFO("seed " << seed << ": " << change);
    std::vector<std::pair<std::string, std::string>> questions;
    for (const auto& a : enis) {
      questions.emplace_back("internet", a);
      questions.emplace_back(a, "internet");
      for (const auto& b : enis) questions.emplace_back(a, b);
    }
    for (const auto& [from, to] : questions) {
      if (from == to) continue;
      INFO("seed " << seed << ": " << change << "; " << from << " -> " << to);
      DiffResult r;
      diff_flows(old_network, new_network, from, to, r);
      DiffResult same;
      diff_flows(old_network, old_network, from, to, same);
      CHECK(same.added.empty());
      CHECK(same.removed.empty());
      for (const auto* list : {&r.added, &r.removed}) {
        const bool added = list == &r.added;
        for (const auto& f : *list) {
          ++witnesses;
          const auto& here = added ? new_network : old_network;
          const auto& there = added ? old_network : new_network;
          const auto start = from == "internet" ? trace::Start::internet() : trace::Start::interface(from);
          const auto p = f.walk.initial;
          INFO((added ? "added " : "removed ") << model::describe(p));
          CHECK(delivered(trace::walk(here, start, p), f.to_member));
          CHECK_FALSE(delivered(trace::walk(there, start, p), f.to_member));
          CHECK(reach(here, from, f.to_member, exactly(p)).verdict == Verdict::Reachable);
          CHECK(reach(there, from, f.to_member, exactly(p)).verdict == Verdict::Unreachable);
        }
      }
      // Random packets of the question: any that one network delivers and the other does not
      // lies in a reported class.
      std::vector<Ipv4Address> srcs;
      std::vector<Ipv4Address> dsts;
      auto addresses = [&](const std::string& id, bool with_public, std::vector<Ipv4Address>& out) {
        const auto& e = old_network.network_interfaces.at(id);
        for (const auto& x : e.private_ips) {
          out.push_back(x.address);
          if (with_public && x.public_ip) out.push_back(*x.public_ip);
        }
      };
      if (from == "internet") {
        srcs = {ip("8.8.8.8"), ip("1.2.3.4"), ip("198.51.100.7"), ip("203.0.113.9")};
      } else {
        addresses(from, false, srcs);
      }
      if (to == "internet") {
        dsts = {ip("8.8.8.8"), ip("1.2.3.4"), ip("198.51.100.7"), ip("203.0.113.9")};
      } else {
        addresses(to, true, dsts);
      }
      static const std::uint8_t protocols[] = {model::kTcp, model::kUdp, model::kIcmp, 50};
      static const std::uint16_t ports[] = {22, 23, 80, 443, 444, 5432, 8080, 8081, 0, 3, 8};
      for (int i = 0; i < 60; ++i) {
        model::Packet p;
        p.src_ip = srcs[rng() % srcs.size()];
        p.dst_ip = dsts[rng() % dsts.size()];
        p.protocol = protocols[rng() % 4];
        if (p.protocol == model::kTcp || p.protocol == model::kUdp) {
          p.dst_port = ports[rng() % 8];
          p.src_port = static_cast<std::uint16_t>(1024 + rng() % 60000);
        } else if (p.protocol == model::kIcmp) {
          p.dst_port = ports[8 + rng() % 3];
          p.src_port = static_cast<std::uint16_t>(rng() % 2);
        }
        const auto start = from == "internet" ? trace::Start::internet() : trace::Start::interface(from);
        const bool in_old = delivered(trace::walk(old_network, start, p), to);
        const bool in_new = delivered(trace::walk(new_network, start, p), to);
        if (in_old == in_new) continue;
        ++differing;
        INFO("random packet " << model::describe(p)
                              << (in_new ? " newly delivered" : " no longer delivered"));
        const auto& list = in_new ? r.added : r.removed;
        CHECK(std::any_of(list.begin(), list.end(), [&](const FlowDelta& f) { return contains(f, p); }));
      }
    }
  }
  // The test means something only if changes were found and random packets hit them.
  CHECK(witnesses > 20);
  CHECK(differing > 5);
}

}  // namespace
}  // namespace vpcprove::queries
