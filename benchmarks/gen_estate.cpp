// SPDX-License-Identifier: Apache-2.0
// vpcprove_gen_estate: writes a large, seeded, reproducible synthetic AWS estate as describe-* JSON.
//
// The layout is ACCOUNT/REGION/<Call>.json, one file per describe call, printed as the AWS CLI
// prints (json.dumps, indent 4). Nothing per ENI is held in memory: every ENI, instance and
// address is a pure function of (seed, VPC, index), so NetworkInterfaces, Reservations and
// Addresses are each streamed by recomputing the same ENI. Structure follows real estates:
// public / private / isolated subnet tiers, NAT gateways with their requester-managed ENIs,
// security groups shared by many ENIs through a few group sets per tier (so ENIs fall into
// behaviour classes), mostly-default NACLs with some ordered custom entries, peerings with
// routes to them, Elastic IPs, running and a few stopped instances.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "benchmarks/dual_stack.h"
#include "benchmarks/json_writer.h"
#include "benchmarks/tgw_shape.h"

namespace vpcprove::benchmarks {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: every decision is a hash of (seed, what, which), never a stateful
// generator, so any object can be recomputed anywhere and the output does not depend on the
// standard library's distributions.

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser: a bijection on 64 bits
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

enum class Kind : std::uint64_t {
  Vpc = 1,
  Subnet,
  RouteTable,
  RouteTableAssoc,
  Igw,
  Nat,
  EipAlloc,
  EipAssoc,
  Eni,
  EniAttach,
  Instance,
  Reservation,
  Sg,
  Acl,
  AclAssoc,
  Pcx,
  VpcCidrAssoc,
  Dopt,
  Ami,
  Volume,
  NatAttach,
  Eigw,  // --dual-stack only (appended: the IDs above stay as they were)
  Ipv6Assoc,
  // decisions (not IDs)
  DTier = 100,
  DSet,
  DPublic,
  DStopped,
  DAttached,
  DSecondary,
  DRule,
  DRef,
  DCidr,
  DEgress,
  DPeer,
  DSvc,
  DReservation,
  DMac,
  DPeerRegion,
  // --diverse only (appended, so the classic shape's draws stay as they were)
  DGroups = 200,
  DEniKind,
  DProto,
  DPorts,
  DPrefix,
  DAclEntry,
};

class Dice {
 public:
  explicit Dice(std::uint64_t seed) : seed_(mix(seed ^ 0x7670637072766fULL)) {}

  [[nodiscard]] std::uint64_t hash(Kind what, std::uint64_t a, std::uint64_t b = 0) const {
    return mix(mix(seed_ ^ (static_cast<std::uint64_t>(what) * 0x9e3779b97f4a7c15ULL) ^ a) + b);
  }
  /** Uniform in [0, 1). */
  [[nodiscard]] double unit(Kind what, std::uint64_t a, std::uint64_t b = 0) const {
    return static_cast<double>(hash(what, a, b) >> 11) * 0x1.0p-53;
  }
  /** AWS's 17-hex-digit ID form ("0" + 16 digits), distinct for distinct (kind, index). */
  [[nodiscard]] std::string id(std::string_view prefix, Kind kind, std::uint64_t index) const {
    // index < 2^56 and kind < 256, so the input is unique per (kind, index); mix is a bijection.
    const std::uint64_t h = mix((static_cast<std::uint64_t>(kind) << 56 | index) ^ seed_);
    char text[64];
    std::snprintf(text, sizeof text, "%.*s-0%016llx", static_cast<int>(prefix.size()), prefix.data(),
                  static_cast<unsigned long long>(h));
    return text;
  }

