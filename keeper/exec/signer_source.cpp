#include "keeper/exec/signer_source.hpp"

#include "chain/keystore.hpp"
#include "chain/secret_file.hpp"
#include "chain/secure_memory.hpp"

#include <cstdlib>
#include <string>

namespace sluice::keeper {

namespace {

using KeyResult = boost::system::result<PrivateKey, std::string>;

/// Only the error's category message: PrivateKeyError and KeystoreError texts never quote their input.
std::string reason(const boost::system::error_code& ec) { return ec.message(); }

KeyResult from_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::string("[signer] private_key_env: environment variable ") + name + " is not set";
  // Copy into wiped memory so the trimmed text does not outlive this call.
  WipedString text{std::string(value)};
  auto& s = text.value();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  if (s.empty()) return std::string("[signer] private_key_env: environment variable ") + name + " is empty";
  auto key = PrivateKey::from_hex(s);
  if (!key)
    return std::string("[signer] private_key_env: environment variable ") + name +
           " does not hold a private key (64 hex digits, 0x optional): " + reason(key.error());
  return std::move(*key);
}

KeyResult from_keystore(const std::filesystem::path& keystore, const std::optional<std::filesystem::path>& password) {
  if (!password) return std::string("[signer] keystore ") + keystore.string() + " needs password_file";
  auto pass = read_password_file(password->string());
  if (!pass) return std::string("[signer] password_file ") + password->string() + ": " + reason(pass.error());
  auto key = load_keystore(keystore.string(), pass->value());
  if (!key) return std::string("[signer] keystore ") + keystore.string() + ": " + reason(key.error());
  return std::move(*key);
}

}  // namespace

boost::system::result<PrivateKey, std::string> load_signer_key(const config::SignerConfig& signer) {
  if (signer.private_key_env && signer.keystore)
    return std::string("[signer]: give either private_key_env or keystore, not both");
  KeyResult key = signer.private_key_env ? from_environment(*signer.private_key_env)
                  : signer.keystore      ? from_keystore(*signer.keystore, signer.password_file)
                                         : KeyResult(std::string("[signer]: neither private_key_env nor keystore is set"));
  if (!key) return key;
  if (signer.address) {
    const Address actual = address_of(*key);
    if (actual != *signer.address)
      return std::string("[signer]: the key belongs to ") + to_checksum(actual) + ", not to the configured address " +
             to_checksum(*signer.address);
  }
  return key;
}

}  // namespace sluice::keeper
