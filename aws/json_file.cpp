// SPDX-License-Identifier: Apache-2.0
// JsonFileParser: simdjson for speed, nlohmann for the verdict on anything simdjson rejects.
#include "aws/json_file.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <system_error>
#include <vector>

#include "common/diagnostics.h"

namespace vpcprove::aws {
namespace {

using nlohmann::json;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

/**
 * nlohmann's verdict on a text, without building a tree: the message of its first error, worded
 * as the loader always worded it; and, for a text nlohmann accepts, the same document written
 * out in JSON simdjson reads (numbers nlohmann reads as doubles carry a fraction, strings are
 * re-escaped). Iterative, like nlohmann's parser: nesting depth costs no stack.
 */
class Rewriter final : public nlohmann::json_sax<json> {
 public:
  bool null() override { return value("null"); }
  bool boolean(bool b) override { return value(b ? "true" : "false"); }
  bool number_integer(number_integer_t n) override { return value(std::to_string(n)); }
  bool number_unsigned(number_unsigned_t n) override { return value(std::to_string(n)); }
  bool number_float(number_float_t x, const string_t&) override {
    // Shortest text that reads back as x; a fraction keeps it a double for simdjson too (1e2).
    std::array<char, 64> buffer{};
    const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x).ptr;
    std::string text(buffer.data(), end);
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";
    return value(text);
  }
  bool string(string_t& s) override {
    separate();
    quote(s);
    return true;
  }
  bool binary(binary_t&) override { return true; }  // not produced from JSON text
  bool start_object(std::size_t) override { return open('{'); }
  bool key(string_t& k) override {
    separate();
    quote(k);
    out_ += ':';
    after_key_ = true;
    return true;
  }
  bool end_object() override { return close('}'); }
  bool start_array(std::size_t) override { return open('['); }
  bool end_array() override { return close(']'); }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    std::string what = e.what();
    if (const auto* p = dynamic_cast<const json::parse_error*>(&e)) {
      // Drop nlohmann's "[json.exception.parse_error.101] " tag; keep "parse error at line L, column C: …".
      if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
      error_ = "broken JSON (byte " + std::to_string(p->byte) + "): " + what;
    } else {
      // e.g. a number beyond the range of a double (1E400): out_of_range, not parse_error.
      error_ = "unreadable JSON: " + what;
    }
    return false;
  }

  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] std::size_t max_depth() const { return max_depth_; }
  [[nodiscard]] const std::string& text() const { return out_; }

 private:
  // The comma before a value or key that is not the first of its object or list.
  void separate() {
    if (after_key_) {
      after_key_ = false;
    } else if (!first_.empty()) {
      if (!first_.back()) out_ += ',';
      first_.back() = false;
    }
  }
  bool value(std::string_view text) {
    separate();
    out_ += text;
    return true;
  }
  bool open(char bracket) {
    separate();
    out_ += bracket;
    first_.push_back(true);
    max_depth_ = std::max(max_depth_, first_.size());
    return true;
  }
  bool close(char bracket) {
    out_ += bracket;
    first_.pop_back();
    return true;
  }
  void quote(const std::string& s) {
    out_ += '"';
    for (const char c : s) {
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        constexpr std::string_view kHex = "0123456789abcdef";
        out_ += "\\u00";
        out_ += kHex[static_cast<unsigned char>(c) >> 4];
        out_ += kHex[static_cast<unsigned char>(c) & 0xF];
      } else {
        out_ += c;  // nlohmann has checked the UTF-8
      }
    }
    out_ += '"';
  }

  std::string out_;
  std::vector<bool> first_;  // per open object or list: nothing written in it yet
  bool after_key_ = false;
  std::size_t max_depth_ = 0;
  std::string error_;
};

}  // namespace

JsonFileParser::JsonFileParser() = default;

char* JsonFileParser::reserve(std::size_t size) {
  const std::size_t needed = size + simdjson::SIMDJSON_PADDING;
  if (needed > capacity_) {
    buffer_.reset(new char[needed]);
    capacity_ = needed;
  }
  return buffer_.get();
}

simdjson::dom::element JsonFileParser::parse(const std::filesystem::path& path, const std::string& name) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(name, "", "cannot open the file for reading");
  if (size > simdjson::SIMDJSON_MAXSIZE_BYTES) {
    throw InputError(name, "",
                     "the file is " + std::to_string(size) + " bytes; vpcprove reads JSON files of up to " +
                         std::to_string(simdjson::SIMDJSON_MAXSIZE_BYTES) + " bytes (4 GB) each");
  }
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) throw InputError(name, "", "cannot open the file for reading");
  char* data = reserve(size);
  const std::size_t got = std::fread(data, 1, size, file.get());
  if (std::ferror(file.get())) throw InputError(name, "", "cannot read the file");
  return parse_buffer(got, name);
}

simdjson::dom::element JsonFileParser::parse_bytes(std::string_view text, const std::string& name) {
  if (text.size() > simdjson::SIMDJSON_MAXSIZE_BYTES) {
    throw InputError(name, "", "the JSON text is above 4 GB, the most vpcprove reads at once");
  }
  std::memcpy(reserve(text.size()), text.data(), text.size());
  return parse_buffer(text.size(), name);
}

simdjson::error_code JsonFileParser::parse_simdjson(std::size_t size, simdjson::dom::element& out) {
  // nlohmann skips a UTF-8 byte order mark (Windows tools write one); simdjson does not.
  const std::size_t skip = std::string_view(buffer_.get(), size).starts_with(kByteOrderMark) ? 3 : 0;
  const std::size_t length = size - skip;
  // Room for nesting down to kMaxDepth: simdjson's stack is an array, only touched as deep as used.
  if (parser_.capacity() < length || parser_.max_depth() < kMaxDepth) {
    if (auto error = parser_.allocate(std::max({length, parser_.capacity(), std::size_t{64}}), kMaxDepth);
        error) {
      return error;
    }
  }
  return parser_.parse(buffer_.get() + skip, length, false).get(out);
}

simdjson::dom::element JsonFileParser::parse_buffer(std::size_t size, const std::string& name) {
  simdjson::dom::element doc;
  if (auto error = parse_simdjson(size, doc); error) return parse_like_nlohmann(size, name, error);
  return doc;
}

simdjson::dom::element JsonFileParser::parse_like_nlohmann(std::size_t size, const std::string& name,
                                                           simdjson::error_code error) {
  if (error == simdjson::MEMALLOC) throw InputError(name, "", "out of memory reading the file");
  const char* begin = buffer_.get();
  Rewriter nlohmann_reads;
  json::sax_parse(begin, begin + size, &nlohmann_reads);
  if (!nlohmann_reads.error().empty()) throw InputError(name, "", nlohmann_reads.error());
  if (error == simdjson::DEPTH_ERROR || nlohmann_reads.max_depth() > kMaxDepth) {
    throw InputError(name, "",
                     "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels: not a snapshot");
  }
  // nlohmann reads what simdjson does not: an integer beyond 64 bits (nlohmann makes it a
  // double), bytes after a NUL (nlohmann stops there). Parse nlohmann's reading instead.
  const std::string& text = nlohmann_reads.text();
  std::memcpy(reserve(text.size()), text.data(), text.size());
  simdjson::dom::element doc;
  if (parse_simdjson(text.size(), doc)) {
    throw InputError(name, "", std::string("unreadable JSON: ") + simdjson::error_message(error));
  }
  return doc;
}

}  // namespace vpcprove::aws
