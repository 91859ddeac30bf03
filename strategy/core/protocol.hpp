#pragma once
/// The lending protocols Sluice understands, with the names used in reports and JSON ("aave-v3", "morpho-blue").

#include <cstdint>
#include <string_view>

namespace sluice {

enum class Protocol : std::uint8_t { aave_v3, morpho_blue };

constexpr std::string_view protocol_name(Protocol p) noexcept {
  return p == Protocol::aave_v3 ? "aave-v3" : "morpho-blue";
}

}  // namespace sluice
