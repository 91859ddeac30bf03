#include "keeper/backtest/inventory.hpp"

#include "chain/decimal_amount.hpp"

#include <algorithm>

namespace sluice::keeper {

std::vector<std::pair<std::string, std::string>> merge_inventory(
    const std::vector<std::pair<std::string, std::string>>& base,
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  auto out = base;
  for (const auto& [symbol, amount] : overrides) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == symbol; });
    if (it != out.end()) it->second = amount;
    else out.emplace_back(symbol, amount);
  }
  return out;
}

boost::system::result<std::vector<std::pair<book::AssetId, U256>>, std::string> resolve_inventory(
    const config::KeeperConfig& config, const book::PositionBook& book,
    const std::vector<std::pair<std::string, std::string>>& inventory) {
  using Out = boost::system::result<std::vector<std::pair<book::AssetId, U256>>, std::string>;
  std::vector<std::pair<book::AssetId, U256>> out;
  for (const auto& [symbol, amount] : inventory) {
    const config::TokenConfig* token = config.token(symbol);
    if (!token) return Out(boost::system::in_place_error, "inventory: unknown symbol " + symbol + " (not in [tokens] of " +
                                                               config.source.filename().string() + ")");
    const auto asset = book.find_asset(token->address);
    if (!asset) return Out(boost::system::in_place_error, "inventory: " + symbol + " is not an asset of the followed markets");
    const std::uint8_t decimals = book.asset(*asset).decimals;
    const auto units = parse_decimal_amount(amount, decimals);
    if (!units)
      return Out(boost::system::in_place_error, "inventory: " + symbol + " = '" + amount +
                                                    "': expected a whole-token amount with at most " +
                                                    std::to_string(decimals) + " decimals");
    out.emplace_back(*asset, *units);
  }
  return out;
}

}  // namespace sluice::keeper
