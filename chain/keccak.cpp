#include "chain/keccak.hpp"

#include <bit>
#include <cstring>

namespace sluice {
namespace {

constexpr std::uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};
/// Rotation (rho) offset of lane x + 5y, from the Keccak reference (FIPS 202, table 2).
constexpr int kRho[25] = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                          25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};
/// The lane that pi moves to lane X + 5Y. Pi sends (x, y) to (y, 2x + 3y mod 5); inverted, x = X + 3Y mod 5, y = X.
constexpr int pi_source(int lane) { return (lane % 5 + 3 * (lane / 5)) % 5 + 5 * (lane % 5); }

inline std::uint64_t load_le64(const std::uint8_t* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

inline void store_le64(std::uint64_t v, std::uint8_t* p) noexcept {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

// Every loop below runs over compile-time lane indices and is fully unrolled, so the compiler keeps the 25 lanes
// in locals (registers and stack slots) instead of an indexed array, as tiny-keccak's and XKCP's unrolled code
// do. Rho, pi and chi are fused row by row, so that only five rotated lanes are live at a time.

/// One round from `in` to `out`. `parity` holds the column parities of `in` on entry and of `out` on return, so
/// that theta never re-reads the whole state.
[[gnu::always_inline]] inline void keccak_round(const std::uint64_t* in, std::uint64_t* out, std::uint64_t* parity,
                                                std::uint64_t round_constant) noexcept {
  // theta: each lane is xored with the parities of the two neighbouring columns
  std::uint64_t d[5];
#pragma GCC unroll 5
  for (int x = 0; x < 5; ++x) d[x] = parity[(x + 4) % 5] ^ std::rotl(parity[(x + 1) % 5], 1);
#pragma GCC unroll 5
  for (int y = 0; y < 5; ++y) {
    // rho and pi: gather the five lanes that land in row y, each rotated by its offset
    std::uint64_t b[5];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) {
      const int source = pi_source(x + 5 * y);
      b[x] = std::rotl(in[source] ^ d[source % 5], kRho[source]);
    }
    // chi, the only non-linear step, along the row
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) out[x + 5 * y] = b[x] ^ (~b[(x + 1) % 5] & b[(x + 2) % 5]);
  }
  out[0] ^= round_constant;  // iota
#pragma GCC unroll 5
  for (int x = 0; x < 5; ++x) parity[x] = out[x] ^ out[x + 5] ^ out[x + 10] ^ out[x + 15] ^ out[x + 20];
}

}  // namespace

void keccak_f1600(std::uint64_t state[25]) noexcept {
  std::uint64_t a[25], e[25], parity[5];
  std::memcpy(a, state, sizeof a);
#pragma GCC unroll 5
  for (int x = 0; x < 5; ++x) parity[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
  // Two rounds per iteration, the state going a -> e -> a, so that no round copies it.
  for (int round = 0; round < 24; round += 2) {
    keccak_round(a, e, parity, kRoundConstants[round]);
    keccak_round(e, a, parity, kRoundConstants[round + 1]);
  }
  std::memcpy(state, a, sizeof a);
}

void Keccak256::update(ByteView data) noexcept {
  const std::uint8_t* p = data.data();
  std::size_t len = data.size();
  // Finish a partial block byte by byte.
  while (len > 0 && offset_ % 8 != 0) {
    state_[offset_ / 8] ^= static_cast<std::uint64_t>(*p++) << (8 * (offset_ % 8));
    --len;
    if (++offset_ == kRate) {
      keccak_f1600(state_);
      offset_ = 0;
    }
  }
  // Whole lanes.
  while (len >= 8) {
    state_[offset_ / 8] ^= load_le64(p);
    p += 8;
    len -= 8;
    offset_ += 8;
    if (offset_ == kRate) {
      keccak_f1600(state_);
      offset_ = 0;
    }
  }
  while (len > 0) {
    state_[offset_ / 8] ^= static_cast<std::uint64_t>(*p++) << (8 * (offset_ % 8));
    --len;
    ++offset_;  // cannot reach kRate here: fewer than 8 bytes remain and the block was lane-aligned
  }
}

Hash Keccak256::finalize() noexcept {
  state_[offset_ / 8] ^= 0x01ULL << (8 * (offset_ % 8));
  state_[(kRate - 1) / 8] ^= 0x80ULL << (8 * ((kRate - 1) % 8));
  keccak_f1600(state_);
  Hash out;
  for (int i = 0; i < 4; ++i) store_le64(state_[i], &out.bytes[8 * i]);
  return out;
}

Hash keccak256(ByteView data) noexcept {
  Keccak256 hasher;
  hasher.update(data);
  return hasher.finalize();
}

}  // namespace sluice
