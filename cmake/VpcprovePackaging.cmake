# SPDX-License-Identifier: Apache-2.0
# What `make install` (cmake --install, PREFIX and DESTDIR honoured) and `cpack -G DEB` ship:
#   bin/vpcprove, bin/vpcprove-collect, share/vpcprove/specs/ (the library), and
#   share/vpcprove/vpcprove-collect-policy.json (the collector's read-only IAM policy).
include(GNUInstallDirs)

# Installing (and cpack, which installs) never builds: `make install` builds first itself, and a
# package test must not rebuild the whole tree with its tests.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

configure_file(${PROJECT_SOURCE_DIR}/collect/vpcprove-collect.in ${CMAKE_BINARY_DIR}/vpcprove-collect @ONLY
  FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
install(PROGRAMS ${CMAKE_BINARY_DIR}/vpcprove-collect DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/specs/ DESTINATION ${CMAKE_INSTALL_DATADIR}/vpcprove/specs)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/vpcprove-collect-policy.json DESTINATION ${CMAKE_INSTALL_DATADIR}/vpcprove)

# The Debian package. Depends are the Debian 12 packages of the shared libraries vpcprove links
# (dpkg -S on each library `ldd build/vpcprove` lists): Boost.Graph, CLI11 and nlohmann-json are
# header-only. jq and bash run vpcprove-collect; the AWS CLI is recommended (AWS ships v2 outside
# Debian, so it cannot be a hard dependency).
set(CPACK_PACKAGE_NAME vpcprove)
set(CPACK_PACKAGE_VENDOR "vpcprove")
set(CPACK_PACKAGE_CONTACT "vpcprove maintainers <vpcprove@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "proofs and counterexamples for AWS VPC reachability (Z3)")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.34), libstdc++6 (>= 12), libgcc-s1, libz3-4 (>= 4.8), libyaml-cpp0.7, libsimdjson14, bash, jq")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "awscli")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/vpcprove/vpcprove")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
if(NOT EXISTS "${CPACK_RESOURCE_FILE_LICENSE}")
  unset(CPACK_RESOURCE_FILE_LICENSE)
endif()
include(CPack)
