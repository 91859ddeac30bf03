#include "strategy/aave/detail.hpp"

#include <array>

namespace sluice::aave::detail {

const U256& asset_unit(std::uint8_t decimals) noexcept {
  static const std::array<U256, 256> table = [] {
    std::array<U256, 256> t{};
    U256 v{1};
    for (auto& e : t) {
      e = v;
      v *= U256{10};  // wraps like Solidity's unchecked `10 ** decimals`
    }
    return t;
  }();
  return table[decimals];
}

}  // namespace sluice::aave::detail
