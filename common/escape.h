// SPDX-License-Identifier: Apache-2.0
// Escaping untrusted strings (AWS IDs, names, tags) for every output format vpcprove writes,
// and for the shell commands it suggests.
//
// Snapshot strings are data, never markup or terminal control: an ID may hold quotes, a newline
// that would forge a line of the report, an ANSI escape, a bidi override (Trojan Source), or
// "</script>". Every printer of a text, XML, HTML or DOT report passes each such string through
// the function for its format. JSON needs none of this when written through nlohmann::json,
// which escapes on dump(); escape_json is for hand-written JSON only.
#pragma once

#include <string>
#include <string_view>

namespace vpcprove {

/**
 * For terminals and plain-text reports: printable ASCII and valid UTF-8 text (emoji included)
 * unchanged; a backslash doubled; \n, \r, \t as those two-character escapes; other C0 controls,
 * DEL and bytes that are not valid UTF-8 as \xHH; C1 controls (U+0080-U+009F) and the invisible
 * direction controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) as \uHHHH. The
 * result holds no byte below 0x20 and no direction control, and distinct inputs stay distinct.
 */
std::string escape_text(std::string_view s);

/** The inside of a JSON string (RFC 8259), without the quotes: \" \\ \n \r \t \b \f and
 *  \u00HH for other controls; invalid UTF-8 bytes become U+FFFD. */
std::string escape_json(std::string_view s);

/**
 * XML 1.0 text or attribute value: & < > " ' as entities; \t \n \r as character references
 * (so attribute normalisation keeps them); characters XML 1.0 cannot hold at all (other C0
 * controls, invalid UTF-8) as the visible text \xHH.
 */
std::string escape_xml(std::string_view s);

/** HTML text or quoted attribute value: the same as escape_xml (safe in both). */
std::string escape_html(std::string_view s);

/**
 * The inside of a double-quoted DOT ID or label, without the quotes: " and \ escaped, so no
 * label escape (\n, \l, \N …) of Graphviz is ever formed from data; control characters and
 * invalid UTF-8 as the visible text \xHH.
 */
std::string escape_dot(std::string_view s);

/**
 * One word of POSIX shell command text (sh, bash, zsh), for the `aws ...` commands vpcprove
 * suggests: s unchanged when every byte is in [A-Za-z0-9_./:=@%+,-] (nothing a shell expands
 * or splits there) and it does not start with = (zsh's =cmd), else s inside single quotes with each ' written
 * '\'' . Inside single quotes no character is special (POSIX XCU 2.2.2), so $(), `, ;, *, spaces and newlines
 * stay data. The empty string is ''. Terminal escaping is the printer's job (escape_text), not this one's.
 */
std::string shell_word(std::string_view s);

}  // namespace vpcprove
