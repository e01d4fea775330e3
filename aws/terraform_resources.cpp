// SPDX-License-Identifier: Apache-2.0
// The Terraform resource types vpcprove reads, each into the describe-* structs of aws/snapshot.h.
//
// Attribute names are the AWS provider's (https://registry.terraform.io/providers/hashicorp/aws/latest/docs).
// What AWS does beyond the attributes is done here as AWS does it: a new VPC comes with a main
// route table (local routes), a default NACL (allow all) and a default security group (all from
// itself, all out); aws_security_group removes AWS's default egress rule (the provider's
// documentation of aws_security_group); an instance without groups gets its VPC's default group.
#include <algorithm>
#include <functional>

#include "aws/snapshot_loader.h"
#include "aws/terraform_plan.h"
#include "aws/terraform_plan_internal.h"
#include "common/diagnostics.h"
#include "model/header_fields.h"

namespace vpcprove::aws::terraform {

namespace {

const std::set<std::string>& supported_types() {
  static const std::set<std::string> types{"aws_vpc",
                                           "aws_vpc_ipv4_cidr_block_association",
                                           "aws_subnet",
                                           "aws_route_table",
                                           "aws_route",
                                           "aws_route_table_association",
                                           "aws_main_route_table_association",
                                           "aws_default_route_table",
                                           "aws_security_group",
                                           "aws_security_group_rule",
                                           "aws_vpc_security_group_ingress_rule",
                                           "aws_vpc_security_group_egress_rule",
                                           "aws_default_security_group",
                                           "aws_network_acl",
                                           "aws_network_acl_rule",
                                           "aws_network_acl_association",
                                           "aws_default_network_acl",
                                           "aws_internet_gateway",
                                           "aws_internet_gateway_attachment",
                                           "aws_egress_only_internet_gateway",
                                           "aws_nat_gateway",
                                           "aws_eip",
                                           "aws_eip_association",
                                           "aws_instance",
                                           "aws_network_interface",
                                           "aws_network_interface_attachment",
                                           "aws_network_interface_sg_attachment",
                                           "aws_vpc_peering_connection",
                                           "aws_vpc_peering_connection_accepter",
                                           "aws_ec2_managed_prefix_list",
                                           "aws_ec2_managed_prefix_list_entry",
                                           "aws_vpc_endpoint",
                                           "aws_lb",
                                           "aws_alb",
                                           "aws_db_instance",
                                           "aws_db_subnet_group"};
  return types;
}

class Converter {
 public:
  explicit Converter(Plan& plan) : p_(plan), s_(plan.out()) {}

  void run() {
    std::set<std::string> unsupported;
    for (const auto& r : p_.instances()) {
      if (r.mode != "managed") continue;
      if (!supported_types().count(r.type)) unsupported.insert(r.type);
      if (!r.id.empty()) s_.terraform_addresses[r.id] = r.address;
    }
    if (!unsupported.empty()) {
      std::string list;
      for (const auto& t : unsupported) list += (list.empty() ? "" : ", ") + t;
      p_.diagnostics().warn(
          "plan-unsupported-type",
          "resource types vpcprove does not read (what they do to the network is not in the model): " + list,
          p_.path());
    }
    // Owners before what refers to them: a rule needs its group, an ENI its subnet.
    each("aws_ec2_managed_prefix_list", [&](const Instance& r) { prefix_list(r); });
    each("aws_ec2_managed_prefix_list_entry", [&](const Instance& r) { prefix_list_entry(r); });
    each("aws_vpc", [&](const Instance& r) { vpc(r); });
    each("aws_vpc_ipv4_cidr_block_association", [&](const Instance& r) { vpc_cidr(r); });
    each("aws_subnet", [&](const Instance& r) { subnet(r); });
    each("aws_internet_gateway", [&](const Instance& r) { internet_gateway(r); });
    each("aws_internet_gateway_attachment", [&](const Instance& r) { internet_gateway_attachment(r); });
    each("aws_egress_only_internet_gateway", [&](const Instance& r) { egress_only_gateway(r); });
    each("aws_eip", [&](const Instance& r) { eip(r); });
    each("aws_nat_gateway", [&](const Instance& r) { nat_gateway(r); });
    each("aws_vpc_peering_connection", [&](const Instance& r) { peering(r); });
    each("aws_vpc_peering_connection_accepter", [&](const Instance& r) { peering_accepter(r); });
    each("aws_route_table", [&](const Instance& r) { route_table(r); });
    each("aws_default_route_table", [&](const Instance& r) { default_route_table(r); });
    each("aws_route", [&](const Instance& r) { route(r); });
    each("aws_route_table_association", [&](const Instance& r) { route_table_association(r); });
    each("aws_main_route_table_association", [&](const Instance& r) { main_association(r); });
    each("aws_security_group", [&](const Instance& r) { security_group(r, false); });
    each("aws_default_security_group", [&](const Instance& r) { security_group(r, true); });
    each("aws_security_group_rule", [&](const Instance& r) { security_group_rule(r); });
    each("aws_vpc_security_group_ingress_rule", [&](const Instance& r) { vpc_rule(r, false); });
    each("aws_vpc_security_group_egress_rule", [&](const Instance& r) { vpc_rule(r, true); });
    each("aws_network_acl", [&](const Instance& r) { network_acl(r, false); });
    each("aws_default_network_acl", [&](const Instance& r) { network_acl(r, true); });
    each("aws_network_acl_rule", [&](const Instance& r) { network_acl_rule(r); });
    each("aws_network_acl_association", [&](const Instance& r) { network_acl_association(r); });
    each("aws_network_interface", [&](const Instance& r) { network_interface(r); });
    each("aws_instance", [&](const Instance& r) { instance(r); });
    each("aws_network_interface_attachment", [&](const Instance& r) { eni_attachment(r); });
    each("aws_network_interface_sg_attachment", [&](const Instance& r) { eni_sg_attachment(r); });
    each("aws_eip_association", [&](const Instance& r) { eip_association(r); });
    each("aws_vpc_endpoint", [&](const Instance& r) { vpc_endpoint(r); });
    each("aws_lb", [&](const Instance& r) { load_balancer(r); });
    each("aws_alb", [&](const Instance& r) { load_balancer(r); });
    each("aws_db_instance", [&](const Instance& r) { db_instance(r); });
    for (const auto& r : p_.deleted()) deleted(r);
  }

 private:
  using Path = std::vector<Json>;

  void each(const char* type, const std::function<void(const Instance&)>& f) {
    for (const auto& r : p_.instances()) {
      if (r.mode == "managed" && r.type == type) f(r);
    }
  }

  // ---- reading attributes -----------------------------------------------------------------

  std::optional<std::string> str(const Instance& r, const Path& a) { return p_.string(r, a); }
  std::vector<std::string> strs(const Instance& r, const Path& a) { return p_.strings(r, a); }

