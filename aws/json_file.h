// SPDX-License-Identifier: Apache-2.0
// Reading one JSON file fast (simdjson) while accepting, and rejecting, exactly what nlohmann does.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace vpcprove::aws {

/**
 * Parses snapshot files one at a time with simdjson's DOM API.
 *
 * Why simdjson: at 100k ENIs (752 MB of JSON) building nlohmann trees took ~10x longer than
 * simdjson's parse. Why nlohmann is still here: which files are
 * accepted, and the messages for the others, predate simdjson and are part of the contract. A
 * file simdjson rejects is handed to nlohmann (the slow path, no tree built):
 * - if nlohmann rejects it too, its error is reported as it always was: "broken JSON (byte N):
 *   parse error at line L, column C: …", or "unreadable JSON: …" for a number beyond a double;
 * - if nlohmann accepts it (an integer beyond 64 bits, which nlohmann reads as a double; bytes
 *   after a NUL, where nlohmann stops), nlohmann's reading of it is parsed instead.
 * A UTF-8 byte order mark is skipped, as nlohmann does.
 *
 * Limits, each a clear InputError: a file above 4 GB (simdjson's limit) is refused before it is
 * read, and nesting deeper than kMaxDepth levels is refused. Nothing recurses per level.
 */
class JsonFileParser {
 public:
  /** Deeper nesting is refused (a snapshot is about 10 levels deep); shallower is read, even in
   *  fields nobody reads. simdjson's per-level stack is allocated once, touched only as deep as used. */
  static constexpr std::size_t kMaxDepth = std::size_t{1} << 20;

  JsonFileParser();

  /**
   * Parses the file at path; name is how messages name it. The element points into this parser
   * and stays valid until the next call.
   * @throws InputError(name, "", …) when the file cannot be read, is too big or is not JSON.
   */
  simdjson::dom::element parse(const std::filesystem::path& path, const std::string& name);

  /** The same for bytes in memory. */
  simdjson::dom::element parse_bytes(std::string_view text, const std::string& name);

 private:
  /** Makes room for size bytes plus simdjson's padding in buffer_. */
  char* reserve(std::size_t size);
  /** Parses the first size bytes of buffer_ (a file's bytes, or a copy of them). */
  simdjson::dom::element parse_buffer(std::size_t size, const std::string& name);
  [[nodiscard]] simdjson::error_code parse_simdjson(std::size_t size, simdjson::dom::element& out);
  /** The slow path, for a file simdjson rejected: nlohmann's verdict on the first size bytes. */
  simdjson::dom::element parse_like_nlohmann(std::size_t size, const std::string& name,
                                             simdjson::error_code error);

  simdjson::dom::parser parser_;
  // The file's bytes plus simdjson's padding, kept between files so each file is not a fresh
  // allocation (and fresh page faults).
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
};

}  // namespace vpcprove::aws
