// SPDX-License-Identifier: Apache-2.0
// `vpcprove trace`: follow one concrete packet (and optionally its reply) through a snapshot.
#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/header_options.h"
#include "cli/kept_snapshot.h"
#include "common/diagnostics.h"
#include "common/escape.h"
#include "model/describe.h"
#include "model/endpoint.h"
#include "report/reach_report.h"
#include "report/walk_json.h"
#include "trace/trace.h"

namespace vpcprove::cli {

namespace {

struct TraceOptions {
  CommonOptions common;
  std::string snapshot;
  std::string from;
  std::string to;
  std::string protocol = "tcp";
  std::optional<std::string> src_ip;
  std::optional<std::string> dst_ip;
  std::optional<int> src_port;
  std::optional<int> dst_port;
  bool reply = false;
};

/** A header field the tool picked, and why (printed so the user knows what was traced). */
struct Chosen {
  std::string field;
  std::string why;
};

struct Question {
  trace::Start start;
  model::Packet packet;
  std::vector<Chosen> chosen;
  model::Endpoint to;
};

[[noreturn]] void bad(const std::string& message) { throw InputError("", "", message); }

model::Endpoint resolve(const model::Network& n, const std::string& flag, const std::string& text) {
  try {
    return model::resolve_endpoint(n, text);
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

int parse_protocol(const std::string& text, std::vector<Chosen>& chosen, bool given) {
  const auto protocol = protocol_option(text);
  if (!protocol) {
    chosen.push_back({"protocol", "tcp (a trace follows one concrete packet; --protocol all picks tcp)"});
    return model::kTcp;
  }
  if (*protocol == model::kTcp && !given) chosen.push_back({"protocol", "tcp (default)"});
  return *protocol;
}

Question build_question(const model::Network& n, const TraceOptions& o, bool protocol_given) {
  Question q;
  const auto from = resolve(n, "--from", o.from);
  q.to = resolve(n, "--to", o.to);
  model::Packet& p = q.packet;
  p.protocol = static_cast<std::uint8_t>(parse_protocol(o.protocol, q.chosen, protocol_given));

  // Source.
  const model::NetworkInterface* src_eni = nullptr;
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
            "transit "
            "gateway with it; give --dst-ip");
      }
      p.dst_ip = *pub;
      q.chosen.push_back({"dst_ip", format_ipv4(p.dst_ip) + " (public IP of " + dst->id + ")"});
    }
  }

  // Ports (ICMP: --dst-port is the type, --src-port the code).
  const bool ported = p.protocol == model::kTcp || p.protocol == model::kUdp;
  if (p.protocol == model::kIcmp) {
    if ((o.dst_port && *o.dst_port > 255) || (o.src_port && *o.src_port > 255))
      bad("for icmp, --dst-port is the ICMP type and --src-port the code, both 0-255");
    p.dst_port = static_cast<std::uint16_t>(o.dst_port.value_or(8));
    p.src_port = static_cast<std::uint16_t>(o.src_port.value_or(0));
    if (!o.dst_port) q.chosen.push_back({"dst_port", "icmp type 8 (echo request)"});
    if (!o.src_port) q.chosen.push_back({"src_port", "icmp code 0"});
  } else if (ported) {
    p.src_port = static_cast<std::uint16_t>(o.src_port.value_or(49152));
    p.dst_port = static_cast<std::uint16_t>(o.dst_port.value_or(443));
    if (!o.src_port) q.chosen.push_back({"src_port", "49152 (an ephemeral port)"});
    if (!o.dst_port) q.chosen.push_back({"dst_port", "443"});
  } else if (o.src_port || o.dst_port) {
    bad("--src-port/--dst-port apply to tcp and udp (and icmp type/code), not to protocol " + o.protocol);
  }
  return q;
}

