#include "keeper/exec/signer_source.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace sluice;

namespace {

// Anvil's first dev account (anvil prints it at start): key and address.
const std::string kDevKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const char* kDevAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

// The pbkdf2 test vector of the Web3 Secret Storage definition
// (https://ethereum.org/en/developers/docs/data-structures-and-encoding/web3-secret-storage/#test-vectors):
// password "testpassword", address 008aeeda4d805471df9b2a5b0f38a0c3bcba786b.
const std::string kVectorSecret = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";
const std::string kPbkdf2Vector = R"({"crypto":{"cipher":"aes-128-ctr",
  "cipherparams":{"iv":"6087dab2f9fdbbfaddc31a909735c1e6"},
  "ciphertext":"5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46","kdf":"pbkdf2",
  "kdfparams":{"c":262144,"dklen":32,"prf":"hmac-sha256",
  "salt":"ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
  "mac":"517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"},
  "id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","version":3})";
const char* kVectorAddress = "0x008AeEda4D805471dF9b2A5B0f38A0C3bCBA786b";

struct TempFile {
  std::filesystem::path path;
  TempFile(const std::string& content, mode_t mode) {
    char name[] = "/tmp/sluice-signer-XXXXXX";
    const int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = name;
    std::ofstream(path) << content;
    ::chmod(name, mode);
  }
  ~TempFile() { std::filesystem::remove(path); }
};

struct EnvVar {
  std::string name;
  EnvVar(std::string n, const std::string& value) : name(std::move(n)) { ::setenv(name.c_str(), value.c_str(), 1); }
  ~EnvVar() { ::unsetenv(name.c_str()); }
};

/// True when `text` contains any 16-hex-digit window of `secret` (in either case): the key did leak.
bool leaks(const std::string& text, const std::string& secret) {
  std::string lower = text;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t i = 0; i + 16 <= secret.size(); ++i)
    if (lower.find(secret.substr(i, 16)) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("signer source: a key from an environment variable, with and without 0x, checked against the address") {
  for (const std::string& value : {"0x" + kDevKey, kDevKey, "0x" + kDevKey + "\n"}) {
    EnvVar env("SLUICE_TEST_SIGNER_KEY", value);
    config::SignerConfig signer;
    signer.private_key_env = "SLUICE_TEST_SIGNER_KEY";
    auto key = keeper::load_signer_key(signer);
    REQUIRE_MESSAGE(key.has_value(), key.error());
    CHECK(to_checksum(address_of(*key)) == kDevAddress);
    signer.address = parse_address(kDevAddress).value();
    CHECK(keeper::load_signer_key(signer).has_value());
  }
}

TEST_CASE("signer source: environment errors name the variable and never contain the key") {
  config::SignerConfig signer;
  signer.private_key_env = "SLUICE_TEST_SIGNER_UNSET";
  ::unsetenv("SLUICE_TEST_SIGNER_UNSET");
  auto missing = keeper::load_signer_key(signer);
  REQUIRE(missing.has_error());
  CHECK(missing.error().find("SLUICE_TEST_SIGNER_UNSET") != std::string::npos);
  CHECK(missing.error().find("not set") != std::string::npos);

  // Malformed keys: one digit short, a bad character, one digit too many; and a valid key for another address.
  const std::string short_key = kDevKey.substr(1);
  const std::string bad_char = kDevKey.substr(0, 63) + "g";
  const std::string long_key = kDevKey + "0";
  for (const std::string& value : {short_key, bad_char, long_key, "0x" + bad_char}) {
    CAPTURE(value.size());
    EnvVar env("SLUICE_TEST_SIGNER_KEY", value);
    signer.private_key_env = "SLUICE_TEST_SIGNER_KEY";
    auto key = keeper::load_signer_key(signer);
    REQUIRE(key.has_error());
    CHECK(key.error().find("SLUICE_TEST_SIGNER_KEY") != std::string::npos);
    CHECK_FALSE(leaks(key.error(), kDevKey));
  }
  EnvVar env("SLUICE_TEST_SIGNER_KEY", "0x" + kDevKey);
  signer.address = parse_address(kVectorAddress).value();
  auto wrong = keeper::load_signer_key(signer);
  REQUIRE(wrong.has_error());
  CHECK(wrong.error().find(kDevAddress) != std::string::npos);
  CHECK(wrong.error().find(kVectorAddress) != std::string::npos);
  CHECK_FALSE(leaks(wrong.error(), kDevKey));
}

TEST_CASE("signer source: keystore with password file; permissive files, wrong password and mismatches refused") {
  TempFile keystore(kPbkdf2Vector, 0600);
  TempFile password("testpassword\n", 0600);
  config::SignerConfig signer;
  signer.keystore = keystore.path;
  signer.password_file = password.path;
  auto key = keeper::load_signer_key(signer);
  REQUIRE_MESSAGE(key.has_value(), key.error());
  CHECK(to_checksum(address_of(*key)) == kVectorAddress);

  signer.address = parse_address(kDevAddress).value();
  auto mismatch = keeper::load_signer_key(signer);
  REQUIRE(mismatch.has_error());
  CHECK_FALSE(leaks(mismatch.error(), kVectorSecret));
  signer.address.reset();

  TempFile open_keystore(kPbkdf2Vector, 0644);
  signer.keystore = open_keystore.path;
  auto refused = keeper::load_signer_key(signer);
  REQUIRE(refused.has_error());
  CHECK(refused.error().find(open_keystore.path.string()) != std::string::npos);
  CHECK(refused.error().find("chmod 600") != std::string::npos);

  signer.keystore = keystore.path;
  TempFile open_password("testpassword\n", 0640);
  signer.password_file = open_password.path;
  auto refused_password = keeper::load_signer_key(signer);
  REQUIRE(refused_password.has_error());
  CHECK(refused_password.error().find(open_password.path.string()) != std::string::npos);
  CHECK(refused_password.error().find("chmod 600") != std::string::npos);

  TempFile wrong_password("not-the-password\n", 0600);
  signer.password_file = wrong_password.path;
  auto wrong = keeper::load_signer_key(signer);
  REQUIRE(wrong.has_error());
  CHECK(wrong.error().find(keystore.path.string()) != std::string::npos);
  CHECK(wrong.error().find("not-the-password") == std::string::npos);
  CHECK_FALSE(leaks(wrong.error(), kVectorSecret));

  signer.password_file.reset();
  auto no_password = keeper::load_signer_key(signer);
  REQUIRE(no_password.has_error());
  CHECK(no_password.error().find("password_file") != std::string::npos);

  config::SignerConfig empty;
  CHECK(keeper::load_signer_key(empty).has_error());
}
