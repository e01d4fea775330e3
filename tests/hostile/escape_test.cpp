// SPDX-License-Identifier: Apache-2.0
// common/escape.h: each format's escaping keeps data data.
#include "common/escape.h"

#include <catch2/catch.hpp>

using namespace vpcprove;

TEST_CASE("escape_text leaves plain text, UTF-8 and emoji alone", "[escape]") {
  CHECK(escape_text("eni-0ab sg-1 \"quoted\" <b> 10.0.0.0/16") == "eni-0ab sg-1 \"quoted\" <b> 10.0.0.0/16");
  CHECK(escape_text("caf\xC3\xA9 \xF0\x9F\xA6\x80") == "caf\xC3\xA9 \xF0\x9F\xA6\x80");
}

TEST_CASE("escape_text makes control characters, bidi controls and bad bytes visible", "[escape]") {
  CHECK(escape_text("a\nb\r\tc") == "a\\nb\\r\\tc");
  CHECK(escape_text("\x1b[31mred\x07\x7f") == "\\x1b[31mred\\x07\\x7f");
  CHECK(escape_text("back\\slash") == "back\\\\slash");
  CHECK(escape_text("\xE2\x80\xAE"
                    "evil") == "\\u202eevil");
  CHECK(escape_text("\xC2\x9B") == "\\u009b");  // C1 CSI
  CHECK(escape_text("\xFF\xC3") == "\\xff\\xc3");
  CHECK(escape_text(std::string("nul\0x", 5)) == "nul\\x00x");
}

TEST_CASE("escape_text keeps distinct inputs distinct", "[escape]") {
  CHECK(escape_text("a\\nb") != escape_text("a\nb"));
  CHECK(escape_text("\\x1b") != escape_text("\x1b"));
}

TEST_CASE("escape_json escapes what RFC 8259 requires and replaces bad bytes", "[escape]") {
  CHECK(escape_json("q\"b\\n\n\x01") == "q\\\"b\\\\n\\n\\u0001");
  CHECK(escape_json("\xFF") == "\xEF\xBF\xBD");
  CHECK(escape_json("\xF0\x9F\xA6\x80") == "\xF0\x9F\xA6\x80");
}

TEST_CASE("escape_xml and escape_html give entities for markup and keep line breaks in attributes",
          "[escape]") {
  CHECK(escape_xml("<script>alert('x')</script>&\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
  CHECK(escape_xml("a\nb\tc") == "a&#10;b&#9;c");
  CHECK(escape_xml("\x01\x1b") == "\\x01\\x1b");  // XML 1.0 cannot hold them at all
  CHECK(escape_xml("]]><!--") == "]]&gt;&lt;!--");
  CHECK(escape_html("<b>&") == "&lt;b&gt;&amp;");
}

TEST_CASE("escape_dot keeps a quoted DOT string closed and forms no label escapes", "[escape]") {
  CHECK(escape_dot("\"];\n\"x\" -> \"y") == "\\\"];\\\\x0a\\\"x\\\" -> \\\"y");
  CHECK(escape_dot("a\\nb") == "a\\\\nb");
  CHECK(escape_dot("\xE2\x80\xAE") == "\xE2\x80\xAE");
}

TEST_CASE("shell_word leaves plain AWS IDs, CIDRs and key=value lists bare", "[escape][shell]") {
  CHECK(shell_word("sg-00e93904bb5648514") == "sg-00e93904bb5648514");
  CHECK(shell_word("0.0.0.0/0") == "0.0.0.0/0");
  CHECK(shell_word("From=22,To=22") == "From=22,To=22");
  CHECK(shell_word("arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1@x%y+z_") ==
        "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1@x%y+z_");
}

TEST_CASE("shell_word single-quotes anything a shell would expand, split or end", "[escape][shell]") {
  CHECK(shell_word("") == "''");
  CHECK(shell_word("sg-1; rm -rf ~") == "'sg-1; rm -rf ~'");
  CHECK(shell_word("$(id)`id`") == "'$(id)`id`'");
  CHECK(shell_word("a\nb") == "'a\nb'");
  CHECK(shell_word("it's") == "'it'\\''s'");
  CHECK(shell_word("IpRanges=[{CidrIp=0.0.0.0/0}]") == "'IpRanges=[{CidrIp=0.0.0.0/0}]'");
  CHECK(shell_word("=rm") == "'=rm'");  // zsh would run =cmd expansion on it bare
  CHECK(shell_word("*") == "'*'");
}
