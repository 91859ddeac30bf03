#include "keeper/cli/cascade_args.hpp"

#include "keeper/cli/cli_error.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace sluice::cli {

namespace {

/// A finite decimal number filling all of `text` (an optional leading '+'), else nullopt.
std::optional<double> parse_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  // from_chars takes no '+' of its own; refuse "++1" and "-+1" as well.
  if (text.empty() || text.front() == '+' || (text.front() == '-' && text.size() > 1 && text[1] == '+'))
    return std::nullopt;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

/// A percentage with an optional '%' suffix, as a number of percent.
std::optional<double> parse_percent(std::string_view text) {
  if (!text.empty() && text.back() == '%') text.remove_suffix(1);
  return parse_number(text);
}

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

/// `text` split at every ':'.
std::vector<std::string_view> colon_fields(std::string_view text) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t colon = text.find(':', start);
    parts.push_back(text.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) return parts;
    start = colon + 1;
  }
}

}  // namespace

double parse_shock(std::string_view text) {
  const bool percent = !text.empty() && text.back() == '%';
  const auto value = percent ? parse_percent(text) : parse_number(text);
  if (!value)
    throw CliError("--shock " + in_quotes(text) + ": not a number (expected a percentage like -20% or a fraction like -0.2)");
  const double fraction = percent ? *value / 100.0 : *value;
  if (!(fraction > -1.0)) {
    if (percent) throw CliError("--shock " + in_quotes(text) + ": a price cannot fall by 100% or more");
    throw CliError("--shock " + in_quotes(text) + ": a fraction at or below -1 (a fall of 100% or more); for percent, add %: " +
                   std::string(text) + "%");
  }
  return fraction;
}

GridSpec parse_grid(std::string_view text) {
  const auto fail = [&](const std::string& why) -> CliError {
    return CliError("--grid " + in_quotes(text) + ": " + why + " (expected FROM:TO:STEP in percent, e.g. 0:-60:0.5)");
  };
  const std::vector<std::string_view> parts = colon_fields(text);
  if (parts.size() != 3) throw fail("needs three fields, got " + std::to_string(parts.size()));
  const char* names[] = {"FROM", "TO", "STEP"};
  double v[3];
  for (int i = 0; i < 3; ++i) {
    const auto n = parse_percent(parts[static_cast<std::size_t>(i)]);
    if (!n) throw fail(std::string(names[i]) + " " + in_quotes(parts[static_cast<std::size_t>(i)]) + " is not a number");
    v[i] = *n;
  }
  const double from = v[0], to = v[1], step = v[2];
  if (!(from > -100.0) || !(to > -100.0)) throw fail("FROM and TO must be above -100 (a fall of less than 100%)");
  if (step == 0.0) throw fail("STEP is zero");
  GridSpec grid{from / 100.0, to / 100.0, 0.0, 1};
  if (from == to) {
    grid.step = step / 100.0;
    return grid;
  }
  const double direction = to > from ? 1.0 : -1.0;
  if (step < 0.0 && direction > 0.0) throw fail("STEP " + std::string(parts[2]) + " walks away from TO");
  const double steps = (to - from) / (std::fabs(step) * direction);
  if (!(steps < static_cast<double>(kMaxGridPoints)))
    throw fail(fmt::format("more than {} points", kMaxGridPoints));
  const double whole = std::round(steps);
  if (std::fabs(steps - whole) > 1e-9)
    throw fail("STEP " + std::string(parts[2]) + " does not divide TO - FROM into whole steps");
  grid.step = std::fabs(step) * direction / 100.0;
  grid.points = static_cast<std::size_t>(whole) + 1;
  return grid;
}

VenueSpec parse_venue(std::string_view text) {
  const auto fail = [&](const std::string& why) -> CliError {
    return CliError("--venue " + in_quotes(text) + ": " + why + " (expected Y:SIGMA:VOLUME[:SHARE], e.g. 1:0.05:250000:0.5)");
  };
  const std::vector<std::string_view> parts = colon_fields(text);
  if (parts.size() != 3 && parts.size() != 4) throw fail("needs 3 or 4 fields, got " + std::to_string(parts.size()));
  const char* names[] = {"Y", "SIGMA", "VOLUME", "SHARE"};
  double v[4] = {0.0, 0.0, 0.0, 0.5};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto n = parse_number(parts[i]);
    if (!n) throw fail(std::string(names[i]) + " " + in_quotes(parts[i]) + " is not a number");
    v[i] = *n;
  }
  if (v[0] < 0.0 || v[1] < 0.0) throw fail("Y and SIGMA cannot be negative");
  if (!(v[2] > 0.0)) throw fail("VOLUME must be above 0");
  if (v[3] < 0.0 || v[3] > 1.0) throw fail("SHARE must be within [0, 1]");
  return VenueSpec{v[0], v[1], v[2], v[3]};
}

BetaSpec parse_beta(std::string_view text) {
  const auto fail = [&](const std::string& why) -> CliError {
    return CliError("--beta " + in_quotes(text) + ": " + why + " (expected SYMBOL=BETA, e.g. WBTC=0.8)");
  };
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) throw fail("no '='");
  const std::string_view symbol = text.substr(0, eq), value = text.substr(eq + 1);
  if (symbol.empty()) throw fail("no symbol before '='");
  const auto beta = parse_number(value);
  if (!beta || !std::isfinite(*beta)) throw fail("BETA " + in_quotes(value) + " is not a number");
  return BetaSpec{std::string(symbol), *beta};
}

}  // namespace sluice::cli
