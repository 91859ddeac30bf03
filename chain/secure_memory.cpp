#include "chain/secure_memory.hpp"

#include <openssl/crypto.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mutex>
#include <new>
#include <vector>

namespace sluice {

void secure_wipe(void* data, std::size_t size) noexcept {
  if (data != nullptr && size != 0) OPENSSL_cleanse(data, size);
}

namespace {

constexpr std::size_t kSlotSize = 32;

/// Free slots across all secure pages. Pages are never unmapped: the pool only grows to the peak number of live
/// secrets, which is tiny for a keeper.
struct SlotPool {
  std::mutex mutex;
  std::vector<std::uint8_t*> free_slots;
  std::size_t total_slots = 0;

  void add_page() {
    const long page_size = sysconf(_SC_PAGESIZE);
    const std::size_t size = page_size > 0 ? static_cast<std::size_t>(page_size) : 4096;
    void* page = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) throw std::bad_alloc();
    // Best effort, see the header: a failure leaves the page swappable/dumpable but still wiped on release.
    (void)mlock(page, size);
#ifdef MADV_DONTDUMP
    (void)madvise(page, size, MADV_DONTDUMP);
#endif
    auto* bytes = static_cast<std::uint8_t*>(page);
    total_slots += size / kSlotSize;
    free_slots.reserve(total_slots);  // so that release never allocates
    for (std::size_t offset = 0; offset + kSlotSize <= size; offset += kSlotSize) free_slots.push_back(bytes + offset);
  }
};

SlotPool& pool() {
  static SlotPool* instance = new SlotPool;  // leaked on purpose: slots may be released during static destruction
  return *instance;
}

}  // namespace

std::uint8_t* secure_slot_allocate() {
  SlotPool& p = pool();
  std::lock_guard lock(p.mutex);
  if (p.free_slots.empty()) p.add_page();
  std::uint8_t* slot = p.free_slots.back();
  p.free_slots.pop_back();
  return slot;  // zero: fresh pages are zero and released slots are wiped
}

void secure_slot_release(std::uint8_t* slot) noexcept {
  if (slot == nullptr) return;
  secure_wipe(slot, kSlotSize);
  SlotPool& p = pool();
  std::lock_guard lock(p.mutex);
  p.free_slots.push_back(slot);  // capacity reserved for every slot in add_page: cannot throw
}

}  // namespace sluice
