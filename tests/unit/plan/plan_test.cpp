// SPDX-License-Identifier: Apache-2.0
// Terraform plans read as snapshots (aws/terraform_plan.h): the answers each plan's estate gives,
// stated, and the same answers from a plan, the plan over the snapshot before, and the snapshot after.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "aws/snapshot_loader.h"
#include "aws/terraform_plan.h"
#include "aws/to_model.h"
#include "model/endpoint.h"
#include "queries/diff.h"
#include "queries/exposure.h"
#include "queries/plan_unknowns.h"
#include "queries/reach.h"

namespace vpcprove {
namespace {

const std::string kData = VPCPROVE_PLAN_DATA;

model::Network load(const std::string& name) { return aws::to_model(aws::load_snapshot(kData + "/" + name)); }

model::Network load_with_plan(const std::string& snapshot, const std::string& plan) {
  auto s = aws::load_snapshot(kData + "/" + snapshot);
  aws::apply_plan(s, kData + "/" + plan);
  return aws::to_model(s);
}

queries::HeaderSpace tcp(std::uint16_t port) {
  queries::HeaderSpace h;
  h.protocol = model::kTcp;
  h.dst_ports = PortRange{port, port};
  return h;
}

queries::HeaderSpace any() { return {}; }

std::string answer(const model::Network& n, const std::string& from, const std::string& to,
                   const queries::HeaderSpace& h) {
  auto r = queries::reach(n, from, to, h);
  queries::mark_plan_unknowns(n, r);
  return queries::to_string(r.verdict);
}

/** ENI -> "tcp 22,443; udp …" as exposure lists it. */
std::map<std::string, std::string> exposure_of(const model::Network& n) {
  std::map<std::string, std::string> out;
  for (const auto& e : queries::exposure(n).enis) {
    std::string s;
    for (const auto& x : e.exposed) {
      s += (s.empty() ? "" : "; ") + x.protocol;
      for (const auto& p : x.ports) s += ' ' + p.to_string();
    }
    if (!s.empty()) out[e.eni] = s;
  }
  return out;
}

struct Question {
  std::string from;
  std::string to;
  queries::HeaderSpace header;
  std::string expected;
};

TEST_CASE("a Terraform plan is recognised as a snapshot by its format_version and planned_values") {
  CHECK(aws::is_terraform_plan(kData + "/ssh-rule.plan.json"));
  CHECK_FALSE(aws::is_terraform_plan(kData + "/estate-before.json"));
  CHECK_FALSE(aws::is_terraform_plan(kData));
}

TEST_CASE("ssh-rule plan: the plan alone, the plan over the snapshot before, and the snapshot after agree") {
  const auto plan = load("ssh-rule.plan.json");
  const auto applied = load_with_plan("estate-before.json", "ssh-rule.plan.json");
  const auto after = load("estate-ssh-opened.json");
  const std::vector<Question> questions{
      {"internet", "eni-0web", tcp(22), "reachable"},                   // the new rule
      {"internet", "eni-0web", tcp(443), "reachable"},                  // as before
      {"internet", "eni-0web", tcp(80), "unreachable"},                 // nothing opens 80
      {"internet", "eni-0db", tcp(5432), "unreachable"},                // private subnet, no public IP
      {"eni-0web", "eni-0db", tcp(5432), "reachable"},                  // the db group admits the web group
      {"eni-0db", "eni-0web", tcp(22), "reachable"},                    // the new rule admits the VPC too
      {"eni-0db", "internet", any(), "unreachable"},                    // the main route table is local only
      {"eni-0web", "internet", tcp(443), "reachable"},                  // public subnet, egress all
      {"aws_instance.web", "aws_instance.db", tcp(5432), "reachable"},  // Terraform addresses name them
  };
  for (const auto& q : questions) {
    INFO(q.from << " -> " << q.to);
    if (q.from.rfind("aws_", 0) != 0) {
      CHECK(answer(after, q.from, q.to, q.header) == q.expected);
      CHECK(answer(applied, q.from, q.to, q.header) == q.expected);
    }
    CHECK(answer(plan, q.from, q.to, q.header) == q.expected);
  }
  const std::map<std::string, std::string> exposed{{"eni-0web", "tcp 22 443"}};
  CHECK(exposure_of(after) == exposed);
  CHECK(exposure_of(plan) == exposed);
  CHECK(exposure_of(applied) == exposed);
  // The new rule's ID is unknown until apply, but it decides nothing.
  CHECK(queries::deciding_unknowns(plan).empty());
  CHECK(plan.terraform_addresses.at("i-0web") == "aws_instance.web");
}

TEST_CASE("ssh-rule plan: diff of the snapshot before and the plan over it is diff of before and after") {
  const auto before = load("estate-before.json");
  const auto applied = load_with_plan("estate-before.json", "ssh-rule.plan.json");
  const auto after = load("estate-ssh-opened.json");
  queries::DiffOptions o;
  o.from = "internet";
  o.to = "eni-0web";
  const auto a = queries::diff(before, applied, o);
  const auto b = queries::diff(before, after, o);
  REQUIRE(a.opened.size() == 1);
  CHECK(a.opened[0].eni == "eni-0web");
  CHECK(a.opened[0].ports == std::vector<PortRange>{{22, 22}});
  CHECK(b.opened.size() == 1);
  CHECK(a.added.size() == b.added.size());
  CHECK(a.closed.empty());
  CHECK(queries::diff_exit_code(a) == 1);
  CHECK(queries::diff_exit_code(queries::diff(applied, after, o)) == 0);
}

TEST_CASE("new-tier plan: a module's VPC, count instances and groups, every ID unknown until apply") {
  const auto n = load("new-tier.plan.json");
  // The module's outputs and count.index resolve each instance to its own subnet.
  const auto& app0 = n.network_interfaces.at("aws_instance.app[0].primary_network_interface_id");
  const auto& app1 = n.network_interfaces.at("aws_instance.app[1].primary_network_interface_id");
  CHECK(app0.subnet_id == "module.net.aws_subnet.private[0]");
  CHECK(app1.subnet_id == "module.net.aws_subnet.private[1]");
  CHECK(app0.security_group_ids == std::vector<model::Id>{"aws_security_group.app"});
  CHECK(n.subnets.at("module.net.aws_subnet.public").route_table_id == "module.net.aws_route_table.public");
  CHECK(n.subnets.at("module.net.aws_subnet.private[0]").route_table_id ==
        "module.net.aws_vpc.this.default_route_table_id");
  const std::vector<Question> questions{
      {"internet", "aws_instance.web", tcp(443), "reachable"},  // public subnet, IP assigned at apply
      {"internet", "aws_instance.web", tcp(22), "unreachable"},
      {"internet", "aws_instance.app[0]", any(), "unreachable"},  // private subnets
      {"aws_instance.web", "aws_instance.app[1]", tcp(9000),
       "reachable"},  // the separate rule from the lb group
      {"aws_instance.web", "aws_instance.app[0]", tcp(8080), "reachable"},  // the inline rule for the VPC
      {"aws_instance.web", "aws_instance.app[0]", tcp(9001), "unreachable"},
      {"aws_instance.app[0]", "internet", any(), "unreachable"},  // the main route table: local only
      {"aws_instance.app[0]", "aws_instance.app[1]", tcp(8080), "reachable"},
  };
  for (const auto& q : questions) {
    INFO(q.from << " -> " << q.to);
    CHECK(answer(n, q.from, q.to, q.header) == q.expected);
  }
  const std::map<std::string, std::string> exposed{
      {"aws_instance.web.primary_network_interface_id", "tcp 443"}};
  CHECK(exposure_of(n) == exposed);
  // Private addresses are placeholders, but no rule or route splits their subnets.
  CHECK(queries::deciding_unknowns(n).empty());
  CHECK_FALSE(n.unknown_until_apply.empty());
}

TEST_CASE(
    "changes plan over the snapshot: an update, a delete, a replacement, and a value unknown until apply") {
  const auto n = load_with_plan("estate-before.json", "changes.plan.json");
  CHECK(n.network_interfaces.count("eni-0db") == 0);  // the db instance is deleted
  CHECK(n.route_tables.count("rtb-0pub") == 0);       // replaced by a table whose ID is unknown
  CHECK(n.subnets.at("subnet-0pub").route_table_id == "aws_route_table.public");
  const std::vector<Question> questions{
      {"internet", "eni-0web", tcp(80), "reachable"},  // the in-place update, through the new table
      {"internet", "eni-0web", tcp(443), "reachable"},
      // The bastion rule's source is an Elastic IP allocated at apply: the answer is unknown.
      {"internet", "eni-0web", tcp(22), "unknown"},
  };
  for (const auto& q : questions) {
    INFO(q.from << " -> " << q.to);
    CHECK(answer(n, q.from, q.to, q.header) == q.expected);
  }
  auto r = queries::reach(n, "internet", "eni-0web", tcp(22));
  REQUIRE(queries::mark_plan_unknowns(n, r));
  CHECK(r.unknown_reason.find("aws_security_group_rule.bastion.cidr_blocks") != std::string::npos);
  const auto d = queries::diff(load("estate-before.json"), n, {});
  REQUIRE(d.opened.size() == 1);
  CHECK(d.opened[0].ports == std::vector<PortRange>{{80, 80}});
  CHECK_FALSE(d.complete);
  CHECK(queries::diff_exit_code(d) == 1);
}

TEST_CASE("resource types vpcprove does not read are one warning naming them") {
  const auto n = load("new-tier.plan.json");
  bool unresolved = false;
  std::string unsupported;
  for (const auto& d : n.diagnostics.items()) {
    unresolved = unresolved || d.code == "plan-unresolved-reference";
    if (d.code == "plan-unsupported-type") unsupported = d.message;
  }
  CHECK_FALSE(unresolved);  // every reference of this plan resolves to one instance
  CHECK(unsupported.find("aws_s3_bucket") != std::string::npos);
}

TEST_CASE("deletes plan: a deleted route and a replaced NACL rule leave the estate as apply would") {
  const auto before = load("estate-before.json");
  const auto applied = load_with_plan("estate-before.json", "deletes.plan.json");
  const std::vector<Question> questions{
      // aws_route.default is deleted: rtb-0pub keeps its local route only (the table's computed
      // route list in planned_values still shows it, as Terraform reads every route).
      {"eni-0web", "internet", tcp(443), "unreachable"},
      // aws_network_acl_rule.inbound, replaced: rule 100 admits tcp 5432 from the VPC only.
      {"eni-0web", "eni-0db", tcp(5432), "reachable"},
      {"eni-0db", "eni-0web", tcp(443), "unreachable"},
      {"internet", "eni-0web", tcp(443), "unreachable"},
  };
  for (const auto& q : questions) {
    INFO(q.from << " -> " << q.to);
    CHECK(answer(applied, q.from, q.to, q.header) == q.expected);
  }
  // Before the plan these were reachable: the plan made the change.
  CHECK(answer(before, "eni-0web", "internet", tcp(443)) == "reachable");
  CHECK(answer(before, "eni-0db", "eni-0web", tcp(443)) == "reachable");
  CHECK(answer(before, "internet", "eni-0web", tcp(443)) == "reachable");
  bool warned = false;
  for (const auto& d : applied.diagnostics.items()) warned = warned || d.code.rfind("plan-deleted", 0) == 0;
  CHECK_FALSE(warned);
}

TEST_CASE("unassociate plan: a deleted route table association puts the subnet on the main table") {
  const auto applied = load_with_plan("estate-before.json", "unassociate.plan.json");
  // The main table routes the VPC only: nothing leaves, and a reply to the internet has no way
  // back, while the first packet in still arrives (the internet gateway's side needs no route).
  CHECK(answer(applied, "eni-0web", "internet", tcp(443)) == "unreachable");
  CHECK(answer(applied, "internet", "eni-0web", tcp(443)) == "reachable");
  auto h = tcp(443);
  const auto session = queries::reach(applied, "internet", "eni-0web", h, queries::Semantics::Session);
  CHECK(session.verdict == queries::Verdict::Unreachable);
}

}  // namespace
}  // namespace vpcprove
