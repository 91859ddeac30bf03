#include "strategy/aave/reads.hpp"

#include "strategy/core/abi_io.hpp"

#include <string>

namespace sluice::aave::reads {

namespace {

using abi_io::address;
using abi_io::uint;

/// The signatures, parsed once.
struct Abi {
  abi::Function reserves_list = abi_io::function("getReservesList()(address[])");
  // ReserveData (DataTypes.sol, v3.0): a static struct, so its fields are inline words.
  abi::Function reserve_data = abi_io::function(
      "getReserveData(address)(((uint256),uint128,uint128,uint128,uint128,uint128,uint40,uint16,address,address,"
      "address,address,uint128,uint128,uint128))");
  abi::Function assets_prices = abi_io::function("getAssetsPrices(address[])(uint256[])");
  abi::Function asset_price = abi_io::function("getAssetPrice(address)(uint256)");
  abi::Function base_currency_unit = abi_io::function("BASE_CURRENCY_UNIT()(uint256)");
  abi::Function source_of_asset = abi_io::function("getSourceOfAsset(address)(address)");
  abi::Function emode_category =
      abi_io::function("getEModeCategoryData(uint8)((uint16,uint16,uint16,address,string))");
  abi::Function addresses_provider = abi_io::function("ADDRESSES_PROVIDER()(address)");
  abi::Function pool_configurator = abi_io::function("getPoolConfigurator()(address)");
  abi::Function user_configuration = abi_io::function("getUserConfiguration(address)((uint256))");
  abi::Function user_emode = abi_io::function("getUserEMode(address)(uint256)");
  abi::Function scaled_balance_of = abi_io::function("scaledBalanceOf(address)(uint256)");
  abi::Function principal_balance_of = abi_io::function("principalBalanceOf(address)(uint256)");
  abi::Function user_stable_rate = abi_io::function("getUserStableRate(address)(uint256)");
  abi::Function user_last_updated = abi_io::function("getUserLastUpdated(address)(uint40)");
};

const Abi& abi_() {
  static const Abi a;
  return a;
}

DecodeResult<U256> single_uint(const char* subject, const abi::Function& f, const CallOutcome& outcome) {
  auto v = abi_io::returns(subject, f, outcome);
  if (!v) return v.error();
  return uint((*v)[0]);
}

std::vector<abi::Value> address_list(std::span<const Address> assets) {
  std::vector<abi::Value> out;
  out.reserve(assets.size());
  for (const auto& a : assets) out.emplace_back(a);
  return out;
}

}  // namespace

ContractCall reserves_list(const Address& pool) { return abi_io::call(pool, abi_().reserves_list); }

DecodeResult<std::vector<Address>> decode_reserves_list(const CallOutcome& outcome) {
  auto v = abi_io::returns("Aave Pool.getReservesList", abi_().reserves_list, outcome);
  if (!v) return v.error();
  std::vector<Address> out;
  for (const auto& a : abi_io::list((*v)[0])) out.push_back(address(a));
  return out;
}

ContractCall reserve_data(const Address& pool, const Address& asset) {
  return abi_io::call(pool, abi_().reserve_data, {asset});
}

DecodeResult<Reserve> decode_reserve_data(const Address& asset, const CallOutcome& outcome) {
  auto v = abi_io::returns("Aave Pool.getReserveData", abi_().reserve_data, outcome);
  if (!v) return v.error();
  const auto& f = abi_io::list((*v)[0]);
  Reserve r;
  r.asset = asset;
  r.configuration_bitmap = uint(abi_io::list(f[0])[0]);
  r.liquidity_index = uint(f[1]);
  r.current_liquidity_rate = uint(f[2]);
  r.variable_borrow_index = uint(f[3]);
  r.current_variable_borrow_rate = uint(f[4]);
  r.current_stable_borrow_rate = uint(f[5]);
  r.last_update_timestamp = abi_io::u64(f[6]);
  r.id = static_cast<std::uint16_t>(abi_io::u64(f[7]));
  r.a_token = address(f[8]);
  r.stable_debt_token = address(f[9]);
  r.variable_debt_token = address(f[10]);
  r.interest_rate_strategy = address(f[11]);
  r.accrued_to_treasury = uint(f[12]);
  r.unbacked = uint(f[13]);
  r.isolation_mode_total_debt = uint(f[14]);
  return r;
}

ContractCall assets_prices(const Address& oracle, std::span<const Address> assets) {
  return abi_io::call(oracle, abi_().assets_prices, {abi::Value(address_list(assets))});
}

DecodeResult<std::vector<U256>> decode_assets_prices(const CallOutcome& outcome, std::size_t count) {
  static constexpr const char* kSubject = "AaveOracle.getAssetsPrices";
  auto v = abi_io::returns(kSubject, abi_().assets_prices, outcome);
  if (!v) return v.error();
  const auto& prices = abi_io::list((*v)[0]);
  if (prices.size() != count)
    return DecodeError{kSubject, "expected " + std::to_string(count) + " prices, got " + std::to_string(prices.size())};
  std::vector<U256> out;
  out.reserve(count);
  for (const auto& p : prices) out.push_back(uint(p));
  return out;
}

ContractCall asset_price(const Address& oracle, const Address& asset) {
  return abi_io::call(oracle, abi_().asset_price, {asset});
}
DecodeResult<U256> decode_asset_price(const CallOutcome& outcome) {
  return single_uint("AaveOracle.getAssetPrice", abi_().asset_price, outcome);
}

ContractCall base_currency_unit(const Address& oracle) { return abi_io::call(oracle, abi_().base_currency_unit); }
DecodeResult<U256> decode_base_currency_unit(const CallOutcome& outcome) {
  return single_uint("AaveOracle.BASE_CURRENCY_UNIT", abi_().base_currency_unit, outcome);
}

ContractCall source_of_asset(const Address& oracle, const Address& asset) {
  return abi_io::call(oracle, abi_().source_of_asset, {asset});
}
DecodeResult<Address> decode_source_of_asset(const CallOutcome& outcome) {
  return decode_address("AaveOracle.getSourceOfAsset", outcome);
}

ContractCall emode_category(const Address& pool, std::uint8_t id) {
  return abi_io::call(pool, abi_().emode_category, {U256{id}});
}

DecodeResult<EModeCategory> decode_emode_category(std::uint8_t id, const CallOutcome& outcome) {
  auto v = abi_io::returns("Aave Pool.getEModeCategoryData", abi_().emode_category, outcome);
  if (!v) return v.error();
  const auto& f = abi_io::list((*v)[0]);
  EModeCategory c;
  c.id = id;
  c.ltv_bps = static_cast<std::uint16_t>(abi_io::u64(f[0]));
  c.liquidation_threshold_bps = static_cast<std::uint16_t>(abi_io::u64(f[1]));
  c.liquidation_bonus_bps = static_cast<std::uint16_t>(abi_io::u64(f[2]));
  c.price_source = address(f[3]);
  c.label = abi_io::string(f[4]);
  return c;
}

ContractCall addresses_provider(const Address& pool) { return abi_io::call(pool, abi_().addresses_provider); }
ContractCall pool_configurator(const Address& provider) { return abi_io::call(provider, abi_().pool_configurator); }

DecodeResult<Address> decode_address(const char* subject, const CallOutcome& outcome) {
  // Every address getter has the same output shape; any of them decodes it.
  auto v = abi_io::returns(subject, abi_().source_of_asset, outcome);
  if (!v) return v.error();
  return address((*v)[0]);
}

void append_user_header_calls(std::vector<ContractCall>& calls, const Address& pool, const Address& user) {
  calls.push_back(abi_io::call(pool, abi_().user_configuration, {user}));
  calls.push_back(abi_io::call(pool, abi_().user_emode, {user}));
}

DecodeResult<UserHeader> decode_user_header(std::span<const CallOutcome> outcomes) {
  if (outcomes.size() != kUserHeaderCalls)
    return DecodeError{"Aave user", "expected " + std::to_string(kUserHeaderCalls) + " outcomes, got " +
                                        std::to_string(outcomes.size())};
  auto config = abi_io::returns("Aave Pool.getUserConfiguration", abi_().user_configuration, outcomes[0]);
  if (!config) return config.error();
  auto emode = single_uint("Aave Pool.getUserEMode", abi_().user_emode, outcomes[1]);
  if (!emode) return emode.error();
  if (*emode > U256{255}) return DecodeError{"Aave Pool.getUserEMode", "category " + emode->to_dec() + " is not a uint8"};
  UserHeader h;
  h.config.bitmap = uint(abi_io::list((*config)[0])[0]);
  h.emode_category = static_cast<std::uint8_t>(emode->limbs[0]);
  return h;
}

std::vector<std::uint16_t> used_reserves(const UserConfig& config) {
  std::vector<std::uint16_t> out;
  if (config.is_empty()) return out;
  for (std::uint16_t id = 0; id < 128; ++id)
    if (config.is_using_as_collateral_or_borrowing(id)) out.push_back(id);
  return out;
}

namespace {

constexpr std::size_t kVariableCalls = 2;  // aToken and variable debt scaled balances
constexpr std::size_t kStableCalls = 3;    // principal, rate, last updated

const Reserve* held(const MarketSnapshot& market, std::uint16_t id) {
  if (id >= market.reserves.size() || market.reserves[id].asset.is_zero()) return nullptr;
  return &market.reserves[id];
}

}  // namespace

std::size_t user_balance_call_count(const MarketSnapshot& market, const UserConfig& config) noexcept {
  std::size_t n = 0;
  if (config.is_empty()) return n;
  for (std::uint16_t id = 0; id < 128; ++id) {
    if (!config.is_using_as_collateral_or_borrowing(id)) continue;
    const Reserve* r = held(market, id);
    if (r == nullptr) continue;  // decode_user reports it
    n += kVariableCalls + (r->stable_debt_token.is_zero() ? 0 : kStableCalls);
  }
  return n;
}

void append_user_balance_calls(std::vector<ContractCall>& calls, const MarketSnapshot& market, const Address& user,
                               const UserConfig& config) {
  const Abi& a = abi_();
  for (const std::uint16_t id : used_reserves(config)) {
    const Reserve* r = held(market, id);
    if (r == nullptr) continue;
    calls.push_back(abi_io::call(r->a_token, a.scaled_balance_of, {user}));
    calls.push_back(abi_io::call(r->variable_debt_token, a.scaled_balance_of, {user}));
    if (r->stable_debt_token.is_zero()) continue;
    calls.push_back(abi_io::call(r->stable_debt_token, a.principal_balance_of, {user}));
    calls.push_back(abi_io::call(r->stable_debt_token, a.user_stable_rate, {user}));
    calls.push_back(abi_io::call(r->stable_debt_token, a.user_last_updated, {user}));
  }
}

DecodeResult<UserState> decode_user(const MarketSnapshot& market, const Address& user, const UserHeader& header,
                                    std::span<const CallOutcome> outcomes) {
  const Abi& a = abi_();
  UserState u;
  u.account = user;
  u.config = header.config;
  u.emode_category = header.emode_category;
  std::size_t next = 0;
  const auto take = [&](const char* subject, const abi::Function& f) -> DecodeResult<U256> {
    if (next >= outcomes.size()) return DecodeError{subject, "missing outcome"};
    return single_uint(subject, f, outcomes[next++]);
  };
  for (const std::uint16_t id : used_reserves(header.config)) {
    const Reserve* r = held(market, id);
    if (r == nullptr)
      return DecodeError{"Aave user " + user.hex(),
                         "configuration marks reserve " + std::to_string(id) + ", which the market snapshot lacks"};
    UserReserve ur;
    ur.reserve_id = id;
    auto scaled_a = take("Aave AToken.scaledBalanceOf", a.scaled_balance_of);
    if (!scaled_a) return scaled_a.error();
    auto scaled_v = take("Aave VariableDebtToken.scaledBalanceOf", a.scaled_balance_of);
    if (!scaled_v) return scaled_v.error();
    ur.scaled_a_token = *scaled_a;
    ur.scaled_variable_debt = *scaled_v;
    if (!r->stable_debt_token.is_zero()) {
      auto principal = take("Aave StableDebtToken.principalBalanceOf", a.principal_balance_of);
      if (!principal) return principal.error();
      auto rate = take("Aave StableDebtToken.getUserStableRate", a.user_stable_rate);
      if (!rate) return rate.error();
      auto updated = take("Aave StableDebtToken.getUserLastUpdated", a.user_last_updated);
      if (!updated) return updated.error();
      ur.stable_debt = StableDebt{*principal, *rate, updated->limbs[0]};
    }
    u.reserves.push_back(ur);
  }
  if (next != outcomes.size())
    return DecodeError{"Aave user " + user.hex(), "expected " + std::to_string(next) + " balance outcomes, got " +
                                                      std::to_string(outcomes.size())};
  return u;
}

}  // namespace sluice::aave::reads
