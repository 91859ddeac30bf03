#include "strategy/morpho/reads.hpp"

#include "strategy/core/abi_io.hpp"

#include <string>

namespace sluice::morpho::reads {

namespace {

using abi_io::address;
using abi_io::uint;

struct Abi {
  abi::Function market_params =
      abi_io::function("idToMarketParams(bytes32)((address,address,address,address,uint256))");
  abi::Function market_state =
      abi_io::function("market(bytes32)((uint128,uint128,uint128,uint128,uint128,uint128))");
  abi::Function position = abi_io::function("position(bytes32,address)((uint256,uint128,uint128))");
  abi::Function price = abi_io::function("price()(uint256)");
  abi::Function borrow_rate = abi_io::function(
      "borrowRateView((address,address,address,address,uint256),(uint128,uint128,uint128,uint128,uint128,uint128))"
      "(uint256)");
};

const Abi& abi_() {
  static const Abi a;
  return a;
}

abi::Value id_value(const MarketId& id) { return Bytes(id.bytes.begin(), id.bytes.end()); }

abi::Value params_value(const MarketParams& p) {
  return abi::Value::List{p.loan_token, p.collateral_token, p.oracle, p.irm, p.lltv};
}

abi::Value state_value(const MarketState& s) {
  return abi::Value::List{s.total_supply_assets, s.total_supply_shares, s.total_borrow_assets,
                          s.total_borrow_shares, U256{s.last_update}, s.fee};
}

DecodeResult<U256> single_uint(const char* subject, const abi::Function& f, const CallOutcome& outcome) {
  auto v = abi_io::returns(subject, f, outcome);
  if (!v) return v.error();
  return uint((*v)[0]);
}

DecodeResult<void> expect_count(const char* subject, std::size_t expected, std::size_t got) {
  if (expected == got) return {};
  return DecodeError{subject, "expected " + std::to_string(expected) + " outcomes, got " + std::to_string(got)};
}

}  // namespace

ContractCall market_params(const Address& morpho, const MarketId& id) {
  return abi_io::call(morpho, abi_().market_params, {id_value(id)});
}

DecodeResult<MarketParams> decode_market_params(const CallOutcome& outcome) {
  auto v = abi_io::returns("Morpho.idToMarketParams", abi_().market_params, outcome);
  if (!v) return v.error();
  const auto& f = abi_io::list((*v)[0]);
  return MarketParams{address(f[0]), address(f[1]), address(f[2]), address(f[3]), uint(f[4])};
}

ContractCall market_state(const Address& morpho, const MarketId& id) {
  return abi_io::call(morpho, abi_().market_state, {id_value(id)});
}

DecodeResult<MarketState> decode_market_state(const CallOutcome& outcome) {
  static constexpr const char* kSubject = "Morpho.market";
  auto v = abi_io::returns(kSubject, abi_().market_state, outcome);
  if (!v) return v.error();
  const auto& f = abi_io::list((*v)[0]);
  const U256 last_update = uint(f[4]);
  if (last_update > U256{UINT64_MAX}) return DecodeError{kSubject, "lastUpdate " + last_update.to_dec() + " overflows 64 bits"};
  MarketState s;
  s.total_supply_assets = uint(f[0]);
  s.total_supply_shares = uint(f[1]);
  s.total_borrow_assets = uint(f[2]);
  s.total_borrow_shares = uint(f[3]);
  s.last_update = last_update.limbs[0];
  s.fee = uint(f[5]);
  return s;
}

ContractCall position(const Address& morpho, const MarketId& id, const Address& user) {
  return abi_io::call(morpho, abi_().position, {id_value(id), user});
}

DecodeResult<Position> decode_position(const CallOutcome& outcome) {
  auto v = abi_io::returns("Morpho.position", abi_().position, outcome);
  if (!v) return v.error();
  const auto& f = abi_io::list((*v)[0]);
  return Position{uint(f[0]), uint(f[1]), uint(f[2])};
}

ContractCall oracle_price(const Address& oracle) { return abi_io::call(oracle, abi_().price); }
DecodeResult<U256> decode_oracle_price(const CallOutcome& outcome) {
  return single_uint("Morpho IOracle.price", abi_().price, outcome);
}

ContractCall borrow_rate(const MarketParams& params, const MarketState& state) {
  return abi_io::call(params.irm, abi_().borrow_rate, {params_value(params), state_value(state)});
}
DecodeResult<U256> decode_borrow_rate(const CallOutcome& outcome) {
  return single_uint("Morpho IIrm.borrowRateView", abi_().borrow_rate, outcome);
}

void append_market_head_calls(std::vector<ContractCall>& calls, const Address& morpho, const MarketId& id) {
  calls.push_back(market_params(morpho, id));
  calls.push_back(market_state(morpho, id));
}

std::size_t market_tail_call_count(const MarketParams& params) noexcept { return params.irm.is_zero() ? 1 : 2; }

void append_market_tail_calls(std::vector<ContractCall>& calls, const MarketParams& params, const MarketState& state) {
  calls.push_back(oracle_price(params.oracle));
  if (!params.irm.is_zero()) calls.push_back(borrow_rate(params, state));
}

DecodeResult<Market> decode_market_head(const MarketId& id, std::span<const CallOutcome> outcomes) {
  if (auto c = expect_count("Morpho market", kMarketHeadCalls, outcomes.size()); !c) return c.error();
  auto params = decode_market_params(outcomes[0]);
  if (!params) return params.error();
  if (params->loan_token.is_zero() && params->collateral_token.is_zero() && params->oracle.is_zero())
    return DecodeError{"Morpho market " + id.hex(), "not created (idToMarketParams is empty)"};
  auto state = decode_market_state(outcomes[1]);
  if (!state) return state.error();
  Market m;
  m.id = id;
  m.params = *params;
  m.state = *state;
  return m;
}

DecodeResult<Market> decode_market_tail(Market market, std::span<const CallOutcome> outcomes) {
  if (auto c = expect_count("Morpho market", market_tail_call_count(market.params), outcomes.size()); !c)
    return c.error();
  auto price = decode_oracle_price(outcomes[0]);
  if (!price) return price.error();
  market.oracle_price = *price;
  market.borrow_rate = U256{};
  if (!market.params.irm.is_zero()) {
    auto rate = decode_borrow_rate(outcomes[1]);
    if (!rate) return rate.error();
    market.borrow_rate = *rate;
  }
  return market;
}

}  // namespace sluice::morpho::reads
