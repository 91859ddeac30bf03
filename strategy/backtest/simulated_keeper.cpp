#include "strategy/backtest/simulated_keeper.hpp"

#include "strategy/plan/valuation.hpp"
#include "strategy/risk/route.hpp"

#include <algorithm>
#include <utility>

namespace sluice::backtest {

namespace {

/// a - b, or 0 when b > a.
U256 saturating_sub(const U256& a, const U256& b) { return b > a ? U256{} : a - b; }

void debit(std::map<book::AssetId, U256>& ledger, book::AssetId asset, const U256& amount) {
  const auto it = ledger.find(asset);
  if (it == ledger.end()) return;
  it->second = saturating_sub(it->second, amount);
  if (it->second.is_zero()) ledger.erase(it);
}

}  // namespace

U256 unlimited_inventory() { return U256{1} << 200; }

SimulatedKeeper::SimulatedKeeper(std::vector<std::pair<book::AssetId, U256>> inventory, bool unlimited)
    : unlimited_(unlimited) {
  for (const auto& [asset, amount] : inventory) {
    if (unlimited_)
      balances_[asset] = unlimited_inventory();
    else
      balances_[asset] = balances_[asset] + amount;
  }
}

U256& SimulatedKeeper::balance(book::AssetId asset) {
  const auto [it, inserted] = balances_.try_emplace(asset);
  if (inserted && unlimited_) it->second = unlimited_inventory();
  return it->second;
}

plan::KeeperState SimulatedKeeper::state(std::uint64_t block, const std::vector<book::PositionKey>& taken_positions,
                                         std::size_t asset_count) const {
  plan::KeeperState s;
  // balances_ is ordered by asset id; untouched ids (unlimited mode) are merged in order.
  auto it = balances_.begin();
  const std::size_t ids = unlimited_ ? asset_count : 0;
  for (std::size_t id = 0; id < ids; ++id) {
    const auto asset = static_cast<book::AssetId>(id);
    if (it != balances_.end() && it->first == asset) {
      if (!it->second.is_zero()) s.balances.emplace_back(asset, it->second);
      ++it;
    } else {
      s.balances.emplace_back(asset, unlimited_inventory());
    }
  }
  for (; it != balances_.end(); ++it)
    if (!it->second.is_zero()) s.balances.emplace_back(it->first, it->second);
  for (const auto& [asset, amount] : for_sale_)
    if (!amount.is_zero()) s.for_sale.emplace_back(asset, amount);
  s.in_flight = taken_positions;
  for (const auto& c : cooling_)
    if (block < c.second) s.cooling.push_back(c);
  s.in_flight_count = 0;
  return s;
}

std::vector<SaleResult> SimulatedKeeper::land(std::uint64_t block, const std::vector<SimulatedLiquidation>& liquidations,
                                              const std::vector<plan::SaleOrder>& sales,
                                              const std::vector<risk::Pool>& pools, const book::PositionBook& book) {
  // Entries ended by the next decision block are gone for good (state() only asks about later blocks).
  std::erase_if(cooling_, [&](const auto& c) { return c.second <= block + 1; });

  for (const auto& l : liquidations) {
    if (l.reverted) continue;
    const auto debt = book.find_asset(l.debt_token);
    const auto collateral = book.find_asset(l.collateral_token);
    if (debt) {
      auto& b = balance(*debt);
      b = saturating_sub(b, l.debt_repaid);
    }
    if (collateral && !l.collateral_seized.is_zero()) {
      auto& b = balance(*collateral);
      b = b + l.collateral_seized;
      for_sale_[*collateral] = for_sale_[*collateral] + l.collateral_seized;
    }
  }

  std::vector<risk::Pool> live = pools;  // reserves as the block's sales leave them
  std::vector<SaleResult> results;
  results.reserve(sales.size());
  for (const auto& sale : sales) {
    SaleResult r;
    r.asset = sale.asset;
    r.proceeds = sale.proceeds;
    results.push_back(r);
    if (sale.asset >= book.asset_count() || sale.proceeds >= book.asset_count()) continue;
    const U256 amount = std::min(sale.amount, balance(sale.asset));
    if (amount.is_zero()) continue;
    const Address& in = book.asset(sale.asset).address;
    const Address& out = book.asset(sale.proceeds).address;
    std::vector<risk::Pool> pair;
    std::vector<std::size_t> index;  // pair[i] is live[index[i]]
    for (std::size_t i = 0; i < live.size(); ++i)
      if ((live[i].token0 == in && live[i].token1 == out) || (live[i].token0 == out && live[i].token1 == in)) {
        pair.push_back(live[i]);
        index.push_back(i);
      }
    const auto route = risk::route_sale(pair, in, out, amount);
    if (!route) continue;
    for (const auto& leg : route->legs) live[index[leg.pool_index]] = leg.after;

    auto& held = balance(sale.asset);
    held = saturating_sub(held, amount);
    debit(for_sale_, sale.asset, amount);
    auto& got = balance(sale.proceeds);
    got = got + route->amount_out;

    auto& res = results.back();
    res.amount = amount;
    res.output = route->amount_out;
    res.slippage_usd =
        plan::usd_value(book, sale.asset, amount) - plan::usd_value(book, sale.proceeds, route->amount_out);
  }
  return results;
}

void SimulatedKeeper::cool_down(const book::PositionKey& key, std::uint64_t until_block) {
  for (auto& c : cooling_)
    if (c.first == key) {
      c.second = std::max(c.second, until_block);
      return;
    }
  cooling_.emplace_back(key, until_block);
}

}  // namespace sluice::backtest
