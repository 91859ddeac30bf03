#include "keeper/cli/backtest_report.hpp"

#include "chain/rpc/json.hpp"
#include "keeper/daemon/json_fields.hpp"

#include <fmt/format.h>

#include <cmath>
#include <initializer_list>

namespace sluice::cli {

namespace {

using namespace keeper::json_fields;
using backtest::LiquidationRow;
using backtest::Report;
using backtest::SimulatedLiquidation;

/// Either side of a row names the position and its tokens; the on-chain event first.
const book::PositionKey& row_key(const LiquidationRow& row) {
  static const book::PositionKey none;
  return row.actual ? row.actual->key : row.sluice ? row.sluice->key : none;
}

std::string market_hex(const book::PositionKey& key) {
  return key.protocol == Protocol::morpho_blue ? key.market.hex() : std::string();
}

std::string csv_number(double value) { return std::isfinite(value) ? backtest_number(value) : std::string(); }
const char* bool_text(bool b) { return b ? "true" : "false"; }

template <class T, class F>
std::string if_present(const std::optional<T>& value, F&& show) {
  return value ? show(*value) : std::string();
}

/// RFC 4180: quoted (with doubled quotes) when it holds a comma, a quote, CR or LF.
std::string csv_field(const std::string& cell) {
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (const char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + '"';
}

std::string json_text(std::string_view text) {
  std::string out;
  rpc::append_json_string(out, text);
  return out;
}
/// `[` + one element a line + `]`, as the cascade JSON lays out its arrays.
template <class T, class F>
std::string json_lines(const std::vector<T>& items, F&& element) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\n  " : "\n  ") + element(items[i]);
  return out + (items.empty() ? "]" : "\n ]");
}

void raw_field(std::string& out, std::string_view name, const std::string& json) {
  key(out, name);
  out += json;
}
void u256_field(std::string& out, std::string_view name, const U256& value) {
  string_field(out, name, value.to_dec());
}
void number_field(std::string& out, std::string_view name, double value) {
  raw_field(out, name, backtest_number(value));
}
/// Runs of integer and double fields (each in the order given).
void count_fields(std::string& out, std::initializer_list<std::pair<std::string_view, std::uint64_t>> fields) {
  for (const auto& [name, value] : fields) raw_field(out, name, std::to_string(value));
}
void number_fields(std::string& out, std::initializer_list<std::pair<std::string_view, double>> fields) {
  for (const auto& [name, value] : fields) number_field(out, name, value);
}
template <class T>
void optional_field(std::string& out, std::string_view name, const std::optional<T>& value) {
  raw_field(out, name, value ? std::to_string(*value) : std::string("null"));
}

/// The position and its tokens, shared by the on-chain and simulated objects.
void position_fields(std::string& out, const Report& report, const book::PositionKey& position,
                     const Address& collateral, const Address& debt) {
  string_field(out, "protocol", protocol_name(position.protocol));
  string_field(out, "account", to_checksum(position.account));
  raw_field(out, "market",
            position.protocol == Protocol::morpho_blue ? json_text(position.market.hex()) : std::string("null"));
  string_field(out, "collateral", token_label(report, collateral));
  string_field(out, "collateral_token", to_checksum(collateral));
  string_field(out, "debt", token_label(report, debt));
  string_field(out, "debt_token", to_checksum(debt));
}

std::string actual_json(const Report& report, const backtest::ActualLiquidation& a) {
  std::string out = "{";
  count_fields(out, {{"block", a.block}, {"log_index", a.log_index}});
  string_field(out, "tx", a.tx.hex());
  string_field(out, "liquidator", to_checksum(a.liquidator));
  position_fields(out, report, a.key, a.collateral_token, a.debt_token);
  u256_field(out, "debt_repaid", a.debt_repaid);
  u256_field(out, "collateral_seized", a.collateral_seized);
  u256_field(out, "bad_debt", a.bad_debt);
  number_fields(out, {{"repaid_usd", a.repaid_usd}, {"seized_usd", a.seized_usd}, {"bad_debt_usd", a.bad_debt_usd}});
  return out + "}";
}

std::string simulated_json(const Report& report, const std::optional<SimulatedLiquidation>& sim) {
  if (!sim) return "null";
  const SimulatedLiquidation& s = *sim;
  std::string out = "{";
  raw_field(out, "decided_block", std::to_string(s.decided_block));
  position_fields(out, report, s.key, s.collateral_token, s.debt_token);
  u256_field(out, "debt_to_cover", s.debt_to_cover);
  u256_field(out, "morpho_seized_assets", s.morpho_seized_assets);
  u256_field(out, "morpho_repaid_shares", s.morpho_repaid_shares);
  u256_field(out, "expected_debt_repaid", s.expected_debt_repaid);
  u256_field(out, "expected_collateral_seized", s.expected_collateral_seized);
  raw_field(out, "simulated", bool_text(s.simulated));
  raw_field(out, "reverted", bool_text(s.reverted));
  string_field(out, "revert_reason", s.revert_reason);
  u256_field(out, "debt_repaid", s.debt_repaid);
  u256_field(out, "collateral_seized", s.collateral_seized);
  number_fields(out, {{"repaid_usd", s.repaid_usd}, {"seized_usd", s.seized_usd}, {"gas_usd", s.gas_usd},
                      {"slippage_usd", s.slippage_usd}, {"profit_usd", s.profit_usd}});
  return out + "}";
}

std::string row_json(const Report& report, const LiquidationRow& row) {
  std::string out = "{";
  string_field(out, "outcome", backtest::outcome_name(row.outcome));
  string_field(out, "reason", row.reason);
  optional_field(out, "lead_blocks", row.lead_blocks);
  raw_field(out, "same_state", bool_text(row.same_state));
  raw_field(out, "amounts_equal", bool_text(row.amounts_equal));
  raw_field(out, "actual", row.actual ? actual_json(report, *row.actual) : std::string("null"));
  raw_field(out, "sluice", simulated_json(report, row.sluice));
  raw_field(out, "sluice_at_event", simulated_json(report, row.sluice_at_event));
  return out + "}";
}

std::string block_json(const backtest::BlockPoint& b) {
  std::string out = "{";
  count_fields(out, {{"block", b.block}, {"timestamp", b.timestamp}});
  u256_field(out, "base_fee", b.base_fee);
  std::string prices = "[";
  for (std::size_t i = 0; i < b.prices_usd.size(); ++i) prices += (i ? "," : "") + backtest_number(b.prices_usd[i]);
  raw_field(out, "prices_usd", prices + "]");
  count_fields(out, {{"liquidatable", b.liquidatable}, {"sluice_taken", b.sluice_taken}, {"actual", b.actual}});
  number_fields(out, {{"actual_repaid_usd", b.actual_repaid_usd}, {"sluice_repaid_usd", b.sluice_repaid_usd},
                      {"cumulative_pnl_usd", b.cumulative_pnl_usd}});
  return out + "}";
}

std::string summary_json(const backtest::Summary& s) {
  std::string out = "{";
  count_fields(out, {{"from_block", s.from_block}, {"to_block", s.to_block}, {"blocks", s.blocks},
                     {"positions_start", s.positions_start}, {"positions_end", s.positions_end},
                     {"opportunities", s.opportunities}, {"sluice_liquidations", s.sluice_liquidations},
                     {"sluice_reverted", s.sluice_reverted}, {"actual_liquidations", s.actual_liquidations},
                     {"captured", s.captured}, {"missed", s.missed}, {"not_applicable", s.not_applicable},
                     {"sluice_only", s.sluice_only}});
  number_field(out, "capture_rate", s.capture_rate);
  std::string reasons = "{";
  for (const auto& [reason, count] : s.missed_by_reason) raw_field(reasons, reason, std::to_string(count));
  raw_field(out, "missed_by_reason", reasons + "}");
  optional_field(out, "lead_min", s.lead_min);
  optional_field(out, "lead_median", s.lead_median);
  optional_field(out, "lead_max", s.lead_max);
  number_fields(out, {{"pnl_usd", s.pnl_usd}, {"gas_usd", s.gas_usd}, {"slippage_usd", s.slippage_usd},
                      {"repaid_usd", s.repaid_usd}, {"seized_usd", s.seized_usd}, {"bad_debt_usd", s.bad_debt_usd}});
  count_fields(out, {{"amounts_compared", s.amounts_compared}, {"amounts_equal", s.amounts_equal}});
  return out + "}";
}

std::string cascade_point_json(const backtest::CascadeCheck::Point& p) {
  std::string out = "{";
  count_fields(out, {{"block", p.block}});
  number_fields(out, {{"drawdown_pct", p.drawdown_pct},
                      {"predicted_liquidated_usd", p.predicted_liquidated_usd},
                      {"realized_liquidated_usd", p.realized_liquidated_usd}});
  return out + "}";
}

std::string cascade_json(const backtest::CascadeCheck& c) {
  std::string out = "{";
  raw_field(out, "ran", bool_text(c.ran));
  count_fields(out, {{"start_block", c.start_block}});
  string_field(out, "asset", c.asset);
  number_fields(out, {{"start_price_usd", c.start_price_usd}, {"min_price_usd", c.min_price_usd}});
  string_field(out, "coupling", c.coupling);
  string_field(out, "co_moves", c.co_moves);
  number_fields(out, {{"predicted_liquidated_usd", c.predicted_liquidated_usd},
                      {"predicted_final_price_usd", c.predicted_final_price_usd}});
  count_fields(out, {{"predicted_liquidations", c.predicted_liquidations}});
  number_field(out, "path_predicted_liquidated_usd", c.path_predicted_liquidated_usd);
  count_fields(out, {{"path_predicted_positions", c.path_predicted_positions}});
  number_field(out, "realized_liquidated_usd", c.realized_liquidated_usd);
  count_fields(out, {{"realized_liquidations", c.realized_liquidations}, {"realized_positions", c.realized_positions}});
  raw_field(out, "points", json_lines(c.points, cascade_point_json));
  return out + "}";
}

}  // namespace

std::string backtest_number(double value) {
  if (!std::isfinite(value)) return "null";
  return fmt::format("{}", value == 0.0 ? 0.0 : value);  // no "-0"
}

std::string token_label(const Report& report, const Address& token) {
  const auto it = report.symbols.find(token);
  return it != report.symbols.end() && !it->second.empty() ? it->second : to_checksum(token);
}

std::vector<std::pair<std::string, std::string>> backtest_summary_lines(const Report& report) {
  const backtest::Summary& s = report.summary;
  std::string reasons;
  for (const auto& [reason, count] : s.missed_by_reason)
    reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ", reason, count);
  const auto lead = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string("-"); };
  std::vector<std::pair<std::string, std::string>> lines{
      {"positions", fmt::format("{} at the start, {} at the end", s.positions_start, s.positions_end)},
      {"opportunities", std::to_string(s.opportunities)},
      {"sluice liquidations", fmt::format("{} ({} reverted in simulation)", s.sluice_liquidations, s.sluice_reverted)},
      {"on-chain liquidations", std::to_string(s.actual_liquidations)},
      {"outcomes", fmt::format("captured {}, missed {}, n.a. {}, sluice-only {}", s.captured, s.missed,
                               s.not_applicable, s.sluice_only)},
      {"capture rate", format_percent(s.capture_rate)},
      {"missed by reason", reasons.empty() ? std::string("-") : reasons},
      {"lead (blocks)", fmt::format("min {}, median {}, max {}", lead(s.lead_min), lead(s.lead_median),
                                    lead(s.lead_max))},
      {"pnl after gas", format_usd(s.pnl_usd) + " USD"},
      {"gas", format_usd(s.gas_usd) + " USD"},
      {"slippage", format_usd(s.slippage_usd) + " USD"},
      {"repaid / seized", format_usd(s.repaid_usd) + " / " + format_usd(s.seized_usd) + " USD"},
      {"bad debt seen", format_usd(s.bad_debt_usd) + " USD"},
      {"amounts compared", fmt::format("{} ({} equal)", s.amounts_compared, s.amounts_equal)}};
  const backtest::CascadeCheck& c = report.cascade;
  if (!c.ran) {
    lines.emplace_back("cascade check", "not run (no liquidatable position in the range)");
    return lines;
  }
  const double drawdown = c.start_price_usd > 0 ? c.min_price_usd / c.start_price_usd - 1.0 : NAN;
  lines.emplace_back("cascade check", fmt::format("from block {}, {} {} -> {} USD ({}){}, coupling {}", c.start_block,
                                                  c.asset, format_usd(c.start_price_usd), format_usd(c.min_price_usd),
                                                  format_percent(drawdown),
                                                  c.co_moves.empty() ? "" : " with " + c.co_moves, c.coupling));
  lines.emplace_back("  predicted", fmt::format("{} USD in {} liquidations, final price {} USD (one shock)",
                                                format_usd(c.predicted_liquidated_usd), c.predicted_liquidations,
                                                format_usd(c.predicted_final_price_usd)));
  lines.emplace_back("  along the path", fmt::format("{} USD, {} positions", format_usd(c.path_predicted_liquidated_usd),
                                                     c.path_predicted_positions));
  lines.emplace_back("  realized", fmt::format("{} USD in {} liquidations, {} positions",
                                               format_usd(c.realized_liquidated_usd), c.realized_liquidations,
                                               c.realized_positions));
  return lines;
}

