# SPDX-License-Identifier: Apache-2.0
# Runs a command and fails unless it exits with EXPECTED_CODE, prints nothing on stdout and
# something on stderr (the contract's "bad input: exit 2, message on stderr").
#   cmake -DCOMMAND="a;b;c" -DEXPECTED_CODE=2 [-DSETUP_FILE=f -DSETUP_TEXT=t] -P expect_exit.cmake
if(DEFINED SETUP_FILE)
  get_filename_component(_dir "${SETUP_FILE}" DIRECTORY)
  file(REMOVE_RECURSE "${_dir}")
  file(MAKE_DIRECTORY "${_dir}")
  file(WRITE "${SETUP_FILE}" "${SETUP_TEXT}")
endif()
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL EXPECTED_CODE)
  message(FATAL_ERROR "exit code ${code}, expected ${EXPECTED_CODE}\nstdout: ${out}\nstderr: ${err}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "stdout is not empty: ${out}")
endif()
if(err STREQUAL "")
  message(FATAL_ERROR "no message on stderr")
endif()
message(STATUS "exit ${code}: ${err}")
