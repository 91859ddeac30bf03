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
    case Error::too_deep: return "rlp: lists nested more than 1024 deep";
  }
  return "rlp: unknown error";
}

namespace {

constexpr std::uint8_t kStringBase = 0x80;  // short string: 0x80 + length (0..55)
constexpr std::uint8_t kListBase = 0xc0;    // short list: 0xc0 + length (0..55)
constexpr std::size_t kShortLimit = 56;     // lengths from here on take the long form

/// Number of big-endian bytes needed for `length` (0 for 0).
constexpr unsigned length_of_length(std::size_t length) noexcept {
  unsigned n = 0;
  for (std::size_t v = length; v != 0; v >>= 8) ++n;
  return n;
}

constexpr std::size_t header_length(std::size_t payload_length) noexcept {
  return payload_length < kShortLimit ? 1 : 1 + length_of_length(payload_length);
}

/// Appends a header: `base` + length for lengths under 56, otherwise `base` + 55 + the length's
/// byte count, followed by the length in big-endian.
void encode_header(Bytes& out, std::uint8_t base, std::size_t length) {
  if (length < kShortLimit) {
    out.push_back(static_cast<std::uint8_t>(base + length));
    return;
  }
  const unsigned n = length_of_length(length);
  out.push_back(static_cast<std::uint8_t>(base + 55 + n));
  for (unsigned i = n; i > 0; --i) out.push_back(static_cast<std::uint8_t>(length >> (8 * (i - 1))));
}

bool is_single_byte(ByteView string) noexcept { return string.size() == 1 && string[0] < kStringBase; }

}  // namespace

// ---- encoding ----

void encode(Bytes& out, ByteView string) {
  if (is_single_byte(string)) {
    out.push_back(string[0]);
    return;
  }
  encode_header(out, kStringBase, string.size());
  out.insert(out.end(), string.begin(), string.end());
}

std::size_t encoded_length(ByteView string) noexcept {
  return is_single_byte(string) ? 1 : header_length(string.size()) + string.size();
}

void encode(Bytes& out, const U256& integer) {
  const auto be = integer.to_be();
  const unsigned len = integer.byte_length();
  encode(out, ByteView{be.data() + 32 - len, len});
}

void encode(Bytes& out, std::uint64_t integer) { encode(out, U256{integer}); }

void encode(Bytes& out, const Address& address) { encode(out, address.view()); }

void encode_list_header(Bytes& out, std::size_t payload_length) { encode_header(out, kListBase, payload_length); }

