// SPDX-License-Identifier: Apache-2.0
// The network the graph's tests share.
#pragma once

#include "model/network.h"
#include "tests/support/network_builder.h"

namespace vpcprove::testing {

/** Three tiers with one open group: eni-web (public IP) leaves by igw-1, eni-app by nat-1 in
 *  subnet-pub and then igw-1, eni-db (subnet-db, the main table's local route) not at all. */
inline model::Network open_three_tier() {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1");
  b.route_table("rtb-app", "vpc-1").route("0.0.0.0/0", "nat-1");
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub");
  b.subnet("subnet-app", "vpc-1", "10.0.2.0/24").route_table("rtb-app");
  b.subnet("subnet-db", "vpc-1", "10.0.3.0/24");
  b.nat("nat-1", "subnet-pub", "10.0.1.10", "3.3.3.3");
  b.sg("sg-1", "vpc-1").ingress_all().egress_all();
  b.eni("eni-web", "subnet-pub", {"10.0.1.20"}).public_ip("54.0.0.20").groups({"sg-1"});
  b.eni("eni-app", "subnet-app", {"10.0.2.30"}).groups({"sg-1"});
  b.eni("eni-db", "subnet-db", {"10.0.3.40"}).groups({"sg-1"});
  return b.build();
}

}  // namespace vpcprove::testing
