// SPDX-License-Identifier: Apache-2.0
// Hashing for keys the standard library does not hash: pairs of strings (two AWS IDs).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <utility>

namespace vpcprove {

/** For std::unordered_map keyed by (ID, ID): at 100k ENIs a std::map compares long, alike IDs. */
struct StringPairHash {
  std::size_t operator()(const std::pair<std::string, std::string>& p) const {
    const std::size_t a = std::hash<std::string>{}(p.first);
    return a ^ (std::hash<std::string>{}(p.second) + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
  }
};

}  // namespace vpcprove
