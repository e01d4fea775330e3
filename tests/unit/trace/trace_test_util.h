// SPDX-License-Identifier: Apache-2.0
// Helpers for the trace tests: a three-tier network and readable walk summaries.
#pragma once

#include <string>
#include <vector>

#include "model/describe.h"
#include "model/walk.h"
#include "tests/support/network_builder.h"
#include "trace/trace.h"

namespace vpcprove::trace::test {

using testing::ip;
using testing::NetworkBuilder;
using testing::packet;

/**
 * The primer's shape: vpc-1 10.0.0.0/16 with igw-1; subnet-pub 10.0.1.0/24 (rtb-pub: 0/0 ->
 * igw-1) holding eni-web 10.0.1.20 (public 54.0.0.20), eni-web2 10.0.1.21 (public 54.0.0.21)
 * and nat-1 10.0.1.10 (public 3.3.3.3); subnet-app 10.0.2.0/24 (rtb-app: 0/0 -> nat-1)
 * holding eni-app 10.0.2.30 and eni-app2 10.0.2.31; subnet-db 10.0.3.0/24 (main table, local
 * only) holding eni-db 10.0.3.40. sg-web: in tcp 443 and 80 from anywhere, tcp 22 from
 * 203.0.113.0/24, out all; sg-app: in tcp 8080 from sg-web, out all; sg-db: in tcp 5432 from
 * sg-app, out all.
 */
inline NetworkBuilder three_tier() {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw("igw-1", "vpc-1");
  b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1");
  b.route_table("rtb-app", "vpc-1").route("0.0.0.0/0", "nat-1");
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table("rtb-pub");
  b.subnet("subnet-app", "vpc-1", "10.0.2.0/24").route_table("rtb-app");
  b.subnet("subnet-db", "vpc-1", "10.0.3.0/24");
  b.nat("nat-1", "subnet-pub", "10.0.1.10", "3.3.3.3");
  b.eni("eni-web", "subnet-pub", {"10.0.1.20"}).public_ip("54.0.0.20").groups({"sg-web"});
  b.eni("eni-web2", "subnet-pub", {"10.0.1.21"}).public_ip("54.0.0.21").groups({"sg-web"});
  b.eni("eni-app", "subnet-app", {"10.0.2.30"}).groups({"sg-app"});
  b.eni("eni-app2", "subnet-app", {"10.0.2.31"}).groups({"sg-app"});
  b.eni("eni-db", "subnet-db", {"10.0.3.40"}).groups({"sg-db"});
  b.sg("sg-web", "vpc-1")
      .ingress_tcp(443, "0.0.0.0/0")
      .ingress_tcp(80, "0.0.0.0/0")
      .ingress_tcp(22, "203.0.113.0/24")
      .egress_all();
  b.sg("sg-app", "vpc-1").ingress_tcp(8080, "sg-web").egress_all();
  b.sg("sg-db", "vpc-1").ingress_tcp(5432, "sg-app").egress_all();
  return b;
}

/** "at step" of every hop, for comparing paths. */
inline std::vector<std::string> steps(const model::Walk& w) {
  std::vector<std::string> out;
  for (const auto& h : w.hops) out.push_back(h.at + ' ' + h.step);
  return out;
}

/** The whole walk as text, for failure messages (INFO). */
inline std::string show(const model::Walk& w) {
  std::string s = std::string(model::to_string(w.disposition)) + ' ' + w.endpoint + '\n';
  for (const auto& h : w.hops)
    s += "  " + h.at + "  " + h.step + "  " + h.by + "  [" + model::describe(h.packet) + "]\n";
  if (w.drop)
    s += "  drop: " + w.drop->at + ' ' + w.drop->step + ' ' + w.drop->code + ": " + w.drop->detail + '\n';
  return s;
}

/** The first hop with this step, or nullptr. */
inline const model::Hop* find_hop(const model::Walk& w, const std::string& step) {
  for (const auto& h : w.hops) {
    if (h.step == step) return &h;
  }
  return nullptr;
}

inline model::Walk from_eni(const model::Network& n, const std::string& eni, const model::Packet& p) {
  return walk(n, Start::interface(eni), p);
}

}  // namespace vpcprove::trace::test
