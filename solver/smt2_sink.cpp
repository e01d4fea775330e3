// SPDX-License-Identifier: Apache-2.0
// The SMT-LIB 2 file of --emit-smt2: a header, then one (push 1) ... (pop 1) segment per solver.
#include "solver/smt2_sink.h"

#include <atomic>

namespace vpcprove::solver {

namespace {
std::atomic<Smt2Sink*> g_installed{nullptr};
}  // namespace

std::string smt2_comment_text(const std::string& text) {
  std::string out = text;
  for (char& ch : out) {
    if (ch == '\n' || ch == '\r') ch = ' ';
  }
  return out;
}

Smt2Sink::Smt2Sink(std::ostream& out, const std::string& header) : out_(&out) {
  std::size_t start = 0;
  while (start <= header.size()) {
    const std::size_t end = std::min(header.find('\n', start), header.size());
    *out_ << "; " << header.substr(start, end - start) << '\n';
    start = end + 1;
  }
  // Z3 and cvc5 both read QF_BV; every formula vpcprove makes is Booleans over bit-vectors.
  *out_ << "(set-logic QF_BV)\n";
}

Smt2Sink::~Smt2Sink() { finish(); }

Smt2Sink::Segment* Smt2Sink::open() {
  std::lock_guard<std::mutex> lock(mutex_);
  segments_.emplace_back();
  return &segments_.back();
}

void Smt2Sink::close(Segment* segment) {
  std::lock_guard<std::mutex> lock(mutex_);
  segment->closed = true;
  write_ready();
}

bool Smt2Sink::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!finished_) {
    for (; written_ < segments_.size(); ++written_) write(segments_[written_]);
    finished_ = true;
    out_->flush();
  }
  return static_cast<bool>(*out_);
}

unsigned Smt2Sink::checks_written() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return checks_written_;
}

void Smt2Sink::write_ready() {
  if (finished_) return;
  for (; written_ < segments_.size() && segments_[written_].closed; ++written_) write(segments_[written_]);
}

void Smt2Sink::write(const Segment& s) {
  if (s.checks == 0) {
    // A solver that never checked asks nothing, but its notes may name the question the
    // next solvers answer (a prover can hand a query over to a fresh solver).
    if (!s.notes.empty()) *out_ << '\n' << s.notes;
    return;
  }
  ++solvers_written_;
  checks_written_ += s.checks;
  *out_ << "\n; solver " << solvers_written_ << " (" << s.checks << (s.checks == 1 ? " check" : " checks")
        << "; a Z3 context of its own, so its declarations are scoped to this push)\n"
        << "(push 1)\n"
        << s.text << "(pop 1)\n";
}

Smt2Sink* Smt2Sink::installed() { return g_installed.load(); }

Smt2Sink::Install::Install(Smt2Sink* sink)
    : previous_(sink ? g_installed.exchange(sink) : g_installed.load()), active_(sink != nullptr) {}

Smt2Sink::Install::~Install() {
  if (active_) g_installed.store(previous_);
}

}  // namespace vpcprove::solver