  static const Json* get(const Json& obj, const std::string& key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
  }
  static std::string text(const Json& obj, const std::string& key, const std::string& fallback = "") {
    const Json* j = get(obj, key);
    return j && j->is_string() ? j->get<std::string>() : fallback;
  }
  static std::optional<int> number(const Json& obj, const std::string& key) {
    const Json* j = get(obj, key);
    if (j && j->is_number_integer()) return j->get<int>();
    if (j && j->is_string() && !j->get<std::string>().empty()) {
      try {
        return std::stoi(j->get<std::string>());
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
    return std::nullopt;
  }
  static bool boolean(const Json& obj, const std::string& key, bool fallback) {
    const Json* j = get(obj, key);
    return j && j->is_boolean() ? j->get<bool>() : fallback;
  }
  static std::vector<Json> blocks(const Json& obj, const std::string& key) {
    const Json* j = get(obj, key);
    std::vector<Json> out;
    if (j && j->is_array()) out.assign(j->begin(), j->end());
    return out;
  }

  /** An IPv4 CIDR; nullopt for IPv6 text; InputError naming the resource for anything else. */
  std::optional<Ipv4Prefix> cidr(const Instance& r, const std::string& what, const std::string& value) const {
    if (value.find(':') != std::string::npos) return std::nullopt;
    auto p = Ipv4Prefix::parse(value);
    if (!p) throw InputError(p_.path(), r.address, what + ": \"" + value + "\" is not an IPv4 CIDR block");
    return p;
  }

  Tags tags(const Instance& r) const {
    Tags t;
    for (const char* key : {"tags_all", "tags"}) {
      const Json* j = get(r.values, key);
      if (!j || !j->is_object()) continue;
      for (const auto& [k, v] : j->items()) {
        if (v.is_string()) t.emplace(k, v.get<std::string>());
      }
    }
    return t;
  }

  Source source() const { return p_.source(); }

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

  void missing(const Instance& r, const std::string& what, const std::string& id) {
    p_.diagnostics().warn(
        "dangling-reference",
        r.address + " -> " + id + ": the " + what + " is neither in the plan nor in the snapshot", p_.path(),
        r.address);
  }

  std::string vpc_of_subnet(const std::string& subnet_id) const {
    const auto* s = find(&Snapshot::subnets, &Subnet::subnet_id, subnet_id);
    return s ? s->vpc_id : "";
  }

  /** A private address for an ENI whose address is unknown until apply: the lowest one of the
   *  subnet AWS could give (not its first four or last) that no ENI of plan or base holds. */
  std::optional<Ipv4Address> placeholder_ip(const std::string& subnet_id) {
    const auto* s = find(&Snapshot::subnets, &Subnet::subnet_id, subnet_id);
    if (!s) return std::nullopt;
    std::set<Ipv4Address> used;
    auto collect = [&](const Snapshot& snap) {
      for (const auto& e : snap.network_interfaces) {
        for (const auto& a : e.private_ip_addresses) used.insert(a.private_ip_address);
      }
      for (const auto& i : snap.instances) {
        for (const auto& e : i.network_interfaces) {
          for (const auto& a : e.private_ip_addresses) used.insert(a.private_ip_address);
        }
      }
      for (const auto& g : snap.nat_gateways) {
        for (const auto& a : g.nat_gateway_addresses) {
          if (a.private_ip) used.insert(*a.private_ip);
        }
      }
    };
    collect(s_);
    if (p_.base) collect(*p_.base);
    for (Ipv4Address a = s->cidr_block.first() + 4; a < s->cidr_block.last(); ++a) {
      if (!used.count(a)) return a;
    }
    return std::nullopt;
  }

  /** A public address for one AWS assigns at apply: 198.18.0.0/15 onward, unique in this plan. */
  Ipv4Address placeholder_public_ip() { return *parse_ipv4("198.18.0.0") + ++public_placeholders_; }

  /** The default security group of vpc_id: a plan resource's ID, or the base's group named "default". */
  std::optional<std::string> default_group(const std::string& vpc_id) const {
    for (const auto& r : p_.instances()) {
      if (r.type == "aws_vpc" && r.id == vpc_id) {
        const auto v = text(r.values, "default_security_group_id");
        return v.empty() ? r.address + ".default_security_group_id" : v;
      }
    }
    for (const Snapshot* snap : {static_cast<const Snapshot*>(&s_), p_.base}) {
      if (!snap) continue;
      for (const auto& g : snap->security_groups) {
        if (g.vpc_id == vpc_id && g.group_name == "default") return g.group_id;
      }
    }
    return std::nullopt;
  }

  // ---- VPCs and what AWS makes with them ---------------------------------------------------

  void prefix_list(const Instance& r) {
    PrefixList l;
    l.prefix_list_id = r.id;
    l.prefix_list_name = text(r.values, "name");
    l.address_family = text(r.values, "address_family", "IPv4");
    l.state = "create-complete";
    for (const auto& e : blocks(r.values, "entry")) {
      const auto c = text(e, "cidr");
      if (auto p = cidr(r, "entry.cidr", c)) {
        l.cidrs.push_back(*p);
      } else {
        ++l.ipv6_cidr_count;
      }
    }
    l.tags = tags(r);
    l.source = source();
    s_.prefix_lists.push_back(std::move(l));
  }

  void prefix_list_entry(const Instance& r) {
    const auto id = str(r, {"prefix_list_id"});
    const auto c = text(r.values, "cidr");
    if (!id) return;
    auto* l = adopt(&Snapshot::prefix_lists, &PrefixList::prefix_list_id, *id);
    if (!l) return missing(r, "prefix list", *id);
    if (auto p = cidr(r, "cidr", c)) l->cidrs.push_back(*p);
  }

  void vpc(const Instance& r) {
    Vpc v;
    v.vpc_id = r.id;
    const auto c = str(r, {"cidr_block"});
    if (c) v.cidr_block = cidr(r, "cidr_block", *c);
    if (v.cidr_block) v.cidr_block_association_set.push_back({r.id + "-cidr", *v.cidr_block});
    if (!c) p_.unknown_value(r.id, r, "cidr_block");
    v.owner_id = text(r.values, "owner_id");
    v.tags = tags(r);
    v.source = source();
    s_.vpcs.push_back(v);
    // What AWS makes with a VPC. When the base snapshot holds this VPC, it holds these too.
    if (p_.base) {
      for (const auto& x : p_.base->vpcs) {
        if (x.vpc_id == r.id) return;
      }
    }
    const bool created = r.id == r.address;
    auto implicit_id = [&](const char* attribute) {
      const auto known = text(r.values, attribute);
      return known.empty() || p_.unknown(r, {attribute}) ? r.address + '.' + attribute : known;
    };
    auto note = [&](const std::string& what) {
      if (created) return;
      p_.diagnostics().warn("plan-implicit-default",
                            r.address + " (" + r.id + "): its " + what +
                                " is not in the plan; read as AWS makes it (pass the live snapshot and "
                                "--plan for what it is now)",
                            p_.path(), r.address);
    };
    RouteTable main;
    main.route_table_id = implicit_id("default_route_table_id");
    main.vpc_id = r.id;
    if (v.cidr_block) {
      Route local;
      local.destination_cidr_block = v.cidr_block;
      local.gateway_id = "local";
      local.origin = "CreateRouteTable";
      local.state = "active";
      main.routes.push_back(local);
    }
    main.associations.push_back({main.route_table_id + "-main", true, std::nullopt, std::nullopt});
    main.source = source();
    s_.route_tables.push_back(main);
    s_.terraform_addresses.emplace(main.route_table_id, r.address + ".default_route_table_id");
    note("main route table");
    NetworkAcl acl;
    acl.network_acl_id = implicit_id("default_network_acl_id");
    acl.vpc_id = r.id;
    acl.is_default = true;
    for (bool egress : {false, true}) {
      NetworkAclEntry e;
      e.rule_number = 100;
      e.protocol = -1;
      e.allow = true;
      e.egress = egress;
      e.cidr_block = Ipv4Prefix::parse("0.0.0.0/0");
      acl.entries.push_back(e);
    }
    acl.source = source();
    s_.network_acls.push_back(acl);
    s_.terraform_addresses.emplace(acl.network_acl_id, r.address + ".default_network_acl_id");
    note("default network ACL");
    SecurityGroup g;
    g.group_id = implicit_id("default_security_group_id");
    g.group_name = "default";
    g.description = "default VPC security group";
    g.vpc_id = r.id;
    IpPermission self;
    self.ip_protocol = "-1";
    self.user_id_group_pairs.push_back({g.group_id, "", r.id, ""});
    g.ip_permissions.push_back(self);
    IpPermission out;
    out.ip_protocol = "-1";
    out.ip_ranges.push_back({*Ipv4Prefix::parse("0.0.0.0/0"), ""});
    g.ip_permissions_egress.push_back(out);
    g.source = source();
    s_.security_groups.push_back(g);
    s_.terraform_addresses.emplace(g.group_id, r.address + ".default_security_group_id");
    note("default security group");
  }

  void vpc_cidr(const Instance& r) {
    const auto id = str(r, {"vpc_id"});
    const auto c = str(r, {"cidr_block"});
    if (!id) return;
    auto* v = adopt(&Snapshot::vpcs, &Vpc::vpc_id, *id);
    if (!v) return missing(r, "VPC", *id);
    if (!c) return p_.unknown_value(*id, r, "cidr_block");
    if (auto p = cidr(r, "cidr_block", *c)) v->cidr_block_association_set.push_back({r.id, *p});
  }

  void subnet(const Instance& r) {
    Subnet s;
    s.subnet_id = r.id;
    s.vpc_id = str(r, {"vpc_id"}).value_or("");
    const auto c = str(r, {"cidr_block"});
    if (!c) {
      p_.unknown_value(r.id, r, "cidr_block");
      p_.diagnostics().warn("plan-unknown-cidr",
                            r.address + ": cidr_block is unknown until apply; the subnet is left out",
                            p_.path(), r.address);
      return;
    }
    auto p = cidr(r, "cidr_block", *c);
    if (!p) return;
    s.cidr_block = *p;
    s.availability_zone = text(r.values, "availability_zone");
    s.tags = tags(r);
    s.source = source();
    if (boolean(r.values, "map_public_ip_on_launch", false)) maps_public_.insert(r.id);
    s_.subnets.push_back(std::move(s));
  }

  // ---- gateways --------------------------------------------------------------------------

  void internet_gateway(const Instance& r) {
    InternetGateway g;
    g.internet_gateway_id = r.id;
    if (auto v = str(r, {"vpc_id"}); v && !v->empty()) g.attachments.push_back({*v, "available"});
    g.owner_id = text(r.values, "owner_id");
    g.tags = tags(r);
    g.source = source();
    s_.internet_gateways.push_back(std::move(g));
  }

  void internet_gateway_attachment(const Instance& r) {
    const auto id = str(r, {"internet_gateway_id"});
    const auto vpc = str(r, {"vpc_id"});
    if (!id || !vpc) return;
    auto* g = adopt(&Snapshot::internet_gateways, &InternetGateway::internet_gateway_id, *id);
    if (!g) return missing(r, "internet gateway", *id);
    g->attachments = {{*vpc, "available"}};
  }

  void egress_only_gateway(const Instance& r) {
    EgressOnlyInternetGateway g;
    g.egress_only_internet_gateway_id = r.id;
    if (auto v = str(r, {"vpc_id"})) g.attachments.push_back({*v, "attached"});
    g.tags = tags(r);
    g.source = source();
    s_.egress_only_internet_gateways.push_back(std::move(g));
  }

  void eip(const Instance& r) {
    Address a;
    a.allocation_id = r.id;
    a.domain = "vpc";
    const auto ip = text(r.values, "public_ip");
    if (!ip.empty() && !p_.unknown(r, {"public_ip"})) {
      auto parsed = parse_ipv4(ip);
      if (!parsed) throw InputError(p_.path(), r.address, "public_ip: \"" + ip + "\" is not an IPv4 address");
      a.public_ip = *parsed;
    } else {
      a.public_ip = placeholder_public_ip();
      p_.unknown_value(r.id, r, "public_ip");
    }
    if (get(r.values, "instance") || p_.unknown(r, {"instance"})) {
      if (auto i = str(r, {"instance"}); i && !i->empty()) a.instance_id = *i;
    }
    if (get(r.values, "network_interface") || p_.unknown(r, {"network_interface"})) {
      if (auto e = str(r, {"network_interface"}); e && !e->empty()) a.network_interface_id = *e;
    }
    if (auto pip = text(r.values, "associate_with_private_ip"); !pip.empty())
      a.private_ip_address = parse_ipv4(pip);
    a.tags = tags(r);
    a.source = source();
    s_.addresses.push_back(std::move(a));
  }

  void eip_association(const Instance& r) {
    const auto alloc = str(r, {"allocation_id"});
    if (!alloc) return;
    auto* a = adopt(&Snapshot::addresses, &Address::allocation_id, *alloc);
    if (!a) return missing(r, "Elastic IP", *alloc);
    a->association_id = r.id;
    if (auto i = str(r, {"instance_id"}); i && !i->empty()) a->instance_id = *i;
    if (auto e = str(r, {"network_interface_id"}); e && !e->empty()) a->network_interface_id = *e;
    if (auto pip = text(r.values, "private_ip_address"); !pip.empty())
      a->private_ip_address = parse_ipv4(pip);
  }

  void nat_gateway(const Instance& r) {
    NatGateway g;
    g.nat_gateway_id = r.id;
    g.subnet_id = str(r, {"subnet_id"}).value_or("");
    g.vpc_id = vpc_of_subnet(g.subnet_id);
    g.state = "available";
    g.connectivity_type = text(r.values, "connectivity_type", "public");
    NatGatewayAddress a;
    a.is_primary = true;
    a.network_interface_id =
        p_.unknown(r, {"network_interface_id"}) ? "" : text(r.values, "network_interface_id");
    const auto pip = text(r.values, "private_ip");
    if (!pip.empty() && !p_.unknown(r, {"private_ip"})) {
      a.private_ip = parse_ipv4(pip);
    } else {
      a.private_ip = placeholder_ip(g.subnet_id);
      p_.unknown_value(r.id, r, "private_ip");
    }
    if (g.connectivity_type != "private") {
      a.allocation_id = str(r, {"allocation_id"}).value_or("");
      const auto pub = text(r.values, "public_ip");
      if (!pub.empty() && !p_.unknown(r, {"public_ip"})) {
        a.public_ip = parse_ipv4(pub);
      } else if (const auto* e = find(&Snapshot::addresses, &Address::allocation_id, a.allocation_id)) {
        a.public_ip = e->public_ip;
      } else {
        a.public_ip = placeholder_public_ip();
        p_.unknown_value(r.id, r, "public_ip");
      }
    }
    g.nat_gateway_addresses.push_back(a);
    g.tags = tags(r);
    g.source = source();
    s_.nat_gateways.push_back(std::move(g));
  }

  void peering(const Instance& r) {
    VpcPeeringConnection p;
    p.vpc_peering_connection_id = r.id;
    p.requester_vpc_info.vpc_id = str(r, {"vpc_id"}).value_or("");
    p.accepter_vpc_info.vpc_id = str(r, {"peer_vpc_id"}).value_or("");
    p.accepter_vpc_info.owner_id = text(r.values, "peer_owner_id");
    p.accepter_vpc_info.region = text(r.values, "peer_region");
    const auto status = text(r.values, "accept_status");
    const bool accepted =
        status == "active" || boolean(r.values, "auto_accept", false) || accepted_.count(r.id);
    p.status_code = accepted ? "active" : "pending-acceptance";
    p.tags = tags(r);
    p.source = source();
    if (!accepted) {
      s_.not_live.push_back({"VpcPeeringConnections", r.id, p.status_code, source()});
      p_.diagnostics().note("not-live", "VPC peering " + r.address + " is not accepted in the plan: left out",
                            p_.path(), r.address);
      return;
    }
    s_.vpc_peering_connections.push_back(std::move(p));
  }

  void peering_accepter(const Instance& r) {
    const auto id = str(r, {"vpc_peering_connection_id"});
    if (!id) return;
    accepted_.insert(*id);
    auto* p =
        adopt(&Snapshot::vpc_peering_connections, &VpcPeeringConnection::vpc_peering_connection_id, *id);
    if (p) {
      p->status_code = "active";
      return;
    }
    // Accepted after its peering was read: move it out of not_live.
    for (const auto& x : p_.instances()) {
      if (x.type == "aws_vpc_peering_connection" && x.id == *id) {
        s_.not_live.erase(std::remove_if(s_.not_live.begin(), s_.not_live.end(),
                                         [&](const NotLive& n) { return n.id == *id; }),
                          s_.not_live.end());
        peering(x);
        return;
      }
    }
  }

  // ---- route tables ----------------------------------------------------------------------

  Route read_route(const Instance& r, const Path& at, const Json& block, const std::string& destination_key) {
    Route route;
    const auto dest = text(block, destination_key);
    if (!dest.empty()) route.destination_cidr_block = cidr(r, destination_key, dest);
    if (auto v6 = text(block, "ipv6_cidr_block", text(block, "destination_ipv6_cidr_block")); !v6.empty()) {
      route.destination_ipv6_cidr_block = v6;
    }
    if (auto pl = text(block, "destination_prefix_list_id"); !pl.empty())
      route.destination_prefix_list_id = pl;
    auto target = [&](const char* key) -> std::optional<std::string> {
      Path path = at;
      path.emplace_back(key);
      if (!get(block, key) && !p_.unknown(r, path)) return std::nullopt;
      auto v = str(r, path);
      if (v && v->empty()) return std::nullopt;
      return v;
    };
    route.gateway_id = target("gateway_id");
    route.nat_gateway_id = target("nat_gateway_id");
    route.network_interface_id = target("network_interface_id");
    route.vpc_peering_connection_id = target("vpc_peering_connection_id");
    route.transit_gateway_id = target("transit_gateway_id");
    route.egress_only_internet_gateway_id = target("egress_only_gateway_id");
    route.carrier_gateway_id = target("carrier_gateway_id");
    route.local_gateway_id = target("local_gateway_id");
    if (auto e = target("vpc_endpoint_id")) route.gateway_id = e;
    if (!route.gateway_id && !route.nat_gateway_id && !route.network_interface_id &&
        !route.vpc_peering_connection_id && !route.transit_gateway_id &&
        !route.egress_only_internet_gateway_id && !route.carrier_gateway_id && !route.local_gateway_id) {
      if (auto i = target("instance_id")) route.instance_id = i;
    }
    route.origin = "CreateRoute";
    route.state = "active";
    return route;
  }

  void add_local_routes(RouteTable& t) {
    const auto* v = find(&Snapshot::vpcs, &Vpc::vpc_id, t.vpc_id);
    if (!v) return;
    std::vector<Ipv4Prefix> cidrs;
    if (v->cidr_block) cidrs.push_back(*v->cidr_block);
    for (const auto& a : v->cidr_block_association_set) {
      if (std::find(cidrs.begin(), cidrs.end(), a.cidr_block) == cidrs.end()) cidrs.push_back(a.cidr_block);
    }
    for (const auto& c : cidrs) {
      Route local;
      local.destination_cidr_block = c;
      local.gateway_id = "local";
      local.origin = "CreateRouteTable";
      local.state = "active";
      t.routes.insert(t.routes.begin(), local);
    }
  }

  void inline_routes(const Instance& r, RouteTable& t) {
    std::size_t i = 0;
    for (const auto& b : blocks(r.values, "route")) {
      t.routes.push_back(read_route(r, {"route", i}, b, "cidr_block"));
      ++i;
    }
  }

  void route_table(const Instance& r) {
    RouteTable t;
    t.route_table_id = r.id;
    t.vpc_id = str(r, {"vpc_id"}).value_or("");
    add_local_routes(t);
    inline_routes(r, t);
    t.owner_id = text(r.values, "owner_id");
    t.tags = tags(r);
    t.source = source();
    s_.route_tables.push_back(std::move(t));
  }

  void default_route_table(const Instance& r) {
    const auto id = str(r, {"default_route_table_id"});
    if (!id) return;
    auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, *id);
    if (!t) return missing(r, "route table", *id);
    s_.terraform_addresses[*id] = r.address;
    // The resource manages every route but the local ones.
    t->routes.erase(
        std::remove_if(t->routes.begin(), t->routes.end(),
                       [](const Route& x) { return !(x.gateway_id && *x.gateway_id == "local"); }),
        t->routes.end());
    inline_routes(r, *t);
    t->tags = tags(r);
  }

  void route(const Instance& r) {
    const auto id = str(r, {"route_table_id"});
    if (!id) return;
    auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, *id);
    if (!t) return missing(r, "route table", *id);
    p_.owner = *id;
    t->routes.push_back(read_route(r, {}, r.values, "destination_cidr_block"));
    p_.owner.clear();
  }

