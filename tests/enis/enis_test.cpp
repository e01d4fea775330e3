// SPDX-License-Identifier: Apache-2.0
// Every ENI counted: kinds, sets, ENIs without groups, delegated prefixes and inactive ENIs,
// through the converter, endpoints, trace, the prover and exposure (docs/semantics.md, "What
// an ENI is"). The snapshot tests/enis/snapshot is shaped like an account: an internet-facing
// ALB and NLB, a public RDS instance, a Transfer Family endpoint with an Elastic IP, a Lambda
// function, an EKS node delegating a /28, an unattached ENI and a stopped instance's ENI, each
// holding an Elastic IP, and a Gateway Load Balancer endpoint.
#include <catch2/catch.hpp>

#include "aws/load.h"
#include "common/diagnostics.h"
#include "model/describe.h"
#include "model/endpoint.h"
#include "queries/exposure.h"
#include "queries/reach.h"
#include "tests/enis/exposure_agreement.h"
#include "tests/support/network_builder.h"
#include "tests/support/test_paths.h"
#include "tests/unit/aws/temp_snapshot.h"
#include "trace/trace.h"

using namespace vpcprove;
using Ids = std::vector<std::string>;
using model::InterfaceKind;
using queries::Verdict;

namespace {

const std::string kAlb = "eni-0e15a000000000a1";
const std::string kNlb = "eni-0e15a000000000a2";
const std::string kRds = "eni-0e15a000000000d1";
const std::string kSftp = "eni-0e15a000000000f1";
const std::string kLambda = "eni-0e15a000000000e1";
const std::string kSpare = "eni-0e15a0000000spare";
const std::string kStopped = "eni-0e15a00000stopped";
const std::string kWeb = "eni-0e15a000000000b1";
const std::string kNode = "eni-0e15a000000000c1";
const std::string kGwlbe = "eni-0e15a000000000g1";
const std::string kVpc = "vpc-0e15a00000000001";

const model::Network& account() {
  static const model::Network n =
      aws::load_network(std::string(VPCPROVE_SOURCE_DIR) + "/tests/enis/snapshot");
  return n;
}

const model::NetworkInterface& eni(const std::string& id) { return account().network_interfaces.at(id); }

model::Packet packet(const std::string& src, const std::string& dst, int protocol, std::uint16_t dst_port) {
  model::Packet p;
  p.src_ip = *parse_ipv4(src);
  p.dst_ip = *parse_ipv4(dst);
  p.protocol = static_cast<std::uint8_t>(protocol);
  p.src_port = 40000;
  p.dst_port = dst_port;
  return p;
}

queries::ReachResult reach(const model::Network& n, const std::string& from, const std::string& to,
                           std::optional<int> protocol = std::nullopt,
                           std::optional<std::uint16_t> port = std::nullopt) {
  queries::HeaderSpace hs;
  hs.protocol = protocol;
  if (port) hs.dst_ports = PortRange{*port, *port};
  queries::Prover prover(n);
  return prover.reach(
      {model::resolve_endpoint(n, from), model::resolve_endpoint(n, to), hs, queries::Semantics::Packet, 0});
}

bool has_code(const queries::ReachResult& r, const std::string& code) {
  return std::any_of(r.reasons.begin(), r.reasons.end(),
                     [&](const queries::Reason& x) { return x.code == code; });
}

const queries::EniExposure* find(const queries::ExposureResult& r, const std::string& id) {
  for (const auto& e : r.enis) {
    if (e.eni == id) return &e;
  }
  return nullptr;
}

}  // namespace

// ---- the converter -------------------------------------------------------------------------

TEST_CASE("every ENI has a kind read from InterfaceType, Description, RequesterId and attachment",
          "[enis][kind]") {
  CHECK(eni(kAlb).kind == InterfaceKind::LoadBalancer);  // "interface" + "ELB app/…" + amazon-elb
  CHECK(eni(kNlb).kind == InterfaceKind::LoadBalancer);  // network_load_balancer
  CHECK(eni(kRds).kind == InterfaceKind::Database);      // RDSNetworkInterface, amazon-rds
  CHECK(eni(kSftp).kind == InterfaceKind::VpcEndpoint);  // vpc_endpoint
  CHECK(eni(kSftp).gateway_id == "vpce-0e15a000000000f1");
  CHECK(eni(kLambda).kind == InterfaceKind::Lambda);
  CHECK(eni(kWeb).kind == InterfaceKind::Instance);
  CHECK(eni(kNode).kind == InterfaceKind::Instance);
  CHECK(eni(kStopped).kind == InterfaceKind::Instance);
  CHECK(eni(kSpare).kind == InterfaceKind::Other);  // attached to nothing
  CHECK(eni(kGwlbe).kind == InterfaceKind::GatewayLoadBalancerEndpoint);
  CHECK(std::string(model::to_string(InterfaceKind::LoadBalancer)) == "load-balancer");
  CHECK(model::interface_kind_named("database") == InterfaceKind::Database);
  CHECK_FALSE(model::interface_kind_named("workload"));
}

