#pragma once
/// Seed of the differential tests: fixed by default so that failures reproduce, overridable with SLUICE_DIFF_SEED.

#include <cstdint>
#include <cstdlib>
#include <string>

namespace sluice::test {

inline std::uint64_t diff_seed(std::uint64_t fallback = 20260101) {
  const char* env = std::getenv("SLUICE_DIFF_SEED");
  return env ? std::stoull(env) : fallback;
}

}  // namespace sluice::test