void encode_list(Bytes& out, ByteView payload) {
  encode_list_header(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
}

namespace {

/// Post-order pass: records each list's payload length in pre-order slots of `list_payloads` and returns
/// the item's encoded length, so that the writing pass needs no temporary buffers.
std::size_t measure(const Item& item, std::vector<std::size_t>& list_payloads) {
  if (!item.is_list) return encoded_length(item.string);
  const std::size_t slot = list_payloads.size();
  list_payloads.push_back(0);
  std::size_t payload = 0;
  for (const Item& child : item.items) payload += measure(child, list_payloads);
  list_payloads[slot] = payload;
  return header_length(payload) + payload;
}

/// Pre-order pass: writes headers from the table and strings as they come.
void emit(Bytes& out, const Item& item, const std::vector<std::size_t>& list_payloads, std::size_t& next_list) {
  if (!item.is_list) {
    encode(out, ByteView{item.string});
    return;
  }
  encode_list_header(out, list_payloads[next_list++]);
  for (const Item& child : item.items) emit(out, child, list_payloads, next_list);
}

}  // namespace

void encode(Bytes& out, const Item& item) {
  std::vector<std::size_t> list_payloads;
  const std::size_t total = measure(item, list_payloads);
  out.reserve(out.size() + total);
  std::size_t next_list = 0;
  emit(out, item, list_payloads, next_list);
}

Bytes encode(const Item& item) {
  Bytes out;
  encode(out, item);
  return out;
}

// ---- decoding ----

Result<Header> decode_header(ByteView& from) {
  if (from.empty()) return Error::input_too_short;
  const std::uint8_t prefix = from[0];
  if (prefix < kStringBase) return Header{false, 1};  // the byte is its own payload

  const bool list = prefix >= kListBase;
  const std::uint8_t base = list ? kListBase : kStringBase;
  const std::size_t rest = from.size() - 1;
  std::size_t header = 1;
  std::size_t length = 0;
  if (prefix - base < 56) {
    length = static_cast<std::size_t>(prefix - base);
    if (length > rest) return Error::input_too_short;
    // 0x81 followed by a byte < 0x80: the byte alone is the canonical encoding.
    if (!list && length == 1 && from[1] < kStringBase) return Error::non_canonical_size;
  } else {
    const std::size_t n = static_cast<std::size_t>(prefix - base - 55);  // 1..8 length bytes
    if (n > rest) return Error::input_too_short;
    if (from[1] == 0) return Error::leading_zero_in_length;
    std::uint64_t wide = 0;
    for (std::size_t i = 1; i <= n; ++i) wide = wide << 8 | from[i];
    if (wide < kShortLimit) return Error::non_canonical_size;
    // Compare in 64 bits before narrowing: a declared length past the input (or past size_t) is too short.
    if (wide > static_cast<std::uint64_t>(rest - n)) return Error::input_too_short;
    length = static_cast<std::size_t>(wide);
    header += n;
  }
  from = from.subspan(header);
  return Header{list, length};
}

namespace {

/// Consumes one item whose kind must be `list`, returning its payload; `from` is untouched on failure.
Result<ByteView> decode_payload(ByteView& from, bool list) {
  ByteView rest = from;
  const auto header = decode_header(rest);
  if (!header) return header.error();
  if (header->list != list) return list ? Error::unexpected_string : Error::unexpected_list;
  const ByteView payload = rest.first(header->payload_length);
  from = rest.subspan(header->payload_length);
  return payload;
}

/// Consumes a canonical unsigned integer of at most `max_bytes` bytes as its big-endian payload.
Result<ByteView> decode_integer_bytes(ByteView& from, std::size_t max_bytes) {
  ByteView rest = from;
  const auto payload = decode_payload(rest, false);
  if (!payload) return payload.error();
  if (payload->size() > max_bytes) return Error::integer_overflow;
  if (!payload->empty() && (*payload)[0] == 0) return Error::leading_zero_in_integer;
  from = rest;
  return *payload;
}

Result<void> decode_into(ByteView& from, Item& out, std::size_t depth) {
  const auto header = decode_header(from);
  if (!header) return header.error();
  ByteView payload = from.first(header->payload_length);
  from = from.subspan(header->payload_length);
  if (!header->list) {
    out.string.assign(payload.begin(), payload.end());
    return {};
  }
  if (depth >= kMaxDepth) return Error::too_deep;
  out.is_list = true;
  while (!payload.empty()) {
    // Each child decodes inside the list's payload, so a child running past it is input_too_short.
    if (auto r = decode_into(payload, out.items.emplace_back(), depth + 1); !r) return r;
  }
  return {};
}

}  // namespace

Result<ByteView> decode_string(ByteView& from) { return decode_payload(from, false); }

Result<ByteView> decode_list(ByteView& from) { return decode_payload(from, true); }

Result<void> decode(ByteView& from, U256& to) {
  const auto bytes = decode_integer_bytes(from, 32);
  if (!bytes) return bytes.error();
  to = *U256::from_be(*bytes);  // at most 32 bytes: always fits
  return {};
}

Result<void> decode(ByteView& from, std::uint64_t& to) {
  const auto bytes = decode_integer_bytes(from, sizeof(std::uint64_t));
  if (!bytes) return bytes.error();
  std::uint64_t value = 0;
  for (const std::uint8_t b : *bytes) value = value << 8 | b;
  to = value;
  return {};
}

Result<void> decode(ByteView& from, Bytes& to) {
  const auto payload = decode_string(from);
  if (!payload) return payload.error();
  to.assign(payload->begin(), payload->end());
  return {};
}

Result<void> decode(ByteView& from, Address& to) {
  ByteView rest = from;
  const auto payload = decode_string(rest);
  if (!payload) return payload.error();
  const auto address = Address::from_view(*payload);
  if (!address) return Error::unexpected_length;
  to = *address;
  from = rest;
  return {};
}

Result<Item> decode_next_item(ByteView& from) {
  ByteView rest = from;
  Item item;
  if (auto r = decode_into(rest, item, 0); !r) return r.error();
  from = rest;
  return item;
}

Result<Item> decode_item(ByteView data) {
  auto item = decode_next_item(data);
  if (!item) return item.error();
  if (!data.empty()) return Error::trailing_bytes;
  return item;
}

}  // namespace sluice::rlp
