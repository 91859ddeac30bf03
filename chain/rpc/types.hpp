#pragma once
/// Values exchanged with an Ethereum node over JSON-RPC (https://ethereum.github.io/execution-apis/api-documentation/).
/// Quantities become `std::uint64_t` where the protocol bounds them to 64 bits (block numbers, gas, nonces,
/// timestamps, indices) and `U256` otherwise (wei amounts, fees).

#include "chain/address.hpp"
#include "chain/bytes.hpp"
#include "chain/hash.hpp"
#include "chain/u256.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sluice::rpc {

using BlockNumber = std::uint64_t;

/// The named blocks of the execution API's BlockTag.
enum class NamedBlock { latest, pending, safe, finalized, earliest };

/// A block parameter: a number, a named block, or (EIP-1898, for eth_call/eth_getBalance/...) a block hash.
class BlockTag {
 public:
  constexpr BlockTag() noexcept = default;                                   ///< latest
  constexpr BlockTag(NamedBlock named) noexcept : value_(named) {}           // NOLINT: implicit by design
  constexpr BlockTag(BlockNumber number) noexcept : value_(number) {}        // NOLINT
  explicit BlockTag(const Hash& block_hash) noexcept : value_(block_hash) {}

  static constexpr BlockTag latest() noexcept { return NamedBlock::latest; }
  static constexpr BlockTag pending() noexcept { return NamedBlock::pending; }
  static constexpr BlockTag safe() noexcept { return NamedBlock::safe; }
  static constexpr BlockTag finalized() noexcept { return NamedBlock::finalized; }
  static constexpr BlockTag earliest() noexcept { return NamedBlock::earliest; }

  const BlockNumber* number() const noexcept { return std::get_if<BlockNumber>(&value_); }
  const NamedBlock* named() const noexcept { return std::get_if<NamedBlock>(&value_); }
  const Hash* hash() const noexcept { return std::get_if<Hash>(&value_); }

  /// The JSON parameter: "0x1b4", "latest", or {"blockHash":"0x..."} (EIP-1898).
  std::string to_json() const;
  friend bool operator==(const BlockTag&, const BlockTag&) = default;

 private:
  std::variant<NamedBlock, BlockNumber, Hash> value_{NamedBlock::latest};
};

const char* to_string(NamedBlock named) noexcept;

/// Header fields of eth_getBlockByNumber (with or without full transactions; we keep only their hashes).
struct BlockHeader {
  BlockNumber number = 0;
  Hash hash;
  Hash parent_hash;
  std::uint64_t timestamp = 0;  ///< seconds since the Unix epoch
  std::optional<U256> base_fee_per_gas;  ///< EIP-1559; absent before London
  std::uint64_t gas_limit = 0;
  std::uint64_t gas_used = 0;
  Address miner;
  std::optional<FixedBytes<256>> logs_bloom;
  std::vector<Hash> transaction_hashes;  ///< filled when the node lists transactions as hashes
  friend bool operator==(const BlockHeader&, const BlockHeader&) = default;
};

struct Log {
  Address address;
  std::vector<Hash> topics;
  Bytes data;
  std::optional<BlockNumber> block_number;  ///< absent for pending logs
  std::optional<Hash> block_hash;
  std::optional<Hash> transaction_hash;
  std::optional<std::uint64_t> transaction_index;
  std::optional<std::uint64_t> log_index;
  bool removed = false;  ///< true when a reorg removed the log (subscriptions, filters)
  friend bool operator==(const Log&, const Log&) = default;
};

/// eth_getLogs filter. Topics: one OR-list per position; an empty list is a wildcard ("null").
/// Either a block range (`from_block`/`to_block`, both optional: the node's default is latest) or `block_hash`.
struct LogFilter {
  std::vector<Address> addresses;
  std::vector<std::vector<Hash>> topics;
  std::optional<BlockTag> from_block;
  std::optional<BlockTag> to_block;
  std::optional<Hash> block_hash;
};

/// Transaction call object of eth_call / eth_estimateGas.
struct CallRequest {
  std::optional<Address> from;
  std::optional<Address> to;  ///< absent: contract creation
  std::optional<std::uint64_t> gas;
  std::optional<U256> gas_price;
  std::optional<U256> max_fee_per_gas;
  std::optional<U256> max_priority_fee_per_gas;
  std::optional<U256> value;
  std::optional<std::uint64_t> nonce;
  Bytes data;  ///< sent as "input" (and "data", for older nodes)
};

/// One account's override for eth_call (geth's state override set). `state` replaces the whole storage;
/// `state_diff` patches individual slots. Setting both is invalid (the node rejects it).
struct AccountOverride {
  std::optional<U256> balance;
  std::optional<std::uint64_t> nonce;
  std::optional<Bytes> code;
  std::optional<std::vector<std::pair<Hash, Hash>>> state;
  std::optional<std::vector<std::pair<Hash, Hash>>> state_diff;
};
using StateOverride = std::vector<std::pair<Address, AccountOverride>>;

/// eth_call's block overrides (geth's BlockOverrides, anvil's 4th eth_call parameter): the block environment the
/// call runs in, e.g. the next block's number and timestamp on the state of the block tag. Unset fields keep the
/// tag's block values.
struct BlockOverrides {
  std::optional<std::uint64_t> number;
  std::optional<std::uint64_t> time;  ///< unix seconds
  std::optional<U256> base_fee;       ///< wei per gas
  bool empty() const noexcept { return !number && !time && !base_fee; }
};

struct Receipt {
  Hash transaction_hash;
  std::uint64_t transaction_index = 0;
  Hash block_hash;
  BlockNumber block_number = 0;
  Address from;
  std::optional<Address> to;
  std::uint64_t cumulative_gas_used = 0;
  std::uint64_t gas_used = 0;
  std::optional<U256> effective_gas_price;
  std::optional<Address> contract_address;
  std::vector<Log> logs;
  std::optional<std::uint64_t> status;  ///< 1 success, 0 failure (absent before Byzantium)
  std::uint64_t type = 0;
};

struct TransactionInfo {
  Hash hash;
  std::uint64_t nonce = 0;
  std::optional<Hash> block_hash;  ///< absent while pending
  std::optional<BlockNumber> block_number;
  std::optional<std::uint64_t> transaction_index;
  Address from;
  std::optional<Address> to;
  U256 value;
  std::uint64_t gas = 0;
  std::optional<U256> gas_price;
  std::optional<U256> max_fee_per_gas;
  std::optional<U256> max_priority_fee_per_gas;
  Bytes input;
  std::uint64_t type = 0;
  std::optional<std::uint64_t> chain_id;
};

/// eth_feeHistory. `base_fee_per_gas` has one more entry than `gas_used_ratio` (the next block's base fee).
struct FeeHistory {
  BlockNumber oldest_block = 0;
  std::vector<U256> base_fee_per_gas;
  std::vector<double> gas_used_ratio;
  std::vector<std::vector<U256>> reward;  ///< per block, one entry per requested percentile
};

}  // namespace sluice::rpc
