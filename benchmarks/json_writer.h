// SPDX-License-Identifier: Apache-2.0
// A streaming JSON writer that prints the way the AWS CLI does (Python's json.dumps, indent 4).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace vpcprove::benchmarks {

/**
 * Writes one JSON document to a FILE* without building it in memory. With indent > 0 the
 * layout is byte-for-byte Python's `json.dumps(doc, indent=indent)` (what `aws ec2 describe-*`
 * prints): one member per line, `": "` after keys, `[]`/`{}` for empty containers, a final
 * newline. With indent == 0 the output is compact (no spaces, no newlines but the last).
 *
 * Calls must form a well-nested document: inside an object each value is preceded by key();
 * the writer does not check this. Not thread-safe; one writer per file.
 */
class JsonWriter {
 public:
  /** Writes to file (not owned; the caller closes it after finish()). */
  JsonWriter(std::FILE* file, int indent) : file_(file), indent_(indent) { buffer_.reserve(kFlushAt + 4096); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;
  ~JsonWriter() { flush(); }

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  /** The next member's key (the value follows with a value call or begin_*). */
  void key(std::string_view k) {
    item_prefix();
    write_string(k);
    buffer_ += indent_ > 0 ? ": " : ":";
    after_key_ = true;
  }

  void string(std::string_view s) {
    value_prefix();
    write_string(s);
  }
  void number(std::int64_t n) {
    value_prefix();
    char text[24];
    const int length = std::snprintf(text, sizeof text, "%lld", static_cast<long long>(n));
    buffer_.append(text, static_cast<std::size_t>(length));
  }
  void boolean(bool b) {
    value_prefix();
    buffer_ += b ? "true" : "false";
  }

  /** Shorthands for a member: key(k) then the value. */
  void field(std::string_view k, std::string_view v) {
    key(k);
    string(v);
  }
  void field(std::string_view k, const char* v) { field(k, std::string_view(v)); }
  void field(std::string_view k, const std::string& v) { field(k, std::string_view(v)); }
  void field(std::string_view k, std::int64_t v) {
    key(k);
    number(v);
  }
  void field(std::string_view k, int v) { field(k, static_cast<std::int64_t>(v)); }
  void field(std::string_view k, bool v) {
    key(k);
    boolean(v);
  }
  /** An empty array member, `"k": []`. */
  void empty_array(std::string_view k) {
    key(k);
    begin_array();
    end_array();
  }

  /** Ends the document with a newline and writes everything out. */
  void finish() {
    buffer_ += '\n';
    flush();
  }

  /** Bytes handed to the file so far (including buffered ones). */
  [[nodiscard]] std::uint64_t bytes() const { return written_ + buffer_.size(); }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;

  void open(char bracket) {
    value_prefix();
    buffer_ += bracket;
    children_.push_back(0);
  }
  void close(char bracket) {
    const std::uint32_t count = children_.back();
    children_.pop_back();
    if (count > 0) newline();
    buffer_ += bracket;
    if (buffer_.size() >= kFlushAt) flush();
  }
  void value_prefix() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    item_prefix();
  }
  void item_prefix() {
    if (children_.empty()) return;
    if (children_.back()++ > 0) buffer_ += ',';
    newline();
  }
  void newline() {
    if (indent_ <= 0) return;
    buffer_ += '\n';
    buffer_.append(children_.size() * static_cast<std::size_t>(indent_), ' ');
  }
  void write_string(std::string_view s) {
    buffer_ += '"';
    for (const char c : s) {
      if (c == '"' || c == '\\') {
        buffer_ += '\\';
        buffer_ += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
        buffer_ += escaped;
      } else {
        buffer_ += c;
      }
    }
    buffer_ += '"';
  }
  void flush() {
    if (buffer_.empty()) return;
    std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
    written_ += buffer_.size();
    buffer_.clear();
  }

  std::FILE* file_;
  int indent_;
  std::string buffer_;
  std::vector<std::uint32_t> children_;  ///< members written so far, per open container
  bool after_key_ = false;
  std::uint64_t written_ = 0;
};

}  // namespace vpcprove::benchmarks
