#include "chain/abi/format.hpp"

#include <cstdio>

namespace sluice::abi {
namespace {

/// Decodes UTF-8 with U+FFFD for each maximal ill-formed subsequence (Unicode 3.9 / WHATWG "maximal subpart",
/// which is what Rust's String::from_utf8_lossy implements).
std::vector<char32_t> decode_utf8_lossy(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < s.size()) {
    const unsigned b = byte(i);
    if (b < 0x80) {
      out.push_back(b);
      ++i;
      continue;
    }
    std::size_t need = 0;
    unsigned lo = 0x80, hi = 0xBF;
    char32_t cp = 0;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      cp = b & 0x0F;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      cp = b & 0x07;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    std::size_t k = 1;
    for (; k <= need; ++k) {
      if (i + k >= s.size()) break;
      const unsigned c = byte(i + k);
      const unsigned l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
      if (c < l || c > h) break;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (k > need) {
      out.push_back(cp);
      i += need + 1;
    } else {
      out.push_back(0xFFFD);
      i += k;  // the lead and the valid continuations so far; the offending byte starts over
    }
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// Characters Rust's Debug escapes as \u{..} beyond ASCII controls: C1 controls, the soft hyphen, combining
/// marks (grapheme extenders), zero-width and bidi format characters, line/paragraph separators, noncharacters
/// and private use. An approximation of Rust's Unicode tables that covers the common cases.
bool escaped_as_unicode(char32_t c) noexcept {
  if (c < 0x20 || c == 0x7F) return true;
  if (c >= 0x80 && c <= 0x9F) return true;
  if (c == 0xAD) return true;
  if (c >= 0x300 && c <= 0x36F) return true;
  if ((c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064)) return true;
  if (c == 0xFEFF || (c >= 0xFFF0 && c <= 0xFFF8) || c == 0xFFFE || c == 0xFFFF) return true;
  if (c >= 0xE000 && c <= 0xF8FF) return true;
  if (c >= 0xF0000) return true;
  return false;
}

std::string format_integer(const U256& magnitude, bool negative) {
  std::string out = negative ? "-" : "";
  out += magnitude.to_dec();
  const std::string hint = scientific_hint(magnitude);
  if (!hint.empty()) out += " [" + std::string(negative ? "-" : "") + hint + "]";
  return out;
}

template <class Element>
std::string join(const Value::List& list, char open, char close, Element element) {
  std::string out(1, open);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out += ", ";
    out += element(i);
  }
  out += close;
  return out;
}

}  // namespace

std::string scientific_hint(const U256& magnitude) {
  if (magnitude < U256{10000}) return {};
  const std::string digits = magnitude.to_dec();
  std::string mantissa = digits.substr(1, 3);
  while (!mantissa.empty() && mantissa.back() == '0') mantissa.pop_back();
  std::string out(1, digits[0]);
  if (!mantissa.empty()) out += "." + mantissa;
  return out + "e" + std::to_string(digits.size() - 1);
}

std::string quote_string(std::string_view text) {
  std::string out = "\"";
  for (char32_t c : decode_utf8_lossy(text)) {
    switch (c) {
      case U'\0': out += "\\0"; continue;
      case U'\t': out += "\\t"; continue;
      case U'\r': out += "\\r"; continue;
      case U'\n': out += "\\n"; continue;
      case U'\\': out += "\\\\"; continue;
      case U'"': out += "\\\""; continue;
      default: break;
    }
    if (escaped_as_unicode(c)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u{%x}", static_cast<unsigned>(c));
      out += buf;
    } else {
      append_utf8(out, c);
    }
  }
  out += '"';
  return out;
}

std::string format_value(const Type& type, const Value& value) {
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, U256>) {
          return format_integer(v, false);
        } else if constexpr (std::is_same_v<T, Int>) {
          return format_integer(v.magnitude(), v.negative());
        } else if constexpr (std::is_same_v<T, Address>) {
          return to_checksum(v);
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, Bytes>) {
          return to_hex(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return quote_string(v);
        } else {
          const bool tuple = type.kind == Kind::tuple;
          const auto element_type = [&](std::size_t i) -> const Type& {
            static const Type kNone{};
            if (tuple) return i < type.children.size() ? type.children[i] : kNone;
            return type.children.empty() ? kNone : type.children[0];
          };
          return join(v, tuple ? '(' : '[', tuple ? ')' : ']',
                      [&](std::size_t i) { return format_value(element_type(i), v[i]); });
        }
      },
      value.data);
}

std::string format_values(std::span<const Type> types, std::span<const Value> values) {
  std::string out;
  for (std::size_t i = 0; i < values.size() && i < types.size(); ++i) {
    out += format_value(types[i], values[i]);
    out += '\n';
  }
  return out;
}

}  // namespace sluice::abi
