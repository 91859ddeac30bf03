// Differential: strategy/risk/uniswap_v2 against the real Uniswap v2 contracts. `scripts/devnet up` deploys the
// npm artifacts of UniswapV2Factory, UniswapV2Pair and UniswapV2Router02 and seeds the WETH/USDC pair; for 1,000
// random amounts in each direction, Router02.getAmountsOut and getAmountsIn (UniswapV2Library on the pair's
// getReserves) must equal get_amount_out / get_amount_in on the same reserves, and must revert exactly where ours
// fails. Then 40 real swaps (Router02.swapExactTokensForTokens from the devnet's liquidator, alternating
// directions) must move the pair's reserves and the liquidator's balance exactly as swap_exact_in predicts.
// Seed: SLUICE_DIFF_SEED (tests/support/diff_seed.hpp). The devnet is taken down at the end.

#include "chain/abi.hpp"
#include "chain/address.hpp"
#include "chain/u256.hpp"
#include "strategy/risk/uniswap_v2.hpp"
#include "tests/support/anvil.hpp"
#include "tests/support/devnet.hpp"
#include "tests/support/diff_seed.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::test;

namespace {

/// eth_call of `signature` on `to`; nullopt if the call reverts.
std::optional<std::vector<abi::Value>> call(RpcClient& rpc, const Address& to, const std::string& signature,
                                            const std::vector<abi::Value>& args) {
  const abi::Function f = abi::Function::parse(signature).value();
  const Bytes data = abi::encode_call(f, args).value();
  const std::string body =
      rpc.call_raw("eth_call", R"([{"to":")" + to.hex() + R"(","data":")" + to_hex(data) + R"("},"latest"])");
  simdjson::dom::parser parser;
  const simdjson::dom::element response = parser.parse(body);
  std::string_view result;
  if (response["result"].get(result) != simdjson::SUCCESS) return std::nullopt;  // reverted: {"error": ...}
  auto decoded = abi::decode_output(f, from_hex(result).value());
  REQUIRE_MESSAGE(decoded.has_value(), signature << " returned " << result);
  return decoded.value();
}

const U256& as_u256(const abi::Value& v) { return *v.get_if<U256>(); }
const Address& as_address(const abi::Value& v) { return *v.get_if<Address>(); }
/// The last element of a uint256[] result (getAmountsOut) or the first (getAmountsIn).
U256 list_at(const abi::Value& v, bool last) {
  const auto& list = *v.get_if<abi::Value::List>();
  return as_u256(last ? list.back() : list.front());
}

/// Log-uniform amounts from 1 to about 4x `scale`, with the edges 0 and 1 included.
U256 random_amount(std::mt19937_64& rng, const U256& scale) {
  const unsigned bits = scale.bit_length() + 2;
  const unsigned n = static_cast<unsigned>(rng() % (bits + 1));
  U256 v{rng(), rng(), rng(), rng()};
  v = n == 0 ? U256{} : v >> (256 - n);
  return v;
}

/// Sends a transaction from an account anvil impersonates; requires it to succeed. The gas limit is explicit:
/// anvil's estimate can fall short for a swap because UniswapV2Pair._update writes the price accumulators only
/// when the block timestamp moved since the last update, which may differ between estimate and mined block.
void send(RpcClient& rpc, const Address& from, const Address& to, const std::string& signature,
          const std::vector<abi::Value>& args) {
  const abi::Function f = abi::Function::parse(signature).value();
  const Bytes data = abi::encode_call(f, args).value();
  const std::string hash = rpc.call("eth_sendTransaction", R"([{"from":")" + from.hex() + R"(","to":")" + to.hex() +
                                                               R"(","gas":"0x7a120","data":")" + to_hex(data) + R"("}])");
  const std::string receipt = rpc.wait_for_receipt(hash);
  REQUIRE_MESSAGE(receipt.find(R"("status":"0x1")") != std::string::npos, signature << ": " << receipt);
}

U256 balance_of(RpcClient& rpc, const Address& token, const Address& owner) {
  return as_u256(call(rpc, token, "balanceOf(address)(uint256)", {owner}).value()[0]);
}

}  // namespace

