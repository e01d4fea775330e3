// SPDX-License-Identifier: Apache-2.0
// How a ReachResult is written for people (text) and programs (JSON), shared by reach and check.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "model/packet.h"
#include "model/walk.h"
#include "queries/reach.h"
#include "report/walk_json.h"

namespace vpcprove::queries {

/**
 * The contract's `reach --format json` object for one answer: verdict, from, to, semantics,
 * from_member, to_member, packet, path, disposition, reply, reason, assumptions, elapsed_ms; for an
 * answer unknown only because its proof rests on assumptions, also if_assumed and reason_if_assumed.
 * Fields that only a reachable answer has are null otherwise.
 */
nlohmann::json reach_result_json(const ReachResult& result);

/**
 * The text `reach` prints: a verdict line, then the witness (packet, hops, reply) or the
 * reasons, the assumptions and the time. Every line after the first is indented by two
 * spaces; indent is written before every line (check uses it to nest a result under an
 * invariant). Every string from the input goes through escape_text (common/escape.h), so the
 * text holds one line per line written here and no control character.
 */
void write_reach_text(std::ostream& out, const ReachResult& result, const std::string& indent = "");

/** The contract's "assumptions" array: [{"id", "kind", "assumed"}], in the list's order. */
nlohmann::json assumptions_json(const std::vector<model::Assumption>& assumptions);

/** One line per assumption, "<indent>id (kind): assumed", each field through escape_text. */
void write_assumptions_text(std::ostream& out, const std::vector<model::Assumption>& assumptions,
                            const std::string& indent);

/** One line per hop, "<indent>at  step  by", each field through escape_text (reach and trace). */
void write_hops_text(std::ostream& out, const std::vector<model::Hop>& hops, const std::string& indent);

}  // namespace vpcprove::queries
