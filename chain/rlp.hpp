#pragma once
/// Recursive Length Prefix encoding (https://ethereum.org/en/developers/docs/data-structures-and-encoding/rlp/,
/// Yellow Paper appendix B). Encoders append to a buffer; decoders consume a view from the front and reject any
/// non-canonical input.

#include "chain/address.hpp"
#include "chain/bytes.hpp"
#include "chain/u256.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sluice::rlp {

enum class Error {
  input_too_short = 1,       ///< a header or payload runs past the end of the input
  leading_zero_in_length,    ///< a long-form length starts with a zero byte
  non_canonical_size,        ///< a long header where a short one fits, or a single byte < 0x80 wrapped as a string
  leading_zero_in_integer,   ///< an integer with leading zero bytes (zero must be the empty string)
  trailing_bytes,            ///< bytes left over after the top-level item or inside a list
  unexpected_list,           ///< a list where a string was expected
  unexpected_string,         ///< a string where a list was expected
  integer_overflow,          ///< an integer wider than its target type
  unexpected_length,         ///< a fixed-size string (address, hash) of the wrong length
  too_deep,                  ///< lists nested deeper than kMaxDepth (guards the recursion of decode_item)
};
const char* describe(Error e) noexcept;
SLUICE_ERROR_CATEGORY(Error, "rlp")

// ---- encoding ----
/// Appends an RLP string.
void encode(Bytes& out, ByteView string);
/// Appends an integer as a big-endian string without leading zeros (zero is the empty string).
void encode(Bytes& out, const U256& integer);
void encode(Bytes& out, std::uint64_t integer);
void encode(Bytes& out, const Address& address);
/// Appends a list header for a payload of `payload_length` bytes; the caller appends the payload.
void encode_list_header(Bytes& out, std::size_t payload_length);
/// Appends a list whose already-encoded items are `payload`.
void encode_list(Bytes& out, ByteView payload);
/// Number of bytes `encode(out, string)` appends.
std::size_t encoded_length(ByteView string) noexcept;

// ---- decoding ----
/// What a header announces. Every decoder below checks that the payload fits in the input, so a payload
/// never reaches past the end of `from`; on failure `from` is left as it was.
struct Header {
  bool list = false;
  std::size_t payload_length = 0;
};
/// Consumes a header; for a single byte < 0x80 it returns a 1-byte string header and consumes nothing.
/// Rejects long forms with a leading zero or a length < 56, `0x81 b` with b < 0x80, lengths of more than
/// 8 bytes' worth and payloads past the end of `from`.
Result<Header> decode_header(ByteView& from);
/// Consumes one string item and returns its payload (a view into `from`'s buffer).
Result<ByteView> decode_string(ByteView& from);
/// Consumes one list header and returns its payload, leaving `from` after the list.
Result<ByteView> decode_list(ByteView& from);
/// Integers are canonical big-endian strings: no leading zero byte (zero is the empty string), at most as
/// wide as the target.
Result<void> decode(ByteView& from, U256& to);
Result<void> decode(ByteView& from, std::uint64_t& to);
Result<void> decode(ByteView& from, Bytes& to);
Result<void> decode(ByteView& from, Address& to);

/// A generic RLP tree: a string or a list of items.
struct Item {
  bool is_list = false;
  Bytes string;             ///< payload when !is_list
  std::vector<Item> items;  ///< children when is_list
  friend bool operator==(const Item&, const Item&) = default;
};
/// Appends an item's encoding in one pass over a precomputed table of list lengths (no temporary buffers).
void encode(Bytes& out, const Item& item);
Bytes encode(const Item& item);

/// Deepest list nesting the item decoders accept; deeper input fails with Error::too_deep instead of
/// recursing without bound on adversarial data.
inline constexpr std::size_t kMaxDepth = 1024;
/// Consumes one item from the front of `from`, leaving whatever follows it (what `cast from-rlp` does).
/// Nested items must exactly fill their list's payload.
Result<Item> decode_next_item(ByteView& from);
/// Decodes exactly one item spanning all of `data` (trailing bytes are an error).
Result<Item> decode_item(ByteView data);

}  // namespace sluice::rlp

SLUICE_ERROR_ENUM(sluice::rlp::Error)
