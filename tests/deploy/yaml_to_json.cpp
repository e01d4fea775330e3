// SPDX-License-Identifier: Apache-2.0
// yaml_to_json FILE: a YAML document as JSON (yaml-cpp, the parser vpcprove reads specs with), so
// that tests/deploy can check the Kubernetes manifest's fields with jq. Scalars stay strings,
// except those YAML 1.2 reads as integers or booleans.
#include <yaml-cpp/yaml.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

namespace {

nlohmann::json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json j = nlohmann::json::object();
      for (const auto& kv : node) j[kv.first.as<std::string>()] = to_json(kv.second);
      return j;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& e : node) j.push_back(to_json(e));
      return j;
    }
    case YAML::NodeType::Scalar: {
      const std::string s = node.Scalar();
      if (node.Tag() != "!") {  // unquoted
        if (std::regex_match(s, std::regex("-?[0-9]+"))) return std::stoll(s);
        if (s == "true" || s == "false") return s == "true";
      }
      return s;
    }
    default:
      return nullptr;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: yaml_to_json FILE\n";
    return 2;
  }
  try {
    std::cout << to_json(YAML::LoadFile(argv[1])).dump(2) << '\n';
  } catch (const YAML::Exception& e) {
    std::cerr << argv[1] << ": " << e.what() << '\n';
    return 1;
  }
  return 0;
}
