#include "chain/keystore.hpp"

#include "chain/secret_file.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace sluice;

namespace {

// Both test vectors of the Web3 Secret Storage definition
// (https://ethereum.org/en/developers/docs/data-structures-and-encoding/web3-secret-storage/#test-vectors):
// password "testpassword", secret 7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d,
// address 008aeeda4d805471df9b2a5b0f38a0c3bcba786b.
const std::string kPbkdf2Vector = R"({
  "crypto": {
    "cipher": "aes-128-ctr",
    "cipherparams": { "iv": "6087dab2f9fdbbfaddc31a909735c1e6" },
    "ciphertext": "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
    "kdf": "pbkdf2",
    "kdfparams": {
      "c": 262144,
      "dklen": 32,
      "prf": "hmac-sha256",
      "salt": "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"
    },
    "mac": "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"
  },
  "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  "version": 3
})";

const std::string kScryptVector = R"({
  "crypto": {
    "cipher": "aes-128-ctr",
    "cipherparams": { "iv": "83dbcc02d8ccb40e466191a123791e0e" },
    "ciphertext": "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
    "kdf": "scrypt",
    "kdfparams": {
      "dklen": 32,
      "n": 262144,
      "p": 8,
      "r": 1,
      "salt": "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"
    },
    "mac": "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"
  },
  "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  "version": 3
})";

const char* kVectorAddress = "0x008AeEda4D805471dF9b2A5B0f38A0C3bCBA786b";

/// The pbkdf2 vector with its iteration count lowered to `c`, for fast error-path tests (the MAC then no longer
/// matches "testpassword", which is what the wrong-password tests need anyway).
std::string replace(std::string json, const std::string& from, const std::string& to) {
  const auto at = json.find(from);
  REQUIRE(at != std::string::npos);
  return json.replace(at, from.size(), to);
}

