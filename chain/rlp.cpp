#include "chain/rlp.hpp"

namespace sluice::rlp {

const char* describe(Error e) noexcept {
  switch (e) {
    case Error::input_too_short: return "rlp: input too short for the declared length";
    case Error::leading_zero_in_length: return "rlp: leading zero in a length";
    case Error::non_canonical_size: return "rlp: non-canonical size (a shorter encoding exists)";
    case Error::leading_zero_in_integer: return "rlp: leading zero in an integer";
    case Error::trailing_bytes: return "rlp: trailing bytes after the item";
    case Error::unexpected_list: return "rlp: expected a string, found a list";
    case Error::unexpected_string: return "rlp: expected a list, found a string";
    case Error::integer_overflow: return "rlp: integer too large for its type";
    case Error::unexpected_length: return "rlp: string of the wrong length";
  }
  return "rlp: unknown error";
}

namespace {

/// Appends a header: `short_base` + length for lengths under 56, otherwise `short_base` + 55 + the length's
/// byte count, followed by the length in big-endian.
void encode_header(Bytes& out, std::uint8_t short_base, std::size_t length) {
  if (length < 56) {
    out.push_back(static_cast<std::uint8_t>(short_base + length));
    return;
  }
  std::uint8_t be[8];
  int n = 0;
  for (std::size_t v = length; v != 0; v >>= 8) be[n++] = static_cast<std::uint8_t>(v);
  out.push_back(static_cast<std::uint8_t>(short_base + 55 + n));
  while (n > 0) out.push_back(be[--n]);
}

}  // namespace

void encode(Bytes& out, ByteView string) {
  if (string.size() == 1 && string[0] < 0x80) {
    out.push_back(string[0]);
    return;
  }
  encode_header(out, 0x80, string.size());
  out.insert(out.end(), string.begin(), string.end());
}

void encode(Bytes& out, const U256& integer) {
  const auto be = integer.to_be();
  const unsigned len = integer.byte_length();
  encode(out, ByteView{be.data() + 32 - len, len});
}

void encode(Bytes& out, std::uint64_t integer) { encode(out, U256{integer}); }

void encode(Bytes& out, const Address& address) { encode(out, address.view()); }

void encode_list_header(Bytes& out, std::size_t payload_length) { encode_header(out, 0xc0, payload_length); }

void encode_list(Bytes& out, ByteView payload) {
  encode_list_header(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
}

Bytes encode(const Item& item) {
  Bytes out;
  if (!item.is_list) {
    encode(out, ByteView{item.string});
    return out;
  }
  Bytes payload;
  for (const Item& child : item.items) {
    const Bytes encoded = encode(child);
    payload.insert(payload.end(), encoded.begin(), encoded.end());
  }
  encode_list(out, payload);
  return out;
}

}  // namespace sluice::rlp
