# SPDX-License-Identifier: Apache-2.0
# Runs a command; fails unless it exits with EXPECTED_CODE, its stdout matches every regex of
# MATCHES (a ;-list) and none of NOT_MATCHES.
#   cmake "-DCOMMAND=a;b;c" -DEXPECTED_CODE=0 "-DMATCHES=re1;re2" "-DNOT_MATCHES=re3" -P expect_output.cmake
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL EXPECTED_CODE)
  message(FATAL_ERROR "exit code ${code}, expected ${EXPECTED_CODE}\nstdout: ${out}\nstderr: ${err}")
endif()
foreach(re IN LISTS MATCHES)
  if(NOT out MATCHES "${re}")
    message(FATAL_ERROR "stdout does not match '${re}':\n${out}")
  endif()
endforeach()
foreach(re IN LISTS NOT_MATCHES)
  if(out MATCHES "${re}")
    message(FATAL_ERROR "stdout matches '${re}', which it must not:\n${out}")
  endif()
endforeach()
