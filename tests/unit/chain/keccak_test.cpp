#include "chain/keccak.hpp"

#include <doctest/doctest.h>

using namespace sluice;

namespace {
/// Bytes i*7 mod 256 for i in [0, n): the pattern the golden digests below were computed on with `cast keccak`.
Bytes pattern(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7 % 256);
  return b;
}
}  // namespace

TEST_CASE("keccak256: empty input and 'abc' (Keccak team / Ethereum vectors)") {
  CHECK(keccak256(ByteView{}).hex() == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  CHECK(keccak256(std::string_view{"abc"}).hex() ==
        "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

TEST_CASE("keccak256: rate boundaries 135/136/137 and multiples, golden from cast keccak") {
  struct Vector {
    std::size_t length;
    const char* digest;
  };
  const Vector vectors[] = {
      {1, "0xbc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a"},
      {31, "0x65960cfce3a84820e730d982bdae9e293a440cf554595d2e66b2c14c08971ffe"},
      {32, "0x5a46a96313b8d5dab379f188f7c3dd4930687a3677fb4bed8fdd84149a0f4f9f"},
      {33, "0x5b28865e9399248a07eae5d205f6679930352954a1c367d81014ee0a74fa202e"},
      {135, "0x154f5dc27520a599653a2b10189cf53f5ce03b7c594d11fd98f67012ea304b6c"},
      {136, "0x81e7ecb492d033f1692e770a6eb874e70aac45ec10da93483fc8d3537805c097"},
      {137, "0xa595973359b39ba1fec5cf8f40710c5a213e76281dd4f174f1ea83106ee7759b"},
      {271, "0xf0f79e1b757cfc6a5cb0263d2636afe57489bb73ab924b875b896868a9fb3cf4"},
      {272, "0x99d5a295c114ab3f94028d25825ea798399dacfc613f0193fb32c3c4973f1777"},
      {273, "0x27005ba9916961e2ddd78d739ee52ff4b2a2e90b40fa4730516d8f1ee4bf25cb"},
      {1000, "0x82bc59cea7b5eac6d5e84cfabd1450ecba233bc6c0b375bda57dd7848a088ce6"},
  };
  for (const auto& v : vectors) {
    CAPTURE(v.length);
    CHECK(keccak256(ByteView{pattern(v.length)}).hex() == v.digest);
  }
}

TEST_CASE("keccak256: incremental updates in any split equal the one-shot digest") {
  const Bytes data = pattern(700);
  const Hash expected = keccak256(ByteView{data});
  for (std::size_t step : {1u, 3u, 7u, 8u, 13u, 64u, 135u, 136u, 137u, 500u}) {
    CAPTURE(step);
    Keccak256 hasher;
    for (std::size_t off = 0; off < data.size(); off += step)
      hasher.update(ByteView{data}.subspan(off, std::min(step, data.size() - off)));
    CHECK(hasher.finalize() == expected);
  }
}
