// SPDX-License-Identifier: Apache-2.0
// What `vpcprove trace` prints: the walk of one concrete packet (and its reply), and the header
// fields the tool picked, as text for people or as the contract's JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "trace/packet_choice.h"
#include "trace/trace.h"

namespace vpcprove::report {

struct TraceAnswer {
  std::string from;  ///< as the user wrote them
  std::string to;
  std::vector<trace::ChosenField> chosen;
  trace::SessionWalk session;  ///< the reply is set only when asked for and there is one
  bool reply_asked = false;
  bool reaches_to = false;  ///< the walk ended where --to points (trace::reaches)
};

/** {"disposition", "packet", "path", "drop", "final_packet", "endpoint", "from", "to",
 *  "reaches_to", "chosen", "chosen_why", "reply"} (docs/cli-contract.md, trace). */
nlohmann::ordered_json trace_json(const TraceAnswer& answer);

/** The walk for people; every ID, rule and argument goes through escape_text (common/escape.h). */
void write_trace_text(std::ostream& out, const TraceAnswer& answer);

}  // namespace vpcprove::report
