#pragma once
/// Memory for secrets (private keys, derived keys): wiped with OPENSSL_cleanse when released, and kept out of
/// swap and core dumps where the OS allows it.
///
/// Secret slots of 32 bytes come from pages that are mmap'ed privately, `mlock`ed (never swapped) and marked
/// `MADV_DONTDUMP` (left out of core files). Both calls are best effort: when RLIMIT_MEMLOCK is exhausted or the
/// kernel lacks MADV_DONTDUMP the slot still works and is still wiped on release. Pages are carved into 128 slots
/// and kept for the life of the process, so a program holding a handful of keys maps one page.

#include "chain/bytes.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace sluice {

/// Overwrites `size` bytes at `data` in a way the compiler cannot elide (OPENSSL_cleanse).
void secure_wipe(void* data, std::size_t size) noexcept;
inline void secure_wipe(std::string& s) noexcept { secure_wipe(s.data(), s.size()); }
inline void secure_wipe(Bytes& b) noexcept { secure_wipe(b.data(), b.size()); }

/// One 32-byte slot of locked, non-dumpable memory, zero-filled. Never returns null (throws std::bad_alloc when
/// no page can be mapped).
std::uint8_t* secure_slot_allocate();
/// Wipes the slot and returns it to the pool; null is ignored.
void secure_slot_release(std::uint8_t* slot) noexcept;

/// A fixed-size buffer on the stack for short-lived intermediates (derived keys, plaintexts) that is wiped when
/// it goes out of scope.
template <std::size_t N>
struct WipedArray {
  std::array<std::uint8_t, N> bytes{};
  WipedArray() = default;
  WipedArray(const WipedArray&) = delete;
  WipedArray& operator=(const WipedArray&) = delete;
  ~WipedArray() { secure_wipe(bytes.data(), N); }
  std::uint8_t* data() noexcept { return bytes.data(); }
  const std::uint8_t* data() const noexcept { return bytes.data(); }
  static constexpr std::size_t size() noexcept { return N; }
  ByteView view() const noexcept { return {bytes.data(), N}; }
};

/// A string holding a secret (a password) that is wiped when it goes out of scope.
class WipedString {
 public:
  WipedString() = default;
  explicit WipedString(std::string s) noexcept : value_(std::move(s)) {}
  WipedString(WipedString&& other) noexcept : value_(std::move(other.value_)) { other.value_.clear(); }
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  WipedString& operator=(WipedString&&) = delete;
  ~WipedString() { secure_wipe(value_); }
  const std::string& value() const noexcept { return value_; }
  std::string& value() noexcept { return value_; }

 private:
  std::string value_;
};

}  // namespace sluice
