// SPDX-License-Identifier: Apache-2.0
// RouteChoices: which sets of route choices leave no destination, and undoing them.
#include "graph/route_choices.h"

#include <catch2/catch.hpp>

namespace vpcprove {
namespace {

model::Route route(const char* cidr) {
  model::Route r;
  r.destination = *Ipv4Prefix::parse(cidr);
  return r;
}

// A spoke's table in decision order (longest prefix first): its local CIDR, the rest of 10/8 to
// its transit gateway, the default.
const std::vector<model::Route> kSpoke{route("10.1.0.0/16"), route("10.0.0.0/8"), route("0.0.0.0/0")};
// The TGW's table: each spoke's CIDR, then the default.
const std::vector<model::Route> kTgw{route("10.1.0.0/16"), route("10.2.0.0/16"), route("0.0.0.0/0")};

TEST_CASE("a TGW route into a spoke and that spoke's 10/8 route back leave no destination",
          "[graph][route_choices]") {
  graph::RouteChoices c;
  c.choose(kTgw, 0);  // dst in 10.1/16: into spoke 1
  CHECK_FALSE(c.empty());
  c.choose(kSpoke, 1);  // spoke 1 sends 10/8 minus its own 10.1/16 back: nothing is left
  CHECK(c.empty());
}

TEST_CASE("route choices that some destination makes together leave it", "[graph][route_choices]") {
  graph::RouteChoices c;
  c.choose(kSpoke, 1);  // 10/8 but not 10.1/16
  CHECK_FALSE(c.empty());
  c.choose(kTgw, 1);  // 10.2/16: 10.2.0.1 makes both choices
  CHECK_FALSE(c.empty());
  c.choose(kSpoke, 1);  // the same route of the same table again: still 10.2.0.1
  CHECK_FALSE(c.empty());
  c.choose(kTgw, 2);  // the default of the TGW table excludes 10.2/16: nothing
  CHECK(c.empty());
}

TEST_CASE("disjoint prefixes, and a route an earlier one shadows, leave nothing", "[graph][route_choices]") {
  graph::RouteChoices disjoint;
  disjoint.choose(kTgw, 0);
  disjoint.choose(kTgw, 1);
  CHECK(disjoint.empty());
  // Decision order puts a route behind another that holds all its addresses: never chosen.
  const std::vector<model::Route> shadowed{route("10.0.0.0/8"), route("10.0.0.0/8")};
  graph::RouteChoices never;
  never.choose(shadowed, 1);
  CHECK(never.empty());
  graph::RouteChoices first;
  first.choose(shadowed, 0);
  CHECK_FALSE(first.empty());
}

TEST_CASE("excluded prefixes that cover the required one only together are kept (sound, not complete)",
          "[graph][route_choices]") {
  // 10.0.0.0/8 minus its two halves is empty; RouteChoices does not see that and keeps the path
  // (the solver refutes it), which loses nothing.
  const std::vector<model::Route> halves{route("10.0.0.0/9"), route("10.128.0.0/9"), route("10.0.0.0/8")};
  graph::RouteChoices c;
  c.choose(halves, 2);
  CHECK_FALSE(c.empty());
}

TEST_CASE("restore undoes every choice made since the mark", "[graph][route_choices]") {
  graph::RouteChoices c;
  c.choose(kSpoke, 1);
  const auto m = c.mark();
  c.choose(kTgw, 0);
  REQUIRE(c.empty());
  c.restore(m);
  CHECK_FALSE(c.empty());
  c.choose(kTgw, 1);  // 10.2/16 is still possible after 10/8 minus 10.1/16
  CHECK_FALSE(c.empty());
}

}  // namespace
}  // namespace vpcprove
