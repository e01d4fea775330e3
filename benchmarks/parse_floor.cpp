// SPDX-License-Identifier: Apache-2.0
// vpcprove_parse_floor: the yardstick for snapshot loading — read and parse every JSON file once with
// simdjson.
//
// No loader can be faster than reading its input once with the fastest JSON parser, so every
// figure in benchmarks/RESULTS.md is also given as a multiple of this one. Every value of every
// document is visited (counted), so the parse cannot be optimised away, and the files are read
// from disk inside the timed region, as a loader must.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#ifdef VPCPROVE_HAVE_SIMDJSON
#include <simdjson.h>
#endif

namespace {

namespace fs = std::filesystem;

struct Counts {
  std::uint64_t files = 0, bytes = 0, objects = 0, arrays = 0, members = 0, strings = 0, string_bytes = 0,
                numbers = 0, literals = 0;
};

std::vector<fs::path> json_files(const fs::path& root) {
  std::vector<fs::path> files;
  if (fs::is_regular_file(root)) {
    files.push_back(root);
    return files;
  }
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

#ifdef VPCPROVE_HAVE_SIMDJSON
void walk(simdjson::dom::element e, Counts& c) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::OBJECT:
      ++c.objects;
      for (simdjson::dom::key_value_pair field : simdjson::dom::object(e)) {
        ++c.members;
        c.string_bytes += field.key.size();
        walk(field.value, c);
      }
      break;
    case element_type::ARRAY:
      ++c.arrays;
      for (simdjson::dom::element child : simdjson::dom::array(e)) walk(child, c);
      break;
    case element_type::STRING:
      ++c.strings;
      c.string_bytes += std::string_view(e).size();
      break;
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      ++c.numbers;
      break;
    default:
      ++c.literals;
      break;
  }
}

Counts parse_all(const std::vector<fs::path>& files) {
  Counts c;
  simdjson::dom::parser parser;  // reused: its buffers grow to the largest file once
  for (const auto& path : files) {
    simdjson::dom::element doc;
    if (auto error = parser.load(path.string()).get(doc); error) {
      throw std::runtime_error(path.string() + ": " + simdjson::error_message(error));
    }
    ++c.files;
    c.bytes += fs::file_size(path);
    walk(doc, c);
  }
  return c;
}
#define VPCPROVE_STR2(x) #x
#define VPCPROVE_STR(x) VPCPROVE_STR2(x)
constexpr const char* kParser = "simdjson " VPCPROVE_STR(SIMDJSON_VERSION) " (DOM, every value visited)";
#else
Counts parse_all(const std::vector<fs::path>& files) {
  Counts c;
  std::string buffer;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    buffer.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    ++c.files;
    c.bytes += buffer.size();
    for (const char ch : buffer) c.strings += ch == '"';  // touch every byte
  }
  return c;
}
constexpr const char* kParser =
    "none: simdjson unavailable, plain read of the bytes (install libsimdjson-dev)";
#endif

}  // namespace

int main(int argc, char** argv) {
  std::string snapshot;
  int repeat = 1;
  bool json = false;
  CLI::App app{"vpcprove_parse_floor: read and parse every JSON file of a snapshot once (the loading floor)"};
  app.add_option("snapshot", snapshot, "snapshot directory or JSON file")->required();
  app.add_option("--repeat", repeat, "parse the whole snapshot this many times; report each")
      ->check(CLI::Range(1, 1000));
  app.add_flag("--json", json, "print one JSON object per run");
  CLI11_PARSE(app, argc, argv);
  try {
    if (!fs::exists(snapshot)) throw std::runtime_error(snapshot + ": no such file or directory");
    for (int run = 0; run < repeat; ++run) {
      const auto start = std::chrono::steady_clock::now();
      const Counts c = parse_all(json_files(snapshot));
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      const double mb = static_cast<double>(c.bytes) / 1e6;
      if (json) {
        std::printf(
            "{\"parser\": \"%s\", \"ms\": %.3f, \"files\": %llu, \"bytes\": %llu, \"mb_per_s\": %.1f, "
            "\"objects\": %llu, "
            "\"arrays\": %llu, \"members\": %llu, \"strings\": %llu, \"numbers\": %llu}\n",
            kParser, ms, static_cast<unsigned long long>(c.files), static_cast<unsigned long long>(c.bytes),
            ms > 0 ? mb / (ms / 1000) : 0.0, static_cast<unsigned long long>(c.objects),
            static_cast<unsigned long long>(c.arrays), static_cast<unsigned long long>(c.members),
            static_cast<unsigned long long>(c.strings), static_cast<unsigned long long>(c.numbers));
      } else {
        std::printf(
            "parser: %s\n%.3f ms  %llu files  %llu bytes (%.1f MB, %.0f MB/s)  %llu objects  %llu strings\n",
            kParser, ms, static_cast<unsigned long long>(c.files), static_cast<unsigned long long>(c.bytes),
            mb, ms > 0 ? mb / (ms / 1000) : 0.0, static_cast<unsigned long long>(c.objects),
            static_cast<unsigned long long>(c.strings));
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "vpcprove_parse_floor: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
