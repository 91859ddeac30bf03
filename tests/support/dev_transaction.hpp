#pragma once
/// The type-2 transaction the tests and benches send from anvil's dev accounts: chain 31337, 1 gwei tip, 100 gwei
/// max fee (far above anvil's base fee, so it is always mined at once).

#include "chain/transaction.hpp"

namespace sluice::test {

inline Eip1559Transaction dev_transaction(std::uint64_t nonce, std::optional<Address> to, Bytes data,
                                          std::uint64_t gas_limit, U256 value = {}) {
  Eip1559Transaction tx;
  tx.chain_id = 31337;
  tx.nonce = nonce;
  tx.max_priority_fee_per_gas = U256(1'000'000'000);
  tx.max_fee_per_gas = U256(100'000'000'000);
  tx.gas_limit = gas_limit;
  tx.to = to;
  tx.value = value;
  tx.data = std::move(data);
  return tx;
}

}  // namespace sluice::test
