// SPDX-License-Identifier: Apache-2.0
// Hostile strings: IDs, names and tags that try to break every output format of every command.
//
// The primer snapshot is rewritten so that IDs carry quotes, backslashes, shell metacharacters,
// newlines and other control characters, bidi overrides and emoji, markup and DOT syntax, and
// names and tags carry the same plus 10,000-character values. Every command and format must
// treat them as data: JSON parses and gives the strings back, text shows no raw control
// character (a newline in an ID must not forge a line), XML/HTML/DOT stay well-formed.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/limits/subprocess.h"
#include "tests/support/test_paths.h"

namespace vpcprove {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ProcessResult;
using testing::run_process;

// The payloads. Control characters and a forged line; quotes, backslashes and what a shell
// would run; bidi override (Trojan Source), joiner and emoji; markup; DOT syntax.
const std::string kForged = "\n[FORGED] verdict: unreachable\r\t\x1b[31mred\x1b[0m\x07\x01\x7f";
const std::string kShell = "\"q'`$(touch /tmp/vpcprove-pwned)`;|&<>*?\\b\\\\s";
const std::string kUnicode =
    "\xE2\x80\xAE"
    "evil\xE2\x80\xAC\xF0\x9F\xA6\x80\xE2\x80\x8D";  // U+202E … U+202C 🦀 ZWJ
const std::string kMarkup = "<script>alert(1)</script>&amp;]]><!--";
const std::string kDot = "\"];\n\"pwn\" -> \"pwn";
const std::string kAll = kForged + kShell + kUnicode + kMarkup + kDot;
const std::string kLong(10000, 'L');

// The primer IDs that become hostile, and what they become.
const std::string kWebEni = "eni-0c4d941a10da0333c";
const std::string kWebSg = "sg-00e93904bb5648514";
const std::string kPublicSubnet = "subnet-05f5a8c776ec2d66e";
const std::string kIgw = "igw-0b3c43c4e6c81eeef";
const std::string kPublicRtb = "rtb-04d1a54a27e1079a9";
const std::string kDbAcl = "acl-0b916095b1acea811";

std::string hostile_eni() { return kWebEni + kAll; }

const std::map<std::string, std::string>& renames() {
  static const std::map<std::string, std::string> m{
      {kWebEni, hostile_eni()},
      {kWebSg, kWebSg + kShell + kMarkup},
      {kPublicSubnet, kPublicSubnet + kForged + kUnicode},
      {kIgw, kIgw + kDot + kMarkup},
      {kPublicRtb, kPublicRtb + kShell + kForged},
      {kDbAcl, kDbAcl + kUnicode + kMarkup + kLong},
  };
  return m;
}

// Rewrites every string of a document: IDs renamed everywhere (so references still hold), and
// every tag, name and description made hostile.
void poison(json& j, const std::string& key = {}) {
  if (j.is_string()) {
    auto s = j.get<std::string>();
    for (const auto& [from, to] : renames()) {
      for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
        // Replace whole IDs only: the next character must not continue the ID.
        const auto end = at + from.size();
        if (end < s.size() && std::isalnum(static_cast<unsigned char>(s[end]))) continue;
        s.replace(at, from.size(), to);
      }
    }
    if (key == "GroupName" || key == "Description") s = "name " + kAll + kLong;
    j = s;
  } else if (j.is_object()) {
    for (auto& [k, v] : j.items()) poison(v, k);
    if (j.contains("Tags") || j.contains("TagSet")) {
      json& tags = j.contains("Tags") ? j["Tags"] : j["TagSet"];
      tags.push_back({{"Key", "Name"}, {"Value", "tag " + kAll + std::string("\0nul", 4)}});
      tags.push_back({{"Key", "key " + kAll}, {"Value", kLong}});
    }
  } else if (j.is_array()) {
    for (auto& v : j) poison(v, key);
  }
}

