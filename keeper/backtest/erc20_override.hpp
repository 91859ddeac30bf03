#pragma once
/// State overrides that give an address ERC-20 balances and allowances in eth_call, for simulating what a keeper
/// holding an inventory would do (the backtest). The storage slots of `balanceOf` and `allowance` are found by
/// probing, in the spirit of Foundry's `deal`: for each candidate mapping index k (0..kMaxSlotIndex) and both key
/// orders (Solidity: keccak(key . k); Vyper: keccak(k . key)), the candidate slot is overridden with a marker and
/// balanceOf / allowance tells whether it is the slot read. All 202 candidates go into one eth_call each, every one
/// with its own marker (below 2^48, so narrow packed balances still return it), so the value read names the slot;
/// a second call confirms the slot found, overridden alone. Two round trips of two calls per token (cache the
/// layout per token: the engine does). Works for OpenZeppelin, Solmate, WETH9,
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

/// Probes `token` at `block` (two batches of two eth_calls). Error: one line "token <checksummed address>: ..."
/// naming what failed: the RPC error text, "balanceOf is not a plain mapping in the first 101 slots", "allowance is
/// not a plain nested mapping in the first 101 slots", or a read that is not a uint256 (no code at the address).
boost::asio::awaitable<boost::system::result<Erc20Layout, std::string>> probe_erc20_layout(rpc::Client& client,
                                                                                           Address token,
                                                                                           rpc::BlockTag block);

/// Adds to `overrides` (merging with an existing entry for the token): `owner` holds `amount`, and every spender
/// may take 2^256 - 1 of it.
void add_erc20_override(rpc::StateOverride& overrides, const Erc20Layout& layout, const Address& owner,
                        const U256& amount, std::span<const Address> spenders);

}  // namespace sluice::keeper
