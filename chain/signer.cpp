#include "chain/signer.hpp"

#include "chain/secp256k1_context.hpp"
#include "chain/secure_memory.hpp"

#include <secp256k1_recovery.h>

#include <cstdlib>
#include <cstring>

namespace sluice {

const char* describe(SignatureError e) noexcept {
  switch (e) {
    case SignatureError::invalid_parity: return "signature: y parity must be 0 or 1";
    case SignatureError::invalid_r_s: return "signature: r and s must be in [1, n-1]";
    case SignatureError::high_s: return "signature: s is above n/2 (forbidden by EIP-2)";
    case SignatureError::unrecoverable: return "signature: no public key can be recovered";
  }
  return "signature: unknown error";
}

namespace {

/// secp256k1 group order n and n/2 (SEC 2, section 2.4.1).
constexpr U256 kOrder{0xbfd25e8cd0364141ULL, 0xbaaedce6af48a03bULL, 0xfffffffffffffffeULL, 0xffffffffffffffffULL};
constexpr U256 kHalfOrder{0xdfe92f46681b20a0ULL, 0x5d576e7357a4501dULL, 0xffffffffffffffffULL, 0x7fffffffffffffffULL};

static_assert(kHalfOrder == kOrder >> 1);

}  // namespace

Signature sign_hash(const PrivateKey& key, const Hash& hash) {
  const secp256k1_context* ctx = secp256k1_shared_context();
  secp256k1_ecdsa_recoverable_signature sig;
  // nullptr nonce function = secp256k1_nonce_function_rfc6979. Fails only for an invalid key, which PrivateKey
  // rules out.
  if (secp256k1_ecdsa_sign_recoverable(ctx, &sig, hash.bytes.data(), key.secret_bytes(), nullptr, nullptr) != 1)
    std::abort();
  WipedArray<64> compact;  // r and s are public, but wipe anyway: nothing signing-related lingers on the stack
  int recovery_id = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, compact.data(), &recovery_id, &sig);
  secure_wipe(&sig, sizeof sig);
  Signature out;
  out.r = *U256::from_be(ByteView{compact.data(), 32});
  out.s = *U256::from_be(ByteView{compact.data() + 32, 32});
  out.y_parity = static_cast<std::uint8_t>(recovery_id);
  return out;
}

Result<Address> recover_address(const Hash& hash, const Signature& signature, HighS high_s) {
  if (signature.y_parity > 1) return SignatureError::invalid_parity;
  if (signature.r.is_zero() || signature.s.is_zero() || signature.r >= kOrder || signature.s >= kOrder)
    return SignatureError::invalid_r_s;
  if (high_s == HighS::reject && signature.s > kHalfOrder) return SignatureError::high_s;

  const secp256k1_context* ctx = secp256k1_shared_context();
  unsigned char compact[64];
  const auto r = signature.r.to_be(), s = signature.s.to_be();
  std::memcpy(compact, r.data(), 32);
  std::memcpy(compact + 32, s.data(), 32);
  secp256k1_ecdsa_recoverable_signature sig;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &sig, compact, signature.y_parity) != 1)
    return SignatureError::invalid_r_s;
  secp256k1_pubkey pubkey;
  // libsecp256k1 recovers high-s signatures too; the EIP-2 rule is applied above.
  if (secp256k1_ecdsa_recover(ctx, &pubkey, &sig, hash.bytes.data()) != 1) return SignatureError::unrecoverable;
  return address_of_public_key(pubkey);
}

}  // namespace sluice
