#include "chain/private_key.hpp"

#include <doctest/doctest.h>

#include <string>
#include <type_traits>

using namespace sluice;

namespace {
// The key of the EIP-155 example (https://eips.ethereum.org/EIPS/eip-155).
constexpr const char* kEip155Key = "0x4646464646464646464646464646464646464646464646464646464646464646";

/// True when `T` can be streamed with operator<<: a private key must not be.
template <class T, class = void>
struct is_streamable : std::false_type {};
template <class T>
struct is_streamable<T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>>
    : std::true_type {};
}  // namespace

TEST_CASE("private key: cannot be copied or printed, only moved") {
  static_assert(!std::is_copy_constructible_v<PrivateKey>);
  static_assert(!std::is_copy_assignable_v<PrivateKey>);
  static_assert(std::is_nothrow_move_constructible_v<PrivateKey>);
  static_assert(!is_streamable<PrivateKey>::value);
  static_assert(!std::is_convertible_v<PrivateKey, std::string>);
}

TEST_CASE("private key: address of known keys (cast wallet address)") {
  // `cast wallet address --private-key <key>` (Foundry 1.7.1).
  CHECK(to_checksum(address_of(*PrivateKey::from_hex(kEip155Key))) == "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
  CHECK(to_checksum(
            address_of(*PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"))) ==
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  // n - 1, the largest valid key.
  CHECK(to_checksum(
            address_of(*PrivateKey::from_hex("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"))) ==
        "0x80C0dbf239224071c59dD8970ab9d542E3414aB2");
}

TEST_CASE("private key: invalid keys are rejected and the error never contains the key") {
  struct Case {
    std::string text;
    PrivateKeyError error;
  };
  const Case cases[] = {
      {"0x46", PrivateKeyError::wrong_length},
      {std::string(66, '4'), PrivateKeyError::wrong_length},
      {"0x" + std::string(63, '4') + "g", PrivateKeyError::invalid_character},
      {"0x" + std::string(64, '0'), PrivateKeyError::zero},
      {"0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", PrivateKeyError::out_of_range},  // n
      {"0x" + std::string(64, 'f'), PrivateKeyError::out_of_range},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto key = PrivateKey::from_hex(c.text);
    REQUIRE(key.has_error());
    CHECK(key.error() == c.error);
    const std::string message = key.error().message();
    CHECK(message.find(std::string(strip_0x(c.text))) == std::string::npos);
    CHECK(message.find("4646") == std::string::npos);
  }
}

TEST_CASE("private key: moving transfers the secret and leaves the source empty") {
  auto a = PrivateKey::from_hex(kEip155Key);
  REQUIRE(a.has_value());
  const Address before = address_of(*a);
  PrivateKey b = std::move(*a);
  CHECK(a->secret_bytes() == nullptr);
  CHECK(address_of(b) == before);
  auto c = PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  REQUIRE(c.has_value());
  *c = std::move(b);
  CHECK(b.secret_bytes() == nullptr);
  CHECK(address_of(*c) == before);
}

TEST_CASE("private key: from_bytes takes exactly 32 bytes") {
  Bytes bytes(32, 0x46);
  CHECK(PrivateKey::from_bytes(bytes).has_value());
  bytes.push_back(0);
  CHECK(PrivateKey::from_bytes(bytes).error() == PrivateKeyError::wrong_length);
}
