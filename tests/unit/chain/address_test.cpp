#include "chain/address.hpp"

#include <doctest/doctest.h>

using namespace sluice;

TEST_CASE("address: EIP-55 checksums of the EIP's own examples round-trip") {
  for (const char* text : {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                           "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
                           "0x52908400098527886E0F7030069857D2E4169EE7", "0xde709f2102306220921060314715629080e2fb77"}) {
    CAPTURE(text);
    auto parsed = parse_address(text);
    REQUIRE(parsed.has_value());
    CHECK(to_checksum(*parsed) == text);
  }
}

TEST_CASE("address: lowercase and uppercase are accepted, wrong mixed case is rejected") {
  CHECK(parse_address("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359").has_value());
  CHECK(parse_address("0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359").has_value());
  auto bad = parse_address("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d35A");
  REQUIRE(bad.has_error());
  CHECK(bad.error() == AddressError::bad_checksum);
  CHECK(parse_address("0x1234").error() == AddressError::wrong_length);
  CHECK(parse_address("0xzb6916095ca1df60bb79ce92ce3ea74c37c5d359").error() == AddressError::invalid_character);
}
