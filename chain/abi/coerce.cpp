#include "chain/abi/coerce.hpp"

#include <optional>

namespace sluice::abi {
namespace {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

/// Recursive-descent parser over one argument; `list_end` is the closing bracket of the innermost list, which
/// ends unquoted strings.
class ValueParser {
 public:
  explicit ValueParser(std::string_view text) : in_(text) {}

  Result<Value> whole(const Type& type) {
    auto v = value(type);
    if (!v) return v;
    if (pos_ != in_.size()) return Error::invalid_value;
    return v;
  }

 private:
  Result<Value> value(const Type& type) {
    switch (type.kind) {
      case Kind::bool_: return boolean();
      case Kind::uint_: {
        auto v = uint(type.size);
        if (!v) return v.error();
        return Value{*v};
      }
      case Kind::int_: return integer(type.size);
      case Kind::fixed_bytes: {
        auto hex = hex_str();
        if (!hex) return hex.error();
        if (hex->size() != 2 * type.size) return Error::invalid_value;
        return hex_value(*hex);
      }
      case Kind::address: {
        auto hex = hex_str();
        if (!hex) return hex.error();
        if (hex->size() != 40) return Error::invalid_value;
        auto b = from_hex(*hex);
        if (!b) return Error::invalid_value;
        return Value{*Address::from_view(*b)};
      }
      case Kind::bytes: {
        auto hex = hex_str();
        if (!hex) return hex.error();
        return hex_value(*hex);
      }
      case Kind::string: return string();
      case Kind::array:
      case Kind::fixed_array: {
        auto list = in_list(']', [&] { return array(type.children[0]); });
        if (!list) return list.error();
        if (type.kind == Kind::fixed_array && list->size() != type.size) return Error::invalid_value;
        return Value{std::move(*list)};
      }
      case Kind::tuple: {
        auto list = in_list(')', [&] { return tuple(type.children); });
        if (!list) return list.error();
        return Value{std::move(*list)};
      }
    }
    return Error::invalid_type;
  }

  template <class F>
  Result<Value::List> in_list(char end, F f) {
    const auto saved = list_end_;
    list_end_ = end;
    auto r = f();
    list_end_ = saved;
    return r;
  }

