#pragma once
/// State overrides that give an address ERC-20 balances and allowances in eth_call, for simulating what a keeper
/// holding an inventory would do (the backtest). The storage slots of `balanceOf` and `allowance` are found by
/// probing, as Foundry's `deal` does: for each candidate mapping index k (0..kMaxSlotIndex) and both key orders
/// (Solidity: keccak(key . k); Vyper: keccak(k . key)), one eth_call of balanceOf / allowance with that slot
/// overridden to a marker value tells whether the slot is the one read. Works for OpenZeppelin, Solmate, WETH9,
/// FiatToken (USDC: balances at 9, allowed at 10) and Vyper tokens; a token whose balance is not a plain mapping
/// (rebasing, proxies reading other contracts) is an error naming the token.

#include "chain/rpc/client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <span>
#include <string>

namespace sluice::keeper {

inline constexpr std::uint32_t kMaxSlotIndex = 100;

struct Erc20Layout {
  Address token;
  std::uint32_t balance_index = 0;  ///< mapping(address => uint) storage index
  bool balance_vyper_order = false;
  std::uint32_t allowance_index = 0;  ///< mapping(address => mapping(address => uint)) storage index
  bool allowance_vyper_order = false;
};

/// The slot of `owner`'s balance / of allowance[owner][spender] under a layout.
Hash balance_slot(const Erc20Layout& layout, const Address& owner);
Hash allowance_slot(const Erc20Layout& layout, const Address& owner, const Address& spender);

/// Probes `token` at `block` (a few batched eth_calls). Error: one line naming the token and what failed.
boost::asio::awaitable<boost::system::result<Erc20Layout, std::string>> probe_erc20_layout(rpc::Client& client,
                                                                                           Address token,
                                                                                           rpc::BlockTag block);

/// Adds to `overrides` (merging with an existing entry for the token): `owner` holds `amount`, and every spender
/// may take 2^256 - 1 of it.
void add_erc20_override(rpc::StateOverride& overrides, const Erc20Layout& layout, const Address& owner,
                        const U256& amount, std::span<const Address> spenders);

}  // namespace sluice::keeper
