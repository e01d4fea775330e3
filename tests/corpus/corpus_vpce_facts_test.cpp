// SPDX-License-Identifier: Apache-2.0
// EXPECTED.md's VPC-endpoint facts (2.13 test-vpc-endpoint-gateway, 2.14
// test-vpc-endpoint-interface), replayed by trace and reach; the repository's own fixture of the
// same shapes is tests/vpce (in `make test`).
//
// Batfish's node names map to vpcprove hops as in corpus_facts_test.cpp. Its gateway endpoint
// node `vpce-…` is the hop `vpce` at the endpoint and the disposition gateway-endpoint (handed to
// the service; Batfish's flows end there, ACCEPTED / EXITS_NETWORK); its reverse flow
// "vpce, vpc, subnet, instance" is the reply of trace::walk_session. Its interface endpoint node
// `<vpce-id>-<subnet-id>` is the endpoint's ENI (kind vpc-endpoint). `__aws-services-gateway__`
// past the internet gateway is exits-internet.
#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/corpus/corpus_fixture.h"
#include "trace/trace.h"

using vpcprove::model::Disposition;
using vpcprove::model::Walk;
using namespace vpcprove::testing;
namespace model = vpcprove::model;
namespace trace = vpcprove::trace;

namespace {

const char* const kGateway = "batfish/aws/test-vpc-endpoint-gateway/aws_configs";
const char* const kInterface = "batfish/aws/test-vpc-endpoint-interface/aws_configs";

const char* const kPublicEni = "eni-05a3a36428edb2766";   // i-0464d440ca0ee9e34, 10.1.1.169
const char* const kPrivateEni = "eni-07c757c9635932972";  // i-01c6c0647fdccc89e, 10.1.101.36
const char* const kEndpoint = "vpce-0b7357542bb7b83ec";
const char* const kEndpointEni = "eni-0084b734451ba23ca";  // vpce-083c683a6be29b889's, 10.1.101.97

/** trace_flow's packet, with its reply (Batfish's testBidirectionalTrace). */
trace::SessionWalk bidirectional(const model::Network& n, const std::string& from, const Flow& flow) {
  const Walk w = trace_flow(n, from, flow);
  return trace::walk_session(n, trace::Start::interface(model::resolve_endpoint(n, from).interfaces.front()),
                             w.initial);
}

}  // namespace

TEST_CASE("2.13 the S3 gateway endpoint and its prefix list are read", "[corpus][vpce]") {
  const auto& net = corpus_network(kGateway);
  REQUIRE(net.gateway_endpoints.count(kEndpoint));
  const auto& e = net.gateway_endpoints.at(kEndpoint);
  CHECK(e.service_name == "com.amazonaws.us-east-1.s3");
  CHECK(e.prefix_list_id == "pl-63a5400a");
  CHECK(e.service_cidrs.size() == 4);
  CHECK_FALSE(net.opaque_gateways.count(kEndpoint));
}

TEST_CASE("2.13.1 the private instance reaches S3 through the endpoint, and S3's reply comes back",
          "[corpus][vpce]") {
  const auto& net = corpus_network(kGateway);
  const auto s = bidirectional(net, "i-01c6c0647fdccc89e", {"52.216.237.77", 6, 443});
  REQUIRE(s.forward.disposition == Disposition::GatewayEndpoint);
  CHECK(s.forward.endpoint == kEndpoint);
  CHECK(visits_in_order(hop_ids(s.forward),
                        {kPrivateEni, "rtb-04f71fc2caa8d94cf", "subnet-01e5f0945f6d6f47c", kEndpoint}));
  REQUIRE(s.reply.has_value());
  CHECK(s.established);
  CHECK(visits_in_order(hop_ids(*s.reply), {kEndpoint, "subnet-01e5f0945f6d6f47c", kPrivateEni}));
  require_reach_agrees(net, "i-01c6c0647fdccc89e", s.forward);
}

