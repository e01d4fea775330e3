// SPDX-License-Identifier: Apache-2.0
// The snapshot loader: walks files, reads each on a worker thread (FileReader), merges them in order.
#include "aws/snapshot_loader.h"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <thread>
#include <utility>

#include "aws/file_reader.h"
#include "aws/json_file.h"
#include "aws/json_keys.h"
#include "aws/json_reader.h"
#include "aws/snapshot_merge.h"
#include "aws/terraform_plan.h"
#include "model/header_fields.h"

namespace vpcprove::aws::reading {

Fragment FileReader::read(const fs::path& file, const Source& source) {
  Fragment f;
  f.source = source;
  f_ = &f;
  try {
    read_file(file, source);
  } catch (...) {
    f.error = std::current_exception();
  }
  f_ = nullptr;
  return f;
}
void FileReader::read_file(const fs::path& file, const Source& source) {
  const std::string& name = source.file;
  const simdjson::dom::element doc = parser_.parse(file, name);
  simdjson::dom::object top;
  if (doc.get_object().get(top)) {
    throw InputError(name, "",
                     "expected a JSON object whose keys are describe-* outputs, got " + json_type_name(doc));
  }
  f_->listed = true;
  // Top-level keys in sorted order, the last of equal keys counting: the order and the choice
  // nlohmann::json (a std::map) always gave, which decide the order of resources and diagnostics.
  std::vector<simdjson::dom::key_value_pair> fields(top.begin(), top.end());
  std::stable_sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  std::vector<simdjson::dom::key_value_pair> keys;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i + 1 == fields.size() || fields[i + 1].key != fields[i].key) keys.push_back(fields[i]);
  }
  const auto present = [&](std::string_view key) {
    return std::any_of(keys.begin(), keys.end(), [&](const auto& f) { return f.key == key; });
  };
  // get-managed-prefix-list-entries prints {"Entries": […]}; with a "PrefixListId" next to it
  // the file says which list the entries belong to.
  const bool entries_with_id = present(k::kPrefixListId) && present(k::kEntries);
  for (const auto& field : keys) read_key(doc, entries_with_id, field.key, field.value, source);
}
void FileReader::read_key(simdjson::dom::element whole, bool entries_with_id, std::string_view key,
                          simdjson::dom::element value, const Source& source) {
  using Handler = void (FileReader::*)(const JsonReader&, const Source&);
  static const std::map<std::string, Handler, std::less<>> handlers = {
      {std::string(k::kVpcs), &FileReader::vpc},
      {std::string(k::kSubnets), &FileReader::subnet},
      {std::string(k::kRouteTables), &FileReader::route_table},
      {std::string(k::kInternetGateways), &FileReader::internet_gateway},
      {std::string(k::kEgressOnlyInternetGateways), &FileReader::egress_only_internet_gateway},
      {std::string(k::kNatGateways), &FileReader::nat_gateway},
      {std::string(k::kNetworkInterfaces), &FileReader::network_interface},
      {std::string(k::kReservations), &FileReader::reservation},
      {std::string(k::kSecurityGroups), &FileReader::security_group},
      {std::string(k::kNetworkAcls), &FileReader::network_acl},
      {std::string(k::kAddresses), &FileReader::address},
      {std::string(k::kVpcPeeringConnections), &FileReader::vpc_peering_connection},
      {std::string(k::kPrefixLists), &FileReader::prefix_list},
      {std::string(k::kManagedPrefixLists), &FileReader::prefix_list},
      {std::string(k::kPrefixListEntries), &FileReader::prefix_list_entries},
      {std::string(k::kVpcEndpoints), &FileReader::vpc_endpoint},
      {std::string(k::kTransitGateways), &FileReader::transit_gateway},
      {std::string(k::kTransitGatewayAttachments), &FileReader::transit_gateway_attachment},
      {std::string(k::kTransitGatewayRouteTables), &FileReader::transit_gateway_route_table},
      {std::string(k::kTransitGatewayVpcAttachments), &FileReader::transit_gateway_vpc_attachment},
      {std::string(k::kTransitGatewayStaticRoutes), &FileReader::transit_gateway_static_routes},
      {std::string(k::kTransitGatewayPropagations), &FileReader::transit_gateway_propagations},
      {std::string(k::kLoadBalancers), &FileReader::load_balancer},
      {std::string(k::kDBInstances), &FileReader::db_instance},
  };
  if (entries_with_id && (key == k::kEntries || key == k::kPrefixListId)) {
    if (key == k::kEntries) {
      JsonReader top(whole, source.file, "");
      const std::string id = top.string(k::kPrefixListId);
      merge_entries(top.for_resource(id), id);
    }
    return;
  }
  auto it = handlers.find(key);
  if (it == handlers.end()) {
    unknown_key(key, value);
    return;
  }
  simdjson::dom::array list;
  if (value.get_array().get(list)) {
    throw InputError(source.file, "",
                     "top-level key " + std::string(key) + ": expected a list, got " + json_type_name(value));
  }
  const auto handler = it->second;
  JsonReader::for_each_resource(list, source.file, std::string(key),
                                [&](const JsonReader& r) { (this->*handler)(r, source); });
}
void FileReader::unknown_key(std::string_view key, simdjson::dom::element value) {
  simdjson::dom::array list;
  const bool is_list = !value.get_array().get(list);
  f_->events.emplace_back(
      UnknownKey{std::string(key), is_list && list.begin() == list.end(), is_list ? count(list) : 1});
}
std::optional<std::pair<std::string, std::string>> FileReader::unless_live(bool live, std::string what,
                                                                           const std::string& state) {
  if (live) return std::nullopt;
  return std::make_pair(std::move(what), state);
}
std::size_t FileReader::count(simdjson::dom::array list) {
  const std::size_t n = list.size();
  return n < 0xFFFFFF ? n : static_cast<std::size_t>(std::distance(list.begin(), list.end()));
}

}  // namespace vpcprove::aws::reading

