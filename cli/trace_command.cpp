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
#include "report/trace_report.h"
#include "trace/packet_choice.h"
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
  std::optional<int> ip_version;
  bool reply = false;
};

void run(const TraceOptions& o, bool protocol_given) {
  const model::Network& network = load_kept(o.snapshot, o.common.plan).network;
  const trace::PacketRequest request{o.from,      o.to,           protocol_option(o.protocol),
                                     o.protocol,  protocol_given, o.src_ip,
                                     o.dst_ip,    o.src_port,     o.dst_port,
                                     o.ip_version};
  const trace::ChosenPacket q = trace::choose_packet(network, request);

  trace::SessionWalk s;
  if (o.reply) {
    s = trace::walk_session(network, q.start, q.packet);
  } else {
    s.forward = trace::walk(network, q.start, q.packet);
  }
  const report::TraceAnswer answer{o.from, o.to,    q.chosen,
                                   s,      o.reply, trace::reaches(network, s.forward, q.to)};
  if (o.common.format == "json") {
    std::cout << report::trace_json(answer).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << '\n';
  } else {
    report::write_trace_text(std::cout, answer);
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
  sub->add_option("--ip-version", opts->ip_version,
                  "4 or 6: the packet's family (default 4, or 6 when --src-ip or --dst-ip is IPv6)")
      ->check(CLI::IsMember({4, 6}));
  sub->add_flag("--reply", opts->reply, "also trace the reply (stateful security groups, stateless NACLs)");
  add_common_options(*sub, opts->common);
  sub->callback([opts, protocol, &exit_code] {
    run(*opts, protocol->count() > 0);
    exit_code = ExitCode::Ok;
  });
}

}  // namespace vpcprove::cli
