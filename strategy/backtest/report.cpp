#include "strategy/backtest/report.hpp"

namespace sluice::backtest {

const char* outcome_name(Outcome o) noexcept {
  switch (o) {
    case Outcome::captured: return "captured";
    case Outcome::missed: return "missed";
    case Outcome::not_applicable: return "not_applicable";
    case Outcome::sluice_only: return "sluice_only";
  }
  return "unknown";
}

}  // namespace sluice::backtest
