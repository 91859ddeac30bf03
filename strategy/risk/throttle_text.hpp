#pragma once
/// The throttle plan's one-line explanation (logs, `sluice cascade`, the HTML report), and the number formats it
/// uses: prices "$2,431" (cents below $100), USD totals "$1.2M" / "$12.3k" / "$950", token amounts "412 WETH".

#include "chain/u256.hpp"
#include "strategy/risk/throttle.hpp"

#include <cstdint>
#include <string>

namespace sluice::risk {

struct TextContext {
  std::string symbol;  ///< of the asset sold
  std::uint8_t decimals = 18;
  std::string quote_symbol;  ///< what it is sold for ("" when unknown)
  ThrottleConfig config;
};

std::string format_price_usd(double usd);
std::string format_usd_total(double usd);
std::string format_amount(const U256& amount, std::uint8_t decimals, const std::string& symbol);

std::string explain_nothing_to_sell(const TextContext& text);
std::string explain_no_liquidity(const TextContext& text);
/// For a plan with its reason, caps and schedule filled in.
std::string explain(const ThrottlePlan& plan, const U256& inventory, const TextContext& text);

}  // namespace sluice::risk
