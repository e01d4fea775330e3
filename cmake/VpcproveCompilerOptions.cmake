# SPDX-License-Identifier: Apache-2.0
# Warnings (an INTERFACE target each library links PRIVATE) and sanitizers (global).

add_library(vpcprove_warnings INTERFACE)
target_compile_options(vpcprove_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-Wall -Wextra -Wpedantic>)
# g++ 12 warns -Wrestrict inside libstdc++'s own std::string concatenation at -O2 (a false
# positive: https://gcc.gnu.org/bugzilla/show_bug.cgi?id=105651, fixed in g++ 13). Only that
# compiler line is told to stop; every other compiler keeps the warning.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(vpcprove_warnings INTERFACE -Wno-restrict)
endif()
if(VPCPROVE_WARNINGS_AS_ERRORS)
  target_compile_options(vpcprove_warnings INTERFACE $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-Werror>)
endif()

if(VPCPROVE_ENABLE_SANITIZERS)
  # Applied to every target, including tests and third-party-free helpers, so that
  # no uninstrumented object shares an ASan-instrumented binary.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# ccache, when the machine has it: a second checkout (or a clean rebuild) compiles only what
# changed. Paths are hashed relative to the checkout (CCACHE_BASEDIR), so a fresh clone in another
# folder hits the cache of the first. VPCPROVE_USE_CCACHE=OFF turns it off.
option(VPCPROVE_USE_CCACHE "Compile through ccache when it is installed" ON)
find_program(VPCPROVE_CCACHE ccache)
if(VPCPROVE_USE_CCACHE AND VPCPROVE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      env "CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}" CCACHE_NOHASHDIR=1 "${VPCPROVE_CCACHE}")
endif()
