// SPDX-License-Identifier: Apache-2.0
// reach --explain's `aws ...` suggestions are pasted into shells: an ID from the snapshot that
// holds quotes, $( ), backticks, ; or a newline must reach aws as one argument and run nothing.
// Each suggestion is run by /bin/sh with `aws` a shell function that prints its arguments.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "model/endpoint.h"
#include "queries/explain.h"
#include "queries/reach.h"
#include "tests/limits/subprocess.h"
#include "tests/support/network_builder.h"

namespace vpcprove::queries {
namespace {

using testing::NetworkBuilder;
using testing::tcp;

/** A file the hostile IDs try to create in four ways; it must never exist. */
const std::filesystem::path& marker() {
  static const std::filesystem::path p =
      std::filesystem::temp_directory_path() / ("vpcprove-aws-cli-pwned-" + std::to_string(::getpid()));
  return p;
}

/** What follows each ID's AWS prefix: a quote that closes, $( ), backticks, ;, a newline, a glob. */
std::string evil() {
  const std::string m = marker().string();
  return "-EVIL'; touch " + m + "; echo '$(touch " + m + ")`touch " + m + "`\n\"*\" ${HOME} \\";
}

/** The arguments `cmd` passes to aws when /bin/sh runs it. */
std::vector<std::string> aws_arguments(const std::string& cmd) {
  // allocate-address answers inside $( ) with an ID; every other call prints its arguments.
  const std::string script =
      "aws() { if [ \"$2\" = allocate-address ]; then echo eipalloc-1; else printf '%s\\0' \"$@\"; fi; }\n" +
      cmd + "\n";
  const auto r = testing::run_process({"/bin/sh", "-c", script});
  INFO("sh said: " << r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> args;
  std::string cur;
  for (const char c : r.out) {
    if (c == '\0') {
      args.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return args;
}

/** The value aws receives after flag, "" when the flag is absent. */
std::string after(const std::vector<std::string>& args, const std::string& flag) {
  const auto it = std::find(args.begin(), args.end(), flag);
  return it == args.end() || it + 1 == args.end() ? "" : *(it + 1);
}

ReachQuery query(const model::Network& n, const std::string& from, const std::string& to,
                 std::uint16_t port) {
  HeaderSpace hs;
  hs.protocol = model::kTcp;
  hs.dst_ports = PortRange{port, port};
  return {model::resolve_endpoint(n, from), model::resolve_endpoint(n, to), hs, Semantics::Packet, 0};
}

/** The explain tests' network with every ID a suggestion can name made hostile. */
struct Ids {
  std::string sg = "sg-web" + evil(), acl = "acl-pub" + evil(), rtb = "rtb-pub" + evil(),
              igw = "igw-1" + evil(), eni = "eni-web" + evil(), fw = "eni-fw" + evil();
};

NetworkBuilder hostile(const Ids& id) {
  NetworkBuilder b;
  b.vpc("vpc-1", "10.0.0.0/16");
  b.igw(id.igw, "vpc-1");
  b.route_table(id.rtb, "vpc-1").route("0.0.0.0/0", id.igw);
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table(id.rtb);
  b.eni(id.eni, "subnet-pub", {"10.0.1.20"}).public_ip("54.0.0.20").groups({id.sg});
  b.sg(id.sg, "vpc-1").ingress_tcp(443, "0.0.0.0/0").egress_all();
  b.sg("sg-all", "vpc-1").ingress_all().egress_all();
  return b;
}

/** Every suggestion of e, run: no marker, and each argument holding hostile text holds all of it. */
std::vector<std::vector<std::string>> run_all(const Explanation& e) {
  REQUIRE(e.found);
  std::vector<std::vector<std::string>> out;
  for (const auto& f : e.fixes) {
    INFO("suggestion: " << f.aws_cli);
    out.push_back(aws_arguments(f.aws_cli));
    CHECK_FALSE(std::filesystem::exists(marker()));
    for (const auto& a : out.back()) {
      if (a.find("EVIL") != std::string::npos) CHECK(a.find(evil()) != std::string::npos);
    }
  }
  return out;
}

const Fix& only(const Explanation& e, Fix::Kind kind) {
  const auto it = std::find_if(e.fixes.begin(), e.fixes.end(), [&](const Fix& f) { return f.kind == kind; });
  REQUIRE(it != e.fixes.end());
  return *it;
}

TEST_CASE("a hostile security-group ID reaches aws as one inert word", "[explain][hostile]") {
  const Ids id;
  const auto n = hostile(id).build();
  const auto e = explain_unreachable(n, query(n, "internet", id.eni, 22));
  run_all(e);
  const auto args = aws_arguments(only(e, Fix::Kind::AuthorizeSecurityGroup).aws_cli);
  CHECK(after(args, "--group-id") == id.sg);
  CHECK(after(args, "--cidr") == "0.0.0.0/0");
}

TEST_CASE("a hostile network ACL ID reaches aws as one inert word", "[explain][hostile]") {
  const Ids id;
  auto b = hostile(id);
  b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24").route_table(id.rtb).nacl(id.acl);
  b.nacl(id.acl, "vpc-1")
      .deny_in(50, tcp(22))
      .allow_in(100, testing::any_l4())
      .allow_out(100, testing::any_l4());
  const auto n = b.build();
  const auto e = explain_unreachable(n, query(n, "internet", id.eni, 22));
  run_all(e);
  const auto args = aws_arguments(only(e, Fix::Kind::CreateNaclEntry).aws_cli);
  CHECK(after(args, "--network-acl-id") == id.acl);
  CHECK(after(args, "--port-range") == "From=22,To=22");
}

TEST_CASE("hostile route-table and gateway IDs reach aws as one inert word each", "[explain][hostile]") {
  const Ids id;
  auto b = hostile(id);
  b.route_table(id.rtb, "vpc-1").route("0.0.0.0/0", id.igw).blackhole("9.9.9.0/24", "igw-old");
  const auto n = b.build();
  auto q = query(n, id.eni, "internet", 443);
  q.header.dst_ip = testing::prefix("9.9.9.9/32");
  const auto e = explain_unreachable(n, q);
  run_all(e);
  const auto args = aws_arguments(only(e, Fix::Kind::CreateRoute).aws_cli);
  CHECK(after(args, "--route-table-id") == id.rtb);
  CHECK(after(args, "--gateway-id") == id.igw);
}

TEST_CASE("hostile ENI IDs reach aws as one inert word (Elastic IP, source/destination check)",
          "[explain][hostile]") {
  const Ids id;
  auto b = hostile(id);
  const std::string priv = "eni-priv" + evil();
  b.eni(priv, "subnet-pub", {"10.0.1.30"}).groups({id.sg});
  b.eni(id.fw, "subnet-pub", {"10.0.1.40"}).public_ip("54.0.0.40").groups({"sg-all"});
  b.route_table("rtb-app", "vpc-1").route("0.0.0.0/0", id.fw);
  b.subnet("subnet-app", "vpc-1", "10.0.3.0/24").route_table("rtb-app");
  b.eni("eni-app", "subnet-app", {"10.0.3.5"}).groups({"sg-all"});
  const auto n = b.build();

  const auto eip = explain_unreachable(n, query(n, "internet", priv, 443));
  run_all(eip);
  const auto args = aws_arguments(only(eip, Fix::Kind::AssociateAddress).aws_cli);
  CHECK(after(args, "--network-interface-id") == priv);
  CHECK(after(args, "--allocation-id") == "eipalloc-1");

  const auto sdc = explain_unreachable(n, query(n, "eni-app", "internet", 443));
  run_all(sdc);
  CHECK(after(aws_arguments(only(sdc, Fix::Kind::DisableSourceDestCheck).aws_cli),
              "--network-interface-id") == id.fw);
}

TEST_CASE("a hostile group ID in a rule to revoke reaches aws as one inert word", "[explain][hostile]") {
  const Ids id;
  const auto n = hostile(id).build();
  const auto e = explain_reachable(n, query(n, "internet", id.eni, 443));
  run_all(e);
  const auto args = aws_arguments(only(e, Fix::Kind::RevokeSecurityGroup).aws_cli);
  CHECK(after(args, "--group-id") == id.sg);
  CHECK(after(args, "--ip-permissions") ==
        "IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]");
}

}  // namespace
}  // namespace vpcprove::queries