namespace vpcprove::aws {
namespace {

using reading::FileReader;
using reading::lower;
namespace fs = std::filesystem;

Source source_from_layout(const fs::path& root, const fs::path& file) {
  Source src;
  src.file = file.generic_string();
  std::vector<std::string> dirs;
  auto add_parts = [&](const fs::path& p) {
    for (const auto& part : p) {
      const std::string s = part.generic_string();
      if (s.empty() || s == "." || s == "/") continue;
      if (s == "aws_configs") {
        dirs.clear();
        continue;
      }
      dirs.push_back(s);
    }
  };
  // Batfish counts folders below aws_configs/; when the user pointed inside aws_configs/, the
  // folders above the given path count too. Without aws_configs/, only folders below the path count.
  bool under_aws_configs = false;
  for (const auto& part : file.parent_path()) under_aws_configs |= part == "aws_configs";
  if (under_aws_configs) {
    add_parts(file.parent_path());
  } else {
    add_parts(file.lexically_relative(root).parent_path());
  }
  if (!dirs.empty() && looks_like_region(dirs.back())) {
    src.region = dirs.back();
    if (dirs.size() >= 2) src.account = dirs[dirs.size() - 2];
  }
  return src;
}

/**
 * Reads files[i] (from sources[i]) into fragments on a few threads and hands each to merge, in
 * file order. Reading (parsing, checking, building resources) is most of loading and needs
 * nothing from other files; merging is the part that must follow file order. At most a window
 * of files is read ahead of the merge, which bounds memory.
 */
void read_in_file_order(const std::vector<fs::path>& files, const std::vector<Source>& sources,
                        const std::function<void(Fragment&&)>& merge) {
  constexpr std::size_t kMaxReaders = 4;
  const std::size_t n = files.size();
  const std::size_t threads =
      std::min({n, std::size_t{std::max(1U, std::thread::hardware_concurrency())}, kMaxReaders});
  if (threads <= 1) {
    FileReader reader;
    for (std::size_t i = 0; i < n; ++i) merge(reader.read(files[i], sources[i]));
    return;
  }
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::optional<Fragment>> done(n);
  std::size_t next = 0;    // the next file to read
  std::size_t merged = 0;  // files merged so far
  bool stop = false;
  const std::size_t window = 2 * threads;
  const auto read = [&] {
    FileReader reader;  // FileReader::read catches everything into the fragment
    for (;;) {
      std::size_t i = 0;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop || next == n || next < merged + window; });
        if (stop || next == n) return;
        i = next++;
      }
      Fragment f = reader.read(files[i], sources[i]);
      {
        const std::lock_guard lock(mutex);
        done[i] = std::move(f);
      }
      changed.notify_all();
    }
  };
  std::vector<std::thread> readers;
  // However the merge ends (an InputError in file 3 of 200), the readers stop and are joined.
  struct JoinReaders {
    std::mutex& mutex;
    std::condition_variable& changed;
    bool& stop;
    std::vector<std::thread>& readers;
    ~JoinReaders() {
      {
        const std::lock_guard lock(mutex);
        stop = true;
      }
      changed.notify_all();
      for (auto& t : readers) t.join();
    }
  } join{mutex, changed, stop, readers};
  for (std::size_t t = 0; t < threads; ++t) readers.emplace_back(read);
  for (std::size_t i = 0; i < n; ++i) {
    Fragment f;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return done[i].has_value(); });
      f = std::move(*done[i]);
      done[i].reset();
      merged = i + 1;
    }
    changed.notify_all();
    merge(std::move(f));
  }
}

}  // namespace

