#pragma once
/// ABI values: one `Value` per type, interpreted together with its `Type` (a `Bytes` is `bytes` or
/// `bytes<N>`, a `List` is an array or a tuple).

#include "chain/abi/type.hpp"
#include "chain/address.hpp"
#include "chain/bytes.hpp"
#include "chain/u256.hpp"

#include <string>
#include <variant>
#include <vector>

namespace sluice::abi {

/// A signed integer as its 256-bit two's complement (the ABI word of an int<N> value).
struct Int {
  U256 bits;

  static Int from_negated(const U256& magnitude) noexcept { return {-magnitude}; }
  bool negative() const noexcept { return (bits.limbs[3] >> 63) != 0; }
  /// |value| (2^255 for the minimum int256, which is representable as an unsigned magnitude).
  U256 magnitude() const noexcept { return negative() ? -bits : bits; }
  friend bool operator==(const Int&, const Int&) = default;
};

struct Value {
  using List = std::vector<Value>;
  /// uint<N> | int<N> | address | bool | bytes and bytes<N> | string | arrays and tuples
  std::variant<U256, Int, Address, bool, Bytes, std::string, List> data;

  Value() = default;
  Value(U256 v) : data(v) {}                    // NOLINT: values convert implicitly for call helpers
  Value(Int v) : data(v) {}                     // NOLINT
  Value(Address v) : data(v) {}                 // NOLINT
  Value(bool v) : data(v) {}                    // NOLINT
  Value(Bytes v) : data(std::move(v)) {}        // NOLINT
  Value(std::string v) : data(std::move(v)) {}  // NOLINT
  Value(List v) : data(std::move(v)) {}         // NOLINT

  template <class T>
  const T* get_if() const noexcept {
    return std::get_if<T>(&data);
  }
  friend bool operator==(const Value&, const Value&) = default;
};

/// Checks that `value` has the shape of `type` and that integers fit their width (uint<N> < 2^N,
/// int<N> in [-2^(N-1), 2^(N-1))), bytes<N> has N bytes and fixed arrays and tuples have the right length.
Result<void> check(const Type& type, const Value& value);

}  // namespace sluice::abi
