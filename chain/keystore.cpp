#include "chain/keystore.hpp"

#include "chain/keccak.hpp"
#include "chain/secret_file.hpp"
#include "chain/secure_memory.hpp"

#include <libscrypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <simdjson.h>

#include <climits>
#include <memory>

namespace sluice {

const char* describe(KeystoreError e) noexcept {
  switch (e) {
    case KeystoreError::invalid_json: return "keystore: not valid JSON";
    case KeystoreError::bad_version: return "keystore: field 'version' missing or not 3";
    case KeystoreError::bad_crypto: return "keystore: field 'crypto' missing or not an object";
    case KeystoreError::bad_cipher: return "keystore: field 'crypto.cipher' missing or not a string";
    case KeystoreError::unsupported_cipher: return "keystore: unsupported cipher (only aes-128-ctr)";
    case KeystoreError::bad_iv: return "keystore: field 'crypto.cipherparams.iv' missing or not 16 bytes of hex";
    case KeystoreError::bad_ciphertext: return "keystore: field 'crypto.ciphertext' missing or not 32 bytes of hex";
    case KeystoreError::bad_mac: return "keystore: field 'crypto.mac' missing or not 32 bytes of hex";
    case KeystoreError::bad_kdf: return "keystore: field 'crypto.kdf' missing or not a string";
    case KeystoreError::unsupported_kdf: return "keystore: unsupported kdf (only scrypt and pbkdf2)";
    case KeystoreError::bad_kdfparams: return "keystore: field 'crypto.kdfparams' missing or not an object";
    case KeystoreError::bad_dklen: return "keystore: field 'crypto.kdfparams.dklen' missing or not in [32, 64]";
    case KeystoreError::bad_salt: return "keystore: field 'crypto.kdfparams.salt' missing or not hex";
    case KeystoreError::bad_scrypt_n:
      return "keystore: field 'crypto.kdfparams.n' missing or not a power of two above 1";
    case KeystoreError::bad_scrypt_r: return "keystore: field 'crypto.kdfparams.r' missing or out of range";
    case KeystoreError::bad_scrypt_p: return "keystore: field 'crypto.kdfparams.p' missing or out of range";
    case KeystoreError::scrypt_too_costly: return "keystore: scrypt parameters need more than 1 GiB of memory";
    case KeystoreError::bad_pbkdf2_c: return "keystore: field 'crypto.kdfparams.c' missing or not in [1, 10000000]";
    case KeystoreError::unsupported_prf: return "keystore: unsupported pbkdf2 prf (only hmac-sha256)";
    case KeystoreError::kdf_failed: return "keystore: key derivation failed";
    case KeystoreError::wrong_password: return "keystore: wrong password (MAC mismatch)";
    case KeystoreError::decrypt_failed: return "keystore: decryption failed";
    case KeystoreError::invalid_key: return "keystore: decrypted key is not a valid secp256k1 private key";
  }
  return "keystore: unknown error";
}

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::size_t kCipherKeySize = 16;  // AES-128

/// A string member, or nullopt when missing or not a string.
std::optional<std::string_view> string_field(const object& obj, std::string_view key) {
  std::string_view value;
  if (obj[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

/// A non-negative integer member, or nullopt.
std::optional<std::uint64_t> uint_field(const object& obj, std::string_view key) {
  std::uint64_t value = 0;
  if (obj[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

/// A hex string member of exactly `size` bytes (any size when `size` is 0), or nullopt.
std::optional<Bytes> hex_field(const object& obj, std::string_view key, std::size_t size) {
  auto text = string_field(obj, key);
  if (!text) return std::nullopt;
  auto bytes = from_hex(*text);
  if (!bytes || (size != 0 && bytes->size() != size)) return std::nullopt;
  return std::move(*bytes);
}

/// The parsed, validated parameters of one key file.
struct KeyFile {
  Bytes iv, ciphertext, mac, salt;
  bool scrypt = false;
  std::uint64_t dklen = 0, n = 0, r = 0, p = 0, c = 0;
};

Result<KeyFile> parse_kdf(const object& crypto, KeyFile file) {
  auto kdf = string_field(crypto, "kdf");
  if (!kdf) return KeystoreError::bad_kdf;
  if (*kdf != "scrypt" && *kdf != "pbkdf2") return KeystoreError::unsupported_kdf;
  file.scrypt = *kdf == "scrypt";
  object params;
  if (crypto["kdfparams"].get(params) != simdjson::SUCCESS) return KeystoreError::bad_kdfparams;
  auto dklen = uint_field(params, "dklen");
  if (!dklen || *dklen < 32 || *dklen > 64) return KeystoreError::bad_dklen;
  file.dklen = *dklen;
  auto salt = hex_field(params, "salt", 0);
  if (!salt) return KeystoreError::bad_salt;
  file.salt = std::move(*salt);
  if (file.scrypt) {
    auto n = uint_field(params, "n"), r = uint_field(params, "r"), p = uint_field(params, "p");
    if (!n || *n < 2 || (*n & (*n - 1)) != 0) return KeystoreError::bad_scrypt_n;
    if (!r || *r == 0 || *r >= (1U << 30)) return KeystoreError::bad_scrypt_r;
    if (!p || *p == 0 || *p >= (1U << 30) || *r * *p >= (1U << 30)) return KeystoreError::bad_scrypt_p;
    // 128 * r * n bytes for the main buffer; check without overflowing.
    if (*n > kMaxScryptMemory / 128 / *r) return KeystoreError::scrypt_too_costly;
    file.n = *n;
    file.r = *r;
    file.p = *p;
  } else {
    auto prf = string_field(params, "prf");
    if (!prf || *prf != "hmac-sha256") return KeystoreError::unsupported_prf;
    auto c = uint_field(params, "c");
    if (!c || *c == 0 || *c > kMaxPbkdf2Iterations) return KeystoreError::bad_pbkdf2_c;
    file.c = *c;
  }
  return file;
}

Result<KeyFile> parse_key_file(std::string_view json) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) return KeystoreError::invalid_json;
  object doc;
  if (root.get(doc) != simdjson::SUCCESS) return KeystoreError::invalid_json;
  auto version = uint_field(doc, "version");
  if (!version || *version != 3) return KeystoreError::bad_version;
  object crypto;
  // geth writes "crypto"; some older wallets wrote "Crypto".
  if (doc["crypto"].get(crypto) != simdjson::SUCCESS && doc["Crypto"].get(crypto) != simdjson::SUCCESS)
    return KeystoreError::bad_crypto;

  auto cipher = string_field(crypto, "cipher");
  if (!cipher) return KeystoreError::bad_cipher;
  if (*cipher != "aes-128-ctr") return KeystoreError::unsupported_cipher;
  KeyFile file;
  object cipherparams;
  if (crypto["cipherparams"].get(cipherparams) != simdjson::SUCCESS) return KeystoreError::bad_iv;
  auto iv = hex_field(cipherparams, "iv", 16);
  if (!iv) return KeystoreError::bad_iv;
  file.iv = std::move(*iv);
  auto ciphertext = hex_field(crypto, "ciphertext", PrivateKey::kSize);
  if (!ciphertext) return KeystoreError::bad_ciphertext;
  file.ciphertext = std::move(*ciphertext);
  auto mac = hex_field(crypto, "mac", 32);
  if (!mac) return KeystoreError::bad_mac;
  file.mac = std::move(*mac);
  return parse_kdf(crypto, std::move(file));
}

Result<void> derive_key(const KeyFile& file, std::string_view password, WipedArray<64>& derived) {
  const auto* pw = reinterpret_cast<const std::uint8_t*>(password.data());
  if (file.scrypt) {
    if (libscrypt_scrypt(pw, password.size(), file.salt.data(), file.salt.size(), file.n,
                         static_cast<std::uint32_t>(file.r), static_cast<std::uint32_t>(file.p), derived.data(),
                         file.dklen) != 0)
      return KeystoreError::kdf_failed;
    return {};
  }
  if (password.size() > INT_MAX || file.salt.size() > INT_MAX) return KeystoreError::kdf_failed;
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), file.salt.data(),
                        static_cast<int>(file.salt.size()), static_cast<int>(file.c), EVP_sha256(),
                        static_cast<int>(file.dklen), derived.data()) != 1)
    return KeystoreError::kdf_failed;
  return {};
}

/// keccak256(derived_key[16..32] ++ ciphertext) compared in constant time with the file's MAC.
bool mac_matches(const KeyFile& file, const WipedArray<64>& derived) {
  Keccak256 hasher;
  hasher.update(ByteView{derived.data() + 16, 16});
  hasher.update(file.ciphertext);
  const Hash mac = hasher.finalize();
  secure_wipe(&hasher, sizeof hasher);  // its state absorbed half of the derived key
  return CRYPTO_memcmp(mac.bytes.data(), file.mac.data(), 32) == 0;
}

Result<void> aes_128_ctr(const KeyFile& file, const WipedArray<64>& derived, WipedArray<32>& plaintext) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int written = 0, final_written = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_ctr(), nullptr, derived.data(), file.iv.data()) != 1 ||
      EVP_DecryptUpdate(ctx.get(), plaintext.data(), &written, file.ciphertext.data(),
                        static_cast<int>(file.ciphertext.size())) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), plaintext.data() + written, &final_written) != 1 ||
      static_cast<std::size_t>(written + final_written) != plaintext.size())
    return KeystoreError::decrypt_failed;
  return {};
}

static_assert(kCipherKeySize == 16, "aes-128 takes derived_key[0..16]");

}  // namespace

Result<PrivateKey> decrypt_keystore(std::string_view json, std::string_view password) {
  auto file = parse_key_file(json);
  if (!file) return file.error();
  WipedArray<64> derived;
  if (auto r = derive_key(*file, password, derived); !r) return r.error();
  if (!mac_matches(*file, derived)) return KeystoreError::wrong_password;
  WipedArray<32> plaintext;
  if (auto r = aes_128_ctr(*file, derived, plaintext); !r) return r.error();
  auto key = PrivateKey::from_bytes(plaintext.view());
  if (!key) return KeystoreError::invalid_key;
  return key;
}

Result<PrivateKey> load_keystore(const std::string& path, std::string_view password) {
  auto json = read_secret_file(path);
  if (!json) return json.error();
  return decrypt_keystore(json->value(), password);
}

}  // namespace sluice
