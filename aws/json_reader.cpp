// SPDX-License-Identifier: Apache-2.0
// Checked field access over a simdjson DOM with uniform InputError messages.
#include "aws/json_reader.h"

#include <limits>

#include "aws/json_keys.h"
#include "common/diagnostics.h"

namespace vpcprove::aws {

namespace {

using simdjson::dom::element_type;

std::string list_element(std::string_view key, std::int64_t index) {
  return std::string(key) + "[" + std::to_string(index) + "]";
}

}  // namespace

std::string json_type_name(simdjson::dom::element value) {
  switch (value.type()) {
    case element_type::ARRAY:
      return "array";
    case element_type::OBJECT:
      return "object";
    case element_type::INT64:
    case element_type::UINT64:
      return "integer";
    case element_type::DOUBLE:
      return "number";
    case element_type::STRING:
      return "string";
    case element_type::BOOL:
      return "boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "unknown";
}

std::optional<Ipv4Prefix> parse_cidr(std::string_view text) {
  if (text.find('/') == std::string_view::npos) return std::nullopt;
  return Ipv4Prefix::parse(text);
}

std::optional<Ipv6Prefix> parse_cidr6(std::string_view text) {
  if (text.find('/') == std::string_view::npos) return std::nullopt;
  return Ipv6Prefix::parse(text);
}

JsonReader::JsonReader(simdjson::dom::element value, std::string file, std::string resource, std::string path)
    : context_(std::make_shared<const Context>(Context{std::make_shared<const std::string>(std::move(file)),
                                                       std::move(resource), std::move(path)})) {
  if (value.type() != element_type::OBJECT) {
    const auto& c = *context_;
    throw InputError(*c.file, c.resource,
                     (c.path.empty() ? std::string("expected a JSON object")
                                     : "field " + c.path + ": expected an object") +
                         ", got " + json_type_name(value));
  }
  value_ = value.get_object().value_unsafe();
}

JsonReader::JsonReader(simdjson::dom::object value, std::shared_ptr<const Context> context) noexcept
    : value_(value), context_(std::move(context)) {}

std::shared_ptr<const JsonReader::Context> JsonReader::list_context(std::string file, std::string key) {
  return std::make_shared<const Context>(
      Context{std::make_shared<const std::string>(std::move(file)), std::move(key), std::string()});
}

void JsonReader::not_an_object(const Context& list, std::int64_t index, simdjson::dom::element value) {
  throw InputError(*list.file, list_element(list.resource, index),
                   "expected a JSON object, got " + json_type_name(value));
}

std::string JsonReader::resource() const {
  return element_ < 0 ? context_->resource : list_element(context_->resource, element_);
}

std::string JsonReader::path() const {
  std::string out = context_->path;
  for (std::size_t i = 0; i < depth_; ++i) {
    if (!out.empty()) out += '.';
    out += steps_[i].index < 0 ? std::string(steps_[i].key) : list_element(steps_[i].key, steps_[i].index);
  }
  return out;
}

JsonReader JsonReader::for_resource(std::string resource) const {
  JsonReader r = *this;
  r.context_ = std::make_shared<const Context>(Context{context_->file, std::move(resource), context_->path});
  r.element_ = -1;
  return r;
}

JsonReader JsonReader::child(const Field& field, std::int64_t index, simdjson::dom::element value) const {
  JsonReader r = *this;
  if (depth_ == kSteps) {
    // Deeper than the inline steps: this reader's path becomes the child's context.
    r.context_ = std::make_shared<const Context>(Context{context_->file, resource(), path()});
    r.element_ = -1;
    r.depth_ = 0;
  }
  r.steps_[r.depth_++] = Step{field.key, index};
  if (value.get_object().get(r.value_)) {
    throw InputError(file(), resource(),
                     "field " + r.path() + ": expected an object, got " + json_type_name(value));
  }
  return r;
}

std::optional<JsonReader::Field> JsonReader::find(std::string_view key) const {
  // The last of equal keys counts, as in nlohmann::json (whose objects are maps); so every key is looked at.
  std::optional<Field> found;
  for (const simdjson::dom::key_value_pair field : value_) {
    if (field.key == key) found = Field{field.key, field.value};
  }
  if (found && found->value.is_null()) return std::nullopt;
  return found;
}

bool JsonReader::has(std::string_view key) const { return find(key).has_value(); }

std::string JsonReader::field_name(std::string_view key) const {
  std::string p = path();
  return p.empty() ? std::string(key) : p + "." + std::string(key);
}

void JsonReader::fail(std::string_view key, const std::string& detail) const {
  throw InputError(file(), resource(), "field " + field_name(key) + ": " + detail);
}

std::optional<std::string> JsonReader::optional_string(std::string_view key) const {
  const auto f = find(key);
  if (!f) return std::nullopt;
  std::string_view s;
  if (f->value.get_string().get(s)) fail(key, "expected a string, got " + json_type_name(f->value));
  return std::string(s);
}

std::string JsonReader::string(std::string_view key) const {
  auto s = optional_string(key);
  if (!s) fail(key, "required field is missing");
  return std::move(*s);
}

std::string JsonReader::string_or_empty(std::string_view key) const {
  return optional_string(key).value_or("");
}

bool JsonReader::boolean_or(std::string_view key, bool fallback) const {
  const auto f = find(key);
  if (!f) return fallback;
  bool b = false;
  if (f->value.get_bool().get(b)) fail(key, "expected true or false, got " + json_type_name(f->value));
  return b;
}

std::optional<int> JsonReader::optional_integer(std::string_view key, int lo, int hi) const {
  const auto f = find(key);
  if (!f) return std::nullopt;
  const auto range = [&] {
    return " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")";
  };
  std::int64_t n = 0;
  switch (f->value.type()) {
    case element_type::INT64:
      n = f->value.get_int64().value_unsafe();
      break;
    case element_type::UINT64:
      // Only values above 2^63 are UINT64: out of any range an AWS field has (not wrapped to negative).
      fail(key, std::to_string(f->value.get_uint64().value_unsafe()) + range());
    default:
      fail(key, "expected an integer, got " + json_type_name(f->value));
  }
  // 64-bit first so that 2^40 is reported as out of range, not wrapped.
  if (n < lo || n > hi) fail(key, std::to_string(n) + range());
  return static_cast<int>(n);
}

int JsonReader::integer(std::string_view key, int lo, int hi) const {
  auto n = optional_integer(key, lo, hi);
  if (!n) fail(key, "required field is missing");
  return *n;
}

std::optional<Ipv4Prefix> JsonReader::optional_prefix(std::string_view key) const {
  auto s = optional_string(key);
  if (!s) return std::nullopt;
  auto p = parse_cidr(*s);
  if (!p) {
    fail(key, "'" + *s + "' is not an IPv4 CIDR block" +
                  (parse_cidr6(*s) ? " (it is IPv6: an IPv6 block goes in the IPv6 field)" : ""));
  }
  return p;
}

std::optional<Ipv6Prefix> JsonReader::optional_ipv6_prefix(std::string_view key) const {
  auto s = optional_string(key);
  if (!s) return std::nullopt;
  auto p = parse_cidr6(*s);
  if (!p) {
    fail(key, "'" + *s + "' is not an IPv6 CIDR block" +
                  (parse_cidr(*s) ? " (it is IPv4: an IPv4 block goes in the IPv4 field)" : ""));
  }
  return p;
}

Ipv6Prefix JsonReader::ipv6_prefix(std::string_view key) const {
  auto p = optional_ipv6_prefix(key);
  if (!p) fail(key, "required field is missing");
  return *p;
}

std::optional<Ipv6Address> JsonReader::optional_ipv6_address(std::string_view key) const {
  auto s = optional_string(key);
  if (!s) return std::nullopt;
  auto a = parse_ipv6(*s);
  if (!a) fail(key, "'" + *s + "' is not an IPv6 address");
  return a;
}

Ipv6Address JsonReader::ipv6_address(std::string_view key) const {
  auto a = optional_ipv6_address(key);
  if (!a) fail(key, "required field is missing");
  return *a;
}

Ipv4Prefix JsonReader::prefix(std::string_view key) const {
  auto p = optional_prefix(key);
  if (!p) fail(key, "required field is missing");
  return *p;
}

std::optional<Ipv4Address> JsonReader::optional_address(std::string_view key) const {
  auto s = optional_string(key);
  if (!s) return std::nullopt;
  auto a = parse_ipv4(*s);
  if (!a) fail(key, "'" + *s + "' is not an IPv4 address");
  return a;
}

Ipv4Address JsonReader::address(std::string_view key) const {
  auto a = optional_address(key);
  if (!a) fail(key, "required field is missing");
  return *a;
}

std::vector<JsonReader> JsonReader::objects(std::string_view key) const {
  std::vector<JsonReader> out;
  const auto f = find(key);
  if (!f) return out;
  simdjson::dom::array list;
  if (f->value.get_array().get(list)) fail(key, "expected a list, got " + json_type_name(f->value));
  out.reserve(list.size());  // size() saturates at 2^24 - 1: a hint only
  std::int64_t i = 0;
  for (const simdjson::dom::element e : list) out.push_back(child(*f, i++, e));
  return out;
}

std::optional<JsonReader> JsonReader::object(std::string_view key) const {
  const auto f = find(key);
  if (!f) return std::nullopt;
  return child(*f, -1, f->value);
}

std::vector<std::string> JsonReader::strings(std::string_view key) const {
  std::vector<std::string> out;
  const auto f = find(key);
  if (!f) return out;
  simdjson::dom::array list;
  if (f->value.get_array().get(list)) fail(key, "expected a list, got " + json_type_name(f->value));
  std::int64_t i = 0;
  for (const simdjson::dom::element e : list) {
    std::string_view s;
    if (e.get_string().get(s)) fail(list_element(key, i), "expected a string, got " + json_type_name(e));
    out.emplace_back(s);
    ++i;
  }
  return out;
}

Tags JsonReader::tags(std::string_view key) const {
  Tags out;
  for (const auto& tag : objects(key)) out.emplace(tag.string(keys::kKey), tag.string_or_empty(keys::kValue));
  return out;
}

}  // namespace vpcprove::aws
