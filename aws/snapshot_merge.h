// SPDX-License-Identifier: Apache-2.0
// What one snapshot file says, and the snapshot-wide decisions taken on it in file order.
#pragma once

#include <cstddef>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "aws/snapshot.h"

namespace vpcprove::aws {

/** A resource read from a file, kept unless an earlier one has its ID. */
struct Offered {
  std::string_view kind;  ///< a keys:: constant: the kind whose IDs must be unique
  std::string id;
  /** Moves element `index` of the resource's list in `from` to the end of that list in `into`. */
  void (*keep)(Snapshot& into, Snapshot& from, std::size_t index) = nullptr;
  std::size_t index = 0;
  /** {what, state} of a resource that is not live ("NAT gateway", "pending"): noted, left out. */
  std::optional<std::pair<std::string, std::string>> not_live;
  /** What reading the rest of the resource threw (a peering's VPC details): thrown if it is kept. */
  std::exception_ptr error;
};

/** A top-level key no parser reads. */
struct UnknownKey {
  std::string key;
  bool empty_list = false;
  std::size_t count = 1;  ///< elements of the list, 1 for anything else
};

/** Managed prefix-list entries delivered apart from their list. */
struct LooseEntries {
  std::string prefix_list_id;
  std::vector<Ipv4Prefix> cidrs;
  std::vector<Ipv6Prefix> ipv6_cidrs;
};

/**
 * Everything one file says, in the order it says it, with no decision that depends on other
 * files: fragments are read on any thread and merged in file order (SnapshotMerger).
 */
struct Fragment {
  Source source;
  bool listed = false;  ///< parsed and a JSON object: it joins Snapshot::files
  Snapshot resources;   ///< the offered resources that are live, found by Offered::index
  std::vector<std::variant<Offered, UnknownKey, LooseEntries>> events;
  std::exception_ptr error;  ///< what stopped reading the file, after the events
};

/** Offered::keep for the resources of list List (a pointer to a member of Snapshot). */
template <auto List>
void keep_into(Snapshot& into, Snapshot& from, std::size_t index) {
  (into.*List).push_back(std::move((from.*List)[index]));
}

/**
 * Merges fragments into one snapshot, in file order, taking the decisions that depend on what
 * came before (load_snapshot in snapshot_loader.h documents them): the first resource of an ID
 * wins, with a note or a warning for the others; resources not live are listed and noted; an
 * unknown top-level key is reported once for the whole snapshot; loose prefix-list entries join
 * their list at the end (finish).
 */
class SnapshotMerger {
 public:
  explicit SnapshotMerger(Snapshot& snapshot) : s_(snapshot) {}

  /** @throws the fragment's error, or the deferred error of a resource it keeps, when reached. */
  void merge(Fragment&& fragment);
  /** Joins loose prefix-list entries to their lists (a list made for them if absent). */
  void finish();

 private:
  bool first_of(std::string_view kind, const std::string& id, const Source& source);
  void not_live(std::string_view kind, const std::string& what, const std::string& id,
                const std::string& state, const Source& source);
  void unknown_key(const UnknownKey& key, const Source& source);

  /** Stable copies of many short strings (IDs): a few large blocks, not one allocation each. */
  class Arena {
   public:
    std::string_view keep(std::string_view s);

   private:
    std::vector<std::unique_ptr<char[]>> blocks_;
    char* next_ = nullptr;
    std::size_t room_ = 0;
  };

  struct PendingEntries {
    std::vector<Ipv4Prefix> cidrs;
    std::vector<Ipv6Prefix> ipv6_cidrs;
    Source source;
  };

  Snapshot& s_;
  // kind -> ID -> index in s_.files of the file that listed it first. Hashed, with the IDs in
  // an arena: a std::map of strings was a quarter of loading time at 100k ENIs.
  std::map<std::string_view, std::unordered_map<std::string_view, std::size_t>, std::less<>> seen_;
  Arena ids_;
  std::set<std::string, std::less<>> reported_keys_;
  std::map<std::string, PendingEntries> pending_entries_;
};

}  // namespace vpcprove::aws
