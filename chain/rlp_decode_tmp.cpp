// TEMPORARY: minimal strict RLP decoders for the declared chain/rlp.hpp API, so that transaction decoding can be
// tested on this branch. Delete once the RLP helper's decoders are merged into main.
#include "chain/rlp.hpp"

#include <cstring>

namespace sluice::rlp {

Result<Header> decode_header(ByteView& from) {
  if (from.empty()) return Error::input_too_short;
  const std::uint8_t prefix = from[0];
  if (prefix < 0x80) return Header{false, 1};
  Header h;
  h.list = prefix >= 0xc0;
  const std::uint8_t base = h.list ? 0xc0 : 0x80;
  if (prefix - base < 56) {
    h.payload_length = static_cast<std::size_t>(prefix - base);
    if (!h.list && h.payload_length == 1) {
      if (from.size() < 2) return Error::input_too_short;
      if (from[1] < 0x80) return Error::non_canonical_size;
    }
    from = from.subspan(1);
  } else {
    const std::size_t n = static_cast<std::size_t>(prefix - base - 55);
    if (from.size() < 1 + n) return Error::input_too_short;
    if (from[1] == 0) return Error::leading_zero_in_length;
    if (n > sizeof(std::size_t)) return Error::input_too_short;
    std::size_t len = 0;
    for (std::size_t i = 0; i < n; ++i) len = (len << 8) | from[1 + i];
    if (len < 56) return Error::non_canonical_size;
    h.payload_length = len;
    from = from.subspan(1 + n);
  }
  if (from.size() < h.payload_length) return Error::input_too_short;
  return h;
}

Result<ByteView> decode_string(ByteView& from) {
  auto h = decode_header(from);
  if (!h) return h.error();
  if (h->list) return Error::unexpected_list;
  const ByteView payload = from.first(h->payload_length);
  from = from.subspan(h->payload_length);
  return payload;
}

Result<ByteView> decode_list(ByteView& from) {
  auto h = decode_header(from);
  if (!h) return h.error();
  if (!h->list) return Error::unexpected_string;
  const ByteView payload = from.first(h->payload_length);
  from = from.subspan(h->payload_length);
  return payload;
}

Result<void> decode(ByteView& from, U256& to) {
  auto s = decode_string(from);
  if (!s) return s.error();
  if (s->size() > 32) return Error::integer_overflow;
  if (!s->empty() && (*s)[0] == 0) return Error::leading_zero_in_integer;
  to = *U256::from_be(*s);
  return {};
}

Result<void> decode(ByteView& from, std::uint64_t& to) {
  U256 v;
  if (auto r = decode(from, v); !r) return r;
  if (!v.fits_uint64()) return Error::integer_overflow;
  to = v.limbs[0];
  return {};
}

Result<void> decode(ByteView& from, Bytes& to) {
  auto s = decode_string(from);
  if (!s) return s.error();
  to.assign(s->begin(), s->end());
  return {};
}

Result<void> decode(ByteView& from, Address& to) {
  auto s = decode_string(from);
  if (!s) return s.error();
  if (s->size() != 20) return Error::unexpected_length;
  std::memcpy(to.bytes.data(), s->data(), 20);
  return {};
}

}  // namespace sluice::rlp
