#include "keeper/book/state_reader.hpp"

#include <algorithm>

namespace sluice::keeper {

StateReader::StateReader(rpc::Client& client, std::size_t calls_per_batch)
    : client_(client), calls_per_batch_(std::max<std::size_t>(1, calls_per_batch)) {}

boost::asio::awaitable<rpc::RpcResult<rpc::BatchResults>> StateReader::send(std::span<const ContractCall> calls,
                                                                             const rpc::BlockTag& block) {
  std::vector<rpc::RawCall> raw;
  raw.reserve(calls.size());
  for (const auto& c : calls) {
    rpc::CallRequest request;
    request.to = c.to;
    request.data = c.data;
    raw.push_back(rpc::requests::call(request, block));
  }
  ++batches_;
  calls_ += calls.size();
  co_return co_await client_.batch(std::move(raw));
}

boost::asio::awaitable<rpc::RpcResult<std::vector<CallOutcome>>> StateReader::run(std::span<const ContractCall> calls,
                                                                                  rpc::BlockTag block) {
  std::vector<CallOutcome> out;
  out.reserve(calls.size());
  const auto collect = [&](rpc::BatchResults& results) {
    for (auto& r : results) {
      CallOutcome o;
      if (r) {
        auto data = rpc::decode_bytes_result(client_.parser(), *r, "eth_call");
        if (data) {
          o.ok = true;
          o.data = std::move(*data);
        } else {
          o.error = data.error().describe();
        }
      } else {
        o.error = r.error().revert ? r.error().message + " (" + r.error().revert->describe() + ")" : r.error().message;
      }
      out.push_back(std::move(o));
    }
  };
  for (std::size_t start = 0; start < calls.size(); start += calls_per_batch_) {
    const auto chunk = calls.subspan(start, std::min(calls_per_batch_, calls.size() - start));
    auto results = co_await send(chunk, block);
    if (results && results->size() == chunk.size()) {
      collect(*results);
      continue;
    }
    // The batch failed as a whole (or came back short): retry once, as two halves, so that a batch too large for
    // the node or a transient failure costs one more round trip rather than the whole read.
    const std::size_t half = (chunk.size() + 1) / 2;
    for (const auto part : {chunk.first(half), chunk.subspan(half)}) {
      if (part.empty()) continue;
      auto retried = co_await send(part, block);
      if (!retried) co_return retried.error();
      if (retried->size() != part.size())
        co_return rpc::make_error(rpc::ErrorKind::malformed_response, "batch",
                                  "expected " + std::to_string(part.size()) + " results, got " +
                                      std::to_string(retried->size()));
      collect(*retried);
    }
  }
  co_return out;
}

}  // namespace sluice::keeper
