#pragma once
/// Fixed-size byte strings (`bytes20`, `bytes32`) as value types: comparable, hashable, hex in and out.

#include "chain/bytes.hpp"

#include <array>
#include <compare>
#include <cstring>
#include <functional>
#include <optional>
#include <string>

namespace sluice {

template <std::size_t N>
struct FixedBytes {
  std::array<std::uint8_t, N> bytes{};

  static constexpr std::size_t size() noexcept { return N; }
  constexpr ByteView view() const noexcept { return {bytes.data(), N}; }
  constexpr bool is_zero() const noexcept {
    for (auto b : bytes)
      if (b != 0) return false;
    return true;
  }

  /// Exactly 2*N hex digits, with or without 0x.
  static Result<FixedBytes> from_hex(std::string_view hex) {
    FixedBytes out;
    if (auto r = from_hex_into(hex, out.bytes); !r) return r.error();
    return out;
  }
  /// Exactly N bytes; nullopt otherwise.
  static std::optional<FixedBytes> from_view(ByteView v) noexcept {
    if (v.size() != N) return std::nullopt;
    FixedBytes out;
    std::memcpy(out.bytes.data(), v.data(), N);
    return out;
  }
  std::string hex() const { return to_hex(view()); }

  friend constexpr auto operator<=>(const FixedBytes&, const FixedBytes&) noexcept = default;
};

}  // namespace sluice

template <std::size_t N>
struct std::hash<sluice::FixedBytes<N>> {
  std::size_t operator()(const sluice::FixedBytes<N>& v) const noexcept {
    std::size_t h;  // the bytes are hashes or addresses: already uniformly distributed
    std::memcpy(&h, v.bytes.data(), sizeof h < N ? sizeof h : N);
    return h;
  }
};