  /** Removes subnet's (or gateway's) association from every table of plan and base but keep. */
  void unassociate_route_tables(const std::optional<std::string>& subnet,
                                const std::optional<std::string>& gateway, const std::string& keep) {
    std::set<std::string> holders;
    for (const Snapshot* snap : {static_cast<const Snapshot*>(&s_), p_.base}) {
      if (!snap) continue;
      for (const auto& t : snap->route_tables) {
        for (const auto& a : t.associations) {
          if ((subnet && a.subnet_id == subnet) || (gateway && a.gateway_id == gateway))
            holders.insert(t.route_table_id);
        }
      }
    }
    for (const auto& h : holders) {
      if (h == keep) continue;
      auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, h);
      t->associations.erase(std::remove_if(t->associations.begin(), t->associations.end(),
                                           [&](const RouteTableAssociation& a) {
                                             return (subnet && a.subnet_id == subnet) ||
                                                    (gateway && a.gateway_id == gateway);
                                           }),
                            t->associations.end());
    }
  }

  void route_table_association(const Instance& r) {
    const auto id = str(r, {"route_table_id"});
    if (!id) return;
    auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, *id);
    if (!t) return missing(r, "route table", *id);
    RouteTableAssociation a;
    a.route_table_association_id = r.id;
    if (get(r.values, "subnet_id") || p_.unknown(r, {"subnet_id"})) a.subnet_id = str(r, {"subnet_id"});
    if (get(r.values, "gateway_id") || p_.unknown(r, {"gateway_id"})) a.gateway_id = str(r, {"gateway_id"});
    const std::string table = t->route_table_id;
    unassociate_route_tables(a.subnet_id, a.gateway_id, table);
    adopt(&Snapshot::route_tables, &RouteTable::route_table_id, table)->associations.push_back(a);
  }

