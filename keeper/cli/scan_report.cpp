#include "keeper/cli/scan_report.hpp"

#include "chain/rpc/json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace sluice::cli {

namespace {

const U256& wad_unit() {
  static const U256 unit = U256::from_dec("1000000000000000000").value();
  return unit;
}

double health_factor_value(const book::PositionView& v) {
  if (debt_free(v)) return std::numeric_limits<double>::infinity();
  return std::stod(wad_to_decimal(v.health_factor));
}

/// The sort key: health factor (debt-free last), then protocol, market and account bytes.
auto sort_key(const book::PositionView& v) {
  return std::make_tuple(debt_free(v) ? U256::max() : v.health_factor, static_cast<int>(v.key.protocol),
                         v.key.market.bytes, v.key.account.bytes);
}

std::string symbol_of(std::span<const book::Asset> assets, book::AssetId id) {
  if (id < assets.size() && !assets[id].symbol.empty()) return assets[id].symbol;
  return "asset#" + std::to_string(id);
}

/// HF for the table: the exact WAD truncated to 6 decimals, "inf" without debt.
std::string short_health_factor(const book::PositionView& v) {
  if (debt_free(v)) return "inf";
  const std::string full = wad_to_decimal(v.health_factor);
  return full.substr(0, full.size() - 12);
}

/// JSON numbers: never NaN or infinite (null instead).
std::string json_number(double value, const char* spec) {
  if (!std::isfinite(value)) return "null";
  return fmt::format(fmt::runtime(spec), value);
}
std::string usd(double value) { return json_number(value, "{:.2f}"); }
std::string price(double value) { return json_number(value, "{:.8g}"); }

std::string distance_percent(double distance) {
  if (!std::isfinite(distance)) return "-";
  return fmt::format("{:+.2f}%", distance * 100.0);
}

void append_string(std::string& out, std::string_view text) { rpc::append_json_string(out, text); }

std::string render_json(const std::vector<book::PositionView>& views, std::span<const book::Asset> assets) {
  std::string out = "[";
  for (std::size_t i = 0; i < views.size(); ++i) {
    const book::PositionView& v = views[i];
    out += i ? ",\n" : "\n";
    out += R"({"protocol":)";
    append_string(out, protocol_name(v.key.protocol));
    out += R"(,"account":)";
    append_string(out, to_checksum(v.key.account));
    out += R"(,"market":)";
    if (v.key.protocol == Protocol::morpho_blue)
      append_string(out, v.key.market.hex());
    else
      out += "null";
    if (debt_free(v)) {
      out += R"(,"health_factor":null,"health_factor_wad":null)";
    } else {
      out += R"(,"health_factor":)";
      append_string(out, wad_to_decimal(v.health_factor));
      out += R"(,"health_factor_wad":)";
      append_string(out, v.health_factor.to_dec());
    }
    out += R"(,"collateral_usd":)" + usd(v.collateral_usd);
    out += R"(,"debt_usd":)" + usd(v.debt_usd);
    out += R"(,"liquidatable":)";
    out += v.liquidatable ? "true" : "false";
    out += R"(,"bad_debt":)";
    out += v.bad_debt ? "true" : "false";
    std::string prices = "{", distances = "{", sides = "{";
    for (const auto& lp : v.liquidation_prices) {
      if (prices.size() > 1) prices += ',', distances += ',', sides += ',';
      append_string(prices, symbol_of(assets, lp.asset));
      append_string(distances, symbol_of(assets, lp.asset));
      append_string(sides, symbol_of(assets, lp.asset));
      prices += ":" + price(lp.price_usd);
      distances += ":" + json_number(lp.distance, "{:.6f}");
      sides += lp.liquidatable_below ? R"(:"below")" : R"(:"above")";
    }
    out += R"(,"liquidation_prices":)" + prices + "}";
    out += R"(,"liquidation_distances":)" + distances + "}";
    out += R"(,"liquidation_sides":)" + sides + "}";
    if (v.liquidatable && v.best_liquidation) {
      const book::BestLiquidation& b = *v.best_liquidation;
      out += R"(,"best_liquidation":{"collateral":)";
      append_string(out, symbol_of(assets, b.collateral));
      out += R"(,"debt":)";
      append_string(out, symbol_of(assets, b.debt));
      out += R"(,"debt_repaid":)";
      append_string(out, b.debt_repaid.to_dec());
      out += R"(,"collateral_seized":)";
      append_string(out, b.collateral_seized.to_dec());
      out += R"(,"gross_profit_usd":)" + usd(b.gross_profit_usd) + "}";
    }
    out += '}';
  }
  out += views.empty() ? "]\n" : "\n]\n";
  return out;
}

constexpr const char* kRow = "{:<11} {:<10} {:<42} {:>14} {:>14} {:>10} {:<6} {:>14} {:>9} {:<3} {:>16}\n";

std::string render_table(const std::vector<book::PositionView>& views, std::span<const book::Asset> assets) {
  std::string out = fmt::format(fmt::runtime(kRow), "PROTOCOL", "MARKET", "ACCOUNT", "COLLATERAL_USD", "DEBT_USD",
                                "HF", "MAIN", "LIQ_PRICE", "DISTANCE", "LIQ", "GROSS_PROFIT_USD");
  std::size_t liquidatable = 0, bad_debt = 0;
  for (const book::PositionView& v : views) {
    liquidatable += v.liquidatable && !v.bad_debt ? 1 : 0;
    bad_debt += v.bad_debt ? 1 : 0;
    const std::string market =
        v.key.protocol == Protocol::morpho_blue ? v.key.market.hex().substr(0, 10) : std::string("-");
    std::string main = "-", liq_price = "-", distance = "-";
    if (!v.liquidation_prices.empty()) {
      const book::LiquidationPrice& lp = v.liquidation_prices.front();
      main = symbol_of(assets, lp.asset);
      liq_price = price(lp.price_usd);
      distance = distance_percent(lp.distance);
    }
    const std::string profit =
        v.liquidatable && v.best_liquidation ? usd(v.best_liquidation->gross_profit_usd) : std::string("-");
    out += fmt::format(fmt::runtime(kRow), protocol_name(v.key.protocol), market, to_checksum(v.key.account),
                       usd(v.collateral_usd), usd(v.debt_usd), short_health_factor(v), main, liq_price, distance,
                       v.bad_debt ? "bad" : v.liquidatable ? "yes" : "no", profit);
  }
  out += fmt::format("{} position{}, {} liquidatable", views.size(), views.size() == 1 ? "" : "s", liquidatable);
  out += bad_debt ? fmt::format(", {} with bad debt (no collateral left to seize)\n", bad_debt) : "\n";
  return out;
}

}  // namespace

std::string wad_to_decimal(const U256& wad) {
  const auto [whole, fraction] = divmod(wad, wad_unit());
  std::string digits = fraction.to_dec();
  return whole.to_dec() + "." + std::string(18 - digits.size(), '0') + digits;
}

bool debt_free(const book::PositionView& view) noexcept {
  return view.debt.empty() || view.health_factor == U256::max();
}

std::vector<book::PositionView> select_positions(std::vector<book::PositionView> views,
                                                 const ScanReportOptions& options) {
  std::erase_if(views, [&](const book::PositionView& v) {
    const double hf = health_factor_value(v);
    return hf < options.min_health_factor || hf > options.max_health_factor;
  });
  std::stable_sort(views.begin(), views.end(),
                   [](const book::PositionView& a, const book::PositionView& b) { return sort_key(a) < sort_key(b); });
  return views;
}

std::string render_scan(std::vector<book::PositionView> views, std::span<const book::Asset> assets,
                        const ScanReportOptions& options) {
  views = select_positions(std::move(views), options);
  return options.json ? render_json(views, assets) : render_table(views, assets);
}

}  // namespace sluice::cli
