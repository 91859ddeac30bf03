#include "strategy/plan/sizing.hpp"

#include "strategy/aave/math.hpp"
#include "strategy/morpho/math.hpp"
#include "strategy/plan/valuation.hpp"

#include <algorithm>

namespace sluice::plan {

namespace {

Sizing skip(SkipReason reason, std::string detail) { return Sizing{std::nullopt, reason, std::move(detail)}; }

void value(const book::PositionBook& book, LiquidationOrder& o, const SlippageOf& slippage) {
  o.repaid_usd = usd_value(book, o.debt, o.expected_debt_repaid);
  o.seized_usd = usd_value(book, o.collateral, o.expected_collateral_seized);
  o.slippage_usd = slippage(o.collateral, o.expected_collateral_seized);
}

double margin(const LiquidationOrder& o) { return o.seized_usd - o.repaid_usd - o.slippage_usd; }

Sizing size_aave(const book::PositionBook& book, const book::PositionView& view, const BalanceOf& balance,
                 const SlippageOf& slippage) {
  const auto user = book.aave_user(view.key.account);
  const auto account = book.aave_account_data(view.key.account);
  if (!user || !account) return skip(SkipReason::math_error, "Aave account unknown to the book");
  const auto& market = book.aave_market();
  std::vector<std::uint16_t> collaterals, debts;
  for (const auto& r : user->reserves) {
    if (user->config.is_using_as_collateral(r.reserve_id) && !r.scaled_a_token.is_zero())
      collaterals.push_back(r.reserve_id);
    if (user->config.is_borrowing(r.reserve_id)) debts.push_back(r.reserve_id);
  }
  if (collaterals.empty() || view.bad_debt) return skip(SkipReason::bad_debt_only, "no collateral to seize");

  std::optional<LiquidationOrder> best;
  std::string error;
  bool inventory_short = false;
  bool seizes_nothing = false;
  for (const auto d : debts) {
    if (d >= market.reserves.size()) continue;
    const auto debt_id = book.find_asset(market.reserves[d].asset);
    if (!debt_id) continue;
    const U256 on_hand = balance(*debt_id);
    if (on_hand.is_zero()) {
      inventory_short = true;
      continue;
    }
    for (const auto c : collaterals) {
      if (c >= market.reserves.size()) continue;
      const auto coll_id = book.find_asset(market.reserves[c].asset);
      if (!coll_id) continue;
      const auto most = aave::liquidation(market, *user, {c, d, U256::max()}, *account);
      if (!most) {
        error = most.error().message();
        continue;
      }
      // The amount passed is the amount the math is run with, so the Pool moves exactly what is expected.
      const U256 to_cover = std::min(most->debt_repaid, on_hand);
      const auto outcome = aave::liquidation(market, *user, {c, d, to_cover}, *account);
      if (!outcome) {
        error = outcome.error().message();
        continue;
      }
      if (outcome->collateral_to_liquidator.is_zero()) {
        seizes_nothing = true;  // dust: the repaid amount buys less than one unit of collateral
        continue;
      }
      LiquidationOrder o;
      o.key = view.key;
      o.collateral = *coll_id;
      o.debt = *debt_id;
      o.debt_to_cover = to_cover;
      o.expected_debt_repaid = outcome->debt_repaid;
      o.expected_collateral_seized = outcome->collateral_to_liquidator;
      value(book, o, slippage);
      if (!best || margin(o) > margin(*best)) best = o;
    }
  }
  if (best) return Sizing{best, SkipReason::none, {}};
  if (inventory_short && error.empty()) return skip(SkipReason::no_inventory, "no debt asset on hand");
  if (seizes_nothing && error.empty())
    return skip(SkipReason::bad_debt_only, "dust: every pair would seize nothing (under one unit of collateral)");
  return skip(SkipReason::math_error, error.empty() ? "no liquidatable pair" : error);
}

Sizing size_morpho(const book::PositionBook& book, const book::PositionView& view, const BalanceOf& balance,
                   const SlippageOf& slippage) {
  const auto* market = book.morpho_market(view.key.market);
  const auto* position = book.morpho_position(view.key.market, view.key.account);
  if (!market || !position) return skip(SkipReason::math_error, "Morpho position unknown to the book");
  if (position->collateral.is_zero()) return skip(SkipReason::bad_debt_only, "no collateral to seize");
  const auto loan = book.find_asset(market->params.loan_token);
  const auto coll = book.find_asset(market->params.collateral_token);
  if (!loan || !coll) return skip(SkipReason::math_error, "Morpho market tokens unknown to the book");
  const U256 on_hand = balance(*loan);
  if (on_hand.is_zero()) return skip(SkipReason::no_inventory, "no loan token on hand");

  const auto accrued = morpho::accrue_interest(market->state, market->borrow_rate, book.timestamp());
  if (!accrued) return skip(SkipReason::math_error, accrued.error().message());
  const auto& params = market->params;
  const auto most = morpho::liquidate_max(params, *accrued, *position, market->oracle_price);
  if (!most) return skip(SkipReason::math_error, most.error().message());

  LiquidationOrder o;
  o.key = view.key;
  o.collateral = *coll;
  o.debt = *loan;
  morpho::LiquidationOutcome outcome = *most;
  if (most->repaid_assets <= on_hand) {
    // Replay liquidate_max's branch: everything seized, or every share repaid.
    // Prefer passing seizedAssets: if the oracle falls before inclusion (a crash, or the feed update mined ahead of
    // us in the block), the same seizure repays less and still succeeds, whereas repaying every share would then
    // need more collateral than there is (Panic 0x11). Shares only when seizing that amount would repay more
    // shares than the position has (rounding up) or more than the balance.
    const auto by_seized =
        morpho::liquidate(params, *accrued, *position, market->oracle_price, most->seized_assets, U256{});
    if (most->seized_assets == position->collateral ||
        (by_seized && by_seized->repaid_assets <= on_hand)) {
      o.morpho_seized_assets = most->seized_assets;
      if (by_seized) outcome = *by_seized;
    } else {
      o.morpho_repaid_shares = most->repaid_shares;
    }
  } else {
    // The largest seizedAssets whose repaid assets fit the balance: repaid is non-decreasing in seized.
    U256 lo{0}, hi = most->seized_assets;  // lo fits (nothing), hi does not
    while (hi - lo > U256{1}) {
      const U256 mid = lo + ((hi - lo) >> 1);
      const auto r = morpho::liquidate(params, *accrued, *position, market->oracle_price, mid, U256{});
      (r && r->repaid_assets <= on_hand ? lo : hi) = mid;
    }
    if (lo.is_zero()) return skip(SkipReason::no_inventory, "loan token on hand repays less than one unit seized");
    const auto capped = morpho::liquidate(params, *accrued, *position, market->oracle_price, lo, U256{});
    if (!capped) return skip(SkipReason::math_error, capped.error().message());
    outcome = *capped;
    o.morpho_seized_assets = lo;
  }
  o.debt_to_cover = outcome.repaid_assets;
  o.expected_debt_repaid = outcome.repaid_assets;
  o.expected_collateral_seized = outcome.seized_assets;
  value(book, o, slippage);
  return Sizing{o, SkipReason::none, {}};
}

}  // namespace

Sizing size_liquidation(const book::PositionBook& book, const book::PositionView& view, const BalanceOf& balance,
                        const SlippageOf& slippage) {
  return view.key.protocol == Protocol::aave_v3 ? size_aave(book, view, balance, slippage)
                                                : size_morpho(book, view, balance, slippage);
}

}  // namespace sluice::plan