Table liquidation_table(const Report& report) {
  Table t{{kCsvColumns.begin(), kCsvColumns.end()}, {}};
  for (const LiquidationRow& row : report.rows) {
    const book::PositionKey& position = row_key(row);
    const auto& a = row.actual;
    const auto& s = row.sluice;
    const auto& e = row.sluice_at_event;
    const auto token = [&](Address backtest::ActualLiquidation::*on_chain, Address SimulatedLiquidation::*sim) {
      return a ? token_label(report, (*a).*on_chain) : s ? token_label(report, (*s).*sim) : std::string();
    };
    const auto dec = [](const U256& v) { return v.to_dec(); };
    t.rows.push_back({
        backtest::outcome_name(row.outcome),
        row.reason,
        if_present(a, [](const auto& x) { return std::to_string(x.block); }),
        if_present(a, [](const auto& x) { return std::to_string(x.log_index); }),
        if_present(a, [](const auto& x) { return x.tx.hex(); }),
        if_present(a, [](const auto& x) { return to_checksum(x.liquidator); }),
        a || s ? std::string(protocol_name(position.protocol)) : std::string(),
        a || s ? to_checksum(position.account) : std::string(),
        market_hex(position),
        token(&backtest::ActualLiquidation::collateral_token, &SimulatedLiquidation::collateral_token),
        token(&backtest::ActualLiquidation::debt_token, &SimulatedLiquidation::debt_token),
        if_present(a, [&](const auto& x) { return dec(x.debt_repaid); }),
        if_present(a, [&](const auto& x) { return dec(x.collateral_seized); }),
        if_present(a, [](const auto& x) { return csv_number(x.repaid_usd); }),
        if_present(s, [](const auto& x) { return std::to_string(x.decided_block); }),
        if_present(row.lead_blocks, [](std::int64_t v) { return std::to_string(v); }),
        if_present(s, [&](const auto& x) { return dec(x.debt_repaid); }),
        if_present(s, [&](const auto& x) { return dec(x.collateral_seized); }),
        if_present(s, [](const auto& x) { return csv_number(x.profit_usd); }),
        if_present(s, [](const auto& x) { return csv_number(x.gas_usd); }),
        if_present(s, [](const auto& x) { return csv_number(x.slippage_usd); }),
        if_present(s, [](const auto& x) { return std::string(bool_text(x.reverted)); }),
        if_present(s, [](const auto& x) { return x.revert_reason; }),
        if_present(e, [&](const auto& x) { return dec(x.debt_repaid); }),
        if_present(e, [&](const auto& x) { return dec(x.collateral_seized); }),
        bool_text(row.same_state),
        bool_text(row.amounts_equal),
    });
  }
  return t;
}

