#pragma once
/// Decryption of Web3 Secret Storage v3 key files, the format of geth, cast and most wallets
/// (https://ethereum.org/en/developers/docs/data-structures-and-encoding/web3-secret-storage/):
/// kdf scrypt or pbkdf2 (hmac-sha256), MAC = keccak256(derived_key[16..32] ++ ciphertext), cipher aes-128-ctr
/// keyed with derived_key[0..16].

#include "chain/error.hpp"
#include "chain/private_key.hpp"

#include <string>
#include <string_view>

namespace sluice {

enum class KeystoreError {
  invalid_json = 1,
  bad_version,         ///< "version" missing or not 3
  bad_crypto,          ///< "crypto" (or "Crypto") missing or not an object
  bad_cipher,          ///< "crypto.cipher" missing or not a string
  unsupported_cipher,  ///< a cipher other than aes-128-ctr
  bad_iv,              ///< "crypto.cipherparams.iv" missing or not 16 bytes of hex
  bad_ciphertext,      ///< "crypto.ciphertext" missing or not 32 bytes of hex
  bad_mac,             ///< "crypto.mac" missing or not 32 bytes of hex
  bad_kdf,             ///< "crypto.kdf" missing or not a string
  unsupported_kdf,     ///< a kdf other than scrypt and pbkdf2
  bad_kdfparams,       ///< "crypto.kdfparams" missing or not an object
  bad_dklen,           ///< "crypto.kdfparams.dklen" not an integer in [32, 64]
  bad_salt,            ///< "crypto.kdfparams.salt" missing or not hex
  bad_scrypt_n,        ///< "crypto.kdfparams.n" not a power of two above 1
  bad_scrypt_r,        ///< "crypto.kdfparams.r" not an integer in [1, 2^30)
  bad_scrypt_p,        ///< "crypto.kdfparams.p" not an integer in [1, 2^30)
  scrypt_too_costly,   ///< scrypt would need more than kMaxScryptMemory bytes
  bad_pbkdf2_c,        ///< "crypto.kdfparams.c" not an integer in [1, kMaxPbkdf2Iterations]
  unsupported_prf,     ///< "crypto.kdfparams.prf" other than hmac-sha256
  kdf_failed,          ///< the kdf itself failed (out of memory)
  wrong_password,      ///< MAC mismatch
  decrypt_failed,      ///< the cipher itself failed
  invalid_key,         ///< the plaintext is not a valid secp256k1 private key
};
const char* describe(KeystoreError e) noexcept;
SLUICE_ERROR_CATEGORY(KeystoreError, "keystore")

/// Limits that keep a hostile key file from exhausting memory or time (geth's "standard" scrypt uses 256 MiB and
/// pbkdf2 262,144 iterations).
inline constexpr std::uint64_t kMaxScryptMemory = 1ULL << 30;  ///< bytes (128 * r * n)
inline constexpr std::uint64_t kMaxPbkdf2Iterations = 10'000'000;

/// Decrypts a v3 key file's JSON with `password` (the exact bytes; no trimming here).
Result<PrivateKey> decrypt_keystore(std::string_view json, std::string_view password);

/// Reads a key file (refused when group or others can access it, see chain/secret_file.hpp) and decrypts it.
Result<PrivateKey> load_keystore(const std::string& path, std::string_view password);

}  // namespace sluice

SLUICE_ERROR_ENUM(sluice::KeystoreError)