/// A temporary file with the given content and mode, removed at the end of the test.
struct TempFile {
  std::string path;
  TempFile(const std::string& content, mode_t mode) {
    static int counter = 0;
    path = (std::filesystem::temp_directory_path() /
            ("sluice_keystore_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++)))
               .string();
    std::ofstream(path, std::ios::binary) << content;
    ::chmod(path.c_str(), mode);
  }
  ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("keystore: Web3 Secret Storage pbkdf2 test vector") {
  auto key = decrypt_keystore(kPbkdf2Vector, "testpassword");
  REQUIRE_MESSAGE(key.has_value(), key.error().message());
  CHECK(to_hex(ByteView{key->secret_bytes(), 32}) ==
        "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d");
  CHECK(to_checksum(address_of(*key)) == kVectorAddress);
}

TEST_CASE("keystore: Web3 Secret Storage scrypt test vector") {
  auto key = decrypt_keystore(kScryptVector, "testpassword");
  REQUIRE_MESSAGE(key.has_value(), key.error().message());
  CHECK(to_hex(ByteView{key->secret_bytes(), 32}) ==
        "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d");
}

TEST_CASE("keystore: wrong password and tampered MAC or ciphertext are a MAC mismatch") {
  auto wrong = decrypt_keystore(kPbkdf2Vector, "testpassword2");
  REQUIRE(wrong.has_error());
  CHECK(wrong.error() == KeystoreError::wrong_password);
  CHECK(wrong.error().message() == "keystore: wrong password (MAC mismatch)");
  CHECK(decrypt_keystore(kPbkdf2Vector, "testpassword\n").error() == KeystoreError::wrong_password);
  CHECK(decrypt_keystore(replace(kPbkdf2Vector, "517ead92", "517ead93"), "testpassword").error() ==
        KeystoreError::wrong_password);
  CHECK(decrypt_keystore(replace(kPbkdf2Vector, "5318b4d5", "5318b4d6"), "testpassword").error() ==
        KeystoreError::wrong_password);
}

TEST_CASE("keystore: malformed files name the bad field") {
  // Lower the cost so the cases that reach the kdf run fast.
  const std::string fast = replace(kPbkdf2Vector, "262144", "2");
  struct Case {
    std::string json;
    KeystoreError error;
    const char* field;  ///< must appear in the message
  };
  const Case cases[] = {
      {"{", KeystoreError::invalid_json, "JSON"},
      {"[]", KeystoreError::invalid_json, "JSON"},
      {replace(fast, "\"version\": 3", "\"version\": 1"), KeystoreError::bad_version, "version"},
      {replace(fast, "\"crypto\"", "\"cryptx\""), KeystoreError::bad_crypto, "crypto"},
      {replace(fast, "\"cipher\":", "\"cypher\":"), KeystoreError::bad_cipher, "crypto.cipher"},
      {replace(fast, "aes-128-ctr", "aes-128-cbc"), KeystoreError::unsupported_cipher, "cipher"},
      {replace(fast, "6087dab2f9fdbbfaddc31a909735c1e6", "6087"), KeystoreError::bad_iv, "crypto.cipherparams.iv"},
      {replace(fast, "\"ciphertext\": \"5318", "\"ciphertext\": \"zz18"), KeystoreError::bad_ciphertext,
       "crypto.ciphertext"},
      {replace(fast, "\"mac\": \"517e", "\"mac\": \"17e"), KeystoreError::bad_mac, "crypto.mac"},
      {replace(fast, "\"kdf\": \"pbkdf2\"", "\"kdf\": 7"), KeystoreError::bad_kdf, "crypto.kdf"},
      {replace(fast, "\"kdf\": \"pbkdf2\"", "\"kdf\": \"argon2\""), KeystoreError::unsupported_kdf, "kdf"},
      {replace(fast, "\"kdfparams\"", "\"kdfparamz\""), KeystoreError::bad_kdfparams, "crypto.kdfparams"},
      {replace(fast, "\"dklen\": 32", "\"dklen\": 16"), KeystoreError::bad_dklen, "crypto.kdfparams.dklen"},
      {replace(fast, "\"salt\"", "\"sal\""), KeystoreError::bad_salt, "crypto.kdfparams.salt"},
      {replace(fast, "\"c\": 2", "\"c\": -2"), KeystoreError::bad_pbkdf2_c, "crypto.kdfparams.c"},
      {replace(fast, "\"c\": 2", "\"c\": 100000001"), KeystoreError::bad_pbkdf2_c, "crypto.kdfparams.c"},
      {replace(fast, "hmac-sha256", "hmac-sha512"), KeystoreError::unsupported_prf, "prf"},
      {replace(kScryptVector, "\"n\": 262144", "\"n\": 1000"), KeystoreError::bad_scrypt_n, "crypto.kdfparams.n"},
      {replace(kScryptVector, "\"r\": 1", "\"r\": 0"), KeystoreError::bad_scrypt_r, "crypto.kdfparams.r"},
      {replace(kScryptVector, "\"p\": 8", "\"p\": 0"), KeystoreError::bad_scrypt_p, "crypto.kdfparams.p"},
      {replace(replace(kScryptVector, "\"n\": 262144", "\"n\": 1048576"), "\"r\": 1", "\"r\": 16"),
       KeystoreError::scrypt_too_costly, "memory"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.json);
    auto key = decrypt_keystore(c.json, "testpassword");
    REQUIRE(key.has_error());
    CHECK(key.error() == c.error);
    CHECK(key.error().message().find(c.field) != std::string::npos);
  }
  // "Crypto" (capitalized, as some older wallets wrote it) is accepted; the wrong password proves it was parsed.
  CHECK(decrypt_keystore(replace(fast, "\"crypto\"", "\"Crypto\""), "testpassword").error() ==
        KeystoreError::wrong_password);
}

TEST_CASE("keystore: key files and password files readable by group or others are refused") {
  const std::string fast = replace(kPbkdf2Vector, "262144", "2");
  for (mode_t mode : {0644, 0640, 0604, 0660, 0601}) {
    CAPTURE(mode);
    TempFile file(fast, mode);
    auto key = load_keystore(file.path, "testpassword");
    REQUIRE(key.has_error());
    CHECK(key.error() == SecretFileError::too_permissive);
    CHECK(key.error().message().find("chmod 600") != std::string::npos);
    TempFile password("testpassword\n", mode);
    CHECK(read_password_file(password.path).error() == SecretFileError::too_permissive);
  }
  TempFile ok(kPbkdf2Vector, 0600);
  auto key = load_keystore(ok.path, "testpassword");
  REQUIRE_MESSAGE(key.has_value(), key.error().message());
  CHECK(to_checksum(address_of(*key)) == kVectorAddress);
  TempFile owner_read_only(fast, 0400);
  CHECK(load_keystore(owner_read_only.path, "x").error() == KeystoreError::wrong_password);
  CHECK(load_keystore("/nonexistent/sluice/keystore.json", "x").error() == SecretFileError::cannot_open);
  CHECK(load_keystore("/tmp", "x").error() == SecretFileError::cannot_open);
}

TEST_CASE("keystore: password files lose trailing whitespace only, as cast reads them") {
  // Behaviour checked against `cast wallet address --keystore <vector> --password-file <file>` (Foundry 1.7.1):
  // "testpassword" followed by \n, \r\n, \n\n, \t\n or two spaces unlocks the vector; a leading space does not.
  for (const char* content : {"testpassword", "testpassword\n", "testpassword\r\n", "testpassword\n\n",
                              "testpassword\t\n", "testpassword  "}) {
    CAPTURE(content);
    TempFile file(content, 0600);
    auto password = read_password_file(file.path);
    REQUIRE(password.has_value());
    CHECK(password->value() == "testpassword");
  }
  TempFile leading(" testpassword\n", 0600);
  CHECK(read_password_file(leading.path)->value() == " testpassword");
}