std::string describe_backtest(const Report& report) {
  const backtest::Summary& s = report.summary;
  std::string out = fmt::format("blocks {}..{} ({} blocks)", s.from_block, s.to_block, s.blocks);
  return report.config_name.empty() ? out : out + ", config " + report.config_name;
}

std::string backtest_summary_text(const Report& report) {
  std::string out = "backtest: " + describe_backtest(report) + "\n";
  for (const auto& [label, value] : backtest_summary_lines(report)) out += fmt::format("{:<23}{}\n", label, value);
  return out;
}

std::string backtest_csv(const Report& report) {
  const Table t = liquidation_table(report);
  std::string out;
  const auto line = [&out](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv_field(cells[i]);
    out += '\n';
  };
  line(t.header);
  for (const auto& row : t.rows) line(row);
  return out;
}

std::string backtest_json(const Report& report) {
  std::string out = "{";
  string_field(out, "config", report.config_name);
  std::string assets = "[";
  for (std::size_t i = 0; i < report.price_assets.size(); ++i) assets += (i ? "," : "") + json_text(report.price_assets[i]);
  raw_field(out, "price_assets", assets + "]");
  raw_field(out, "summary", summary_json(report.summary));
  raw_field(out, "rows", json_lines(report.rows, [&](const LiquidationRow& row) { return row_json(report, row); }));
  raw_field(out, "blocks", json_lines(report.blocks, block_json));
  raw_field(out, "cascade", cascade_json(report.cascade));
  return out + "}\n";
}

}  // namespace sluice::cli