  char peek() const noexcept { return pos_ < in_.size() ? in_[pos_] : '\0'; }
  bool at_end() const noexcept { return pos_ >= in_.size(); }
  void spaces() noexcept {
    while (!at_end() && is_blank(in_[pos_])) ++pos_;
  }
  bool eat(char c) noexcept {
    if (at_end() || in_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  std::string_view take_while(bool (*pred)(char)) noexcept {
    const std::size_t start = pos_;
    while (!at_end() && pred(in_[pos_])) ++pos_;
    return in_.substr(start, pos_ - start);
  }

  Result<Value> boolean() {
    const auto word = take_while(is_alpha);
    if (word == "true") return Value{true};
    if (word == "false") return Value{false};
    return Error::invalid_value;
  }

  static Result<Value> hex_value(std::string_view hex) {
    auto b = from_hex(hex);
    if (!b) return Error::invalid_value;
    return Value{std::move(*b)};
  }

  /// `(0x)?[0-9a-fA-F]*`, where the empty string needs the prefix.
  Result<std::string_view> hex_str() {
    const bool prefix = in_.substr(pos_).starts_with("0x");
    if (prefix) pos_ += 2;
    const auto digits = take_while([](char c) { return hex_digit_value(c) >= 0; });
    if (!prefix && digits.empty()) return Error::invalid_value;
    return digits;
  }

  Result<Value> string() {
    if (at_end()) return Value{std::string{}};
    const char delim = peek();
    if (delim == '"' || delim == '\'') {
      ++pos_;
      const auto end = in_.find(delim, pos_);
      if (end == std::string_view::npos) return Error::invalid_value;
      std::string s(in_.substr(pos_, end - pos_));
      pos_ = end + 1;
      return Value{std::move(s)};
    }
    std::string_view s;
    if (list_end_) {
      const std::size_t start = pos_;
      while (!at_end() && in_[pos_] != ',' && in_[pos_] != *list_end_) ++pos_;
      if (pos_ == start) return Error::invalid_value;
      s = in_.substr(start, pos_ - start);
    } else {
      s = in_.substr(pos_);
      pos_ = in_.size();
    }
    while (!s.empty() && (is_blank(s.back()) || s.back() == '\n' || s.back() == '\r' || s.back() == '\v' ||
                          s.back() == '\f'))
      s.remove_suffix(1);
    return Value{std::string(s)};
  }

  /// `[ e, e, ]`: spaces after the bracket and after commas; an element that fails after a comma ends the
  /// list at that comma (so one trailing comma is accepted).
  Result<Value::List> array(const Type& element) {
    if (!eat('[')) return Error::invalid_value;
    spaces();
    Value::List out;
    if (peek() != ']') {
      auto first = value(element);
      if (!first) return first.error();
      out.push_back(std::move(*first));
      while (peek() == ',') {
        const std::size_t before = pos_;
        ++pos_;
        spaces();
        auto next = value(element);
        if (!next) {
          pos_ = before;
          break;
        }
        out.push_back(std::move(*next));
      }
      eat(',');
      spaces();
    }
    if (!eat(']')) return Error::invalid_value;
    return out;
  }

  /// `( a , b )`: spaces allowed everywhere around the components, no trailing comma.
  Result<Value::List> tuple(const std::vector<Type>& components) {
    spaces();
    if (!eat('(')) return Error::invalid_value;
    Value::List out;
    for (std::size_t i = 0; i < components.size(); ++i) {
      if (i > 0) {
        spaces();
        if (!eat(',')) return Error::invalid_value;
      }
      spaces();
      auto v = value(components[i]);
      if (!v) return v.error();
      out.push_back(std::move(*v));
    }
    spaces();
    if (!eat(')')) return Error::invalid_value;
    return out;
  }

  Result<Value> integer(std::size_t bits) {
    const bool negative = peek() == '-';
    if (negative || peek() == '+') ++pos_;
    auto magnitude = uint(bits);
    if (!magnitude) return magnitude.error();
    if (!negative && magnitude->bit_length() > bits - 1) return Error::value_out_of_range;
    if (negative && *magnitude > (U256{1} << 255)) return Error::value_out_of_range;
    return Value{negative ? Int::from_negated(*magnitude) : Int{*magnitude}};
  }

  /// `literal(.digits)?(e[+-]?digits)? *unit?`, scaled and checked against `bits`.
  Result<U256> uint(std::size_t bits) {
    const auto rest = in_.substr(pos_);
    unsigned radix = 10;
    if (rest.size() >= 2 && rest[0] == '0') {
      const char p = rest[1];
      radix = (p == 'x' || p == 'X') ? 16 : (p == 'o' || p == 'O') ? 8 : (p == 'b' || p == 'B') ? 2 : 10;
    }
    if (radix != 10) pos_ += 2;
    const auto digits = radix == 10 ? take_while(is_digit) : take_while([](char c) { return hex_digit_value(c) >= 0; });
    if (digits.empty()) return Error::invalid_value;
    std::string_view fraction;
    if (peek() == '.') {
      ++pos_;
      fraction = take_while(is_digit);
      if (fraction.empty()) return Error::invalid_value;
    }
    auto int_part = parse_radix(digits, radix);
    if (!int_part) return Error::invalid_value;

    long long exponent = 0;
    if (peek() == 'e' || peek() == 'E') {
      const std::size_t before = pos_;
      if (auto e = exponent_suffix()) {
        exponent = *e;
      } else {
        pos_ = before;
      }
    }
    spaces();
    const auto unit = take_while(is_alpha);
    long long unit_exp = 0;
    if (unit == "ether") {
      unit_exp = 18;
    } else if (unit == "gwei" || unit == "nano" || unit == "nanoether") {
      unit_exp = 9;
    } else if (!unit.empty() && unit != "wei") {
      return Error::invalid_value;
    }
    const long long scale = unit_exp + exponent;
    if (scale < 0) return Error::invalid_value;

    std::optional<U256> result;
    if (!fraction.empty()) {
      auto fraction_value = parse_radix(fraction, 10);
      if (!fraction_value) return Error::value_out_of_range;
      if (scale == 0 && !fraction_value->is_zero()) return Error::invalid_value;
      if (static_cast<long long>(fraction.size()) > scale) return Error::invalid_value;
      auto extended = checked_mul_pow10(*int_part, fraction.size());
      if (extended) extended = checked_add(*extended, *fraction_value);
      if (extended) result = checked_mul_pow10(*extended, static_cast<std::size_t>(scale) - fraction.size());
    } else {
      result = checked_mul_pow10(*int_part, static_cast<std::size_t>(scale));
    }
    if (!result || result->bit_length() > bits) return Error::value_out_of_range;
    return *result;
  }

  /// `e` or `E` followed by an optionally signed decimal integer.
  std::optional<long long> exponent_suffix() {
    ++pos_;
    bool negative = false;
    if (peek() == '+' || peek() == '-') {
      negative = peek() == '-';
      ++pos_;
    }
    const auto digits = take_while(is_digit);
    if (digits.empty() || digits.size() > 18) return std::nullopt;
    long long v = 0;
    for (char c : digits) v = v * 10 + (c - '0');
    return negative ? -v : v;
  }

  static std::optional<U256> parse_radix(std::string_view digits, unsigned radix) {
    U256 v;
    for (char c : digits) {
      const int d = hex_digit_value(c);
      if (d < 0 || static_cast<unsigned>(d) >= radix) return std::nullopt;
      auto m = checked_mul(v, U256{radix});
      if (!m) return std::nullopt;
      auto a = checked_add(*m, U256{static_cast<std::uint64_t>(d)});
      if (!a) return std::nullopt;
      v = *a;
    }
    return v;
  }

  static std::optional<U256> checked_mul_pow10(const U256& v, std::size_t n) {
    if (v.is_zero()) return v;
    if (n > 77) return std::nullopt;
    return checked_mul(v, pow10(static_cast<unsigned>(n)));
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  std::optional<char> list_end_;
};

}  // namespace

Result<Value> parse_value(const Type& type, std::string_view text) { return ValueParser(text).whole(type); }

}  // namespace sluice::abi
