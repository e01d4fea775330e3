// SPDX-License-Identifier: Apache-2.0
// FileReader, which reads one snapshot file into a Fragment, shared by aws/snapshot_loader.cpp and
// the aws/snapshot_read_*.cpp files that read one resource family each. Internal to aws/.
#pragma once

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "aws/json_file.h"
#include "aws/json_keys.h"
#include "aws/json_reader.h"
#include "aws/snapshot_loader.h"
#include "aws/snapshot_merge.h"
#include "aws/terraform_plan.h"
#include "model/header_fields.h"

namespace vpcprove::aws::reading {

namespace fs = std::filesystem;
namespace k = keys;

inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

inline std::vector<GroupIdentifier> read_groups(const JsonReader& r, std::string_view key) {
  std::vector<GroupIdentifier> out;
  for (const auto& g : r.objects(key))
    out.push_back({g.string(k::kGroupId), g.string_or_empty(k::kGroupName)});
  return out;
}

inline std::optional<Ipv4Address> association_public_ip(const JsonReader& r) {
  auto assoc = r.object(k::kAssociation);
  return assoc ? assoc->optional_address(k::kPublicIp) : std::nullopt;
}

inline std::string read_protocol(const JsonReader& r, std::string_view key) {
  const std::string text = lower(r.string(key));
  if (!model::parse_protocol(text))
    r.fail(key, "'" + text + "' is not a protocol (tcp, udp, icmp, icmpv6, -1 or 0..255)");
  return text;
}

/**
 * Reads one file into a Fragment: every resource checked and built, the decisions that depend
 * on other files (which resource of an ID wins, what is reported once) left to SnapshotMerger.
 * One per thread: it owns a simdjson parser.
 */
class FileReader {
 public:
  Fragment read(const fs::path& file, const Source& source);

 private:
  void read_file(const fs::path& file, const Source& source);

  void read_key(simdjson::dom::element whole, bool entries_with_id, std::string_view key,
                simdjson::dom::element value, const Source& source);

  void unknown_key(std::string_view key, simdjson::dom::element value);

  /**
   * The resource, kept by the merge unless an earlier one has its ID. not_live ({what, state})
   * has it noted and left out instead; error is thrown if it is kept.
   */
  template <auto List, class T>
  void offer(std::string_view kind, std::string id, T&& resource,
             std::optional<std::pair<std::string, std::string>> not_live = std::nullopt,
             std::exception_ptr error = nullptr) {
    Offered o{kind, std::move(id), &keep_into<List>, 0, std::move(not_live), std::move(error)};
    if (!o.not_live) {
      auto& list = f_->resources.*List;
      o.index = list.size();
      list.push_back(std::forward<T>(resource));
    }
    f_->events.emplace_back(std::move(o));
  }

  /** {what, state} when a resource is not live, for offer(). */
  static std::optional<std::pair<std::string, std::string>> unless_live(bool live, std::string what,
                                                                        const std::string& state);

  static Tags tags_of(const JsonReader& r) { return r.tags(k::kTags); }

  void vpc(const JsonReader& in, const Source& source);

  /** Ipv6CidrBlockAssociationSet's blocks in state "associated", first of each. */
  static std::vector<Ipv6Prefix> associated_ipv6_blocks(const JsonReader& r);

  void subnet(const JsonReader& in, const Source& source);

  void route_table(const JsonReader& in, const Source& source);

  static std::vector<InternetGatewayAttachment> live_attachments(const JsonReader& r);

  void internet_gateway(const JsonReader& in, const Source& source);

  void egress_only_internet_gateway(const JsonReader& in, const Source& source);

  void nat_gateway(const JsonReader& in, const Source& source);

  static NetworkInterface read_interface(const JsonReader& in, const Source& source,
                                         const std::string& vpc_fallback, const std::string& subnet_fallback);

  void network_interface(const JsonReader& in, const Source& source);

  void reservation(const JsonReader& in, const Source& source);

  static IpPermission read_permission(const JsonReader& p);

  void security_group(const JsonReader& in, const Source& source);

  void network_acl(const JsonReader& in, const Source& source);

  void address(const JsonReader& in, const Source& source);

  static VpcPeeringConnectionVpcInfo read_vpc_info(const JsonReader& r, std::string_view key);

  void vpc_peering_connection(const JsonReader& in, const Source& source);

  // One CIDR of a prefix list, into cidrs or ipv6_cidrs by its family; anything else an error.
  static void add_cidr(const JsonReader& r, std::string_view key, const std::string& text,
                       std::vector<Ipv4Prefix>& cidrs, std::vector<Ipv6Prefix>& ipv6_cidrs);

  void prefix_list(const JsonReader& in, const Source& source);

  void merge_entries(const JsonReader& r, const std::string& id);

  void prefix_list_entries(const JsonReader& in, const Source&);

  void vpc_endpoint(const JsonReader& in, const Source& source);

  void load_balancer(const JsonReader& in, const Source& source);

  void db_instance(const JsonReader& in, const Source& source);

  void transit_gateway(const JsonReader& in, const Source& source);

  void transit_gateway_attachment(const JsonReader& in, const Source& source);

  void transit_gateway_route_table(const JsonReader& in, const Source& source);

  // snapshot_read_tgw.cpp
  void transit_gateway_vpc_attachment(const JsonReader& in, const Source& source);

  void transit_gateway_static_routes(const JsonReader& in, const Source& source);

  void transit_gateway_propagations(const JsonReader& in, const Source& source);

  // The number of elements of a list (simdjson's size() stops counting at 2^24 - 1).
  static std::size_t count(simdjson::dom::array list);

  JsonFileParser parser_;
  Fragment* f_ = nullptr;  // the fragment being read
};

}  // namespace vpcprove::aws::reading