TEST_CASE("LoadBalancers and DBInstances name the owner of their ENIs", "[enis][kind]") {
  CHECK(eni(kAlb).owner == "web-alb (application, internet-facing)");
  CHECK(eni(kNlb).owner == "api-nlb (network, internet-facing)");
  CHECK(eni(kRds).owner == "orders-db (postgres)");
  CHECK(eni(kLambda).owner == "orders-fn-3f1c2d4e");
  CHECK(eni(kSftp).owner == "vpce-0e15a000000000f1");
}

TEST_CASE("only a Network Load Balancer without groups and GWLB ENIs are unfiltered", "[enis][groups]") {
  CHECK(eni(kNlb).unfiltered);
  CHECK(eni(kGwlbe).unfiltered);
  CHECK_FALSE(eni(kAlb).unfiltered);
  CHECK_FALSE(eni(kWeb).unfiltered);
}

TEST_CASE("delegated prefixes are addresses the ENI owns", "[enis][prefix]") {
  const auto& node = eni(kNode);
  REQUIRE(node.delegated_prefixes.size() == 1);
  CHECK(node.delegated_prefixes[0].to_string() == "10.0.2.64/28");
  CHECK(node.private_ips.size() == 17);
  CHECK(node.private_ips.front().address == *parse_ipv4("10.0.2.20"));
  CHECK(node.owns(*parse_ipv4("10.0.2.64")));
  CHECK(node.owns(*parse_ipv4("10.0.2.79")));
  CHECK_FALSE(node.owns(*parse_ipv4("10.0.2.80")));
  CHECK(account().interface_owning(kVpc, *parse_ipv4("10.0.2.70")) == &node);
}

TEST_CASE("unattached ENIs and stopped instances' ENIs are kept, inactive, with the reason",
          "[enis][inactive]") {
  CHECK(eni(kSpare).inactive_code == "ENI_NOT_ATTACHED");
  CHECK(eni(kStopped).inactive_code == "INSTANCE_NOT_RUNNING");
  CHECK(eni(kStopped).inactive.find("i-0e15a0000000stop1") != std::string::npos);
  CHECK(eni(kStopped).instance_id == "i-0e15a0000000stop1");
  CHECK(eni(kWeb).live());
  // The Elastic IPs still name them: traffic to those addresses is answered, not unknown.
  CHECK(account().interface_with_public_ip(*parse_ipv4("3.80.0.14")) == &eni(kSpare));
  CHECK(account().interface_with_public_ip(*parse_ipv4("3.80.0.15")) == &eni(kStopped));
}

// ---- endpoints -----------------------------------------------------------------------------

TEST_CASE("sets hold every live ENI that can end a flow, and kind:K selects by kind", "[enis][endpoint]") {
  const auto& n = account();
  CHECK(model::resolve_endpoint(n, kVpc).interfaces == Ids{kAlb, kNlb, kWeb, kNode, kRds, kLambda, kSftp});
  CHECK(model::resolve_endpoint(n, "kind:load-balancer").interfaces == Ids{kAlb, kNlb});
  CHECK(model::resolve_endpoint(n, "kind:database").interfaces == Ids{kRds});
  CHECK(model::resolve_endpoint(n, "kind:vpc-endpoint").interfaces == Ids{kSftp});
  CHECK(model::resolve_endpoint(n, "kind:instance").interfaces == Ids{kWeb, kNode});  // not the stopped one
  CHECK(model::resolve_endpoint(n, "kind:gateway-load-balancer-endpoint").interfaces.empty());
  CHECK(model::resolve_endpoint(n, "sg-0e15a0000000000f1").interfaces == Ids{kSftp});
  CHECK_THROWS_AS(model::resolve_endpoint(n, "kind:workload"), InputError);
}