TEST_CASE("2.13.2 the public instance reaches S3 through the endpoint: the prefix list beats 0.0.0.0/0",
          "[corpus][vpce]") {
  const auto& net = corpus_network(kGateway);
  const auto s = bidirectional(net, "i-0464d440ca0ee9e34", {"52.216.237.77", 6, 443});
  REQUIRE(s.forward.disposition == Disposition::GatewayEndpoint);
  CHECK(s.forward.endpoint == kEndpoint);
  CHECK(visits_in_order(hop_ids(s.forward),
                        {kPublicEni, "rtb-0efde4139784b75b0", "subnet-04391f04b912d0a73", kEndpoint}));
  CHECK(s.established);
  CHECK(visits_in_order(hop_ids(*s.reply), {kEndpoint, "subnet-04391f04b912d0a73", kPublicEni}));
  require_reach_agrees(net, "i-0464d440ca0ee9e34", s.forward);
}

TEST_CASE("2.13.3 another AWS service's prefix has no route from the private subnet", "[corpus][vpce]") {
  const auto& net = corpus_network(kGateway);
  const Walk w = trace_flow(net, "i-01c6c0647fdccc89e", {"54.222.57.1", 6, 443});
  REQUIRE(w.disposition == Disposition::Dropped);
  CHECK(w.drop->code == "NO_ROUTE_TO_DESTINATION");
  CHECK(w.drop->at == "rtb-04f71fc2caa8d94cf");  // Batfish: NO_ROUTE at the private subnet
  require_reach_agrees(net, "i-01c6c0647fdccc89e", w);
}

TEST_CASE("2.13.4 the public instance reaches another AWS service's prefix through the internet gateway",
          "[corpus][vpce]") {
  const auto& net = corpus_network(kGateway);
  const auto s = bidirectional(net, "i-0464d440ca0ee9e34", {"54.222.57.1", 6, 443});
  REQUIRE(s.forward.disposition == Disposition::ExitsInternet);
  CHECK(visits_in_order(hop_ids(s.forward), {kPublicEni, "rtb-0efde4139784b75b0", "subnet-04391f04b912d0a73",
                                             "igw-0c8afe4471084ccba"}));
  CHECK(s.established);
  CHECK(
      visits_in_order(hop_ids(*s.reply), {"igw-0c8afe4471084ccba", "subnet-04391f04b912d0a73", kPublicEni}));
  require_reach_agrees(net, "i-0464d440ca0ee9e34", s.forward);
}

TEST_CASE("2.14.1 an instance reaches the interface endpoint in its own subnet, both ways",
          "[corpus][vpce]") {
  const auto& net = corpus_network(kInterface);
  REQUIRE(net.network_interfaces.at(kEndpointEni).kind == model::InterfaceKind::VpcEndpoint);
  const auto s = bidirectional(net, "i-0a0fbd0cfa774970f", {"10.1.101.97", 6, 443});
  REQUIRE(s.forward.disposition == Disposition::Delivered);
  CHECK(s.forward.endpoint == kEndpointEni);
  // Same subnet: straight to the endpoint's ENI, no NACL (Batfish: i-0a0f, then the endpoint's node).
  CHECK(hop_ids(s.forward).front() == "eni-049c6a0839a3348e8");
  CHECK(std::none_of(s.forward.hops.begin(), s.forward.hops.end(), [](const model::Hop& h) {
    return h.step == "nacl-egress" || h.step == "nacl-ingress";
  }));
  CHECK(s.established);
  require_reach_agrees(net, "i-0a0fbd0cfa774970f", s.forward);
}

TEST_CASE("2.14.2 an instance of the other subnet reaches the interface endpoint, both ways",
          "[corpus][vpce]") {
  const auto& net = corpus_network(kInterface);
  const auto s = bidirectional(net, "i-0eb6eb395a0d09117", {"10.1.101.97", 6, 443});
  REQUIRE(s.forward.disposition == Disposition::Delivered);
  CHECK(s.forward.endpoint == kEndpointEni);
  CHECK(visits_in_order(hop_ids(s.forward), {"eni-03ffdf7beb0ee9a00", "subnet-0611b848137c513d1",
                                             "subnet-0bb8615d8368ece31", kEndpointEni}));
  CHECK(s.established);
  require_reach_agrees(net, "i-0eb6eb395a0d09117", s.forward);
}
