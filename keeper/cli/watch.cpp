#include "keeper/cli/watch.hpp"

#include "chain/rpc/ws_connection.hpp"
#include "keeper/cli/cli_error.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <signal.h>

#include <csignal>
#include <cstdio>

namespace sluice::cli {

namespace asio = boost::asio;

namespace {

void append_quoted(std::string& out, const std::string& hex) {
  out += '"';
  out += hex;
  out += '"';
}

Hash parse_topic(std::string_view text) {
  auto hash = Hash::from_hex(text);
  if (!hash) throw CliError("watch: --topic: not a 32-byte hex value: '" + std::string(text) + "'");
  return *hash;
}

}  // namespace

std::string head_json_line(const rpc::BlockHeader& head) {
  std::string out = R"({"type":"head","number":)" + std::to_string(head.number) + R"(,"hash":)";
  append_quoted(out, head.hash.hex());
  out += R"(,"parentHash":)";
  append_quoted(out, head.parent_hash.hex());
  out += R"(,"baseFeePerGas":)";
  out += head.base_fee_per_gas ? head.base_fee_per_gas->to_dec() : "null";
  out += '}';
  return out;
}

std::string log_json_line(const rpc::Log& log) {
  std::string out = R"({"type":"log","blockNumber":)";
  out += log.block_number ? std::to_string(*log.block_number) : "null";
  out += R"(,"logIndex":)";
  out += log.log_index ? std::to_string(*log.log_index) : "null";
  out += R"(,"transactionHash":)";
  if (log.transaction_hash)
    append_quoted(out, log.transaction_hash->hex());
  else
    out += "null";
  out += R"(,"address":)";
  append_quoted(out, log.address.hex());
  out += R"(,"topics":[)";
  for (std::size_t i = 0; i < log.topics.size(); ++i) {
    if (i) out += ',';
    append_quoted(out, log.topics[i].hex());
  }
  out += R"(],"data":)";
  append_quoted(out, to_hex(log.data));
  out += R"(,"removed":)";
  out += log.removed ? "true" : "false";
  out += '}';
  return out;
}

rpc::FollowerOptions watch_options(const WatchConfig& config) {
  if (config.rpc_urls.empty()) throw CliError("watch: at least one --rpc URL is required");
  for (const auto& url : config.rpc_urls) {
    if (rpc::is_ws_url(url)) {
      if (auto parsed = rpc::parse_ws_url(url); !parsed)
        throw CliError("watch: --rpc: " + parsed.error().message() + ": '" + rpc::redact_url(url) + "'");
    } else if (!rpc::is_http_url(url)) {
      throw CliError("watch: --rpc: expected a ws://, wss://, http:// or https:// URL, got '" +
                     rpc::redact_url(url) + "'");
    }
  }
  if ((!config.addresses.empty() || !config.topics.empty()) && !config.logs)
    throw CliError("watch: --address and --topic filter logs: add --logs");
  if (config.poll_interval_ms == 0) throw CliError("watch: --poll-interval-ms must be positive");
  if (config.from_block && config.until_block && *config.until_block < *config.from_block)
    throw CliError("watch: --until-block is below --from-block");
  rpc::FollowerOptions options;
  options.logs = config.logs;
  for (const auto& text : config.addresses) {
    auto address = parse_address(text);
    if (!address) throw CliError("watch: --address: " + address.error().message() + ": '" + text + "'");
    options.addresses.push_back(*address);
  }
  for (const auto& text : config.topics) {
    std::vector<Hash> any_of;
    if (text != "null" && text != "*") {
      std::string_view rest = text;
      for (;;) {
        const auto comma = rest.find(',');
        any_of.push_back(parse_topic(rest.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
    options.topics.push_back(std::move(any_of));
  }
  options.from_block = config.from_block;
  options.poll_interval = std::chrono::milliseconds(config.poll_interval_ms);
  return options;
}

[[noreturn]] void run_watch(const WatchConfig& config) {
  rpc::FollowerOptions options = watch_options(config);
  asio::io_context io(1);
  const auto until = config.until_block;
  std::unique_ptr<rpc::BlockFollower> follower;
  auto stop = [&] { asio::post(io, [&] { follower->stop(); }); };
  follower = std::make_unique<rpc::BlockFollower>(
      io.get_executor(), config.rpc_urls, std::move(options),
      [&](const rpc::FollowerItem& item) {
        const std::string line = item.kind == rpc::FollowerItem::Kind::head ? head_json_line(item.head)
                                                                             : log_json_line(item.log);
        std::fwrite(line.data(), 1, line.size(), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
        // Posted: the block's logs, delivered right after its head in the same step, are printed first.
        if (until && item.kind == rpc::FollowerItem::Kind::head && item.head.number >= *until) stop();
      },
      [](const std::string& line) { std::fprintf(stderr, "watch: %s\n", line.c_str()); });
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) follower->stop();
  });
  std::optional<rpc::RpcResult<void>> outcome;
  asio::co_spawn(io, follower->run(), [&](std::exception_ptr error, rpc::RpcResult<void> result) {
    if (error) std::rethrow_exception(error);
    outcome = std::move(result);
    signals.cancel();
  });
  io.run();
  if (outcome && !*outcome) throw CliError("watch: " + outcome->error().describe());
  // `timeout`, shells and service managers may signal the whole process group right after signalling us. While
  // `signals` exists, its handler absorbs any further SIGINT/SIGTERM; destroying it would restore the default
  // action and a late second signal would kill the process (exit 143) instead of letting it exit 0. Every line
  // is flushed and nothing else is left to do, so leave without running destructors.
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(0);
}

}  // namespace sluice::cli
