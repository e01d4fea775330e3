// SPDX-License-Identifier: Apache-2.0
// SnapshotMerger: the decisions of the loader that depend on earlier files.
#include "aws/snapshot_merge.h"

#include <algorithm>

#include "common/diagnostics.h"

namespace vpcprove::aws {
namespace {

// Keys Batfish ignores silently (Region.getChildConsumer): a note is enough.
const std::set<std::string, std::less<>> kIgnoredKeys = {
    "AvailabilityZones", "DhcpOptions", "Regions",   "InstanceStatuses", "PlacementGroups",
    "ServiceNames",      "Tags",        "NextToken", "ServiceDetails"};
// AWS outputs Batfish reads and vpcprove does not model yet.
const std::set<std::string, std::less<>> kUnmodelledKeys = {"CustomerGateways",
                                                            "VpnGateways",
                                                            "VpnConnections",
                                                            "TransitGatewayPeeringAttachments",
                                                            "LoadBalancerListeners",
                                                            "LoadBalancerAttributes",
                                                            "TargetGroups",
                                                            "LoadBalancerTargetHealth",
                                                            "DomainStatusList",
                                                            "DirectConnectGateways",
                                                            "DirectConnectGatewayAssociations",
                                                            "VirtualInterfaces",
                                                            "CarrierGateways",
                                                            "LocalGateways",
                                                            "ElasticsearchDomains"};

}  // namespace

std::string_view SnapshotMerger::Arena::keep(std::string_view s) {
  constexpr std::size_t kBlock = 64 * 1024;
  if (s.size() > room_) {
    const std::size_t size = std::max(kBlock, s.size());
    blocks_.push_back(std::make_unique<char[]>(size));
    next_ = blocks_.back().get();
    room_ = size;
  }
  std::copy(s.begin(), s.end(), next_);
  const std::string_view kept(next_, s.size());
  next_ += s.size();
  room_ -= s.size();
  return kept;
}

void SnapshotMerger::merge(Fragment&& f) {
  if (f.listed) s_.files.push_back(f.source.file);
  for (auto& event : f.events) {
    if (auto* o = std::get_if<Offered>(&event)) {
      if (!first_of(o->kind, o->id, f.source)) continue;
      if (o->not_live) {
        not_live(o->kind, o->not_live->first, o->id, o->not_live->second, f.source);
        continue;
      }
      if (o->error) std::rethrow_exception(o->error);
      o->keep(s_, f.resources, o->index);
    } else if (const auto* key = std::get_if<UnknownKey>(&event)) {
      unknown_key(*key, f.source);
    } else {
      auto& entries = std::get<LooseEntries>(event);
      auto& pending = pending_entries_[entries.prefix_list_id];
      if (pending.source.file.empty()) pending.source = f.source;
      pending.cidrs.insert(pending.cidrs.end(), entries.cidrs.begin(), entries.cidrs.end());
      pending.ipv6_cidrs.insert(pending.ipv6_cidrs.end(), entries.ipv6_cidrs.begin(),
                                entries.ipv6_cidrs.end());
    }
  }
  if (f.error) std::rethrow_exception(f.error);
}

void SnapshotMerger::finish() {
  // Entries delivered separately (get-managed-prefix-list-entries) join their list.
  std::unordered_map<std::string_view, std::size_t> list_at;
  for (std::size_t i = 0; i < s_.prefix_lists.size(); ++i)
    list_at.emplace(s_.prefix_lists[i].prefix_list_id, i);
  for (auto& [id, entries] : pending_entries_) {
    auto at = list_at.find(id);
    if (at == list_at.end()) {
      PrefixList pl;
      pl.prefix_list_id = id;
      pl.source = entries.source;
      s_.prefix_lists.push_back(pl);
      at = list_at.emplace(id, s_.prefix_lists.size() - 1).first;
    }
    auto& list = s_.prefix_lists[at->second];
    for (const auto& c : entries.cidrs) {
      if (std::find(list.cidrs.begin(), list.cidrs.end(), c) == list.cidrs.end()) list.cidrs.push_back(c);
    }
    for (const auto& c : entries.ipv6_cidrs) {
      if (std::find(list.ipv6_cidrs.begin(), list.ipv6_cidrs.end(), c) == list.ipv6_cidrs.end())
        list.ipv6_cidrs.push_back(c);
    }
  }
}

// Keeps the first of two resources with one ID. The same resource seen from two accounts or
// regions (a shared transit gateway, both ends of a peering) is normal: a note. Twice in one
// file is odd: a warning.
bool SnapshotMerger::first_of(std::string_view kind, const std::string& id, const Source& source) {
  auto& seen = seen_[kind];
  auto it = seen.find(id);
  if (it == seen.end()) {
    seen.emplace(ids_.keep(id), s_.files.size() - 1);  // merge() listed this file last
    return true;
  }
  const std::string& first_file = s_.files[it->second];
  const std::string message = std::string(kind) + " " + id + " is listed more than once (first in " +
                              first_file + "): the first one is used";
  if (first_file == source.file) {
    s_.diagnostics.warn("duplicate-resource", message, source.file, id);
  } else {
    s_.diagnostics.note("duplicate-resource", message, source.file, id);
  }
  return false;
}

void SnapshotMerger::not_live(std::string_view kind, const std::string& what, const std::string& id,
                              const std::string& state, const Source& source) {
  s_.not_live.push_back({std::string(kind), id, state, source});
  s_.diagnostics.note("not-live",
                      what + " " + id + " is " + (state.empty() ? "in no state" : state) +
                          ", not live: left out of the model",
                      source.file, id);
}

void SnapshotMerger::unknown_key(const UnknownKey& u, const Source& source) {
  const std::string& key = u.key;
  const bool ignored = kIgnoredKeys.count(key) > 0;
  const bool unmodelled = kUnmodelledKeys.count(key) > 0;
  // Empty lists say nothing about the network: no diagnostic, as in Batfish.
  if (u.empty_list && !ignored) return;
  if (!reported_keys_.insert(key).second) return;
  if (ignored) {
    s_.diagnostics.note("ignored-key", "top-level key " + key + " is not needed for reachability: ignored",
                        source.file);
  } else if (unmodelled) {
    s_.diagnostics.unimplemented("unmodelled-key",
                                 "top-level key " + key + " (" + std::to_string(u.count) +
                                     " in the first file) is not modelled by vpcprove yet: ignored",
                                 source.file);
  } else {
    s_.diagnostics.warn("unknown-key", "unknown top-level key " + key + ": ignored", source.file);
  }
}

}  // namespace vpcprove::aws
