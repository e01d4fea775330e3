# SPDX-License-Identifier: Apache-2.0
# Every third-party dependency, found from the Debian 12 packages (never downloaded).
# scripts/install-deps.sh installs them.

find_package(CLI11 CONFIG REQUIRED)          # libcli11-dev      -> CLI11::CLI11
find_package(nlohmann_json 3 CONFIG REQUIRED) # nlohmann-json3-dev -> nlohmann_json::nlohmann_json
find_package(yaml-cpp CONFIG REQUIRED)        # libyaml-cpp-dev   -> yaml-cpp
find_package(Boost 1.74 REQUIRED)             # libboost-graph-dev (header-only) -> Boost::headers
if(VPCPROVE_BUILD_TESTS)
  find_package(Catch2 2 CONFIG REQUIRED)      # catch2 (v2.13)    -> Catch2::Catch2
endif()

# Debian's libz3-dev ships no CMake config, only z3.pc.
find_package(PkgConfig REQUIRED)
pkg_check_modules(Z3 REQUIRED IMPORTED_TARGET z3)
if(NOT TARGET vpcprove_z3)
  add_library(vpcprove_z3 INTERFACE)
  add_library(vpcprove::z3 ALIAS vpcprove_z3)
  target_link_libraries(vpcprove_z3 INTERFACE PkgConfig::Z3)
endif()
