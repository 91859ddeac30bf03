#pragma once
/// ECDSA over secp256k1 as Ethereum uses it: recoverable signatures of 32-byte hashes, deterministic nonces
/// (RFC 6979) and low s (EIP-2), via libsecp256k1 and one shared context (chain/secp256k1_context.hpp).

#include "chain/address.hpp"
#include "chain/hash.hpp"
#include "chain/private_key.hpp"
#include "chain/u256.hpp"

#include <cstdint>

namespace sluice {

/// (r, s) and the parity of the y coordinate of the point R (the "recovery id" 0 or 1).
struct Signature {
  U256 r;
  U256 s;
  std::uint8_t y_parity = 0;
  friend bool operator==(const Signature&, const Signature&) = default;
};

enum class SignatureError {
  invalid_parity = 1,  ///< y parity other than 0 or 1
  invalid_r_s,         ///< r or s is zero or not below the group order n
  high_s,              ///< s > n/2, forbidden for transactions since Homestead (EIP-2)
  unrecoverable,       ///< no public key produces this signature for this hash
};
const char* describe(SignatureError e) noexcept;
SLUICE_ERROR_CATEGORY(SignatureError, "signature")

/// Signs a 32-byte hash. Deterministic (RFC 6979) and always low-s, as libsecp256k1 produces.
Signature sign_hash(const PrivateKey& key, const Hash& hash);

/// Whether a signature with s above n/2 is accepted: transactions reject it (EIP-2,
/// https://eips.ethereum.org/EIPS/eip-2), the ECRECOVER precompile does not.
enum class HighS { reject, allow };

/// The address whose key signed `hash`.
Result<Address> recover_address(const Hash& hash, const Signature& signature, HighS high_s = HighS::reject);

}  // namespace sluice

SLUICE_ERROR_ENUM(sluice::SignatureError)
