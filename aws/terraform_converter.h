// SPDX-License-Identifier: Apache-2.0
// The converter from a Terraform plan's resources to the describe-* structs of aws/snapshot.h,
// shared by the aws/terraform_*.cpp files that define it one resource family each. Internal to
// aws/ (aws/terraform_resources.cpp says what AWS does beyond the attributes).
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "aws/snapshot.h"
#include "aws/terraform_plan.h"
#include "aws/terraform_plan_internal.h"

namespace vpcprove::aws::terraform::resources {

class Converter {
 public:
  explicit Converter(Plan& plan) : p_(plan), s_(plan.out()) {}

  void run();

 private:
  using Path = std::vector<Json>;

  void each(const char* type, const std::function<void(const Instance&)>& f);

  // ---- reading attributes -----------------------------------------------------------------

  std::optional<std::string> str(const Instance& r, const Path& a);
  std::vector<std::string> strs(const Instance& r, const Path& a);

  static const Json* get(const Json& obj, const std::string& key);
  static std::string text(const Json& obj, const std::string& key, const std::string& fallback = "");
  static std::optional<int> number(const Json& obj, const std::string& key);
  static bool boolean(const Json& obj, const std::string& key, bool fallback);
  static std::vector<Json> blocks(const Json& obj, const std::string& key);

  /** An IPv4 CIDR; InputError naming the resource and attribute for anything else (IPv6 included). */
  std::optional<Ipv4Prefix> cidr(const Instance& r, const std::string& what, const std::string& value) const;
  /** An IPv6 CIDR; InputError naming the resource and attribute for anything else (IPv4 included). */
  Ipv6Prefix cidr6(const Instance& r, const std::string& what, const std::string& value) const;

  Tags tags(const Instance& r) const;

  Source source() const;

  // ---- finding (and adopting from the base snapshot) --------------------------------------

  /** The element of list with id, in the plan's output or, copied there to be changed, the base's. */
  template <class T>
  T* adopt(std::vector<T> Snapshot::*list, std::string T::*id, const std::string& key) {
    for (auto& x : s_.*list) {
      if (x.*id == key) return &x;
    }
    if (p_.base) {
      for (const auto& x : p_.base->*list) {
        if (x.*id == key) {
          (s_.*list).push_back(x);
          return &(s_.*list).back();
        }
      }
    }
    return nullptr;
  }

  template <class T>
  const T* find(const std::vector<T> Snapshot::*list, std::string T::*id, const std::string& key) const {
    for (const auto& x : s_.*list) {
      if (x.*id == key) return &x;
    }
    if (p_.base) {
      for (const auto& x : p_.base->*list) {
        if (x.*id == key) return &x;
      }
    }
    return nullptr;
  }

  void missing(const Instance& r, const std::string& what, const std::string& id);

  std::string vpc_of_subnet(const std::string& subnet_id) const;

  /** A private address for an ENI whose address is unknown until apply: the lowest one of the
   *  subnet AWS could give (not its first four or last) that no ENI of plan or base holds. */
  std::optional<Ipv4Address> placeholder_ip(const std::string& subnet_id);

  /** A public address for one AWS assigns at apply: 198.18.0.0/15 onward, unique in this plan. */
  Ipv4Address placeholder_public_ip();

  /** The default security group of vpc_id: a plan resource's ID, or the base's group named "default". */
  std::optional<std::string> default_group(const std::string& vpc_id) const;

  // ---- VPCs and what AWS makes with them ---------------------------------------------------

  void prefix_list(const Instance& r);

  void prefix_list_entry(const Instance& r);

  void vpc(const Instance& r);

  void vpc_cidr(const Instance& r);

  void vpc_ipv6_cidr(const Instance& r);

  void subnet(const Instance& r);

  // ---- gateways --------------------------------------------------------------------------

  void internet_gateway(const Instance& r);

  void internet_gateway_attachment(const Instance& r);

  void egress_only_gateway(const Instance& r);

  void eip(const Instance& r);

  void eip_association(const Instance& r);

  void nat_gateway(const Instance& r);

