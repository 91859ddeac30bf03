#include "strategy/aave/events.hpp"

#include "strategy/core/abi_io.hpp"

#include <cstdlib>
#include <string>

namespace sluice::aave::events {

namespace {

/// One followed event: which of its parameters name touched accounts, or whether it is market-wide.
struct Spec {
  abi::Event event;
  std::vector<std::size_t> accounts;  ///< parameter indexes (declaration order)
  bool market = false;
  std::string subject;

  Spec(const char* declaration, std::vector<std::size_t> account_params, bool market_wide = false)
      : event(abi_io::event(declaration)), accounts(std::move(account_params)), market(market_wide),
        subject("Aave event " + event.name) {}
};

using Specs = std::vector<Spec>;

const Specs& pool_specs() {
  static const Specs s{
      {"Supply(address indexed reserve, address user, address indexed onBehalfOf, uint256 amount, "
       "uint16 indexed referralCode)", {2}},
      {"Withdraw(address indexed reserve, address indexed user, address indexed to, uint256 amount)", {1}},
      // interestRateMode is DataTypes.InterestRateMode, an enum: uint8 in the ABI.
      {"Borrow(address indexed reserve, address user, address indexed onBehalfOf, uint256 amount, "
       "uint8 interestRateMode, uint256 borrowRate, uint16 indexed referralCode)", {2}},
      {"Repay(address indexed reserve, address indexed user, address indexed repayer, uint256 amount, "
       "bool useATokens)", {1}},
      {"LiquidationCall(address indexed collateralAsset, address indexed debtAsset, address indexed user, "
       "uint256 debtToCover, uint256 liquidatedCollateralAmount, address liquidator, bool receiveAToken)", {2}},
      {"ReserveUsedAsCollateralEnabled(address indexed reserve, address indexed user)", {1}},
      {"ReserveUsedAsCollateralDisabled(address indexed reserve, address indexed user)", {1}},
      {"UserEModeSet(address indexed user, uint8 categoryId)", {0}},
      {"SwapBorrowRateMode(address indexed reserve, address indexed user, uint8 interestRateMode)", {1}},
      {"RebalanceStableBorrowRate(address indexed reserve, address indexed user)", {1}},
      {"MintUnbacked(address indexed reserve, address user, address indexed onBehalfOf, uint256 amount, "
       "uint16 indexed referralCode)", {2}},
      {"ReserveDataUpdated(address indexed reserve, uint256 liquidityRate, uint256 stableBorrowRate, "
       "uint256 variableBorrowRate, uint256 liquidityIndex, uint256 variableBorrowIndex)", {}, true},
  };
  return s;
}

const Specs& a_token_specs() {
  static const Specs s{{"BalanceTransfer(address indexed from, address indexed to, uint256 value, uint256 index)", {0, 1}}};
  return s;
}

const Specs& configurator_specs() {
  static const Specs s{
      {"ReserveInitialized(address indexed asset, address indexed aToken, address stableDebtToken, "
       "address variableDebtToken, address interestRateStrategyAddress)", {}, true},
      {"ReserveBorrowing(address indexed asset, bool enabled)", {}, true},
      {"ReserveFlashLoaning(address indexed asset, bool enabled)", {}, true},
      {"CollateralConfigurationChanged(address indexed asset, uint256 ltv, uint256 liquidationThreshold, "
       "uint256 liquidationBonus)", {}, true},
      {"ReserveStableRateBorrowing(address indexed asset, bool enabled)", {}, true},
      {"ReserveActive(address indexed asset, bool active)", {}, true},
      {"ReserveFrozen(address indexed asset, bool frozen)", {}, true},
      {"ReservePaused(address indexed asset, bool paused)", {}, true},
      {"ReserveDropped(address indexed asset)", {}, true},
      {"ReserveFactorChanged(address indexed asset, uint256 oldReserveFactor, uint256 newReserveFactor)", {}, true},
      {"BorrowCapChanged(address indexed asset, uint256 oldBorrowCap, uint256 newBorrowCap)", {}, true},
      {"SupplyCapChanged(address indexed asset, uint256 oldSupplyCap, uint256 newSupplyCap)", {}, true},
      {"LiquidationProtocolFeeChanged(address indexed asset, uint256 oldFee, uint256 newFee)", {}, true},
      {"EModeAssetCategoryChanged(address indexed asset, uint8 oldCategoryId, uint8 newCategoryId)", {}, true},
      {"EModeCategoryAdded(uint8 indexed categoryId, uint256 ltv, uint256 liquidationThreshold, "
       "uint256 liquidationBonus, address oracle, string label)", {}, true},
      {"ReserveInterestRateStrategyChanged(address indexed asset, address oldStrategy, address newStrategy)", {},
       true},
      {"DebtCeilingChanged(address indexed asset, uint256 oldDebtCeiling, uint256 newDebtCeiling)", {}, true},
      {"SiloedBorrowingChanged(address indexed asset, bool oldState, bool newState)", {}, true},
  };
  return s;
}

const Specs& oracle_specs() {
  static const Specs s{
      {"AssetSourceUpdated(address indexed asset, address indexed source)", {}, true},
      {"FallbackOracleUpdated(address indexed fallbackOracle)", {}, true},
      {"BaseCurrencySet(address indexed baseCurrency, uint256 baseCurrencyUnit)", {}, true},
  };
  return s;
}

std::vector<Hash> topics_of(const Specs& specs, bool market) {
  std::vector<Hash> out;
  for (const auto& s : specs)
    if (s.market == market) out.push_back(s.event.topic0);
  return out;
}

DecodeResult<Touches> decode_with(const Specs& specs, const char* role, const rpc::Log& log) {
  if (log.topics.empty()) return DecodeError{std::string("Aave ") + role + " log", "no topics"};
  for (const auto& s : specs) {
    if (log.topics[0] != s.event.topic0) continue;
    auto values = abi_io::log_values(s.subject, s.event, log);
    if (!values) return values.error();
    Touches t;
    t.market = s.market;
    for (const std::size_t i : s.accounts) t.accounts.push_back(abi_io::address((*values)[i]));
    return t;
  }
  return DecodeError{std::string("Aave ") + role + " log", "unknown topic0 " + log.topics[0].hex()};
}

const Spec& liquidation_call_spec() {
  static const Spec& s = [] () -> const Spec& {
    for (const auto& spec : pool_specs())
      if (spec.event.name == "LiquidationCall") return spec;
    std::abort();  // the table above lists it
  }();
  return s;
}

}  // namespace

const Hash& liquidation_call_topic() { return liquidation_call_spec().event.topic0; }

DecodeResult<LiquidationCall> decode_liquidation_call(const rpc::Log& log) {
  const Spec& s = liquidation_call_spec();
  auto values = abi_io::log_values(s.subject, s.event, log);
  if (!values) return values.error();
  const auto& v = *values;
  return LiquidationCall{abi_io::address(v[0]), abi_io::address(v[1]), abi_io::address(v[2]), abi_io::uint(v[3]),
                         abi_io::uint(v[4]),    abi_io::address(v[5]), abi_io::boolean(v[6])};
}

std::vector<Hash> pool_account_topics() { return topics_of(pool_specs(), false); }
std::vector<Hash> pool_market_topics() { return topics_of(pool_specs(), true); }
const Hash& balance_transfer_topic() { return a_token_specs()[0].event.topic0; }
std::vector<Hash> configurator_topics() { return topics_of(configurator_specs(), true); }
std::vector<Hash> oracle_topics() { return topics_of(oracle_specs(), true); }

DecodeResult<Touches> decode_pool_log(const rpc::Log& log) { return decode_with(pool_specs(), "Pool", log); }
DecodeResult<Touches> decode_a_token_log(const rpc::Log& log) { return decode_with(a_token_specs(), "aToken", log); }
DecodeResult<Touches> decode_configurator_log(const rpc::Log& log) {
  return decode_with(configurator_specs(), "PoolConfigurator", log);
}
DecodeResult<Touches> decode_oracle_log(const rpc::Log& log) { return decode_with(oracle_specs(), "AaveOracle", log); }

}  // namespace sluice::aave::events
