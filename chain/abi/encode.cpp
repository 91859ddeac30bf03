#include "chain/abi/encode.hpp"

namespace sluice::abi {
namespace detail {
Result<void> check_shape(const Type& type, const Value& value, bool ranges);
}  // namespace detail

namespace {

void put_word_at(Bytes& out, std::size_t at, const U256& word) {
  const auto be = word.to_be();
  std::copy(be.begin(), be.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
}

void append_padded(Bytes& out, ByteView data) {
  out.insert(out.end(), data.begin(), data.end());
  out.resize(out.size() + (32 - data.size() % 32) % 32, 0);
}

void encode_value(const Type& type, const Value& value, Bytes& out);

/// Encodes `n` values as a tuple: `type_at(i)` and `value_at(i)` give the i-th type and value.
template <class TypeAt, class ValueAt>
void encode_sequence(std::size_t n, TypeAt type_at, ValueAt value_at, Bytes& out) {
  const std::size_t start = out.size();
  std::size_t head = 0;
  for (std::size_t i = 0; i < n; ++i) head += type_at(i).head_size();
  out.reserve(out.size() + head);
  // Heads: static values inline, a placeholder word for each dynamic one.
  for (std::size_t i = 0; i < n; ++i) {
    const Type& t = type_at(i);
    if (t.is_dynamic())
      out.resize(out.size() + 32, 0);
    else
      encode_value(t, value_at(i), out);
  }
  std::size_t slot = start;
  for (std::size_t i = 0; i < n; ++i) {
    const Type& t = type_at(i);
    if (t.is_dynamic()) {
      put_word_at(out, slot, U256{static_cast<std::uint64_t>(out.size() - start)});
      encode_value(t, value_at(i), out);
    }
    slot += t.head_size();
  }
}

void encode_value(const Type& type, const Value& value, Bytes& out) {
  switch (type.kind) {
    case Kind::uint_: append_word(out, std::get<U256>(value.data)); return;
    case Kind::int_: append_word(out, std::get<Int>(value.data).bits); return;
    case Kind::address: {
      out.resize(out.size() + 12, 0);
      const auto& a = std::get<Address>(value.data);
      out.insert(out.end(), a.bytes.begin(), a.bytes.end());
      return;
    }
    case Kind::bool_: append_word(out, U256{std::get<bool>(value.data) ? 1u : 0u}); return;
    case Kind::fixed_bytes: append_padded(out, std::get<Bytes>(value.data)); return;
    case Kind::bytes: {
      const auto& b = std::get<Bytes>(value.data);
      append_word(out, U256{static_cast<std::uint64_t>(b.size())});
      append_padded(out, b);
      return;
    }
    case Kind::string: {
      const auto& s = std::get<std::string>(value.data);
      append_word(out, U256{static_cast<std::uint64_t>(s.size())});
      append_padded(out, as_bytes(s));
      return;
    }
    case Kind::array:
    case Kind::fixed_array:
    case Kind::tuple: {
      const auto& list = std::get<Value::List>(value.data);
      if (type.kind == Kind::array) append_word(out, U256{static_cast<std::uint64_t>(list.size())});
      auto value_at = [&](std::size_t i) -> const Value& { return list[i]; };
      if (type.kind == Kind::tuple)
        encode_sequence(list.size(), [&](std::size_t i) -> const Type& { return type.children[i]; }, value_at, out);
      else
        encode_sequence(list.size(), [&](std::size_t) -> const Type& { return type.children[0]; }, value_at, out);
      return;
    }
  }
}

/// Size of one value in packed form (what alloy pads array elements up to 32 bytes from).
std::size_t packed_size(const Type& type, const Value& value);

void encode_packed_value(const Type& type, const Value& value, Bytes& out) {
  switch (type.kind) {
    case Kind::uint_:
    case Kind::int_: {
      const U256& w = type.kind == Kind::uint_ ? std::get<U256>(value.data) : std::get<Int>(value.data).bits;
      const auto be = w.to_be();
      out.insert(out.end(), be.end() - static_cast<std::ptrdiff_t>(type.size / 8), be.end());
      return;
    }
    case Kind::address: {
      const auto& a = std::get<Address>(value.data);
      out.insert(out.end(), a.bytes.begin(), a.bytes.end());
      return;
    }
    case Kind::bool_: out.push_back(std::get<bool>(value.data) ? 1 : 0); return;
    case Kind::fixed_bytes:
    case Kind::bytes: {
      const auto& b = std::get<Bytes>(value.data);
      out.insert(out.end(), b.begin(), b.end());
      return;
    }
    case Kind::string: {
      const auto s = as_bytes(std::get<std::string>(value.data));
      out.insert(out.end(), s.begin(), s.end());
      return;
    }
    case Kind::array:
    case Kind::fixed_array:
    case Kind::tuple: {
      const auto& list = std::get<Value::List>(value.data);
      for (std::size_t i = 0; i < list.size(); ++i) {
        const Type& t = type.kind == Kind::tuple ? type.children[i] : type.children[0];
        if (type.kind != Kind::tuple) {
          const std::size_t size = packed_size(t, list[i]);
          if (size < 32) out.resize(out.size() + (32 - size), 0);
        }
        encode_packed_value(t, list[i], out);
      }
      return;
    }
  }
}

std::size_t packed_size(const Type& type, const Value& value) {
  switch (type.kind) {
    case Kind::uint_:
    case Kind::int_: return type.size / 8;
    case Kind::address: return 20;
    case Kind::bool_: return 1;
    case Kind::fixed_bytes:
    case Kind::bytes: return std::get<Bytes>(value.data).size();
    case Kind::string: return std::get<std::string>(value.data).size();
    default: {
      const auto& list = std::get<Value::List>(value.data);
      std::size_t total = 0;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const Type& t = type.kind == Kind::tuple ? type.children[i] : type.children[0];
        const std::size_t size = packed_size(t, list[i]);
        total += type.kind == Kind::tuple ? size : std::max<std::size_t>(size, 32);
      }
      return total;
    }
  }
}

Result<void> check_all(std::span<const Type> types, std::span<const Value> values, EncodeOptions options) {
  if (types.size() != values.size()) return Error::argument_count;
  for (std::size_t i = 0; i < types.size(); ++i)
    if (auto r = detail::check_shape(types[i], values[i], options.check_ranges); !r) return r;
  return {};
}

}  // namespace

void append_word(Bytes& out, const U256& word) {
  const auto be = word.to_be();
  out.insert(out.end(), be.begin(), be.end());
}

Result<Bytes> encode(std::span<const Type> types, std::span<const Value> values, EncodeOptions options) {
  if (auto r = check_all(types, values, options); !r) return r.error();
  Bytes out;
  encode_sequence(types.size(), [&](std::size_t i) -> const Type& { return types[i]; },
                  [&](std::size_t i) -> const Value& { return values[i]; }, out);
  return out;
}

Result<Bytes> encode_packed(std::span<const Type> types, std::span<const Value> values, EncodeOptions options) {
  if (auto r = check_all(types, values, options); !r) return r.error();
  Bytes out;
  for (std::size_t i = 0; i < types.size(); ++i) encode_packed_value(types[i], values[i], out);
  return out;
}

Result<Bytes> encode_call(const Selector& selector, std::span<const Type> types, std::span<const Value> values) {
  if (auto r = check_all(types, values, {}); !r) return r.error();
  Bytes out(selector.bytes.begin(), selector.bytes.end());
  encode_sequence(types.size(), [&](std::size_t i) -> const Type& { return types[i]; },
                  [&](std::size_t i) -> const Value& { return values[i]; }, out);
  return out;
}

}  // namespace sluice::abi
