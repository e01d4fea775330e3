// SPDX-License-Identifier: Apache-2.0
// Network Access Analyzer scopes: every finding, exactly (the scope is read by intent/scope.h).
#include "queries/scope_check.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <set>

#include "common/diagnostics.h"
#include "graph/waypoints.h"
#include "model/endpoint.h"
#include "model/hop_step.h"

namespace vpcprove::queries {

namespace {

// ---------------------------------------------------------------- header boxes

/** A set of integers as sorted, disjoint, non-adjacent closed intervals. */
using Intervals = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

Intervals normalize(Intervals v) {
  std::sort(v.begin(), v.end());
  Intervals out;
  for (const auto& x : v) {
    if (!out.empty() && x.first <= out.back().second + 1) {
      out.back().second = std::max(out.back().second, x.second);
    } else {
      out.push_back(x);
    }
  }
  return out;
}

Intervals intersect(const Intervals& a, const Intervals& b) {
  Intervals out;
  for (const auto& x : a) {
    for (const auto& y : b) {
      const auto lo = std::max(x.first, y.first);
      const auto hi = std::min(x.second, y.second);
      if (lo <= hi) out.push_back({lo, hi});
    }
  }
  return normalize(out);
}

Intervals subtract(const Intervals& a, const Intervals& b) {
  Intervals out;
  for (auto [lo, hi] : a) {
    bool gone = false;
    for (const auto& y : b) {
      if (y.second < lo || y.first > hi) continue;
      if (y.first > lo) out.push_back({lo, y.first - 1});
      if (y.second >= hi) {
        gone = true;
        break;
      }
      lo = y.second + 1;
    }
    if (!gone) out.push_back({lo, hi});
  }
  return normalize(out);
}

enum Dim { kProto, kSrcIp, kDstIp, kSrcPort, kDstPort, kDims };
using Box = std::array<Intervals, kDims>;

const std::uint64_t kIpMax = 0xFFFFFFFFull;

Box full_box() {
  return {Intervals{{model::kTcp, model::kTcp}, {model::kUdp, model::kUdp}}, Intervals{{0, kIpMax}},
          Intervals{{0, kIpMax}}, Intervals{{0, 65535}}, Intervals{{0, 65535}}};
}

Intervals of_prefixes(const std::vector<Ipv4Prefix>& ps) {
  Intervals v;
  for (const auto& p : ps) v.push_back({p.first(), p.last()});
  return normalize(v);
}

Intervals of_ports(const std::vector<PortRange>& ps) {
  Intervals v;
  for (const auto& p : ps) v.push_back({p.lo, p.hi});
  return normalize(v);
}

bool empty(const Box& b) {
  return std::any_of(b.begin(), b.end(), [](const Intervals& v) { return v.empty(); });
}

/** a minus b as a union of boxes (each dimension split where b's ends). */
std::vector<Box> subtract(const Box& a, const Box& b) {
  std::vector<Box> out;
  Box prefix = a;  // dims before d are narrowed to a ∩ b
  for (int d = 0; d < kDims; ++d) {
    Box piece = prefix;
    piece[d] = subtract(a[d], b[d]);
    if (!empty(piece)) out.push_back(piece);
    prefix[d] = intersect(a[d], b[d]);
    if (prefix[d].empty()) break;
  }
  return out;
}

/** The fewest prefixes whose union is [lo, hi]. */
std::vector<Ipv4Prefix> prefix_cover(std::uint64_t lo, std::uint64_t hi) {
  std::vector<Ipv4Prefix> out;
  while (lo <= hi) {
    int len = 32;
    while (len > 0) {
      const std::uint64_t size = 1ull << (32 - (len - 1));
      if (lo % size != 0 || lo + size - 1 > hi) break;
      --len;
    }
    out.push_back(Ipv4Prefix::make(static_cast<Ipv4Address>(lo), static_cast<std::uint8_t>(len)));
    lo += 1ull << (32 - len);
  }
  return out;
}

/** The header spaces of a box, one per (protocol, src prefix, dst prefix, src range, dst range). */
std::vector<HeaderSpace> header_spaces(const Box& box) {
  auto ips = [](const Intervals& v) {
    std::vector<std::optional<Ipv4Prefix>> out;
    if (v == Intervals{{0, kIpMax}}) return std::vector<std::optional<Ipv4Prefix>>{std::nullopt};
    for (const auto& [lo, hi] : v) {
      for (const auto& p : prefix_cover(lo, hi)) out.emplace_back(p);
    }
    return out;
  };
  auto ranges = [](const Intervals& v) {
    std::vector<std::optional<PortRange>> out;
    if (v == Intervals{{0, 65535}}) return std::vector<std::optional<PortRange>>{std::nullopt};
    for (const auto& [lo, hi] : v)
      out.emplace_back(PortRange{static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi)});
    return out;
  };
  std::vector<HeaderSpace> out;
  const auto srcs = ips(box[kSrcIp]);
  const auto dsts = ips(box[kDstIp]);
  const auto sports = ranges(box[kSrcPort]);
  const auto dports = ranges(box[kDstPort]);
  for (const auto& [plo, phi] : box[kProto]) {
    for (auto proto = plo; proto <= phi; ++proto) {
      for (const auto& s : srcs) {
        for (const auto& d : dsts) {
          for (const auto& sp : sports) {
            for (const auto& dp : dports) {
              HeaderSpace h;
              h.protocol = static_cast<int>(proto);
              h.src_ip = s;
              h.dst_ip = d;
              h.src_ports = sp;
              h.dst_ports = dp;
              out.push_back(h);
            }
          }
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- members

struct Member {
  bool igw = false;
  model::Id id;
  model::Id vpc_id;
  const model::NetworkInterface* eni = nullptr;
};

struct Resolved {
  std::set<model::Id> ids;
  bool unsupported = false;
  std::vector<std::string> notes;
};

class Analysis {
 public:
  Analysis(const model::Network& n, const Scope& s, const CheckOptions& o) : net_(n), scope_(s), options_(o) {
    for (const auto& [id, g] : net_.internet_gateways) {
      if (!g.vpc_id.empty()) universe_.push_back({true, id, g.vpc_id, nullptr});
    }
    for (const auto& [id, e] : net_.network_interfaces) {
      // NAT gateways are "through" resources in NAA terms; their ENIs originate and accept nothing.
      if (e.kind != model::InterfaceKind::NatGateway) universe_.push_back({false, id, e.vpc_id, &e});
    }
  }

  InvariantResult run();

 private:
  Resolved resolve(const ScopeResources& r);
  std::vector<Ipv4Prefix> prefixes(const std::vector<Ipv4Prefix>& addresses,
                                   const std::vector<std::string>& lists, const std::string& path);
  /** The header box of a path for a pair; nullopt when its ENI-side address conditions fail. */
  std::optional<Box> box_of(const ScopePath& p, const Member& src, const Member& dst, bool exclude);
  bool end_matches(const std::optional<ScopeEnd>& end, const Member& m);
  /** The ThroughResources of p as one waypoint (a path passes one of them); nullopt when part of
   *  them is not modelled, so that no path can be told to pass them. */
  std::optional<graph::Waypoint> through_waypoint(const ScopePath& p);
  void note(const std::string& n) {
    if (std::find(result_.notes.begin(), result_.notes.end(), n) == result_.notes.end())
      result_.notes.push_back(n);
  }

  const model::Network& net_;
  const Scope& scope_;
  const CheckOptions& options_;
  std::vector<Member> universe_;
  std::map<std::string, Resolved> cache_;
  InvariantResult result_;
};

Resolved Analysis::resolve(const ScopeResources& r) {
  if (auto it = cache_.find(r.json_path); it != cache_.end()) return it->second;
  Resolved out;
  auto all_enis = [&](bool instances_only) {
    for (const auto& m : universe_) {
      if (!m.igw && (!instances_only || m.eni->instance_id)) out.ids.insert(m.id);
    }
  };
  for (const auto& t : r.resource_types) {
    if (t == "AWS::EC2::InternetGateway") {
      for (const auto& m : universe_) {
        if (m.igw) out.ids.insert(m.id);
      }
    } else if (t == "AWS::EC2::NetworkInterface" || t == "AWS::EC2::Subnet" || t == "AWS::EC2::VPC" ||
               t == "AWS::EC2::SecurityGroup") {
      all_enis(false);
    } else if (t == "AWS::EC2::Instance") {
      all_enis(true);
    } else {
      out.unsupported = true;
      out.notes.push_back(r.json_path + ": resource type " + t + " is not modelled by vpcprove");
    }
  }
  for (const auto& id : r.resources) {
    if (id.rfind("igw-", 0) == 0) {
      const auto* g = model::Network::find(net_.internet_gateways, id);
      if (!g) throw InputError(scope_.file, r.json_path, id + ": no such internet gateway in the snapshot");
      out.ids.insert(id);
    } else if (id.rfind("eni-", 0) == 0 || id.rfind("i-", 0) == 0 || id.rfind("subnet-", 0) == 0 ||
               id.rfind("sg-", 0) == 0 || id.rfind("vpc-", 0) == 0) {
      try {
        for (const auto& e : model::resolve_endpoint(net_, id).interfaces) out.ids.insert(e);
      } catch (const InputError& e) {
        throw InputError(scope_.file, r.json_path, e.what());
      }
    } else {
      out.unsupported = true;
      out.notes.push_back(r.json_path + ": resource " + id + " is not modelled by vpcprove");
    }
  }
  cache_.emplace(r.json_path, out);
  return out;
}

std::vector<Ipv4Prefix> Analysis::prefixes(const std::vector<Ipv4Prefix>& addresses,
                                           const std::vector<std::string>& lists, const std::string& path) {
  std::vector<Ipv4Prefix> out = addresses;
  for (const auto& id : lists) {
    const auto* pl = model::Network::find(net_.prefix_lists, id);
    if (!pl) throw InputError(scope_.file, path, id + ": no such prefix list in the snapshot");
    out.insert(out.end(), pl->cidrs.begin(), pl->cidrs.end());
  }
  return out;
}

bool Analysis::end_matches(const std::optional<ScopeEnd>& end, const Member& m) {
  if (!end || !end->resources) return true;
  return resolve(*end->resources).ids.count(m.id) > 0;
}

/** All addresses a packet delivered to e can carry as its destination (private and public). */
Intervals addresses_of(const model::NetworkInterface& e) {
  Intervals v;
  for (const auto& ip : e.private_ips) {
    v.push_back({ip.address, ip.address});
    if (ip.public_ip) v.push_back({*ip.public_ip, *ip.public_ip});
  }
  return normalize(v);
}

std::optional<Box> Analysis::box_of(const ScopePath& p, const Member& src, const Member& dst, bool exclude) {
  Box b = full_box();
  for (const auto* end : {&p.source, &p.destination}) {
    if (!*end || !(*end)->header) continue;
    const ScopeHeader& h = *(*end)->header;
    if (!h.protocols.empty()) {
      Intervals v;
      for (int x : h.protocols) v.push_back({static_cast<std::uint64_t>(x), static_cast<std::uint64_t>(x)});
      b[kProto] = intersect(b[kProto], normalize(v));
    }
    if (!h.source_ports.empty()) b[kSrcPort] = intersect(b[kSrcPort], of_ports(h.source_ports));
    if (!h.destination_ports.empty()) b[kDstPort] = intersect(b[kDstPort], of_ports(h.destination_ports));
    if (!h.source_addresses.empty() || !h.source_prefix_lists.empty()) {
      // The source address is exact for both kinds of source: an ENI sends from its own address,
      // the internet from the address the prover picks.
      b[kSrcIp] =
          intersect(b[kSrcIp], of_prefixes(prefixes(h.source_addresses, h.source_prefix_lists, h.json_path)));
    }
    if (!h.destination_addresses.empty() || !h.destination_prefix_lists.empty()) {
      const Intervals want =
          of_prefixes(prefixes(h.destination_addresses, h.destination_prefix_lists, h.json_path));
      if (dst.igw) {
        b[kDstIp] = intersect(b[kDstIp], want);
      } else {
        // An ENI is addressed by a private or a public IP (translated at the IGW), so the
        // condition is on the ENI: a match keeps it if any address is in; an exclusion drops it
        // only if every address is in (a partial exclusion would need the translated header).
        const Intervals have = addresses_of(*dst.eni);
        if (exclude ? !subtract(have, want).empty() : intersect(have, want).empty()) return std::nullopt;
      }
    }
  }
  (void)src;
  if (empty(b)) return std::nullopt;
  return b;
}

std::optional<graph::Waypoint> Analysis::through_waypoint(const ScopePath& p) {
  graph::Waypoint w;
  w.text = p.json_path + ".ThroughResources";
  bool modelled = true;
  for (const auto& t : p.through) {
    for (const auto& type : t.resource_types) {
      if (type == "AWS::EC2::NatGateway") {
        for (const auto& [id, g] : net_.nat_gateways) graph::add_resource(net_, id, w);
      } else if (type == "AWS::EC2::VPCPeeringConnection") {
        for (const auto& [id, x] : net_.vpc_peerings) w.ids.insert(id);
      } else if (type == "AWS::EC2::InternetGateway") {
        for (const auto& [id, g] : net_.internet_gateways) w.ids.insert(id);
      } else if (type == "AWS::EC2::TransitGatewayAttachment") {
        for (const auto& [id, a] : net_.transit_gateway_attachments) w.ids.insert(id);
      } else {
        modelled = false;
        note(t.json_path + ": through resource type " + type + " is not modelled by vpcprove");
      }
    }
    for (const auto& id : t.resources) {
      if (id.rfind("sg-", 0) == 0) {
        for (const auto& e : resolve(t).ids) w.ids.insert(e);  // its members' ENIs (resolve checks the ID)
        w.names_interfaces = true;
      } else if (!graph::add_resource(net_, id, w)) {
        if (id.rfind("igw-", 0) == 0 || id.rfind("eni-", 0) == 0 || id.rfind("i-", 0) == 0 ||
            id.rfind("subnet-", 0) == 0 || id.rfind("vpc-", 0) == 0 || id.rfind("nat-", 0) == 0 ||
            id.rfind("pcx-", 0) == 0 || id.rfind("tgw-", 0) == 0)
          throw InputError(scope_.file, t.json_path, id + ": not in the snapshot");
        modelled = false;
        note(t.json_path + ": through resource " + id + " is not modelled by vpcprove");
      }
    }
  }
  if (!modelled) return std::nullopt;
  return w;
}

InvariantResult Analysis::run() {
  const auto t0 = std::chrono::steady_clock::now();
  Invariant& inv = result_.invariant;
  inv.name = scope_.name;
  inv.description =
      "AWS Network Access Analyzer scope " + scope_.file + ": every path it matches is a finding";
  inv.from = "MatchPaths sources";
  inv.to = "MatchPaths destinations";
  inv.expect = Expectation::Unreachable;
  inv.semantics = Semantics::Packet;
  inv.control = "AWS Network Access Analyzer scope";
  inv.file = scope_.file;
  inv.line = 0;

  Prover prover(net_);
  const AskFunction ask =
      options_.ask ? options_.ask : AskFunction([](Prover& p, const ReachQuery& q) { return p.reach(q); });
  bool unknown = false;
  std::set<std::pair<model::Id, model::Id>> found;
  std::vector<const ScopePath*> excludes;
  for (const auto& e : scope_.exclude) {
    if (!e.through.empty()) {
      note(e.json_path +
           ": ThroughResources cannot be enforced on exclusions; this ExcludePath excludes nothing "
           "(findings are over-reported rather than missed)");
      continue;
    }
    excludes.push_back(&e);
  }
  auto endpoint = [](const Member& m) {
    model::Endpoint e;
    e.text = m.id;
    if (m.igw) {
      e.internet = true;
    } else {
      e.interfaces = {m.id};
    }
    return e;
  };

  for (const auto& path : scope_.match) {
    // ThroughResources restrict the prover's paths (graph/waypoints.h): a finding is a packet
    // whose own path passes them, and "no finding" is a proof over every path.
    graph::PathConstraints waypoints;
    if (!path.through.empty()) {
      if (auto w = through_waypoint(path)) {
        waypoints.through.push_back(std::move(*w));
      } else {
        note(path.json_path +
             ": its ThroughResources are not enforced (part of them is not modelled): findings are "
             "over-reported rather than missed");
      }
    }
    for (const auto* end : {&path.source, &path.destination}) {
      if (*end && (*end)->resources) {
        const Resolved& r = resolve(*(*end)->resources);
        for (const auto& n : r.notes)
          note(n + ": its paths are not analysed, so the result cannot be 'holds'");
        unknown = unknown || r.unsupported;
      }
    }
    for (const auto& src : universe_) {
      if (!end_matches(path.source, src)) continue;
      for (const auto& dst : universe_) {
        if (src.igw && dst.igw) continue;  // internet to internet never crosses the snapshot
        if (src.id == dst.id) continue;    // an interface to itself never leaves it
        if ((src.igw || dst.igw) && src.vpc_id != dst.vpc_id) continue;  // an IGW serves its own VPC only
        if (found.count({src.id, dst.id}) || !end_matches(path.destination, dst)) continue;
        const auto match = box_of(path, src, dst, false);
        if (!match) continue;
        std::vector<Box> remaining{*match};
        for (const ScopePath* e : excludes) {
          if (!end_matches(e->source, src) || !end_matches(e->destination, dst)) continue;
          const auto ex = box_of(*e, src, dst, true);
          if (!ex) continue;
          std::vector<Box> next;
          for (const auto& b : remaining) {
            for (auto& piece : subtract(b, *ex)) next.push_back(std::move(piece));
          }
          remaining = std::move(next);
        }
        bool pair_unknown = false;
        std::optional<ReachResult> witness;
        for (const auto& b : remaining) {
          for (const auto& h : header_spaces(b)) {
            ReachResult r = ask(prover, {endpoint(src), endpoint(dst), h, Semantics::Packet,
                                         options_.timeout_ms, options_.assume, waypoints});
            ++result_.pairs;
            if (r.verdict == Verdict::Reachable) {
              witness = std::move(r);
              break;
            }
            if (r.verdict == Verdict::Unknown) pair_unknown = true;
          }
          if (witness) break;
        }
        if (witness) {
          witness->from = src.id;
          witness->to = dst.id;
          witness->from_member = src.id;
          witness->to_member = dst.id;
          found.insert({src.id, dst.id});
          result_.findings.push_back(std::move(*witness));
        } else if (pair_unknown) {
          unknown = true;
          result_.failing_pairs.push_back({src.id, dst.id, Verdict::Unknown});
        }
      }
    }
  }
  std::sort(result_.findings.begin(), result_.findings.end(), [](const ReachResult& a, const ReachResult& b) {
    return std::tie(*a.from_member, *a.to_member) < std::tie(*b.from_member, *b.to_member);
  });
  if (!result_.findings.empty()) {
    result_.verdict = CheckVerdict::Violated;
    result_.evidence = result_.findings.front();
    result_.has_evidence = true;
  } else {
    result_.verdict = unknown ? CheckVerdict::Unknown : CheckVerdict::Holds;
  }
  if (result_.verdict == CheckVerdict::Unknown && !result_.has_evidence) {
    result_.evidence.verdict = Verdict::Unknown;
    result_.evidence.unknown_reason = "part of the scope could not be analysed (see notes)";
    result_.has_evidence = true;
  }
  result_.evidence.from = inv.from;
  result_.evidence.to = inv.to;
  result_.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return result_;
}

}  // namespace

InvariantResult run_scope(const model::Network& network, const Scope& scope, const CheckOptions& options) {
  return Analysis(network, scope, options).run();
}

}  // namespace vpcprove::queries
