#include "chain/transaction.hpp"

#include "chain/keccak.hpp"
#include "chain/rlp.hpp"

#include <cstring>

namespace sluice {

const char* describe(TxError e) noexcept {
  switch (e) {
    case TxError::empty: return "transaction: empty input";
    case TxError::unsupported_type: return "transaction: unsupported transaction type (only legacy and type 2)";
    case TxError::not_a_transaction: return "transaction: neither a typed envelope nor an RLP list";
    case TxError::missing_field: return "transaction: too few fields";
    case TxError::extra_fields: return "transaction: too many fields";
    case TxError::trailing_bytes: return "transaction: trailing bytes after the transaction";
    case TxError::invalid_to: return "transaction: 'to' must be empty or 20 bytes";
    case TxError::invalid_storage_key: return "transaction: access list storage key must be 32 bytes";
    case TxError::invalid_v: return "transaction: invalid v (expected 27, 28 or chain_id * 2 + 35/36)";
    case TxError::invalid_y_parity: return "transaction: y parity must be 0 or 1";
  }
  return "transaction: unknown error";
}

namespace {

// ---- encoding ----

void encode_to(Bytes& out, const std::optional<Address>& to) {
  if (to)
    rlp::encode(out, *to);
  else
    rlp::encode(out, ByteView{});  // contract creation: the empty string
}

void encode_access_list(Bytes& out, const AccessList& list) {
  Bytes entries;
  for (const AccessListEntry& entry : list) {
    Bytes keys;
    for (const Hash& key : entry.storage_keys) rlp::encode(keys, key.view());
    Bytes item;
    rlp::encode(item, entry.address);
    rlp::encode_list(item, keys);
    rlp::encode_list(entries, item);
  }
  rlp::encode_list(out, entries);
}

/// The fields every signing payload and raw encoding starts with.
Bytes unsigned_fields(const LegacyTransaction& tx) {
  Bytes f;
  rlp::encode(f, tx.nonce);
  rlp::encode(f, tx.gas_price);
  rlp::encode(f, tx.gas_limit);
  encode_to(f, tx.to);
  rlp::encode(f, tx.value);
  rlp::encode(f, ByteView{tx.data});
  return f;
}

Bytes unsigned_fields(const Eip1559Transaction& tx) {
  Bytes f;
  rlp::encode(f, tx.chain_id);
  rlp::encode(f, tx.nonce);
  rlp::encode(f, tx.max_priority_fee_per_gas);
  rlp::encode(f, tx.max_fee_per_gas);
  rlp::encode(f, tx.gas_limit);
  encode_to(f, tx.to);
  rlp::encode(f, tx.value);
  rlp::encode(f, ByteView{tx.data});
  encode_access_list(f, tx.access_list);
  return f;
}

/// type || rlp(list of `fields`) per EIP-2718.
Bytes typed_envelope(std::uint8_t type, ByteView fields) {
  Bytes out{type};
  rlp::encode_list(out, fields);
  return out;
}

// ---- decoding ----

/// Reads the next field of a transaction list, telling a missing field from malformed RLP.
template <class T>
Result<void> next_field(ByteView& fields, T& to) {
  if (fields.empty()) return TxError::missing_field;
  return rlp::decode(fields, to);
}

Result<void> next_to(ByteView& fields, std::optional<Address>& to) {
  if (fields.empty()) return TxError::missing_field;
  auto s = rlp::decode_string(fields);
  if (!s) return s.error();
  if (s->empty()) {
    to.reset();
    return {};
  }
  auto address = Address::from_view(*s);
  if (!address) return TxError::invalid_to;
  to = *address;
  return {};
}

Result<void> next_access_list(ByteView& fields, AccessList& list) {
  if (fields.empty()) return TxError::missing_field;
  auto entries = rlp::decode_list(fields);
  if (!entries) return entries.error();
  ByteView rest = *entries;
  while (!rest.empty()) {
    auto item = rlp::decode_list(rest);
    if (!item) return item.error();
    ByteView item_fields = *item;
    AccessListEntry entry;
    if (auto r = next_field(item_fields, entry.address); !r) return r;
    if (item_fields.empty()) return TxError::missing_field;
    auto keys = rlp::decode_list(item_fields);
    if (!keys) return keys.error();
    if (!item_fields.empty()) return TxError::extra_fields;
    ByteView key_rest = *keys;
    while (!key_rest.empty()) {
      auto key = rlp::decode_string(key_rest);
      if (!key) return key.error();
      auto hash = Hash::from_view(*key);
      if (!hash) return TxError::invalid_storage_key;
      entry.storage_keys.push_back(*hash);
    }
    list.push_back(std::move(entry));
  }
  return {};
}

/// r and s, then the end of the list.
Result<void> finish_signature(ByteView& fields, Signature& signature) {
  if (auto r = next_field(fields, signature.r); !r) return r;
  if (auto r = next_field(fields, signature.s); !r) return r;
  if (!fields.empty()) return TxError::extra_fields;
  return {};
}

/// The list payload of the whole input; anything after the list is an error.
Result<ByteView> single_list(ByteView data) {
  auto fields = rlp::decode_list(data);
  if (!fields) return fields.error();
  if (!data.empty()) return TxError::trailing_bytes;
  return *fields;
}

Result<SignedTransaction> decode_legacy(ByteView raw) {
  auto list = single_list(raw);
  if (!list) return list.error();
  ByteView f = *list;
  SignedLegacyTransaction out;
  LegacyTransaction& tx = out.tx;
  if (auto r = next_field(f, tx.nonce); !r) return r.error();
  if (auto r = next_field(f, tx.gas_price); !r) return r.error();
  if (auto r = next_field(f, tx.gas_limit); !r) return r.error();
  if (auto r = next_to(f, tx.to); !r) return r.error();
  if (auto r = next_field(f, tx.value); !r) return r.error();
  if (auto r = next_field(f, tx.data); !r) return r.error();
  U256 v;
  if (auto r = next_field(f, v); !r) return r.error();
  if (v == 27 || v == 28) {
    out.signature.y_parity = static_cast<std::uint8_t>(v.limbs[0] - 27);
  } else if (v >= 35) {
    const U256 chain_id = (v - 35) >> 1;
    if (!chain_id.fits_uint64()) return TxError::invalid_v;
    tx.chain_id = chain_id.limbs[0];
    out.signature.y_parity = static_cast<std::uint8_t>((v.limbs[0] - 35) & 1);
  } else {
    return TxError::invalid_v;
  }
  if (auto r = finish_signature(f, out.signature); !r) return r.error();
  return SignedTransaction{std::move(out)};
}

Result<SignedTransaction> decode_eip1559(ByteView body) {
  auto list = single_list(body);
  if (!list) return list.error();
  ByteView f = *list;
  SignedEip1559Transaction out;
  Eip1559Transaction& tx = out.tx;
  if (auto r = next_field(f, tx.chain_id); !r) return r.error();
  if (auto r = next_field(f, tx.nonce); !r) return r.error();
  if (auto r = next_field(f, tx.max_priority_fee_per_gas); !r) return r.error();
  if (auto r = next_field(f, tx.max_fee_per_gas); !r) return r.error();
  if (auto r = next_field(f, tx.gas_limit); !r) return r.error();
  if (auto r = next_to(f, tx.to); !r) return r.error();
  if (auto r = next_field(f, tx.value); !r) return r.error();
  if (auto r = next_field(f, tx.data); !r) return r.error();
  if (auto r = next_access_list(f, tx.access_list); !r) return r.error();
  std::uint64_t y_parity = 0;
  if (auto r = next_field(f, y_parity); !r) return r.error();
  if (y_parity > 1) return TxError::invalid_y_parity;
  out.signature.y_parity = static_cast<std::uint8_t>(y_parity);
  if (auto r = finish_signature(f, out.signature); !r) return r.error();
  return SignedTransaction{std::move(out)};
}

}  // namespace

Bytes signing_payload(const LegacyTransaction& tx) {
  Bytes fields = unsigned_fields(tx);
  if (tx.chain_id) {  // EIP-155: (chainId, 0, 0) in place of (v, r, s)
    rlp::encode(fields, *tx.chain_id);
    rlp::encode(fields, std::uint64_t{0});
    rlp::encode(fields, std::uint64_t{0});
  }
  Bytes out;
  rlp::encode_list(out, fields);
  return out;
}

Bytes signing_payload(const Eip1559Transaction& tx) { return typed_envelope(kEip1559Type, unsigned_fields(tx)); }

Hash signing_hash(const LegacyTransaction& tx) { return keccak256(signing_payload(tx)); }
Hash signing_hash(const Eip1559Transaction& tx) { return keccak256(signing_payload(tx)); }

SignedLegacyTransaction sign(const LegacyTransaction& tx, const PrivateKey& key) {
  return {tx, sign_hash(key, signing_hash(tx))};
}

SignedEip1559Transaction sign(const Eip1559Transaction& tx, const PrivateKey& key) {
  return {tx, sign_hash(key, signing_hash(tx))};
}

U256 legacy_v(const SignedLegacyTransaction& signed_tx) {
  const U256 parity{signed_tx.signature.y_parity};
  if (!signed_tx.tx.chain_id) return U256{27} + parity;
  return U256{*signed_tx.tx.chain_id} * 2 + 35 + parity;
}

Bytes encode_raw(const SignedLegacyTransaction& signed_tx) {
  Bytes fields = unsigned_fields(signed_tx.tx);
  rlp::encode(fields, legacy_v(signed_tx));
  rlp::encode(fields, signed_tx.signature.r);
  rlp::encode(fields, signed_tx.signature.s);
  Bytes out;
  rlp::encode_list(out, fields);
  return out;
}

Bytes encode_raw(const SignedEip1559Transaction& signed_tx) {
  Bytes fields = unsigned_fields(signed_tx.tx);
  rlp::encode(fields, std::uint64_t{signed_tx.signature.y_parity});
  rlp::encode(fields, signed_tx.signature.r);
  rlp::encode(fields, signed_tx.signature.s);
  return typed_envelope(kEip1559Type, fields);
}

Bytes encode_raw(const SignedTransaction& signed_tx) {
  return std::visit([](const auto& t) { return encode_raw(t); }, signed_tx);
}

Hash transaction_hash(const SignedTransaction& signed_tx) { return keccak256(encode_raw(signed_tx)); }

Result<SignedTransaction> decode_raw(ByteView raw) {
  if (raw.empty()) return TxError::empty;
  const std::uint8_t first = raw[0];
  if (first >= 0xc0) return decode_legacy(raw);
  if (first == kEip1559Type) return decode_eip1559(raw.subspan(1));
  if (first < 0x80) return TxError::unsupported_type;  // EIP-2718 reserves [0, 0x7f] for types
  return TxError::not_a_transaction;
}

Result<Address> recover_sender(const SignedLegacyTransaction& signed_tx) {
  return recover_address(signing_hash(signed_tx.tx), signed_tx.signature);
}

Result<Address> recover_sender(const SignedEip1559Transaction& signed_tx) {
  return recover_address(signing_hash(signed_tx.tx), signed_tx.signature);
}

Result<Address> recover_sender(const SignedTransaction& signed_tx) {
  return std::visit([](const auto& t) { return recover_sender(t); }, signed_tx);
}

}  // namespace sluice