// A route to a gateway the snapshot lacks, so that warnings (inventory) name a hostile ID.
void add_dangling_route(json& route_tables) {
  for (auto& rt : route_tables["RouteTables"]) {
    if (rt["RouteTableId"].get<std::string>().rfind(kPublicRtb, 0) == 0) {
      rt["Routes"].push_back({{"DestinationCidrBlock", "198.51.100.0/24"},
                              {"GatewayId", "igw-missing" + kAll},
                              {"Origin", "CreateRoute"},
                              {"State", "active"}});
    }
  }
}

struct Fixture {
  fs::path dir;
  fs::path snapshot;
  fs::path spec;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture x;
    x.dir = fs::path(VPCPROVE_HOSTILE_WORK_DIR);
    x.snapshot = x.dir / "snapshot";
    fs::remove_all(x.dir);
    fs::create_directories(x.snapshot);
    for (const auto& e : fs::directory_iterator(fs::path(VPCPROVE_SOURCE_DIR) / "examples" / "primer")) {
      if (e.path().extension() != ".json") continue;
      std::ifstream in(e.path());
      json j = json::parse(in);
      poison(j);
      if (j.contains("RouteTables")) add_dangling_route(j);
      std::ofstream(x.snapshot / e.path().filename()) << j.dump(2);
    }
    // A YAML double-quoted string carries every payload through escapes.
    auto yaml = [](const std::string& s) {
      std::string o = "\"";
      for (const unsigned char c : s) {
        if (c == '"' || c == '\\') {
          o += '\\';
          o += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          o += buf;
        } else {
          o += static_cast<char>(c);
        }
      }
      return o + "\"";
    };
    x.spec = x.dir / "hostile.yaml";
    std::ofstream(x.spec) << "invariants:\n"
                          << "  - name: " << yaml("web-unreachable " + kAll) << "\n"
                          << "    description: " << yaml(kAll + kLong) << "\n"
                          << "    from: internet\n"
                          << "    to: " << yaml(hostile_eni()) << "\n"
                          << "    protocol: tcp\n"
                          << "    dst_port: 443\n"
                          << "    expect: unreachable\n"
                          << "  - name: " << yaml("web-reachable " + kAll) << "\n"
                          << "    from: " << yaml(hostile_eni()) << "\n"
                          << "    to: internet\n"
                          << "    expect: reachable\n";
    return x;
  }();
  return f;
}

ProcessResult vpcprove(std::vector<std::string> args) {
  args.insert(args.begin(), VPCPROVE_CLI);
  return run_process(args);
}

// ---------------------------------------------------------------------------------------------
// What each kind of output must look like.

/** Every string value of a JSON document. */
void strings_of(const json& j, std::vector<std::string>& out) {
  if (j.is_string()) {
    out.push_back(j.get<std::string>());
  } else if (j.is_structured()) {
    for (const auto& v : j) strings_of(v, out);
  }
}

/** The output parses as JSON and some string in it contains `needle` byte for byte. */
void require_json_round_trip(const std::string& out, const std::string& needle) {
  json j;
  REQUIRE_NOTHROW(j = json::parse(out));
  std::vector<std::string> all;
  strings_of(j, all);
  const bool found = std::any_of(all.begin(), all.end(),
                                 [&](const std::string& s) { return s.find(needle) != std::string::npos; });
  INFO("the hostile string should come back byte for byte");
  CHECK(found);
}

/** The first raw control character or bidi control in text meant for a terminal, or "". */
std::string raw_control(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", c);
      return std::string("byte ") + hex + " at offset " + std::to_string(i) + ": ..." +
             text.substr(i >= 40 ? i - 40 : 0, 80) + "...";
    }
    // U+202A-U+202E and U+2066-U+2069 (E2 80 AA-AE, E2 81 A6-A9): bidi controls.
    if (c == 0xE2 && i + 2 < text.size()) {
      const auto b = static_cast<unsigned char>(text[i + 1]), d = static_cast<unsigned char>(text[i + 2]);
      if ((b == 0x80 && d >= 0xAA && d <= 0xAE) || (b == 0x81 && d >= 0xA6 && d <= 0xA9)) {
        return "a bidi control character at offset " + std::to_string(i);
      }
    }
  }
  return "";
}

