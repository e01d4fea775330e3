# SPDX-License-Identifier: Apache-2.0
# A test that fails and says why: `cmake -E env MESSAGE=… cmake -P fail_with_message.cmake`.
message(FATAL_ERROR "$ENV{MESSAGE}")
