// SPDX-License-Identifier: Apache-2.0
// The one place JSON values are read and checked, so every bad field gives the same kind of message.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/snapshot.h"
#include "common/ipv4.h"

namespace vpcprove::aws {

/**
 * A view of one JSON object inside a snapshot file, with the context needed for messages:
 * the file, the AWS ID of the resource being read (or "Subnets[3]" until the ID is known) and
 * the path of the object inside that resource ("Routes[2]").
 *
 * Every accessor reads one field in one line and throws InputError(file, resource,
 * "field Routes[2].DestinationCidrBlock: ...") when the field is missing (required accessors),
 * has the wrong JSON type, or is out of range. A JSON null counts as missing. Unknown fields
 * are never looked at, so they are ignored.
 *
 * Holds a reference to the JSON value: the value must outlive the reader.
 */
class JsonReader {
 public:
  /** @throws InputError when value is not a JSON object. */
  JsonReader(const nlohmann::json& value, std::string file, std::string resource, std::string path = {});

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] const std::string& resource() const { return resource_; }
  /** The same object, with messages naming resource (call once the ID has been read). */
  [[nodiscard]] JsonReader for_resource(std::string resource) const;
  [[nodiscard]] bool has(std::string_view key) const;

  /** A required string field. */
  [[nodiscard]] std::string string(std::string_view key) const;
  [[nodiscard]] std::optional<std::string> optional_string(std::string_view key) const;
  /** An optional string field, "" when absent. */
  [[nodiscard]] std::string string_or_empty(std::string_view key) const;
  [[nodiscard]] bool boolean_or(std::string_view key, bool fallback) const;
  /** An optional integer field that must lie in [lo, hi]. */
  [[nodiscard]] std::optional<int> optional_integer(std::string_view key, int lo, int hi) const;
  [[nodiscard]] int integer(std::string_view key, int lo, int hi) const;
  /** An IPv4 CIDR block ("10.0.0.0/16"); a bare address, /33 or an octet of 300 is an error. */
  [[nodiscard]] Ipv4Prefix prefix(std::string_view key) const;
  [[nodiscard]] std::optional<Ipv4Prefix> optional_prefix(std::string_view key) const;
  /** A dotted-quad IPv4 address. */
  [[nodiscard]] Ipv4Address address(std::string_view key) const;
  [[nodiscard]] std::optional<Ipv4Address> optional_address(std::string_view key) const;
  /** The objects of an optional list field (absent: empty), each a reader at "key[i]". */
  [[nodiscard]] std::vector<JsonReader> objects(std::string_view key) const;
  /** An optional object field. */
  [[nodiscard]] std::optional<JsonReader> object(std::string_view key) const;
  /** An optional list of strings (absent: empty). */
  [[nodiscard]] std::vector<std::string> strings(std::string_view key) const;
  /** An optional list of {"Key","Value"} objects (AWS's Tags / TagSet); absent: empty. */
  [[nodiscard]] Tags tags(std::string_view key) const;

  /** Throws InputError naming this reader's file, resource and path + key. */
  [[noreturn]] void fail(std::string_view key, const std::string& detail) const;

 private:
  /** The field, or nullptr when absent or null. */
  [[nodiscard]] const nlohmann::json* find(std::string_view key) const;
  [[nodiscard]] std::string field_name(std::string_view key) const;

  const nlohmann::json* value_;
  std::string file_;
  std::string resource_;
  std::string path_;
};

/** Parses text as an IPv4 CIDR block that must carry an explicit length; nullopt otherwise. */
std::optional<Ipv4Prefix> parse_cidr(std::string_view text);

/** "string", "number", "object", … for messages. */
std::string json_type_name(const nlohmann::json& value);

}  // namespace vpcprove::aws
