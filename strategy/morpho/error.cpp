#include "strategy/morpho/math.hpp"

namespace sluice::morpho {

const char* describe(MorphoError e) noexcept {
  switch (e) {
    case MorphoError::overflow: return "the Morpho contract would revert: arithmetic overflow or uint128 cast";
    case MorphoError::inconsistent_input: return "exactly one of seized assets and repaid shares must be zero";
    case MorphoError::healthy_position: return "the position is healthy: Morpho refuses to liquidate it";
    case MorphoError::insufficient_collateral: return "more collateral seized than the position holds";
    case MorphoError::insufficient_borrow: return "more borrow shares repaid than the position owes";
    case MorphoError::zero_price: return "oracle price is zero";
  }
  return "unknown Morpho error";
}

}  // namespace sluice::morpho
