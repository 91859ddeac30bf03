#pragma once
/// A secp256k1 private key that cannot leak by accident: it lives in locked, non-dumpable memory (see
/// chain/secure_memory.hpp), is wiped when destroyed or moved from, cannot be copied, and has no way to be
/// printed or formatted. Errors about a key never contain the key.

#include "chain/address.hpp"
#include "chain/bytes.hpp"
#include "chain/error.hpp"

#include <cstdint>
#include <string_view>

namespace sluice {

enum class PrivateKeyError {
  wrong_length = 1,   ///< not 32 bytes / 64 hex digits
  invalid_character,  ///< a character outside [0-9a-fA-F]
  zero,               ///< the key 0 has no public key
  out_of_range,       ///< not below the secp256k1 group order n
};
const char* describe(PrivateKeyError e) noexcept;
SLUICE_ERROR_CATEGORY(PrivateKeyError, "private key")

class PrivateKey {
 public:
  static constexpr std::size_t kSize = 32;

  /// Exactly 32 big-endian bytes in [1, n-1] (n is the secp256k1 group order).
  static Result<PrivateKey> from_bytes(ByteView bytes);
  /// Exactly 64 hex digits, "0x" optional, as `cast` accepts them.
  static Result<PrivateKey> from_hex(std::string_view hex);

  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;
  /// Takes over the other key's storage: the moved-from key holds no secret any more and may only be destroyed
  /// or assigned to.
  PrivateKey(PrivateKey&& other) noexcept;
  PrivateKey& operator=(PrivateKey&& other) noexcept;
  ~PrivateKey();

  /// The 32 secret bytes, for signing code only. Never log, format or copy them into unwiped memory.
  const std::uint8_t* secret_bytes() const noexcept { return secret_; }

 private:
  PrivateKey();  // allocates a zeroed secure slot
  std::uint8_t* secret_ = nullptr;
};

/// The account address of a key: the last 20 bytes of keccak256 of the 64-byte uncompressed public key (x ++ y).
Address address_of(const PrivateKey& key);

}  // namespace sluice

SLUICE_ERROR_ENUM(sluice::PrivateKeyError)
