#include "chain/abi/decode.hpp"

#include <cstring>

namespace sluice::abi {
namespace {

constexpr std::uint64_t kMaxOffset = 0xffffffffu;  ///< offsets and lengths above 2^32-1 cannot be real

class Decoder {
 public:
  Decoder(ByteView data, Validation validation)
      : data_(data), strict_(validation == Validation::strict), budget_(1024 + 8 * data.size()) {}

  /// Decodes `n` values laid out as a tuple starting at `base`.
  template <class TypeAt>
  Result<Value::List> sequence(std::size_t n, TypeAt type_at, std::size_t base) {
    Value::List values;
    values.reserve(n);
    std::size_t head = base;
    for (std::size_t i = 0; i < n; ++i) {
      const Type& t = type_at(i);
      Result<Value> v = Error::data_too_short;
      if (t.is_dynamic()) {
        auto offset = small_word(head);
        if (!offset) return offset.error();
        if (base > data_.size() || *offset > data_.size() - base) return Error::offset_out_of_range;
        v = value(t, base + static_cast<std::size_t>(*offset));
      } else {
        v = value(t, head);
      }
      if (!v) return v.error();
      values.push_back(std::move(*v));
      head += t.head_size();
    }
    return values;
  }

  /// Decodes one value whose encoding starts at `at` (inline for static types, the tail for dynamic ones).
  Result<Value> value(const Type& type, std::size_t at) {
    // Offsets may point many values at the same tail; bound the work so that a small input cannot expand into
    // an exponential number of values. Honest encodings need far fewer than one value per byte.
    if (++values_decoded_ > budget_) return Error::excessive_expansion;
    switch (type.kind) {
      case Kind::uint_: {
        auto w = word(at);
        if (!w) return w.error();
        if (strict_ && w->bit_length() > type.size) return Error::dirty_high_bits;
        return Value{*w};
      }
      case Kind::int_: {
        auto w = word(at);
        if (!w) return w.error();
        const Int v{*w};
        if (strict_ && type.size < 256) {
          const U256 high = *w >> static_cast<unsigned>(type.size - 1);
          const U256 expect = v.negative() ? (U256::max() >> static_cast<unsigned>(type.size - 1)) : U256{};
          if (high != expect) return Error::dirty_high_bits;
        }
        return Value{v};
      }
      case Kind::address: {
        auto w = raw(at, 32);
        if (!w) return w.error();
        if (strict_ && !all_zero(w->first(12))) return Error::dirty_high_bits;
        Address a;
        std::memcpy(a.bytes.data(), w->data() + 12, 20);
        return Value{a};
      }
      case Kind::bool_: {
        auto w = word(at);
        if (!w) return w.error();
        if (strict_ && *w > U256{1}) return Error::invalid_bool;
        return Value{!w->is_zero()};
      }
      case Kind::fixed_bytes: {
        auto w = raw(at, 32);
        if (!w) return w.error();
        if (strict_ && !all_zero(w->subspan(type.size))) return Error::dirty_high_bits;
        return Value{Bytes(w->begin(), w->begin() + static_cast<std::ptrdiff_t>(type.size))};
      }
      case Kind::bytes:
      case Kind::string: {
        auto len = small_word(at);
        if (!len) return len.error();
        auto body = raw(at + 32, static_cast<std::size_t>(*len));
        if (!body) return body.error();
        if (type.kind == Kind::bytes) return Value{Bytes(body->begin(), body->end())};
        return Value{std::string(body->begin(), body->end())};
      }
      case Kind::array: {
        auto len = small_word(at);
        if (!len) return len.error();
        const Type& element = type.children[0];
        // Every element needs at least its head in the data: refuse lengths the data cannot back before
        // reserving anything. Zero-sized elements (empty tuples) are bounded by the byte count instead.
        const std::size_t available = data_.size() - std::min(data_.size(), at + 32);
        const std::size_t per = std::max<std::size_t>(element.head_size(), 1);
        if (*len > available / per) return Error::data_too_short;
        return list(type, static_cast<std::size_t>(*len), at + 32);
      }
      case Kind::fixed_array: return list(type, type.size, at);
      case Kind::tuple: {
        auto values = sequence(type.children.size(), [&](std::size_t i) -> const Type& { return type.children[i]; }, at);
        if (!values) return values.error();
        return Value{std::move(*values)};
      }
    }
    return Error::invalid_type;
  }

 private:
  Result<Value> list(const Type& type, std::size_t n, std::size_t at) {
    auto values = sequence(n, [&](std::size_t) -> const Type& { return type.children[0]; }, at);
    if (!values) return values.error();
    return Value{std::move(*values)};
  }

  Result<ByteView> raw(std::size_t at, std::size_t n) const {
    if (at > data_.size() || n > data_.size() - at) return Error::data_too_short;
    return data_.subspan(at, n);
  }

  Result<U256> word(std::size_t at) const {
    auto w = raw(at, 32);
    if (!w) return w.error();
    return *U256::from_be(*w);
  }

  /// A word used as an offset or length: at most 2^32-1.
  Result<std::uint64_t> small_word(std::size_t at) const {
    auto w = word(at);
    if (!w) return w.error();
    if (*w > U256{kMaxOffset}) return Error::offset_out_of_range;
    return w->limbs[0];
  }

  static bool all_zero(ByteView v) noexcept {
    for (auto b : v)
      if (b) return false;
    return true;
  }

  ByteView data_;
  bool strict_;
  std::size_t budget_;
  std::size_t values_decoded_ = 0;
};

}  // namespace

Result<std::vector<Value>> decode(std::span<const Type> types, ByteView data, Validation validation) {
  Decoder decoder(data, validation);
  return decoder.sequence(types.size(), [&](std::size_t i) -> const Type& { return types[i]; }, 0);
}

Result<std::vector<Value>> decode_call(const Function& function, ByteView calldata) {
  if (calldata.size() < 4) return Error::data_too_short;
  if (std::memcmp(calldata.data(), function.selector.bytes.data(), 4) != 0) return Error::selector_mismatch;
  return decode(function.inputs, calldata.subspan(4));
}

Result<std::vector<Value>> decode_output(const Function& function, ByteView data) {
  return decode(function.outputs, data);
}

Result<U256> decode_uint256(ByteView data) {
  const Type t = Type::uint(256);
  auto v = decode(std::span<const Type>(&t, 1), data);
  if (!v) return v.error();
  return std::get<U256>((*v)[0].data);
}

Result<Address> decode_address(ByteView data) {
  const Type t = Type::address();
  auto v = decode(std::span<const Type>(&t, 1), data);
  if (!v) return v.error();
  return std::get<Address>((*v)[0].data);
}

}  // namespace sluice::abi
