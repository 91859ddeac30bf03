#include "chain/private_key.hpp"

#include "chain/secp256k1_context.hpp"
#include "chain/secure_memory.hpp"

#include <cstdlib>
#include <cstring>

namespace sluice {

const char* describe(PrivateKeyError e) noexcept {
  switch (e) {
    case PrivateKeyError::wrong_length: return "private key must be 32 bytes (64 hex digits)";
    case PrivateKeyError::invalid_character: return "private key contains a non-hex character";
    case PrivateKeyError::zero: return "private key is zero";
    case PrivateKeyError::out_of_range: return "private key is not below the secp256k1 group order";
  }
  return "invalid private key";
}

PrivateKey::PrivateKey() : secret_(secure_slot_allocate()) {}

PrivateKey::PrivateKey(PrivateKey&& other) noexcept : secret_(other.secret_) { other.secret_ = nullptr; }

PrivateKey& PrivateKey::operator=(PrivateKey&& other) noexcept {
  if (this != &other) {
    secure_slot_release(secret_);
    secret_ = other.secret_;
    other.secret_ = nullptr;
  }
  return *this;
}

PrivateKey::~PrivateKey() { secure_slot_release(secret_); }

Result<PrivateKey> PrivateKey::from_bytes(ByteView bytes) {
  if (bytes.size() != kSize) return PrivateKeyError::wrong_length;
  bool all_zero = true;
  for (auto b : bytes) all_zero &= (b == 0);
  if (all_zero) return PrivateKeyError::zero;
  PrivateKey key;
  std::memcpy(key.secret_, bytes.data(), kSize);
  // Nonzero and below the order: exactly what libsecp256k1 checks.
  if (secp256k1_ec_seckey_verify(secp256k1_shared_context(), key.secret_) != 1) return PrivateKeyError::out_of_range;
  return key;
}

Result<PrivateKey> PrivateKey::from_hex(std::string_view hex) {
  const std::string_view digits = strip_0x(hex);
  if (digits.size() != 2 * kSize) return PrivateKeyError::wrong_length;
  WipedArray<kSize> bytes;
  for (std::size_t i = 0; i < kSize; ++i) {
    const int hi = hex_digit_value(digits[2 * i]), lo = hex_digit_value(digits[2 * i + 1]);
    if (hi < 0 || lo < 0) return PrivateKeyError::invalid_character;
    bytes.bytes[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return from_bytes(bytes.view());
}

Address address_of(const PrivateKey& key) {
  const secp256k1_context* ctx = secp256k1_shared_context();
  secp256k1_pubkey pubkey;
  // Cannot fail: the key was verified on construction.
  if (secp256k1_ec_pubkey_create(ctx, &pubkey, key.secret_bytes()) != 1) std::abort();
  return address_of_public_key(pubkey);
}

}  // namespace sluice