// The text outputs pass every input-derived string through common/escape.h's escape_text().
void require_clean_text(const ProcessResult& r) {
  INFO("text output:\n" << r.out.substr(0, 3000));
  CHECK(raw_control(r.out) == "");
  CHECK(r.out.find("\n[FORGED]") == std::string::npos);
}

/**
 * A small XML well-formedness check: balanced, properly nested tags, quoted attributes, '&'
 * only in entity references, no '<' in text or attributes, no character XML 1.0 forbids.
 * Returns "" when well-formed, else what is wrong and where.
 */
std::string xml_problem(const std::string& x) {
  std::vector<std::string> open;
  auto context = [&](std::size_t i) {
    return " at offset " + std::to_string(i) + ": ..." + x.substr(i >= 30 ? i - 30 : 0, 60) + "...";
  };
  auto check_chars = [&](std::size_t from, std::size_t to) -> std::string {
    for (std::size_t i = from; i < to; ++i) {
      const auto c = static_cast<unsigned char>(x[i]);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        return "a control character XML forbids" + context(i);
      if (c == '<') return "a raw '<'" + context(i);
      if (c == '&') {
        const auto semi = x.find(';', i);
        const std::string ref = semi == std::string::npos ? "" : x.substr(i + 1, semi - i - 1);
        static const std::set<std::string> named{"amp", "lt", "gt", "quot", "apos"};
        bool ok = named.count(ref) > 0;
        if (!ok && ref.size() > 1 && ref[0] == '#') {
          const bool hex = ref[1] == 'x';
          const std::string digits = ref.substr(hex ? 2 : 1);
          ok = !digits.empty() &&
               digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") == std::string::npos;
          if (ok) {
            const unsigned long v = std::stoul(digits, nullptr, hex ? 16 : 10);
            if (v < 0x20 && v != 9 && v != 10 && v != 13)
              return "a character reference to a forbidden character" + context(i);
          }
        }
        if (!ok) return "a bare '&'" + context(i);
      }
    }
    return "";
  };
  std::size_t i = 0;
  while (i < x.size()) {
    const auto lt = x.find('<', i);
    const auto text_end = lt == std::string::npos ? x.size() : lt;
    if (auto p = check_chars(i, text_end); !p.empty()) return p;
    if (lt == std::string::npos) break;
    if (x.compare(lt, 4, "<!--") == 0) {
      const auto end = x.find("-->", lt + 4);
      if (end == std::string::npos) return "an unterminated comment" + context(lt);
      if (x.substr(lt + 4, end - lt - 4).find("--") != std::string::npos)
        return "'--' inside a comment" + context(lt);
      i = end + 3;
      continue;
    }
    if (x.compare(lt, 9, "<![CDATA[") == 0) {
      const auto end = x.find("]]>", lt);
      if (end == std::string::npos) return "an unterminated CDATA section" + context(lt);
      i = end + 3;
      continue;
    }
    if (x.compare(lt, 2, "<?") == 0 || x.compare(lt, 2, "<!") == 0) {
      const auto end = x.find('>', lt);
      if (end == std::string::npos) return "an unterminated declaration" + context(lt);
      i = end + 1;
      continue;
    }
    // A tag: name, then attributes name="value" or name='value', then > or />.
    std::size_t j = lt + 1;
    const bool closing = j < x.size() && x[j] == '/';
    if (closing) ++j;
    const auto name_end = x.find_first_of(" \t\r\n/>", j);
    if (name_end == std::string::npos || name_end == j) return "a tag without a name" + context(lt);
    const std::string name = x.substr(j, name_end - j);
    j = name_end;
    bool self_closing = false;
    while (true) {
      while (j < x.size() && std::isspace(static_cast<unsigned char>(x[j]))) ++j;
      if (j >= x.size()) return "an unterminated tag" + context(lt);
      if (x[j] == '>') break;
      if (x.compare(j, 2, "/>") == 0) {
        self_closing = true;
        ++j;
        break;
      }
      const auto eq = x.find('=', j);
      if (eq == std::string::npos || eq + 1 >= x.size()) return "an attribute without a value" + context(j);
      const std::string attr = x.substr(j, eq - j);
      if (attr.find_first_of(" \t\n<>\"'&") != std::string::npos) return "a bad attribute name" + context(j);
      const char quote = x[eq + 1];
      if (quote != '"' && quote != '\'') return "an unquoted attribute value" + context(eq);
      const auto close = x.find(quote, eq + 2);
      if (close == std::string::npos) return "an unterminated attribute value" + context(eq);
      if (auto p = check_chars(eq + 2, close); !p.empty()) return "in an attribute: " + p;
      j = close + 1;
    }
    if (closing) {
      if (open.empty() || open.back() != name)
        return "</" + name + "> does not close <" + (open.empty() ? "" : open.back()) + ">" + context(lt);
      open.pop_back();
    } else if (!self_closing) {
      open.push_back(name);
    }
    i = j + 1;
  }
  if (!open.empty()) return "<" + open.back() + "> is never closed";
  return "";
}

