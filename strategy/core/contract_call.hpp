#pragma once
/// A read the strategy wants made: an eth_call of `data` on `to`. Strategy code is pure, so protocol adapters
/// describe their state reads as lists of `ContractCall`s and decode the return data; the keeper runs them
/// (batched, at one block tag) and hands the results back in the same order.

#include "chain/address.hpp"
#include "chain/bytes.hpp"

#include <vector>

namespace sluice {

struct ContractCall {
  Address to;
  Bytes data;
};

/// The outcome of one `ContractCall`: the return data, or the revert/RPC failure as text.
struct CallOutcome {
  bool ok = false;
  Bytes data;         ///< return data when ok
  std::string error;  ///< node's message when !ok
};

}  // namespace sluice
