#include "keeper/backtest/liquidation_probe.hpp"

#include "chain/abi/encode.hpp"
#include "strategy/core/abi_io.hpp"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace sluice::keeper {

namespace {

const abi::Function& probe_function() {
  static const auto f = abi_io::function("probe(address,bytes,address,address)(uint256,uint256)");
  return f;
}

/// An error for the batch's call `index` that is not a revert, naming eth_call and the block.
rpc::RpcError call_error(rpc::RpcError error, const rpc::BlockTag& block, std::size_t index, std::size_t count) {
  error.method = "eth_call";
  error.message = "probe " + std::to_string(index + 1) + "/" + std::to_string(count) + " at block " +
                  block.to_json() + ": " + error.message;
  return error;
}

}  // namespace

Bytes probe_calldata(const ProbeCall& call) {
  const std::vector<abi::Value> args{call.target, call.calldata, call.debt_token, call.collateral_token};
  auto data = abi::encode_call(probe_function(), args);
  if (!data) std::abort();  // fixed shapes (three addresses and bytes): encoding cannot fail
  return std::move(*data);
}

void add_probe_code(rpc::StateOverride& overrides, const Address& keeper) {
  auto it = std::find_if(overrides.begin(), overrides.end(), [&](const auto& entry) { return entry.first == keeper; });
  if (it == overrides.end()) {
    overrides.emplace_back(keeper, rpc::AccountOverride{});
    it = std::prev(overrides.end());
  }
  it->second.code = liquidation_probe_code();
}

boost::asio::awaitable<rpc::RpcResult<std::vector<ProbeResult>>> probe_liquidations(
    rpc::Client& client, std::span<const ProbeCall> calls, rpc::BlockTag block, rpc::StateOverride overrides,
    rpc::BlockOverrides block_overrides) {
  std::vector<ProbeResult> results(calls.size());
  if (calls.empty()) co_return results;
  for (const auto& call : calls) add_probe_code(overrides, call.keeper);

  std::vector<rpc::RawCall> raw;
  raw.reserve(calls.size());
  for (const auto& call : calls) {
    rpc::CallRequest request;
    // No `from`: msg.sender at the protocol is the probe, i.e. the keeper address, whoever calls the probe; and
    // a sender with code (the overridden keeper) would trip EIP-3607 checks on nodes that apply them to calls.
    request.to = call.keeper;
    request.data = probe_calldata(call);
    raw.push_back(rpc::requests::call(request, block, overrides, block_overrides));
  }

  auto answers = co_await client.batch(std::move(raw));
  if (!answers) {
    rpc::RpcError e = std::move(answers.error());
    e.message = "eth_call batch of " + std::to_string(calls.size()) + " probes at block " + block.to_json() + ": " +
                e.message;
    co_return e;
  }
  if (answers->size() != calls.size())
    co_return call_error(rpc::make_error(rpc::ErrorKind::malformed_response, "eth_call",
                                         std::to_string(answers->size()) + " answers"),
                         block, 0, calls.size());

  for (std::size_t i = 0; i < calls.size(); ++i) {
    const auto& answer = (*answers)[i];
    ProbeResult& out = results[i];
    if (!answer) {
      const rpc::RpcError& e = answer.error();
      if (e.kind != rpc::ErrorKind::node_error || !e.revert) co_return call_error(e, block, i, calls.size());
      out.reverted = true;
      out.revert_data = e.data;
      out.node_message = e.message;
      continue;
    }
    auto bytes = rpc::decode_bytes_result(client.parser(), *answer, "eth_call");
    if (!bytes) co_return call_error(bytes.error(), block, i, calls.size());
    if (bytes->size() != 64) {
      co_return call_error(rpc::make_error(rpc::ErrorKind::malformed_response, "eth_call",
                                           "the probe returned " + std::to_string(bytes->size()) +
                                               " bytes, not 64 (is the node applying the code override?)"),
                           block, i, calls.size());
    }
    out.debt_spent = U256::from_be(ByteView(bytes->data(), 32)).value_or(U256{});
    out.collateral_received = U256::from_be(ByteView(bytes->data() + 32, 32)).value_or(U256{});
  }
  co_return results;
}

}  // namespace sluice::keeper
