// SPDX-License-Identifier: Apache-2.0
// One watchdog thread per checking thread: it sleeps until the armed deadline, then interrupts
// the armed context until it is disarmed.
#include "solver/deadline.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace vpcprove::solver {

namespace {

using Clock = std::chrono::steady_clock;

class Watchdog {
 public:
  Watchdog() : thread_([this] { watch(); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      quit_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  void arm(z3::context& ctx, Clock::time_point at) {
    {
      std::lock_guard lock(mutex_);
      ctx_ = &ctx;
      at_ = at;
    }
    wake_.notify_one();
  }

  /** After this returns, the watchdog interrupts nothing until armed again. */
  void disarm() {
    std::lock_guard lock(mutex_);
    ctx_ = nullptr;
  }

 private:
  void watch() {
    std::unique_lock lock(mutex_);
    while (!quit_) {
      if (!ctx_) {
        wake_.wait(lock);
        continue;
      }
      if (Clock::now() < at_) {
        wake_.wait_until(lock, at_);
        continue;
      }
      // Under the lock, so disarm() cannot return while an interrupt is on its way.
      ctx_->interrupt();
      at_ = Clock::now() + std::chrono::milliseconds(Deadline::kGraceMs);
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  z3::context* ctx_ = nullptr;
  Clock::time_point at_;
  bool quit_ = false;
  std::thread thread_;  // last: started once the members it reads exist
};

Watchdog& this_threads_watchdog() {
  thread_local Watchdog watchdog;
  return watchdog;
}

}  // namespace

Deadline::Deadline(z3::context& ctx, unsigned timeout_ms) {
  if (timeout_ms == 0) return;
  armed_ = true;
  this_threads_watchdog().arm(ctx, Clock::now() + std::chrono::milliseconds(timeout_ms + kGraceMs));
}

Deadline::~Deadline() {
  if (armed_) this_threads_watchdog().disarm();
}

}  // namespace vpcprove::solver
