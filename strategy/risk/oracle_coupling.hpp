#pragma once
/// How a lending protocol's oracle follows the market after a sale, block by block:
/// - `none`: the oracle never moves (e.g. a fixed-rate or governance-set price);
/// - `full`: the oracle is the market price of the same block (an oracle reading the pool, or a perfect keeper);
/// - `lag:K`: the oracle is the market price K blocks earlier (the initial price until K blocks have passed);
///   `lag:0` is `full`;
/// - `deviation:X[:H]`: Chainlink-style push feed: the answer updates to the market price when the market deviates
///   from the last answer by strictly more than X percent (|m - a| / a > X/100), or, with a heartbeat of H blocks,
///   when H blocks have passed since the last update (https://docs.chain.link/architecture-overview/
///   architecture-decentralized-model: deviation threshold and heartbeat).
/// Prices are U256 in whatever fixed-point unit the caller uses (Chainlink answers: 8 decimals); the deviation test
/// is exact: X is kept in parts per billion of price (up to 7 decimals of a percent).

#include "chain/error.hpp"
#include "chain/u256.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::risk {

enum class CouplingError {
  empty = 1,           ///< empty text
  unknown_mode,        ///< not none, full, lag:K or deviation:X[:H]
  missing_parameter,   ///< "lag" or "deviation" without a value
  invalid_lag,         ///< K is not a whole number of blocks in [0, 1000000]
  invalid_deviation,   ///< X is not a decimal percentage in (0, 100] with at most 7 decimals
  invalid_heartbeat,   ///< H is not a whole number of blocks >= 1
  unexpected_parameter,  ///< a parameter after "none" or "full", or too many ':' fields
};
const char* describe(CouplingError e) noexcept;
SLUICE_ERROR_CATEGORY(CouplingError, "coupling")

enum class CouplingMode : std::uint8_t { none, full, lag, deviation };

inline constexpr std::uint64_t kPpbScale = 1'000'000'000;  ///< parts per billion
inline constexpr std::uint32_t kMaxLagBlocks = 1'000'000;

struct CouplingSpec {
  CouplingMode mode = CouplingMode::full;
  std::uint32_t lag_blocks = 0;                   ///< K, for lag
  std::uint64_t deviation_ppb = 0;                ///< X% as parts per billion of price (0.5% -> 5'000'000)
  std::optional<std::uint64_t> heartbeat_blocks;  ///< H, for deviation
  friend bool operator==(const CouplingSpec&, const CouplingSpec&) = default;
};

/// Parses the CLI forms "none", "full", "lag:3", "deviation:0.5", "deviation:0.5:300" (case-sensitive).
Result<CouplingSpec> parse_coupling(std::string_view text) noexcept;
/// The canonical text form (parse_coupling(to_string(s)) == s).
std::string to_string(const CouplingSpec& spec);

/// The oracle of one asset under a coupling: feed the market price of each block in order, read the oracle price
/// of that block. Deterministic; no clocks.
class OracleCoupling {
 public:
  /// `initial_oracle`: the oracle's answer before the first block fed (also its last reported answer).
  OracleCoupling(const CouplingSpec& spec, const U256& initial_oracle);

  /// Advances one block with the market price `market` and returns the oracle price in that block.
  const U256& on_block(const U256& market);
  /// The oracle price after the last block fed (the initial answer before any).
  const U256& oracle_price() const noexcept { return oracle_; }
  /// Blocks fed so far.
  std::uint64_t blocks() const noexcept { return blocks_; }

 private:
  CouplingSpec spec_;
  U256 oracle_;
  std::uint64_t blocks_ = 0;
  std::uint64_t since_update_ = 0;
  std::deque<U256> pending_;  ///< lag: the last K market prices, oldest first
};

/// The oracle price in each block of `market_path` (one entry per block).
std::vector<U256> follow(const CouplingSpec& spec, const U256& initial_oracle, std::span<const U256> market_path);

}  // namespace sluice::risk

SLUICE_ERROR_ENUM(sluice::risk::CouplingError)