 private:
  std::uint64_t seed_;
};

std::string ip_text(std::uint32_t a) {
  char text[16];
  std::snprintf(text, sizeof text, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
  return text;
}
std::string cidr_text(std::uint32_t a, int prefix) { return ip_text(a) + "/" + std::to_string(prefix); }
std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) { return a << 24 | b << 16 | c << 8 | d; }
std::string dashed(std::uint32_t a) {
  std::string s = ip_text(a);
  std::replace(s.begin(), s.end(), '.', '-');
  return s;
}

int ceil_log2(std::uint64_t n) {
  int bits = 0;
  while ((std::uint64_t{1} << bits) < n) ++bits;
  return bits;
}

// ---------------------------------------------------------------------------------------------
// Parameters and the skeleton of the estate (everything except the per-ENI objects).

struct Params {
  std::uint64_t enis = 1000;
  int vpcs = 4;
  int subnets_per_vpc = 6;
  int sgs = 40;
  int rules_per_sg = 5;
  int nacl_entries = 6;
  double public_share = 0.2;
  double group_ref_share = 0.3;
  int peerings = 2;
  std::uint64_t seed = 1;
  int accounts = 0;  // 0: derived from vpcs
  int regions = 0;   // 0: derived from vpcs
  int vpcs_per_bucket = 10;
  int indent = 4;
  std::string out;
  std::string manifest;
  /** Every ENI its own mix: 1–3 of the VPC's groups, random rules, one NACL per subnet, several
   *  kinds of ENI (see eni_spec and the diverse writers). */
  bool diverse = false;
  /** Two transit gateways over the estate (benchmarks/tgw_shape.h); one account and region only. */
  bool tgw = false;
  /** IPv6 everywhere (benchmarks/dual_stack.h): /56 per VPC, /64 per subnet, an address per ENI,
   *  ::/0 routes (IGW for public, egress-only gateway for private subnets), Ipv6Ranges, IPv6 NACL
   *  entries. */
  bool dual_stack = false;
};

enum Tier : int { Public = 0, Private = 1, Isolated = 2 };
constexpr std::array<const char*, 3> kTierName = {"public", "private", "isolated"};

enum Role : int { Default = -1, Web = 0, App = 1, Db = 2, Mgmt = 3, Svc = 4 };
constexpr std::array<const char*, 5> kRoleName = {"web", "app", "db", "mgmt", "svc"};

struct Bucket {
  std::string account;
  std::string region;
  std::string dopt;
  std::vector<int> vpcs;
};

struct SubnetInfo {
  std::string id;
  int vpc = 0;
  Tier tier = Public;
  int in_tier = 0;  // index among the VPC's subnets of this tier
  std::uint32_t base = 0;
  int prefix = 24;
  int az = 0;
  bool custom_acl = false;
  std::string own_acl;  // --diverse: this subnet's own NACL
  std::string acl_assoc;
  std::string rtb_assoc;  // empty for isolated subnets (main table)
};

struct SgInfo {
  std::string id;
  std::string name;
  int vpc = 0;
  int role = Default;
  int index = 0;  // within the VPC; 0 is the default group
};

struct PeeringInfo {
  std::string id;
  int requester = 0;
  int accepter = 0;
  bool active = true;
};

struct VpcInfo {
  std::string id;
  int bucket = 0;
  std::uint32_t base = 0;
  int prefix = 16;
  std::array<std::vector<int>, 3> tier_subnets;            // global subnet indices per tier
  std::vector<int> sgs;                                    // global SG indices; [0] is the default group
  std::array<std::vector<std::vector<int>>, 3> tier_sets;  // the few SG sets ENIs of a tier carry
  std::vector<int> peerings;                               // global peering indices (active ones)
  std::string igw, nat, nat_eni, nat_alloc, nat_assoc, nat_attach, stale_nat;
  std::uint32_t nat_private = 0, nat_public = 0;
  std::string main_rtb, public_rtb, private_rtb, main_rtb_assoc;
  std::string default_acl, custom_acl;
  std::uint64_t eni_begin = 0, eni_count = 0;
  std::array<std::uint64_t, 3> tier_count{};  // workload ENIs per tier
};

struct Estate {
  Params p;
  Dice dice{1};
  std::vector<Bucket> buckets;
  std::vector<VpcInfo> vpcs;
  std::vector<SubnetInfo> subnets;
  std::vector<SgInfo> sgs;
  std::vector<PeeringInfo> peerings;
};

constexpr std::array<const char*, 4> kRegions = {"us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"};
constexpr std::array<const char*, 4> kAzIdPrefix = {"use1", "euw1", "apse2", "usw2"};

std::string region_of(const Estate& e, int vpc) { return e.buckets[e.vpcs[vpc].bucket].region; }
std::string account_of(const Estate& e, int vpc) { return e.buckets[e.vpcs[vpc].bucket].account; }

std::string private_dns(const std::string& region, std::uint32_t a) {
  if (region == "us-east-1") return "ip-" + dashed(a) + ".ec2.internal";
  return "ip-" + dashed(a) + "." + region + ".compute.internal";
}
std::string public_dns(const std::string& region, std::uint32_t a) {
  if (region == "us-east-1") return "ec2-" + dashed(a) + ".compute-1.amazonaws.com";
  return "ec2-" + dashed(a) + "." + region + ".compute.amazonaws.com";
}

void build_skeleton(Estate& e) {
  const Params& p = e.p;
  const Dice& d = e.dice;
  const int nbuckets = std::max(1, (p.vpcs + p.vpcs_per_bucket - 1) / p.vpcs_per_bucket);
  const int regions = p.regions > 0 ? p.regions : std::min<int>(static_cast<int>(kRegions.size()), nbuckets);
  const int accounts = p.accounts > 0 ? p.accounts : (nbuckets + regions - 1) / regions;
  for (int a = 0; a < accounts; ++a) {
    for (int r = 0; r < regions; ++r) {
      Bucket b;
      b.account = std::to_string(210000000000ULL + static_cast<std::uint64_t>(a) * 1000003ULL +
                                 d.hash(Kind::Dopt, static_cast<std::uint64_t>(a)) % 1000);
      b.region = kRegions[static_cast<std::size_t>(r) % kRegions.size()];
      b.dopt = d.id("dopt", Kind::Dopt, static_cast<std::uint64_t>(a * regions + r));
      e.buckets.push_back(std::move(b));
    }
  }

  // Address plan: VPC i owns the i-th block of 10.0.0.0/8, subnets split it evenly.
  const int vpc_prefix = std::max(16, 8 + ceil_log2(static_cast<std::uint64_t>(p.vpcs)));
  const int subnet_prefix =
      vpc_prefix + std::max(1, ceil_log2(static_cast<std::uint64_t>(p.subnets_per_vpc)));
  if (vpc_prefix > 24 || subnet_prefix > 28)
    throw std::runtime_error("too many VPCs or subnets for 10.0.0.0/8");

  const std::uint64_t per_vpc = p.enis / static_cast<std::uint64_t>(p.vpcs);
  const std::uint64_t extra = p.enis % static_cast<std::uint64_t>(p.vpcs);
  const int sgs_per_vpc = std::max(4, static_cast<int>(std::lround(static_cast<double>(p.sgs) / p.vpcs)));

  std::uint64_t eni_next = 0;
  for (int v = 0; v < p.vpcs; ++v) {
    VpcInfo vpc;
    const auto uv = static_cast<std::uint64_t>(v);
    vpc.id = d.id("vpc", Kind::Vpc, uv);
    vpc.bucket = static_cast<int>(static_cast<std::uint64_t>(v) * e.buckets.size() /
                                  static_cast<std::uint64_t>(p.vpcs));
    vpc.prefix = vpc_prefix;
    vpc.base = ip(10, 0, 0, 0) + static_cast<std::uint32_t>(uv << (32 - vpc_prefix));
    e.buckets[static_cast<std::size_t>(vpc.bucket)].vpcs.push_back(v);

    // Tiers: a third public, a third private, the rest isolated; at least one public subnet.
    const int s = p.subnets_per_vpc;
    const int npub = std::max(1, s / 3);
    const int npriv = s >= 2 ? std::max(1, s / 3) : 0;
    const int niso = s - npub - npriv;
    const std::array<int, 3> per_tier = {npub, npriv, niso};
    int local = 0;
    for (int t = 0; t < 3; ++t) {
      for (int j = 0; j < per_tier[static_cast<std::size_t>(t)]; ++j, ++local) {
        SubnetInfo sn;
        const auto gi = static_cast<std::uint64_t>(e.subnets.size());
        sn.id = d.id("subnet", Kind::Subnet, gi);
        sn.vpc = v;
        sn.tier = static_cast<Tier>(t);
        sn.in_tier = j;
        sn.prefix = subnet_prefix;
        sn.base = vpc.base + (static_cast<std::uint32_t>(local) << (32 - subnet_prefix));
        sn.az = local % 3;
        sn.custom_acl = t == Isolated || (t == Private && v % 3 == 0);
        if (p.diverse) sn.own_acl = d.id("acl", Kind::Acl, (std::uint64_t{1} << 40) + gi);
        sn.acl_assoc = d.id("aclassoc", Kind::AclAssoc, gi);
        if (t != Isolated) sn.rtb_assoc = d.id("rtbassoc", Kind::RouteTableAssoc, gi);
        vpc.tier_subnets[static_cast<std::size_t>(t)].push_back(static_cast<int>(gi));
        e.subnets.push_back(std::move(sn));
      }
    }

    vpc.igw = d.id("igw", Kind::Igw, uv);
    vpc.nat = d.id("nat", Kind::Nat, uv);
    vpc.nat_eni = d.id("eni", Kind::Eni, (std::uint64_t{1} << 48) + uv);
    vpc.nat_alloc = d.id("eipalloc", Kind::EipAlloc, (std::uint64_t{1} << 48) + uv);
    vpc.nat_assoc = d.id("eipassoc", Kind::EipAssoc, (std::uint64_t{1} << 48) + uv);
    vpc.nat_attach = d.id("ela-attach", Kind::NatAttach, uv);
    if (v % 10 == 9) vpc.stale_nat = d.id("nat", Kind::Nat, (std::uint64_t{1} << 48) + uv);
    const SubnetInfo& nat_subnet = e.subnets[static_cast<std::size_t>(vpc.tier_subnets[Public][0])];
    vpc.nat_private = nat_subnet.base + (std::uint32_t{1} << (32 - subnet_prefix)) - 2;  // top usable address
    vpc.nat_public = ip(34, 192, 0, 0) + static_cast<std::uint32_t>(v) + 1;
    vpc.main_rtb = d.id("rtb", Kind::RouteTable, 3 * uv);
    vpc.public_rtb = d.id("rtb", Kind::RouteTable, 3 * uv + 1);
    vpc.private_rtb = d.id("rtb", Kind::RouteTable, 3 * uv + 2);
    vpc.main_rtb_assoc = d.id("rtbassoc", Kind::RouteTableAssoc, (std::uint64_t{1} << 48) + uv);
    vpc.default_acl = d.id("acl", Kind::Acl, 2 * uv);
    vpc.custom_acl = d.id("acl", Kind::Acl, 2 * uv + 1);

    // Security groups: the default group, then roles web, app, db, mgmt, svc…
    for (int g = 0; g <= sgs_per_vpc; ++g) {
      SgInfo sg;
      const auto gi = static_cast<std::uint64_t>(e.sgs.size());
      sg.id = d.id("sg", Kind::Sg, gi);
      sg.vpc = v;
      sg.index = g;
      sg.role = g == 0 ? Default : std::min(g - 1, static_cast<int>(Svc));
      sg.name = g == 0 ? std::string("default")
                       : "v" + std::to_string(v) + "-" + kRoleName[static_cast<std::size_t>(sg.role)] +
                             (sg.role == Svc ? std::to_string(g - 1 - Svc) : std::string()) + "-sg";
      vpc.sgs.push_back(static_cast<int>(gi));
      e.sgs.push_back(std::move(sg));
    }
    // A few SG sets per tier, so that ENIs fall into behaviour classes as in real estates.
    const int nsvc = sgs_per_vpc - 4;
    auto svc = [&](std::uint64_t which) {
      return nsvc > 0 ? vpc.sgs[static_cast<std::size_t>(5 + d.hash(Kind::DSvc, uv, which) %
                                                                 static_cast<std::uint64_t>(nsvc))]
                      : vpc.sgs[1 + Mgmt];
    };
    const int web = vpc.sgs[1 + Web], app = vpc.sgs[1 + App], db = vpc.sgs[1 + Db], mgmt = vpc.sgs[1 + Mgmt];
    vpc.tier_sets[Public] = {{web}, {web, mgmt}, {web, svc(0)}};
    vpc.tier_sets[Private] = {{app}, {app, mgmt}, {app, svc(1)}, {vpc.sgs[0]}};
    vpc.tier_sets[Isolated] = {{db}, {db, mgmt}, {db, svc(2)}};

    // ENIs: public share to the public tier, then 70 % private, 30 % isolated.
    vpc.eni_begin = eni_next;
    vpc.eni_count = per_vpc + (uv < extra ? 1 : 0);
    eni_next += vpc.eni_count;
    std::uint64_t pub =
        static_cast<std::uint64_t>(std::llround(static_cast<double>(vpc.eni_count) * p.public_share));
    pub = std::min(pub, vpc.eni_count);
    std::uint64_t rest = vpc.eni_count - pub;
    std::uint64_t priv = npriv == 0  ? 0
                         : niso == 0 ? rest
                                     : static_cast<std::uint64_t>(std::llround(rest * 0.7));
    std::uint64_t iso = rest - priv;
    if (npriv == 0 && niso == 0) pub += rest, iso = 0;  // one subnet: everything in it
    vpc.tier_count = {pub, priv, iso};
    for (int t = 0; t < 3; ++t) {
      const auto n = vpc.tier_subnets[static_cast<std::size_t>(t)].size();
      if (n == 0) continue;
      const std::uint64_t per_subnet = (vpc.tier_count[static_cast<std::size_t>(t)] + n - 1) / n;
      // Each ENI takes a primary slot in the lower half; its secondary IP, if any, mirrors it in the upper
      // half.
      const std::uint64_t half = ((std::uint64_t{1} << (32 - subnet_prefix)) - 6) / 2;
      if (per_subnet > half) {
        throw std::runtime_error("too many ENIs per subnet (" + std::to_string(per_subnet) + " > " +
                                 std::to_string(half) + "): raise --vpcs or --subnets-per-vpc");
      }
    }
    e.vpcs.push_back(std::move(vpc));
  }

  // Peerings between distinct VPC pairs, each with routes on both sides.
  std::set<std::pair<int, int>> seen;
  const std::uint64_t max_pairs =
      static_cast<std::uint64_t>(p.vpcs) * static_cast<std::uint64_t>(p.vpcs - 1) / 2;
  const int wanted =
      static_cast<int>(std::min<std::uint64_t>(static_cast<std::uint64_t>(p.peerings), max_pairs));
  for (std::uint64_t attempt = 0; static_cast<int>(seen.size()) < wanted && attempt < 100ULL * (wanted + 1);
       ++attempt) {
    const int a = static_cast<int>(d.hash(Kind::DPeer, attempt, 0) % static_cast<std::uint64_t>(p.vpcs));
    // Mostly nearby VPCs (same account/region), sometimes anywhere.
    int b;
    if (d.unit(Kind::DPeerRegion, attempt) < 0.7) {
      b = a + 1 + static_cast<int>(d.hash(Kind::DPeer, attempt, 1) % 4);
      if (b >= p.vpcs) b = a - 1 - static_cast<int>(d.hash(Kind::DPeer, attempt, 2) % 4);
    } else {
      b = static_cast<int>(d.hash(Kind::DPeer, attempt, 3) % static_cast<std::uint64_t>(p.vpcs));
    }
    if (b < 0 || b >= p.vpcs || a == b || !seen.insert({std::min(a, b), std::max(a, b)}).second) continue;
    PeeringInfo pc;
    pc.id = d.id("pcx", Kind::Pcx, e.peerings.size());
    pc.requester = a;
    pc.accepter = b;
    e.vpcs[static_cast<std::size_t>(a)].peerings.push_back(static_cast<int>(e.peerings.size()));
    e.vpcs[static_cast<std::size_t>(b)].peerings.push_back(static_cast<int>(e.peerings.size()));
    e.peerings.push_back(std::move(pc));
  }
  // One deleted peering per ten live ones: present in the output, never routed, never counted.
  const std::size_t live = e.peerings.size();
  for (std::size_t k = 0; k < live / 10; ++k) {
    PeeringInfo pc = e.peerings[k * 10];
    pc.id = d.id("pcx", Kind::Pcx, (std::uint64_t{1} << 48) + k);
    pc.active = false;
    e.peerings.push_back(std::move(pc));
  }
}

// ---------------------------------------------------------------------------------------------
// One workload ENI, recomputed on demand.

// What an ENI belongs to (--diverse draws it; the classic shape has instances only).
enum class EniKind { Instance, AppLoadBalancer, NetworkLoadBalancer, Lambda, Database, Endpoint, FileSystem };

struct EniSpec {
  std::uint64_t global = 0;
  std::uint64_t local = 0;
  Tier tier = Public;
  int subnet = 0;
  std::uint32_t primary = 0;
  std::uint32_t secondary = 0;  // 0: none
  std::vector<int> set;         // its security groups (global SG indices)
  EniKind kind = EniKind::Instance;
  bool attached = true;
  bool stopped = false;
  bool eip = false;
  std::uint32_t public_ip = 0;  // 0: none
  std::string id, instance, attachment, alloc, assoc;
};

/**
 * --diverse: the ENI's own 1–3 groups out of its VPC's (not the tier's few sets) and its kind:
 * 70 % instances, then application and network load balancers (the latter without groups:
 * unfiltered), Lambda functions, RDS databases, interface endpoints and EFS mount targets.
 */
void diversify(const Estate& e, const VpcInfo& vpc, EniSpec& s) {
  const Dice& d = e.dice;
  const double k = d.unit(Kind::DEniKind, s.global);
  s.kind = k < 0.70   ? EniKind::Instance
           : k < 0.78 ? EniKind::AppLoadBalancer
           : k < 0.82 ? EniKind::NetworkLoadBalancer
           : k < 0.88 ? EniKind::Lambda
           : k < 0.93 ? EniKind::Database
           : k < 0.97 ? EniKind::Endpoint
                      : EniKind::FileSystem;
  s.set.clear();
  if (s.kind != EniKind::NetworkLoadBalancer) {
    const auto custom = static_cast<std::uint64_t>(vpc.sgs.size() - 1);  // [0] is the default group
    const auto count = 1 + d.hash(Kind::DGroups, s.global) % 3;
    for (std::uint64_t i = 0; s.set.size() < count && i < 8; ++i) {
      const int g = vpc.sgs[static_cast<std::size_t>(1 + d.hash(Kind::DGroups, s.global, i + 1) % custom)];
      if (std::find(s.set.begin(), s.set.end(), g) == s.set.end()) s.set.push_back(g);
    }
  }
}

EniSpec eni_spec(const Estate& e, int v, std::uint64_t local) {
  const Dice& d = e.dice;
  const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
  EniSpec s;
  s.local = local;
  s.global = vpc.eni_begin + local;
  std::uint64_t k = local;
  int t = 0;
  while (k >= vpc.tier_count[static_cast<std::size_t>(t)]) k -= vpc.tier_count[static_cast<std::size_t>(t++)];
  s.tier = static_cast<Tier>(t);
  const auto& tier_subnets = vpc.tier_subnets[static_cast<std::size_t>(t)];
  const auto n = static_cast<std::uint64_t>(tier_subnets.size());
  s.subnet = tier_subnets[static_cast<std::size_t>(k % n)];
  const SubnetInfo& sn = e.subnets[static_cast<std::size_t>(s.subnet)];
  const std::uint32_t half = ((std::uint32_t{1} << (32 - sn.prefix)) - 6) / 2;
  s.primary = sn.base + 4 + static_cast<std::uint32_t>(k / n);
  if (d.unit(Kind::DSecondary, s.global) < 0.05) s.secondary = s.primary + half;

  // Group sets: most ENIs carry the tier's plain set, the rest spread over the others.
  const auto& sets = vpc.tier_sets[static_cast<std::size_t>(t)];
  const double r = d.unit(Kind::DSet, s.global);
  const std::size_t which =
      r < 0.6 ? 0 : 1 + static_cast<std::size_t>((r - 0.6) / 0.4 * static_cast<double>(sets.size() - 1));
  s.set = sets[std::min(which, sets.size() - 1)];
  if (e.p.diverse) diversify(e, vpc, s);

  s.attached = !(s.tier == Private && d.unit(Kind::DAttached, s.global) < 0.02);
  s.stopped = s.attached && d.unit(Kind::DStopped, s.global) < 0.03;
  // Managed ENIs are in use; Lambda, endpoint and EFS ENIs never get a public IP.
  const bool managed = s.kind != EniKind::Instance;
  if (managed) s.attached = true, s.stopped = false;
  const bool no_public =
      s.kind == EniKind::Lambda || s.kind == EniKind::Endpoint || s.kind == EniKind::FileSystem;
  if (s.tier == Public && !no_public) {
    s.eip = !managed && d.unit(Kind::DPublic, s.global) < 0.3;
    if (s.eip) {
      s.public_ip = ip(52, 0, 0, 0) + static_cast<std::uint32_t>(s.global) + 1;
    } else if (!s.stopped) {  // a stopped instance gives its auto-assigned public IP back
      s.public_ip = ip(3, 80, 0, 0) + static_cast<std::uint32_t>(s.global) + 1;
    }
  }
  s.id = d.id("eni", Kind::Eni, s.global);
  s.instance = d.id("i", Kind::Instance, s.global);
  s.attachment = d.id("eni-attach", Kind::EniAttach, s.global);
  if (s.eip) {
    s.alloc = d.id("eipalloc", Kind::EipAlloc, s.global);
    s.assoc = d.id("eipassoc", Kind::EipAssoc, s.global);
  }
  return s;
}

std::string mac(const Dice& d, std::uint64_t key) {
  const std::uint64_t h = d.hash(Kind::DMac, key);
  char text[24];
  std::snprintf(text, sizeof text, "0e:%02x:%02x:%02x:%02x:%02x", static_cast<unsigned>(h & 255),
                static_cast<unsigned>((h >> 8) & 255), static_cast<unsigned>((h >> 16) & 255),
                static_cast<unsigned>((h >> 24) & 255), static_cast<unsigned>((h >> 32) & 255));
  return text;
}

// ---------------------------------------------------------------------------------------------
// Writers, one per describe call. Each takes the bucket and streams its objects.

struct Totals {
  std::uint64_t files = 0, bytes = 0, vpcs = 0, subnets = 0, route_tables = 0, internet_gateways = 0,
                nat_gateways = 0, network_interfaces = 0, workload_enis = 0, stopped_enis = 0, instances = 0,
                running_instances = 0, security_groups = 0, sg_rules = 0, network_acls = 0, addresses = 0,
                peerings = 0, egress_only_internet_gateways = 0;
};

void tags(JsonWriter& w, std::string_view key, const std::string& name, const std::string& extra_key = {},
          const std::string& extra_value = {}) {
  w.key(key);
  w.begin_array();
  w.begin_object();
  w.field("Key", "Name");
  w.field("Value", name);
  w.end_object();
  w.begin_object();
  w.field("Key", "Environment");
  w.field("Value", "bench");
  w.end_object();
  if (!extra_key.empty()) {
    w.begin_object();
    w.field("Key", extra_key);
    w.field("Value", extra_value);
    w.end_object();
  }
  w.end_array();
}

void write_vpcs(JsonWriter& w, const Estate& e, const Bucket& b, Totals& totals) {
  w.key("Vpcs");
  w.begin_array();
  for (int v : b.vpcs) {
    const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
    const auto uv = static_cast<std::uint64_t>(v);
    w.begin_object();
    w.field("CidrBlock", cidr_text(vpc.base, vpc.prefix));
    w.field("DhcpOptionsId", b.dopt);
    w.field("State", "available");
    w.field("VpcId", vpc.id);
    w.field("OwnerId", b.account);
    w.field("InstanceTenancy", "default");
    w.key("CidrBlockAssociationSet");
    w.begin_array();
    w.begin_object();
    w.field("AssociationId", e.dice.id("vpc-cidr-assoc", Kind::VpcCidrAssoc, 2 * uv));
    w.field("CidrBlock", cidr_text(vpc.base, vpc.prefix));
    w.key("CidrBlockState");
    w.begin_object();
    w.field("State", "associated");
    w.end_object();
    w.end_object();
    if (v % 8 == 7) {  // a secondary block that was removed: not live, must not count
      w.begin_object();
      w.field("AssociationId", e.dice.id("vpc-cidr-assoc", Kind::VpcCidrAssoc, 2 * uv + 1));
      w.field("CidrBlock", cidr_text(ip(100, 64, 0, 0) + (static_cast<std::uint32_t>(v % 256) << 8), 24));
      w.key("CidrBlockState");
      w.begin_object();
      w.field("State", "disassociated");
      w.end_object();
      w.end_object();
    }
    w.end_array();
    if (e.p.dual_stack) {
      dual_stack::write_association_set(w, dual_stack::vpc_block(static_cast<std::uint32_t>(v)),
                                        e.dice.id("vpc-cidr-assoc", Kind::Ipv6Assoc, uv), true);
    }
    w.field("IsDefault", false);
    tags(w, "Tags", "bench-vpc-" + std::to_string(v));
    w.end_object();
    ++totals.vpcs;
  }
  w.end_array();
}

void write_subnets(JsonWriter& w, const Estate& e, const Bucket& b, Totals& totals) {
  w.key("Subnets");
  w.begin_array();
  for (int v : b.vpcs) {
    const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
    const std::size_t region_index =
        static_cast<std::size_t>(std::find(kRegions.begin(), kRegions.end(), b.region) - kRegions.begin());
    for (int t = 0; t < 3; ++t) {
      const auto& list = vpc.tier_subnets[static_cast<std::size_t>(t)];
      for (int si : list) {
        const SubnetInfo& sn = e.subnets[static_cast<std::size_t>(si)];
        const std::uint64_t n = list.size();
        const std::uint64_t count = vpc.tier_count[static_cast<std::size_t>(t)];
        const std::uint64_t used = (count + n - 1 - static_cast<std::uint64_t>(sn.in_tier)) / n +
                                   (t == Public && sn.in_tier == 0 ? 1 : 0);
        const std::uint64_t size = std::uint64_t{1} << (32 - sn.prefix);
        const std::string az = b.region + static_cast<char>('a' + sn.az);
        w.begin_object();
        w.field("AvailabilityZone", az);
        w.field("AvailabilityZoneId", std::string(kAzIdPrefix[region_index % kAzIdPrefix.size()]) + "-az" +
                                          std::to_string(sn.az + 1));
        w.field("AvailableIpAddressCount", static_cast<std::int64_t>(size - 5 - std::min(used, size - 5)));
        w.field("CidrBlock", cidr_text(sn.base, sn.prefix));
        w.field("DefaultForAz", false);
        w.field("MapPublicIpOnLaunch", t == Public);
        w.field("MapCustomerOwnedIpOnLaunch", false);
        w.field("State", "available");
        w.field("SubnetId", sn.id);
        w.field("VpcId", vpc.id);
        w.field("OwnerId", b.account);
        w.field("AssignIpv6AddressOnCreation", e.p.dual_stack);
        if (e.p.dual_stack) {
          dual_stack::write_association_set(
              w, dual_stack::subnet_block(static_cast<std::uint32_t>(v), static_cast<std::uint32_t>(si)),
              e.dice.id("subnet-cidr-assoc", Kind::Ipv6Assoc,
                        (std::uint64_t{1} << 40) + static_cast<std::uint64_t>(si)),
              false);
        } else {
          w.empty_array("Ipv6CidrBlockAssociationSet");
        }
        tags(w, "Tags",
             "bench-v" + std::to_string(v) + "-" + kTierName[static_cast<std::size_t>(t)] + "-" +
                 std::to_string(sn.in_tier),
             "Tier", kTierName[static_cast<std::size_t>(t)]);
        w.field("SubnetArn", "arn:aws:ec2:" + b.region + ":" + b.account + ":subnet/" + sn.id);
        w.field("EnableDns64", false);
        w.field("Ipv6Native", false);
        w.key("PrivateDnsNameOptionsOnLaunch");
        w.begin_object();
        w.field("HostnameType", "ip-name");
        w.field("EnableResourceNameDnsARecord", false);
        w.field("EnableResourceNameDnsAAAARecord", false);
        w.end_object();
        w.end_object();
        ++totals.subnets;
      }
    }
  }
  w.end_array();
}

void write_route(JsonWriter& w, const std::string& dest, std::string_view target_key,
                 const std::string& target, std::string_view origin, std::string_view state) {
  w.begin_object();
  w.field("DestinationCidrBlock", dest);
  w.field(target_key, target);
  w.field("Origin", origin);
  w.field("State", state);
  w.end_object();
}

void write_route_tables(JsonWriter& w, const Estate& e, const Bucket& b, Totals& totals) {
  w.key("RouteTables");
  w.begin_array();
  for (int v : b.vpcs) {
    const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
    const std::string local = cidr_text(vpc.base, vpc.prefix);
    struct Table {
      const std::string* id;
      int tier;  // -1: main
    };
    const std::array<Table, 3> tables = {Table{&vpc.main_rtb, -1}, Table{&vpc.public_rtb, Public},
                                         Table{&vpc.private_rtb, Private}};
    for (const Table& table : tables) {
      if (table.tier >= 0 && vpc.tier_subnets[static_cast<std::size_t>(table.tier)].empty()) continue;
      w.begin_object();
      w.key("Associations");
      w.begin_array();
      if (table.tier < 0) {
        w.begin_object();
        w.field("Main", true);
        w.field("RouteTableAssociationId", vpc.main_rtb_assoc);
        w.field("RouteTableId", *table.id);
        w.key("AssociationState");
        w.begin_object();
        w.field("State", "associated");
        w.end_object();
        w.end_object();
      } else {
        for (int si : vpc.tier_subnets[static_cast<std::size_t>(table.tier)]) {
          const SubnetInfo& sn = e.subnets[static_cast<std::size_t>(si)];
          w.begin_object();
          w.field("Main", false);
          w.field("RouteTableAssociationId", sn.rtb_assoc);
          w.field("RouteTableId", *table.id);
          w.field("SubnetId", sn.id);
          w.key("AssociationState");
          w.begin_object();
          w.field("State", "associated");
          w.end_object();
          w.end_object();
        }
      }
      w.end_array();
      w.empty_array("PropagatingVgws");
      w.field("RouteTableId", *table.id);
      w.key("Routes");
      w.begin_array();
      write_route(w, local, "GatewayId", "local", "CreateRouteTable", "active");
      if (e.p.dual_stack) {
        dual_stack::write_route(w, dual_stack::vpc_block(static_cast<std::uint32_t>(v)), "GatewayId", "local",
                                "CreateRouteTable");
        if (table.tier == Public) dual_stack::write_route(w, "::/0", "GatewayId", vpc.igw, "CreateRoute");
        if (table.tier == Private) {
          dual_stack::write_route(w, "::/0", "EgressOnlyInternetGatewayId",
                                  e.dice.id("eigw", Kind::Eigw, static_cast<std::uint64_t>(v)),
                                  "CreateRoute");
        }
      }
      if (table.tier >= 0) {
        for (int pi : vpc.peerings) {
          const PeeringInfo& pc = e.peerings[static_cast<std::size_t>(pi)];
          const VpcInfo& peer =
              e.vpcs[static_cast<std::size_t>(pc.requester == v ? pc.accepter : pc.requester)];
          write_route(w, cidr_text(peer.base, peer.prefix), "VpcPeeringConnectionId", pc.id, "CreateRoute",
                      "active");
        }
        if (table.tier == Public) {
          write_route(w, "0.0.0.0/0", "GatewayId", vpc.igw, "CreateRoute", "active");
        } else {
          write_route(w, "0.0.0.0/0", "NatGatewayId", vpc.nat, "CreateRoute", "active");
          if (!vpc.stale_nat.empty()) {  // a leftover route to a deleted NAT gateway
            write_route(w, "192.168.100.0/24", "NatGatewayId", vpc.stale_nat, "CreateRoute", "blackhole");
          }
        }
      }
      w.end_array();
      tags(w, "Tags",
           "bench-v" + std::to_string(v) + "-" +
               (table.tier < 0 ? std::string("main")
                               : std::string(kTierName[static_cast<std::size_t>(table.tier)])) +
               "-rtb");
      w.field("VpcId", vpc.id);
      w.field("OwnerId", b.account);
      w.end_object();
      ++totals.route_tables;
    }
  }
  w.end_array();
}

void write_internet_gateways(JsonWriter& w, const Estate& e, const Bucket& b, Totals& totals) {
  w.key("InternetGateways");
  w.begin_array();
  for (int v : b.vpcs) {
    const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
    w.begin_object();
    w.key("Attachments");
    w.begin_array();
    w.begin_object();
    w.field("State", "available");
    w.field("VpcId", vpc.id);
    w.end_object();
    w.end_array();
    w.field("InternetGatewayId", vpc.igw);
    w.field("OwnerId", b.account);
    tags(w, "Tags", "bench-v" + std::to_string(v) + "-igw");
    w.end_object();
    ++totals.internet_gateways;
  }
  w.end_array();
}

void write_nat_gateways(JsonWriter& w, const Estate& e, const Bucket& b, Totals& totals) {
  w.key("NatGateways");
  w.begin_array();
  for (int v : b.vpcs) {
    const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
    const SubnetInfo& sn = e.subnets[static_cast<std::size_t>(vpc.tier_subnets[Public][0])];
    w.begin_object();
    w.field("CreateTime", "2024-03-12T09:05:41+00:00");
    w.key("NatGatewayAddresses");
    w.begin_array();
    w.begin_object();
    w.field("AllocationId", vpc.nat_alloc);
    w.field("NetworkInterfaceId", vpc.nat_eni);
    w.field("PrivateIp", ip_text(vpc.nat_private));
    w.field("PublicIp", ip_text(vpc.nat_public));
    w.field("AssociationId", vpc.nat_assoc);
    w.field("IsPrimary", true);
    w.field("Status", "succeeded");
    w.end_object();
    w.end_array();
    w.field("NatGatewayId", vpc.nat);
    w.field("State", "available");
    w.field("SubnetId", sn.id);
    w.field("VpcId", vpc.id);
    tags(w, "Tags", "bench-v" + std::to_string(v) + "-nat");
    w.field("ConnectivityType", "public");
    w.end_object();
    ++totals.nat_gateways;
    if (!vpc.stale_nat.empty()) {  // deleted gateways stay visible in describe output for a while
      w.begin_object();
      w.field("CreateTime", "2023-11-02T14:12:09+00:00");
      w.field("DeleteTime", "2024-01-20T08:40:51+00:00");
      w.empty_array("NatGatewayAddresses");
      w.field("NatGatewayId", vpc.stale_nat);
      w.field("State", "deleted");
      w.field("SubnetId", sn.id);
      w.field("VpcId", vpc.id);
      w.field("ConnectivityType", "public");
      w.end_object();
    }
  }
  w.end_array();
}

struct PortSpec {
  const char* protocol;  // "tcp", "udp", "icmp", "-1", "50"
  int from;
  int to;
};

// Ports each role typically opens; a rule index walks this list so permissions stay distinct (AWS
// merges permissions with the same protocol and ports).
const std::vector<PortSpec>& role_ports(int role) {
  static const std::array<std::vector<PortSpec>, 6> ports = {{
      {{"tcp", 443, 443},
       {"tcp", 80, 80},
       {"tcp", 22, 22},
       {"tcp", 8443, 8443},
       {"icmp", 8, -1},
       {"tcp", 3389, 3389}},
      {{"tcp", 8080, 8080}, {"tcp", 8000, 8999}, {"tcp", 22, 22}, {"tcp", 443, 443}, {"udp", 8125, 8125}},
      {{"tcp", 5432, 5432}, {"tcp", 3306, 3306}, {"tcp", 22, 22}, {"tcp", 6379, 6379}, {"tcp", 1433, 1433}},
      {{"tcp", 22, 22}, {"tcp", 3389, 3389}, {"icmp", -1, -1}, {"udp", 161, 161}, {"tcp", 5985, 5986}},
      {{"tcp", 443, 443},
       {"udp", 53, 53},
       {"tcp", 9100, 9100},
       {"tcp", 1024, 65535},
       {"-1", 0, 0},
       {"50", 0, 0}},
      {{"-1", 0, 0}},  // the default group
  }};
  return ports[static_cast<std::size_t>(role < 0 ? 5 : role)];
}

// Which group a role's group-referencing rules usually name (the tier in front of it).
int upstream_role(int role) {
  switch (role) {
    case Web:
      return Mgmt;
    case App:
      return Web;
    case Db:
      return App;
    case Mgmt:
      return Mgmt;
    default:
      return App;
  }
}

void write_permission(JsonWriter& w, const PortSpec& port, const std::vector<std::string>& cidrs,
                      const std::vector<std::pair<std::string, std::string>>& groups,
                      std::string_view description, const std::vector<std::string>& cidrs6 = {}) {
  w.begin_object();
  const bool ports = std::strcmp(port.protocol, "-1") != 0 && std::strcmp(port.protocol, "50") != 0;
  if (ports) w.field("FromPort", port.from);
  w.field("IpProtocol", port.protocol);
  w.key("IpRanges");
  w.begin_array();
  for (const auto& cidr : cidrs) {
    w.begin_object();
    w.field("CidrIp", cidr);
    if (!description.empty()) w.field("Description", description);
    w.end_object();
  }
  w.end_array();
  w.key("Ipv6Ranges");
  w.begin_array();
  for (const auto& cidr : cidrs6) {
    w.begin_object();
    w.field("CidrIpv6", cidr);
    if (!description.empty()) w.field("Description", description);
    w.end_object();
  }
  w.end_array();
  w.empty_array("PrefixListIds");
  if (ports) w.field("ToPort", port.to);
  w.key("UserIdGroupPairs");
  w.begin_array();
  for (const auto& [group, user] : groups) {
    w.begin_object();
    w.field("GroupId", group);
    w.field("UserId", user);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

/** A random destination-port range: a well-known port, a short run, or a wide span. */
std::pair<int, int> random_ports(const Dice& d, Kind what, std::uint64_t key, std::uint64_t r) {
  static constexpr std::array<int, 14> known = {22,   80,   443,  3389, 5432,  3306, 6379,
                                                8080, 8443, 1433, 9200, 27017, 53,   25};
  const std::uint64_t h = d.hash(what, key, r);
  const double pick = d.unit(what, key, r + 7);
  if (pick < 0.5) {
    const int port = known[h % known.size()];
    return {port, port};
  }
  const int lo = static_cast<int>(h % 65536);
  const int width = pick < 0.8 ? static_cast<int>((h >> 20) % 1000) : static_cast<int>((h >> 20) % 20000);
  return {lo, std::min(65535, lo + width)};
}

/** A random source: mostly internet prefixes of every length, sometimes the VPC or everything. */
std::string random_cidr(const Dice& d, Kind what, const VpcInfo& vpc, std::uint64_t key, std::uint64_t r) {
  const double pick = d.unit(what, key, r);
  if (pick < 0.12) return "0.0.0.0/0";
  if (pick < 0.3) return cidr_text(vpc.base, vpc.prefix);
  if (pick < 0.38) return "10.0.0.0/8";
  const int len = 8 + static_cast<int>(d.hash(what, key, r + 1) % 25);  // /8 to /32
  std::uint32_t a = static_cast<std::uint32_t>(d.hash(what, key, r + 2));
  if ((a >> 24) == 10 || (a >> 24) == 0 || (a >> 24) >= 224) a = (a & 0x00ffffffu) | (52u << 24);
  a &= len == 0 ? 0 : ~std::uint32_t{0} << (32 - len);
  return cidr_text(a, len);
}

/** --diverse: one ingress permission of random protocol, ports and sources (or a group of the VPC). */
void write_diverse_permission(JsonWriter& w, const Estate& e, const Bucket& b, const VpcInfo& vpc,
                              std::uint64_t key, std::uint64_t r, const std::string& vpc_cidr6) {
  const Dice& d = e.dice;
  const double proto = d.unit(Kind::DProto, key, r);
  std::string protocol = proto < 0.7 ? "tcp" : proto < 0.85 ? "udp" : proto < 0.95 ? "icmp" : "-1";
  PortSpec port{nullptr, 0, 0};
  if (protocol == "tcp" || protocol == "udp") {
    const auto [lo, hi] = random_ports(d, Kind::DPorts, key, r);
    port = {protocol.c_str(), lo, hi};
  } else if (protocol == "icmp") {
    const int type =
        d.unit(Kind::DPorts, key, r) < 0.5 ? -1 : static_cast<int>(d.hash(Kind::DPorts, key, r) % 16);
    port = {"icmp", type, -1};
  } else {
    port = {"-1", 0, 0};
  }
  std::vector<std::string> cidrs;
  std::vector<std::pair<std::string, std::string>> groups;
  if (d.unit(Kind::DRef, key, r) < e.p.group_ref_share) {  // any group of the VPC, itself included
    const int target = vpc.sgs[d.hash(Kind::DRef, key, r + 3000) % vpc.sgs.size()];
    groups.emplace_back(e.sgs[static_cast<std::size_t>(target)].id, b.account);
  } else {
    const auto n = 1 + d.hash(Kind::DPrefix, key, r + 100) % 3;
    for (std::uint64_t i = 0; i < n; ++i) {
      std::string c = random_cidr(d, Kind::DPrefix, vpc, key, r * 16 + i);
      if (std::find(cidrs.begin(), cidrs.end(), c) == cidrs.end()) cidrs.push_back(std::move(c));
    }
  }
  write_permission(w, port, cidrs, groups, {},
                   vpc_cidr6.empty() ? std::vector<std::string>{}
                                     : dual_stack::peers(cidrs, cidr_text(vpc.base, vpc.prefix), vpc_cidr6));
}

void write_security_groups(JsonWriter& w, const Estate& e, const Bucket& b, Totals& totals) {
  const Dice& d = e.dice;
  w.key("SecurityGroups");
  w.begin_array();
  for (int v : b.vpcs) {
    const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
    const std::string vpc_cidr = cidr_text(vpc.base, vpc.prefix);
    const std::string vpc_cidr6 = e.p.dual_stack ? dual_stack::vpc_block(static_cast<std::uint32_t>(v)) : "";
    // --dual-stack: each IPv4 peer's IPv6 counterpart beside it (none without the flag).
    const auto v6 = [&](const std::vector<std::string>& cidrs) {
      return e.p.dual_stack ? dual_stack::peers(cidrs, vpc_cidr, vpc_cidr6) : std::vector<std::string>{};
    };
    for (int gi : vpc.sgs) {
      const SgInfo& sg = e.sgs[static_cast<std::size_t>(gi)];
      const auto key = static_cast<std::uint64_t>(gi);
      w.begin_object();
      w.field("Description",
              sg.role == Default
                  ? std::string("default VPC security group")
                  : "bench " + std::string(kRoleName[static_cast<std::size_t>(sg.role)]) + " tier");
      w.field("GroupName", sg.name);
      w.key("IpPermissions");
      w.begin_array();
      if (sg.role == Default) {
        write_permission(w, {"-1", 0, 0}, {}, {{sg.id, b.account}}, {});
        ++totals.sg_rules;
      } else if (e.p.diverse) {
        for (int r = 0; r < e.p.rules_per_sg; ++r) {
          write_diverse_permission(w, e, b, vpc, key, static_cast<std::uint64_t>(r), vpc_cidr6);
          ++totals.sg_rules;
        }
      } else {
        const auto& ports = role_ports(sg.role);
        for (int r = 0; r < e.p.rules_per_sg; ++r) {
          const auto ur = static_cast<std::uint64_t>(r);
          PortSpec port = ports[static_cast<std::size_t>(r) % ports.size()];
          if (static_cast<std::size_t>(r) >= ports.size()) {  // past the usual ports: distinct high ports
            port = {"tcp", 10000 + r * 10,
                    10000 + r * 10 + static_cast<int>(d.hash(Kind::DRule, key, ur) % 10)};
          }
          std::vector<std::string> cidrs;
          std::vector<std::pair<std::string, std::string>> groups;
          if (d.unit(Kind::DRef, key, ur) < e.p.group_ref_share) {
            const double pick = d.unit(Kind::DRef, key, ur + 1000);
            if (pick < 0.1 && !vpc.peerings.empty()) {
              // A group in a peered VPC of the same region (AWS allows such references).
              const PeeringInfo& pc = e.peerings[static_cast<std::size_t>(
                  vpc.peerings[d.hash(Kind::DRef, key, ur + 2000) % vpc.peerings.size()])];
              const int other = pc.requester == v ? pc.accepter : pc.requester;
              if (region_of(e, other) == b.region) {
                const VpcInfo& peer = e.vpcs[static_cast<std::size_t>(other)];
                groups.emplace_back(e.sgs[static_cast<std::size_t>(peer.sgs[1 + App])].id,
                                    account_of(e, other));
              }
            }
            if (groups.empty()) {
              const int target = pick < 0.8 ? vpc.sgs[static_cast<std::size_t>(1 + upstream_role(sg.role))]
                                            : vpc.sgs[d.hash(Kind::DRef, key, ur + 3000) % vpc.sgs.size()];
              groups.emplace_back(e.sgs[static_cast<std::size_t>(target)].id, b.account);
            }
          } else {
            const double pick = d.unit(Kind::DCidr, key, ur);
            const bool web_port = port.from == 80 || port.from == 443 || port.from == 8443;
            if (sg.role == Web && web_port) {
              cidrs.push_back("0.0.0.0/0");
            } else if (pick < 0.3) {
              cidrs.push_back(vpc_cidr);
            } else if (pick < 0.5) {
              cidrs.push_back("10.0.0.0/8");
            } else if (pick < 0.7) {
              cidrs.push_back("203.0.113.0/24");  // the office
            } else if (pick < 0.8) {
              cidrs.push_back("198.51.100.0/24");  // a partner
              cidrs.push_back(cidr_text(
                  ip(192, 0, 2, 0) + static_cast<std::uint32_t>(d.hash(Kind::DCidr, key, ur + 1) % 256), 32));
            } else if (pick < 0.85) {
              cidrs.push_back("0.0.0.0/0");  // the occasional wide-open rule real estates have
            } else {
              const std::uint32_t peer =
                  ip(10, 0, 0, 0) +
                  static_cast<std::uint32_t>((d.hash(Kind::DCidr, key, ur + 2) & 0xffff) << 8);
              cidrs.push_back(cidr_text(peer, 24));
            }
          }
          write_permission(w, port, cidrs, groups, r % 3 == 0 && !cidrs.empty() ? "bench rule" : "",
                           v6(cidrs));
          ++totals.sg_rules;
        }
      }
      w.end_array();
      w.field("OwnerId", b.account);
      w.field("GroupId", sg.id);
      w.key("IpPermissionsEgress");
      w.begin_array();
      if (sg.role != Default && d.unit(Kind::DEgress, key) < 0.2) {  // restricted egress
        write_permission(w, {"tcp", 443, 443}, {"0.0.0.0/0"}, {}, {}, v6({"0.0.0.0/0"}));
        write_permission(w, {"tcp", 0, 65535}, {vpc_cidr}, {}, {}, v6({vpc_cidr}));
        write_permission(w, {"udp", 53, 53}, {vpc_cidr}, {}, {}, v6({vpc_cidr}));
        totals.sg_rules += 3;
      } else {
        write_permission(w, {"-1", 0, 0}, {"0.0.0.0/0"}, {}, {}, v6({"0.0.0.0/0"}));
        ++totals.sg_rules;
      }
      w.end_array();
      tags(w, "Tags", sg.name);
      w.field("VpcId", vpc.id);
      w.end_object();
      ++totals.security_groups;
    }
  }
  w.end_array();
}

struct AclEntry {
  bool egress;
  const char* protocol;  // "-1", "6", "17", "1"
  int from, to;
  std::string cidr;
  bool allow;
};

void write_acl_entry(JsonWriter& w, const AclEntry& a, int rule_number, bool ipv6 = false) {
  w.begin_object();
  w.field(ipv6 ? "Ipv6CidrBlock" : "CidrBlock", a.cidr);
  w.field("Egress", a.egress);
  if (std::strcmp(a.protocol, "1") == 0) {
    w.key("IcmpTypeCode");
    w.begin_object();
    w.field("Code", -1);
    w.field("Type", -1);
    w.end_object();
  }
  if (std::strcmp(a.protocol, "6") == 0 || std::strcmp(a.protocol, "17") == 0) {
    w.key("PortRange");
    w.begin_object();
    w.field("From", a.from);
    w.field("To", a.to);
    w.end_object();
  }
  w.field("Protocol", a.protocol);
  w.field("RuleAction", a.allow ? "allow" : "deny");
  w.field("RuleNumber", rule_number);
  w.end_object();
}

/** entries as AWS lists them: egress first, each direction numbered 100, 110, ... in order, the
 *  catch-all deny (32767) last. --dual-stack (vpc_cidr6 set): each entry for 0.0.0.0/0 or the
 *  VPC's CIDR has an IPv6 twin numbered one above it (::/0, the VPC's /56), and the IPv6 catch-all
 *  deny (32768) comes last, as AWS prints a dual-stack VPC's ACL. */
void write_acl_entries(JsonWriter& w, const std::vector<AclEntry>& entries, const std::string& vpc_cidr = {},
                       const std::string& vpc_cidr6 = {}) {
  for (const bool egress : {true, false}) {
    int number = 100;
    for (const AclEntry& a : entries) {
      if (a.egress != egress) continue;
      write_acl_entry(w, a, number);
      if (!vpc_cidr6.empty() && (a.cidr == "0.0.0.0/0" || a.cidr == vpc_cidr)) {
        AclEntry twin = a;
        twin.cidr = a.cidr == "0.0.0.0/0" ? "::/0" : vpc_cidr6;
        write_acl_entry(w, twin, number + 1, true);
      }
      number += 10;
    }
    write_acl_entry(w, {egress, "-1", 0, 0, "0.0.0.0/0", false}, 32767);
    if (!vpc_cidr6.empty()) write_acl_entry(w, {egress, "-1", 0, 0, "::/0", false}, 32768, true);
  }
}

// The custom NACL: K ordered entries split between directions, denies ahead of the allows they carve.
std::vector<AclEntry> custom_entries(const VpcInfo& vpc, int k) {
  const std::string local = cidr_text(vpc.base, vpc.prefix);
  const std::vector<AclEntry> ingress = {
      {false, "-1", 0, 0, "198.51.100.0/24", false},
      {false, "6", 22, 22, "0.0.0.0/0", false},
      {false, "6", 5432, 5432, local, true},
      {false, "6", 1024, 65535, "0.0.0.0/0", true},
      {false, "6", 3306, 3306, local, true},
      {false, "17", 53, 53, local, true},
      {false, "1", -1, -1, local, true},
      {false, "-1", 0, 0, local, true},
  };
  const std::vector<AclEntry> egress = {
      {true, "6", 25, 25, "0.0.0.0/0", false},     {true, "-1", 0, 0, local, true},
      {true, "6", 1024, 65535, "0.0.0.0/0", true}, {true, "6", 443, 443, "0.0.0.0/0", true},
      {true, "17", 123, 123, "0.0.0.0/0", true},   {true, "1", -1, -1, "0.0.0.0/0", true},
  };
  std::vector<AclEntry> out;
  for (int i = 0; i < k; ++i) {
    const bool is_egress = i % 2 == 1;
    const auto& list = is_egress ? egress : ingress;
    const auto index = static_cast<std::size_t>(i / 2);
    AclEntry entry = list[index % list.size()];
    if (index >= list.size()) {  // further rounds: narrower, distinct CIDRs
      entry.cidr = cidr_text(vpc.base + (static_cast<std::uint32_t>(index) << 8), 24);
    }
    out.push_back(entry);
  }
  return out;
}

/**
 * --diverse: a subnet's own NACL, max(8, K) ordered entries per direction: denies of random
 * sources and ports between allows of random ranges, the VPC allowed, and half the time an
 * allow of every ephemeral port (else the subnet is reachable only where some entry allows).
 */
std::vector<AclEntry> diverse_entries(const Estate& e, const VpcInfo& vpc, std::uint64_t subnet) {
  const Dice& d = e.dice;
  const int k = std::max(8, e.p.nacl_entries);
  const std::string local = cidr_text(vpc.base, vpc.prefix);
  std::vector<AclEntry> out;
  for (const bool egress : {false, true}) {
    for (int i = 0; i < k; ++i) {
      const std::uint64_t r = static_cast<std::uint64_t>(i) + (egress ? 1000 : 0);
      const std::uint64_t key = subnet;
      if (i == k - 2) {
        out.push_back({egress, "-1", 0, 0, local, true});
        continue;
      }
      if (i == k - 1) {
        if (egress || d.unit(Kind::DAclEntry, key, r) < 0.5) {
          out.push_back({egress, "6", 1024, 65535, "0.0.0.0/0", true});
        } else {
          out.push_back({egress, "-1", 0, 0, "0.0.0.0/0", true});
        }
        continue;
      }
      const double pick = d.unit(Kind::DAclEntry, key, r + 500);
      const char* protocol = pick < 0.6 ? "6" : pick < 0.8 ? "17" : pick < 0.9 ? "1" : "-1";
      const auto [lo, hi] = random_ports(d, Kind::DAclEntry, key, r);
      const bool allow = d.unit(Kind::DAclEntry, key, r + 900) < 0.6;
      const std::string cidr = random_cidr(d, Kind::DAclEntry, vpc, key, r * 16 + 3);
      out.push_back({egress, protocol, lo, hi, cidr, allow});
    }
  }
  return out;
}

void write_acl_object(JsonWriter& w, const Bucket& b, const VpcInfo& vpc, const std::string& acl,
                      const std::vector<const SubnetInfo*>& members, const std::vector<AclEntry>& entries,
                      bool is_default, const std::string& name, const std::string& vpc_cidr6) {
  w.begin_object();
  w.key("Associations");
  w.begin_array();
  for (const SubnetInfo* sn : members) {
    w.begin_object();
    w.field("NetworkAclAssociationId", sn->acl_assoc);
    w.field("NetworkAclId", acl);
    w.field("SubnetId", sn->id);
    w.end_object();
  }
  w.end_array();
  w.key("Entries");
  w.begin_array();
  write_acl_entries(w, entries, cidr_text(vpc.base, vpc.prefix), vpc_cidr6);
  w.end_array();
  w.field("IsDefault", is_default);
  w.field("NetworkAclId", acl);
  tags(w, "Tags", name);
  w.field("VpcId", vpc.id);
  w.field("OwnerId", b.account);
  w.end_object();
}

/** --diverse: the VPC's default NACL (no subnet keeps it) and one NACL of its own per subnet. */
void write_diverse_acls(JsonWriter& w, const Estate& e, const Bucket& b, int v, Totals& totals) {
  const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
  const std::string vpc_cidr6 = e.p.dual_stack ? dual_stack::vpc_block(static_cast<std::uint32_t>(v)) : "";
  write_acl_object(w, b, vpc, vpc.default_acl, {},
                   {{true, "-1", 0, 0, "0.0.0.0/0", true}, {false, "-1", 0, 0, "0.0.0.0/0", true}}, true,
                   "bench-v" + std::to_string(v) + "-default-acl", vpc_cidr6);
  ++totals.network_acls;
  for (const auto& list : vpc.tier_subnets) {
    for (int si : list) {
      const SubnetInfo& sn = e.subnets[static_cast<std::size_t>(si)];
      write_acl_object(w, b, vpc, sn.own_acl, {&sn}, diverse_entries(e, vpc, static_cast<std::uint64_t>(si)),
                       false, "bench-v" + std::to_string(v) + "-subnet-" + std::to_string(si) + "-acl",
                       vpc_cidr6);
      ++totals.network_acls;
    }
  }
}

void write_network_acls(JsonWriter& w, const Estate& e, const Bucket& b, Totals& totals) {
  w.key("NetworkAcls");
  w.begin_array();
  for (int v : b.vpcs) {
    if (e.p.diverse) {
      write_diverse_acls(w, e, b, v, totals);
      continue;
    }
    const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
    std::array<std::vector<int>, 2> members;  // [0] default, [1] custom
    for (const auto& list : vpc.tier_subnets) {
      for (int si : list) members[e.subnets[static_cast<std::size_t>(si)].custom_acl ? 1 : 0].push_back(si);
    }
    for (int custom = 0; custom < 2; ++custom) {
      if (custom == 1 && members[1].empty()) continue;
      const std::string& acl = custom ? vpc.custom_acl : vpc.default_acl;
      w.begin_object();
      w.key("Associations");
      w.begin_array();
      for (int si : members[static_cast<std::size_t>(custom)]) {
        const SubnetInfo& sn = e.subnets[static_cast<std::size_t>(si)];
        w.begin_object();
        w.field("NetworkAclAssociationId", sn.acl_assoc);
        w.field("NetworkAclId", acl);
        w.field("SubnetId", sn.id);
        w.end_object();
      }
      w.end_array();
      w.key("Entries");
      w.begin_array();
      // AWS lists egress entries first, each direction by rule number, the catch-all deny last.
      const std::vector<AclEntry> entries =
          custom ? custom_entries(vpc, e.p.nacl_entries)
                 : std::vector<AclEntry>{{true, "-1", 0, 0, "0.0.0.0/0", true},
                                         {false, "-1", 0, 0, "0.0.0.0/0", true}};
      if (e.p.dual_stack) {
        write_acl_entries(w, entries, cidr_text(vpc.base, vpc.prefix),
                          dual_stack::vpc_block(static_cast<std::uint32_t>(v)));
      } else {
        write_acl_entries(w, entries);
      }
      w.end_array();
      w.field("IsDefault", custom == 0);
      w.field("NetworkAclId", acl);
      tags(w, "Tags", "bench-v" + std::to_string(v) + (custom ? "-restricted-acl" : "-default-acl"));
      w.field("VpcId", vpc.id);
      w.field("OwnerId", b.account);
      w.end_object();
      ++totals.network_acls;
    }
  }
  w.end_array();
}

void write_association(JsonWriter& w, const std::string& region, std::uint32_t public_ip,
                       const std::string& owner, const EniSpec* eip) {
  w.key("Association");
  w.begin_object();
  if (eip != nullptr) {
    w.field("AllocationId", eip->alloc);
    w.field("AssociationId", eip->assoc);
  }
  w.field("IpOwnerId", eip != nullptr ? owner : std::string("amazon"));
  w.field("PublicDnsName", public_dns(region, public_ip));
  w.field("PublicIp", ip_text(public_ip));
  w.end_object();
}

// The body shared by describe-network-interfaces and the copy nested in describe-instances.
void write_eni_body(JsonWriter& w, const Estate& e, const Bucket& b, int v, const EniSpec& s, bool nested) {
  const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
  const SubnetInfo& sn = e.subnets[static_cast<std::size_t>(s.subnet)];
  const EniSpec* eip = s.eip ? &s : nullptr;
  if (s.public_ip != 0) write_association(w, b.region, s.public_ip, b.account, eip);
  const bool instance = s.kind == EniKind::Instance;
  if (s.attached) {
    w.key("Attachment");
    w.begin_object();
    w.field("AttachTime", "2024-03-12T09:20:13+00:00");
    w.field("AttachmentId", s.attachment);
    w.field("DeleteOnTermination", instance);
    w.field("DeviceIndex", instance ? 0 : 1);
    if (!nested && instance) {
      w.field("InstanceId", s.instance);
      w.field("InstanceOwnerId", b.account);
    } else if (!nested) {
      w.field("InstanceOwnerId", "amazon-aws");
    }
    w.field("Status", "attached");
    if (instance) w.field("NetworkCardIndex", 0);
    w.end_object();
  }
  if (!nested) w.field("AvailabilityZone", b.region + static_cast<char>('a' + sn.az));
  // Managed kinds as AWS describes them (to_model's kind_of reads InterfaceType, Description and
  // RequesterId).
  const std::string tag = std::to_string(s.global);
  std::string description = s.attached ? "" : "spare interface", type = "interface", requester;
  switch (s.kind) {
    case EniKind::Instance:
      break;
    case EniKind::AppLoadBalancer:
      description = "ELB app/bench-alb-" + tag + "/" + s.id.substr(4, 16);
      requester = "amazon-elb";
      break;
    case EniKind::NetworkLoadBalancer:
      description = "ELB net/bench-nlb-" + tag + "/" + s.id.substr(4, 16);
      type = "network_load_balancer";
      requester = "amazon-elb";
      break;
    case EniKind::Lambda:
      description = "AWS Lambda VPC ENI-bench-fn-" + tag + "-" + s.id.substr(4, 8);
      type = "lambda";
      requester = "AROAbenchlambda:bench-fn-" + tag;
      break;
    case EniKind::Database:
      description = "RDSNetworkInterface";
      requester = "amazon-rds";
      break;
    case EniKind::Endpoint:
      description = "VPC Endpoint Interface vpce-0" + s.id.substr(5, 16);
      type = "vpc_endpoint";
      requester = "727180483921";
      break;
    case EniKind::FileSystem:
      description = "EFS mount target for fs-0" + s.id.substr(5, 8) + " (fsmt-0" + s.id.substr(5, 8) + ")";
      requester = "641247547298";
      break;
  }
  w.field("Description", description);
  w.key("Groups");
  w.begin_array();
  for (int gi : s.set) {
    w.begin_object();
    w.field("GroupName", e.sgs[static_cast<std::size_t>(gi)].name);
    w.field("GroupId", e.sgs[static_cast<std::size_t>(gi)].id);
    w.end_object();
  }
  w.end_array();
  w.field("InterfaceType", type);
  w.key("Ipv6Addresses");
  w.begin_array();
  if (e.p.dual_stack) {
    w.begin_object();
    w.field("Ipv6Address", dual_stack::eni_address(static_cast<std::uint32_t>(v),
                                                   static_cast<std::uint32_t>(s.subnet), s.global));
    w.field("IsPrimaryIpv6", false);
    w.end_object();
  }
  w.end_array();
  w.field("MacAddress", mac(e.dice, s.global));
  w.field("NetworkInterfaceId", s.id);
  w.field("OwnerId", b.account);
  w.field("PrivateDnsName", private_dns(b.region, s.primary));
  w.field("PrivateIpAddress", ip_text(s.primary));
  w.key("PrivateIpAddresses");
  w.begin_array();
  w.begin_object();
  if (s.public_ip != 0) write_association(w, b.region, s.public_ip, b.account, eip);
  w.field("Primary", true);
  w.field("PrivateDnsName", private_dns(b.region, s.primary));
  w.field("PrivateIpAddress", ip_text(s.primary));
  w.end_object();
  if (s.secondary != 0) {
    w.begin_object();
    w.field("Primary", false);
    w.field("PrivateDnsName", private_dns(b.region, s.secondary));
    w.field("PrivateIpAddress", ip_text(s.secondary));
    w.end_object();
  }
  w.end_array();
  if (!nested && !requester.empty()) w.field("RequesterId", requester);
  if (!nested) w.field("RequesterManaged", !instance);
  w.field("SourceDestCheck", true);
  w.field("Status", s.attached ? "in-use" : "available");
  w.field("SubnetId", sn.id);
  if (!nested) tags(w, "TagSet", "bench-v" + std::to_string(v) + "-eni-" + std::to_string(s.local));
  w.field("VpcId", vpc.id);
}

void write_network_interfaces(JsonWriter& w, const Estate& e, const Bucket& b, Totals& totals) {
  w.key("NetworkInterfaces");
  w.begin_array();
  for (int v : b.vpcs) {
    const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
    const SubnetInfo& nat_subnet = e.subnets[static_cast<std::size_t>(vpc.tier_subnets[Public][0])];
    // The NAT gateway's requester-managed interface.
    w.begin_object();
    w.key("Association");
    w.begin_object();
    w.field("AllocationId", vpc.nat_alloc);
    w.field("AssociationId", vpc.nat_assoc);
    w.field("IpOwnerId", b.account);
    w.field("PublicDnsName", public_dns(b.region, vpc.nat_public));
    w.field("PublicIp", ip_text(vpc.nat_public));
    w.end_object();
    w.key("Attachment");
    w.begin_object();
    w.field("AttachmentId", vpc.nat_attach);
    w.field("DeleteOnTermination", false);
    w.field("DeviceIndex", 1);
    w.field("InstanceOwnerId", "amazon-aws");
    w.field("Status", "attached");
    w.end_object();
    w.field("AvailabilityZone", b.region + static_cast<char>('a' + nat_subnet.az));
    w.field("Description", "Interface for NAT Gateway " + vpc.nat);
    w.empty_array("Groups");
    w.field("InterfaceType", "nat_gateway");
    w.empty_array("Ipv6Addresses");
    w.field("MacAddress", mac(e.dice, (std::uint64_t{1} << 48) + static_cast<std::uint64_t>(v)));
    w.field("NetworkInterfaceId", vpc.nat_eni);
    w.field("OwnerId", b.account);
    w.field("PrivateDnsName", private_dns(b.region, vpc.nat_private));
    w.field("PrivateIpAddress", ip_text(vpc.nat_private));
    w.key("PrivateIpAddresses");
    w.begin_array();
    w.begin_object();
    w.key("Association");
    w.begin_object();
    w.field("AllocationId", vpc.nat_alloc);
    w.field("AssociationId", vpc.nat_assoc);
    w.field("IpOwnerId", b.account);
    w.field("PublicDnsName", public_dns(b.region, vpc.nat_public));
    w.field("PublicIp", ip_text(vpc.nat_public));
    w.end_object();
    w.field("Primary", true);
    w.field("PrivateDnsName", private_dns(b.region, vpc.nat_private));
    w.field("PrivateIpAddress", ip_text(vpc.nat_private));
    w.end_object();
    w.end_array();
    w.field("RequesterId", "036872051663");
    w.field("RequesterManaged", true);
    w.field("SourceDestCheck", false);
    w.field("Status", "in-use");
    w.field("SubnetId", nat_subnet.id);
    w.empty_array("TagSet");
    w.field("VpcId", vpc.id);
    w.end_object();
    ++totals.network_interfaces;

    for (std::uint64_t k = 0; k < vpc.eni_count; ++k) {
      const EniSpec s = eni_spec(e, v, k);
      w.begin_object();
      write_eni_body(w, e, b, v, s, false);
      w.end_object();
      ++totals.network_interfaces;
      ++totals.workload_enis;
      if (s.stopped || !s.attached) ++totals.stopped_enis;  // neither sends nor receives: not live
    }
  }
  w.end_array();
}

void write_instance(JsonWriter& w, const Estate& e, const Bucket& b, int v, const EniSpec& s) {
  const SubnetInfo& sn = e.subnets[static_cast<std::size_t>(s.subnet)];
  const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
  w.begin_object();
  w.field("AmiLaunchIndex", 0);
  w.field("ImageId", e.dice.id("ami", Kind::Ami, static_cast<std::uint64_t>(s.tier)));
  w.field("InstanceId", s.instance);
  w.field("InstanceType", s.tier == Isolated ? "r6g.large" : "t3.micro");
  w.field("KeyName", "bench-ops");
  w.field("LaunchTime", "2024-03-12T09:20:12+00:00");
  w.key("Monitoring");
  w.begin_object();
  w.field("State", "disabled");
  w.end_object();
  w.key("Placement");
  w.begin_object();
  w.field("AvailabilityZone", b.region + static_cast<char>('a' + sn.az));
  w.field("GroupName", "");
  w.field("Tenancy", "default");
  w.end_object();
  w.field("PrivateDnsName", private_dns(b.region, s.primary));
  w.field("PrivateIpAddress", ip_text(s.primary));
  w.empty_array("ProductCodes");
  w.field("PublicDnsName", s.public_ip != 0 ? public_dns(b.region, s.public_ip) : std::string());
  if (s.public_ip != 0) w.field("PublicIpAddress", ip_text(s.public_ip));
  w.key("State");
  w.begin_object();
  w.field("Code", s.stopped ? 80 : 16);
  w.field("Name", s.stopped ? "stopped" : "running");
  w.end_object();
  w.field("StateTransitionReason", s.stopped ? "User initiated (2024-04-02 10:11:12 GMT)" : "");
  w.field("SubnetId", sn.id);
  w.field("VpcId", vpc.id);
  w.field("Architecture", s.tier == Isolated ? "arm64" : "x86_64");
  w.key("BlockDeviceMappings");
  w.begin_array();
  w.begin_object();
  w.field("DeviceName", "/dev/xvda");
  w.key("Ebs");
  w.begin_object();
  w.field("AttachTime", "2024-03-12T09:20:13+00:00");
  w.field("DeleteOnTermination", true);
  w.field("Status", "attached");
  w.field("VolumeId", e.dice.id("vol", Kind::Volume, s.global));
  w.end_object();
  w.end_object();
  w.end_array();
  w.field("ClientToken", "");
  w.field("EbsOptimized", true);
  w.field("EnaSupport", true);
  w.field("Hypervisor", "xen");
  w.key("NetworkInterfaces");
  w.begin_array();
  w.begin_object();
  write_eni_body(w, e, b, v, s, true);
  w.end_object();
  w.end_array();
  w.field("RootDeviceName", "/dev/xvda");
  w.field("RootDeviceType", "ebs");
  w.key("SecurityGroups");
  w.begin_array();
  for (int gi : s.set) {
    w.begin_object();
    w.field("GroupName", e.sgs[static_cast<std::size_t>(gi)].name);
    w.field("GroupId", e.sgs[static_cast<std::size_t>(gi)].id);
    w.end_object();
  }
  w.end_array();
  w.field("SourceDestCheck", true);
  tags(w, "Tags",
       "bench-v" + std::to_string(v) + "-" + kTierName[static_cast<std::size_t>(s.tier)] + "-" +
           std::to_string(s.local));
  w.field("VirtualizationType", "hvm");
  w.key("CpuOptions");
  w.begin_object();
  w.field("CoreCount", 1);
  w.field("ThreadsPerCore", 2);
  w.end_object();
  w.key("MetadataOptions");
  w.begin_object();
  w.field("State", "applied");
  w.field("HttpTokens", "required");
  w.field("HttpPutResponseHopLimit", 2);
  w.field("HttpEndpoint", "enabled");
  w.end_object();
  w.field("PlatformDetails", "Linux/UNIX");
  w.field("UsageOperation", "RunInstances");
  w.end_object();
}

void write_reservations(JsonWriter& w, const Estate& e, const Bucket& b, Totals& totals) {
  w.key("Reservations");
  w.begin_array();
  bool open = false;
  auto close = [&] {
    if (!open) return;
    w.end_array();
    w.field("OwnerId", b.account);
    w.field("ReservationId", e.dice.id("r", Kind::Reservation, totals.instances));
    w.end_object();
    open = false;
  };
  for (int v : b.vpcs) {
    const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
    for (std::uint64_t k = 0; k < vpc.eni_count; ++k) {
      const EniSpec s = eni_spec(e, v, k);
      if (!s.attached || s.kind != EniKind::Instance) continue;
      // Launches of one to three instances share a reservation.
      if (open && e.dice.hash(Kind::DReservation, s.global) % 3 == 0) close();
      if (!open) {
        w.begin_object();
        w.empty_array("Groups");
        w.key("Instances");
        w.begin_array();
        open = true;
      }
      write_instance(w, e, b, v, s);
      ++totals.instances;
      if (!s.stopped) ++totals.running_instances;
    }
    close();  // reservations do not span subnets of different VPCs
  }
  w.end_array();
}

void write_addresses(JsonWriter& w, const Estate& e, const Bucket& b, Totals& totals) {
  w.key("Addresses");
  w.begin_array();
  auto address = [&](const std::string& alloc, const std::string* assoc, const std::string* eni,
                     std::uint32_t priv, std::uint32_t pub, const std::string& name) {
    w.begin_object();
    w.field("AllocationId", alloc);
    if (assoc != nullptr) {
      w.field("AssociationId", *assoc);
      w.field("Domain", "vpc");
      w.field("NetworkInterfaceId", *eni);
      w.field("NetworkInterfaceOwnerId", b.account);
      w.field("PrivateIpAddress", ip_text(priv));
    } else {
      w.field("Domain", "vpc");
    }
    tags(w, "Tags", name);
    w.field("PublicIpv4Pool", "amazon");
    w.field("NetworkBorderGroup", b.region);
    w.field("PublicIp", ip_text(pub));
    w.end_object();
    ++totals.addresses;
  };
  for (int v : b.vpcs) {
    const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
    address(vpc.nat_alloc, &vpc.nat_assoc, &vpc.nat_eni, vpc.nat_private, vpc.nat_public,
            "bench-v" + std::to_string(v) + "-nat-eip");
    for (std::uint64_t k = 0; k < vpc.tier_count[Public]; ++k) {  // the public tier comes first
      const EniSpec s = eni_spec(e, v, k);
      if (s.eip)
        address(s.alloc, &s.assoc, &s.id, s.primary, s.public_ip, "bench-v" + std::to_string(v) + "-eip");
    }
    if (v % 4 == 0) {  // an allocated address nobody uses
      address(e.dice.id("eipalloc", Kind::EipAlloc, (std::uint64_t{2} << 48) + static_cast<std::uint64_t>(v)),
              nullptr, nullptr, 0, ip(35, 0, 0, 0) + static_cast<std::uint32_t>(v) + 1,
              "bench-v" + std::to_string(v) + "-spare");
    }
  }
  w.end_array();
}

void write_peerings(JsonWriter& w, const Estate& e, const Bucket& b, int bucket_index, Totals& totals) {
  w.key("VpcPeeringConnections");
  w.begin_array();
  auto side = [&](std::string_view key, int v) {
    const VpcInfo& vpc = e.vpcs[static_cast<std::size_t>(v)];
    w.key(key);
    w.begin_object();
    w.field("CidrBlock", cidr_text(vpc.base, vpc.prefix));
    w.key("CidrBlockSet");
    w.begin_array();
    w.begin_object();
    w.field("CidrBlock", cidr_text(vpc.base, vpc.prefix));
    w.end_object();
    w.end_array();
    w.field("OwnerId", account_of(e, v));
    w.key("PeeringOptions");
    w.begin_object();
    w.field("AllowDnsResolutionFromRemoteVpc", false);
    w.field("AllowEgressFromLocalClassicLinkToRemoteVpc", false);
    w.field("AllowEgressFromLocalVpcToRemoteClassicLink", false);
    w.end_object();
    w.field("Region", region_of(e, v));
    w.field("VpcId", vpc.id);
    w.end_object();
  };
  for (std::size_t i = 0; i < e.peerings.size(); ++i) {
    const PeeringInfo& pc = e.peerings[i];
    const int rb = e.vpcs[static_cast<std::size_t>(pc.requester)].bucket;
    const int ab = e.vpcs[static_cast<std::size_t>(pc.accepter)].bucket;
    // Each side's account and region lists the peering, as the real describe calls do.
    if (rb != bucket_index && ab != bucket_index) continue;
    w.begin_object();
    side("AccepterVpcInfo", pc.accepter);
    side("RequesterVpcInfo", pc.requester);
    w.key("Status");
    w.begin_object();
    w.field("Code", pc.active ? "active" : "deleted");
    w.field("Message", pc.active ? "Active" : "Deleted by 210000000000");
    w.end_object();
    tags(w, "Tags", "bench-pcx-" + std::to_string(pc.requester) + "-" + std::to_string(pc.accepter));
    w.field("VpcPeeringConnectionId", pc.id);
    w.end_object();
    if (pc.active && rb == bucket_index) ++totals.peerings;  // counted once, on the requester's side
  }
  (void)b;
  w.end_array();
}

// ---------------------------------------------------------------------------------------------

template <class Fn>
void write_file(const fs::path& path, int indent, Totals& totals, Fn&& body) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr)
    throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
  {
    JsonWriter w(file, indent);
    w.begin_object();
    body(w);
    w.end_object();
    w.finish();
    totals.bytes += w.bytes();
  }
  if (std::fclose(file) != 0)
    throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
  ++totals.files;
}

// The ENIs a benchmark's single reach runs between: a running public web ENI and a private app
// ENI (with the tier's plain group set) of the first VPC.
std::pair<std::string, std::string> sample_pair(const Estate& e) {
  std::string from, to;
  const VpcInfo& vpc = e.vpcs[0];
  for (std::uint64_t k = 0; k < vpc.eni_count && (from.empty() || to.empty()); ++k) {
    const EniSpec s = eni_spec(e, 0, k);
    if (!s.attached || s.stopped || s.kind != EniKind::Instance) continue;
    if (from.empty() && s.tier == Public && s.public_ip != 0) from = s.id;
    if (to.empty() && e.p.diverse && s.tier == Private) to = s.id;  // no tier sets there
    if (to.empty() && s.tier == Private && s.kind == EniKind::Instance && s.set == vpc.tier_sets[Private][0])
      to = s.id;
  }
  // Small or unusual estates (one subnet, no public share): any two running ENIs will do.
  for (std::uint64_t k = 0; k < vpc.eni_count && (from.empty() || to.empty()); ++k) {
    const EniSpec s = eni_spec(e, 0, k);
    if (!s.attached || s.stopped || s.kind != EniKind::Instance || s.id == from || s.id == to) continue;
    (from.empty() ? from : to) = s.id;
  }
  return {from, to};
}

void write_manifest(const Estate& e, const Totals& t, std::ostream& out) {
  const auto [from, to] = sample_pair(e);
  std::set<std::string> accounts, regions;
  for (const auto& vpc : e.vpcs) {
    accounts.insert(e.buckets[static_cast<std::size_t>(vpc.bucket)].account);
    regions.insert(e.buckets[static_cast<std::size_t>(vpc.bucket)].region);
  }
  out << "{\n"
      << "  \"seed\": " << e.p.seed << ",\n"
      << "  \"files\": " << t.files << ",\n"
      << "  \"bytes\": " << t.bytes << ",\n"
      << "  \"accounts\": " << accounts.size() << ",\n"
      << "  \"regions\": " << regions.size() << ",\n"
      << "  \"vpcs\": " << t.vpcs << ",\n"
      << "  \"subnets\": " << t.subnets << ",\n"
      << "  \"route_tables\": " << t.route_tables << ",\n"
      << "  \"internet_gateways\": " << t.internet_gateways << ",\n"
      << "  \"nat_gateways\": " << t.nat_gateways << ",\n"
      << "  \"network_interfaces\": " << t.network_interfaces << ",\n"
      << "  \"workload_network_interfaces\": " << t.workload_enis << ",\n"
      << "  \"live_network_interfaces\": " << t.network_interfaces - t.stopped_enis << ",\n"
      << "  \"instances\": " << t.instances << ",\n"
      << "  \"running_instances\": " << t.running_instances << ",\n"
      << "  \"security_groups\": " << t.security_groups << ",\n"
      << "  \"security_group_rules\": " << t.sg_rules << ",\n"
      << "  \"network_acls\": " << t.network_acls << ",\n"
      << "  \"addresses\": " << t.addresses << ",\n"
      << "  \"vpc_peerings\": " << t.peerings << ",\n";
  if (e.p.dual_stack)
    out << "  \"egress_only_internet_gateways\": " << t.egress_only_internet_gateways << ",\n";
  out << "  \"reach_from\": \"" << from << "\",\n"
      << "  \"reach_to\": \"" << to << "\"\n"
      << "}\n";
}

int run(const Params& p) {
  Estate e;
  e.p = p;
  e.dice = Dice(p.seed);
  build_skeleton(e);
  Totals totals;
  const fs::path root(p.out);
  for (std::size_t bi = 0; bi < e.buckets.size(); ++bi) {
    const Bucket& b = e.buckets[bi];
    if (b.vpcs.empty()) continue;
    const fs::path dir = root / b.account / b.region;
    fs::create_directories(dir);
    const int bucket_index = static_cast<int>(bi);
    write_file(dir / "Vpcs.json", p.indent, totals, [&](JsonWriter& w) { write_vpcs(w, e, b, totals); });
    write_file(dir / "Subnets.json", p.indent, totals,
               [&](JsonWriter& w) { write_subnets(w, e, b, totals); });
    write_file(dir / "RouteTables.json", p.indent, totals,
               [&](JsonWriter& w) { write_route_tables(w, e, b, totals); });
    write_file(dir / "InternetGateways.json", p.indent, totals,
               [&](JsonWriter& w) { write_internet_gateways(w, e, b, totals); });
    write_file(dir / "NatGateways.json", p.indent, totals,
               [&](JsonWriter& w) { write_nat_gateways(w, e, b, totals); });
    write_file(dir / "SecurityGroups.json", p.indent, totals,
               [&](JsonWriter& w) { write_security_groups(w, e, b, totals); });
    write_file(dir / "NetworkAcls.json", p.indent, totals,
               [&](JsonWriter& w) { write_network_acls(w, e, b, totals); });
    write_file(dir / "NetworkInterfaces.json", p.indent, totals,
               [&](JsonWriter& w) { write_network_interfaces(w, e, b, totals); });
    write_file(dir / "Reservations.json", p.indent, totals,
               [&](JsonWriter& w) { write_reservations(w, e, b, totals); });
    write_file(dir / "Addresses.json", p.indent, totals,
               [&](JsonWriter& w) { write_addresses(w, e, b, totals); });
    write_file(dir / "VpcPeeringConnections.json", p.indent, totals,
               [&](JsonWriter& w) { write_peerings(w, e, b, bucket_index, totals); });
    if (p.dual_stack) {
      write_file(dir / "EgressOnlyInternetGateways.json", p.indent, totals, [&](JsonWriter& w) {
        w.key("EgressOnlyInternetGateways");
        w.begin_array();
        for (int v : b.vpcs) {
          const auto uv = static_cast<std::uint64_t>(v);
          dual_stack::write_egress_only_gateway(w, e.dice.id("eigw", Kind::Eigw, uv),
                                                e.vpcs[static_cast<std::size_t>(v)].id,
                                                "bench-v" + std::to_string(v) + "-eigw");
          ++totals.egress_only_internet_gateways;
        }
        w.end_array();
      });
    }
  }
  if (p.tgw) {
    const auto with_vpcs =
        std::count_if(e.buckets.begin(), e.buckets.end(), [](const Bucket& b) { return !b.vpcs.empty(); });
    if (with_vpcs != 1)
      throw std::runtime_error(
          "--tgw needs one account and region (--accounts 1 --regions 1 --vpcs-per-bucket N)");
    for (const Bucket& b : e.buckets) {
      if (!b.vpcs.empty()) add_transit_gateways(root / b.account / b.region, p.seed);
    }
  }
  if (!p.manifest.empty()) {
    // Written last, through a rename, so that its presence means the estate is complete.
    const std::string tmp = p.manifest + ".tmp";
    {
      std::FILE* file = std::fopen(tmp.c_str(), "wb");
      if (file == nullptr) throw std::runtime_error("cannot write " + tmp);
      std::ostringstream text;
      write_manifest(e, totals, text);
      std::fputs(text.str().c_str(), file);
      std::fclose(file);
    }
    fs::rename(tmp, p.manifest);
  }
  write_manifest(e, totals, std::cout);
  return 0;
}

}  // namespace
}  // namespace vpcprove::benchmarks

