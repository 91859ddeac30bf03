#include "keeper/backtest/range_reader.hpp"

#include "chain/rpc/decode.hpp"
#include "chain/rpc/requests.hpp"
#include "keeper/backtest/uniswap_sync.hpp"

#include <algorithm>

namespace sluice::keeper {

namespace {

rpc::RpcError range_error(std::string method, std::uint64_t from, std::uint64_t to, std::string message) {
  rpc::RpcError e;
  e.kind = rpc::ErrorKind::node_error;
  e.method = std::move(method);
  e.message = message + " (blocks " + std::to_string(from) + ".." + std::to_string(to) + ")";
  return e;
}

}  // namespace

boost::asio::awaitable<rpc::RpcResult<RangeData>> read_range(rpc::Client& client, const rpc::LogFilter& book_filter,
                                                             const std::set<Address>& pools, std::uint64_t from,
                                                             std::uint64_t to) {
  RangeData out;
  out.headers.reserve(to - from + 1);
  for (std::uint64_t first = from; first <= to; first += kHeaderBatch) {
    const std::uint64_t last = std::min<std::uint64_t>(to, first + kHeaderBatch - 1);
    std::vector<rpc::RawCall> calls;
    for (std::uint64_t b = first; b <= last; ++b) calls.push_back(rpc::requests::get_block_by_number(rpc::BlockTag(b)));
    auto results = co_await client.batch(std::move(calls));
    if (!results) co_return results.error();
    for (std::uint64_t b = first; b <= last; ++b) {
      auto& raw = (*results)[b - first];
      if (!raw) co_return raw.error();
      auto header = rpc::decode_block_header(client.parser(), *raw);
      if (!header) co_return header.error();
      if (!*header || (*header)->number != b)
        co_return range_error("eth_getBlockByNumber", b, b, "the node does not have block " + std::to_string(b));
      out.headers.push_back(std::move(**header));
    }
  }

  // One filter: the book's addresses and the pools, the book's topics and Sync. A log matching an address of one
  // and a topic of the other is split out below by emitter (pools emit Sync; the book's contracts never do).
  rpc::LogFilter filter;
  filter.addresses = book_filter.addresses;
  filter.addresses.insert(filter.addresses.end(), pools.begin(), pools.end());
  filter.topics = book_filter.topics;
  if (filter.topics.empty()) filter.topics.emplace_back();
  if (!pools.empty() && !filter.topics[0].empty()) filter.topics[0].push_back(sync_topic());
  filter.from_block = rpc::BlockTag(from);
  filter.to_block = rpc::BlockTag(to);
  auto logs = co_await client.get_logs(std::move(filter));
  if (!logs) co_return logs.error();
  const std::set<Address> book_addresses(book_filter.addresses.begin(), book_filter.addresses.end());
  for (rpc::Log& log : *logs) {
    if (!log.block_number || log.removed) continue;
    const bool is_sync = pools.contains(log.address) && !log.topics.empty() && log.topics[0] == sync_topic();
    if (is_sync)
      out.sync_logs[*log.block_number].push_back(std::move(log));
    else if (book_addresses.empty() || book_addresses.contains(log.address))
      out.book_logs[*log.block_number].push_back(std::move(log));
  }
  co_return out;
}

}  // namespace sluice::keeper
