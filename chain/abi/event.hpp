#pragma once
/// Event log decoding (https://docs.soliditylang.org/en/latest/abi-spec.html#events): indexed parameters come
/// from topics 1..n (topic 0 is the signature hash unless the event is anonymous), the others from the data.

#include "chain/abi/decode.hpp"

namespace sluice::abi {

/// Decodes a log emitted by `event`, returning one value per parameter in declaration order. An indexed
/// parameter of a value type is decoded strictly from its topic; an indexed parameter of a reference type
/// (bytes, string, arrays, tuples) is stored in the topic only as its keccak256 hash, returned as 32 `Bytes`.
Result<std::vector<Value>> decode_log(const Event& event, std::span<const Hash> topics, ByteView data);

/// True for types whose indexed topic holds a keccak256 hash rather than the value.
bool topic_is_hashed(const Type& type) noexcept;

}  // namespace sluice::abi
