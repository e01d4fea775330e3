// SPDX-License-Identifier: Apache-2.0
// Checked field access over nlohmann::json with uniform InputError messages.
#include "aws/json_reader.h"

#include <limits>

#include "aws/json_keys.h"
#include "common/diagnostics.h"

namespace vpcprove::aws {

std::string json_type_name(const nlohmann::json& value) {
  if (value.is_number_integer()) return "integer";
  if (value.is_number()) return "number";
  return value.type_name();
}

std::optional<Ipv4Prefix> parse_cidr(std::string_view text) {
  if (text.find('/') == std::string_view::npos) return std::nullopt;
  return Ipv4Prefix::parse(text);
}

JsonReader::JsonReader(const nlohmann::json& value, std::string file, std::string resource, std::string path)
    : value_(&value), file_(std::move(file)), resource_(std::move(resource)), path_(std::move(path)) {
  if (!value.is_object()) {
    throw InputError(
        file_, resource_,
        (path_.empty() ? std::string("expected a JSON object") : "field " + path_ + ": expected an object") +
            ", got " + json_type_name(value));
  }
}

JsonReader JsonReader::for_resource(std::string resource) const {
  JsonReader r = *this;
  r.resource_ = std::move(resource);
  return r;
}

const nlohmann::json* JsonReader::find(std::string_view key) const {
  auto it = value_->find(key);
  if (it == value_->end() || it->is_null()) return nullptr;
  return &*it;
}

bool JsonReader::has(std::string_view key) const { return find(key) != nullptr; }

std::string JsonReader::field_name(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void JsonReader::fail(std::string_view key, const std::string& detail) const {
  throw InputError(file_, resource_, "field " + field_name(key) + ": " + detail);
}

std::optional<std::string> JsonReader::optional_string(std::string_view key) const {
  const auto* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) fail(key, "expected a string, got " + json_type_name(*v));
  return v->get<std::string>();
}

std::string JsonReader::string(std::string_view key) const {
  auto s = optional_string(key);
  if (!s) fail(key, "required field is missing");
  return *s;
}

std::string JsonReader::string_or_empty(std::string_view key) const {
  return optional_string(key).value_or("");
}

bool JsonReader::boolean_or(std::string_view key, bool fallback) const {
  const auto* v = find(key);
  if (!v) return fallback;
  if (!v->is_boolean()) fail(key, "expected true or false, got " + json_type_name(*v));
  return v->get<bool>();
}

std::optional<int> JsonReader::optional_integer(std::string_view key, int lo, int hi) const {
  const auto* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) fail(key, "expected an integer, got " + json_type_name(*v));
  // Read as 64-bit first so that 2^40 is reported as out of range, not wrapped.
  const auto n = v->get<std::int64_t>();
  if (n < lo || n > hi) {
    fail(key,
         std::to_string(n) + " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
  }
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
  if (!p) fail(key, "'" + *s + "' is not an IPv4 CIDR block");
  return p;
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
  const auto* v = find(key);
  if (!v) return out;
  if (!v->is_array()) fail(key, "expected a list, got " + json_type_name(*v));
  out.reserve(v->size());
  for (std::size_t i = 0; i < v->size(); ++i) {
    out.emplace_back((*v)[i], file_, resource_, field_name(key) + "[" + std::to_string(i) + "]");
  }
  return out;
}

std::optional<JsonReader> JsonReader::object(std::string_view key) const {
  const auto* v = find(key);
  if (!v) return std::nullopt;
  return JsonReader(*v, file_, resource_, field_name(key));
}

std::vector<std::string> JsonReader::strings(std::string_view key) const {
  std::vector<std::string> out;
  const auto* v = find(key);
  if (!v) return out;
  if (!v->is_array()) fail(key, "expected a list, got " + json_type_name(*v));
  for (std::size_t i = 0; i < v->size(); ++i) {
    const auto& e = (*v)[i];
    if (!e.is_string()) {
      fail(std::string(key) + "[" + std::to_string(i) + "]", "expected a string, got " + json_type_name(e));
    }
    out.push_back(e.get<std::string>());
  }
  return out;
}

Tags JsonReader::tags(std::string_view key) const {
  Tags out;
  for (const auto& tag : objects(key)) out.emplace(tag.string(keys::kKey), tag.string_or_empty(keys::kValue));
  return out;
}

}  // namespace vpcprove::aws
