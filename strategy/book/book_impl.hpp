#pragma once
/// Internal layout of the position book (private to strategy/book/*.cpp).
///
/// Storage is flat: one struct-of-arrays table of positions addressed by a 32-bit id (ids of removed positions
/// are reused), per-protocol records in plain vectors, Aave per-reserve balances in a shared slot pool split hot
/// (what a price tick reads) and cold (the token state as read from chain), and a hash map from key to id.
/// Exposure lists (asset -> positions, Morpho market -> positions) hold (id, generation) pairs: an upsert or a
/// removal bumps the position's generation, so stale entries are skipped and compacted lazily instead of searched.
///
/// What is always exact: every HF, liquidatable flag and Aave total is recomputed with U256 math in the
/// protocols' own order of operations whenever an input it depends on changes (clock, market, price, position).
/// The Aave fast path caches each account's native balances at the current clock (normalized income and debt are
/// computed once per reserve per clock) and redoes only price x balance / unit and the sums on a price tick; its
/// output is bit-identical to aave::account_data (tested on randomized accounts), and any unusual input (a
/// missing price or eMode category, a bitmap reserve without state, an overflow) goes through aave::account_data
/// itself. Floating point is used only for USD figures and liquidation-price forecasts.

#include "strategy/aave/math.hpp"
#include "strategy/book/position_book.hpp"
#include "strategy/morpho/math.hpp"

#include <array>
#include <cstring>
#include <unordered_map>

namespace sluice::book {

/// Mixes every byte of the key (addresses need not be uniformly distributed in their first bytes: vanity
/// prefixes, test fixtures), so the map never degenerates into one bucket.
struct KeyHash {
  std::size_t operator()(const PositionKey& k) const noexcept {
    std::uint64_t words[7] = {};
    std::memcpy(words, k.account.bytes.data(), 20);
    std::memcpy(reinterpret_cast<std::uint8_t*>(words) + 24, k.market.bytes.data(), 32);
    std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ static_cast<std::uint64_t>(k.protocol);
    for (auto w : words) {
      h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
      h ^= h >> 31;
    }
    return static_cast<std::size_t>(h);
  }
};

struct ExposureEntry {
  std::uint32_t position;
  std::uint32_t generation;
};

/// Positions exposed to one thing, with lazy deletion (see the file comment).
struct ExposureList {
  std::vector<ExposureEntry> entries;
  std::uint32_t stale = 0;
};

enum PositionFlags : std::uint8_t { kAlive = 1, kLiquidatable = 2, kError = 4 };

/// Aave slot flags: the reserve's bits in the user's configuration.
enum SlotFlags : std::uint8_t { kCollateral = 1, kBorrowing = 2 };

/// What a price tick reads for one (account, reserve).
struct AaveSlotHot {
  U256 collateral;  ///< aToken balance at the clock (native units)
  U256 debt;        ///< variable + stable debt at the clock (native units)
  std::uint16_t reserve_id = 0;
  std::uint8_t flags = 0;
};

struct AaveAccount {
  U256 bitmap;
  U256 total_collateral_base;
  U256 total_debt_base;
  std::uint32_t position = 0;
  std::uint32_t slot_begin = 0;
  std::uint16_t avg_ltv_bps = 0;
  std::uint16_t avg_lt_bps = 0;
  std::uint8_t slot_count = 0;
  std::uint8_t emode = 0;
  bool covered = true;       ///< every reserve in the bitmap has a slot
  bool balances_ok = true;   ///< the cached native balances are valid at the clock
  bool has_zero_ltv_collateral = false;
};

struct ReserveCache {
  U256 income;      ///< normalized income at the clock (RAY)
  U256 debt_index;  ///< normalized debt at the clock (RAY)
  U256 unit;        ///< 10^decimals
  AssetId asset = 0;
  std::uint16_t ltv_bps = 0;
  std::uint16_t lt_bps = 0;
  std::uint8_t emode = 0;
  bool present = false;  ///< a non-zero asset address
  bool income_ok = false;
  bool debt_ok = false;
};

/// GenericLogic.calculateUserAccountData's outputs for one account.
struct AaveTotals {
  U256 collateral;
  U256 debt;
  U256 avg_ltv;
  U256 avg_lt;
  U256 health_factor;
  bool zero_ltv = false;
};

struct EModeCache {
  U256 price;  ///< zero when the category has no price source
  bool has_source = false;
  std::uint16_t ltv_bps = 0;
  std::uint16_t lt_bps = 0;
  bool exists = false;
};

struct MorphoRecord {
  morpho::Position position;
  U256 borrowed;  ///< assets, rounded up, at the clock
  std::uint32_t position_id = 0;
  std::uint32_t market = 0;
};

struct MarketRecord {
  morpho::Market market;
  morpho::MarketState accrued;  ///< state accrued to the clock
  bool accrued_ok = false;
  AssetId loan = 0;
  AssetId collateral = 0;
  ExposureList positions;
};

struct PositionBook::Impl {
  // ---- assets
  std::vector<Asset> assets;
  std::unordered_map<Address, AssetId> asset_index;
  std::vector<ExposureList> by_asset;