  void peering(const Instance& r);

  void peering_accepter(const Instance& r);

  // ---- route tables ----------------------------------------------------------------------

  Route read_route(const Instance& r, const Path& at, const Json& block, const std::string& destination_key);

  void add_local_routes(RouteTable& t);

  void inline_routes(const Instance& r, RouteTable& t);

  void route_table(const Instance& r);

  void default_route_table(const Instance& r);

  void route(const Instance& r);

  /** Removes subnet's (or gateway's) association from every table of plan and base but keep. */
  void unassociate_route_tables(const std::optional<std::string>& subnet,
                                const std::optional<std::string>& gateway, const std::string& keep);

  void route_table_association(const Instance& r);

  void main_association(const Instance& r);

  // ---- security groups -------------------------------------------------------------------

  /** One rule block (inline or aws_security_group_rule) as AWS's IpPermission. */
  IpPermission permission(const Instance& r, const Path& at, const Json& block, const std::string& own_id);

  void security_group(const Instance& r, bool is_default);

  void add_permission(SecurityGroup& g, bool egress, IpPermission p);

  void security_group_rule(const Instance& r);

  void vpc_rule(const Instance& r, bool egress);

  /** The planned instance at address (the create of a delete-then-create), if any. */
  const Instance* replacement(const std::string& address) const;

  /** What the plan deletes leaves the estate: a separate rule, route or association (a deleted
   *  resource with an ID of its own goes in apply_plan). */
  void deleted(const Instance& r);

  /** A table holds one route per destination: the deleted one's goes; a replacement was added
   *  already and stays. */
  void deleted_route(const Instance& r);

  /** An ACL holds one entry per rule number and direction: the deleted one's goes; a
   *  replacement was added already and stays. */
  void deleted_nacl_rule(const Instance& r);

  /** The subnet (or gateway) falls back to its VPC's main route table. */
  void deleted_route_table_association(const Instance& r);

  /** The subnet goes back to its VPC's default network ACL (Terraform's documented behaviour
   *  for destroying aws_network_acl_association). */
  void deleted_nacl_association(const Instance& r);

  /** A separate rule the plan deletes leaves its group (an equal inline rule of the base goes with it). */
  void deleted_rule(const Instance& r);

  // ---- network ACLs ----------------------------------------------------------------------

  NetworkAclEntry entry(const Instance& r, const Json& b, bool egress, const char* number_key,
                        const char* action_key);

  /** Moves subnet to acl_id: AWS keeps one NACL association per subnet. */
  void associate_nacl(const std::string& subnet, const std::string& acl_id,
                      const std::string& association_id);

  void network_acl(const Instance& r, bool is_default);

  void network_acl_rule(const Instance& r);

  void network_acl_association(const Instance& r);

  // ---- network interfaces and what owns them ---------------------------------------------

  NetworkInterface new_eni(const std::string& id, const std::string& subnet_id, const Instance& r);

  void set_address(NetworkInterface& e, const Instance& r, const std::string& key,
                   const std::string& id_for_unknown);

  void set_groups(NetworkInterface& e, const Instance& r, const char* key);

  void public_address(NetworkInterface& e, const Instance& r, bool maybe_public);

  void network_interface(const Instance& r);

  void instance(const Instance& r);

  void eni_attachment(const Instance& r);

  void eni_sg_attachment(const Instance& r);

  /** ENIs AWS makes for a service in each subnet (an interface endpoint, a load balancer, a database). */
  std::vector<std::string> service_enis(const Instance& r, const std::vector<std::string>& subnets,
                                        const std::string& description, const std::string& type,
                                        const std::vector<std::string>& groups, bool groupless,
                                        bool maybe_public);

  void vpc_endpoint(const Instance& r);

  void load_balancer(const Instance& r);

  void db_instance(const Instance& r);

  using Instance_ = aws::Instance;

  Plan& p_;
  Snapshot& s_;
  std::set<std::string> maps_public_;
  std::set<std::string> accepted_;
  std::uint32_t public_placeholders_ = 0;
};

}  // namespace vpcprove::aws::terraform::resources