TEST_CASE("an inactive ENI or a stopped instance asked for by ID is resolved, not refused",
          "[enis][endpoint]") {
  const auto& n = account();
  CHECK(model::resolve_endpoint(n, kSpare).interfaces == Ids{kSpare});
  CHECK(model::resolve_endpoint(n, "i-0e15a0000000stop1").interfaces == Ids{kStopped});
  CHECK_THROWS_AS(model::resolve_endpoint(n, "i-0e15a0000000none"), InputError);
}

// ---- trace and the prover ------------------------------------------------------------------

TEST_CASE("a Network Load Balancer without groups receives every port, in trace and in reach",
          "[enis][groups]") {
  const auto& n = account();
  const auto w =
      trace::walk(n, trace::Start::internet(), packet("198.51.100.7", "3.80.0.11", model::kTcp, 9999));
  REQUIRE(w.disposition == model::Disposition::Delivered);
  CHECK(w.endpoint == kNlb);
  const auto r = reach(n, "internet", kNlb, model::kUdp, 5353);
  REQUIRE(r.verdict == Verdict::Reachable);
  CHECK(r.path == trace::walk(n, trace::Start::internet(), *r.packet).hops);
}

TEST_CASE("any other ENI without groups passes nothing", "[enis][groups]") {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.subnet("subnet-1", "vpc-1", "10.0.1.0/24");
  b.main_route_table("vpc-1").route("0.0.0.0/0", "igw-1");
  b.eni("eni-db", "subnet-1", {"10.0.1.10"}).public_ip("3.0.0.10").kind(InterfaceKind::Database);
  b.eni("eni-nlb", "subnet-1", {"10.0.1.11"}).public_ip("3.0.0.11").group_less_nlb();
  const auto n = b.build();
  const auto w =
      trace::walk(n, trace::Start::internet(), packet("198.51.100.7", "3.0.0.10", model::kTcp, 5432));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "ENI_SG_RULES_MISMATCH");
  const auto r = reach(n, "internet", "eni-db");
  CHECK(r.verdict == Verdict::Unreachable);
  CHECK(reach(n, "internet", "eni-nlb").verdict == Verdict::Reachable);
  CHECK(reach(n, "eni-nlb", "internet", model::kTcp, 443).verdict == Verdict::Reachable);
}

TEST_CASE("traffic to a pod address is delivered, and from it passes the source/dest check",
          "[enis][prefix]") {
  const auto& n = account();
  const auto in =
      trace::walk(n, trace::Start::interface(kLambda), packet("10.0.2.10", "10.0.2.70", model::kTcp, 443));
  REQUIRE(in.disposition == model::Disposition::Delivered);
  CHECK(in.endpoint == kNode);
  const auto out =
      trace::walk(n, trace::Start::interface(kNode), packet("10.0.2.70", "10.0.1.30", model::kTcp, 80));
  REQUIRE(out.disposition == model::Disposition::Delivered);
  CHECK(out.endpoint == kWeb);
  queries::HeaderSpace hs;
  hs.protocol = model::kTcp;
  hs.dst_ip = Ipv4Prefix::make(*parse_ipv4("10.0.2.70"), 32);
  queries::Prover prover(n);
  const auto r = prover.reach({model::resolve_endpoint(n, kLambda), model::resolve_endpoint(n, kNode), hs,
                               queries::Semantics::Packet, 0});
  REQUIRE(r.verdict == Verdict::Reachable);
  CHECK(r.packet->dst_ip == *parse_ipv4("10.0.2.70"));
}

TEST_CASE("an unattached ENI with an Elastic IP receives nothing: unreachable with ENI_NOT_ATTACHED",
          "[enis][inactive]") {
  const auto& n = account();
  const auto w =
      trace::walk(n, trace::Start::internet(), packet("198.51.100.7", "3.80.0.14", model::kTcp, 22));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "ENI_NOT_ATTACHED");
  CHECK(w.drop->at == kSpare);
  const auto r = reach(n, "internet", kSpare, model::kTcp, 22);
  REQUIRE(r.verdict == Verdict::Unreachable);
  CHECK(has_code(r, "ENI_NOT_ATTACHED"));
  CHECK(reach(n, "internet", "3.80.0.14").verdict == Verdict::Unreachable);
}

