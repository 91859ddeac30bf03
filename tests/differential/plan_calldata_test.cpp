// Differential test: the executor's calldata (strategy/plan/calldata.hpp) against `cast calldata` (Foundry 1.7.1)
// on random arguments, byte-identical, at least 1,000 inputs per function. Seed: SLUICE_DIFF_SEED.

#include "strategy/plan/calldata.hpp"

#include "tests/support/diff_seed.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using namespace sluice;
using sluice::test::node_tool;
using sluice::test::run_process;

namespace {

constexpr int kInputs = 1000;

struct Gen {
  std::mt19937_64 rng;
  explicit Gen(std::uint64_t salt) : rng(sluice::test::diff_seed() ^ salt) {}

  Address address() {
    Address a;
    const auto kind = rng() % 8;
    for (auto& b : a.bytes) b = kind == 0 ? 0 : static_cast<std::uint8_t>(rng());
    return a;
  }
  /// Zero, small, word-boundary and full-width values, and U256 max (liquidationCall's "as much as allowed").
  U256 amount() {
    switch (rng() % 6) {
      case 0: return U256{};
      case 1: return U256::max();
      case 2: return U256{rng() % 1000};
      default: {
        const unsigned bits = 1 + static_cast<unsigned>(rng() % 256);
        U256 v{rng(), rng(), rng(), rng()};
        return bits == 256 ? v : v & ((U256{1} << bits) - U256{1});
      }
    }
  }
};

std::string arg(const Address& a) { return a.hex(); }
std::string arg(const U256& v) { return v.to_dec(); }

void check_same(const Bytes& ours, std::vector<std::string> cast_args) {
  cast_args.insert(cast_args.begin(), {node_tool("cast"), "calldata"});
  const auto theirs = run_process(cast_args);
  std::string input;
  for (std::size_t i = 2; i < cast_args.size(); ++i) input += cast_args[i] + " ";
  INFO("input: ", input);
  REQUIRE(theirs.exit_code == 0);
  CHECK(to_hex(ours) + "\n" == theirs.out);
}

}  // namespace

TEST_CASE("differential: Aave liquidationCall calldata equals cast calldata") {
  Gen g(1);
  for (int i = 0; i < kInputs; ++i) {
    const auto c = g.address(), d = g.address(), u = g.address();
    const auto amount = g.amount();
    const bool receive = g.rng() % 2 == 0;
    check_same(plan::aave_liquidation_call(c, d, u, amount, receive),
               {"liquidationCall(address,address,address,uint256,bool)", arg(c), arg(d), arg(u), arg(amount),
                receive ? "true" : "false"});
  }
}

TEST_CASE("differential: Morpho liquidate calldata equals cast calldata") {
  Gen g(2);
  for (int i = 0; i < kInputs; ++i) {
    morpho::MarketParams m{g.address(), g.address(), g.address(), g.address(), g.amount()};
    const auto borrower = g.address();
    U256 seized = g.amount(), shares = g.amount();
    (g.rng() % 2 ? seized : shares) = U256{};  // exactly one non-zero, as the executor sends it (mostly)
    const std::string params = "(" + arg(m.loan_token) + "," + arg(m.collateral_token) + "," + arg(m.oracle) + "," +
                               arg(m.irm) + "," + arg(m.lltv) + ")";
    check_same(plan::morpho_liquidate(m, borrower, seized, shares),
               {"liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)", params,
                arg(borrower), arg(seized), arg(shares), "0x"});
  }
}

TEST_CASE("differential: ERC-20 approve, balanceOf, allowance calldata equal cast calldata") {
  Gen g(3);
  for (int i = 0; i < kInputs; ++i) {
    const auto spender = g.address(), owner = g.address();
    const auto amount = g.amount();
    check_same(plan::erc20_approve(spender, amount), {"approve(address,uint256)", arg(spender), arg(amount)});
    check_same(plan::erc20_balance_of(owner), {"balanceOf(address)", arg(owner)});
    check_same(plan::erc20_allowance(owner, spender), {"allowance(address,address)", arg(owner), arg(spender)});
  }
}

TEST_CASE("differential: Uniswap v2 swapExactTokensForTokens calldata equals cast calldata") {
  Gen g(4);
  for (int i = 0; i < kInputs; ++i) {
    const auto in = g.amount(), min_out = g.amount(), deadline = g.amount();
    std::vector<Address> path(g.rng() % 5);
    std::string path_arg = "[";
    for (std::size_t k = 0; k < path.size(); ++k) {
      path[k] = g.address();
      path_arg += (k ? "," : "") + arg(path[k]);
    }
    path_arg += "]";
    const auto to = g.address();
    check_same(plan::uniswap_v2_swap_exact_tokens_for_tokens(in, min_out, path, to, deadline),
               {"swapExactTokensForTokens(uint256,uint256,address[],address,uint256)", arg(in), arg(min_out),
                path_arg, arg(to), arg(deadline)});
  }
}
