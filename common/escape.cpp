// SPDX-License-Identifier: Apache-2.0
// One UTF-8 decoder, five encoders: each format decides what to do with a code point or a bad byte.
#include "common/escape.h"

#include <cstdint>
#include <cstdio>
#include <optional>

namespace vpcprove {

namespace {

struct CodePoint {
  char32_t value;
  std::size_t length;  // bytes it took
};

// Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF); nullopt for a bad byte.
std::optional<CodePoint> decode(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return CodePoint{b0, 1};
  std::size_t n = 0;
  char32_t cp = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (i + n > s.size()) return std::nullopt;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return CodePoint{cp, n};
}

std::string hex_byte(const char* prefix, unsigned char b) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s%02x", prefix, b);
  return buf;
}

std::string hex_u(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
  return buf;
}

bool is_direction_control(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// Walks s; for each code point calls on_cp(cp, bytes) and for each invalid byte on_bad(byte).
template <class OnCodePoint, class OnBad>
void walk(std::string_view s, OnCodePoint on_cp, OnBad on_bad) {
  for (std::size_t i = 0; i < s.size();) {
    if (const auto cp = decode(s, i)) {
      on_cp(cp->value, s.substr(i, cp->length));
      i += cp->length;
    } else {
      on_bad(static_cast<unsigned char>(s[i]));
      ++i;
    }
  }
}

// What XML, HTML and DOT cannot show as themselves: C0 controls but tab/newline/CR, DEL, C1.
bool is_markup_invisible(char32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F);
}

}  // namespace

std::string escape_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  walk(
      s,
      [&](char32_t cp, std::string_view bytes) {
        if (cp == '\\') {
          out += "\\\\";
        } else if (cp == '\n') {
          out += "\\n";
        } else if (cp == '\r') {
          out += "\\r";
        } else if (cp == '\t') {
          out += "\\t";
        } else if (cp < 0x20 || cp == 0x7F) {
          out += hex_byte("\\x", static_cast<unsigned char>(cp));
        } else if ((cp >= 0x80 && cp <= 0x9F) || is_direction_control(cp)) {
          out += hex_u(cp);
        } else {
          out += bytes;
        }
      },
      [&](unsigned char b) { out += hex_byte("\\x", b); });
  return out;
}

std::string escape_json(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  walk(
      s,
      [&](char32_t cp, std::string_view bytes) {
        switch (cp) {
          case '"':
            out += "\\\"";
            break;
          case '\\':
            out += "\\\\";
            break;
          case '\n':
            out += "\\n";
            break;
          case '\r':
            out += "\\r";
            break;
          case '\t':
            out += "\\t";
            break;
          case '\b':
            out += "\\b";
            break;
          case '\f':
            out += "\\f";
            break;
          default:
            if (cp < 0x20) {
              out += hex_u(cp);
            } else {
              out += bytes;
            }
        }
      },
      [&](unsigned char) { out += "\xEF\xBF\xBD"; });  // U+FFFD
  return out;
}

std::string escape_xml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  walk(
      s,
      [&](char32_t cp, std::string_view bytes) {
        switch (cp) {
          case '&':
            out += "&amp;";
            break;
          case '<':
            out += "&lt;";
            break;
          case '>':
            out += "&gt;";
            break;
          case '"':
            out += "&quot;";
            break;
          case '\'':
            out += "&#39;";
            break;
          case '\t':
            out += "&#9;";
            break;
          case '\n':
            out += "&#10;";
            break;
          case '\r':
            out += "&#13;";
            break;
          default:
            if (is_markup_invisible(cp)) {
              out += cp < 0x80 ? hex_byte("\\x", static_cast<unsigned char>(cp)) : hex_u(cp);
            } else {
              out += bytes;
            }
        }
      },
      [&](unsigned char b) { out += hex_byte("\\x", b); });
  return out;
}

std::string escape_html(std::string_view s) { return escape_xml(s); }

std::string escape_dot(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  walk(
      s,
      [&](char32_t cp, std::string_view bytes) {
        if (cp == '"') {
          out += "\\\"";
        } else if (cp == '\\') {
          out += "\\\\";
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
          // Shown as the text \xHH: the backslash itself must be escaped in a DOT string.
          out += cp < 0x80 ? hex_byte("\\\\x", static_cast<unsigned char>(cp)) : "\\" + hex_u(cp);
        } else {
          out += bytes;
        }
      },
      [&](unsigned char b) { out += hex_byte("\\\\x", b); });
  return out;
}

std::string shell_word(std::string_view s) {
  auto plain = [](unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::string_view("_./:=@%+,-").find(static_cast<char>(c)) != std::string_view::npos;
  };
  // A leading = is quoted too: zsh expands a word "=cmd" to the path of cmd (EQUALS option).
  bool bare = !s.empty() && s.front() != '=';
  for (const char c : s) bare = bare && plain(static_cast<unsigned char>(c));
  if (bare) return std::string(s);
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') {
      out += "'\\''";  // close the quote, an escaped quote, reopen
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace vpcprove
