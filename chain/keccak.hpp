#pragma once
/// Keccak-256 as Ethereum uses it (original Keccak padding 0x01, not FIPS-202 SHA3's 0x06).
/// Our own port of tiny-keccak's Keccak-f[1600] sponge; rate 136 bytes.

#include "chain/bytes.hpp"
#include "chain/hash.hpp"

#include <string_view>

namespace sluice {

/// Incremental Keccak-256 for data that arrives in pieces.
class Keccak256 {
 public:
  static constexpr std::size_t kRate = 136;  ///< bytes absorbed per permutation (1600 - 2*256 bits)

  void update(ByteView data) noexcept;
  /// Pads, squeezes and returns the digest; the hasher must not be updated afterwards.
  Hash finalize() noexcept;

 private:
  std::uint64_t state_[25] = {};
  std::size_t offset_ = 0;  ///< bytes absorbed into the current block
};

Hash keccak256(ByteView data) noexcept;
inline Hash keccak256(std::string_view text) noexcept { return keccak256(as_bytes(text)); }

/// The Keccak-f[1600] permutation on 25 little-endian lanes.
void keccak_f1600(std::uint64_t state[25]) noexcept;

}  // namespace sluice
