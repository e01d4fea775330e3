// SPDX-License-Identifier: Apache-2.0
// Resolution of --from/--to and spec selectors to ENI sets, the internet, or addresses.
#include "model/endpoint.h"

#include <algorithm>
#include <cctype>

#include "common/diagnostics.h"

namespace vpcprove::model {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

const char* const kForms =
    "expected eni-…, i-…, subnet-…, sg-…, vpc-…, nat-…, vpce-… (a gateway endpoint), internet, an IPv4 or "
    "IPv6 address or CIDR, "
    "tag:KEY=VALUE, kind:KIND, public-subnets or private-subnets";

[[noreturn]] void missing(const std::string& text, const char* what) {
  throw InputError("", text, std::string("no such ") + what + " in the snapshot");
}

/** Set members (NetworkInterface::in_sets) for which keep() holds, sorted by ID (the map order). */
template <class Pred>
std::vector<Id> workloads(const Network& n, Pred keep) {
  std::vector<Id> out;
  for (const auto& [id, eni] : n.network_interfaces) {
    if (eni.in_sets() && keep(eni)) out.push_back(id);
  }
  return out;
}

bool tag_matches(const Tags& tags, const std::string& key, const std::string& value) {
  auto it = tags.find(key);
  return it != tags.end() && it->second == value;
}

}  // namespace

std::vector<const NetworkInterface*> interfaces_with_address_in(const Network& network,
                                                                const Ipv4Prefix& prefix) {
  std::vector<const NetworkInterface*> out;
  for (const auto& [id, e] : network.network_interfaces) {
    if (std::any_of(e.private_ips.begin(), e.private_ips.end(),
                    [&](const PrivateIp& p) { return prefix.contains(p.address); })) {
      out.push_back(&e);
    }
  }
  return out;
}

std::vector<const NetworkInterface*> interfaces_with_address_in6(const Network& network,
                                                                 const Ipv6Prefix& prefix) {
  std::vector<const NetworkInterface*> out;
  for (const auto& [id, e] : network.network_interfaces) {
    const bool address = std::any_of(e.ipv6_addresses.begin(), e.ipv6_addresses.end(),
                                     [&](const Ipv6Address& a) { return prefix.contains(a); });
    // Two prefixes overlap exactly when one contains the other.
    const bool delegated =
        std::any_of(e.ipv6_delegated_prefixes.begin(), e.ipv6_delegated_prefixes.end(),
                    [&](const Ipv6Prefix& d) { return prefix.contains(d) || d.contains(prefix); });
    if (address || delegated) out.push_back(&e);
  }
  return out;
}

bool is_public_subnet(const Network& network, const Subnet& subnet) {
  const auto* rtb = Network::find(network.route_tables, subnet.route_table_id);
  if (!rtb) return false;
  return std::any_of(rtb->routes.begin(), rtb->routes.end(), [](const Route& r) {
    return !r.blackhole && r.target_kind == RouteTargetKind::InternetGateway;
  });
}

