#include "keeper/cli/rlp_text.hpp"

#include "chain/u256.hpp"

#include <optional>

namespace sluice::cli {

const char* describe(RlpTextError e) noexcept {
  switch (e) {
    case RlpTextError::not_json_or_hex:
      return "value is neither JSON nor hex (expected hex like 0x1234 or a JSON array of hex strings)";
    case RlpTextError::string_not_hex: return "a string in the value is not hex of whole bytes (like \"0x12ab\")";
    case RlpTextError::bad_number: return "a number in the value is not an integer from 0 to 2^256-1";
    case RlpTextError::boolean: return "booleans cannot be RLP-encoded";
    case RlpTextError::object: return "JSON objects cannot be RLP-encoded";
  }
  return "rlp-text: unknown error";
}

Result<Bytes> decode_cast_hex(std::string_view text) {
  if (text.starts_with("0x")) text.remove_prefix(2);  // lowercase only, once: "0X12" and "0x0x12" fail
  if (text.size() % 2 != 0) return HexError::odd_length;
  Bytes out(text.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit_value(text[2 * i]);
    const int lo = hex_digit_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return HexError::invalid_character;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

namespace {

/// serde_json's nesting limit: its depth budget of 128 fails when it reaches zero, so 127 arrays parse.
constexpr int kMaxJsonDepth = 127;

/// A strict JSON reader that builds the item as it goes. Grammar failures (std::nullopt) send cast to its
/// raw-hex fallback; errors in valid JSON (a non-hex string, a fractional number) are only remembered, because
/// they matter only if the whole text turns out to be JSON. Booleans and objects fail at once: no fallback can
/// succeed on text containing them, since it is not hex.
class JsonToItem {
 public:
  explicit JsonToItem(std::string_view text) : text_(text) {}

  /// The item, or nullopt if the text is not JSON (then `hard_error()` may say why it must fail anyway).
  std::optional<rlp::Item> parse() {
    skip_space();
    rlp::Item item;
    if (!value(item, 0)) return std::nullopt;
    skip_space();
    if (pos_ != text_.size()) return std::nullopt;
    return item;
  }
  std::optional<RlpTextError> hard_error() const { return hard_error_; }
  std::optional<RlpTextError> deferred_error() const { return deferred_error_; }

 private:
  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool at_digit() const { return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; }
  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  void defer(RlpTextError e) {
    if (!deferred_error_) deferred_error_ = e;
  }
  bool fail_hard(RlpTextError e) {
    hard_error_ = e;
    return false;
  }

  bool value(rlp::Item& out, int depth) {
    if (pos_ >= text_.size()) return false;
    switch (text_[pos_]) {
      case '[': return array(out, depth + 1);
      case '"': return string(out);
      case 'n': return literal("null");  // the empty string
      case 't':
      case 'f': return (literal("true") || literal("false")) && fail_hard(RlpTextError::boolean);
      case '{': return fail_hard(RlpTextError::object);
      default: return number(out);
    }
  }

  bool array(rlp::Item& out, int depth) {
    if (depth > kMaxJsonDepth) return false;
    ++pos_;  // '['
    out.is_list = true;
    skip_space();
    if (at(']')) {
      ++pos_;
      return true;
    }
    while (true) {
      skip_space();
      if (!value(out.items.emplace_back(), depth)) return false;
      skip_space();
      if (at(']')) {
        ++pos_;
        return true;
      }
      if (!at(',')) return false;
      ++pos_;
    }
  }

  bool string(rlp::Item& out) {
    ++pos_;  // '"'
    std::string chars;
    while (true) {
      if (pos_ >= text_.size()) return false;
      const char c = text_[pos_++];
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 0x20) return false;  // raw control characters are not JSON
      if (c != '\\') {
        chars.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return false;
      const char e = text_[pos_++];
      switch (e) {
        case '"': case '\\': case '/': chars.push_back(e); break;
        case 'b': case 'f': case 'n': case 'r': case 't': chars.push_back('\n'); break;  // never hex anyway
        case 'u': {
          if (!unicode_escape(chars)) return false;
          break;
        }
        default: return false;
      }
    }
    auto bytes = decode_cast_hex(chars);
    if (!bytes) defer(RlpTextError::string_not_hex);
    else out.string = std::move(*bytes);
    return true;
  }

  /// \uXXXX (after the 'u'): ASCII code points are kept for the hex check; anything else can never be hex,
  /// so it becomes a non-hex placeholder. A lone surrogate is a grammar error, as in serde_json.
  bool unicode_escape(std::string& chars) {
    const auto unit = [&]() -> std::optional<unsigned> {
      if (text_.size() - pos_ < 4) return std::nullopt;
      unsigned v = 0;
      for (int i = 0; i < 4; ++i) {
        const int d = hex_digit_value(text_[pos_++]);
        if (d < 0) return std::nullopt;
        v = v << 4 | static_cast<unsigned>(d);
      }
      return v;
    };
    const auto first = unit();
    if (!first) return false;
    if (*first >= 0xdc00 && *first <= 0xdfff) return false;
    if (*first >= 0xd800 && *first <= 0xdbff) {
      if (!literal("\\u")) return false;
      const auto second = unit();
      if (!second || *second < 0xdc00 || *second > 0xdfff) return false;
    }
    chars.push_back(*first < 0x80 ? static_cast<char>(*first) : '?');
    return true;
  }

  /// JSON number grammar; the value must be an integer in [0, 2^256). serde_json reads integers that fit
  /// 64 bits natively (so -0 becomes 0) and keeps the text of anything else, which cast then parses as a
  /// decimal U256.
  bool number(rlp::Item& out) {
    const std::size_t start = pos_;
    const bool negative = at('-');
    if (negative) ++pos_;
    if (at('0')) {
      ++pos_;
    } else if (at_digit()) {
      while (at_digit()) ++pos_;
    } else {
      return false;
    }
    const std::size_t integer_end = pos_;
    bool integral = true;
    if (at('.')) {
      ++pos_;
      if (!at_digit()) return false;
      while (at_digit()) ++pos_;
      integral = false;
    }
    if (at('e') || at('E')) {
      ++pos_;
      if (at('+') || at('-')) ++pos_;
      if (!at_digit()) return false;
      while (at_digit()) ++pos_;
      integral = false;
    }
    const std::string_view digits = text_.substr(start + (negative ? 1 : 0), integer_end - start - (negative ? 1 : 0));
    if (!integral || (negative && digits != "0")) {
      defer(RlpTextError::bad_number);
      return true;
    }
    const auto value = U256::from_dec(digits);
    if (!value) defer(RlpTextError::bad_number);
    else out.string = value->to_be_trimmed();
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::optional<RlpTextError> hard_error_;
  std::optional<RlpTextError> deferred_error_;
};

void format_into(std::string& out, const rlp::Item& item) {
  if (!item.is_list) {
    out += "\"0x";
    out += to_hex_no_prefix(item.string);
    out += '"';
    return;
  }
  out += '[';
  for (std::size_t i = 0; i < item.items.size(); ++i) {
    if (i > 0) out += ',';
    format_into(out, item.items[i]);
  }
  out += ']';
}

}  // namespace

Result<rlp::Item> parse_rlp_value(std::string_view text) {
  JsonToItem reader{text};
  auto item = reader.parse();
  if (item) {
    if (const auto e = reader.deferred_error()) return *e;
    return std::move(*item);
  }
  if (const auto e = reader.hard_error()) return *e;
  auto raw = decode_cast_hex(text);
  if (!raw) return RlpTextError::not_json_or_hex;
  rlp::Item string;
  string.string = std::move(*raw);
  return string;
}

Result<std::string> to_rlp_text(std::string_view text) {
  auto item = parse_rlp_value(text);
  if (!item) return item.error();
  return to_hex(rlp::encode(*item));
}

std::string format_rlp_item(const rlp::Item& item) {
  std::string out;
  format_into(out, item);
  return out;
}

Result<std::string> from_rlp_text(std::string_view hex, bool as_int) {
  auto bytes = decode_cast_hex(hex);
  if (!bytes) return bytes.error();
  ByteView view{*bytes};
  if (as_int) {
    U256 value;
    if (auto r = rlp::decode(view, value); !r) return r.error();
    return value.to_dec();
  }
  auto item = rlp::decode_next_item(view);
  if (!item) return item.error();
  return format_rlp_item(*item);
}

}  // namespace sluice::cli
