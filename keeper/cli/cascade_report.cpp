#include "keeper/cli/cascade_report.hpp"

#include "chain/rpc/json.hpp"
#include "strategy/risk/numeric.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sluice::cli {

namespace {

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "-";
  return fmt::format("{:.{}f}", value, decimals);
}
std::string price(double usd) { return fixed(usd, 2); }

std::size_t toxic_count(const risk::CascadeRound& round) {
  return static_cast<std::size_t>(std::count_if(round.liquidations.begin(), round.liquidations.end(),
                                                [](const risk::ModelLiquidation& l) { return l.toxic; }));
}

void field(std::string& out, const char* key, const std::string& json_value, bool first = false) {
  if (!first) out += ',';
  rpc::append_json_string(out, key);
  out += ':';
  out += json_value;
}
std::string json_string(std::string_view text) {
  std::string out;
  rpc::append_json_string(out, text);
  return out;
}
std::string json_bool(bool b) { return b ? "true" : "false"; }

/// The summary of one cascade: the `totals` of a shock and each point of a grid.
std::string summary_json(const risk::CascadeResult& r) {
  std::string out = "{";
  field(out, "shock", json_number(r.shock, 6), true);
  field(out, "initial_price", json_number(r.initial_price, 4));
  field(out, "shocked_price", json_number(r.shocked_price, 4));
  field(out, "rounds", std::to_string(r.rounds.size()));
  field(out, "liquidations", std::to_string(r.liquidations));
  field(out, "positions_liquidated", std::to_string(r.positions_liquidated));
  field(out, "liquidated_debt_usd", json_number(r.liquidated_debt_usd, 2));
  field(out, "collateral_sold_usd", json_number(r.collateral_sold_usd, 2));
  field(out, "final_price", json_number(r.final_price, 4));
  field(out, "final_oracle_price", json_number(r.final_oracle_price, 4));
  field(out, "slippage_usd", json_number(r.slippage_usd, 2));
  field(out, "liquidator_profit_usd", json_number(r.liquidator_profit_usd, 2));
  field(out, "bad_debt_usd", json_number(r.bad_debt_usd, 2));
  field(out, "toxic_liquidations", std::to_string(r.toxic_liquidations));
  field(out, "reverted_calls", std::to_string(r.reverted_calls));
  field(out, "hit_round_limit", json_bool(r.hit_round_limit));
  return out + "}";
}

std::string round_json(const risk::CascadeRound& round, std::uint8_t decimals) {
  std::string out = "{";
  field(out, "round", std::to_string(round.index), true);
  field(out, "liquidations", std::to_string(round.liquidations.size()));
  field(out, "toxic_liquidations", std::to_string(toxic_count(round)));
  field(out, "debt_repaid_usd", json_number(round.debt_repaid_usd, 2));
  field(out, "collateral_sold", json_string(round.collateral_sold.to_dec()));
  field(out, "collateral_sold_tokens", json_number(risk::to_units(round.collateral_sold, decimals), 6));
  field(out, "collateral_sold_usd", json_number(round.collateral_sold_usd, 2));
  field(out, "market_price_before", json_number(round.market_price_before, 4));
  field(out, "market_price_after", json_number(round.market_price_after, 4));
  field(out, "oracle_price_before", json_number(round.oracle_price_before, 4));
  field(out, "oracle_price_after", json_number(round.oracle_price_after, 4));
  field(out, "slippage_bps", json_number(round.slippage_bps, 2));
  field(out, "slippage_usd", json_number(round.slippage_usd, 2));
  return out + "}";
}

std::string per_protocol(const std::array<double, risk::kProtocolCount>& usd) {
  std::string out = "{";
  for (const Protocol p : {Protocol::aave_v3, Protocol::morpho_blue})
    field(out, std::string(protocol_name(p)).c_str(), json_number(usd[static_cast<std::size_t>(p)], 2),
          p == Protocol::aave_v3);
  return out + "}";
}

