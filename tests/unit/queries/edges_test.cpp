// SPDX-License-Identifier: Apache-2.0
// The prover at the edges of the model, against trace: what "internet" is, ICMP reply types,
// the traffic AWS does not filter, the edge route table on NAT replies, and session reasons.
#include <catch2/catch.hpp>

#include "model/endpoint.h"
#include "queries/explain.h"
#include "queries/exposure.h"
#include "queries/reach.h"
#include "tests/support/network_builder.h"
#include "trace/trace.h"

namespace vpcprove {
namespace {

using queries::HeaderSpace;
using queries::Semantics;
using queries::Verdict;
using testing::any_l4;
using testing::icmp;
using testing::NetworkBuilder;

/** vpc-1 10.0.0.0/16 with igw-1; subnet-pub (0/0 -> igw-1) holds eni-web 10.0.1.20 (54.0.0.20),
 *  nat-1 10.0.1.10 (3.3.3.3); subnet-app (0/0 -> nat-1) holds eni-app 10.0.2.30. */
NetworkBuilder base() {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1");
  b.route_table("rtb-app", "vpc-1").route("0.0.0.0/0", "nat-1");
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub");
  b.subnet("subnet-app", "vpc-1", "10.0.2.0/24").route_table("rtb-app");
  b.nat("nat-1", "subnet-pub", "10.0.1.10", "3.3.3.3");
  b.eni("eni-web", "subnet-pub", {"10.0.1.20"}).public_ip("54.0.0.20").groups({"sg-web"});
  b.eni("eni-app", "subnet-app", {"10.0.2.30"}).groups({"sg-app"});
  b.sg("sg-web", "vpc-1").ingress_tcp(443, "0.0.0.0/0").egress_all();
  b.sg("sg-app", "vpc-1").egress_all();
  return b;
}

queries::ReachResult ask(const model::Network& n, const std::string& from, const std::string& to,
                         const HeaderSpace& h = {}, Semantics s = Semantics::Packet) {
  queries::Prover prover(n);
  return prover.reach({model::resolve_endpoint(n, from), model::resolve_endpoint(n, to), h, s, 0});
}

HeaderSpace proto(int p, std::optional<PortRange> dst = std::nullopt) {
  HeaderSpace h;
  h.protocol = p;
  h.dst_ports = dst;
  return h;
}

/** The witness replays through trace, hop for hop. */
void replays(const model::Network& n, const queries::ReachResult& r) {
  REQUIRE(r.verdict == Verdict::Reachable);
  const auto start =
      *r.from_member == "internet" ? trace::Start::internet() : trace::Start::interface(*r.from_member);
  const auto w = trace::walk(n, start, *r.packet);
  CHECK(w.disposition == r.disposition);
  CHECK(w.hops == r.path);
}

std::string reasons_text(const queries::ReachResult& r) {
  std::string s;
  for (const auto& x : r.reasons) s += "\n  " + x.at + " " + x.step + " " + x.code + " " + x.detail;
  return s;
}

}  // namespace

TEST_CASE("reach: a host in an unrelated VPC's public range is an internet host", "[queries][internet]") {
  auto b = base();
  b.vpc("vpc-9", "8.8.0.0/16");
  b.sg("sg-web", "vpc-1").ingress_tcp(443, "8.8.0.0/16").egress_all();  // only from that range
  const auto n = b.build();
  const auto r = ask(n, "internet", "eni-web", proto(model::kTcp, PortRange{443, 443}), Semantics::Session);
  INFO(reasons_text(r));
  REQUIRE(r.verdict == Verdict::Reachable);
  CHECK(Ipv4Prefix::make(testing::ip("8.8.0.0"), 16).contains(r.packet->src_ip));
  replays(n, r);

  // exposure sees the same port.
  const auto e = queries::exposure(n, {});
  bool web_443 = false;
  for (const auto& x : e.enis) {
    if (x.eni != "eni-web") continue;
    for (const auto& p : x.exposed) {
      for (const auto& range : p.ports)
        web_443 = web_443 || (p.protocol == "tcp" && range.lo <= 443 && 443 <= range.hi);
    }
  }
  CHECK(web_443);
}

TEST_CASE("reach: a group that admits only loopback and multicast sources admits no internet host",
          "[queries][internet]") {
  auto b = base();
  b.sg("sg-web", "vpc-1").ingress(any_l4(), "127.0.0.0/8").ingress(any_l4(), "224.0.0.0/4").egress_all();
  const auto n = b.build();
  const auto r = ask(n, "internet", "eni-web");
  CHECK(r.verdict == Verdict::Unreachable);
  const auto e = queries::exposure(n, {});
  for (const auto& x : e.enis) {
    INFO(x.eni);
    CHECK(x.exposed.empty());
  }
}

TEST_CASE("reach: no witness goes to or comes from a bogon", "[queries][internet]") {
  const auto n = base().build();
  const auto out = ask(n, "eni-app", "224.0.0.0/3");  // multicast and reserved: never routed out
  INFO(reasons_text(out));
  CHECK(out.verdict == Verdict::Unreachable);
  const auto in = ask(n, "127.0.0.0/8", "eni-web");
  CHECK(in.verdict == Verdict::Unreachable);
  const auto any = ask(n, "internet", "eni-web");
  REQUIRE(any.verdict == Verdict::Reachable);
  CHECK(n.is_internet_address(any.packet->src_ip));
}

TEST_CASE("reach: a timestamp session needs the NACL to admit the timestamp reply (14)", "[queries][icmp]") {
  for (const int admitted : {14, 13}) {
    auto b = base();
    b.nacl("acl-pub", "vpc-1").allow_out(100, any_l4()).allow_in(100, icmp(admitted));
    b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub").nacl("acl-pub");
    const auto n = b.build();
    HeaderSpace h = proto(model::kIcmp);
    h.dst_ports = PortRange{13, 13};  // ICMP type 13
    const auto r = ask(n, "eni-web", "internet", h, Semantics::Session);
    INFO("NACL admits type " << admitted << reasons_text(r));
    CHECK((r.verdict == Verdict::Reachable) == (admitted == 14));
    if (r.verdict == Verdict::Reachable) {
      REQUIRE(r.session);
      CHECK(r.session->established);
    }
  }
}

TEST_CASE("reach: DNS, metadata and Time Sync are reachable past groups and NACLs that stop everything",
          "[queries][aws-service]") {
  auto b = base();
  b.sg("sg-app", "vpc-1");      // no rule
  b.nacl("acl-none", "vpc-1");  // deny all
  b.subnet("subnet-app", "vpc-1", "10.0.2.0/24").route_table("rtb-app").nacl("acl-none");
  const auto n = b.build();
  for (const char* to : {"169.254.169.254", "169.254.169.253", "169.254.169.123", "10.0.0.2"}) {
    for (const auto s : {Semantics::Packet, Semantics::Session}) {
      const auto r = ask(n, "eni-app", to, {}, s);
      INFO(to << " " << queries::to_string(s) << reasons_text(r));
      REQUIRE(r.verdict == Verdict::Reachable);
      CHECK(r.disposition == model::Disposition::AwsService);
      replays(n, r);
    }
  }
  const auto r = ask(n, "eni-app", "10.0.0.3");  // the next address is nothing of the kind
  CHECK(r.verdict == Verdict::Unreachable);
  const auto out = ask(n, "eni-app", "internet");
  CHECK(out.verdict == Verdict::Unreachable);
}

TEST_CASE("reach: NAT replies go through the edge table's firewall, and its group can stop them",
          "[queries][edge][nat]") {
  for (const bool admits : {true, false}) {
    auto b = base();
    b.route_table("rtb-edge", "vpc-1").edge("igw-1").route("10.0.1.0/24", "eni-fw");
    b.route_table("rtb-fw", "vpc-1").route("0.0.0.0/0", "igw-1");
    b.subnet("subnet-fw", "vpc-1", "10.0.4.0/24").route_table("rtb-fw");
    b.eni("eni-fw", "subnet-fw", {"10.0.4.5"}).groups({"sg-fw"}).source_dest_check(false);
    auto fw = b.sg("sg-fw", "vpc-1").egress_all();
    if (admits) fw.ingress_all();
    const auto n = b.build();
    const auto r = ask(n, "eni-app", "internet", proto(model::kTcp, PortRange{443, 443}), Semantics::Session);
    INFO("firewall admits replies: " << admits << reasons_text(r));
    CHECK((r.verdict == Verdict::Reachable) == admits);
    if (!admits) {
      REQUIRE_FALSE(r.reasons.empty());
      CHECK(r.reasons.front().at == "sg-fw");
      CHECK(r.reasons.front().code == "ENI_SG_RULES_MISMATCH");
    }
  }
}

TEST_CASE("reach: a session the reply's NACL stops is explained by that NACL, with why-not too",
          "[queries][reasons][session]") {
  auto b = base();
  // The web subnet admits 443 in but lets out only port 443, never the reply's ephemeral port.
  b.nacl("acl-pub", "vpc-1").allow_in(100, testing::tcp(443)).allow_out(100, testing::tcp(443));
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub").nacl("acl-pub");
  const auto n = b.build();
  const model::Endpoint from = model::resolve_endpoint(n, "internet");
  const model::Endpoint to = model::resolve_endpoint(n, "eni-web");
  HeaderSpace h = proto(model::kTcp, PortRange{443, 443});
  h.src_ports = PortRange{1024, 65535};  // clients use ephemeral ports
  const queries::ReachQuery q{from, to, h, Semantics::Session, 0};
  queries::Prover prover(n);
  for (const bool why_not : {false, true}) {
    const auto r = why_not ? queries::reach_with_why_not(prover, q) : prover.reach(q);
    INFO("why-not: " << why_not << reasons_text(r));
    REQUIRE(r.verdict == Verdict::Unreachable);
    REQUIRE_FALSE(r.reasons.empty());
    for (const auto& x : r.reasons) {
      CHECK(x.at == "acl-pub");
      CHECK(x.code == "SUBNET_ACL_RESTRICTION");
      CHECK(x.step == "nacl-egress");
    }
  }
}

TEST_CASE("reach: traffic behind a transit gateway is said to leave by it, not to have no route",
          "[queries][reasons][tgw]") {
  auto b = base();
  b.vpc("vpc-2", "10.2.0.0/16");
  b.subnet("subnet-2", "vpc-2", "10.2.1.0/24");
  b.eni("eni-far", "subnet-2", {"10.2.1.5"}).public_ip("54.0.0.99").groups({"sg-far"});
  b.sg("sg-far", "vpc-2").ingress_all("0.0.0.0/0").egress_all();
  b.opaque_gateway("tgw-1", {"vpc-1", "vpc-2"});
  b.route_table("rtb-app", "vpc-1").route("10.2.0.0/16", "tgw-1");  // and no default route
  const auto n = b.build();
  const model::Endpoint from = model::resolve_endpoint(n, "eni-app");
  const model::Endpoint to = model::resolve_endpoint(n, "eni-far");
  const queries::ReachQuery q{from, to, {}, Semantics::Packet, 0};
  queries::Prover prover(n);
  for (const bool why_not : {false, true}) {
    const auto r = why_not ? queries::reach_with_why_not(prover, q) : prover.reach(q);
    INFO("why-not: " << why_not << reasons_text(r));
    REQUIRE(r.verdict != Verdict::Reachable);
    REQUIRE_FALSE(r.reasons.empty());
    CHECK(r.reasons.front().at == "tgw-1");
    CHECK(r.reasons.front().code == "UNFOLLOWED_GATEWAY");
    CHECK(r.reasons.front().detail.find("does not follow") != std::string::npos);
    for (const auto& x : r.reasons) CHECK(x.code != "NO_ROUTE_TO_DESTINATION");
  }
}

}  // namespace vpcprove