namespace {

/** The ID a Terraform address names in network (itself when the resource is known by its
 *  address until apply), or nullopt when text is no address of it. */
std::optional<Id> terraform_id(const Network& network, const std::string& text) {
  if (network.terraform_addresses.empty() || text.find('.') == std::string::npos) return std::nullopt;
  for (const auto& [id, address] : network.terraform_addresses) {
    if (address == text) return id;
  }
  if (network.terraform_addresses.count(text)) return text;
  return std::nullopt;
}

/** The members of a resource known by its Terraform address: an ENI, an instance's ENIs, a
 *  subnet's, a group's or a VPC's workloads, a NAT gateway's ENI. */
std::vector<Id> terraform_members(const Network& network, const Id& id) {
  std::vector<Id> out;
  if (Network::find(network.network_interfaces, id)) return {id};
  if (const auto* i = Network::find(network.instances, id)) {
    for (const auto& e : i->network_interface_ids) {
      if (Network::find(network.network_interfaces, e)) out.push_back(e);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  if (const auto* nat = Network::find(network.nat_gateways, id)) return {nat->network_interface_id};
  const bool subnet = Network::find(network.subnets, id) != nullptr;
  const bool group = Network::find(network.security_groups, id) != nullptr;
  const bool vpc = Network::find(network.vpcs, id) != nullptr;
  if (!subnet && !group && !vpc) {
    // A resource made of ENIs AWS creates (a load balancer, an endpoint, a database): its ENIs.
    for (const auto& [eid, e] : network.network_interfaces) {
      if (eid.compare(0, id.size() + 1, id + ".") == 0) out.push_back(eid);
    }
    if (out.empty())
      throw InputError("", id, "names no network interface, instance, subnet, security group or VPC");
    return out;
  }
  return workloads(network, [&](const NetworkInterface& e) {
    return (subnet && e.subnet_id == id) || (vpc && e.vpc_id == id) ||
           (group && std::find(e.security_group_ids.begin(), e.security_group_ids.end(), id) !=
                         e.security_group_ids.end());
  });
}

}  // namespace

Endpoint resolve_endpoint(const Network& network, std::string_view text_view, Ipv6Endpoints ipv6) {
  const std::string text(text_view);
  Endpoint e;
  e.text = text;

  if (text == "internet") {
    e.internet = true;
  } else if (text == "public-subnets" || text == "private-subnets") {
    const bool want_public = text == "public-subnets";
    e.interfaces = workloads(network, [&](const NetworkInterface& eni) {
      const auto* s = Network::find(network.subnets, eni.subnet_id);
      return s && is_public_subnet(network, *s) == want_public;
    });
  } else if (starts_with(text, "tag:")) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 4) throw InputError("", text, "a tag selector is tag:KEY=VALUE");
    const std::string key = text.substr(4, eq - 4);
    const std::string value = text.substr(eq + 1);
    e.interfaces = workloads(network, [&](const NetworkInterface& eni) {
      if (tag_matches(eni.tags, key, value)) return true;
      const auto* s = Network::find(network.subnets, eni.subnet_id);
      return s && tag_matches(s->tags, key, value);
    });
  } else if (starts_with(text, "eni-")) {
    // Named explicitly, any interface counts, gateway-managed ones included.
    if (!Network::find(network.network_interfaces, text)) missing(text, "network interface");
    e.interfaces = {text};
  } else if (starts_with(text, "kind:")) {
    const auto kind = interface_kind_named(text.substr(5));
    if (!kind) {
      throw InputError("", text,
                       "not a kind: expected instance, load-balancer, database, lambda, vpc-endpoint, "
                       "nat-gateway, transit-gateway, gateway-load-balancer-endpoint or other");
    }
    e.interfaces = workloads(network, [&](const NetworkInterface& eni) { return eni.kind == *kind; });
  } else if (starts_with(text, "i-")) {
    const auto* inst = Network::find(network.instances, text);
    if (inst) {
      for (const auto& id : inst->network_interface_ids) {
        if (Network::find(network.network_interfaces, id)) e.interfaces.push_back(id);
      }
    } else {
      // A stopped instance is not in instances; its ENIs are, inactive: answered, not refused.
      for (const auto& [id, eni] : network.network_interfaces) {
        if (eni.instance_id == text) e.interfaces.push_back(id);
      }
      if (e.interfaces.empty()) missing(text, "instance");
    }
    std::sort(e.interfaces.begin(), e.interfaces.end());
  } else if (starts_with(text, "subnet-")) {
    if (!Network::find(network.subnets, text)) missing(text, "subnet");
    e.interfaces = workloads(network, [&](const NetworkInterface& eni) { return eni.subnet_id == text; });
  } else if (starts_with(text, "sg-")) {
    if (!Network::find(network.security_groups, text)) missing(text, "security group");
    e.interfaces = workloads(network, [&](const NetworkInterface& eni) {
      return std::find(eni.security_group_ids.begin(), eni.security_group_ids.end(), text) !=
             eni.security_group_ids.end();
    });
  } else if (starts_with(text, "vpc-")) {
    if (!Network::find(network.vpcs, text)) missing(text, "VPC");
    e.interfaces = workloads(network, [&](const NetworkInterface& eni) { return eni.vpc_id == text; });
  } else if (starts_with(text, "nat-")) {
    const auto* nat = Network::find(network.nat_gateways, text);
    if (!nat) missing(text, "NAT gateway");
    if (!Network::find(network.network_interfaces, nat->network_interface_id)) {
      throw InputError("", text,
                       "its network interface " + nat->network_interface_id + " is not in the snapshot");
    }
    e.interfaces = {nat->network_interface_id};
  } else if (starts_with(text, "vpce-")) {
    if (!Network::find(network.gateway_endpoints, text)) {
      // An interface endpoint is its ENIs (eni-…, kind:vpc-endpoint); a GWLB endpoint is not followed.
      throw InputError("", text,
                       "not a gateway endpoint of the snapshot (an interface endpoint is reached by its "
                       "ENIs, eni-… or kind:vpc-endpoint; a Gateway Load Balancer endpoint is not followed)");
    }
    e.gateway_endpoint = text;
  } else if (const auto id = terraform_id(network, text)) {
    // A Terraform address (docs/cli-contract.md): the resource it names, as its ID would.
    if (*id != text) return resolve_endpoint(network, *id, ipv6);
    e.interfaces = terraform_members(network, text);
  } else if (looks_like_ipv6(text)) {
    // No other form holds a ':' (IDs, tags and kinds are letters, digits, '-', '.' and '=';
    // tag:KEY=VALUE is taken above).
    auto p = Ipv6Prefix::parse(text);
    if (!p) throw InputError("", text, "not a valid IPv6 address or CIDR");
    if (ipv6 == Ipv6Endpoints::Refused) {
      throw InputError("", text, "an IPv6 address or CIDR is not an endpoint this question takes yet");
    }
    e.cidr6 = *p;
  } else if (!text.empty() && (std::isdigit(static_cast<unsigned char>(text.front())) != 0)) {
    auto p = Ipv4Prefix::parse(text);
    if (!p) throw InputError("", text, "not a valid IPv4 address or CIDR");
    e.cidr = *p;
  } else {
    throw InputError("", text, std::string("not an endpoint: ") + kForms);
  }
  return e;
}

}  // namespace vpcprove::model
