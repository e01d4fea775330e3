// SPDX-License-Identifier: Apache-2.0
#include "trace/packet_choice.h"

#include <algorithm>

#include "common/diagnostics.h"
#include "model/packet.h"

namespace vpcprove::trace {

namespace {

[[noreturn]] void bad(const std::string& message) { throw InputError("", "", message); }

model::Endpoint resolve(const model::Network& n, const std::string& flag, const std::string& text) {
  try {
    return model::resolve_endpoint(n, text, model::Ipv6Endpoints::Accepted);
  } catch (const InputError& e) {
    bad(flag + ' ' + e.what());
  }
}

Ipv4Address parse_address(const std::string& flag, const std::string& text) {
  auto a = parse_ipv4(text);
  if (!a) bad(flag + ' ' + text + ": not an IPv4 address");
  return *a;
}

const model::NetworkInterface* owner_anywhere(const model::Network& n, Ipv4Address a) {
  for (const auto& [id, eni] : n.network_interfaces) {
    if (eni.owns(a)) return &eni;
  }
  return nullptr;
}

/** A documentation address (RFC 5737) outside every VPC of the snapshot. */
Ipv4Address internet_source(const model::Network& n) {
  for (const char* text : {"198.51.100.1", "203.0.113.1", "192.0.2.1", "198.51.100.200", "203.0.113.200"}) {
    const Ipv4Address a = *parse_ipv4(text);
    if (n.is_internet_address(a)) return a;
  }
  bad("--from internet: every documentation address is inside a VPC of the snapshot; give --src-ip");
}

/** An address to stand for a CIDR: one an ENI owns if any, else its first usable address. */
Ipv4Address representative(const model::Network& n, const Ipv4Prefix& cidr) {
  for (const auto& [id, eni] : n.network_interfaces) {
    for (const auto& ip : eni.private_ips) {
      if (cidr.contains(ip.address)) return ip.address;
      if (ip.public_ip && cidr.contains(*ip.public_ip)) return *ip.public_ip;
    }
  }
  return cidr.len >= 31 ? cidr.first() : cidr.first() + 1;
}

bool peered(const model::Network& n, const model::Id& a, const model::Id& b) {
  for (const auto& [id, p] : n.vpc_peerings) {
    if ((p.requester_vpc_id == a && p.accepter_vpc_id == b) ||
        (p.requester_vpc_id == b && p.accepter_vpc_id == a))
      return true;
  }
  return false;
}

/** a and b are attached to one transit gateway the model follows (private addresses cross it). */
bool share_transit_gateway(const model::Network& n, const model::Id& a, const model::Id& b) {
  for (const auto& [id, tgw] : n.transit_gateways) {
    if (n.tgw_vpc_attachment(id, a) && n.tgw_vpc_attachment(id, b)) return true;
  }
  return false;
}

void choose_ports(const PacketRequest& o, ChosenPacket& q);

Ipv6Address parse_address6(const std::string& flag, const std::string& text) {
  auto a = parse_ipv6(text);
  if (!a) bad(flag + ' ' + text + ": not an IPv6 address");
  return *a;
}

/** The first interface of an interface set that has no IPv4 address but an IPv6 one, if any. */
const model::NetworkInterface* ipv6_only_first(const model::Network& n, const model::Endpoint& e) {
  if (!e.is_interface_set() || e.interfaces.empty()) return nullptr;
  const auto* x = model::Network::find(n.network_interfaces, e.interfaces.front());
  return x && x->private_ips.empty() && !x->ipv6_addresses.empty() ? x : nullptr;
}

/**
 * IPv6 when asked for (--ip-version 6, an IPv6 --src-ip/--dst-ip), or, with no family named, when
 * the interface the packet would start or end at has IPv6 addresses only (an IPv6-only subnet's
 * ENI sends no IPv4 packet): said in chosen.
 */
bool wants_ipv6(const model::Network& n, const PacketRequest& o, const model::Endpoint& from,
                const model::Endpoint& to, std::vector<ChosenField>& chosen) {
  if (o.ip_version == 6 || (o.src_ip && looks_like_ipv6(*o.src_ip)) ||
      (o.dst_ip && looks_like_ipv6(*o.dst_ip)))
    return true;
  if (from.cidr6 || to.cidr6) {
    if (o.ip_version == 4) bad("--ip-version 4: " + (from.cidr6 ? from.text : to.text) + " is IPv6");
    return true;
  }
  if (o.ip_version || o.src_ip || o.dst_ip) return false;
  for (const auto* end : {ipv6_only_first(n, from), ipv6_only_first(n, to)}) {
    if (end) {
      chosen.push_back({"ip_version", "6 (" + end->id + " has IPv6 addresses only)"});
      return true;
    }
  }
  return false;
}

const model::NetworkInterface* first_with_ipv6(const model::Network& n, const model::Endpoint& e,
                                               const std::string& flag) {
  for (const auto& id : e.interfaces) {
    const auto* x = model::Network::find(n.network_interfaces, id);
    if (x && !x->ipv6_addresses.empty()) return x;
  }
  bad(flag + ' ' + e.text + ": no network interface of it has an IPv6 address");
}

/** An address to stand for an IPv6 CIDR: one an ENI holds if any, else the first after the
 *  prefix's own (the subnet-router anycast address, RFC 4291 2.6.1). */
Ipv6Address representative6(const model::Network& n, const Ipv6Prefix& cidr) {
  for (const auto& [id, eni] : n.network_interfaces) {
    for (const auto& a : eni.ipv6_addresses) {
      if (cidr.contains(a)) return a;
    }
  }
  Ipv6Address a = cidr.first();
  if (cidr.len < 128) a.lo += 1;  // the prefix's host bits are zero: no carry
  return a;
}

/**
 * The addresses of an IPv6 packet: an ENI's first IPv6 address (IPv6 needs no public
 * counterpart: the same address is used inside and on the internet), a documentation
 * address (RFC 3849, inside 2000::/3) for the internet, or what --src-ip/--dst-ip say.
 */
void choose_addresses6(const model::Network& n, const PacketRequest& o, const model::Endpoint& from,
                       ChosenPacket& q) {
  model::Packet& p = q.packet;
  p.ip_version = 6;
  if (from.cidr) bad("--from " + o.from + ": an IPv4 CIDR cannot send an IPv6 packet");
  if (q.to.cidr) bad("--to " + o.to + ": an IPv4 CIDR cannot receive an IPv6 packet");
  if (from.internet) {
    p.src_ip6 = o.src_ip ? parse_address6("--src-ip", *o.src_ip) : *parse_ipv6("2001:db8::1");
    if (!o.src_ip) q.chosen.push_back({"src_ip", "2001:db8::1 (an internet address)"});
    q.start = Start::internet();
  } else if (from.cidr6) {
    // An address of the CIDR: its holder sends it, else the internet does (as for IPv4 CIDRs).
    if (o.src_ip) {
      p.src_ip6 = parse_address6("--src-ip", *o.src_ip);
      if (!from.cidr6->contains(p.src_ip6)) bad("--src-ip " + *o.src_ip + " is not in --from " + o.from);
    } else {
      p.src_ip6 = representative6(n, *from.cidr6);
      if (from.cidr6->len < 128)
        q.chosen.push_back({"src_ip", format_ipv6(p.src_ip6) + " (in " + o.from + ")"});
    }
    if (const auto* owner = n.interface_with_ipv6(p.src_ip6)) {
      q.start = Start::interface(owner->id);
      q.chosen.push_back({"from", owner->id + " (holds " + format_ipv6(p.src_ip6) + ")"});
    } else if (is_internet6(p.src_ip6)) {
      q.start = Start::internet();
    } else {
      bad("--from " + o.from + ": no network interface holds " + format_ipv6(p.src_ip6) +
          " and it is not an internet address (2000::/3)");
    }
  } else {
    const auto* eni = first_with_ipv6(n, from, "--from");
    q.start = Start::interface(eni->id);
    if (o.src_ip) {
      p.src_ip6 = parse_address6("--src-ip", *o.src_ip);
    } else {
      p.src_ip6 = eni->ipv6_addresses.front();
      q.chosen.push_back({"src_ip", format_ipv6(p.src_ip6) + " (first IPv6 address of " + eni->id + ")"});
    }
  }
  if (o.dst_ip) {
    p.dst_ip6 = parse_address6("--dst-ip", *o.dst_ip);
    if (q.to.cidr6 && !q.to.cidr6->contains(p.dst_ip6))
      bad("--dst-ip " + *o.dst_ip + " is not in --to " + o.to);
  } else if (q.to.cidr6) {
    p.dst_ip6 = representative6(n, *q.to.cidr6);
    if (q.to.cidr6->len < 128) q.chosen.push_back({"dst_ip", format_ipv6(p.dst_ip6) + " (in " + o.to + ")"});
  } else if (q.to.internet) {
    p.dst_ip6 = *parse_ipv6("2001:4860:4860::8888");
    q.chosen.push_back({"dst_ip", "2001:4860:4860::8888 (an internet address)"});
  } else {
    const auto* eni = first_with_ipv6(n, q.to, "--to");
    p.dst_ip6 = eni->ipv6_addresses.front();
    q.chosen.push_back({"dst_ip", format_ipv6(p.dst_ip6) + " (first IPv6 address of " + eni->id + ")"});
  }
}

int protocol_of(const PacketRequest& o, std::vector<ChosenField>& chosen) {
  if (!o.protocol) {
    chosen.push_back({"protocol", "tcp (a trace follows one concrete packet; --protocol all picks tcp)"});
    return model::kTcp;
  }
  if (*o.protocol == model::kTcp && !o.protocol_given) chosen.push_back({"protocol", "tcp (default)"});
  return *o.protocol;
}

}  // namespace

ChosenPacket choose_packet(const model::Network& n, const PacketRequest& o) {
  ChosenPacket q;
  const auto from = resolve(n, "--from", o.from);
  q.to = resolve(n, "--to", o.to);
  model::Packet& p = q.packet;
  p.protocol = static_cast<std::uint8_t>(protocol_of(o, q.chosen));
  if (wants_ipv6(n, o, from, q.to, q.chosen)) {
    choose_addresses6(n, o, from, q);
    choose_ports(o, q);
    return q;
  }

  // Source.
  const model::NetworkInterface* src_eni = nullptr;
  if (from.gateway_endpoint)
    bad("--from " + o.from + ": a gateway endpoint's service starts no connection into the VPC; ask --to " +
        o.from);
  if (from.is_interface_set()) {
    if (from.interfaces.empty())
      bad("--from " + o.from + ": the set has no network interface that can end a flow");
    src_eni = model::Network::find(n.network_interfaces, from.interfaces.front());
    if (from.interfaces.size() > 1) {
      q.chosen.push_back({"from", src_eni->id + " (the first of " + std::to_string(from.interfaces.size()) +
                                      " interfaces in " + o.from + ")"});
    }
    if (o.src_ip) {
      p.src_ip = parse_address("--src-ip", *o.src_ip);
    } else {
      if (src_eni->private_ips.empty())
        bad("--from " + o.from + ": " + src_eni->id +
            " has no IPv4 address; trace an IPv6 packet (--ip-version 6)");
      p.src_ip = src_eni->private_ips.front().address;
      q.chosen.push_back({"src_ip", format_ipv4(p.src_ip) + " (primary private IP of " + src_eni->id + ")"});
    }
    q.start = trace::Start::interface(src_eni->id);
  } else {
    if (o.src_ip) {
      p.src_ip = parse_address("--src-ip", *o.src_ip);
      if (from.cidr && !from.cidr->contains(p.src_ip))
        bad("--src-ip " + *o.src_ip + " is not in --from " + o.from);
    } else if (from.internet) {
      p.src_ip = internet_source(n);
      q.chosen.push_back({"src_ip", format_ipv4(p.src_ip) + " (an internet address)"});
    } else {
      p.src_ip = representative(n, *from.cidr);
      if (from.cidr->len < 32) q.chosen.push_back({"src_ip", format_ipv4(p.src_ip) + " (in " + o.from + ")"});
    }
    if (const auto* pub_owner = n.interface_with_public_ip(p.src_ip); pub_owner && !from.internet) {
      // A public IP as the source means its ENI sending: the packet leaves with the private IP.
      for (const auto& ip : pub_owner->private_ips) {
        if (ip.public_ip == p.src_ip) p.src_ip = ip.address;
      }
      src_eni = pub_owner;
      q.start = trace::Start::interface(pub_owner->id);
      q.chosen.push_back(
          {"from", pub_owner->id + " (its public IP; sends from " + format_ipv4(p.src_ip) + ")"});
    } else if (const auto* owner = owner_anywhere(n, p.src_ip); owner && !from.internet) {
      src_eni = owner;
      q.start = trace::Start::interface(owner->id);
      q.chosen.push_back({"from", owner->id + " (owns " + format_ipv4(p.src_ip) + ")"});
    } else if (n.is_internet_address(p.src_ip)) {
      q.start = trace::Start::internet();
    } else {
      bad("--from " + o.from + ": no network interface owns " + format_ipv4(p.src_ip) +
          " and it is not an internet address");
    }
  }

  // Destination.
  if (o.dst_ip) {
    p.dst_ip = parse_address("--dst-ip", *o.dst_ip);
  } else if (q.to.internet) {
    p.dst_ip = *parse_ipv4("8.8.8.8");
    q.chosen.push_back({"dst_ip", "8.8.8.8 (an internet address)"});
  } else if (q.to.cidr) {
    p.dst_ip = representative(n, *q.to.cidr);
    if (q.to.cidr->len < 32) q.chosen.push_back({"dst_ip", format_ipv4(p.dst_ip) + " (in " + o.to + ")"});
  } else if (q.to.gateway_endpoint) {
    const auto& e = n.gateway_endpoints.at(*q.to.gateway_endpoint);
    if (e.service_cidrs.empty())
      bad("--to " + o.to + ": no prefix list of the snapshot holds its service's addresses");
    p.dst_ip = e.service_cidrs.front().first() + (e.service_cidrs.front().len >= 31 ? 0 : 1);
    q.chosen.push_back({"dst_ip", format_ipv4(p.dst_ip) + " (an address of " + e.service_name + ")"});
  } else {
    if (q.to.interfaces.empty())
      bad("--to " + o.to + ": the set has no network interface that can end a flow");
    const auto* dst = model::Network::find(n.network_interfaces, q.to.interfaces.front());
    if (q.to.interfaces.size() > 1) {
      q.chosen.push_back({"to", dst->id + " (the first of " + std::to_string(q.to.interfaces.size()) +
                                    " interfaces in " + o.to + ")"});
    }
    const bool inside =
        src_eni && (src_eni->vpc_id == dst->vpc_id || peered(n, src_eni->vpc_id, dst->vpc_id) ||
                    share_transit_gateway(n, src_eni->vpc_id, dst->vpc_id));
    if (inside) {
      if (dst->private_ips.empty())
        bad("--to " + o.to + ": " + dst->id + " has no IPv4 address; trace an IPv6 packet (--ip-version 6)");
      p.dst_ip = dst->private_ips.front().address;
      q.chosen.push_back({"dst_ip", format_ipv4(p.dst_ip) + " (primary private IP of " + dst->id + ")"});
    } else {
      std::optional<Ipv4Address> pub;
      for (const auto& ip : dst->private_ips) {
        if (ip.public_ip && !pub) pub = ip.public_ip;
      }
      if (!pub) {
        bad("--to " + o.to + ": " + dst->id +
            " has no public IP and the source is outside its VPC and the VPCs peered or attached to a "
            "transit gateway with it; give --dst-ip");
      }
      p.dst_ip = *pub;
      q.chosen.push_back({"dst_ip", format_ipv4(p.dst_ip) + " (public IP of " + dst->id + ")"});
    }
  }

  choose_ports(o, q);
  return q;
}

namespace {

void choose_ports(const PacketRequest& o, ChosenPacket& q) {
  model::Packet& p = q.packet;
  // Ports (ICMP: --dst-port is the type, --src-port the code).
  const bool ported = p.protocol == model::kTcp || p.protocol == model::kUdp;
  if (p.protocol == model::kIcmp || p.protocol == model::kIcmpv6) {
    if ((o.dst_port && *o.dst_port > 255) || (o.src_port && *o.src_port > 255))
      bad("for icmp, --dst-port is the ICMP type and --src-port the code, both 0-255");
    const int echo = p.protocol == model::kIcmp ? 8 : 128;
    p.dst_port = static_cast<std::uint16_t>(o.dst_port.value_or(echo));
    p.src_port = static_cast<std::uint16_t>(o.src_port.value_or(0));
    if (!o.dst_port)
      q.chosen.push_back({"dst_port", model::protocol_name(p.protocol) + " type " + std::to_string(echo) +
                                          " (echo request)"});
    if (!o.src_port) q.chosen.push_back({"src_port", "icmp code 0"});
  } else if (ported) {
    p.src_port = static_cast<std::uint16_t>(o.src_port.value_or(49152));
    p.dst_port = static_cast<std::uint16_t>(o.dst_port.value_or(443));
    if (!o.src_port) q.chosen.push_back({"src_port", "49152 (an ephemeral port)"});
    if (!o.dst_port) q.chosen.push_back({"dst_port", "443"});
  } else if (o.src_port || o.dst_port) {
    bad("--src-port/--dst-port apply to tcp and udp (and icmp type/code), not to protocol " +
        o.protocol_text);
  }
}

}  // namespace

bool reaches(const model::Network& n, const model::Walk& w, const model::Endpoint& to) {
  using model::Disposition;
  if (to.internet) return w.disposition == Disposition::ExitsInternet;
  if (to.gateway_endpoint)
    return w.disposition == Disposition::GatewayEndpoint && w.endpoint == *to.gateway_endpoint;
  if (to.cidr && w.final_packet.is_ipv6()) return false;
  if (to.cidr6) {
    // The packet's own destination (IPv6 is not translated), or an address of the ENI it reached.
    if (!w.final_packet.is_ipv6()) return false;
    if (w.disposition == Disposition::ExitsInternet) return to.cidr6->contains(w.final_packet.dst_ip6);
    if (w.disposition != Disposition::Delivered) return false;
    const auto* eni = model::Network::find(n.network_interfaces, w.endpoint);
    return eni && std::any_of(eni->ipv6_addresses.begin(), eni->ipv6_addresses.end(),
                              [&](const Ipv6Address& a) { return to.cidr6->contains(a); });
  }
  if (to.cidr) {
    if (w.disposition == Disposition::ExitsInternet || w.disposition == Disposition::AwsService ||
        w.disposition == Disposition::GatewayEndpoint)
      return to.cidr->contains(w.final_packet.dst_ip);
    if (w.disposition != Disposition::Delivered) return false;
    const auto* eni = model::Network::find(n.network_interfaces, w.endpoint);
    if (!eni) return false;
    for (const auto& ip : eni->private_ips) {
      if (to.cidr->contains(ip.address) || (ip.public_ip && to.cidr->contains(*ip.public_ip))) return true;
    }
    return false;
  }
  return w.disposition == Disposition::Delivered &&
         std::find(to.interfaces.begin(), to.interfaces.end(), w.endpoint) != to.interfaces.end();
}

}  // namespace vpcprove::trace
