#include "chain/rpc/types.hpp"

#include "chain/rpc/quantity.hpp"

namespace sluice::rpc {

const char* to_string(NamedBlock named) noexcept {
  switch (named) {
    case NamedBlock::latest: return "latest";
    case NamedBlock::pending: return "pending";
    case NamedBlock::safe: return "safe";
    case NamedBlock::finalized: return "finalized";
    case NamedBlock::earliest: return "earliest";
  }
  return "latest";
}

std::string BlockTag::to_json() const {
  if (const auto* n = number()) return '"' + to_quantity(*n) + '"';
  if (const auto* h = hash()) return "{\"blockHash\":\"" + h->hex() + "\"}";
  return std::string("\"") + to_string(*named()) + '"';
}

}  // namespace sluice::rpc
