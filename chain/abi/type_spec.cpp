#include "chain/abi/type_spec.hpp"

#include <charconv>

namespace sluice::abi {
namespace {

/// Parses decimal digits (leading zeros allowed, as alloy does) into a size; nullopt on overflow.
std::optional<std::size_t> parse_size(std::string_view digits) {
  std::size_t value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || ptr != digits.data() + digits.size()) return std::nullopt;
  return value;
}

/// `uint8`..`uint256` style suffix: `prefix` followed by a canonical decimal size.
std::optional<std::size_t> suffix_size(std::string_view stem, std::string_view prefix) {
  if (!stem.starts_with(prefix)) return std::nullopt;
  const auto digits = stem.substr(prefix.size());
  if (digits.empty() || digits.size() > 3 || (digits[0] == '0')) return std::nullopt;
  for (char c : digits)
    if (c < '0' || c > '9') return std::nullopt;
  return parse_size(digits);
}

Result<Type> resolve_stem(std::string_view stem) {
  if (stem == "address") return Type::address();
  if (stem == "bool") return Type::bool_();
  if (stem == "string") return Type::string();
  if (stem == "bytes") return Type::bytes();
  if (stem == "uint") return Type::uint(256);
  if (stem == "int") return Type::int_(256);
  if (auto n = suffix_size(stem, "uint")) {
    if (*n == 0 || *n > 256 || *n % 8) return Error::invalid_type_size;
    return Type::uint(*n);
  }
  if (auto n = suffix_size(stem, "int")) {
    if (*n == 0 || *n > 256 || *n % 8) return Error::invalid_type_size;
    return Type::int_(*n);
  }
  if (auto n = suffix_size(stem, "bytes")) {
    if (*n == 0 || *n > 32) return Error::invalid_type_size;
    return Type::fixed_bytes(*n);
  }
  return Error::invalid_type;
}

}  // namespace

std::optional<TypeSpec> consume_type_spec(std::string_view& in) {
  std::string_view rest = in;
  TypeSpec spec;
  const bool keyword_tuple = rest.starts_with("tuple(");
  if (keyword_tuple) rest.remove_prefix(5);
  if (!rest.empty() && rest[0] == '(') {
    rest.remove_prefix(1);
    if (!rest.empty() && rest[0] == ')') {
      rest.remove_prefix(1);
    } else {
      for (;;) {
        auto component = consume_type_spec(rest);
        if (!component) return std::nullopt;
        spec.components.push_back(std::move(*component));
        if (rest.empty()) return std::nullopt;
        if (rest[0] == ')') {
          rest.remove_prefix(1);
          break;
        }
        if (rest[0] != ',') return std::nullopt;
        rest.remove_prefix(1);
      }
    }
  } else {
    std::size_t n = 0;
    while (n < rest.size() && is_ident_char(rest[n], n == 0)) ++n;
    if (n == 0) return std::nullopt;
    spec.stem = std::string(rest.substr(0, n));
    rest.remove_prefix(n);
  }
  while (!rest.empty() && rest[0] == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const auto digits = rest.substr(1, close - 1);
    if (digits.empty()) {
      spec.dims.emplace_back(std::nullopt);
    } else {
      for (char c : digits)
        if (c < '0' || c > '9') return std::nullopt;
      auto n = parse_size(digits);
      if (!n || *n == 0) return std::nullopt;
      spec.dims.emplace_back(*n);
    }
    rest.remove_prefix(close + 1);
  }
  in = rest;
  return spec;
}

std::string TypeSpec::canonical() const {
  std::string out;
  if (is_tuple()) {
    if (components.empty()) {
      out = "tuple";
    } else {
      out = "(";
      for (std::size_t i = 0; i < components.size(); ++i) {
        if (i) out += ',';
        out += components[i].canonical();
      }
      out += ')';
    }
  } else if (stem == "uint" || stem == "int") {
    out = stem + "256";
  } else {
    out = stem;
  }
  for (const auto& d : dims) out += d ? "[" + std::to_string(*d) + "]" : "[]";
  return out;
}

Result<Type> TypeSpec::resolve() const {
  Type type;
  if (is_tuple()) {
    std::vector<Type> resolved;
    resolved.reserve(components.size());
    for (const auto& c : components) {
      auto r = c.resolve();
      if (!r) return r.error();
      resolved.push_back(std::move(*r));
    }
    type = Type::tuple(std::move(resolved));
  } else {
    auto r = resolve_stem(stem);
    if (!r) return r.error();
    type = std::move(*r);
  }
  for (const auto& d : dims) {
    if (d) {
      if (!type.is_dynamic() && type.head_size() != 0 && *d > kMaxStaticSize / type.head_size())
        return Error::invalid_array_length;
      if (*d > kMaxStaticSize) return Error::invalid_array_length;
      type = Type::fixed_array(std::move(type), *d);
    } else {
      type = Type::array(std::move(type));
    }
  }
  if (type.kind == Kind::tuple && !type.is_dynamic() && type.head_size() > kMaxStaticSize)
    return Error::invalid_array_length;
  return type;
}

}  // namespace sluice::abi
