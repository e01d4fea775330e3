// SPDX-License-Identifier: Apache-2.0
// Where the SMT-LIB 2 text of every solver goes (--emit-smt2): one file, a segment per solver.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <ostream>
#include <string>

namespace vpcprove::solver {

/**
 * Collects the SMT-LIB 2 scripts of several solvers into one QF_BV script on one stream.
 *
 * Each solver has its own Z3 context, so the same constant name (h/src_ip) can mean different
 * things in two solvers: each solver's text is a segment wrapped in (push 1) ... (pop 1), which
 * scopes its declarations. Segments are written in the order the solvers were made whatever
 * the order they finish in (check answers invariants on several threads), so the file is the
 * same on every run. A segment's text is appended only by the thread that owns its solver;
 * opening, closing and finishing are thread-safe.
 */
class Smt2Sink {
 public:
  /** One solver's part of the script: its declarations, assertions and checks. */
  struct Segment {
    std::string text;   ///< appended by the owner between open() and close()
    std::string notes;  ///< its comment lines, also in text: all a segment without checks writes
    unsigned checks = 0;
    bool closed = false;
  };

  /** header: lines for the leading comment (no newlines needed; each becomes "; line"). */
  Smt2Sink(std::ostream& out, const std::string& header);
  ~Smt2Sink();
  Smt2Sink(const Smt2Sink&) = delete;
  Smt2Sink& operator=(const Smt2Sink&) = delete;

  /** A new segment, after every segment opened before it. The pointer stays valid. */
  Segment* open();
  /** The owner is done with it; writes it (and later finished ones) once all earlier are written. */
  void close(Segment* segment);
  /**
   * Writes every segment not written yet, open or not, and flushes. Segments opened after this
   * are not written. Returns whether the stream took everything.
   */
  bool finish();

  /** check-sat commands written so far. */
  [[nodiscard]] unsigned checks_written() const;

  /**
   * The sink solvers use when their Options name none (solver.h): set for the lifetime of an
   * Install, so a command records every solver it builds, including those made deep inside
   * queries that take no options. At most one at a time.
   */
  static Smt2Sink* installed();
  class Install {
   public:
    explicit Install(Smt2Sink* sink);  ///< nullptr: installs nothing
    ~Install();
    Install(const Install&) = delete;
    Install& operator=(const Install&) = delete;

   private:
    Smt2Sink* previous_;
    bool active_;
  };

 private:
  void write_ready();  // with mutex_ held
  void write(const Segment& s);

  std::ostream* out_;
  mutable std::mutex mutex_;
  std::deque<Segment> segments_;  // deque: pointers stay valid as it grows
  std::size_t written_ = 0;       // segments_[0, written_) are on the stream
  unsigned solvers_written_ = 0;
  unsigned checks_written_ = 0;
  bool finished_ = false;
};

/** text with every line break replaced by a space, for an SMT-LIB comment. */
std::string smt2_comment_text(const std::string& text);

}  // namespace vpcprove::solver
