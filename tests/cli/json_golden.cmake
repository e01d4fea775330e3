# SPDX-License-Identifier: Apache-2.0
# Runs vpcprove with ARGS (a ;-list) and compares its stdout, byte for byte, with GOLDEN.
# Only the times vary between runs: "elapsed_ms" and "graph_ms": <number> are written as X.
# When the answer itself changes on purpose, regenerate the file from ACTUAL (printed below);
# when only the rendering changed, the change broke the contract's JSON.
#   cmake -DCLI=… -DGOLDEN=… -DACTUAL=… "-DARGS=reach;…" -P json_golden.cmake
execute_process(COMMAND ${CLI} ${ARGS} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "vpcprove exited with ${rc}: ${err}")
endif()
string(REGEX REPLACE "\"(elapsed_ms|graph_ms)\": [-+.0-9eE]+" "\"\\1\": X" out "${out}")
file(READ "${GOLDEN}" expected)
if(NOT out STREQUAL expected)
  file(WRITE "${ACTUAL}" "${out}")
  message(FATAL_ERROR "the JSON differs from ${GOLDEN}; got ${ACTUAL}")
endif()