std::string map_json(const risk::LiquidationMap& map) {
  std::string out = "{";
  field(out, "current_price", json_number(map.reference_price_usd, 4), true);
  field(out, "floor_price", json_number(map.floor_price_usd, 4));
  std::string buckets = "[";
  for (std::size_t i = 0; i < map.buckets.size(); ++i) {
    const risk::LiquidationBucket& b = map.buckets[i];
    if (i) buckets += ',';
    buckets += "\n  {";
    field(buckets, "price_low", json_number(b.price_low, 4), true);
    field(buckets, "price_high", json_number(b.price_high, 4));
    field(buckets, "positions", std::to_string(b.positions));
    field(buckets, "debt_usd", per_protocol(b.debt_usd));
    buckets += '}';
  }
  buckets += map.buckets.empty() ? "]" : "\n ]";
  field(out, "buckets", buckets);
  field(out, "at_or_above_positions", std::to_string(map.at_or_above_positions));
  field(out, "at_or_above_debt_usd", per_protocol(map.at_or_above_debt_usd));
  return out + "}";
}

}  // namespace

std::string format_usd(double usd) { return fixed(usd, 2); }

std::string format_percent(double fraction) {
  if (!std::isfinite(fraction)) return "-";
  // -0.0 and values that round to zero print as "0.00%", not "-0.00%".
  const double percent = fraction * 100.0;
  return std::fabs(percent) < 0.005 ? std::string("0.00%") : fmt::format("{:.2f}%", percent);
}

std::string json_number(double value, int decimals) {
  if (!std::isfinite(value)) return "null";
  std::string s = fmt::format("{:.{}f}", value, decimals);
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // no "-0.00"
  return s;
}

Table round_table(const risk::CascadeResult& r, const std::string& asset, std::uint8_t decimals) {
  Table t{{"ROUND", "LIQUIDATIONS", "DEBT_REPAID_USD", "SOLD_" + asset, "SOLD_USD", "MARKET_BEFORE", "MARKET_AFTER",
           "ORACLE", "SLIPPAGE_BPS"},
          {}};
  for (const risk::CascadeRound& round : r.rounds)
    t.rows.push_back({std::to_string(round.index), std::to_string(round.liquidations.size()),
                      format_usd(round.debt_repaid_usd), fixed(risk::to_units(round.collateral_sold, decimals), 4),
                      format_usd(round.collateral_sold_usd), price(round.market_price_before),
                      price(round.market_price_after), price(round.oracle_price_before),
                      fixed(round.slippage_bps, 1)});
  return t;
}

Table curve_table(const std::vector<risk::CascadeResult>& grid) {
  Table t{{"SHOCK", "PRICE", "LIQUIDATIONS", "LIQUIDATED_USD", "FINAL_PRICE", "SLIPPAGE_USD", "BAD_DEBT_USD",
           "ROUNDS"},
          {}};
  for (const risk::CascadeResult& r : grid)
    t.rows.push_back({format_percent(r.shock), price(r.shocked_price), std::to_string(r.liquidations),
                      format_usd(r.liquidated_debt_usd), price(r.final_price), format_usd(r.slippage_usd),
                      format_usd(r.bad_debt_usd), std::to_string(r.rounds.size())});
  return t;
}

std::vector<std::pair<std::string, std::string>> cascade_totals(const risk::CascadeResult& r) {
  std::vector<std::pair<std::string, std::string>> lines{
      {"rounds", std::to_string(r.rounds.size())},
      {"liquidations", fmt::format("{} ({} positions)", r.liquidations, r.positions_liquidated)},
      {"debt repaid", format_usd(r.liquidated_debt_usd) + " USD"},
      {"collateral sold", format_usd(r.collateral_sold_usd) + " USD"},
      {"final price", price(r.final_price) + " USD (oracle " + price(r.final_oracle_price) + " USD)"},
      {"slippage cost", format_usd(r.slippage_usd) + " USD"},
      {"liquidator profit", format_usd(r.liquidator_profit_usd) + " USD"},
      {"bad debt", format_usd(r.bad_debt_usd) + " USD"},
      {"toxic liquidations", std::to_string(r.toxic_liquidations)}};
  if (r.reverted_calls != 0)
    lines.emplace_back("reverted calls", fmt::format("{}: liquidations the protocol would refuse, positions left as "
                                                     "they were", r.reverted_calls));
  if (r.hit_round_limit)
    lines.emplace_back("round limit", "reached: the cascade was still running when the model stopped it");
  return lines;
}

