// SPDX-License-Identifier: Apache-2.0
// Invariant spec files (YAML) for `vpcprove check`: the syntax and its validation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "intent/question.h"

namespace vpcprove::queries {

enum class Expectation { Reachable, Unreachable };
enum class Severity { Low, Medium, High, Critical };

const char* to_string(Expectation e);  // "reachable" / "unreachable"
const char* to_string(Severity s);     // "low" / "medium" / "high" / "critical"

/**
 * One invariant of a spec file. Endpoints are kept as written (selectors are resolved
 * against a network later, where an unknown ID is reported with file and line).
 */
struct Invariant {
  std::string name;
  std::string description;
  std::string from;
  std::string to;
  std::vector<std::string> except;       ///< endpoints whose members are exempt on either side
  std::vector<std::string> from_except;  ///< endpoints whose members are exempt as sources only
  std::vector<std::string> to_except;    ///< endpoints whose members are exempt as destinations only
  HeaderSpace header;                    ///< protocol and ports; unset fields range over all values
  /** Waypoints (graph/waypoints.h), as resource IDs: only paths that pass each of through and
   *  none of not_through count. */
  std::vector<std::string> through;
  std::vector<std::string> not_through;
  /**
   * `dst_port: [22, 3389, 8000-8100]`: a list of ranges. When non-empty, header.dst_ports is
   * unset and the invariant stands for the union of the ranges (one question over the set).
   * Only `expect: unreachable` takes a list (no port of the list gets through).
   */
  std::vector<PortRange> dst_port_list;
  Expectation expect = Expectation::Unreachable;
  /** Explicit semantics; when absent: packet for unreachable, session for reachable (contract). */
  std::optional<Semantics> semantics;
  Severity severity = Severity::Medium;
  std::string control;  ///< optional: the compliance control it implements ("CIS AWS 5.2")
  std::string file;     ///< spec file, for messages
  int line = 0;         ///< 1-based line of the invariant in the file

  [[nodiscard]] Semantics effective_semantics() const {
    return semantics.value_or(expect == Expectation::Unreachable ? Semantics::Packet : Semantics::Session);
  }
};

struct Spec {
  std::string file;
  std::vector<Invariant> invariants;
};

/**
 * Reads a spec file. Throws InputError naming the file and line for YAML syntax errors, an
 * unknown key, a missing name/from/to/expect, a bad protocol or port, a duplicate name, or an
 * endpoint that is not of any selector form in the contract.
 */
Spec load_spec(const std::string& path);

/** The same from text already in memory (file is used for messages only). */
Spec parse_spec(const std::string& text, const std::string& file);

/**
 * true when text has the form of an endpoint of the contract (eni-, sg-, tag:K=V, CIDR, …) or
 * of a spec-level selector (is_spec_selector).
 */
bool is_endpoint_form(const std::string& text);

/**
 * Selectors only spec files know, resolved by check (queries/check.h), not by
 * model::resolve_endpoint:
 * - `all-enis`: every workload ENI of the snapshot;
 * - `sg-name:NAME`: every workload ENI carrying a security group whose GroupName is NAME
 *   (`sg-name:default` selects the ENIs that use their VPC's default group).
 */
bool is_spec_selector(const std::string& text);

}  // namespace vpcprove::queries
