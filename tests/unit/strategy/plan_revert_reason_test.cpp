// Revert decoding, one case per branch. Golden revert data produced with `cast calldata` (Foundry 1.7.1) where
// written out in hex; other Error(string) payloads are encoded by chain/abi (checked against cast's bytes below).

#include "strategy/plan/revert_reason.hpp"

#include "chain/abi/encode.hpp"
#include "strategy/core/abi_io.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace sluice;
using namespace sluice::plan;

namespace {

Bytes error_string(const std::string& message) {
  static const auto f = abi_io::function("Error(string)");
  const std::vector<abi::Value> args{abi::Value{message}};
  return abi::encode_call(f, args).value();
}

RevertReason of_message(const std::string& message) { return classify_revert(error_string(message), ""); }

}  // namespace

TEST_CASE("revert: Aave codes from cast's Error(string) bytes") {
  // cast calldata "Error(string)" "45"
  const Bytes aave45 = from_hex(
                           "0x08c379a0000000000000000000000000000000000000000000000000000000000000002000000000000000"
                           "000000000000000000000000000000000000000000000000023435000000000000000000000000000000000"
                           "000000000000000000000000000")
                           .value();
  CHECK(aave45 == error_string("45"));
  const auto r = classify_revert(aave45, "execution reverted");
  CHECK(r.kind == RevertKind::position_healthy);
  CHECK(r.text == "Aave 45 HEALTH_FACTOR_NOT_BELOW_THRESHOLD");
  CHECK(of_message("46").kind == RevertKind::collateral_not_liquidatable);
  CHECK(of_message("46").text == "Aave 46 COLLATERAL_CANNOT_BE_LIQUIDATED");
  CHECK(of_message("47").kind == RevertKind::debt_not_borrowed);
  CHECK(of_message("47").text == "Aave 47 SPECIFIED_CURRENCY_NOT_BORROWED_BY_USER");
  CHECK(of_message("27").kind == RevertKind::reserve_unavailable);
  CHECK(of_message("28").kind == RevertKind::reserve_unavailable);
  CHECK(of_message("29").text == "Aave 29 RESERVE_PAUSED");
  CHECK(of_message("25").kind == RevertKind::nothing_to_liquidate);
  CHECK(of_message("59").kind == RevertKind::price_oracle);
  // A code liquidation cannot hit: named, kind unknown.
  CHECK(of_message("1").kind == RevertKind::unknown);
  CHECK(of_message("1").text == "Aave 1 CALLER_NOT_POOL_ADMIN");
  // 48 is not a constant in v3.0; a number that is no code at all stays raw.
  CHECK(of_message("48").text == "reverted: 48");
  CHECK(of_message("4500").text == "reverted: 4500");
  CHECK(of_message("91").text == "Aave 91 FLASHLOAN_DISABLED");
}

TEST_CASE("revert: Morpho Blue ErrorsLib messages") {
  // cast calldata "Error(string)" "position is healthy"
  const Bytes healthy = from_hex(
                            "0x08c379a000000000000000000000000000000000000000000000000000000000000000200000000000000"
                            "000000000000000000000000000000000000000000000000013706f736974696f6e206973206865616c7468"
                            "7900000000000000000000000000")
                            .value();
  CHECK(classify_revert(healthy, "").kind == RevertKind::position_healthy);
  CHECK(classify_revert(healthy, "").text == "Morpho: position is healthy");
  CHECK(of_message("inconsistent input").kind == RevertKind::nothing_to_liquidate);
  CHECK(of_message("market not created").kind == RevertKind::reserve_unavailable);
  CHECK(of_message("transferFrom reverted").kind == RevertKind::insufficient_inventory);
  CHECK(of_message("transferFrom reverted").text == "Morpho: transferFrom reverted");
  CHECK(of_message("max uint128 exceeded").kind == RevertKind::arithmetic);
}

