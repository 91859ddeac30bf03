// `sluice cascade` arguments: shocks in percent or as fractions, grids FROM:TO:STEP in percent, and the one-line
// errors for what is malformed.

#include "keeper/cli/cascade_args.hpp"
#include "keeper/cli/cli_error.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace sluice::cli;

namespace {

/// The CliError message `parse` throws for `text`, or "(no error)".
template <class Parse>
std::string error_of(Parse parse, const char* text) {
  try {
    (void)parse(text);
  } catch (const CliError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string shock_error(const char* text) { return error_of(parse_shock, text); }
std::string grid_error(const char* text) { return error_of(parse_grid, text); }
std::string venue_error(const char* text) { return error_of(parse_venue, text); }
std::string beta_error(const char* text) { return error_of(parse_beta, text); }

}  // namespace

TEST_CASE("cascade args: shocks in percent and as fractions") {
  CHECK(parse_shock("-20%") == doctest::Approx(-0.2).epsilon(1e-15));
  CHECK(parse_shock("-0.2") == doctest::Approx(-0.2).epsilon(1e-15));
  CHECK(parse_shock("+5%") == doctest::Approx(0.05).epsilon(1e-15));
  CHECK(parse_shock("0") == 0.0);
  CHECK(parse_shock("-99.5%") == doctest::Approx(-0.995).epsilon(1e-15));
}

TEST_CASE("cascade args: malformed shocks") {
  CHECK(shock_error("abc") ==
        R"(--shock "abc": not a number (expected a percentage like -20% or a fraction like -0.2))");
  CHECK(shock_error("") == R"(--shock "": not a number (expected a percentage like -20% or a fraction like -0.2))");
  CHECK(shock_error("nan%").find("not a number") != std::string::npos);
  CHECK(shock_error("--20%").find("not a number") != std::string::npos);
  CHECK(shock_error("-20") ==
        R"(--shock "-20": a fraction at or below -1 (a fall of 100% or more); for percent, add %: -20%)");
  CHECK(shock_error("-100%") == R"(--shock "-100%": a price cannot fall by 100% or more)");
  CHECK(shock_error("-1") != "(no error)");
}

TEST_CASE("cascade args: grids") {
  const GridSpec g = parse_grid("0:-60:0.5");
  CHECK(g.points == 121);
  CHECK(g.from == 0.0);
  CHECK(g.to == doctest::Approx(-0.6).epsilon(1e-15));
  CHECK(g.step == doctest::Approx(-0.005).epsilon(1e-15));
  CHECK(parse_grid("0:-60:-0.5").points == 121);  // a negative step that points toward TO
  const GridSpec up = parse_grid("-60:0:0.5");
  CHECK(up.points == 121);
  CHECK(up.step == doctest::Approx(0.005).epsilon(1e-15));
  CHECK(parse_grid("0%:-30%:0.1%").points == 301);
  CHECK(parse_grid("-5:-5:1").points == 1);
  CHECK(parse_grid("0:-99:0.01").points == 9901);
}

TEST_CASE("cascade args: malformed grids") {
  const std::string hint = " (expected FROM:TO:STEP in percent, e.g. 0:-60:0.5)";
  CHECK(grid_error("0:-60") == R"(--grid "0:-60": needs three fields, got 2)" + hint);
  CHECK(grid_error("0:-60:0.5:1") == R"(--grid "0:-60:0.5:1": needs three fields, got 4)" + hint);
  CHECK(grid_error("0:x:0.5") == R"(--grid "0:x:0.5": TO "x" is not a number)" + hint);
  CHECK(grid_error("0:-60:0") == R"(--grid "0:-60:0": STEP is zero)" + hint);
  CHECK(grid_error("0:60:-0.5") == R"(--grid "0:60:-0.5": STEP -0.5 walks away from TO)" + hint);
  CHECK(grid_error("0:-60:0.7") == R"(--grid "0:-60:0.7": STEP 0.7 does not divide TO - FROM into whole steps)" +
                                       hint);
  CHECK(grid_error("0:-100:1") == R"(--grid "0:-100:1": FROM and TO must be above -100 (a fall of less than 100%))" +
                                      hint);
  CHECK(grid_error("0:-60:0.001") == R"(--grid "0:-60:0.001": more than 10001 points)" + hint);
}

TEST_CASE("cascade args: the off-chain venue term") {
  const VenueSpec v = parse_venue("1:0.05:250000");
  CHECK(v.y == 1.0);
  CHECK(v.sigma_daily == 0.05);
  CHECK(v.volume_daily == 250000.0);
  CHECK(v.share == 0.5);
  CHECK(parse_venue("0.8:0.04:1e6:0.25").share == 0.25);
  CHECK(venue_error("1:0.05") ==
        R"(--venue "1:0.05": needs 3 or 4 fields, got 2 (expected Y:SIGMA:VOLUME[:SHARE], e.g. 1:0.05:250000:0.5))");
  CHECK(venue_error("1:x:5").find(R"(SIGMA "x" is not a number)") != std::string::npos);
  CHECK(venue_error("1:0.05:0").find("VOLUME must be above 0") != std::string::npos);
  CHECK(venue_error("1:0.05:10:1.5").find("SHARE must be within [0, 1]") != std::string::npos);
  CHECK(venue_error("-1:0.05:10").find("cannot be negative") != std::string::npos);
}

TEST_CASE("cascade args: betas") {
  const BetaSpec b = parse_beta("WBTC=0.8");
  CHECK(b.symbol == "WBTC");
  CHECK(b.beta == 0.8);
  CHECK(parse_beta("DAI=-0.1").beta == -0.1);
  CHECK(parse_beta("wstETH=+1").beta == 1.0);
  CHECK(beta_error("WBTC") == R"(--beta "WBTC": no '=' (expected SYMBOL=BETA, e.g. WBTC=0.8))");
  CHECK(beta_error("=1").find("no symbol before '='") != std::string::npos);
  CHECK(beta_error("WBTC=x").find(R"(BETA "x" is not a number)") != std::string::npos);
  CHECK(beta_error("WBTC=").find(R"(BETA "" is not a number)") != std::string::npos);
  CHECK(beta_error("WBTC=inf").find("is not a number") != std::string::npos);
}
