// Whole-token decimal amounts to native units. Expected values from `cast parse-units <amount> <decimals>`
// (Foundry 1.7.1): 1.5 6 -> 1500000; 250000 6 -> 250000000000; 0.000000000000000001 18 -> 1;
// 1.5 18 -> 1500000000000000000.

#include "chain/decimal_amount.hpp"

#include <doctest/doctest.h>

using namespace sluice;

TEST_CASE("decimal amount: exact conversions (cast parse-units)") {
  CHECK(parse_decimal_amount("1.5", 6)->to_dec() == "1500000");
  CHECK(parse_decimal_amount("250000", 6)->to_dec() == "250000000000");
  CHECK(parse_decimal_amount("0.000000000000000001", 18)->to_dec() == "1");
  CHECK(parse_decimal_amount("1.5", 18)->to_dec() == "1500000000000000000");
  CHECK(parse_decimal_amount("0", 0)->to_dec() == "0");
  CHECK(parse_decimal_amount("7", 0)->to_dec() == "7");
  // Trailing zeros of the fraction carry no precision.
  CHECK(parse_decimal_amount("1.50", 1)->to_dec() == "15");
}

TEST_CASE("decimal amount: never rounds, never overflows") {
  CHECK_FALSE(parse_decimal_amount("1.0000001", 6));  // 7 fraction digits for a 6-decimal token
  CHECK_FALSE(parse_decimal_amount("0.5", 0));
  // 2^256 = 115792089237316195423570985008687907853269984665640564039457584007913129639936: one more than fits.
  CHECK_FALSE(parse_decimal_amount("115792089237316195423570985008687907853269984665640564039457584007913129639936", 0));
  CHECK(parse_decimal_amount("115792089237316195423570985008687907853269984665640564039457584007913129639935", 0));
  CHECK_FALSE(parse_decimal_amount("1000000000000000000000000000000000000000000000000000000000000", 18));
}

TEST_CASE("decimal amount: syntax") {
  for (const char* good : {"0", "1", "1.5", "0.25", "007"}) CHECK_MESSAGE(is_decimal_amount(good), good);
  for (const char* bad : {"", ".5", "1.", "-1", "+1", "1e3", "1_000", "1,5", " 1", "1.2.3", "0x10"})
    CHECK_FALSE_MESSAGE(is_decimal_amount(bad), bad);
}
