#include "strategy/plan/calldata.hpp"

#include "chain/abi/encode.hpp"
#include "strategy/core/abi_io.hpp"

#include <cstdlib>
#include <vector>

namespace sluice::plan {

namespace {

/// Encodes a call whose argument shapes are fixed by this file: encoding cannot fail (every U256 fits uint256,
/// every address is 20 bytes), so a failure is a programming error.
Bytes encode(const abi::Function& f, std::vector<abi::Value> args) {
  auto data = abi::encode_call(f, args);
  if (!data) std::abort();
  return std::move(*data);
}

abi::Value addresses(std::span<const Address> path) {
  abi::Value::List list;
  list.reserve(path.size());
  for (const auto& a : path) list.emplace_back(a);
  return abi::Value{std::move(list)};
}

}  // namespace

Bytes aave_liquidation_call(const Address& collateral, const Address& debt, const Address& user,
                            const U256& debt_to_cover, bool receive_a_token) {
  static const auto f = abi_io::function("liquidationCall(address,address,address,uint256,bool)");
  return encode(f, {collateral, debt, user, debt_to_cover, receive_a_token});
}

Bytes morpho_liquidate(const morpho::MarketParams& market, const Address& borrower, const U256& seized_assets,
                       const U256& repaid_shares) {
  static const auto f =
      abi_io::function("liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)");
  abi::Value params{abi::Value::List{market.loan_token, market.collateral_token, market.oracle, market.irm,
                                     market.lltv}};
  return encode(f, {std::move(params), borrower, seized_assets, repaid_shares, Bytes{}});
}

Bytes erc20_approve(const Address& spender, const U256& amount) {
  static const auto f = abi_io::function("approve(address,uint256)");
  return encode(f, {spender, amount});
}

Bytes erc20_balance_of(const Address& owner) {
  static const auto f = abi_io::function("balanceOf(address)");
  return encode(f, {owner});
}

Bytes erc20_allowance(const Address& owner, const Address& spender) {
  static const auto f = abi_io::function("allowance(address,address)");
  return encode(f, {owner, spender});
}

Bytes uniswap_v2_swap_exact_tokens_for_tokens(const U256& amount_in, const U256& amount_out_min,
                                              std::span<const Address> path, const Address& to,
                                              const U256& deadline) {
  static const auto f =
      abi_io::function("swapExactTokensForTokens(uint256,uint256,address[],address,uint256)");
  return encode(f, {amount_in, amount_out_min, addresses(path), to, deadline});
}

}  // namespace sluice::plan