/** HTML: the XML check is too strict (void elements, <!DOCTYPE>, scripts), so check what an
 *  attacker needs: the payload's markup must not appear raw, nor control characters. */
std::string html_problem(const std::string& h) {
  if (h.find(kMarkup) != std::string::npos || h.find("<script>alert(1)") != std::string::npos) {
    return "the payload <script>alert(1)</script> appears unescaped";
  }
  if (h.find("\"pwn\" -> \"pwn") != std::string::npos && h.find("&quot;pwn&quot;") == std::string::npos) {
    return "quotes of the payload appear unescaped";
  }
  for (std::size_t i = 0; i < h.size(); ++i) {
    const auto c = static_cast<unsigned char>(h[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
      return "a raw control character at offset " + std::to_string(i);
    }
  }
  return "";
}

// Each command in one format; the answer must be an answer (exit 0, 1 or 3), never a crash.
ProcessResult answer(const std::vector<std::string>& args) {
  const ProcessResult r = vpcprove(args);
  INFO("vpcprove " << args[0] << " ... : " << testing::describe_status(r)
                   << "\nstderr: " << r.err.substr(0, 2000));
  CHECK(r.term_signal == 0);
  CHECK((r.exit_code == 0 || r.exit_code == 1 || r.exit_code == 3));
  CHECK_FALSE(r.out.empty());
  return r;
}

}  // namespace

TEST_CASE("the hostile snapshot is a valid snapshot whose IDs keep every payload", "[hostile]") {
  const auto& f = fixture();
  const auto r = answer({"inventory", f.snapshot.string(), "--format", "json"});
  require_json_round_trip(r.out, "igw-missing" + kAll);  // the dangling-route warning names it
  CHECK(json::parse(r.out)["counts"]["network_interfaces"].get<int>() >= 3);
  CHECK_FALSE(fs::exists("/tmp/vpcprove-pwned"));
}

TEST_CASE("inventory text shows hostile IDs without raw control characters", "[hostile][text]") {
  require_clean_text(answer({"inventory", fixture().snapshot.string()}));
}

TEST_CASE("trace JSON round-trips hostile IDs", "[hostile]") {
  const auto r = answer({"trace", fixture().snapshot.string(), "--from", hostile_eni(), "--to", "8.8.8.8",
                         "--protocol", "tcp", "--dst-port", "443", "--reply", "--format", "json"});
  require_json_round_trip(r.out, hostile_eni());
  require_json_round_trip(r.out, kPublicRtb + kShell + kForged);
}

TEST_CASE("trace text shows hostile IDs without raw control characters", "[hostile][text]") {
  require_clean_text(answer({"trace", fixture().snapshot.string(), "--from", hostile_eni(), "--to", "8.8.8.8",
                             "--protocol", "tcp", "--dst-port", "443", "--reply"}));
}

