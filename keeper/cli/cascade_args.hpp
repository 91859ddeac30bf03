#pragma once
/// Parsing of `sluice cascade`'s shock and grid arguments. Errors are CliError with one line naming the argument,
/// what was given and what was expected.

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice::cli {

/// The most points a grid may have.
inline constexpr std::size_t kMaxGridPoints = 10'001;

/// A grid of shocks as fractions: from, from + step, ..., to (inclusive).
struct GridSpec {
  double from = 0.0;
  double to = 0.0;
  double step = 0.0;  ///< signed: negative when to < from
  std::size_t points = 0;
};

/// "-20%" (percent) or "-0.2" (fraction) -> -0.2. The shock must be finite and above -100%; a bare number at or
/// below -1 (e.g. "-20") is refused with a hint that "%" may be missing. Throws CliError.
double parse_shock(std::string_view text);

/// "FROM:TO:STEP" in percent, e.g. "0:-60:0.5" -> {0, -0.6, -0.005, 121}. STEP is the spacing: a positive value
/// walks from FROM toward TO, a negative one must point that way too; it must divide TO - FROM into a whole
/// number of steps (to 1e-9 of a step); FROM and TO above -100; at most kMaxGridPoints points. Throws CliError.
GridSpec parse_grid(std::string_view text);

/// The off-chain venue term: "Y:SIGMA:VOLUME[:SHARE]" -> square-root law prefactor Y, daily volatility SIGMA
/// (fraction, 0.05 = 5%), daily volume VOLUME (whole tokens of the asset) and the share of each sale sold there
/// (default 0.5). Y, SIGMA >= 0, VOLUME > 0, SHARE in [0, 1]. Throws CliError.
struct VenueSpec {
  double y = 1.0;
  double sigma_daily = 0.0;
  double volume_daily = 0.0;
  double share = 0.5;
};
VenueSpec parse_venue(std::string_view text);

/// Another asset moving with the shocked one: "SYMBOL=BETA" -> its oracle moves by BETA times the shock (WBTC=0.8:
/// a -20% shock moves WBTC by -16%). BETA a finite number (negative: the asset moves the other way); the symbol is
/// not checked here. Throws CliError.
struct BetaSpec {
  std::string symbol;
  double beta = 0.0;
};
BetaSpec parse_beta(std::string_view text);

}  // namespace sluice::cli
