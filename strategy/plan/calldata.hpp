#pragma once
/// Calldata of every transaction the executor sends (inventory mode): Aave v3 Pool.liquidationCall, Morpho Blue
/// liquidate, ERC-20 approve, Uniswap v2 Router02 swapExactTokensForTokens. Byte-identical to `cast calldata`.
#include "chain/address.hpp"
#include "chain/bytes.hpp"
#include "chain/u256.hpp"
#include "strategy/morpho/types.hpp"

#include <span>

namespace sluice::plan {

/// Pool.liquidationCall(address collateralAsset, address debtAsset, address user, uint256 debtToCover,
/// bool receiveAToken). `debt_to_cover` = U256 max asks for the close factor's maximum.
Bytes aave_liquidation_call(const Address& collateral, const Address& debt, const Address& user,
                            const U256& debt_to_cover, bool receive_a_token = false);

/// Morpho.liquidate((loanToken, collateralToken, oracle, irm, lltv), borrower, seizedAssets, repaidShares, data):
/// exactly one of `seized_assets` and `repaid_shares` is non-zero; `data` empty (no callback).
Bytes morpho_liquidate(const morpho::MarketParams& market, const Address& borrower, const U256& seized_assets,
                       const U256& repaid_shares);

/// ERC20.approve(spender, amount).
Bytes erc20_approve(const Address& spender, const U256& amount);

/// ERC20.balanceOf(owner) and allowance(owner, spender) (read by the executor for its inventory).
Bytes erc20_balance_of(const Address& owner);
Bytes erc20_allowance(const Address& owner, const Address& spender);

/// UniswapV2Router02.swapExactTokensForTokens(amountIn, amountOutMin, path, to, deadline).
Bytes uniswap_v2_swap_exact_tokens_for_tokens(const U256& amount_in, const U256& amount_out_min,
                                              std::span<const Address> path, const Address& to,
                                              const U256& deadline);

}  // namespace sluice::plan