std::string describe_cascade(const CascadeReport& report) {
  std::string what;
  if (report.single) {
    what = format_percent(report.single->shock);
  } else if (report.grid.empty()) {
    what = "no shocks";
  } else {
    what = fmt::format("{} shock{} from {} to {}", report.grid.size(), report.grid.size() == 1 ? "" : "s",
                       format_percent(report.grid.front().shock), format_percent(report.grid.back().shock));
  }
  std::string out = fmt::format("{} {} at block {}, coupling {}", report.asset, what, report.block, report.coupling);
  for (std::size_t i = 0; i < report.betas.size(); ++i)
    out += fmt::format("{}{}={}", i ? " " : ", betas ", report.betas[i].first, report.betas[i].second);
  return out;
}

std::string format_table(const Table& table) {
  std::vector<std::size_t> widths(table.header.size(), 0);
  const auto widen = [&widths](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], cells[i].size());
  };
  widen(table.header);
  for (const auto& row : table.rows) widen(row);
  std::string out;
  const auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string& cell = i < cells.size() ? cells[i] : std::string();
      if (i) out += "  ";
      out.append(widths[i] - cell.size(), ' ');
      out += cell;
    }
    out += '\n';
  };
  line(table.header);
  for (const auto& row : table.rows) line(row);
  return out;
}

std::string render_cascade_text(const CascadeReport& report) {
  std::string out = "cascade: " + describe_cascade(report);
  if (!report.single) return out + "\n" + format_table(curve_table(report.grid));
  const risk::CascadeResult& r = *report.single;
  out += ": " + price(r.initial_price) + " -> " + price(r.shocked_price) + " USD\n";
  out += format_table(round_table(r, report.asset, report.decimals));
  for (const auto& [key, value] : cascade_totals(r)) out += fmt::format("{:<20}{}\n", key, value);
  return out;
}

std::string render_cascade_json(const CascadeReport& report) {
  std::string out = "{";
  field(out, "asset", json_string(report.asset), true);
  field(out, "block", std::to_string(report.block));
  field(out, "coupling", json_string(report.coupling));
  std::string betas = "{";
  for (std::size_t i = 0; i < report.betas.size(); ++i)
    betas += (i ? "," : "") + json_string(report.betas[i].first) + ":" + json_number(report.betas[i].second, 6);
  field(out, "betas", betas + "}");
  if (report.single) {
    const risk::CascadeResult& r = *report.single;
    field(out, "mode", json_string("shock"));
    field(out, "shock", json_number(r.shock, 6));
    field(out, "initial_price", json_number(r.initial_price, 4));
    field(out, "shocked_price", json_number(r.shocked_price, 4));
    std::string rounds = "[";
    for (std::size_t i = 0; i < r.rounds.size(); ++i) rounds += (i ? ",\n  " : "\n  ") + round_json(r.rounds[i], report.decimals);
    rounds += r.rounds.empty() ? "]" : "\n ]";
    field(out, "rounds", rounds);
    field(out, "totals", summary_json(r));
  } else {
    field(out, "mode", json_string("grid"));
    std::string points = "[";
    for (std::size_t i = 0; i < report.grid.size(); ++i) points += (i ? ",\n  " : "\n  ") + summary_json(report.grid[i]);
    points += report.grid.empty() ? "]" : "\n ]";
    field(out, "points", points);
  }
  field(out, "liquidation_map", map_json(report.map));
  return out + "}\n";
}

}  // namespace sluice::cli
