#pragma once
/// A hand-built `backtest::Report` for the writers' tests (tests/unit/keeper/backtest_report_test.cpp and the
/// Chromium test): blocks 100..110, two price assets, six rows (two captured, two missed, one not applicable, one
/// Sluice-only), a cascade check. Addresses use digits only so their EIP-55 form is the lowercase hex.
/// The collateral of the Morpho rows is named "A<&B" (escaping), a revert reason holds a comma and quotes (CSV
/// quoting), and USDC's price at block 100 is NaN (JSON null).

#include "strategy/backtest/report.hpp"

#include <cmath>
#include <cstdint>
#include <string>

namespace sluice::test {

inline Address digits_address(const char* last_digits) {
  std::string hex(40, '0');
  const std::string tail = last_digits;
  hex.replace(hex.size() - tail.size(), tail.size(), tail);
  return parse_address(hex).value();
}

inline Hash repeated_hash(char digit) { return Hash::from_hex(std::string(64, digit)).value(); }

inline U256 dec(const char* text) { return U256::from_dec(text).value(); }

inline backtest::Report sample_backtest_report() {
  using namespace backtest;
  const Address weth = digits_address("1001"), usdc = digits_address("1002"), odd = digits_address("1003");
  const Address keeper = digits_address("9999"), competitor = digits_address("7777");
  Report r;
  r.config_name = "sluice.toml";
  r.price_assets = {"WETH", "USDC"};
  r.symbols = {{weth, "WETH"}, {usdc, "USDC"}, {odd, "A<&B"}};

  Summary& s = r.summary;
  s.from_block = 100, s.to_block = 110, s.blocks = 11;
  s.positions_start = 40, s.positions_end = 41;
  s.opportunities = 5;
  s.sluice_liquidations = 4, s.sluice_reverted = 1;
  s.actual_liquidations = 5;
  s.captured = 2, s.missed = 2, s.not_applicable = 1, s.sluice_only = 1;
  s.capture_rate = 0.5;
  s.missed_by_reason = {{"not_seen", 1}, {"reverted_in_simulation", 1}};
  s.lead_min = 1, s.lead_median = 2, s.lead_max = 2;
  s.pnl_usd = 123.456, s.gas_usd = 4.5, s.slippage_usd = 2.25;
  s.repaid_usd = 10000, s.seized_usd = 10500.5, s.bad_debt_usd = 0;
  s.amounts_compared = 2, s.amounts_equal = 1;

  const auto aave = [](const char* account) {
    return book::PositionKey{Protocol::aave_v3, digits_address(account), {}};
  };
  const book::PositionKey morpho{Protocol::morpho_blue, digits_address("2002"), repeated_hash('1')};
  const auto event = [&](std::uint64_t block, std::uint32_t log, char tx, const book::PositionKey& key,
                         const Address& collateral, const char* repaid, const char* seized, double repaid_usd) {
    ActualLiquidation a;
    a.block = block, a.log_index = log, a.tx = repeated_hash(tx), a.liquidator = competitor, a.key = key;
    a.collateral_token = collateral, a.debt_token = usdc;
    a.debt_repaid = dec(repaid), a.collateral_seized = dec(seized);
    a.repaid_usd = repaid_usd, a.seized_usd = repaid_usd * 1.05;
    return a;
  };
  const auto sim = [&](std::uint64_t decided, const book::PositionKey& key, const Address& collateral,
                       const char* repaid, const char* seized, double profit) {
    SimulatedLiquidation x;
    x.decided_block = decided, x.key = key, x.collateral_token = collateral, x.debt_token = usdc;
    x.debt_to_cover = x.expected_debt_repaid = x.debt_repaid = dec(repaid);
    x.expected_collateral_seized = x.collateral_seized = dec(seized);
    x.simulated = true;
    x.profit_usd = profit, x.gas_usd = 1.25, x.slippage_usd = 0.5;
    return x;
  };

  LiquidationRow captured;
  captured.outcome = Outcome::captured;
  captured.actual = event(103, 2, 'a', aave("2001"), weth, "1500000000", "520000000000000000", 1500);
  captured.sluice = sim(101, aave("2001"), weth, "1500000000", "520000000000000000", 42.5);
  captured.lead_blocks = 2;
  captured.sluice_at_event = captured.sluice;
  captured.same_state = captured.amounts_equal = true;
  r.rows.push_back(captured);

  LiquidationRow morpho_row;
  morpho_row.outcome = Outcome::captured;
  morpho_row.actual = event(105, 0, 'b', morpho, odd, "2000000000", "1000000", 2000);
  morpho_row.sluice = sim(104, morpho, odd, "1999999999", "999999", 30);
  morpho_row.lead_blocks = 1;
  morpho_row.sluice_at_event = sim(104, morpho, odd, "1999999999", "999999", 30);
  morpho_row.same_state = true;
  r.rows.push_back(morpho_row);

  LiquidationRow not_seen;
  not_seen.outcome = Outcome::missed;
  not_seen.reason = "not_seen";
  not_seen.actual = event(106, 1, 'c', aave("2003"), weth, "100000000", "35000000000000000", 100);
  r.rows.push_back(not_seen);

  LiquidationRow reverted;
  reverted.outcome = Outcome::missed;
  reverted.reason = "reverted_in_simulation";
  reverted.actual = event(107, 4, 'd', aave("2005"), weth, "300000000", "105000000000000000", 300);
  reverted.sluice = sim(106, aave("2005"), weth, "300000000", "105000000000000000", 0);
  reverted.sluice->reverted = true;
  reverted.sluice->revert_reason = R"(Error("HF, "not" below 1"))";
  r.rows.push_back(reverted);

  LiquidationRow own;
  own.outcome = Outcome::not_applicable;
  own.reason = "own";
  own.actual = event(108, 0, 'e', aave("2006"), weth, "50000000", "17000000000000000", 50);
  own.actual->liquidator = keeper;
  r.rows.push_back(own);

  LiquidationRow only;
  only.outcome = Outcome::sluice_only;
  only.sluice = sim(109, aave("2004"), weth, "100", "35", 0.75);
  r.rows.push_back(only);

  for (std::uint64_t b = 100; b <= 110; ++b) {
    BlockPoint p;
    p.block = b;
    p.timestamp = 1'610'000'000 + 12 * (b - 100);
    p.base_fee = dec("30000000000");
    p.prices_usd = {3000.0 - 60.0 * static_cast<double>(b - 100), b == 100 ? std::nan("") : 1.0};
    p.liquidatable = b >= 102 ? 2 : 0;
    p.sluice_taken = b == 101 || b == 104 || b == 106 || b == 109 ? 1 : 0;
    p.actual = b == 103 || b == 105 || b == 106 || b == 107 || b == 108 ? 1 : 0;
    p.cumulative_pnl_usd = b < 103 ? 0.0 : b < 105 ? 42.5 : b < 109 ? 72.5 : 73.25;
    r.blocks.push_back(p);
  }

  CascadeCheck& c = r.cascade;
  c.ran = true;
  c.start_block = 101;
  c.asset = "WETH";
  c.start_price_usd = 2940, c.min_price_usd = 2400;
  c.coupling = "full";
  c.predicted_liquidated_usd = 5000, c.predicted_final_price_usd = 2350, c.predicted_liquidations = 3;
  c.realized_liquidated_usd = 4500, c.realized_liquidations = 4, c.realized_positions = 3;
  c.path_predicted_liquidated_usd = 4500, c.path_predicted_positions = 3;
  c.co_moves = "WBTC x0.50";
  for (std::uint64_t b = 101; b <= 110; ++b)
    c.points.push_back({b, -2.0 * static_cast<double>(b - 101), 500.0 * static_cast<double>(b - 101),
                        b >= 103 ? 1500.0 : 0.0});
  return r;
}

}  // namespace sluice::test
