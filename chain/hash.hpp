#pragma once
#include "chain/fixed_bytes.hpp"

namespace sluice {
/// A 32-byte Keccak-256 digest (block, transaction, topic, storage slot).
using Hash = FixedBytes<32>;
}  // namespace sluice
