#include "strategy/risk/oracle_coupling.hpp"

#include "strategy/risk/numeric.hpp"

#include <charconv>

namespace sluice::risk {

const char* describe(CouplingError e) noexcept {
  switch (e) {
    case CouplingError::empty: return "empty coupling (expected none, full, lag:K or deviation:X[:H])";
    case CouplingError::unknown_mode: return "unknown coupling mode (expected none, full, lag:K or deviation:X[:H])";
    case CouplingError::missing_parameter: return "coupling mode needs a value (lag:K, deviation:X)";
    case CouplingError::invalid_lag: return "lag must be a whole number of blocks from 0 to 1000000";
    case CouplingError::invalid_deviation:
      return "deviation must be a percentage above 0 and at most 100 with at most 7 decimals (e.g. 0.5)";
    case CouplingError::invalid_heartbeat: return "heartbeat must be a whole number of blocks, at least 1";
    case CouplingError::unexpected_parameter: return "unexpected parameter in coupling";
  }
  return "unknown coupling error";
}

namespace {
std::optional<std::uint64_t> parse_whole(std::string_view s) noexcept {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// "0.5" (percent) -> 5'000'000 ppb, exactly; at most 7 decimals, in (0, 100].
std::optional<std::uint64_t> parse_percent_ppb(std::string_view s) noexcept {
  const auto dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  if (whole.empty() || whole.size() > 3 || frac.size() > 7 || (dot != std::string_view::npos && frac.empty()))
    return std::nullopt;
  const auto w = parse_whole(whole);
  std::uint64_t f = 0;
  if (!frac.empty()) {
    const auto parsed = parse_whole(frac);
    if (!parsed) return std::nullopt;
    f = *parsed;
    for (std::size_t i = frac.size(); i < 7; ++i) f *= 10;
  }
  if (!w) return std::nullopt;
  const std::uint64_t ppb = *w * 10'000'000 + f;  // 1% = 10^7 ppb
  if (ppb == 0 || ppb > 100 * 10'000'000ULL) return std::nullopt;
  return ppb;
}
}  // namespace

Result<CouplingSpec> parse_coupling(std::string_view text) noexcept {
  if (text.empty()) return CouplingError::empty;
  const auto colon = text.find(':');
  const std::string_view mode = text.substr(0, colon);
  const std::string_view rest = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  const bool has_rest = colon != std::string_view::npos;
  CouplingSpec spec;
  if (mode == "none" || mode == "full") {
    if (has_rest) return CouplingError::unexpected_parameter;
    spec.mode = mode == "none" ? CouplingMode::none : CouplingMode::full;
    return spec;
  }
  if (mode != "lag" && mode != "deviation") return CouplingError::unknown_mode;
  if (rest.empty()) return CouplingError::missing_parameter;
  if (mode == "lag") {
    const auto k = parse_whole(rest);
    if (!k || *k > kMaxLagBlocks) return CouplingError::invalid_lag;
    spec.mode = CouplingMode::lag;
    spec.lag_blocks = static_cast<std::uint32_t>(*k);
    return spec;
  }
  spec.mode = CouplingMode::deviation;
  const auto colon2 = rest.find(':');
  const auto ppb = parse_percent_ppb(rest.substr(0, colon2));
  if (!ppb) return CouplingError::invalid_deviation;
  spec.deviation_ppb = *ppb;
  if (colon2 != std::string_view::npos) {
    const std::string_view hb = rest.substr(colon2 + 1);
    if (hb.find(':') != std::string_view::npos) return CouplingError::unexpected_parameter;
    const auto h = parse_whole(hb);
    if (!h || *h == 0) return CouplingError::invalid_heartbeat;
    spec.heartbeat_blocks = *h;
  }
  return spec;
}

std::string to_string(const CouplingSpec& spec) {
  switch (spec.mode) {
    case CouplingMode::none: return "none";
    case CouplingMode::full: return "full";
    case CouplingMode::lag: return "lag:" + std::to_string(spec.lag_blocks);
    case CouplingMode::deviation: {
      std::string frac = std::to_string(spec.deviation_ppb % 10'000'000 + 10'000'000).substr(1);
      while (!frac.empty() && frac.back() == '0') frac.pop_back();
      std::string s = "deviation:" + std::to_string(spec.deviation_ppb / 10'000'000);
      if (!frac.empty()) s += "." + frac;
      if (spec.heartbeat_blocks) s += ":" + std::to_string(*spec.heartbeat_blocks);
      return s;
    }
  }
  return "full";
}

OracleCoupling::OracleCoupling(const CouplingSpec& spec, const U256& initial_oracle)
    : spec_(spec), oracle_(initial_oracle) {}

const U256& OracleCoupling::on_block(const U256& market) {
  ++blocks_;
  ++since_update_;
  switch (spec_.mode) {
    case CouplingMode::none: break;
    case CouplingMode::full: oracle_ = market; break;
    case CouplingMode::lag:
      pending_.push_back(market);
      if (pending_.size() > spec_.lag_blocks) {
        oracle_ = pending_.front();
        pending_.pop_front();
      }
      break;
    case CouplingMode::deviation: {
      const U256 diff = market > oracle_ ? market - oracle_ : oracle_ - market;
      // |m - a| / a > ppb / 1e9  <=>  |m - a| * 1e9 > a * ppb (exact).
      const bool deviates = compare_products(diff, kPpbScale, oracle_, spec_.deviation_ppb) > 0;
      const bool heartbeat = spec_.heartbeat_blocks && since_update_ >= *spec_.heartbeat_blocks;
      if (deviates || heartbeat) {
        oracle_ = market;
        since_update_ = 0;
      }
      break;
    }
  }
  return oracle_;
}

std::vector<U256> follow(const CouplingSpec& spec, const U256& initial_oracle, std::span<const U256> market_path) {
  OracleCoupling oracle(spec, initial_oracle);
  std::vector<U256> out;
  out.reserve(market_path.size());
  for (const U256& m : market_path) out.push_back(oracle.on_block(m));
  return out;
}

}  // namespace sluice::risk
