#pragma once
/// The ABI plumbing protocol adapters share: calldata for a `ContractCall` from a signature parsed once, strict
/// decoding of a `CallOutcome`'s return data, and strict decoding of an event log with its shape checked first
/// (topic count, topic0, data length), each failure a `DecodeError` naming the call or event.

#include "chain/abi/signature.hpp"
#include "chain/abi/value.hpp"
#include "chain/rpc/types.hpp"
#include "strategy/core/contract_call.hpp"
#include "strategy/core/decode_error.hpp"

#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

namespace sluice::abi_io {

/// Parses a signature literal written in this code base (`name(inputs)(outputs)` for functions, the Solidity
/// declaration for events). Aborts on a malformed literal: that is a programming error, caught by any test.
abi::Function function(std::string_view signature);
abi::Event event(std::string_view declaration);

/// Calldata of `f(args)` to `to`. The arguments' shapes are fixed by the caller's code, so encoding cannot fail.
ContractCall call(const Address& to, const abi::Function& f, std::initializer_list<abi::Value> args = {});

/// The return data of `outcome` decoded strictly as `f`'s outputs; a revert or malformed data names `subject`.
DecodeResult<std::vector<abi::Value>> returns(std::string_view subject, const abi::Function& f,
                                              const CallOutcome& outcome);

/// The parameters of `log` as `e` (declaration order), after checking topic0, the number of topics and the exact
/// data length (exact when every data parameter is static, at least the heads otherwise). `subject` names the event in errors.
DecodeResult<std::vector<abi::Value>> log_values(std::string_view subject, const abi::Event& e,
                                                 const rpc::Log& log);

/// Typed views of decoded values. The decoders above validated every value against its type, so the right
/// alternative is present; a mismatch (impossible after a strict decode) yields a zero value, never UB.
U256 uint(const abi::Value& v) noexcept;
Address address(const abi::Value& v) noexcept;
bool boolean(const abi::Value& v) noexcept;
const std::vector<abi::Value>& list(const abi::Value& v) noexcept;
std::string string(const abi::Value& v);

/// The low 64 bits of a word known (by its ABI type) to fit.
std::uint64_t u64(const abi::Value& v) noexcept;

}  // namespace sluice::abi_io