int main(int argc, char** argv) {
  vpcprove::benchmarks::Params p;
  CLI::App app{"vpcprove_gen_estate: writes a seeded synthetic AWS estate as aws ec2 describe-* JSON"};
  app.add_option("--enis", p.enis, "workload network interfaces (NAT gateway interfaces come on top)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  app.add_option("--vpcs", p.vpcs, "VPCs")->check(CLI::Range(1, 1 << 16));
  app.add_option("--subnets-per-vpc", p.subnets_per_vpc, "subnets per VPC (a third public, a third private)")
      ->check(CLI::Range(1, 256));
  app.add_option("--sgs", p.sgs, "custom security groups in all (each VPC gets at least 4, plus its default)")
      ->check(CLI::Range(0, 1 << 24));
  app.add_option("--rules-per-sg", p.rules_per_sg, "ingress permissions per custom security group")
      ->check(CLI::Range(0, 1000));
  app.add_option("--nacl-entries", p.nacl_entries, "entries of each custom network ACL (both directions)")
      ->check(CLI::Range(0, 1000));
  app.add_option("--public-share", p.public_share,
                 "share of ENIs in public subnets, with a public or Elastic IP")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--group-ref-share", p.group_ref_share, "share of SG rules that reference a group")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--peerings", p.peerings, "active VPC peerings")->check(CLI::Range(0, 1 << 20));
  app.add_option("--seed", p.seed, "seed; the same parameters and seed give the same bytes");
  app.add_option("--accounts", p.accounts, "accounts (default: from --vpcs)")->check(CLI::Range(0, 10000));
  app.add_option("--regions", p.regions, "regions per account, at most 4 (default: from --vpcs)")
      ->check(CLI::Range(0, 4));
  app.add_option("--vpcs-per-bucket", p.vpcs_per_bucket, "VPCs per account/region when deriving the layout")
      ->check(CLI::Range(1, 1 << 16));
  app.add_option("--indent", p.indent, "JSON indent (4 as the AWS CLI prints; 0 for compact)")
      ->check(CLI::Range(0, 8));
  app.add_option("--manifest", p.manifest, "also write the summary (counts, sample ENIs) to this file, last");
  app.add_flag("--diverse", p.diverse,
               "every ENI its own mix: 1-3 of its VPC's groups, random rules and group references, one "
               "NACL per subnet (at least 8 entries each way), several kinds of ENI");
  app.add_flag("--tgw", p.tgw,
               "two transit gateways, three TGW route tables (static and propagated routes, a blackhole), "
               "every VPC attached; needs one account and region");
  app.add_flag("--dual-stack", p.dual_stack,
               "IPv6 too: a /56 per VPC, a /64 per subnet, an IPv6 address per ENI, ::/0 routes (internet "
               "gateway for public subnets, egress-only gateway for private ones), Ipv6Ranges and IPv6 NACL "
               "entries");
  app.add_option("-o,--output", p.out, "output directory (ACCOUNT/REGION/*.json below it)")->required();
  CLI11_PARSE(app, argc, argv);
  try {
    return vpcprove::benchmarks::run(p);
  } catch (const std::exception& ex) {
    std::cerr << "vpcprove_gen_estate: " << ex.what() << '\n';
    return 2;
  }
}
