// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness: one JSON document loaded as a single-file snapshot, then walked by trace.
//
// InputError is the loader's documented answer to bad input; any other exception, a crash, a
// sanitizer report or a leak is a finding. The loader reads paths only (aws/load.h), so each
// input is written to a per-process temporary file first.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "aws/load.h"
#include "common/diagnostics.h"
#include "model/network.h"
#include "trace/trace.h"

namespace {

// The temporary folder lives as long as the process and is removed at exit.
struct TempDir {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("vpcprove-fuzz-" + std::to_string(::getpid()));
  TempDir() { std::filesystem::create_directories(dir); }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

const std::string& snapshot_path() {
  static const TempDir temp;
  static const std::string path = (temp.dir / "snapshot.json").string();
  return path;
}

// Whatever the loader accepted must be a network trace can walk without crashing: a few
// packets from the first ENI and from the internet, to every address the network owns.
/** IPv6 packets (TCP, ICMPv6, NAT64) from the first IPv6 ENI and from the internet, to the
 *  first IPv6 addresses of the snapshot and to the IPv6 internet. */
void walk_some_ipv6(const vpcprove::model::Network& network) {
  using vpcprove::model::Packet;
  std::vector<vpcprove::Ipv6Address> targets{*vpcprove::parse_ipv6("2001:db8::1"),
                                             vpcprove::nat64_address(0x08080808u)};
  const vpcprove::model::NetworkInterface* sender = nullptr;
  for (const auto& [id, eni] : network.network_interfaces) {
    if (eni.ipv6_addresses.empty()) continue;
    if (!sender) sender = &eni;
    targets.push_back(eni.ipv6_addresses.front());
    if (targets.size() > 8) break;
  }
  for (const auto& dst : targets) {
    for (const int protocol : {6, 58}) {
      Packet p;
      p.ip_version = 6;
      p.protocol = static_cast<std::uint8_t>(protocol);
      p.dst_ip6 = dst;
      p.src_port = protocol == 6 ? 40000 : 0;
      p.dst_port = protocol == 6 ? 443 : 128;
      if (sender) {
        p.src_ip6 = sender->ipv6_addresses.front();
        (void)vpcprove::trace::walk_session(network, vpcprove::trace::Start::interface(sender->id), p);
      }
      p.src_ip6 = *vpcprove::parse_ipv6("2001:db8::9");
      (void)vpcprove::trace::walk_session(network, vpcprove::trace::Start::internet(), p);
    }
  }
}

void walk_some(const vpcprove::model::Network& network) {
  using vpcprove::model::Packet;
  std::vector<vpcprove::Ipv4Address> targets{0x08080808u};
  for (const auto& [id, eni] : network.network_interfaces) {
    for (const auto& ip : eni.private_ips) {
      targets.push_back(ip.address);
      if (ip.public_ip) targets.push_back(*ip.public_ip);
    }
    if (targets.size() > 8) break;
  }
  for (const auto dst : targets) {
    for (const int protocol : {6, 1, 50}) {
      Packet p;
      p.protocol = static_cast<std::uint8_t>(protocol);
      p.dst_ip = dst;
      if (protocol == 6) {
        p.src_port = 40000;
        p.dst_port = 443;
      }
      if (!network.network_interfaces.empty()) {
        const auto& [id, eni] = *network.network_interfaces.begin();
        if (!eni.private_ips.empty()) p.src_ip = eni.private_ips.front().address;
        (void)vpcprove::trace::walk_session(network, vpcprove::trace::Start::interface(id), p);
      }
      p.src_ip = 0x01020304u;
      (void)vpcprove::trace::walk_session(network, vpcprove::trace::Start::internet(), p);
    }
  }
  walk_some_ipv6(network);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(snapshot_path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const vpcprove::model::Network network = vpcprove::aws::load_network(snapshot_path());
    walk_some(network);
  } catch (const vpcprove::InputError&) {
    // The documented answer to malformed input (CLI exit 2).
  }
  return 0;
}
