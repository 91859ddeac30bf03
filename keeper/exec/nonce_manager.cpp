#include "keeper/exec/nonce_manager.hpp"

#include <algorithm>
#include <limits>

namespace sluice::keeper {

void NonceManager::sync(std::uint64_t node_pending, std::optional<std::uint64_t> journal_highest, bool keep_ahead) {
  std::uint64_t next = node_pending;
  // A journal holding the largest nonce has no successor to give: saturate (reserve would wrap otherwise).
  if (journal_highest)
    next = std::max(next, *journal_highest == std::numeric_limits<std::uint64_t>::max() ? *journal_highest
                                                                                          : *journal_highest + 1);
  if (keep_ahead && synced_) next = std::max(next, next_);
  next = std::max(next, confirmed_);
  next_ = next;
  floor_ = next;
  synced_ = true;
}

bool NonceManager::release(std::uint64_t nonce) noexcept {
  if (next_ == floor_ || nonce + 1 != next_) return false;
  next_ = nonce;
  return true;
}

void NonceManager::set_confirmed(std::uint64_t latest_count) noexcept {
  confirmed_ = latest_count;
  if (next_ < latest_count) {
    next_ = latest_count;
    floor_ = latest_count;
  }
}

}  // namespace sluice::keeper