  // ---- clock
  std::uint64_t block = 0;
  std::uint64_t timestamp = 0;
  bool clock_set = false;

  // ---- positions (struct of arrays, indexed by position id)
  std::vector<PositionKey> keys;
  std::vector<std::uint32_t> record;  ///< index into aave_accounts or morpho_records
  std::vector<std::uint32_t> generation;
  std::vector<std::uint8_t> flags;
  std::vector<U256> health_factor;
  std::vector<double> collateral_usd;
  std::vector<double> debt_usd;
  std::vector<std::uint32_t> free_positions;
  std::unordered_map<PositionKey, std::uint32_t, KeyHash> index;
  std::size_t live = 0;

  // ---- Aave
  aave::MarketSnapshot aave_market;
  std::vector<ReserveCache> reserves;
  std::vector<std::int32_t> asset_reserve;  ///< AssetId -> Aave reserve id, -1 when none
  std::array<EModeCache, 256> emodes{};
  std::vector<AaveAccount> aave_accounts;
  std::vector<std::uint32_t> free_aave;
  std::vector<AaveSlotHot> slots_hot;
  std::vector<aave::UserReserve> slots_cold;
  std::size_t slots_garbage = 0;

  // ---- Morpho
  std::vector<MarketRecord> markets;
  std::unordered_map<morpho::MarketId, std::uint32_t> market_index;
  std::vector<MorphoRecord> morpho_records;
  std::vector<std::uint32_t> free_morpho;

  BookStats stats;

  // ---- position table (position_table.cpp)
  std::uint32_t allocate_position(const PositionKey& key, std::uint32_t record_index);
  void release_position(std::uint32_t id);
  void add_exposure(ExposureList& list, std::uint32_t id);
  void mark_stale(ExposureList& list);
  /// Calls f(id) for each live, current entry of `list` (compacting it when mostly stale).
  template <class F>
  void for_each_exposed(ExposureList& list, F&& f) {
    if (list.stale > 64 && list.stale * 2 > list.entries.size()) compact(list);
    for (const auto& e : list.entries)
      if (generation[e.position] == e.generation && (flags[e.position] & kAlive)) f(e.position);
  }
  void compact(ExposureList& list);
  /// Rebuilds every exposure list from the live positions (after the Aave reserve list changed).
  void rebuild_exposures();
  void add_aave_exposures(std::uint32_t id);
  AssetId intern(const Address& address, std::string symbol, std::uint8_t decimals, bool update);
  /// Whole-token USD price: Asset.usd_price, or for an Aave reserve without one, its Aave oracle price.
  double usd_price(AssetId id) const noexcept;
  double usd_value(AssetId id, const U256& amount) const noexcept;

  // ---- Aave (aave_accounts.cpp)
  void refresh_reserve_caches();
  void refresh_aave_balances(AaveAccount& account);
  void evaluate_aave(std::uint32_t id);
  std::optional<AaveTotals> aave_totals_u128(const AaveAccount& account) const noexcept;
  std::optional<AaveTotals> aave_totals_u256(const AaveAccount& account) const noexcept;
  void evaluate_aave_usd(std::uint32_t id);
  aave::UserState rebuild_user(const AaveAccount& account) const;
  U256 account_price(std::uint8_t emode, std::uint16_t reserve_id) const noexcept;
  void reevaluate_all_aave(bool balances);
  void remove_aave(std::uint32_t id);

  // ---- Morpho (morpho_positions.cpp)
  void accrue_market(MarketRecord& market);
  void refresh_morpho_borrowed(MorphoRecord& record);
  void evaluate_morpho(std::uint32_t id);
  void evaluate_morpho_usd(std::uint32_t id);
  void reevaluate_market(std::uint32_t market, bool accrue);
  void remove_morpho(std::uint32_t id);
  void add_morpho_exposures(std::uint32_t id);

  // ---- views (book_views.cpp)
  PositionView make_view(std::uint32_t id, bool best_liquidation = true) const;
  void fill_aave_view(std::uint32_t id, PositionView& view, bool best_liquidation) const;
  void fill_morpho_view(std::uint32_t id, PositionView& view, bool best_liquidation) const;
};

}  // namespace sluice::book
