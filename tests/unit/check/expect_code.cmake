# SPDX-License-Identifier: Apache-2.0
# Runs COMMAND and fails unless it exits with EXPECTED_CODE; then checks STDOUT_REGEX /
# STDERR_REGEX when given, EMPTY_STDOUT when set, and that OUTPUT_FILE exists and matches
# OUTPUT_REGEX when given.
#   cmake "-DCOMMAND=a;b" -DEXPECTED_CODE=1 [-DSTDOUT_REGEX=re] [-DSTDERR_REGEX=re] [-DEMPTY_STDOUT=1]
#         [-DOUTPUT_FILE=f -DOUTPUT_REGEX=re] -P expect_code.cmake
if(DEFINED OUTPUT_FILE)
  file(REMOVE "${OUTPUT_FILE}")
endif()
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL EXPECTED_CODE)
  message(FATAL_ERROR "exit code ${code}, expected ${EXPECTED_CODE}\nstdout: ${out}\nstderr: ${err}")
endif()
if(DEFINED STDOUT_REGEX AND NOT out MATCHES "${STDOUT_REGEX}")
  message(FATAL_ERROR "stdout does not match ${STDOUT_REGEX}:\n${out}")
endif()
if(DEFINED STDERR_REGEX AND NOT err MATCHES "${STDERR_REGEX}")
  message(FATAL_ERROR "stderr does not match ${STDERR_REGEX}:\n${err}")
endif()
if(EMPTY_STDOUT AND NOT out STREQUAL "")
  message(FATAL_ERROR "stdout is not empty:\n${out}")
endif()
if(DEFINED OUTPUT_FILE)
  if(NOT EXISTS "${OUTPUT_FILE}")
    message(FATAL_ERROR "${OUTPUT_FILE} was not written")
  endif()
  file(READ "${OUTPUT_FILE}" written)
  if(DEFINED OUTPUT_REGEX AND NOT written MATCHES "${OUTPUT_REGEX}")
    message(FATAL_ERROR "${OUTPUT_FILE} does not match ${OUTPUT_REGEX}")
  endif()
endif()
message(STATUS "exit ${code} as expected")
