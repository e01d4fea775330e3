// SPDX-License-Identifier: Apache-2.0
// The one place JSON values are read and checked, so every bad field gives the same kind of message.
#pragma once

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/snapshot.h"
#include "common/ipv4.h"
#include "common/ipv6.h"

namespace vpcprove::aws {

/**
 * A view of one JSON object inside a snapshot file, with the context needed for messages:
 * the file, the AWS ID of the resource being read (or "Subnets[3]" until the ID is known) and
 * the path of the object inside that resource ("Routes[2]").
 *
 * Every accessor reads one field in one line and throws InputError(file, resource,
 * "field Routes[2].DestinationCidrBlock: ...") when the field is missing (required accessors),
 * has the wrong JSON type, or is out of range. A JSON null counts as missing. Unknown fields
 * are never looked at, so they are ignored. When a key appears twice in one object the last one
 * counts, as it always did with nlohmann::json.
 *
 * Cheap to copy (a loader makes millions): file and resource live in one shared context, and the
 * path is kept as views of the document's own keys, spelled out only when a message is made.
 * Holds a reference into the parsed document: the document must outlive the reader.
 */
class JsonReader {
 public:
  /** @throws InputError when value is not a JSON object. */
  JsonReader(simdjson::dom::element value, std::string file, std::string resource, std::string path = {});

  /**
   * Calls read(reader) for each object of the top-level list `key`, in order, each named
   * "key[i]" until for_resource: what JsonReader(list[i], file, key + "[i]") gives, with one
   * context for the whole list instead of one per element.
   * @throws InputError when the element reached is not an object, and whatever read throws.
   */
  template <class Read>
  static void for_each_resource(simdjson::dom::array list, std::string file, std::string key, Read&& read);

  [[nodiscard]] const std::string& file() const { return *context_->file; }
  [[nodiscard]] std::string resource() const;
  /** Where this object sits inside its resource ("Routes[2]"; "" for the resource itself). */
  [[nodiscard]] std::string path() const;
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
  /** An IPv6 CIDR block ("2001:db8::/56"); a bare address, /129, a bad group or an IPv4 CIDR
   *  is an error. */
  [[nodiscard]] Ipv6Prefix ipv6_prefix(std::string_view key) const;
  [[nodiscard]] std::optional<Ipv6Prefix> optional_ipv6_prefix(std::string_view key) const;
  /** An IPv6 address ("2001:db8::1"; RFC 4291 text, an embedded dotted quad allowed). */
  [[nodiscard]] Ipv6Address ipv6_address(std::string_view key) const;
  [[nodiscard]] std::optional<Ipv6Address> optional_ipv6_address(std::string_view key) const;
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
  struct Context {
    std::shared_ptr<const std::string> file;  // shared by every resource of the file
    std::string resource;
    std::string path;  // the path of the first step's parent: the constructor's, or a spelled-out prefix
  };
  // One step below the context's path: a key of the document (a view into it) and, for list
  // elements, the index. Four steps cover every object a snapshot nests; deeper readers spell
  // their path out into a new context.
  struct Step {
    std::string_view key;
    std::int64_t index = -1;
  };
  static constexpr std::size_t kSteps = 4;
  struct Field {
    std::string_view key;  // the document's copy of the key
    simdjson::dom::element value;
  };

  JsonReader(simdjson::dom::object value, std::shared_ptr<const Context> context) noexcept;
  static std::shared_ptr<const Context> list_context(std::string file, std::string key);
  [[noreturn]] static void not_an_object(const Context& list, std::int64_t index,
                                         simdjson::dom::element value);
  /** The reader of field's value (an object, else InputError), one step below this one. */
  [[nodiscard]] JsonReader child(const Field& field, std::int64_t index, simdjson::dom::element value) const;
  /** The field, or nullopt when absent or null. */
  [[nodiscard]] std::optional<Field> find(std::string_view key) const;
  [[nodiscard]] std::string field_name(std::string_view key) const;

  simdjson::dom::object value_;
  std::shared_ptr<const Context> context_;
  std::array<Step, kSteps> steps_{};
  std::size_t depth_ = 0;
  std::int64_t element_ =
      -1;  // for a reader of for_each_resource: the index in the list (context_->resource)
};

template <class Read>
void JsonReader::for_each_resource(simdjson::dom::array list, std::string file, std::string key,
                                   Read&& read) {
  const auto context = list_context(std::move(file), std::move(key));
  std::int64_t i = 0;
  for (const simdjson::dom::element x : list) {
    simdjson::dom::object object;
    if (x.get_object().get(object)) not_an_object(*context, i, x);
    JsonReader reader(object, context);
    reader.element_ = i++;
    read(static_cast<const JsonReader&>(reader));
  }
}

/** Parses text as an IPv4 CIDR block that must carry an explicit length; nullopt otherwise. */
std::optional<Ipv4Prefix> parse_cidr(std::string_view text);

/** Parses text as an IPv6 CIDR block that must carry an explicit length; nullopt otherwise. */
std::optional<Ipv6Prefix> parse_cidr6(std::string_view text);

/** "string", "integer", "number", "object", "array", "boolean", "null" for messages. */
std::string json_type_name(simdjson::dom::element value);

}  // namespace vpcprove::aws
