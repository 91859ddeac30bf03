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
/// Rotation offsets and lane order of the combined rho and pi steps, as tiny-keccak lays them out.
constexpr int kRho[24] = {1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44};
constexpr int kPi[24] = {10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1};

inline std::uint64_t load_le64(const std::uint8_t* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

}  // namespace

void keccak_f1600(std::uint64_t a[25]) noexcept {
  for (int round = 0; round < 24; ++round) {
    // theta
    std::uint64_t c[5];
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (int x = 0; x < 5; ++x) {
      const std::uint64_t d = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) a[y + x] ^= d;
    }
    // rho and pi
    std::uint64_t last = a[1];
    for (int i = 0; i < 24; ++i) {
      const int j = kPi[i];
      const std::uint64_t tmp = a[j];
      a[j] = std::rotl(last, kRho[i]);
      last = tmp;
    }
    // chi
    for (int y = 0; y < 25; y += 5) {
      const std::uint64_t b0 = a[y], b1 = a[y + 1], b2 = a[y + 2], b3 = a[y + 3], b4 = a[y + 4];
      a[y] = b0 ^ (~b1 & b2);
      a[y + 1] = b1 ^ (~b2 & b3);
      a[y + 2] = b2 ^ (~b3 & b4);
      a[y + 3] = b3 ^ (~b4 & b0);
      a[y + 4] = b4 ^ (~b0 & b1);
    }
    // iota
    a[0] ^= kRoundConstants[round];
  }
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
  for (int i = 0; i < 4; ++i) {
    for (int b = 0; b < 8; ++b) out.bytes[8 * i + b] = static_cast<std::uint8_t>(state_[i] >> (8 * b));
  }
  return out;
}

Hash keccak256(ByteView data) noexcept {
  Keccak256 hasher;
  hasher.update(data);
  return hasher.finalize();
}

}  // namespace sluice
