// cascade_grid is a faster way to run simulate_cascade once per shock: every field of every grid point (totals and
// every round's figures; the grid drops only the liquidation lists) must equal, bit for bit, the single cascade at
// that shock. Checked on a random book (Aave accounts with 1-3 reserves, some in eMode, and Morpho positions in
// three markets; balances drawn independently, so some positions are liquidatable before any shock) under three
// market models: full coupling, a lagged oracle with WBTC's pool shallow, a deviation feed with an off-chain venue.
#include "strategy/risk/cascade.hpp"
#include "tests/unit/strategy/book_fixture.hpp"

#include <doctest/doctest.h>

#include <bit>
#include <cstdint>
#include <random>
#include <sstream>

using namespace sluice;
using namespace sluice::book;
using namespace sluice::test::book;

namespace {

struct RandomBook {
  PositionBook book;
  std::vector<morpho::Market> markets;
};

U256 draw(std::mt19937_64& rng, std::uint8_t decimals, std::uint64_t max_whole) {
  return tokens(1 + rng() % max_whole, decimals, rng() % 1'000'000);
}

/// `users` Aave accounts and `users / 4` Morpho positions, each leg worth up to ~$100k.
RandomBook random_book(std::uint64_t seed, std::uint32_t users) {
  std::mt19937_64 rng(seed);
  RandomBook out;
  out.book.set_aave_market(aave_market(kT0, &rng));
  set_usd_prices(out.book);
  out.markets = {morpho_market(kWeth, 860, kT0), morpho_market(kWbtc, 770, kT0), morpho_market(kWsteth, 945, kT0)};
  for (auto& m : out.markets) {
    m.borrow_rate = U256{1'000'000'000ULL + rng() % 5'000'000'000ULL};
    out.book.upsert_morpho_market(m);
  }
  for (std::uint32_t i = 0; i < users; ++i) {
    aave::UserState u;
    u.account = address_of(0x10, i);
    u.emode_category = rng() % 10 == 0 ? 1 : 0;
    const unsigned legs = 1 + static_cast<unsigned>(rng() % 3);
    auto r = static_cast<std::uint16_t>(rng() % std::size(kReserveSpecs));
    for (unsigned l = 0; l < legs; ++l, r = static_cast<std::uint16_t>((r + 1 + rng() % 2) % std::size(kReserveSpecs))) {
      if (u.reserve(r)) continue;
      aave::UserReserve ur;
      ur.reserve_id = r;
      const auto dec = kReserveSpecs[r].decimals;
      const auto whole = 100'000ULL * 100'000'000ULL / kReserveSpecs[r].price + 1;
      if (l == 0 || rng() % 2) {
        ur.scaled_a_token = draw(rng, dec, whole);
        u.config.bitmap = u.config.bitmap | (U256{2} << (2u * r));
      }
      if (l > 0 || rng() % 4 == 0) {
        ur.scaled_variable_debt = draw(rng, dec, whole / 2 + 1);
        u.config.bitmap = u.config.bitmap | (U256{1} << (2u * r));
      }
      u.reserves.push_back(ur);
    }
    std::sort(u.reserves.begin(), u.reserves.end(), [](const auto& a, const auto& b) { return a.reserve_id < b.reserve_id; });
    out.book.upsert_aave_user(std::move(u));
  }
  for (std::uint32_t i = 0; i < users / 4; ++i) {
    const auto mi = rng() % out.markets.size();
    const auto coll = mi == 0 ? kWeth : mi == 1 ? kWbtc : kWsteth;
    morpho::Position p;
    p.collateral = draw(rng, kReserveSpecs[coll].decimals, 100'000ULL * 100'000'000ULL / kReserveSpecs[coll].price + 1);
    p.borrow_shares = draw(rng, 6, 50'000) * U256{1'000'000};
    out.book.upsert_morpho_position(out.markets[mi].id, address_of(0x20, i), p);
  }
  return out;
}

risk::Pool pool(std::uint16_t a, std::uint16_t b, std::uint64_t whole_a, std::uint64_t whole_b, std::uint8_t id) {
  risk::Pool p;
  p.address = address_of(0xB0, id);
  const bool a_first = a < b;  // address_of(0xA0, n) orders by n
  p.token0 = address_of(0xA0, a_first ? a : b);
  p.token1 = address_of(0xA0, a_first ? b : a);
  const auto& sa = kReserveSpecs[a];
  const auto& sb = kReserveSpecs[b];
  p.reserve0 = a_first ? tokens(whole_a, sa.decimals) : tokens(whole_b, sb.decimals);
  p.reserve1 = a_first ? tokens(whole_b, sb.decimals) : tokens(whole_a, sa.decimals);
  p.decimals0 = a_first ? sa.decimals : sb.decimals;
  p.decimals1 = a_first ? sb.decimals : sa.decimals;
  return p;
}

risk::MarketModel base_model(std::uint64_t weth_depth, std::uint64_t wbtc_depth) {
  risk::MarketModel m;
  m.pools = {pool(kWeth, kUsdc, weth_depth, weth_depth * 2000, 0), pool(kWbtc, kUsdc, wbtc_depth, wbtc_depth * 60'000, 1)};
  m.sell_for = {{kWeth, kUsdc}, {kWbtc, kUsdc}};
  m.sell_only_listed = true;
  return m;
}

bool same(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

/// Every field of `grid` against `single` (the grid keeps no liquidation lists); the first difference, or "".
std::string first_difference(const risk::CascadeResult& grid, const risk::CascadeResult& single) {
  std::ostringstream o;
  o.precision(17);
  auto d = [&](const char* what, double g, double s) {
    if (!same(g, s) && o.tellp() == 0) o << what << ": grid " << g << " single " << s;
  };
  auto n = [&](const char* what, std::uint64_t g, std::uint64_t s) {
    if (g != s && o.tellp() == 0) o << what << ": grid " << g << " single " << s;
  };
  d("shock", grid.shock, single.shock);
  d("initial_price", grid.initial_price, single.initial_price);
  d("shocked_price", grid.shocked_price, single.shocked_price);
  d("final_price", grid.final_price, single.final_price);
  d("final_oracle_price", grid.final_oracle_price, single.final_oracle_price);
  n("liquidations", grid.liquidations, single.liquidations);
  n("positions_liquidated", grid.positions_liquidated, single.positions_liquidated);
  d("liquidated_debt_usd", grid.liquidated_debt_usd, single.liquidated_debt_usd);
  d("collateral_sold_usd", grid.collateral_sold_usd, single.collateral_sold_usd);
  d("slippage_usd", grid.slippage_usd, single.slippage_usd);
  d("liquidator_profit_usd", grid.liquidator_profit_usd, single.liquidator_profit_usd);
  d("bad_debt_usd", grid.bad_debt_usd, single.bad_debt_usd);
  n("toxic_liquidations", grid.toxic_liquidations, single.toxic_liquidations);
  n("hit_round_limit", grid.hit_round_limit, single.hit_round_limit);
  n("rounds", grid.rounds.size(), single.rounds.size());
  for (std::size_t i = 0; o.tellp() == 0 && i < grid.rounds.size(); ++i) {
    const auto& g = grid.rounds[i];
    const auto& s = single.rounds[i];
    o << "";
    n("round index", g.index, s.index);
    n("round liquidation list kept", g.liquidations.size(), 0);
    d("round debt_repaid_usd", g.debt_repaid_usd, s.debt_repaid_usd);
    if (g.collateral_sold != s.collateral_sold && o.tellp() == 0)
      o << "round collateral_sold: grid " << g.collateral_sold.to_dec() << " single " << s.collateral_sold.to_dec();
    d("round collateral_sold_usd", g.collateral_sold_usd, s.collateral_sold_usd);
    d("round market_price_before", g.market_price_before, s.market_price_before);
    d("round market_price_after", g.market_price_after, s.market_price_after);
    d("round oracle_price_before", g.oracle_price_before, s.oracle_price_before);
    d("round oracle_price_after", g.oracle_price_after, s.oracle_price_after);
    d("round slippage_bps", g.slippage_bps, s.slippage_bps);
    d("round slippage_usd", g.slippage_usd, s.slippage_usd);
    if (o.tellp() != 0) o << " (round " << i << ")";
  }
  return o.str();
}

/// Runs the grid (on one thread and on three) and, per point, simulate_cascade at the same shock; returns the total
/// liquidations of the grid.
std::size_t check_grid(const PositionBook& book, const risk::MarketModel& model, double from, double to, double step) {
  auto grid = risk::cascade_grid(book, model, kWeth, from, to, step);
  auto parallel = risk::cascade_grid(book, model, kWeth, from, to, step, 3);
  REQUIRE(grid.has_value());
  REQUIRE(parallel.has_value());
  REQUIRE(parallel->size() == grid->size());
  std::size_t total = 0;
  for (std::size_t i = 0; i < grid->size(); ++i) {
    risk::Shock s;
    s.asset = kWeth;
    s.fraction = from + static_cast<double>(i) * step;
    auto single = risk::simulate_cascade(book, model, s);
    REQUIRE(single.has_value());
    const auto diff = first_difference((*grid)[i], *single);
    INFO("point ", i, " shock ", s.fraction, ": ", diff);
    CHECK(diff.empty());
    const auto parallel_diff = first_difference((*parallel)[i], *single);
    INFO("3 threads: ", parallel_diff);
    CHECK(parallel_diff.empty());
    total += (*grid)[i].liquidations;
  }
  return total;
}

}  // namespace

TEST_CASE("cascade grid: every point equals simulate_cascade at its shock, bit for bit (random book)") {
  const auto rb = random_book(20261125, 1200);
  SUBCASE("full coupling, pools deep enough that only the large shocks collapse them") {
    auto model = base_model(20'000, 60);
    const auto total = check_grid(rb.book, model, 0.0, -0.60, -0.025);
    CHECK(total > 1000);  // the book is exercised: many liquidations over the grid
  }
  SUBCASE("lag coupling, oracle two blocks behind, a shallow WBTC pool") {
    auto model = base_model(5'000, 5);
    model.coupling.mode = risk::CouplingMode::lag;
    model.coupling.lag_blocks = 2;
    model.oracle_latency_blocks = 2;
    CHECK(check_grid(rb.book, model, 0.05, -0.45, -0.05) > 100);
  }
  SUBCASE("deviation feed with an off-chain venue, three calls per position per round") {
    auto model = base_model(50'000, 200);
    model.coupling.mode = risk::CouplingMode::deviation;
    model.coupling.deviation_ppb = 5'000'000;
    model.venue = risk::SqrtLawParams{1.0, 0.05, 20'000.0, 2.0 / 3};
    model.venue_share = 0.3;
    model.liquidator.max_calls_per_position_per_round = 3;
    CHECK(check_grid(rb.book, model, 0.0, -0.40, -0.04) > 100);
  }
}