TEST_CASE("a stopped instance's ENI sends and receives nothing: INSTANCE_NOT_RUNNING", "[enis][inactive]") {
  const auto& n = account();
  const auto w =
      trace::walk(n, trace::Start::interface(kStopped), packet("10.0.1.21", "10.0.1.30", model::kTcp, 80));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "INSTANCE_NOT_RUNNING");
  const auto out = reach(n, "i-0e15a0000000stop1", "internet");
  REQUIRE(out.verdict == Verdict::Unreachable);
  CHECK(has_code(out, "INSTANCE_NOT_RUNNING"));
  const auto in = reach(n, "internet", kStopped, model::kTcp, 22);
  REQUIRE(in.verdict == Verdict::Unreachable);
  CHECK(has_code(in, "INSTANCE_NOT_RUNNING"));
}

TEST_CASE("a route to an inactive ENI delivers nothing, in trace and in the prover", "[enis][inactive]") {
  testing::NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.main_route_table("vpc-1").route("0.0.0.0/0", "igw-1");
  b.subnet("subnet-1", "vpc-1", "10.0.1.0/24");
  b.subnet("subnet-2", "vpc-1", "10.0.2.0/24").route_table("rtb-2");
  b.sg("sg-all", "vpc-1").ingress_all().egress_all();
  b.eni("eni-src", "subnet-2", {"10.0.2.10"}).groups({"sg-all"}).public_ip("3.0.0.10");
  b.eni("eni-fw", "subnet-1", {"10.0.1.10"})
      .groups({"sg-all"})
      .source_dest_check(false)
      .inactive("INSTANCE_NOT_RUNNING");
  b.route_table("rtb-2", "vpc-1").route("0.0.0.0/0", "eni-fw");
  const auto n = b.build();
  const auto w =
      trace::walk(n, trace::Start::interface("eni-src"), packet("10.0.2.10", "8.8.8.8", model::kTcp, 443));
  REQUIRE(w.drop);
  CHECK(w.drop->code == "INSTANCE_NOT_RUNNING");
  const auto r = reach(n, "eni-src", "internet");
  REQUIRE(r.verdict == Verdict::Unreachable);
  for (const auto& x : r.reasons) UNSCOPED_INFO(x.at << " " << x.step << " " << x.code << " " << x.detail);
  CHECK(reach(n, "eni-src", "10.0.1.10").verdict == Verdict::Unreachable);
  CHECK(has_code(r, "INSTANCE_NOT_RUNNING"));
}

// ---- exposure ------------------------------------------------------------------------------

TEST_CASE("exposure counts load balancers, databases and endpoints, with their kind", "[enis][exposure]") {
  const auto r = queries::exposure(account());
  REQUIRE(r.complete);
  const auto* alb = find(r, kAlb);
  REQUIRE(alb);
  CHECK(alb->kind == "load-balancer");
  REQUIRE(alb->exposed.size() == 1);
  CHECK(alb->exposed[0].protocol == "tcp");
  CHECK(alb->exposed[0].ports == std::vector<PortRange>{{443, 443}});
  const auto* nlb = find(r, kNlb);
  REQUIRE(nlb);
  REQUIRE(nlb->exposed.size() == 1);
  CHECK(nlb->exposed[0].protocol == "all");
  const auto* rds = find(r, kRds);
  REQUIRE(rds);
  CHECK(rds->kind == "database");
  CHECK(rds->owner == "orders-db (postgres)");
  REQUIRE(rds->exposed.size() == 1);
  CHECK(rds->exposed[0].ports == std::vector<PortRange>{{5432, 5432}});
  const auto* sftp = find(r, kSftp);
  REQUIRE(sftp);
  CHECK(sftp->kind == "vpc-endpoint");
  REQUIRE(sftp->exposed.size() == 1);
  CHECK(sftp->exposed[0].ports == std::vector<PortRange>{{22, 22}});
  for (const auto& id : {kSpare, kStopped, kGwlbe}) {
    const auto* x = find(r, id);
    CHECK((x == nullptr || x->exposed.empty()));
  }
}

TEST_CASE("exposure and reach agree on every ENI of the account snapshot", "[enis][exposure]") {
  const auto a = testing::check_exposure_agrees_with_reach(account());
  CHECK(a.enis == 9);
  CHECK(a.questions > 20);
  for (const auto& d : a.disagreements) FAIL_CHECK(d);
  CHECK(a.disagreements.empty());
}

// ---- the converter, from JSON ----------------------------------------------------------------

