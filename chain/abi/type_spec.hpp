#pragma once
/// Syntactic type specifiers as they appear in human-written signatures, before resolution to `Type`:
/// unknown names (`Foo`, `uint7`) are kept so that `sluice chain sig` hashes them as cast does.

#include "chain/abi/type.hpp"

#include <optional>

namespace sluice::abi {

struct TypeSpec {
  std::string stem;                          ///< identifier, empty for a tuple
  std::vector<TypeSpec> components;          ///< tuple components
  std::vector<std::optional<std::size_t>> dims;  ///< array suffixes, outermost last; nullopt for `[]`

  bool is_tuple() const noexcept { return stem.empty(); }
  /// Canonical text: `uint`/`int` become `uint256`/`int256`, `tuple(..)` becomes `(..)`, the empty tuple is
  /// `tuple` (as alloy, and so cast, print it).
  std::string canonical() const;
  /// Resolves to an ABI type, failing on unknown names and invalid sizes.
  Result<Type> resolve() const;
};

/// Consumes one type specifier from the front of `in` (no spaces inside). nullopt if none starts there.
std::optional<TypeSpec> consume_type_spec(std::string_view& in);

/// True for characters that may start (`first`) or continue a Solidity identifier (letters, digits, `_`, `$`).
constexpr bool is_ident_char(char c, bool first) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$') return true;
  return !first && c >= '0' && c <= '9';
}

}  // namespace sluice::abi
