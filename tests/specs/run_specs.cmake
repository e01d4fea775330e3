# SPDX-License-Identifier: Apache-2.0
# Runs `vpcprove check` on one snapshot and compares every verdict with the pinned ones.
#   cmake -DVPCPROVE=bin -DSNAPSHOT=dir -DEXPECT=file "-DSPECS=a.yaml;b.yaml" "-DSCOPES=s.json"
#         -DWORK=dir -P run_specs.cmake
# EXPECT holds lines `EXPECT: <name>: holds|violated|unknown  # <why this is right>` (a leading
# "# " is allowed, so a spec file can carry its own expectations); every line needs its reason,
# every result needs a line and every line a result. On a mismatch, expected.log and got.log
# are written to WORK.
cmake_minimum_required(VERSION 3.25)
set(args check "${SNAPSHOT}" --format json --jobs 1)
foreach(s IN LISTS SPECS)
  list(APPEND args --spec "${s}")
endforeach()
foreach(s IN LISTS SCOPES)
  list(APPEND args --scope "${s}")
endforeach()
execute_process(COMMAND "${VPCPROVE}" ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc MATCHES "^[013]$")
  message(FATAL_ERROR "vpcprove check exited ${rc}\n${err}")
endif()

set(got "")
string(JSON n LENGTH "${out}" results)
if(n GREATER 0)
  math(EXPR last "${n} - 1")
  foreach(i RANGE ${last})
    string(JSON name GET "${out}" results ${i} name)
    string(JSON verdict GET "${out}" results ${i} verdict)
    list(APPEND got "${name}: ${verdict}")
  endforeach()
endif()

set(expected "")
file(STRINGS "${EXPECT}" lines REGEX "EXPECT:")
foreach(line IN LISTS lines)
  if(NOT line MATCHES "^(# *)?EXPECT: *([^ :]+): *(holds|violated|unknown) +#+ *([^ ].*)$")
    message(FATAL_ERROR "${EXPECT}: malformed or reason-less expectation:\n  ${line}\n"
                        "expected: EXPECT: <name>: holds|violated|unknown  # <why>")
  endif()
  list(APPEND expected "${CMAKE_MATCH_2}: ${CMAKE_MATCH_3}")
endforeach()

set(problems "")
foreach(x IN LISTS got)
  if(NOT x IN_LIST expected)
    string(APPEND problems "  got      ${x}\n")
  endif()
endforeach()
foreach(x IN LISTS expected)
  if(NOT x IN_LIST got)
    string(APPEND problems "  expected ${x}\n")
  endif()
endforeach()
if(problems)
  file(MAKE_DIRECTORY "${WORK}")
  string(REPLACE ";" "\n" _e "${expected}")
  string(REPLACE ";" "\n" _g "${got}")
  file(WRITE "${WORK}/expected.log" "${_e}\n")
  file(WRITE "${WORK}/got.log" "${_g}\n")
  message(FATAL_ERROR "${SNAPSHOT}: verdicts differ from ${EXPECT} (logs in ${WORK}):\n${problems}")
endif()
list(LENGTH got count)
message(STATUS "${count} verdicts as pinned in ${EXPECT}")