  void main_association(const Instance& r) {
    const auto vpc = str(r, {"vpc_id"});
    const auto id = str(r, {"route_table_id"});
    if (!vpc || !id) return;
    std::vector<std::string> mains;
    for (const Snapshot* snap : {static_cast<const Snapshot*>(&s_), p_.base}) {
      if (!snap) continue;
      for (const auto& t : snap->route_tables) {
        if (t.vpc_id != *vpc) continue;
        for (const auto& a : t.associations) {
          if (a.main) mains.push_back(t.route_table_id);
        }
      }
    }
    for (const auto& m : mains) {
      auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, m);
      t->associations.erase(std::remove_if(t->associations.begin(), t->associations.end(),
                                           [](const RouteTableAssociation& a) { return a.main; }),
                            t->associations.end());
    }
    auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, *id);
    if (!t) return missing(r, "route table", *id);
    t->associations.push_back({r.id, true, std::nullopt, std::nullopt});
  }

  // ---- security groups -------------------------------------------------------------------

  /** One rule block (inline or aws_security_group_rule) as AWS's IpPermission. */
  IpPermission permission(const Instance& r, const Path& at, const Json& block, const std::string& own_id) {
    IpPermission p;
    const auto protocol = text(block, "protocol", text(block, "ip_protocol", "-1"));
    const auto parsed = model::parse_protocol(protocol);
    if (!parsed)
      throw InputError(p_.path(), r.address, "protocol \"" + protocol + "\" is not an IP protocol");
    p.ip_protocol = *parsed == -1                                                  ? "-1"
                    : protocol == "tcp" || protocol == "udp" || protocol == "icmp" ? protocol
                                                                                   : std::to_string(*parsed);
    if (*parsed == 6) p.ip_protocol = "tcp";
    if (*parsed == 17) p.ip_protocol = "udp";
    if (*parsed == 1) p.ip_protocol = "icmp";
    if (*parsed != -1) {
      p.from_port = number(block, "from_port");
      p.to_port = number(block, "to_port");
    }
    auto sub = [&](const char* key) {
      Path path = at;
      path.emplace_back(key);
      return path;
    };
    for (const char* key : {"cidr_blocks", "cidr_ipv4"}) {
      if (!get(block, key) && !p_.unknown(r, sub(key))) continue;
      for (const auto& c : strs(r, sub(key))) {
        if (auto pre = cidr(r, key, c)) p.ip_ranges.push_back({*pre, ""});
      }
    }
    for (const char* key : {"ipv6_cidr_blocks", "cidr_ipv6"}) {
      const Json* j = get(block, key);
      if (j && j->is_array()) p.ipv6_range_count += j->size();
      if (j && j->is_string()) ++p.ipv6_range_count;
    }
    for (const char* key : {"prefix_list_ids", "prefix_list_id"}) {
      if (!get(block, key) && !p_.unknown(r, sub(key))) continue;
      for (const auto& id : strs(r, sub(key))) p.prefix_list_ids.push_back({id, ""});
    }
    for (const char* key : {"security_groups", "source_security_group_id", "referenced_security_group_id"}) {
      if (!get(block, key) && !p_.unknown(r, sub(key))) continue;
      for (const auto& id : strs(r, sub(key))) p.user_id_group_pairs.push_back({id, "", "", ""});
    }
    if (boolean(block, "self", false)) p.user_id_group_pairs.push_back({own_id, "", "", ""});
    return p;
  }

  void security_group(const Instance& r, bool is_default) {
    SecurityGroup g;
    g.group_id = r.id;
    g.vpc_id = str(r, {"vpc_id"}).value_or("");
    if (is_default) {
      // aws_default_security_group adopts the VPC's default group and manages its rules.
      const auto existing = p_.unknown(r, {"id"}) || r.id == r.address ? default_group(g.vpc_id)
                                                                       : std::optional<std::string>(r.id);
      if (!existing) return missing(r, "default security group of", g.vpc_id);
      g.group_id = *existing;
      s_.terraform_addresses[g.group_id] = r.address;
      s_.security_groups.erase(
          std::remove_if(s_.security_groups.begin(), s_.security_groups.end(),
                         [&](const SecurityGroup& x) { return x.group_id == g.group_id; }),
          s_.security_groups.end());
      g.group_name = "default";
    } else {
      g.group_name = text(r.values, "name", r.name);
    }
    g.description = text(r.values, "description");
    std::size_t i = 0;
    for (const auto& b : blocks(r.values, "ingress"))
      g.ip_permissions.push_back(permission(r, {"ingress", i++}, b, g.group_id));
    i = 0;
    for (const auto& b : blocks(r.values, "egress"))
      g.ip_permissions_egress.push_back(permission(r, {"egress", i++}, b, g.group_id));
    g.owner_id = text(r.values, "owner_id");
    g.tags = tags(r);
    g.source = source();
    s_.security_groups.push_back(std::move(g));
  }

  void add_permission(SecurityGroup& g, bool egress, IpPermission p) {
    auto& list = egress ? g.ip_permissions_egress : g.ip_permissions;
    list.push_back(std::move(p));
  }

  void security_group_rule(const Instance& r) {
    const auto id = str(r, {"security_group_id"});
    if (!id) return;
    auto* g = adopt(&Snapshot::security_groups, &SecurityGroup::group_id, *id);
    if (!g) return missing(r, "security group", *id);
    const bool egress = text(r.values, "type") == "egress";
    p_.owner = *id;
    auto p = permission(r, {}, r.values, *id);
    p_.owner.clear();
    adopt(&Snapshot::security_groups, &SecurityGroup::group_id, *id);
    add_permission(*adopt(&Snapshot::security_groups, &SecurityGroup::group_id, *id), egress, std::move(p));
  }

  void vpc_rule(const Instance& r, bool egress) {
    const auto id = str(r, {"security_group_id"});
    if (!id) return;
    if (!adopt(&Snapshot::security_groups, &SecurityGroup::group_id, *id))
      return missing(r, "security group", *id);
    p_.owner = *id;
    auto p = permission(r, {}, r.values, *id);
    p_.owner.clear();
    add_permission(*adopt(&Snapshot::security_groups, &SecurityGroup::group_id, *id), egress, std::move(p));
  }

  /** The planned instance at address (the create of a delete-then-create), if any. */
  const Instance* replacement(const std::string& address) const {
    for (const auto& x : p_.instances()) {
      if (x.address == address) return &x;
    }
    return nullptr;
  }

  /** What the plan deletes leaves the estate: a separate rule, route or association (a deleted
   *  resource with an ID of its own goes in apply_plan). */
  void deleted(const Instance& r) {
    if (r.type == "aws_route") return deleted_route(r);
    if (r.type == "aws_network_acl_rule") return deleted_nacl_rule(r);
    if (r.type == "aws_route_table_association") return deleted_route_table_association(r);
    if (r.type == "aws_network_acl_association") return deleted_nacl_association(r);
    deleted_rule(r);
  }

  /** A table holds one route per destination: the deleted one's goes; a replacement was added
   *  already and stays. */
  void deleted_route(const Instance& r) {
    const auto id = text(r.values, "route_table_id");
    if (id.empty()) return;
    auto* t = adopt(&Snapshot::route_tables, &RouteTable::route_table_id, id);
    if (!t) return;
    const Instance* again = replacement(r.address);
    const Route gone = read_route(r, {}, r.values, "destination_cidr_block");
    std::optional<Route> kept;
    if (again) kept = read_route(*again, {}, again->values, "destination_cidr_block");
    const auto same_destination = [](const Route& a, const Route& b) {
      return a.destination_cidr_block == b.destination_cidr_block &&
             a.destination_ipv6_cidr_block == b.destination_ipv6_cidr_block &&
             a.destination_prefix_list_id == b.destination_prefix_list_id;
    };
    const auto before = t->routes.size();
    t->routes.erase(std::remove_if(t->routes.begin(), t->routes.end(),
                                   [&](const Route& x) { return same_destination(x, gone); }),
                    t->routes.end());
    if (kept && same_destination(*kept, gone)) t->routes.push_back(*kept);
    if (t->routes.size() == before && !kept) {
      p_.diagnostics().warn("plan-deleted-route-not-found",
                            r.address + " is deleted but " + id + " has no route to its destination",
                            p_.path(), r.address);
    }
  }

  /** An ACL holds one entry per rule number and direction: the deleted one's goes; a
   *  replacement was added already and stays. */
  void deleted_nacl_rule(const Instance& r) {
    const auto id = text(r.values, "network_acl_id");
    if (id.empty()) return;
    auto* acl = adopt(&Snapshot::network_acls, &NetworkAcl::network_acl_id, id);
    if (!acl) return;
    const bool egress = boolean(r.values, "egress", false);
    const auto rule = number(r.values, "rule_number");
    if (!rule) return;
    const Instance* again = replacement(r.address);
    std::optional<NetworkAclEntry> kept;
    if (again)
      kept =
          entry(*again, again->values, boolean(again->values, "egress", false), "rule_number", "rule_action");
    const auto before = acl->entries.size();
    acl->entries.erase(std::remove_if(acl->entries.begin(), acl->entries.end(),
                                      [&](const NetworkAclEntry& e) {
                                        return e.rule_number == *rule && e.egress == egress;
                                      }),
                       acl->entries.end());
    if (kept && kept->rule_number == *rule && kept->egress == egress) acl->entries.push_back(*kept);
    if (acl->entries.size() == before && !kept) {
      p_.diagnostics().warn("plan-deleted-rule-not-found",
                            r.address + " is deleted but " + id + " has no " +
                                (egress ? "egress" : "ingress") + " rule " + std::to_string(*rule),
                            p_.path(), r.address);
    }
  }

  /** The subnet (or gateway) falls back to its VPC's main route table. */
  void deleted_route_table_association(const Instance& r) {
    if (replacement(r.address)) return;  // the create re-associated it
    const auto subnet = text(r.values, "subnet_id");
    const auto gateway = text(r.values, "gateway_id");
    if (subnet.empty() && gateway.empty()) return;
    unassociate_route_tables(subnet.empty() ? std::nullopt : std::optional<std::string>(subnet),
                             gateway.empty() ? std::nullopt : std::optional<std::string>(gateway), "");
  }

  /** The subnet goes back to its VPC's default network ACL (Terraform's documented behaviour
   *  for destroying aws_network_acl_association). */
  void deleted_nacl_association(const Instance& r) {
    if (replacement(r.address)) return;
    const auto subnet = text(r.values, "subnet_id");
    if (subnet.empty()) return;
    const auto vpc = vpc_of_subnet(subnet);
    std::string default_acl;  // found first: associate_nacl adopts ACLs into the plan's lists
    for (const Snapshot* snap : {static_cast<const Snapshot*>(&s_), p_.base}) {
      if (!snap || !default_acl.empty()) continue;
      for (const auto& a : snap->network_acls) {
        if (a.is_default && a.vpc_id == vpc) default_acl = a.network_acl_id;
      }
    }
    if (!default_acl.empty()) associate_nacl(subnet, default_acl, "");
  }

  /** A separate rule the plan deletes leaves its group (an equal inline rule of the base goes with it). */
  void deleted_rule(const Instance& r) {
    const bool classic = r.type == "aws_security_group_rule";
    if (!classic && r.type != "aws_vpc_security_group_ingress_rule" &&
        r.type != "aws_vpc_security_group_egress_rule")
      return;
    const auto id = text(r.values, "security_group_id");
    if (id.empty()) return;
    // Replaced (delete then create) with the same content: the create put it back already.
    for (const auto& x : p_.instances()) {
      if (x.address == r.address) return;
    }
    auto* g = adopt(&Snapshot::security_groups, &SecurityGroup::group_id, id);
    if (!g) return;
    const bool egress =
        classic ? text(r.values, "type") == "egress" : r.type == "aws_vpc_security_group_egress_rule";
    const auto gone = permission(r, {}, r.values, id);
    auto& list = egress ? g->ip_permissions_egress : g->ip_permissions;
    auto same = [&](const IpPermission& x) {
      auto cidrs = [](const IpPermission& p) {
        std::vector<Ipv4Prefix> v;
        for (const auto& c : p.ip_ranges) v.push_back(c.cidr_ip);
        return v;
      };
      auto groups = [](const IpPermission& p) {
        std::vector<std::string> v;
        for (const auto& c : p.user_id_group_pairs) v.push_back(c.group_id);
        return v;
      };
      return model::parse_protocol(x.ip_protocol) == model::parse_protocol(gone.ip_protocol) &&
             cidrs(x) == cidrs(gone) && groups(x) == groups(gone) &&
             (model::parse_protocol(x.ip_protocol) == -1 ||
              (x.from_port == gone.from_port && x.to_port == gone.to_port));
    };
    const auto before = list.size();
    list.erase(std::remove_if(list.begin(), list.end(), same), list.end());
    if (list.size() == before) {
      p_.diagnostics().warn("plan-deleted-rule-not-found",
                            r.address + " is deleted but no equal rule of " + id + " is in the snapshot",
                            p_.path(), r.address);
    }
  }

  // ---- network ACLs ----------------------------------------------------------------------

  NetworkAclEntry entry(const Instance& r, const Json& b, bool egress, const char* number_key,
                        const char* action_key) {
    NetworkAclEntry e;
    const auto n = number(b, number_key);
    if (!n || *n < 1 || *n > 32767)
      throw InputError(p_.path(), r.address, std::string(number_key) + " is not a rule number");
    e.rule_number = *n;
    const auto protocol = text(b, "protocol", "-1");
    const auto parsed = model::parse_protocol(protocol);
    if (!parsed)
      throw InputError(p_.path(), r.address, "protocol \"" + protocol + "\" is not an IP protocol");
    e.protocol = *parsed;
    e.allow = text(b, action_key) == "allow";
    e.egress = egress;
    if (auto c = text(b, "cidr_block"); !c.empty()) e.cidr_block = cidr(r, "cidr_block", c);
    if (auto c6 = text(b, "ipv6_cidr_block"); !c6.empty()) e.ipv6_cidr_block = c6;
    if (e.protocol == 6 || e.protocol == 17)
      e.port_range =
          PortRangeFromTo{number(b, "from_port").value_or(0), number(b, "to_port").value_or(65535)};
    if (e.protocol == 1)
      e.icmp_type_code =
          IcmpTypeCode{number(b, "icmp_type").value_or(-1), number(b, "icmp_code").value_or(-1)};
    return e;
  }

  /** Moves subnet to acl_id: AWS keeps one NACL association per subnet. */
  void associate_nacl(const std::string& subnet, const std::string& acl_id,
                      const std::string& association_id) {
    std::set<std::string> holders;
    for (const Snapshot* snap : {static_cast<const Snapshot*>(&s_), p_.base}) {
      if (!snap) continue;
      for (const auto& a : snap->network_acls) {
        for (const auto& x : a.associations) {
          if (x.subnet_id == subnet) holders.insert(a.network_acl_id);
        }
      }
    }
    for (const auto& h : holders) {
      auto* a = adopt(&Snapshot::network_acls, &NetworkAcl::network_acl_id, h);
      a->associations.erase(
          std::remove_if(a->associations.begin(), a->associations.end(),
                         [&](const NetworkAclAssociation& x) { return x.subnet_id == subnet; }),
          a->associations.end());
    }
    if (auto* a = adopt(&Snapshot::network_acls, &NetworkAcl::network_acl_id, acl_id)) {
      a->associations.push_back({association_id, subnet});
    }
  }

  void network_acl(const Instance& r, bool is_default) {
    NetworkAcl acl;
    acl.network_acl_id = r.id;
    acl.vpc_id = str(r, {"vpc_id"}).value_or("");
    if (is_default) {
      const auto id = str(r, {"default_network_acl_id"});
      if (!id) return;
      acl.network_acl_id = *id;
      acl.is_default = true;
      s_.terraform_addresses[*id] = r.address;
      if (const auto* old = find(&Snapshot::network_acls, &NetworkAcl::network_acl_id, *id)) {
        acl.vpc_id = old->vpc_id;
        acl.associations = old->associations;
      }
      s_.network_acls.erase(std::remove_if(s_.network_acls.begin(), s_.network_acls.end(),
                                           [&](const NetworkAcl& x) { return x.network_acl_id == *id; }),
                            s_.network_acls.end());
    }
    for (const auto& b : blocks(r.values, "ingress"))
      acl.entries.push_back(entry(r, b, false, "rule_no", "action"));
    for (const auto& b : blocks(r.values, "egress"))
      acl.entries.push_back(entry(r, b, true, "rule_no", "action"));
    acl.tags = tags(r);
    acl.source = source();
    const std::string id = acl.network_acl_id;
    s_.network_acls.push_back(std::move(acl));
    if (get(r.values, "subnet_ids") || p_.unknown(r, {"subnet_ids"})) {
      for (const auto& subnet : strs(r, {"subnet_ids"})) associate_nacl(subnet, id, r.id + ":" + subnet);
    }
  }

  void network_acl_rule(const Instance& r) {
    const auto id = str(r, {"network_acl_id"});
    if (!id) return;
    auto* acl = adopt(&Snapshot::network_acls, &NetworkAcl::network_acl_id, *id);
    if (!acl) return missing(r, "network ACL", *id);
    acl->entries.push_back(
        entry(r, r.values, boolean(r.values, "egress", false), "rule_number", "rule_action"));
  }

  void network_acl_association(const Instance& r) {
    const auto id = str(r, {"network_acl_id"});
    const auto subnet = str(r, {"subnet_id"});
    if (!id || !subnet) return;
    if (!find(&Snapshot::network_acls, &NetworkAcl::network_acl_id, *id))
      return missing(r, "network ACL", *id);
    associate_nacl(*subnet, *id, r.id);
  }

  // ---- network interfaces and what owns them ---------------------------------------------

  NetworkInterface new_eni(const std::string& id, const std::string& subnet_id, const Instance& r) {
    NetworkInterface e;
    e.network_interface_id = id;
    e.subnet_id = subnet_id;
    e.vpc_id = vpc_of_subnet(subnet_id);
    if (const auto* s = find(&Snapshot::subnets, &Subnet::subnet_id, subnet_id))
      e.availability_zone = s->availability_zone;
    e.interface_type = "interface";
    e.status = "in-use";
    e.tags = tags(r);
    e.source = source();
    return e;
  }

  void set_address(NetworkInterface& e, const Instance& r, const std::string& key,
                   const std::string& id_for_unknown) {
    const auto ip = text(r.values, key);
    std::optional<Ipv4Address> a;
    if (!ip.empty() && !p_.unknown(r, {key})) {
      a = parse_ipv4(ip);
      if (!a) throw InputError(p_.path(), r.address, key + ": \"" + ip + "\" is not an IPv4 address");
    } else {
      a = placeholder_ip(e.subnet_id);
      p_.unknown_value(id_for_unknown, r, key);
    }
    if (!a) {
      p_.diagnostics().warn("plan-no-address", r.address + ": no address left in " + e.subnet_id, p_.path(),
                            r.address);
      return;
    }
    e.private_ip_address = a;
    e.private_ip_addresses.push_back({*a, true, std::nullopt});
  }

  void set_groups(NetworkInterface& e, const Instance& r, const char* key) {
    if (get(r.values, key) || p_.unknown(r, {key})) {
      p_.owner = e.network_interface_id;
      for (const auto& g : strs(r, {key})) e.groups.push_back({g, ""});
      p_.owner.clear();
    }
    if (e.groups.empty()) {
      if (auto d = default_group(e.vpc_id)) e.groups.push_back({*d, "default"});
    }
  }

  void public_address(NetworkInterface& e, const Instance& r, bool maybe_public) {
    const auto ip = text(r.values, "public_ip");
    if (!ip.empty() && !p_.unknown(r, {"public_ip"})) {
      e.association_public_ip = parse_ipv4(ip);
    } else if (maybe_public) {
      e.association_public_ip = placeholder_public_ip();
      p_.unknown_value(e.network_interface_id, r, "public_ip");
    }
    if (e.association_public_ip && !e.private_ip_addresses.empty()) {
      e.private_ip_addresses.front().association_public_ip = e.association_public_ip;
    }
  }

  void network_interface(const Instance& r) {
    auto e = new_eni(r.id, str(r, {"subnet_id"}).value_or(""), r);
    const Json* ips = get(r.values, "private_ips");
    if (ips && ips->is_array() && !ips->empty() && !p_.unknown(r, {"private_ips"})) {
      bool first = true;
      for (const auto& x : *ips) {
        if (!x.is_string()) continue;
        auto a = parse_ipv4(x.get<std::string>());
        if (!a)
          throw InputError(p_.path(), r.address,
                           "private_ips: \"" + x.get<std::string>() + "\" is not an IPv4 address");
        if (first) e.private_ip_address = a;
        e.private_ip_addresses.push_back({*a, first, std::nullopt});
        first = false;
      }
    } else {
      set_address(e, r, "private_ip", r.id);
    }
    set_groups(e, r, "security_groups");
    e.source_dest_check = boolean(r.values, "source_dest_check", true);
    e.status = "available";
    for (const auto& a : blocks(r.values, "attachment")) {
      e.attachment = NetworkInterfaceAttachment{text(a, "instance"), number(a, "device_index"), "attached"};
      e.status = "in-use";
    }
    s_.network_interfaces.push_back(std::move(e));
  }

  void instance(const Instance& r) {
    Instance_ i;
    i.instance_id = r.id;
    i.state_name = text(r.values, "instance_state", "running");
    if (i.state_name == "pending") i.state_name = "running";
    i.subnet_id = str(r, {"subnet_id"}).value_or("");
    i.vpc_id = vpc_of_subnet(i.subnet_id);
    i.tags = tags(r);
    i.source = source();
    if (i.state_name != "running") {
      s_.not_live.push_back({"Reservations", r.id, i.state_name, source()});
      return;
    }
    const auto attached = blocks(r.values, "network_interface");
    bool primary_attached = false;
    for (const auto& a : attached) primary_attached |= number(a, "device_index").value_or(-1) == 0;
    if (!primary_attached) {
      std::string eni_id = text(r.values, "primary_network_interface_id");
      if (eni_id.empty() || p_.unknown(r, {"primary_network_interface_id"}))
        eni_id = r.address + ".primary_network_interface_id";
      s_.terraform_addresses.emplace(eni_id, r.address + ".primary_network_interface_id");
      auto e = new_eni(eni_id, i.subnet_id, r);
      set_address(e, r, "private_ip", eni_id);
      const Json* secondary = get(r.values, "secondary_private_ips");
      if (secondary && secondary->is_array()) {
        for (const auto& x : *secondary) {
          if (auto a = x.is_string() ? parse_ipv4(x.get<std::string>()) : std::nullopt) {
            e.private_ip_addresses.push_back({*a, false, std::nullopt});
          }
        }
      }
      set_groups(e, r, "vpc_security_group_ids");
      e.source_dest_check = boolean(r.values, "source_dest_check", true);
      const Json* assoc = get(r.values, "associate_public_ip_address");
      const bool maybe_public =
          assoc && assoc->is_boolean() ? assoc->get<bool>() : maps_public_.count(i.subnet_id) > 0;
      public_address(e, r,
                     maybe_public && !p_.unknown(r, {"associate_public_ip_address"}) ? true : maybe_public);
      e.attachment = NetworkInterfaceAttachment{r.id, 0, "attached"};
      i.private_ip_address = e.private_ip_address;
      i.public_ip_address = e.association_public_ip;
      i.security_groups = e.groups;
      i.network_interfaces.push_back(std::move(e));
    }
    for (const auto& a : attached) {
      const auto id = text(a, "network_interface_id");
      if (id.empty()) continue;
      if (auto* e = adopt(&Snapshot::network_interfaces, &NetworkInterface::network_interface_id, id)) {
        e->attachment = NetworkInterfaceAttachment{r.id, number(a, "device_index"), "attached"};
        e->status = "in-use";
      } else {
        missing(r, "network interface", id);
      }
    }
    s_.instances.push_back(std::move(i));
  }

  void eni_attachment(const Instance& r) {
    const auto eni = str(r, {"network_interface_id"});
    const auto inst = str(r, {"instance_id"});
    if (!eni || !inst) return;
    auto* e = adopt(&Snapshot::network_interfaces, &NetworkInterface::network_interface_id, *eni);
    if (!e) return missing(r, "network interface", *eni);
    e->attachment = NetworkInterfaceAttachment{*inst, number(r.values, "device_index"), "attached"};
    e->status = "in-use";
  }

  void eni_sg_attachment(const Instance& r) {
    const auto eni = str(r, {"network_interface_id"});
    const auto sg = str(r, {"security_group_id"});
    if (!eni || !sg) return;
    if (auto* e = adopt(&Snapshot::network_interfaces, &NetworkInterface::network_interface_id, *eni)) {
      e->groups.push_back({*sg, ""});
      return;
    }
    for (auto& i : s_.instances) {
      for (auto& e : i.network_interfaces) {
        if (e.network_interface_id == *eni) e.groups.push_back({*sg, ""});
      }
    }
  }

  /** ENIs AWS makes for a service in each subnet (an interface endpoint, a load balancer, a database). */
  std::vector<std::string> service_enis(const Instance& r, const std::vector<std::string>& subnets,
                                        const std::string& description, const std::string& type,
                                        const std::vector<std::string>& groups, bool groupless,
                                        bool maybe_public) {
    std::vector<std::string> ids;
    std::size_t k = 0;
    for (const auto& subnet : subnets) {
      const std::string id = r.address + ".network_interface[" + std::to_string(k++) + "]";
      auto e = new_eni(id, subnet, r);
      e.description = description;
      e.interface_type = type;
      e.requester_managed = true;
      e.attachment = NetworkInterfaceAttachment{std::nullopt, 1, "attached"};
      auto a = placeholder_ip(subnet);
      if (!a) continue;
      e.private_ip_address = a;
      e.private_ip_addresses.push_back({*a, true, std::nullopt});
      p_.unknown_value(id, r, "network_interface[" + std::to_string(k - 1) + "].private_ip");
      for (const auto& g : groups) e.groups.push_back({g, ""});
      if (e.groups.empty() && !groupless) {
        if (auto d = default_group(e.vpc_id)) e.groups.push_back({*d, "default"});
      }
      if (maybe_public) {
        e.association_public_ip = placeholder_public_ip();
        e.private_ip_addresses.front().association_public_ip = e.association_public_ip;
        p_.unknown_value(id, r, "network_interface[" + std::to_string(k - 1) + "].public_ip");
      }
      s_.terraform_addresses.emplace(id, id);
      s_.network_interfaces.push_back(std::move(e));
      ids.push_back(id);
    }
    return ids;
  }

  void vpc_endpoint(const Instance& r) {
    VpcEndpoint v;
    v.vpc_endpoint_id = r.id;
    v.vpc_endpoint_type = text(r.values, "vpc_endpoint_type", "Gateway");
    v.vpc_id = str(r, {"vpc_id"}).value_or("");
    v.service_name = text(r.values, "service_name");
    v.state = "available";
    if (get(r.values, "route_table_ids") || p_.unknown(r, {"route_table_ids"}))
      v.route_table_ids = strs(r, {"route_table_ids"});
    if (get(r.values, "subnet_ids") || p_.unknown(r, {"subnet_ids"})) v.subnet_ids = strs(r, {"subnet_ids"});
    std::vector<std::string> groups;
    if (get(r.values, "security_group_ids") || p_.unknown(r, {"security_group_ids"}))
      groups = strs(r, {"security_group_ids"});
    for (const auto& g : groups) v.groups.push_back({g, ""});
    if (v.vpc_endpoint_type == "Interface") {
      v.network_interface_ids = service_enis(r, v.subnet_ids, "VPC Endpoint Interface " + r.id,
                                             "vpc_endpoint", groups, false, false);
    }
    v.tags = tags(r);
    v.source = source();
    s_.vpc_endpoints.push_back(std::move(v));
  }

  void load_balancer(const Instance& r) {
    const auto type = text(r.values, "load_balancer_type", "application");
    std::vector<std::string> subnets;
    if (get(r.values, "subnets") || p_.unknown(r, {"subnets"})) subnets = strs(r, {"subnets"});
    std::size_t i = 0;
    for (const auto& m : blocks(r.values, "subnet_mapping")) {
      if (auto s = str(r, {"subnet_mapping", i++, "subnet_id"});
          s && std::find(subnets.begin(), subnets.end(), *s) == subnets.end()) {
        subnets.push_back(*s);
      }
      (void)m;
    }
    std::vector<std::string> groups;
    if (get(r.values, "security_groups") || p_.unknown(r, {"security_groups"}))
      groups = strs(r, {"security_groups"});
    const std::string prefix = type == "network" ? "net/" : type == "gateway" ? "gwy/" : "app/";
    const std::string eni_type = type == "network"   ? "network_load_balancer"
                                 : type == "gateway" ? "gateway_load_balancer"
                                                     : "interface";
    // A Network Load Balancer made without groups filters nothing (docs/cli-contract.md).
    service_enis(r, subnets, "ELB " + prefix + text(r.values, "name", r.name), eni_type, groups,
                 type != "application", !boolean(r.values, "internal", false));
  }

  void db_instance(const Instance& r) {
    const auto group_name = text(r.values, "db_subnet_group_name");
    std::vector<std::string> subnets;
    for (const auto& g : p_.instances()) {
      if (g.type != "aws_db_subnet_group") continue;
      if (text(g.values, "name") == group_name || g.id == group_name ||
          (group_name.empty() && p_.unknown(r, {"db_subnet_group_name"}))) {
        subnets = strs(g, {"subnet_ids"});
        break;
      }
    }
    if (subnets.empty()) {
      p_.diagnostics().warn(
          "plan-db-without-subnets",
          r.address + ": its DB subnet group " + group_name + " is not in the plan; the database is left out",
          p_.path(), r.address);
      return;
    }
    std::vector<std::string> groups;
    if (get(r.values, "vpc_security_group_ids") || p_.unknown(r, {"vpc_security_group_ids"}))
      groups = strs(r, {"vpc_security_group_ids"});
    // AWS places the database in one subnet of the group; which one is known after apply.
    subnets.resize(1);
    service_enis(r, subnets, "RDSNetworkInterface", "interface", groups, false,
                 boolean(r.values, "publicly_accessible", false));
  }

  using Instance_ = aws::Instance;

  Plan& p_;
  Snapshot& s_;
  std::set<std::string> maps_public_;
  std::set<std::string> accepted_;
  std::uint32_t public_placeholders_ = 0;
};

}  // namespace

void convert_resources(Plan& plan) { Converter(plan).run(); }

}  // namespace vpcprove::aws::terraform
