#include "keeper/backtest/erc20_override.hpp"

#include "chain/keccak.hpp"
#include "strategy/plan/calldata.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

namespace sluice::keeper {

namespace {

using Word = std::array<std::uint8_t, 32>;

Word word_of(const Address& a) {
  Word w{};
  std::memcpy(w.data() + 12, a.bytes.data(), 20);
  return w;
}

Word word_of(std::uint32_t index) { return U256{index}.to_be(); }

Hash hash_pair(const Word& first, const Word& second) {
  std::array<std::uint8_t, 64> preimage{};
  std::memcpy(preimage.data(), first.data(), 32);
  std::memcpy(preimage.data() + 32, second.data(), 32);
  return keccak256(ByteView{preimage.data(), preimage.size()});
}

/// The slot of `key` in a mapping whose base slot is `base`: Solidity hashes key . base, Vyper base . key.
Hash mapping_slot(const Word& key, const Word& base, bool vyper_order) {
  return vyper_order ? hash_pair(base, key) : hash_pair(key, base);
}

Hash slot_of(std::uint32_t index, bool vyper_order, const Address& owner) {
  return mapping_slot(word_of(owner), word_of(index), vyper_order);
}

Hash nested_slot_of(std::uint32_t index, bool vyper_order, const Address& owner, const Address& spender) {
  return mapping_slot(word_of(spender), slot_of(index, vyper_order, owner).bytes, vyper_order);
}

Hash hash_of(const U256& value) { return Hash{value.to_be()}; }

// Probe accounts: arbitrary addresses that hold nothing on any real chain (the marker must be the only way the
// probed function can return a marker value).
constexpr Address kProbeOwner{{0x51, 0x1c, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                               0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0e, 0x20}};
constexpr Address kProbeSpender{{0x51, 0x1c, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5e, 0x20}};

constexpr std::uint32_t kCandidates = 2 * (kMaxSlotIndex + 1);

/// Candidate c is index c / 2 in Solidity order (c even) or Vyper order (c odd). Markers are distinct, nonzero
/// and below 2^48, so that a token storing balances in a narrow packed field (uint96, uint128) still returns them.
U256 marker(std::uint32_t candidate) { return U256{0x5100ce000000ULL + candidate}; }
/// A second, different marker for the confirming call.
U256 confirm_marker(std::uint32_t candidate) { return U256{0x5100cf000000ULL + candidate}; }

std::optional<std::uint32_t> candidate_of(const U256& value) {
  for (std::uint32_t c = 0; c < kCandidates; ++c)
    if (value == marker(c)) return c;
  return std::nullopt;
}

/// One eth_call per probe: `data` sent to `token` with `slots` (slot, value) patched into its storage.
rpc::RawCall probe_call(const Address& token, const rpc::BlockTag& block, Bytes data,
                        std::vector<std::pair<Hash, Hash>> slots) {
  rpc::CallRequest request;
  request.to = token;
  request.data = std::move(data);
  rpc::AccountOverride account;
  account.state_diff = std::move(slots);
  return rpc::requests::call(request, block, rpc::StateOverride{{token, std::move(account)}});
}

/// The first word an eth_call of a batch returned, or the error text.
boost::system::result<U256, std::string> returned_word(rpc::Client& client, const rpc::RpcResult<std::string>& raw) {
  if (!raw) return raw.error().describe();
  auto data = rpc::decode_bytes_result(client.parser(), *raw, "eth_call");
  if (!data) return data.error().describe();
  if (data->size() < 32) return "returned " + std::to_string(data->size()) + " bytes, not a uint256";
  return *U256::from_be(ByteView{data->data(), 32});
}

std::string token_error(const Address& token, const std::string& what) {
  return "token " + to_checksum(token) + ": " + what;
}

}  // namespace

Hash balance_slot(const Erc20Layout& layout, const Address& owner) {
  return slot_of(layout.balance_index, layout.balance_vyper_order, owner);
}

Hash allowance_slot(const Erc20Layout& layout, const Address& owner, const Address& spender) {
  return nested_slot_of(layout.allowance_index, layout.allowance_vyper_order, owner, spender);
}

boost::asio::awaitable<boost::system::result<Erc20Layout, std::string>> probe_erc20_layout(rpc::Client& client,
                                                                                           Address token,
                                                                                           rpc::BlockTag block) {
  // Round 1: every candidate slot at once, each with its own marker, so the value read names the slot. Round 2
  // confirms the slots found, each overridden alone.
  std::vector<std::pair<Hash, Hash>> balance_slots, allowance_slots;
  balance_slots.reserve(kCandidates);
  allowance_slots.reserve(kCandidates);
  for (std::uint32_t c = 0; c < kCandidates; ++c) {
    const std::uint32_t index = c / 2;
    const bool vyper = c % 2 == 1;
    balance_slots.emplace_back(slot_of(index, vyper, kProbeOwner), hash_of(marker(c)));
    allowance_slots.emplace_back(nested_slot_of(index, vyper, kProbeOwner, kProbeSpender), hash_of(marker(c)));
  }
  const Bytes balance_of = plan::erc20_balance_of(kProbeOwner);
  const Bytes allowance = plan::erc20_allowance(kProbeOwner, kProbeSpender);

  std::vector<rpc::RawCall> calls;
  calls.push_back(probe_call(token, block, balance_of, std::move(balance_slots)));
  calls.push_back(probe_call(token, block, allowance, std::move(allowance_slots)));
  auto results = co_await client.batch(std::move(calls));
  if (!results) co_return token_error(token, "probe failed: " + results.error().describe());
  if (results->size() != 2) co_return token_error(token, "probe batch came back with " +
                                                             std::to_string(results->size()) + " results, not 2");

  static const std::string kWhere = " in the first " + std::to_string(kMaxSlotIndex + 1) + " slots";
  const auto found = [&](std::size_t i, const char* function,
                         const char* shape) -> boost::system::result<std::uint32_t, std::string> {
    auto value = returned_word(client, (*results)[i]);
    if (!value) return token_error(token, std::string(function) + " probe failed: " + value.error());
    const auto c = candidate_of(*value);
    if (!c) return token_error(token, std::string(function) + " is not a " + shape + kWhere);
    return *c;
  };
  const auto balance_candidate = found(0, "balanceOf", "plain mapping");
  if (!balance_candidate) co_return balance_candidate.error();
  const auto allowance_candidate = found(1, "allowance", "plain nested mapping");
  if (!allowance_candidate) co_return allowance_candidate.error();

  Erc20Layout layout;
  layout.token = token;
  layout.balance_index = *balance_candidate / 2;
  layout.balance_vyper_order = *balance_candidate % 2 == 1;
  layout.allowance_index = *allowance_candidate / 2;
  layout.allowance_vyper_order = *allowance_candidate % 2 == 1;

  const U256 balance_value = confirm_marker(*balance_candidate);
  const U256 allowance_value = confirm_marker(*allowance_candidate);
  calls.clear();
  calls.push_back(
      probe_call(token, block, balance_of, {{balance_slot(layout, kProbeOwner), hash_of(balance_value)}}));
  calls.push_back(probe_call(token, block, allowance,
                             {{allowance_slot(layout, kProbeOwner, kProbeSpender), hash_of(allowance_value)}}));
  results = co_await client.batch(std::move(calls));
  if (!results) co_return token_error(token, "probe failed: " + results.error().describe());
  if (results->size() != 2) co_return token_error(token, "probe batch came back with " +
                                                             std::to_string(results->size()) + " results, not 2");
  const auto confirm = [&](std::size_t i, const char* function, const U256& expected) -> std::optional<std::string> {
    auto value = returned_word(client, (*results)[i]);
    if (!value) return token_error(token, std::string(function) + " probe failed: " + value.error());
    if (*value != expected)
      return token_error(token, std::string(function) + " does not return its slot alone (read " + value->to_dec() +
                                    ", wrote " + expected.to_dec() + ")");
    return std::nullopt;
  };
  if (auto e = confirm(0, "balanceOf", balance_value)) co_return *e;
  if (auto e = confirm(1, "allowance", allowance_value)) co_return *e;
  co_return layout;
}

void add_erc20_override(rpc::StateOverride& overrides, const Erc20Layout& layout, const Address& owner,
                        const U256& amount, std::span<const Address> spenders) {
  auto entry = std::find_if(overrides.begin(), overrides.end(), [&](const auto& o) { return o.first == layout.token; });
  if (entry == overrides.end()) {
    overrides.emplace_back(layout.token, rpc::AccountOverride{});
    entry = std::prev(overrides.end());
  }
  // A full `state` replacement already set for the token takes the slots too (the node rejects both at once).
  auto& slots = entry->second.state ? *entry->second.state
                                    : (entry->second.state_diff ? *entry->second.state_diff
                                                                : entry->second.state_diff.emplace());
  const auto put = [&](const Hash& slot, const Hash& value) {
    const auto same = std::find_if(slots.begin(), slots.end(), [&](const auto& s) { return s.first == slot; });
    if (same != slots.end())
      same->second = value;
    else
      slots.emplace_back(slot, value);
  };
  put(balance_slot(layout, owner), hash_of(amount));
  for (const auto& spender : spenders) put(allowance_slot(layout, owner, spender), hash_of(U256::max()));
}

}  // namespace sluice::keeper
