#include "strategy/risk/throttle_text.hpp"

#include "strategy/risk/numeric.hpp"

#include <cmath>
#include <cstdio>

namespace sluice::risk {

namespace {

std::string printf_string(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

/// Whole dollars with thousands separators.
std::string with_separators(double whole) {
  std::string digits = printf_string("%.0f", std::fabs(whole));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (whole < 0 ? "-" : "") + out;
}

std::string trim_zeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string cluster_phrase(const ThrottlePlan& plan) {
  return format_usd_total(plan.next_cluster_debt_usd) + " of debt liquidating at " +
         format_price_usd(plan.next_cluster_price_usd) + " (cluster of " + std::to_string(plan.next_cluster_positions) +
         (plan.next_cluster_positions == 1 ? " position)" : " positions)");
}

/// "selling 96 WETH now, then up to 63.2 WETH/block over the next 5 blocks" (or just the first part).
std::string schedule_phrase(const ThrottlePlan& plan, const TextContext& text) {
  if (plan.schedule.empty()) return "not selling this block";
  std::string s = "selling " + format_amount(plan.schedule.front().amount, text.decimals, text.symbol) + " now";
  if (plan.schedule.size() == 1) return s;
  U256 most;
  for (std::size_t i = 1; i < plan.schedule.size(); ++i) most = std::max(most, plan.schedule[i].amount);
  s += ", then up to " + format_amount(most, text.decimals, text.symbol) + "/block over the next " +
       std::to_string(plan.blocks - 1) + " blocks";
  if (plan.beyond_horizon)
    s += " (past the " + std::to_string(text.config.horizon_blocks) + "-block horizon: the per-block maximum binds)";
  return s;
}

}  // namespace

std::string format_price_usd(double usd) {
  if (std::fabs(usd) < 100.0) return "$" + printf_string("%.2f", usd);
  return "$" + with_separators(usd);
}

std::string format_usd_total(double usd) {
  const double a = std::fabs(usd);
  if (a >= 1e9) return "$" + trim_zeros(printf_string("%.1f", usd / 1e9)) + "B";
  if (a >= 1e6) return "$" + trim_zeros(printf_string("%.1f", usd / 1e6)) + "M";
  if (a >= 1e4) return "$" + trim_zeros(printf_string("%.1f", usd / 1e3)) + "k";
  return "$" + with_separators(usd);
}

std::string format_amount(const U256& amount, std::uint8_t decimals, const std::string& symbol) {
  const double v = to_units(amount, decimals);
  std::string n = v >= 100.0 ? with_separators(std::floor(v)) : v >= 1.0 ? trim_zeros(printf_string("%.2f", v))
                                                                          : trim_zeros(printf_string("%.4g", v));
  return symbol.empty() ? n : n + " " + symbol;
}

std::string explain_nothing_to_sell(const TextContext& text) { return "nothing to sell: the " + text.symbol + " inventory is empty"; }

std::string explain_no_liquidity(const TextContext& text) {
  return "no pool trades " + text.symbol + (text.quote_symbol.empty() ? "" : " for " + text.quote_symbol) +
         ": nothing can be sold";
}

std::string explain(const ThrottlePlan& plan, const U256& inventory, const TextContext& text) {
  const std::string all = format_amount(inventory, text.decimals, text.symbol);
  const std::string after = format_price_usd(plan.full_sale_price_usd);
  switch (plan.reason) {
    case ThrottleReason::none: {
      std::string s = "selling all " + all + " now leaves " + text.symbol + " at " + after;
      if (plan.next_cluster_positions > 0) return s + ", above the next cluster: " + cluster_phrase(plan);
      return s + "; no cluster of " + format_usd_total(text.config.min_cluster_debt_usd) + "+ debt below " +
             format_price_usd(plan.market_price_usd);
    }
    case ThrottleReason::next_cluster:
      if (plan.schedule.empty())
        return "holding back: " + text.symbol + " at " + format_price_usd(plan.market_price_usd) + " is already within " +
               trim_zeros(printf_string("%.2f", text.config.safety_margin_bps)) + " bps of " + cluster_phrase(plan) +
               "; not selling this block";
      return "holding back: selling " + all + " now would push " + text.symbol + " to " + after + ", through " +
             cluster_phrase(plan) + "; " + schedule_phrase(plan, text) + " keeps the price above " +
             format_price_usd(plan.protected_price_usd);
    case ThrottleReason::impact_cap: {
      const double move = plan.market_price_usd > 0.0 ? (1.0 - plan.full_sale_price_usd / plan.market_price_usd) * 1e4 : 0.0;
      std::string caps = trim_zeros(printf_string("%.2f", text.config.max_impact_bps)) + " bps per block";
      if (!text.config.max_sale_per_block.is_zero())
        caps += " and " + format_amount(text.config.max_sale_per_block, text.decimals, text.symbol) + " per block";
      return "capped: selling " + all + " at once would move " + text.symbol + " " +
             trim_zeros(printf_string("%.1f", move)) + " bps to " + after + " (caps: " + caps + "); " +
             schedule_phrase(plan, text);
    }
    case ThrottleReason::bad_debt_race:
      return "selling now (bad-debt race): waiting lets bad debt grow by " + format_usd_total(plan.waiting_cost_usd) +
             " (" + format_usd_total(plan.bad_debt_growth_usd_per_block) + "/block), more than the " +
             format_usd_total(plan.sell_now_cost_usd) + " that selling " + all + " now costs (to " + after +
             ", through " + cluster_phrase(plan) + "); " + schedule_phrase(plan, text);
    case ThrottleReason::no_liquidity: return explain_no_liquidity(text);
  }
  return "";
}

}  // namespace sluice::risk
