// SPDX-License-Identifier: Apache-2.0
// Splitting Terraform addresses and following attribute paths (aws/terraform_address.h).
#include "aws/terraform_address.h"

namespace vpcprove::aws::terraform {

using Json = nlohmann::json;

std::vector<std::string> segments(const std::string& text) {
  std::vector<std::string> out(1);
  bool quoted = false;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\\' && i + 1 < text.size()) {
        out.back() += c;
        out.back() += text[++i];
        continue;
      }
      if (c == '"') quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '[') {
      ++depth;
    } else if (c == ']') {
      --depth;
    } else if (c == '.' && depth == 0) {
      out.emplace_back();
      continue;
    }
    out.back() += c;
  }
  return out;
}

std::pair<std::string, Json> split_index(const std::string& segment) {
  const auto open = segment.find('[');
  if (open == std::string::npos || segment.back() != ']') return {segment, nullptr};
  const std::string inside = segment.substr(open + 1, segment.size() - open - 2);
  Json index;
  try {
    index = Json::parse(inside);
  } catch (const Json::exception&) {
    index = inside;
  }
  return {segment.substr(0, open), index};
}

std::string strip_indexes(const std::string& module) {
  std::string out;
  for (const auto& s : segments(module)) {
    if (s.empty()) continue;
    out += (out.empty() ? "" : ".") + split_index(s).first;
  }
  return out;
}

const Json* at_path(const Json& root, const std::vector<Json>& path) {
  const Json* j = &root;
  for (const auto& k : path) {
    if (k.is_string()) {
      if (!j->is_object()) return nullptr;
      auto it = j->find(k.get<std::string>());
      if (it == j->end()) return nullptr;
      j = &*it;
    } else {
      if (!j->is_array() || k.get<std::size_t>() >= j->size()) return nullptr;
      j = &(*j)[k.get<std::size_t>()];
    }
  }
  return j;
}

std::string path_text(const std::vector<Json>& path) {
  std::string out;
  for (const auto& k : path) {
    if (k.is_string()) {
      out += (out.empty() ? "" : ".") + k.get<std::string>();
    } else {
      out += '[' + std::to_string(k.get<std::size_t>()) + ']';
    }
  }
  return out;
}

}  // namespace vpcprove::aws::terraform