TEST_CASE("reach JSON round-trips hostile IDs in the witness and in the proof", "[hostile]") {
  const auto yes = answer({"reach", fixture().snapshot.string(), "--from", "internet", "--to", hostile_eni(),
                           "--protocol", "tcp", "--dst-port", "443", "--format", "json"});
  require_json_round_trip(yes.out, hostile_eni());
  const auto no = answer({"reach", fixture().snapshot.string(), "--from", "internet", "--to", hostile_eni(),
                          "--protocol", "tcp", "--dst-port", "25", "--format", "json"});
  require_json_round_trip(no.out, hostile_eni());
}

TEST_CASE("reach text shows hostile IDs without raw control characters", "[hostile][text]") {
  require_clean_text(answer({"reach", fixture().snapshot.string(), "--from", "internet", "--to",
                             hostile_eni(), "--protocol", "tcp", "--dst-port", "443"}));
  require_clean_text(answer({"reach", fixture().snapshot.string(), "--from", "internet", "--to",
                             hostile_eni(), "--protocol", "tcp", "--dst-port", "25"}));
}

TEST_CASE("check JSON and SARIF round-trip hostile invariant names and IDs", "[hostile]") {
  for (const std::string format : {"json", "sarif"}) {
    INFO("--format " << format);
    const auto r =
        answer({"check", fixture().snapshot.string(), "--spec", fixture().spec.string(), "--format", format});
    require_json_round_trip(r.out, "web-unreachable " + kAll);
    require_json_round_trip(r.out, hostile_eni());
  }
}

TEST_CASE("check text shows hostile names without raw control characters", "[hostile][text]") {
  require_clean_text(answer({"check", fixture().snapshot.string(), "--spec", fixture().spec.string()}));
}

TEST_CASE("check JUnit is well-formed XML with hostile names escaped", "[hostile]") {
  const auto r =
      answer({"check", fixture().snapshot.string(), "--spec", fixture().spec.string(), "--format", "junit"});
  INFO(r.out.substr(0, 3000));
  CHECK(xml_problem(r.out) == "");
  CHECK(r.out.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);  // kept, escaped
}

TEST_CASE("check HTML escapes hostile names and IDs", "[hostile]") {
  const auto r =
      answer({"check", fixture().snapshot.string(), "--spec", fixture().spec.string(), "--format", "html"});
  CHECK(html_problem(r.out) == "");
  CHECK(r.out.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);  // kept, escaped
}

TEST_CASE("exposure JSON round-trips hostile IDs", "[hostile]") {
  const auto r = answer({"exposure", fixture().snapshot.string(), "--format", "json"});
  require_json_round_trip(r.out, hostile_eni());
}

TEST_CASE("exposure text shows hostile IDs without raw control characters", "[hostile][text]") {
  require_clean_text(answer({"exposure", fixture().snapshot.string()}));
}

TEST_CASE("graph DOT with hostile IDs is a graph dot can read", "[hostile]") {
  const auto dot_file = (fixture().dir / "graph.dot").string();
  const auto r = vpcprove({"graph", fixture().snapshot.string(), "-o", dot_file});
  REQUIRE(r.exit_code == 0);
  const auto dot = run_process({"/usr/bin/dot", "-Tsvg", dot_file});
  INFO("dot: " << dot.err.substr(0, 2000));
  CHECK(dot.exit_code == 0);
  CHECK(xml_problem(dot.out.substr(dot.out.find("<svg"))) == "");
}

TEST_CASE("the XML check accepts escaped documents and rejects broken ones", "[hostile]") {
  CHECK(xml_problem("<?xml version=\"1.0\"?><a x=\"1 &amp; 2\"><b/>t &lt; &#65;<!-- c --></a>") == "");
  CHECK(xml_problem("<a>x < y</a>") != "");
  CHECK(xml_problem("<a>R&D</a>") != "");
  CHECK(xml_problem("<a x=\"\"q\"></a>") != "");
  CHECK(xml_problem("<a><b></a></b>") != "");
  CHECK(xml_problem("<a>\x01</a>") != "");
  CHECK(xml_problem("<a>&#1;</a>") != "");
  CHECK(raw_control("fine\n") == "");
  CHECK(raw_control("bad\x1b[31m") != "");
  CHECK(raw_control("bidi \xE2\x80\xAE") != "");
}

}  // namespace vpcprove
