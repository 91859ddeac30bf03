#pragma once
/// Simulates a liquidation exactly as the keeper's own transaction would run, with eth_call on any node that
/// takes state overrides (geth, Erigon, Reth, anvil). The keeper address is given the code of `LiquidationProbe`
/// (keeper/backtest/LiquidationProbe.sol; its runtime bytecode, compiled with solc 0.8.19, is embedded and a test
/// recompiles the source and compares), so the Pool / Morpho see msg.sender = the keeper address, as for the
/// real transaction. The probe reads the keeper's debt and collateral token balances, forwards the calldata to the
/// protocol (a revert is bubbled up unchanged, so plan::classify_revert decodes it), reads the balances again and
/// returns (debt spent, collateral received): the exact amounts for both protocols (Aave's liquidationCall
/// returns nothing).

#include "chain/rpc/client.hpp"

#include <boost/asio/awaitable.hpp>

#include <span>
#include <string>
#include <vector>

namespace sluice::keeper {

struct ProbeCall {
  Address keeper;            ///< msg.sender at the protocol (gets the probe's code in the override)
  Address target;            ///< the Aave Pool or Morpho
  Bytes calldata;            ///< plan::aave_liquidation_call / plan::morpho_liquidate
  Address debt_token;
  Address collateral_token;  ///< Aave with receiveAToken: the aToken
};

struct ProbeResult {
  bool reverted = false;
  Bytes revert_data;         ///< the protocol's revert data (reverted)
  std::string node_message;  ///< the node's error message (reverted)
  U256 debt_spent;           ///< keeper's debt-token balance before - after
  U256 collateral_received;  ///< keeper's collateral-token balance after - before
};

/// The probe's runtime bytecode.
const Bytes& liquidation_probe_code();

/// Calldata of `LiquidationProbe.probe(target, calldata, debt_token, collateral_token)` for `call` (sent to
/// `call.keeper`).
Bytes probe_calldata(const ProbeCall& call);

/// Gives `keeper` the probe's code in `overrides`, merging with an existing entry for that address (its balance,
/// nonce and storage overrides are kept; a code override there is replaced).
void add_probe_code(rpc::StateOverride& overrides, const Address& keeper);

/// One probe per call, all at `block` with `overrides` (the inventory: erc20_override.hpp; the probe's code is
/// added for each keeper address) and `block_overrides`, in one batch. An RPC failure of the batch or a call that
/// fails for another reason than a revert is an error naming eth_call and the block.
boost::asio::awaitable<rpc::RpcResult<std::vector<ProbeResult>>> probe_liquidations(
    rpc::Client& client, std::span<const ProbeCall> calls, rpc::BlockTag block, rpc::StateOverride overrides,
    rpc::BlockOverrides block_overrides = {});

}  // namespace sluice::keeper
