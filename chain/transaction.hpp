#pragma once
/// Ethereum transactions: legacy (with EIP-155 replay protection, https://eips.ethereum.org/EIPS/eip-155) and
/// EIP-1559 "type 2" (https://eips.ethereum.org/EIPS/eip-1559) with EIP-2930 access lists, in the EIP-2718
/// typed envelope (https://eips.ethereum.org/EIPS/eip-2718). Signing, raw encoding, hashing, strict decoding and
/// sender recovery.

#include "chain/address.hpp"
#include "chain/bytes.hpp"
#include "chain/hash.hpp"
#include "chain/private_key.hpp"
#include "chain/signer.hpp"
#include "chain/u256.hpp"

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace sluice {

/// One EIP-2930 access list entry: an account and the storage slots the transaction declares it will touch.
struct AccessListEntry {
  Address address;
  std::vector<Hash> storage_keys;
  friend bool operator==(const AccessListEntry&, const AccessListEntry&) = default;
};
using AccessList = std::vector<AccessListEntry>;

/// A pre-EIP-2718 transaction. `chain_id` set: signed per EIP-155 (v = chain_id * 2 + 35 + y_parity);
/// unset: the original Homestead form (v = 27 + y_parity), replayable on every chain.
struct LegacyTransaction {
  std::uint64_t nonce = 0;      ///< EIP-2681 bounds nonces to 64 bits
  U256 gas_price;               ///< wei per gas
  std::uint64_t gas_limit = 0;  ///< gas
  std::optional<Address> to;    ///< unset: contract creation, `data` is the init code
  U256 value;                   ///< wei
  Bytes data;
  std::optional<std::uint64_t> chain_id;
  friend bool operator==(const LegacyTransaction&, const LegacyTransaction&) = default;
};

/// An EIP-1559 (type 2) transaction.
struct Eip1559Transaction {
  std::uint64_t chain_id = 0;
  std::uint64_t nonce = 0;
  U256 max_priority_fee_per_gas;  ///< wei per gas paid to the block producer on top of the base fee
  U256 max_fee_per_gas;           ///< wei per gas, base fee included
  std::uint64_t gas_limit = 0;    ///< gas
  std::optional<Address> to;      ///< unset: contract creation
  U256 value;                     ///< wei
  Bytes data;
  AccessList access_list;
  friend bool operator==(const Eip1559Transaction&, const Eip1559Transaction&) = default;
};

/// A transaction with its signature.
template <class Tx>
struct Signed {
  Tx tx;
  Signature signature;
  friend bool operator==(const Signed&, const Signed&) = default;
};
using SignedLegacyTransaction = Signed<LegacyTransaction>;
using SignedEip1559Transaction = Signed<Eip1559Transaction>;
using SignedTransaction = std::variant<SignedLegacyTransaction, SignedEip1559Transaction>;

enum class TxError {
  empty = 1,            ///< no bytes at all
  unsupported_type,     ///< an EIP-2718 type other than 2 (or legacy)
  not_a_transaction,    ///< the first byte is neither a type (< 0x80) nor a list header (>= 0xc0)
  missing_field,        ///< the list ends before all fields were read
  extra_fields,         ///< the list has more fields than the transaction type defines
  trailing_bytes,       ///< bytes after the transaction's list
  invalid_to,           ///< `to` is neither empty nor 20 bytes
  invalid_storage_key,  ///< an access list storage key that is not 32 bytes
  invalid_v,            ///< a legacy v that is not 27, 28 or >= 35 with a 64-bit chain id
  invalid_y_parity,     ///< a typed transaction's y parity other than 0 or 1
};
const char* describe(TxError e) noexcept;
SLUICE_ERROR_CATEGORY(TxError, "transaction")

/// The type byte of EIP-1559 transactions in the EIP-2718 envelope.
inline constexpr std::uint8_t kEip1559Type = 0x02;

/// The bytes whose keccak256 is signed: rlp([nonce, gasPrice, gas, to, value, data(, chainId, 0, 0)]) for legacy
/// (the last three only with a chain id, EIP-155), 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas,
/// maxFeePerGas, gas, to, value, data, accessList]) for type 2.
Bytes signing_payload(const LegacyTransaction& tx);
Bytes signing_payload(const Eip1559Transaction& tx);
Hash signing_hash(const LegacyTransaction& tx);
Hash signing_hash(const Eip1559Transaction& tx);

SignedLegacyTransaction sign(const LegacyTransaction& tx, const PrivateKey& key);
SignedEip1559Transaction sign(const Eip1559Transaction& tx, const PrivateKey& key);

/// The legacy v value: chain_id * 2 + 35 + y_parity (EIP-155) or 27 + y_parity.
U256 legacy_v(const SignedLegacyTransaction& signed_tx);

/// The raw signed transaction as sent with eth_sendRawTransaction: rlp([..., v, r, s]) for legacy,
/// 0x02 || rlp([..., yParity, r, s]) for type 2.
Bytes encode_raw(const SignedLegacyTransaction& signed_tx);
Bytes encode_raw(const SignedEip1559Transaction& signed_tx);
Bytes encode_raw(const SignedTransaction& signed_tx);

/// keccak256 of the raw encoding: the hash that identifies the transaction on chain.
Hash transaction_hash(const SignedTransaction& signed_tx);

/// Decodes a raw signed transaction (legacy or type 2). Strict: canonical RLP only, exact field counts, nothing
/// after the transaction. The signature is not checked here; `recover_sender` does that.
Result<SignedTransaction> decode_raw(ByteView raw);

/// The sender: the address recovered from the signature over the signing hash. Rejects high s (EIP-2).
Result<Address> recover_sender(const SignedLegacyTransaction& signed_tx);
Result<Address> recover_sender(const SignedEip1559Transaction& signed_tx);
Result<Address> recover_sender(const SignedTransaction& signed_tx);

}  // namespace sluice

SLUICE_ERROR_ENUM(sluice::TxError)
