#pragma once
/// Function and event signatures (https://docs.soliditylang.org/en/latest/abi-spec.html#function-selector):
/// parsing human-written signatures the way Foundry's cast does, canonical signature strings, 4-byte selectors
/// and event topic0. Parse once at start-up; `Function::selector` and `Event::topic0` are then plain values.

#include "chain/abi/type.hpp"
#include "chain/fixed_bytes.hpp"
#include "chain/hash.hpp"

namespace sluice::abi {

using Selector = FixedBytes<4>;

/// First four bytes of keccak256(canonical signature), e.g. "transfer(address,uint256)" -> 0xa9059cbb.
Selector selector_of(std::string_view canonical_signature) noexcept;

struct Function {
  std::string name;
  std::vector<Type> inputs;
  std::vector<Type> outputs;   ///< from `name(inputs)(outputs)` or `... returns (outputs)`; may be empty
  std::string signature;       ///< canonical `name(T1,T2)` (inputs only)
  Selector selector;

  /// Accepts what cast accepts: `transfer(address,uint256)`, `function transfer(address to, uint256 amount)
  /// external returns (bool)`, `balanceOf(address)(uint256)`; parameter names, `memory`/`calldata`/`storage`
  /// and spaces between parameters are ignored.
  static Result<Function> parse(std::string_view text);
};

struct EventParam {
  Type type;
  bool indexed = false;
};

struct Event {
  std::string name;
  std::vector<EventParam> params;
  bool anonymous = false;
  std::string signature;  ///< canonical `Transfer(address,address,uint256)`
  Hash topic0;            ///< keccak256(signature); not emitted for anonymous events

  /// `Transfer(address indexed from, address indexed to, uint256 value)`, optionally prefixed with `event ` and
  /// followed by `anonymous`.
  static Result<Event> parse(std::string_view text);
};

/// Canonical `name(T1,...)` of a function signature as cast computes it for `cast sig`: unknown type names
/// (`Foo`, `uint7`) are kept as written rather than rejected.
Result<std::string> canonical_function_signature(std::string_view text);

}  // namespace sluice::abi
