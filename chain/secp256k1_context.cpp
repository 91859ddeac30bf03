#include "chain/secp256k1_context.hpp"

#include "chain/keccak.hpp"
#include "chain/secure_memory.hpp"

#include <openssl/rand.h>

#include <cstdlib>
#include <cstring>

namespace sluice {

namespace {

secp256k1_context* create_context() noexcept {
  secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  if (ctx == nullptr) std::abort();  // only on allocation failure at startup
  // Blinding (secp256k1_context_randomize) protects signing against timing and power side channels; it mutates
  // the context, so it happens once here, before the context is shared.
  unsigned char seed[32];
  // Without randomness the context still signs correctly, only without blinding.
  if (RAND_bytes(seed, sizeof seed) == 1) {
    const int randomized = secp256k1_context_randomize(ctx, seed);
    (void)randomized;
  }
  secure_wipe(seed, sizeof seed);
  return ctx;
}

}  // namespace

const secp256k1_context* secp256k1_shared_context() noexcept {
  static const secp256k1_context* const ctx = create_context();  // thread-safe static initialization
  return ctx;
}

Address address_of_public_key(const secp256k1_pubkey& public_key) {
  unsigned char serialized[65];
  std::size_t length = sizeof serialized;
  secp256k1_ec_pubkey_serialize(secp256k1_shared_context(), serialized, &length, &public_key,
                                SECP256K1_EC_UNCOMPRESSED);
  const Hash digest = keccak256(ByteView{serialized + 1, 64});  // skip the 0x04 prefix
  Address address;
  std::memcpy(address.bytes.data(), digest.bytes.data() + 12, 20);
  return address;
}

}  // namespace sluice