TEST_CASE("revert: ERC-20 messages (OpenZeppelin 4, devnet token) and OpenZeppelin 5 custom errors") {
  CHECK(of_message("ERC20: transfer amount exceeds balance").kind == RevertKind::insufficient_inventory);
  CHECK(of_message("ERC20: insufficient allowance").kind == RevertKind::insufficient_allowance);
  CHECK(of_message("ERC20: transfer amount exceeds allowance").kind == RevertKind::insufficient_allowance);
  // scripts/contracts/DevnetToken.sol
  CHECK(of_message("allowance").kind == RevertKind::insufficient_allowance);
  CHECK(of_message("allowance").text == "ERC-20: allowance");
  CHECK(of_message("balance").kind == RevertKind::insufficient_inventory);
  // cast calldata "ERC20InsufficientAllowance(address,uint256,uint256)" 0x1111...1111 1 2
  const Bytes oz5 = from_hex(
                        "0xfb8f41b200000000000000000000000011111111111111111111111111111111111111110000000000000000"
                        "0000000000000000000000000000000000000000000000010000000000000000000000000000000000000000"
                        "000000000000000000000002")
                        .value();
  CHECK(classify_revert(oz5, "").kind == RevertKind::insufficient_allowance);
  // cast sig "ERC20InsufficientBalance(address,uint256,uint256)" = 0xe450d38c
  Bytes oz5_balance = from_hex("0xe450d38c").value();
  oz5_balance.resize(4 + 96);
  CHECK(classify_revert(oz5_balance, "").kind == RevertKind::insufficient_inventory);
  CHECK(of_message("something else").kind == RevertKind::unknown);
  CHECK(of_message("something else").text == "reverted: something else");
}

TEST_CASE("revert: Panic(uint256)") {
  // cast calldata "Panic(uint256)" 17
  const Bytes p = from_hex("0x4e487b710000000000000000000000000000000000000000000000000000000000000011").value();
  const auto r = classify_revert(p, "");
  CHECK(r.kind == RevertKind::arithmetic);
  CHECK(r.text == "Panic(0x11) arithmetic overflow");
  Bytes div = p;
  div.back() = 0x12;
  CHECK(classify_revert(div, "").text == "Panic(0x12) division or modulo by zero");
  Bytes odd = p;
  odd.back() = 0x77;
  CHECK(classify_revert(odd, "").text == "Panic(0x77) unknown panic");
}

TEST_CASE("revert: custom errors, malformed data and node messages") {
  const Bytes custom = from_hex("0x1234abcd").value();
  CHECK(classify_revert(custom, "").kind == RevertKind::unknown);
  CHECK(classify_revert(custom, "").text == "custom error 0x1234abcd");
  // Error(string) selector with a truncated body: never read past the data.
  const Bytes truncated = from_hex("0x08c379a00000000000000000000000000000000000000000000000000000000000000020").value();
  CHECK(classify_revert(truncated, "").kind == RevertKind::unknown);
  CHECK(classify_revert(truncated, "").text.starts_with("malformed Error(string)"));
  CHECK(classify_revert(from_hex("0x4e487b71").value(), "").text.starts_with("malformed Panic"));
  // Empty data: the node's message.
  CHECK(classify_revert({}, "").text == "execution reverted");
  CHECK(classify_revert({}, "execution reverted").kind == RevertKind::unknown);
  CHECK(classify_revert({}, "Out of gas: gas required exceeds allowance: 100").kind == RevertKind::out_of_gas);
  CHECK(classify_revert({}, "execution reverted: 45").kind == RevertKind::position_healthy);
  CHECK(classify_revert(from_hex("0x08c3").value(), "execution reverted: position is healthy").kind ==
        RevertKind::position_healthy);
}

TEST_CASE("revert: cooldowns by kind and metric names") {
  CHECK(cooldown_blocks(RevertKind::position_healthy) == 2);
  CHECK(cooldown_blocks(RevertKind::insufficient_allowance) == 0);
  CHECK(cooldown_blocks(RevertKind::insufficient_inventory) == 0);
  CHECK(cooldown_blocks(RevertKind::out_of_gas) == 0);
  CHECK(cooldown_blocks(RevertKind::reserve_unavailable) > cooldown_blocks(RevertKind::price_oracle));
  CHECK(cooldown_blocks(RevertKind::price_oracle) > cooldown_blocks(RevertKind::position_healthy));
  CHECK(std::string(revert_kind_name(RevertKind::insufficient_inventory)) == "insufficient_inventory");
  CHECK(std::string(revert_kind_name(RevertKind::collateral_not_liquidatable)) == "collateral_not_liquidatable");
}