/** Whether the walk ended where --to points. */
bool reaches(const model::Network& n, const model::Walk& w, const model::Endpoint& to) {
  using model::Disposition;
  if (to.internet) return w.disposition == Disposition::ExitsInternet;
  if (to.cidr) {
    if (w.disposition == Disposition::ExitsInternet || w.disposition == Disposition::AwsService)
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

// Text output: every ID, rule and argument goes through escape_text (common/escape.h).
std::string disposition_line(const model::Walk& w) {
  const std::string endpoint = escape_text(w.endpoint);
  switch (w.disposition) {
    case model::Disposition::Delivered:
      return "delivered to " + endpoint;
    case model::Disposition::ExitsInternet:
      return "exits to the internet via " + endpoint;
    case model::Disposition::ExitsUnmodelled:
      return "leaves the model via " + endpoint + " (vpcprove does not follow traffic beyond it)";
    case model::Disposition::AwsService:
      return "answered by " + endpoint + " (an AWS service no security group or network ACL filters)";
    case model::Disposition::Dropped:
      if (w.drop) {
        return "dropped at " + escape_text(w.drop->at) + " (" + escape_text(w.drop->code) +
               "): " + escape_text(w.drop->detail);
      }
      return "dropped";
  }
  return "dropped";
}

nlohmann::ordered_json walk_json(const model::Walk& w) {
  using queries::packet_json;
  return {{"disposition", model::to_string(w.disposition)},
          {"packet", packet_json(w.initial)},
          {"path", queries::hops_json(w.hops)},
          {"drop", w.drop ? queries::drop_json(*w.drop) : nlohmann::ordered_json(nullptr)},
          {"final_packet", packet_json(w.final_packet)},
          {"endpoint",
           w.endpoint.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(w.endpoint)}};
}

void print_walk_text(std::ostream& out, const model::Walk& w, const std::string& indent) {
  out << indent << "packet: " << model::describe(w.initial) << '\n';
  queries::write_hops_text(out, w.hops, indent + "  ");
  if (w.final_packet != w.initial)
    out << indent << "final packet: " << model::describe(w.final_packet) << '\n';
}

void run(const TraceOptions& o, bool protocol_given) {
  const model::Network& network = load_kept(o.snapshot, o.common.plan).network;
  const Question q = build_question(network, o, protocol_given);

  trace::SessionWalk s;
  if (o.reply) {
    s = trace::walk_session(network, q.start, q.packet);
  } else {
    s.forward = trace::walk(network, q.start, q.packet);
  }
  const bool reached = reaches(network, s.forward, q.to);

  if (o.common.format == "json") {
    nlohmann::ordered_json j = walk_json(s.forward);
    j["from"] = o.from;
    j["to"] = o.to;
    j["reaches_to"] = reached;
    nlohmann::ordered_json chosen = nlohmann::ordered_json::array();
    nlohmann::ordered_json notes = nlohmann::ordered_json::array();
    for (const auto& c : q.chosen) {
      chosen.push_back(c.field);
      notes.push_back(c.field + ": " + c.why);
    }
    j["chosen"] = chosen;
    j["chosen_why"] = notes;
    if (o.reply && s.reply) {
      nlohmann::ordered_json r = walk_json(*s.reply);
      r["established"] = s.established;
      j["reply"] = r;
    } else {
      j["reply"] = nullptr;
    }
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return;
  }

  std::cout << disposition_line(s.forward) << '\n';
  print_walk_text(std::cout, s.forward, "");
  if (!reached) std::cout << "note: this packet does not reach --to " << escape_text(o.to) << '\n';
  for (const auto& c : q.chosen) std::cout << "chosen: " << c.field << " = " << escape_text(c.why) << '\n';
  if (o.reply) {
    if (!s.reply) {
      std::cout << "reply: none (the first packet was neither delivered nor sent to the internet)\n";
    } else {
      std::cout << "reply: " << disposition_line(*s.reply) << '\n';
      print_walk_text(std::cout, *s.reply, "  ");
      std::cout << (s.established ? "session established\n" : "session not established\n");
    }
  }
}

}  // namespace

void add_trace_command(CLI::App& app, ExitCode& exit_code) {
  auto opts = std::make_shared<TraceOptions>();
  auto* sub =
      app.add_subcommand("trace", "follow one concrete packet hop by hop and say where it ends, and why");
  sub->add_option("snapshot", opts->snapshot, "snapshot directory or JSON file")->required();
  sub->add_option("--from", opts->from,
                  "source endpoint (eni-, i-, subnet-, sg-, vpc-, nat-, internet, IP, CIDR, tag:K=V, "
                  "public-subnets, private-subnets)")
      ->required();
  sub->add_option("--to", opts->to, "destination endpoint (same forms as --from)")->required();
  auto* protocol =
      sub->add_option("--protocol", opts->protocol, "tcp, udp, icmp, all or a protocol number (default tcp)");
  sub->add_option("--src-ip", opts->src_ip, "source address (default: the source's primary private IP)");
  sub->add_option("--dst-ip", opts->dst_ip, "destination address (default: chosen from --to)");
  sub->add_option("--src-port", opts->src_port, "source port, or ICMP code (default 49152 / 0)")
      ->check(CLI::Range(0, 65535));
  sub->add_option("--dst-port", opts->dst_port, "destination port, or ICMP type (default 443 / 8)")
      ->check(CLI::Range(0, 65535));
  sub->add_flag("--reply", opts->reply, "also trace the reply (stateful security groups, stateless NACLs)");
  add_common_options(*sub, opts->common);
  sub->callback([opts, protocol, &exit_code] {
    run(*opts, protocol->count() > 0);
    exit_code = ExitCode::Ok;
  });
}

}  // namespace vpcprove::cli
