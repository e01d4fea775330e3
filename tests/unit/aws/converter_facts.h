// SPDX-License-Identifier: Apache-2.0
// Converter facts stated once and checked on two fixtures each: the repository's own
// (tests/unit/aws/data, in make test) and Batfish's (the corpus tier), which hold the same
// shapes under other IDs and addresses.
#pragma once

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "aws/to_model.h"
#include "tests/unit/aws/temp_snapshot.h"

namespace vpcprove::aws::test {

/** A security-group fixture of twelve groups, one edge case each (Batfish's SecurityGroupTest
 *  order): what differs between fixtures is group 0's peer and ID, and group 8's egress peer. */
struct SecurityGroupEdgeFixture {
  std::string path;
  std::string peer0;         ///< "1.2.3.4/32"
  std::string label0;        ///< "sg-…/ingress/0"
  std::string egress_peer8;  ///< "5.6.7.8/32"
};

inline void check_security_group_edge_cases(const SecurityGroupEdgeFixture& f) {
  std::ifstream in(f.path);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  // A fixture may list one GroupId several times (Batfish's does; AWS never does): each group
  // is loaded as its own snapshot, indexed by its position in the file.
  const auto fixture = nlohmann::json::parse(text.str());
  std::vector<model::SecurityGroup> groups;
  std::vector<Diagnostics> diags;
  for (const auto& g : fixture["SecurityGroups"]) {
    TempSnapshot t;
    t.write("sg.json", nlohmann::json{{"SecurityGroups", nlohmann::json::array({g})}}.dump());
    auto n = t.network();
    groups.push_back(n.security_groups.begin()->second);
    diags.push_back(n.diagnostics);
  }
  REQUIRE(groups.size() == 12);
  // One rule per peer of each permission, IpRanges before Ipv6Ranges (AWS's order); the IPv4
  // rule of each group comes first.
  std::size_t gi = 0;
  for (const auto& g : fixture["SecurityGroups"]) {
    std::size_t peers = 0;
    for (const auto& perm : g["IpPermissions"]) {
      for (const char* key : {"IpRanges", "Ipv6Ranges", "UserIdGroupPairs", "PrefixListIds"})
        peers += perm.contains(key) ? perm[key].size() : 0;
    }
    INFO("group #" << gi);
    CHECK(groups[gi].ingress.size() == peers);
    if (peers == 2 && !g["IpPermissions"][0].value("Ipv6Ranges", nlohmann::json::array()).empty()) {
      // The ::/0 range: a rule of its own, for IPv6 packets only, with the same L4 match.
      const auto& v4 = groups[gi].ingress[0];
      const auto& v6 = groups[gi].ingress[1];
      CHECK(v6.peer == "::/0");
      CHECK(v6.peer_prefixes.empty());
      CHECK(v6.peer_prefixes6 == std::vector<Ipv6Prefix>{*Ipv6Prefix::parse("::/0")});
      CHECK(v6.l4.protocol == v4.l4.protocol);
      CHECK(v6.l4.icmp_type == v4.l4.icmp_type);
      CHECK(v6.l4.icmp_code == v4.l4.icmp_code);
      CHECK(v6.l4.matches_nothing == v4.l4.matches_nothing);
      CHECK(v4.peer_prefixes6.empty());
    }
    ++gi;
  }
  auto in0 = [&](std::size_t i) -> const model::SgRule& {
    INFO("group #" << i);
    REQUIRE_FALSE(groups[i].ingress.empty());
    return groups[i].ingress[0];
  };
  const auto cidr = [](const std::string& t) { return *Ipv4Prefix::parse(t); };
  CHECK(in0(0).l4.protocol == model::kTcp);
  CHECK(in0(0).l4.ports == PortRange{22, 22});
  CHECK(in0(0).peer == f.peer0);
  CHECK(in0(0).peer_prefixes == std::vector<Ipv4Prefix>{cidr(f.peer0)});
  CHECK(in0(0).label() == f.label0);
  CHECK(in0(1).l4.ports == PortRange{0, 22});
  CHECK(in0(2).l4.ports == PortRange{65530, 65535});
  CHECK(in0(3).l4.ports.is_all());
  CHECK(in0(4).l4.protocol == model::kAnyProtocol);
  CHECK(in0(4).peer_prefixes == std::vector<Ipv4Prefix>{cidr("0.0.0.0/0")});
  CHECK(in0(5).l4.ports == PortRange{45, 50});
  CHECK(in0(6).l4.ports == PortRange{0, 50});      // FromPort -1, ToPort 50
  CHECK(in0(7).l4.ports == PortRange{30, 65535});  // FromPort 30, ToPort -1
  CHECK(in0(8).l4.ports == PortRange{22, 22});
  REQUIRE(groups[8].egress.size() == 1);
  CHECK(groups[8].egress[0].l4.ports == PortRange{80, 80});
  CHECK(groups[8].egress[0].peer_prefixes == std::vector<Ipv4Prefix>{cidr(f.egress_peer8)});
  CHECK(in0(9).l4.protocol == model::kIcmp);
  CHECK(in0(9).l4.icmp_type == 8);
  CHECK(in0(9).l4.icmp_code == -1);
  CHECK(in0(10).l4.icmp_type == 8);
  CHECK(in0(10).l4.icmp_code == 9);
  CHECK_FALSE(in0(10).l4.matches_nothing);
  CHECK(in0(11).l4.matches_nothing);
  CHECK(with_code(diags[11], "invalid-rule").size() == 1);
  CHECK(with_code(diags[10], "invalid-rule").empty());
}

/** A default ACL that allows all traffic out and denies only tcp 3306 from deny_cidr in
 *  (Batfish's NetworkAclTest shape). */
inline void check_default_nacl_with_one_deny(const model::NetworkAcl& acl, const std::string& deny_cidr) {
  CHECK(acl.is_default);
  REQUIRE(acl.egress.size() == 1);
  CHECK(acl.egress[0].allow);
  CHECK(acl.egress[0].l4.protocol == model::kAnyProtocol);
  CHECK(acl.egress[0].cidr == *Ipv4Prefix::parse("0.0.0.0/0"));
  REQUIRE(acl.ingress.size() == 1);
  CHECK_FALSE(acl.ingress[0].allow);
  CHECK(acl.ingress[0].l4.protocol == model::kTcp);
  CHECK(acl.ingress[0].l4.ports == PortRange{3306, 3306});
  CHECK(acl.ingress[0].cidr == *Ipv4Prefix::parse(deny_cidr));
}

/** An ACL whose two egress entries are ICMP any/any and, at rule 200, type 0 code 1. */
inline void check_nacl_icmp_egress(const model::NetworkAcl& acl) {
  REQUIRE(acl.egress.size() == 2);
  CHECK(acl.egress[0].l4.protocol == model::kIcmp);
  CHECK(acl.egress[0].l4.icmp_type == -1);
  CHECK(acl.egress[0].l4.icmp_code == -1);
  CHECK(acl.egress[1].rule_number == 200);
  CHECK(acl.egress[1].l4.icmp_type == 0);
  CHECK(acl.egress[1].l4.icmp_code == 1);
}

}  // namespace vpcprove::aws::test
