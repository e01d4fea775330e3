// SPDX-License-Identifier: Apache-2.0
// diff: exposure range by range and invariant verdicts on both networks; flows in diff_flows.cpp.
#include "queries/diff.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "queries/exposure.h"
#include "queries/plan_unknowns.h"

namespace vpcprove::queries {

namespace {

/** One open range and the rules that open it. */
struct Opened {
  PortRange range;
  std::vector<std::string> by;
};

/** protocol ("tcp", "udp", "icmp", "other"; over IPv6 "tcp/6", "udp/6", "icmpv6/6", "other/6")
 *  -> open ranges, ascending and disjoint. */
using ProtocolRanges = std::map<std::string, std::vector<Opened>>;

/** "all" opens every port of tcp and udp, every ICMP type and every other protocol number. */
void add_all(ProtocolRanges& out, const std::vector<std::string>& by, int ip_version) {
  const std::string v = ip_version == 6 ? "/6" : "";
  out["tcp" + v] = {{PortRange{0, 65535}, by}};
  out["udp" + v] = {{PortRange{0, 65535}, by}};
  if (ip_version == 6) {
    out["icmpv6/6"] = {{PortRange{0, 255}, by}};
    out["other/6"] = {
        {PortRange{0, 5}, by}, {PortRange{7, 16}, by}, {PortRange{18, 57}, by}, {PortRange{59, 255}, by}};
    return;
  }
  out["icmp"] = {{PortRange{0, 255}, by}};
  out["other"] = {
      {PortRange{0, 0}, by}, {PortRange{2, 5}, by}, {PortRange{7, 16}, by}, {PortRange{18, 255}, by}};
}

ProtocolRanges ranges_of(const EniExposure& e) {
  ProtocolRanges out;
  for (const auto& x : e.exposed) {
    if (x.protocol == "all") {
      add_all(out, x.by, x.ip_version);
      continue;
    }
    const auto& rs = x.protocol == "other" ? x.protocols : x.ports;
    auto& list = out[x.protocol + (x.ip_version == 6 ? "/6" : "")];
    for (std::size_t i = 0; i < rs.size(); ++i)
      list.push_back({rs[i], i < x.range_by.size() ? x.range_by[i] : x.by});
  }
  return out;
}

/** The parts of a's ranges that no range of b covers, with a's rules. */
std::vector<Opened> minus(const std::vector<Opened>& a, const std::vector<Opened>& b) {
  std::vector<Opened> out;
  for (const auto& x : a) {
    std::uint32_t lo = x.range.lo;
    const std::uint32_t hi = x.range.hi;
    for (const auto& y : b) {
      if (y.range.hi < lo || y.range.lo > hi) continue;
      if (y.range.lo > lo)
        out.push_back(
            {PortRange{static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(y.range.lo - 1)}, x.by});
      lo = static_cast<std::uint32_t>(y.range.hi) + 1;
      if (lo > hi) break;
    }
    if (lo <= hi)
      out.push_back({PortRange{static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi)}, x.by});
  }
  return out;
}

void append_deltas(const model::Id& eni, const ProtocolRanges& in, const ProtocolRanges& not_in,
                   std::vector<ExposureDelta>& out) {
  static const std::vector<std::string> order{"tcp",   "udp",   "icmp",     "other",
                                              "tcp/6", "udp/6", "icmpv6/6", "other/6"};
  for (const auto& key : order) {
    const bool v6 = key.size() > 2 && key.compare(key.size() - 2, 2, "/6") == 0;
    const std::string protocol = v6 ? key.substr(0, key.size() - 2) : key;
    auto it = in.find(key);
    if (it == in.end()) continue;
    auto other = not_in.find(key);
    const auto left = other == not_in.end() ? it->second : minus(it->second, other->second);
    if (left.empty()) continue;
    ExposureDelta d{eni, protocol, {}, v6 ? 6 : 4, {}};
    std::vector<PortRange> ranges;
    std::set<std::string> seen;
    for (const auto& o : left) {
      ranges.push_back(o.range);
      for (const auto& b : o.by) {
        if (seen.insert(b).second) d.by.push_back(b);
      }
    }
    // The security-group rules first: they are what opens a port; the NACL entries let it through.
    std::stable_partition(d.by.begin(), d.by.end(), [](const std::string& b) {
      return b.find(" ingress rule ") != std::string::npos || b.find(" egress rule ") != std::string::npos;
    });
    d.ports = merge_ranges(std::move(ranges));
    out.push_back(std::move(d));
  }
}

void diff_exposure(const model::Network& old_network, const model::Network& new_network, const DiffOptions& o,
                   DiffResult& r) {
  ExposureOptions eo;
  eo.jobs = o.jobs;
  eo.timeout_ms = o.timeout_ms;
  const auto old_x = exposure(old_network, eo);
  const auto new_x = exposure(new_network, eo);
  for (const auto* x : {&old_x, &new_x}) {
    if (!x->complete) {
      r.complete = false;
      r.unknown_reason += (r.unknown_reason.empty() ? "" : "; ") + std::string(x == &old_x ? "OLD" : "NEW") +
                          " exposure: " + x->unknown_reason;
    }
  }
  std::map<model::Id, ProtocolRanges> old_by_eni;
  std::map<model::Id, ProtocolRanges> new_by_eni;
  for (const auto& e : old_x.enis) old_by_eni[e.eni] = ranges_of(e);
  for (const auto& e : new_x.enis) new_by_eni[e.eni] = ranges_of(e);
  static const ProtocolRanges none;
  for (const auto& [eni, ranges] : new_by_eni) {
    auto it = old_by_eni.find(eni);
    append_deltas(eni, ranges, it == old_by_eni.end() ? none : it->second, r.opened);
  }
  for (const auto& [eni, ranges] : old_by_eni) {
    auto it = new_by_eni.find(eni);
    append_deltas(eni, ranges, it == new_by_eni.end() ? none : it->second, r.closed);
  }
}

void diff_invariants(const model::Network& old_network, const model::Network& new_network,
                     const DiffOptions& o, DiffResult& r) {
  if (o.invariants.empty()) return;
  CheckOptions co;
  co.timeout_ms = o.timeout_ms;
  co.jobs = o.jobs;
  auto old_results = run_check(old_network, o.invariants, co);
  auto new_results = run_check(new_network, o.invariants, co);
  // A verdict resting on a plan's value unknown until apply is unknown (as check says it).
  for (auto* results : {&old_results, &new_results}) {
    const auto& n = results == &old_results ? old_network : new_network;
    for (auto& x : *results) {
      if (x.verdict != CheckVerdict::Unknown && x.has_evidence && mark_plan_unknowns(n, x.evidence)) {
        x.verdict = CheckVerdict::Unknown;
      }
    }
  }
  for (std::size_t i = 0; i < old_results.size() && i < new_results.size(); ++i) {
    auto& a = old_results[i];
    auto& b = new_results[i];
    if (a.verdict == CheckVerdict::Unknown || b.verdict == CheckVerdict::Unknown) {
      r.complete = false;
      r.unknown_reason +=
          (r.unknown_reason.empty() ? "" : "; ") + ("invariant " + a.invariant.name + " is unknown");
    }
    if (a.verdict == b.verdict) continue;
    r.invariants.push_back({a.invariant.name, a.verdict, b.verdict, std::move(a), std::move(b)});
  }
}

/** Values unknown until apply that a reported change or a proof of no change rests on. */
void plan_unknowns(const model::Network& old_network, const model::Network& new_network, DiffResult& r) {
  for (const auto* n : {&old_network, &new_network}) {
    if (n->unknown_until_apply.empty()) continue;
    // Every resource of the network counts: "nothing changed" is a proof over all of them.
    std::set<model::Id> all;
    for (const auto& u : n->unknown_until_apply) all.insert(u.resource);
    const auto names = unknowns_on(*n, all);
    if (names.empty()) continue;
    std::string list;
    for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
    r.complete = false;
    r.unknown_reason +=
        (r.unknown_reason.empty() ? "" : "; ") + std::string("values unknown until apply: ") + list;
  }
}

}  // namespace

DiffResult diff(const model::Network& old_network, const model::Network& new_network,
                const DiffOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  DiffResult r;
  if (options.from && options.to) {
    r.flows_asked = true;
    diff_flows(old_network, new_network, *options.from, *options.to, r);
  }
  diff_exposure(old_network, new_network, options, r);
  diff_invariants(old_network, new_network, options, r);
  plan_unknowns(old_network, new_network, r);
  r.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return r;
}

bool has_changes(const DiffResult& r) {
  const bool invariant_changed =
      std::any_of(r.invariants.begin(), r.invariants.end(), [](const InvariantDelta& d) {
        return d.old_verdict != CheckVerdict::Unknown && d.new_verdict != CheckVerdict::Unknown;
      });
  return !r.opened.empty() || !r.closed.empty() || invariant_changed || !r.added.empty() ||
         !r.removed.empty();
}

int diff_exit_code(const DiffResult& r) {
  if (has_changes(r)) return 1;
  return r.complete ? 0 : 3;
}

}  // namespace vpcprove::queries
