// SPDX-License-Identifier: Apache-2.0
// Tests of reading JSON with simdjson: nlohmann's verdicts and messages kept, limits, JsonReader paths.
#include "aws/json_file.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "aws/json_reader.h"
#include "common/diagnostics.h"
#include "temp_snapshot.h"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using vpcprove::InputError;
using vpcprove::aws::JsonFileParser;
using vpcprove::aws::JsonReader;
using vpcprove::aws::test::load_error;
using vpcprove::aws::test::TempSnapshot;

namespace {

const std::string kVpc = R"({"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"})";

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

/** The message of the InputError that reading field of the object in text throws. */
template <class Read>
std::string read_error(const std::string& text, Read read) {
  JsonFileParser parser;
  try {
    read(JsonReader(parser.parse_bytes(text, "f.json"), "f.json", "res-1"));
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

// ---- nlohmann's verdicts and messages, kept --------------------------------------------------

TEST_CASE("Broken JSON keeps nlohmann's message with byte, line and column", "[aws][json]") {
  TempSnapshot t;
  const auto file = t.write("Vpcs.json", R"({"Vpcs": [})");
  CHECK_THAT(load_error(file),
             Equals(file + ": broken JSON (byte 11): parse error at line 1, column 11: syntax error while "
                           "parsing value - unexpected '}'; expected '[', '{', or a literal"));
  const auto empty = t.write("Empty.json", "");
  CHECK_THAT(load_error(empty),
             Equals(empty + ": broken JSON (byte 1): parse error at line 1, column 1: syntax "
                            "error while parsing value - unexpected end of input; "
                            "expected '[', '{', or a literal"));
}

TEST_CASE("A number beyond a double is unreadable JSON, as nlohmann says", "[aws][json]") {
  TempSnapshot t;
  const auto file = t.write("Vpcs.json", R"({"Vpcs": [1E400]})");
  CHECK_THAT(
      load_error(file),
      Equals(file + ": unreadable JSON: [json.exception.out_of_range.406] number overflow parsing '1E400'"));
}

TEST_CASE("A file nlohmann reads and simdjson does not is read as nlohmann reads it", "[aws][json]") {
  TempSnapshot t;
  SECTION("a UTF-8 byte order mark is skipped") {
    t.write("Vpcs.json", "\xEF\xBB\xBF{\"Vpcs\": [" + kVpc + "]}");
  }
  SECTION("bytes after a NUL are not read") {
    t.write("Vpcs.json", std::string("{\"Vpcs\": [") + kVpc + "]}\0{oops");
  }
  SECTION("an integer beyond 64 bits in a field nobody reads is a number") {
    t.write("Vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16",
                                      "Whatever": [18446744073709551616, -9223372036854775809, "\u00e9\"\\"]}]})");
  }
  const auto s = t.snapshot();
  REQUIRE(s.vpcs.size() == 1);
  CHECK(s.vpcs[0].vpc_id == "vpc-1");
}

TEST_CASE("An integer beyond 64 bits where an integer is read is a number, as with nlohmann", "[aws][json]") {
  CHECK_THAT(read_error(R"({"Port": 18446744073709551616})",
                        [](const JsonReader& r) { (void)r.integer("Port", 0, 9); }),
             Equals("f.json: res-1: field Port: expected an integer, got number"));
}

TEST_CASE("An integer above 2^63 is out of range, not wrapped to a negative number", "[aws][json]") {
  // nlohmann's get<int64_t>() read 18446744073709551615 as -1: a valid FromPort.
  CHECK_THAT(read_error(R"({"FromPort": 18446744073709551615})",
                        [](const JsonReader& r) { (void)r.integer("FromPort", -1, 65535); }),
             Equals("f.json: res-1: field FromPort: 18446744073709551615 is out of range (-1..65535)"));
}

TEST_CASE("The last of two equal keys counts, as with nlohmann", "[aws][json]") {
  TempSnapshot t;
  t.write("Vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
                           "Vpcs": [{"VpcId": "vpc-2", "CidrBlock": "10.0.0.0/16", "VpcId": "vpc-3"}]})");
  const auto s = t.snapshot();
  REQUIRE(s.vpcs.size() == 1);
  CHECK(s.vpcs[0].vpc_id == "vpc-3");
  CHECK_THAT(read_error(R"({"A": "x", "A": null})", [](const JsonReader& r) { (void)r.string("A"); }),
             Equals("f.json: res-1: field A: required field is missing"));
}

// ---- limits ---------------------------------------------------------------------------------------

TEST_CASE("Deep nesting in a field nobody reads is read without recursion", "[aws][json][limits]") {
  TempSnapshot t;
  const std::size_t depth = 200000;
  t.write("Vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "W": )" +
                           repeat("[", depth) + repeat("]", depth) + "}]}");
  CHECK(t.snapshot().vpcs.size() == 1);
}

TEST_CASE("Nesting deeper than the limit is an InputError, not a crash", "[aws][json][limits]") {
  TempSnapshot t;
  const std::size_t depth = JsonFileParser::kMaxDepth + 10;
  const auto file =
      t.write("Vpcs.json", R"({"Vpcs": [{"W": )" + repeat("[", depth) + repeat("]", depth) + "}]}");
  CHECK_THAT(load_error(file), Contains(file) && Contains("nested deeper than 1048576 levels"));
}

TEST_CASE("A file above simdjson's 4 GB is refused before it is read", "[aws][json][limits]") {
  TempSnapshot t;
  const auto file = t.write("Vpcs.json", "{}");
  std::filesystem::resize_file(file, std::uintmax_t{1} << 32);  // sparse: no disk used
  CHECK_THAT(load_error(file),
             Contains(file) && Contains("4294967296 bytes") && Contains("up to 4294967295"));
}

// ---- JsonReader ------------------------------------------------------------------------------------

TEST_CASE("A list element that is not an object is named by its position", "[aws][json]") {
  TempSnapshot t;
  const auto file = t.write("Vpcs.json", R"({"Vpcs": [)" + kVpc + ", 7]}");
  CHECK_THAT(load_error(file), Equals(file + ": Vpcs[1]: expected a JSON object, got integer"));
}

TEST_CASE("Messages name the whole path, however deep the object", "[aws][json]") {
  const std::string text = R"({"A": [{"B": {"C": [{}, {"D": {"E": {"F": {"G": 1}}}}]}}]})";
  CHECK_THAT(read_error(text,
                        [](const JsonReader& r) {
                          const auto c = r.objects("A")[0].object("B")->objects("C")[1];
                          (void)c.object("D")->object("E")->object("F")->string("G");
                        }),
             Equals("f.json: res-1: field A[0].B.C[1].D.E.F.G: expected a string, got integer"));
  CHECK_THAT(read_error(text,
                        [](const JsonReader& r) {
                          (void)r.objects("A")[0]
                              .object("B")
                              ->objects("C")[1]
                              .object("D")
                              ->object("E")
                              ->object("F")
                              ->object("G");
                        }),
             Equals("f.json: res-1: field A[0].B.C[1].D.E.F.G: expected an object, got integer"));
}

TEST_CASE("A reader names its resource once the ID is known, and keeps its path", "[aws][json]") {
  CHECK_THAT(
      read_error(R"({"A": [{"B": true}]})",
                 [](const JsonReader& r) { (void)r.objects("A")[0].for_resource("id-7").string("B"); }),
      Equals("f.json: id-7: field A[0].B: expected a string, got boolean"));
}