TEST_CASE("kinds, groups and prefixes from describe-network-interfaces JSON", "[enis][kind]") {
  aws::test::TempSnapshot t;
  t.write("vpc.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
      "Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"}],
      "SecurityGroups": [{"GroupId": "sg-x", "VpcId": "vpc-1"}]})");
  t.write("enis.json", R"({"NetworkInterfaces": [
      {"NetworkInterfaceId": "eni-gwlb", "SubnetId": "subnet-1", "VpcId": "vpc-1", "Status": "in-use",
       "InterfaceType": "gateway_load_balancer", "Description": "ELB gwy/fw/1", "PrivateIpAddress": "10.0.1.5"},
      {"NetworkInterfaceId": "eni-alb", "SubnetId": "subnet-1", "VpcId": "vpc-1", "Status": "in-use",
       "InterfaceType": "interface", "Description": "ELB app/b/1", "RequesterId": "amazon-elb",
       "PrivateIpAddress": "10.0.1.6"},
      {"NetworkInterfaceId": "eni-rds", "SubnetId": "subnet-1", "VpcId": "vpc-1", "Status": "in-use",
       "RequesterId": "amazon-rds", "RequesterManaged": true, "Groups": [{"GroupId": "sg-x"}],
       "PrivateIpAddress": "10.0.1.7"},
      {"NetworkInterfaceId": "eni-wide", "SubnetId": "subnet-1", "VpcId": "vpc-1", "Status": "in-use",
       "Attachment": {"InstanceId": "i-1", "Status": "attached", "DeviceIndex": 0},
       "Ipv4Prefixes": [{"Ipv4Prefix": "10.0.0.0/16"}], "PrivateIpAddress": "10.0.1.8"},
      {"NetworkInterfaceId": "eni-tgw", "SubnetId": "subnet-1", "VpcId": "vpc-1", "Status": "in-use",
       "InterfaceType": "transit_gateway", "PrivateIpAddress": "10.0.1.9"},
      {"NetworkInterfaceId": "eni-efs", "SubnetId": "subnet-1", "VpcId": "vpc-1", "Status": "in-use",
       "InterfaceType": "interface", "Description": "EFS mount target for fs-1", "RequesterManaged": true,
       "Groups": [{"GroupId": "sg-x"}], "Attachment": {"Status": "attached", "DeviceIndex": 1},
       "PrivateIpAddress": "10.0.1.10"}]})");
  t.write("lb.json", R"({"LoadBalancers": [{"LoadBalancerArn":
      "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/b/1", "LoadBalancerName": "b",
      "Type": "application", "Scheme": "internal", "VpcId": "vpc-1", "SecurityGroups": ["sg-x"]}]})");
  const auto n = t.network();
  const auto& gwlb = n.network_interfaces.at("eni-gwlb");
  CHECK(gwlb.kind == InterfaceKind::LoadBalancer);
  CHECK(gwlb.unfiltered);  // "You can't associate a security group with a Gateway Load Balancer."
  const auto& alb = n.network_interfaces.at("eni-alb");
  CHECK(alb.kind == InterfaceKind::LoadBalancer);
  CHECK(alb.owner == "b (application, internal)");
  CHECK(alb.security_group_ids == Ids{"sg-x"});  // the load balancer's groups, where the ENI lists none
  CHECK_FALSE(alb.unfiltered);
  CHECK(n.network_interfaces.at("eni-rds").kind == InterfaceKind::Database);
  const auto& wide = n.network_interfaces.at("eni-wide");
  CHECK(wide.private_ips.size() == 1);
  CHECK(std::any_of(n.diagnostics.items().begin(), n.diagnostics.items().end(), [](const Diagnostic& d) {
    return d.code == "delegated-prefix-too-wide" && d.resource == "eni-wide";
  }));
  CHECK(n.network_interfaces.at("eni-tgw").kind == InterfaceKind::TransitGateway);
  CHECK_FALSE(n.network_interfaces.at("eni-tgw").in_sets());
  const auto& efs = n.network_interfaces.at("eni-efs");
  CHECK(efs.kind == InterfaceKind::Other);
  CHECK(efs.in_sets());  // attached and in use: it can end a flow
  CHECK(model::resolve_endpoint(n, "vpc-1").interfaces ==
        Ids{"eni-alb", "eni-efs", "eni-gwlb", "eni-rds", "eni-wide"});
}
