# SPDX-License-Identifier: Apache-2.0
# reach --format json times itself: elapsed_ms counts everything after loading, and graph_ms
# is the part of it spent building the forwarding graph (benchmarks/run.sh subtracts one from
# the other). Fails when graph_ms is missing, not positive, or more than elapsed_ms.
#   cmake -DCLI=… "-DARGS=reach;…" -P reach_timing.cmake
execute_process(COMMAND ${CLI} ${ARGS} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "vpcprove exited with ${rc}: ${err}")
endif()
string(JSON elapsed GET "${out}" elapsed_ms)
string(JSON graph GET "${out}" graph_ms)
if(NOT graph GREATER 0 OR graph GREATER elapsed)
  message(FATAL_ERROR "graph_ms ${graph} should be in (0, elapsed_ms ${elapsed}]")
endif()