bool looks_like_region(std::string_view name) {
  static const std::regex re("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$");
  return std::regex_match(name.begin(), name.end(), re);
}

std::optional<std::string> region_of_availability_zone(std::string_view zone) {
  static const std::regex re("^([a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+)[a-z]?(-.*)?$");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(zone.begin(), zone.end(), m, re)) return std::nullopt;
  return m[1].str();
}

Snapshot load_snapshot(const std::string& path) {
  // A Terraform plan is a snapshot too: the estate after apply (aws/terraform_plan.h).
  if (is_terraform_plan(path)) return load_plan(path);
  Snapshot snapshot;
  snapshot.path = path;
  std::error_code ec;
  const fs::path root(path);
  const auto status = fs::status(root, ec);
  if (ec || !fs::exists(status)) throw InputError(path, "", "no such file or directory");

  std::vector<fs::path> files;
  if (fs::is_directory(status)) {
    for (auto it =
             fs::recursive_directory_iterator(root, fs::directory_options::follow_directory_symlink, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      // MANIFEST.json is vpcprove-collect's record of its calls (docs/cli-contract.md), not AWS output.
      if (it->is_regular_file(ec) && lower(it->path().extension().string()) == ".json" &&
          it->path().filename() != "MANIFEST.json")
        files.push_back(it->path());
    }
    if (ec) throw InputError(path, "", "cannot read the folder: " + ec.message());
    if (files.empty()) throw InputError(path, "", "no *.json file in this folder: not a snapshot");
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.generic_string() < b.generic_string(); });
  } else {
    files.push_back(root);
  }

  std::vector<Source> sources;
  sources.reserve(files.size());
  for (const auto& file : files) {
    sources.push_back(fs::is_directory(status) ? source_from_layout(root, file)
                                               : source_from_layout(root.parent_path(), file));
  }
  SnapshotMerger merger(snapshot);
  read_in_file_order(files, sources, [&](Fragment&& f) { merger.merge(std::move(f)); });
  merger.finish();
  return snapshot;
}

}  // namespace vpcprove::aws
