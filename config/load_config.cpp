#include "config/load_config.hpp"

#include "chain/decimal_amount.hpp"
#include "chain/rpc/block_follower.hpp"
#include "chain/rpc/error.hpp"
#include "chain/rpc/ws_connection.hpp"
#include "config/toml_reader.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

namespace sluice::config {

namespace {

constexpr std::string_view kDefaultJournal = "sluice-journal.sqlite";
constexpr Presence kRequired = Presence::required;
constexpr Presence kOptional = Presence::optional;

/// A path from the file; relative ones are resolved against the directory of the config file.
std::filesystem::path resolve(const std::filesystem::path& source, const std::string& text) {
  std::filesystem::path p(text);
  return p.is_absolute() ? p : source.parent_path() / p;
}

std::vector<std::string> urls(const TableReader& t, std::string_view key, Presence presence,
                              bool (*accepts)(std::string_view) noexcept, std::string_view expected) {
  auto list = t.strings(key, presence);
  if (!list) return {};
  for (const auto& url : *list) {
    if (accepts(url)) continue;
    // URLs may carry an API key: show only scheme://host[:port].
    t.fail(key, "'" + rpc::redact_url(url) + "': expected " + std::string(expected) + " URL");
    return {};
  }
  return *list;
}

/// A sub-table of the root as a reader with its known keys; nullopt when absent (or on error).
std::optional<TableReader> section(const TableReader& root, std::string_view name, Presence presence,
                                   std::initializer_list<std::string_view> known) {
  const toml::table* table = root.table(name, presence);
  if (!table) return std::nullopt;
  return TableReader(root.sink(), *table, std::string(name), known);
}

ChainConfig read_chain(const TableReader& root) {
  ChainConfig out;
  auto t = section(root, "chain", kRequired, {"rpc_http", "rpc_ws", "chain_id"});
  if (!t) return out;
  out.rpc_http = urls(*t, "rpc_http", kRequired, rpc::is_http_url, "an http:// or https://");
  out.rpc_ws = urls(*t, "rpc_ws", kOptional, rpc::is_ws_url, "a ws:// or wss://");
  if (auto id = t->unsigned_integer("chain_id", kRequired)) {
    if (*id == 0) t->fail("chain_id", "expected a positive chain id, got 0");
    out.chain_id = *id;
  }
  return out;
}

bool is_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::optional<SignerConfig> read_signer(const TableReader& root, const std::filesystem::path& source) {
  const toml::table* table = root.table("signer", kOptional);
  if (!table) return std::nullopt;
  if (table->contains("private_key")) {
    // A clearer word than "unknown key", and the value (perhaps a real key) is never echoed.
    TableReader(root.sink(), *table, "signer")
        .fail("private_key",
              "a private key never goes in the config file: name an environment variable with private_key_env, "
              "or use keystore and password_file");
    return std::nullopt;
  }
  TableReader t(root.sink(), *table, "signer", {"private_key_env", "keystore", "password_file", "address"});
  SignerConfig out;
  out.private_key_env = t.string("private_key_env", kOptional);
  if (out.private_key_env && !is_env_name(*out.private_key_env))
    // Not echoed either: a key pasted here by mistake must not reach a log.
    t.fail("private_key_env", "expected the name of an environment variable ([A-Za-z_][A-Za-z0-9_]*)");
  if (auto keystore = t.string("keystore", kOptional)) out.keystore = resolve(source, *keystore);
  if (auto password = t.string("password_file", kOptional)) out.password_file = resolve(source, *password);
  out.address = t.address("address", kOptional);
  if (t.failed()) return out;
  if (out.private_key_env && out.keystore)
    t.fail("keystore", "give either private_key_env or keystore, not both");
  else if (!out.private_key_env && !out.keystore)
    t.fail("private_key_env", "missing required value (or keystore with password_file)");
  else if (out.keystore && !out.password_file)
    t.fail("password_file", "missing required value (keystore needs it)");
  else if (!out.keystore && out.password_file)
    t.fail("password_file", "only valid with keystore");
  return out;
}

std::optional<AaveConfig> read_aave(const TableReader& root) {
  auto t = section(root, "aave", kOptional,
                   {"pool", "pool_addresses_provider", "oracle", "data_provider", "start_block"});
  if (!t) return std::nullopt;
  AaveConfig out;
  out.pool = t->address("pool", kRequired).value_or(Address{});
  out.pool_addresses_provider = t->address("pool_addresses_provider", kRequired).value_or(Address{});
  out.oracle = t->address("oracle", kOptional);
  out.data_provider = t->address("data_provider", kOptional);
  out.start_block = t->unsigned_integer("start_block", kRequired).value_or(0);
  return out;
}

std::optional<MorphoConfig> read_morpho(const TableReader& root) {
  auto t = section(root, "morpho", kOptional, {"morpho", "markets", "start_block"});
  if (!t) return std::nullopt;
  MorphoConfig out;
  out.morpho = t->address("morpho", kRequired).value_or(Address{});
  out.markets = t->hashes("markets", kOptional).value_or(std::vector<Hash>{});
  out.start_block = t->unsigned_integer("start_block", kRequired).value_or(0);
  return out;
}

/// [tokens] SYMBOL = address, then [feeds] SYMBOL = address for symbols of [tokens].
std::vector<TokenConfig> read_tokens(const TableReader& root) {
  std::vector<TokenConfig> out;
  if (const toml::table* tokens = root.table("tokens", kOptional)) {
    TableReader t(root.sink(), *tokens, "tokens");
    for (std::string_view symbol : keys_in_file_order(*tokens)) {
      if (t.failed()) break;
      if (auto a = t.address(symbol, kRequired)) out.push_back({std::string(symbol), *a, std::nullopt});
    }
  }
  if (const toml::table* feeds = root.table("feeds", kOptional)) {
    TableReader t(root.sink(), *feeds, "feeds");
    for (std::string_view symbol : keys_in_file_order(*feeds)) {
      if (t.failed()) break;
      auto a = t.address(symbol, kRequired);
      if (!a) break;
      auto token = std::find_if(out.begin(), out.end(), [&](const TokenConfig& c) { return c.symbol == symbol; });
      if (token == out.end()) {
        t.fail(symbol, "no token " + std::string(symbol) + " in [tokens]");
        break;
      }
      token->usd_feed = *a;
    }
  }
  return out;
}

std::optional<UniswapV2Config> read_uniswap_v2(const TableReader& root, const std::vector<TokenConfig>& tokens) {
  auto t = section(root, "uniswap_v2", kOptional, {"factory", "router", "pools"});
  if (!t) return std::nullopt;
  UniswapV2Config out;
  out.factory = t->address("factory", kRequired).value_or(Address{});
  out.router = t->address("router", kRequired).value_or(Address{});
  if (const toml::table* pools = t->table("pools", kOptional)) {
    TableReader p(root.sink(), *pools, "uniswap_v2.pools");
    const auto known = [&](std::string_view symbol) {
      return std::any_of(tokens.begin(), tokens.end(), [&](const TokenConfig& c) { return c.symbol == symbol; });
    };
    for (std::string_view name : keys_in_file_order(*pools)) {
      if (p.failed()) break;
      const auto slash = name.find('/');
      if (slash == std::string_view::npos || !known(name.substr(0, slash)) || !known(name.substr(slash + 1))) {
        p.fail(name, "expected a pair named BASE/QUOTE by two symbols of [tokens]");
        break;
      }
      if (auto a = p.address(name, kRequired)) out.pools.push_back({std::string(name), *a});
    }
  }
  return out;
}

StrategyConfig read_strategy(const TableReader& root) {
  StrategyConfig out;
  auto t = section(root, "strategy", kOptional,
                   {"min_profit_usd", "max_collateral_sold_usd_per_block", "max_price_impact_bps", "max_in_flight",
                    "priority_fee_gwei", "max_fee_share_of_profit", "dispose"});
  if (!t) return out;
  out.min_profit_usd = t->non_negative_number("min_profit_usd", kOptional).value_or(out.min_profit_usd);
  out.max_collateral_sold_usd_per_block = t->non_negative_number("max_collateral_sold_usd_per_block", kOptional)
                                              .value_or(out.max_collateral_sold_usd_per_block);
  if (auto bps = t->unsigned_integer("max_price_impact_bps", kOptional)) {
    if (*bps > 10000) t->fail("max_price_impact_bps", "expected at most 10000 (100%), got " + std::to_string(*bps));
    out.max_price_impact_bps = static_cast<std::uint32_t>(std::min<std::uint64_t>(*bps, 10000));
  }
  if (auto n = t->unsigned_integer("max_in_flight", kOptional)) {
    if (*n == 0 || *n > 1000) t->fail("max_in_flight", "expected 1 to 1000, got " + std::to_string(*n));
    out.max_in_flight = static_cast<std::uint32_t>(std::min<std::uint64_t>(*n, 1000));
  }
  out.priority_fee_gwei = t->non_negative_number("priority_fee_gwei", kOptional).value_or(out.priority_fee_gwei);
  if (auto share = t->non_negative_number("max_fee_share_of_profit", kOptional)) {
    if (*share > 1) t->fail("max_fee_share_of_profit", "expected a share between 0 and 1");
    out.max_fee_share_of_profit = *share;
  }
  if (auto mode = t->choice("dispose", {"throttled", "immediate", "keep"}, kOptional))
    out.dispose = *mode == "immediate" ? DisposeMode::immediate
                  : *mode == "keep"    ? DisposeMode::keep
                                       : DisposeMode::throttled;
  return out;
}

/// [backtest] address and inventory = { SYMBOL = "amount", ... } (symbols of [tokens], plain decimal amounts in
/// whole tokens: the token's decimals are read from chain, so an amount too precise for them is the engine's error).
BacktestConfig read_backtest(const TableReader& root, const std::vector<TokenConfig>& tokens) {
  BacktestConfig out;
  auto t = section(root, "backtest", kOptional, {"address", "inventory"});
  if (!t) return out;
  out.address = t->address("address", kOptional);
  const toml::table* inventory = t->table("inventory", kOptional);
  if (!inventory) return out;
  TableReader p(root.sink(), *inventory, "backtest.inventory");
  for (std::string_view symbol : keys_in_file_order(*inventory)) {
    if (p.failed()) break;
    if (std::none_of(tokens.begin(), tokens.end(), [&](const TokenConfig& c) { return c.symbol == symbol; })) {
      p.fail(symbol, "no token " + std::string(symbol) + " in [tokens]");
      break;
    }
    std::string amount;
    if (const toml::node* node = inventory->get(symbol); node && node->is_integer() && node->value<std::int64_t>() >= 0)
      amount = std::to_string(*node->value<std::int64_t>());
    else if (auto text = p.string(symbol, kRequired))
      amount = *text;
    else
      break;
    if (!is_decimal_amount(amount)) {
      p.fail(symbol, "'" + amount + "': expected a whole-token amount such as \"250000\" or \"1.5\"");
      break;
    }
    out.inventory.emplace_back(std::string(symbol), amount);
  }
  return out;
}

/// "host:port" with a port in 1..65535 ("[v6]:port" works too: the port is after the last colon).
bool is_host_port(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view port = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc{} && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

void read_outputs(const TableReader& root, const std::filesystem::path& source, KeeperConfig& out) {
  out.journal_path = resolve(source, std::string(kDefaultJournal));
  if (auto t = section(root, "journal", kOptional, {"path"}))
    if (auto path = t->string("path", kOptional)) out.journal_path = resolve(source, *path);
  if (auto t = section(root, "metrics", kOptional, {"address"})) {
    if (auto address = t->string("address", kOptional)) {
      if (!is_host_port(*address)) t->fail("address", "'" + *address + "': expected host:port");
      out.metrics_address = *address;
    }
  }
  if (auto t = section(root, "log", kOptional, {"format", "level"})) {
    if (auto format = t->choice("format", {"text", "json"}, kOptional))
      out.log_format = *format == "json" ? LogFormat::json : LogFormat::text;
    if (auto level = t->choice("level", {"trace", "debug", "info", "warn", "error"}, kOptional)) {
      constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error"};
      for (std::size_t i = 0; i < std::size(kLevels); ++i)
        if (*level == kLevels[i]) out.log_level = static_cast<LogLevel>(i);
    }
  }
}

}  // namespace

ConfigResult<KeeperConfig> parse_keeper_config(std::string_view text, const std::filesystem::path& source) {
  ErrorSink sink(source.string());
  toml::table document;
  try {
    document = toml::parse(text, source.string());
  } catch (const toml::parse_error& e) {
    sink.fail(e.source().begin.line, "", "TOML syntax: " + std::string(e.description()));
    return *sink.error();
  }

  TableReader root(sink, document, "",
                   {"chain", "signer", "aave", "morpho", "tokens", "feeds", "uniswap_v2", "strategy", "journal",
                    "metrics", "log", "backtest"});
  KeeperConfig out;
  out.source = source;
  out.chain = read_chain(root);
  out.signer = read_signer(root, source);
  out.aave = read_aave(root);
  out.morpho = read_morpho(root);
  out.tokens = read_tokens(root);
  out.uniswap_v2 = read_uniswap_v2(root, out.tokens);
  out.strategy = read_strategy(root);
  out.backtest = read_backtest(root, out.tokens);
  read_outputs(root, source, out);
  if (!sink.failed() && !out.aave && !out.morpho)
    sink.fail(1, "aave", "missing required value: configure [aave] or [morpho] (or both)");
  if (sink.failed()) return *sink.error();
  return out;
}

ConfigResult<KeeperConfig> load_keeper_config(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return ConfigError{path.string(), 0, "", "cannot read: no such file"};
  if (std::filesystem::is_directory(path, ec)) return ConfigError{path.string(), 0, "", "cannot read: a directory"};
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) return ConfigError{path.string(), 0, "", "cannot read: permission denied or I/O error"};
  return parse_keeper_config(text.str(), path);
}

}  // namespace sluice::config
