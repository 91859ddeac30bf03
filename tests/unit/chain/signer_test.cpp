#include "chain/signer.hpp"

#include "chain/keccak.hpp"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

using namespace sluice;

namespace {
constexpr U256 kOrder{0xbfd25e8cd0364141ULL, 0xbaaedce6af48a03bULL, 0xfffffffffffffffeULL, 0xffffffffffffffffULL};
}  // namespace

TEST_CASE("signer: EIP-155 example signature (r, s, v from the EIP text)") {
  // https://eips.ethereum.org/EIPS/eip-155: key 0x46..46, signing hash below, v = 37 (chain 1, parity 0).
  auto key = PrivateKey::from_hex("0x4646464646464646464646464646464646464646464646464646464646464646");
  REQUIRE(key.has_value());
  const Hash hash = *Hash::from_hex("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
  const Signature sig = sign_hash(*key, hash);
  CHECK(sig.r.to_dec() == "18515461264373351373200002665853028612451056578545711640558177340181847433846");
  CHECK(sig.s.to_dec() == "46948507304638947509940763649030358759909902576025900602547168820602576006531");
  CHECK(sig.y_parity == 0);
  CHECK(sign_hash(*key, hash) == sig);  // RFC 6979: deterministic
  auto sender = recover_address(hash, sig);
  REQUIRE(sender.has_value());
  CHECK(to_checksum(*sender) == "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
}

TEST_CASE("signer: signatures are low-s and recover to the signer for many hashes") {
  auto key = PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  REQUIRE(key.has_value());
  const Address expected = address_of(*key);
  for (int i = 0; i < 200; ++i) {
    const Hash hash = keccak256(std::string_view{std::to_string(i)});
    const Signature sig = sign_hash(*key, hash);
    CHECK(sig.s <= (kOrder >> 1));
    auto recovered = recover_address(hash, sig);
    REQUIRE(recovered.has_value());
    CHECK(*recovered == expected);
  }
}

TEST_CASE("signer: high s is rejected for transactions (EIP-2) and accepted when allowed") {
  auto key = PrivateKey::from_hex("0x4646464646464646464646464646464646464646464646464646464646464646");
  const Hash hash = keccak256(std::string_view{"sluice"});
  const Signature low = sign_hash(*key, hash);
  // (r, n - s) with the parity flipped is the same signature's high-s twin: valid ECDSA, forbidden by EIP-2.
  Signature high = low;
  high.s = kOrder - low.s;
  high.y_parity = static_cast<std::uint8_t>(low.y_parity ^ 1);
  CHECK(recover_address(hash, high).error() == SignatureError::high_s);
  auto allowed = recover_address(hash, high, HighS::allow);
  REQUIRE(allowed.has_value());
  CHECK(*allowed == address_of(*key));
}

TEST_CASE("signer: malformed signatures are errors, not crashes") {
  const Hash hash = keccak256(std::string_view{"x"});
  CHECK(recover_address(hash, Signature{1, 1, 2}).error() == SignatureError::invalid_parity);
  CHECK(recover_address(hash, Signature{0, 1, 0}).error() == SignatureError::invalid_r_s);
  CHECK(recover_address(hash, Signature{1, 0, 0}).error() == SignatureError::invalid_r_s);
  CHECK(recover_address(hash, Signature{kOrder, 1, 0}).error() == SignatureError::invalid_r_s);
  CHECK(recover_address(hash, Signature{1, kOrder, 0}, HighS::allow).error() == SignatureError::invalid_r_s);
  // r = 5 is not the x coordinate of a curve point: 5^3 + 7 = 132 is not a square mod p (Euler's criterion).
  CHECK(recover_address(hash, Signature{5, 1, 0}).error() == SignatureError::unrecoverable);
}

TEST_CASE("signer: the shared context signs concurrently from several threads") {
  auto key = PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  REQUIRE(key.has_value());
  const Address expected = address_of(*key);
  std::vector<int> ok(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const Hash hash = keccak256(std::string_view{std::to_string(t * 1000 + i)});
        auto r = recover_address(hash, sign_hash(*key, hash));
        ok[static_cast<std::size_t>(t)] += (r && *r == expected) ? 1 : 0;
      }
    });
  for (auto& th : threads) th.join();
  for (int n : ok) CHECK(n == 100);
}
