// SPDX-License-Identifier: Apache-2.0
// A second clock behind Z3's own timeout: Z3 4.8.12 (Debian 12's) runs its "timeout" timer on a
// thread pool whose hand-over can miss a timer (a race fixed upstream after 4.8.12:
// https://github.com/Z3Prover/z3/pull/5371), and then a check with --timeout-ms runs on for
// as long as the problem takes. The deadline interrupts the context itself when Z3's timer
// has not stopped the check soon after the limit.
#pragma once

#include <z3++.h>

namespace vpcprove::solver {

/**
 * While alive, interrupts ctx (Z3_interrupt, which stops the check running on it, "canceled")
 * from timeout_ms + grace on, again every grace, until destroyed. A deadline of 0 ms does
 * nothing. One watchdog thread per thread that arms deadlines, made on first use; arming and
 * disarming cost a lock and a notification each.
 */
class Deadline {
 public:
  static constexpr unsigned kGraceMs = 50;
  Deadline(z3::context& ctx, unsigned timeout_ms);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

 private:
  bool armed_ = false;
};

}  // namespace vpcprove::solver
