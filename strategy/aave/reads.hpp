#pragma once
/// Aave v3.0 state reads as `ContractCall`s and their decoders into `types.hpp` (the keeper runs the calls in
/// JSON-RPC batches at one block and hands back the outcomes in order). Market: Pool.getReservesList,
/// Pool.getReserveData, AaveOracle.getAssetsPrices / BASE_CURRENCY_UNIT / getSourceOfAsset,
/// Pool.getEModeCategoryData. Users in two phases so that a batch of many users costs two round trips: phase 1
/// reads each user's configuration bitmap and eMode, phase 2 the token balances of exactly the reserves the bitmap
/// marks. Signatures from @aave/core-v3 1.19.3 (IPool.sol, IAaveOracle.sol, IScaledBalanceToken.sol,
/// IStableDebtToken.sol).

#include "strategy/aave/types.hpp"
#include "strategy/core/contract_call.hpp"
#include "strategy/core/decode_error.hpp"

#include <span>
#include <vector>

namespace sluice::aave::reads {

// ---- Market ------------------------------------------------------------------------------------------------

/// Pool.getReservesList(): the listed assets (dropped reserves are skipped by the Pool, so ids may have holes).
ContractCall reserves_list(const Address& pool);
DecodeResult<std::vector<Address>> decode_reserves_list(const CallOutcome& outcome);

/// Pool.getReserveData(asset).
ContractCall reserve_data(const Address& pool, const Address& asset);
/// The reserve as the Pool stores it: `configuration_bitmap` holds the raw ReserveConfigurationMap and `config`
/// is left default (decode it with `decode_reserve_config` of math.hpp); `symbol` is left empty.
DecodeResult<Reserve> decode_reserve_data(const Address& asset, const CallOutcome& outcome);

/// AaveOracle.getAssetsPrices(assets): one price per asset, base currency units.
ContractCall assets_prices(const Address& oracle, std::span<const Address> assets);
/// Fails unless exactly `count` prices came back.
DecodeResult<std::vector<U256>> decode_assets_prices(const CallOutcome& outcome, std::size_t count);

/// AaveOracle.getAssetPrice(asset) (for an eMode category's price source).
ContractCall asset_price(const Address& oracle, const Address& asset);
DecodeResult<U256> decode_asset_price(const CallOutcome& outcome);

/// AaveOracle.BASE_CURRENCY_UNIT() (1e8 for a USD base).
ContractCall base_currency_unit(const Address& oracle);
DecodeResult<U256> decode_base_currency_unit(const CallOutcome& outcome);

/// AaveOracle.getSourceOfAsset(asset): the Chainlink-style feed whose AnswerUpdated moves that asset's price.
ContractCall source_of_asset(const Address& oracle, const Address& asset);
DecodeResult<Address> decode_source_of_asset(const CallOutcome& outcome);

/// Pool.getEModeCategoryData(id). The decoded category's `price` is left zero: when `price_source` is set, read
/// it with `asset_price(oracle, price_source)` (GenericLogic prices the category's assets that way).
ContractCall emode_category(const Address& pool, std::uint8_t id);
DecodeResult<EModeCategory> decode_emode_category(std::uint8_t id, const CallOutcome& outcome);

/// Pool.ADDRESSES_PROVIDER() and PoolAddressesProvider.getPoolConfigurator() (the configurator emits
/// ReserveInitialized and the configuration changes).
ContractCall addresses_provider(const Address& pool);
ContractCall pool_configurator(const Address& addresses_provider);
/// A single address return value (`subject` names the call in errors).
DecodeResult<Address> decode_address(const char* subject, const CallOutcome& outcome);

// ---- Users -------------------------------------------------------------------------------------------------

/// Phase 1 for one user: Pool.getUserConfiguration(user), Pool.getUserEMode(user), in this order.
inline constexpr std::size_t kUserHeaderCalls = 2;
void append_user_header_calls(std::vector<ContractCall>& calls, const Address& pool, const Address& user);

struct UserHeader {
  UserConfig config;
  std::uint8_t emode_category = 0;
};
/// Decodes the `kUserHeaderCalls` outcomes of phase 1.
DecodeResult<UserHeader> decode_user_header(std::span<const CallOutcome> outcomes);

/// Phase 2 for one user: for every reserve the bitmap marks as collateral or borrowed, in reserve id order,
/// AToken.scaledBalanceOf and VariableDebtToken.scaledBalanceOf, then (when the reserve has a stable debt token)
/// StableDebtToken.principalBalanceOf, getUserStableRate and getUserLastUpdated.
void append_user_balance_calls(std::vector<ContractCall>& calls, const MarketSnapshot& market, const Address& user,
                               const UserConfig& config);
/// How many calls `append_user_balance_calls` appends.
std::size_t user_balance_call_count(const MarketSnapshot& market, const UserConfig& config) noexcept;
/// The user's state from phase 1 and the outcomes of its phase 2 calls. Fails when the bitmap marks a reserve the
/// snapshot does not hold (the snapshot is stale: re-read the market) or when any call failed.
DecodeResult<UserState> decode_user(const MarketSnapshot& market, const Address& user, const UserHeader& header,
                                    std::span<const CallOutcome> balance_outcomes);

/// The reserve ids a bitmap marks as collateral or borrowed, ascending.
std::vector<std::uint16_t> used_reserves(const UserConfig& config);

}  // namespace sluice::aave::reads