TEST_CASE("integration: Uniswap v2 math equals Router02 getAmountsOut and getAmountsIn on the real pair") {
  Devnet devnet(10);
  const simdjson::dom::element& m = devnet.manifest();
  RpcClient rpc{std::string(std::string_view(m["rpc_http"]))};
  const Address router = parse_address(std::string_view(m["uniswap_v2"]["router"])).value();
  const Address pair = parse_address(std::string_view(m["uniswap_v2"]["pairs"]["WETH/USDC"])).value();
  const Address weth = parse_address(std::string_view(m["tokens"]["WETH"])).value();
  const Address usdc = parse_address(std::string_view(m["tokens"]["USDC"])).value();

  const auto reserves = call(rpc, pair, "getReserves()(uint112,uint112,uint32)", {});
  const auto token0 = call(rpc, pair, "token0()(address)", {});
  REQUIRE(reserves.has_value());
  REQUIRE(token0.has_value());
  const bool weth_is_0 = as_address((*token0)[0]) == weth;
  const U256 r0 = as_u256((*reserves)[0]), r1 = as_u256((*reserves)[1]);
  const U256 r_weth = weth_is_0 ? r0 : r1, r_usdc = weth_is_0 ? r1 : r0;
  MESSAGE("WETH/USDC reserves: " << r_weth.to_dec() << " / " << r_usdc.to_dec());

  const std::uint64_t seed = diff_seed();
  std::mt19937_64 rng(seed);
  struct Direction {
    Address in, out;
    U256 r_in, r_out;
  };
  const Direction directions[] = {{weth, usdc, r_weth, r_usdc}, {usdc, weth, r_usdc, r_weth}};
  int compared = 0, reverted = 0;
  for (const Direction& d : directions) {
    const abi::Value path = abi::Value::List{d.in, d.out};
    for (int i = 0; i < 1000; ++i) {
      // getAmountsOut(amountIn, [in, out])
      const U256 amount_in = random_amount(rng, d.r_in);
      const auto ours_out = risk::get_amount_out(amount_in, d.r_in, d.r_out);
      const auto theirs_out = call(rpc, router, "getAmountsOut(uint256,address[])(uint256[])", {amount_in, path});
      INFO("seed " << seed << " amount_in " << amount_in.to_dec());
      REQUIRE(ours_out.has_value() == theirs_out.has_value());
      if (ours_out) CHECK(list_at((*theirs_out)[0], true) == *ours_out);
      // getAmountsIn(amountOut, [in, out]): amounts up to ~4x the reserve, so some reach it and revert.
      const U256 amount_out = random_amount(rng, d.r_out);
      const auto ours_in = risk::get_amount_in(amount_out, d.r_in, d.r_out);
      const auto theirs_in = call(rpc, router, "getAmountsIn(uint256,address[])(uint256[])", {amount_out, path});
      INFO("seed " << seed << " amount_out " << amount_out.to_dec());
      REQUIRE(ours_in.has_value() == theirs_in.has_value());
      if (ours_in) CHECK(list_at((*theirs_in)[0], false) == *ours_in);
      compared += 2;
      reverted += !ours_out + !ours_in;
    }
  }
  MESSAGE(compared << " amounts compared, " << reverted << " reverted on both sides");
  CHECK(reverted > 0);
  CHECK(reverted < compared / 2);

  // Real swaps: the pair must end where swap_exact_in says, and pay what it says.
  const Address liquidator = parse_address(std::string_view(m["liquidator"]["address"])).value();
  rpc.call_raw("anvil_impersonateAccount", R"([")" + liquidator.hex() + R"("])");
  for (const Address& token : {weth, usdc})
    send(rpc, liquidator, token, "approve(address,uint256)(bool)", {router, U256::max()});
  risk::Pool pool{pair, weth_is_0 ? weth : usdc, weth_is_0 ? usdc : weth, r0, r1, 18, 6};
  if (!weth_is_0) std::swap(pool.decimals0, pool.decimals1);
  for (int i = 0; i < 40; ++i) {
    const Direction& d = directions[i % 2];
    // Up to ~50 WETH or ~150,000 USDC (the liquidator holds 1,000 WETH and 10,000,000 USDC).
    const U256 scale = d.in == weth ? U256{50} * pow10(18) : U256{150'000} * pow10(6);
    const U256 amount_in = U256{1} + U256{rng()} % scale;
    const auto predicted = risk::swap_exact_in(pool, d.in, amount_in);
    REQUIRE(predicted.has_value());
    const U256 before = balance_of(rpc, d.out, liquidator);
    send(rpc, liquidator, router, "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)(uint256[])",
         {amount_in, U256{0}, abi::Value::List{d.in, d.out}, liquidator, U256{1} << 64});
    INFO("seed " << seed << " swap " << i << " amount_in " << amount_in.to_dec());
    CHECK(balance_of(rpc, d.out, liquidator) - before == predicted->amount_out);
    const auto now = call(rpc, pair, "getReserves()(uint112,uint112,uint32)", {});
    REQUIRE(now.has_value());
    CHECK(as_u256((*now)[0]) == predicted->after.reserve0);
    CHECK(as_u256((*now)[1]) == predicted->after.reserve1);
    pool = predicted->after;
  }
}
