#include "strategy/risk/schedule.hpp"

#include "strategy/risk/numeric.hpp"

#include <algorithm>
#include <cmath>

namespace sluice::risk {

const char* describe(ScheduleError e) noexcept {
  switch (e) {
    case ScheduleError::zero_blocks: return "schedule needs at least one block";
    case ScheduleError::invalid_parameter: return "invalid Almgren-Chriss parameter (negative, NaN or infinite)";
    case ScheduleError::non_positive_eta: return "eta - gamma/2 must be positive";
    case ScheduleError::invalid_threshold: return "invalid threshold price or margin";
    case ScheduleError::no_liquidity: return "pool has a zero reserve";
  }
  return "unknown schedule error";
}

Result<double> ac_kappa(const AlmgrenChrissParams& p) noexcept {
  const auto bad = [](double v) { return !std::isfinite(v) || v < 0.0; };
  if (bad(p.eta) || bad(p.gamma) || bad(p.sigma) || bad(p.lambda)) return ScheduleError::invalid_parameter;
  const double eta_tilde = p.eta - p.gamma / 2.0;
  if (!(eta_tilde > 0.0)) return ScheduleError::non_positive_eta;
  const double kappa = std::acosh(1.0 + p.lambda * p.sigma * p.sigma / (2.0 * eta_tilde));
  if (!std::isfinite(kappa)) return ScheduleError::invalid_parameter;
  return kappa;
}

Result<std::vector<double>> ac_holdings(std::uint32_t blocks, const AlmgrenChrissParams& params) noexcept {
  if (blocks == 0) return ScheduleError::zero_blocks;
  const auto kappa = ac_kappa(params);
  if (!kappa) return kappa.error();
  std::vector<double> x(blocks + 1);
  const double n = blocks;
  for (std::uint32_t k = 0; k <= blocks; ++k) {
    if (*kappa == 0.0) {
      x[k] = (n - k) / n;
    } else {
      // sinh(a)/sinh(b) = e^{a-b} (1 - e^{-2a}) / (1 - e^{-2b}), with a = kappa (N - k), b = kappa N.
      const double a = *kappa * (n - k), b = *kappa * n;
      x[k] = std::exp(a - b) * (-std::expm1(-2.0 * a)) / (-std::expm1(-2.0 * b));
    }
  }
  return x;
}

Result<std::vector<U256>> ac_schedule(const U256& total, std::uint32_t blocks,
                                      const AlmgrenChrissParams& params) noexcept {
  const auto fractions = ac_holdings(blocks, params);
  if (!fractions) return fractions.error();
  const bool linear = *ac_kappa(params) == 0.0;
  // Remaining holdings r_0 = total >= r_1 >= ... >= r_N = 0; sales are the differences, so they sum to total.
  std::vector<U256> remaining(blocks + 1);
  remaining[0] = total;
  constexpr double kOne = 0x1p53;  // holdings fractions quantized to 2^-53 (their own precision)
  for (std::uint32_t k = 1; k <= blocks; ++k) {
    U256 r;
    if (linear) {
      r = *mul_div_down(total, U256{blocks - k}, U256{blocks});
    } else {
      const U256 f = U256{static_cast<std::uint64_t>(std::clamp((*fractions)[k], 0.0, 1.0) * kOne)};
      r = mul_div_down(total, f, U256{static_cast<std::uint64_t>(kOne)}).value_or(U256{});
    }
    remaining[k] = std::min(r, remaining[k - 1]);
  }
  remaining[blocks] = 0;
  std::vector<U256> sales(blocks);
  for (std::uint32_t k = 0; k < blocks; ++k) sales[k] = remaining[k] - remaining[k + 1];
  return sales;
}

Result<U256> max_sale_above_price(const PoolSide& side, double threshold_price, double margin_bps) noexcept {
  if (side.reserve_in.is_zero() || side.reserve_out.is_zero()) return ScheduleError::no_liquidity;
  if (!std::isfinite(margin_bps) || margin_bps < 0.0 || !std::isfinite(threshold_price) || threshold_price < 0.0)
    return ScheduleError::invalid_threshold;
  const double target = threshold_price * (1.0 + margin_bps / 1e4);
  const auto raw = raw_price(target, side.decimals_in, side.decimals_out);
  if (!raw) return ScheduleError::invalid_threshold;
  if (raw->num.is_zero()) return kMaxReserve > side.reserve_in ? kMaxReserve - side.reserve_in : U256{};
  // Holds for amount a: the mid price after selling a is still at or above the threshold (decreasing in a).
  const auto holds = [&](const U256& a) {
    if (a.is_zero()) return mid_at_least(side.reserve_in, side.reserve_out, *raw);
    const auto out = get_amount_out(a, side.reserve_in, side.reserve_out);
    return out && mid_at_least(side.reserve_in + a, side.reserve_out - *out, *raw);
  };
  if (!holds(0)) return U256{};
  const U256 limit = kMaxReserve > side.reserve_in ? kMaxReserve - side.reserve_in : U256{};
  if (holds(limit)) return limit;

  // Closed form on the continuous curve: mid(a) = 1000 R_in R_out / ((1000 R_in + 997 a)(R_in + a)) = P gives
  // 997 a^2 + 1997 R_in a + 1000 R_in (R_in - R_out / P) = 0 (P in raw units); flooring in get_amount_out only
  // raises the exact mid, so the exact answer is at or just above the positive root.
  const long double rin = to_double(side.reserve_in), rout = to_double(side.reserve_out);
  const long double p = static_cast<long double>(to_double(raw->num)) / to_double(raw->den);
  const long double b = 1997.0L * rin, c = 1000.0L * rin * (rin - rout / p);
  const long double root = (-b + std::sqrt(b * b - 4.0L * 997.0L * c)) / (2.0L * 997.0L);
  U256 guess = std::min(from_double(static_cast<double>(std::max(root, 0.0L))).value_or(limit), limit);

  // Exact: bracket [lo holds, hi fails] around the guess by doubling steps, then bisect.
  U256 lo, hi;
  if (holds(guess)) {
    lo = guess;
    hi = limit;
    for (U256 step = 1; lo + step < limit; step <<= 1) {
      if (!holds(lo + step)) {
        hi = lo + step;
        break;
      }
      lo = lo + step;
    }
  } else {
    hi = guess;
    lo = 0;
    for (U256 step = 1; step < hi; step <<= 1) {
      if (holds(hi - step)) {
        lo = hi - step;
        break;
      }
      hi = hi - step;
    }
  }
  while (hi - lo > 1) {
    const U256 mid = lo + ((hi - lo) >> 1);
    (holds(mid) ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace sluice::risk
