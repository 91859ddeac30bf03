#pragma once
/// Solidity ABI types (https://docs.soliditylang.org/en/latest/abi-spec.html#types): the elementary types,
/// dynamic and fixed arrays, and tuples, nested to any depth. `function` and fixed-point types are not supported.

#include "chain/abi/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::abi {

enum class Kind : std::uint8_t {
  uint_,        ///< uint<N>, `bits` = N
  int_,         ///< int<N>, `bits` = N (two's complement)
  address,
  bool_,
  fixed_bytes,  ///< bytes<N>, `size` = N (1..32)
  bytes,
  string,
  array,        ///< T[], `children[0]` = T
  fixed_array,  ///< T[k], `children[0]` = T, `size` = k
  tuple,        ///< (T1,...,Tn), `children` = components
};

struct Type {
  Kind kind = Kind::bool_;
  std::size_t size = 0;          ///< bits of uint/int, bytes of bytes<N>, length of T[k]
  std::vector<Type> children;    ///< element type of arrays, components of tuples

  static Type uint(std::size_t bits = 256) { return {Kind::uint_, bits, {}}; }
  static Type int_(std::size_t bits = 256) { return {Kind::int_, bits, {}}; }
  static Type address() { return {Kind::address, 0, {}}; }
  static Type bool_() { return {Kind::bool_, 0, {}}; }
  static Type fixed_bytes(std::size_t n) { return {Kind::fixed_bytes, n, {}}; }
  static Type bytes() { return {Kind::bytes, 0, {}}; }
  static Type string() { return {Kind::string, 0, {}}; }
  static Type array(Type element) { return {Kind::array, 0, {std::move(element)}}; }
  static Type fixed_array(Type element, std::size_t n) { return {Kind::fixed_array, n, {std::move(element)}}; }
  static Type tuple(std::vector<Type> components) { return {Kind::tuple, 0, std::move(components)}; }

  /// Dynamic types are encoded in the tail and referenced by an offset: bytes, string, T[], and any T[k] or
  /// tuple containing one.
  bool is_dynamic() const noexcept;
  /// Bytes the type occupies in the head of an enclosing tuple: 32 for dynamic types, the full inline size
  /// for static ones (32 per elementary value).
  std::size_t head_size() const noexcept;
  /// Canonical type string used in signatures: `uint256`, `(uint8,bytes)[2][]`.
  std::string canonical() const;

  friend bool operator==(const Type&, const Type&) = default;
};

/// Canonical string of a parameter list: "(T1,T2)" with canonical component types.
std::string canonical_list(const std::vector<Type>& types);

/// Parses a type string such as `uint`, `bytes32[2]`, `(address,uint256[])[]` or `tuple(bool)`. Spaces are not
/// allowed inside the type; `uint`/`int` mean `uint256`/`int256`.
Result<Type> parse_type(std::string_view text);

/// Largest static size (bytes) a type may have; bigger fixed arrays are rejected so that size arithmetic never
/// overflows and no one can ask for gigabytes by writing `uint256[4294967295]`.
inline constexpr std::size_t kMaxStaticSize = std::size_t{1} << 32;

}  // namespace sluice::abi
