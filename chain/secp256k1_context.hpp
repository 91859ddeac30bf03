#pragma once
/// The one libsecp256k1 context of the process, shared by signing, recovery and public-key derivation.
/// Internal to chain/: callers use chain/signer.hpp and chain/private_key.hpp.

#include "chain/address.hpp"

#include <secp256k1.h>

namespace sluice {

/// Created (and randomized against side channels) once on first use, then only read: libsecp256k1 allows
/// concurrent use of a context through const-context calls, so this is safe from any thread.
const secp256k1_context* secp256k1_shared_context() noexcept;

/// keccak256 of the 64-byte uncompressed public key (x ++ y), last 20 bytes (Yellow Paper, eq. 284).
Address address_of_public_key(const secp256k1_pubkey& public_key);

}  // namespace sluice
