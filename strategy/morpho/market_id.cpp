#include "chain/keccak.hpp"
#include "strategy/morpho/math.hpp"

#include <array>
#include <cstring>

namespace sluice::morpho {

// abi.encode of a static tuple is its five head words: each address left-padded to 32 bytes, then lltv.
MarketId market_id(const MarketParams& params) noexcept {
  std::array<std::uint8_t, 5 * 32> words{};
  const Address* addresses[] = {&params.loan_token, &params.collateral_token, &params.oracle, &params.irm};
  for (std::size_t i = 0; i < 4; ++i) std::memcpy(words.data() + 32 * i + 12, addresses[i]->bytes.data(), 20);
  const auto lltv = params.lltv.to_be();
  std::memcpy(words.data() + 4 * 32, lltv.data(), 32);
  return keccak256(ByteView{words.data(), words.size()});
}

}  // namespace sluice::morpho
