#include "config/toml_reader.hpp"

#include <algorithm>
#include <cmath>

namespace sluice::config {

namespace {

/// TOML bare keys are A-Za-z0-9_-; anything else is shown quoted, as it would be written in the file.
std::string key_text(std::string_view key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  return bare ? std::string(key) : "\"" + std::string(key) + "\"";
}

std::uint32_t line_of_node(const toml::node& node) { return node.source().begin.line; }

}  // namespace

void ErrorSink::fail(std::uint32_t line, std::string key, std::string message) {
  if (error_) return;
  error_ = ConfigError{file_, line == 0 ? 1 : line, std::move(key), std::move(message)};
}

std::string_view type_phrase(toml::node_type type) noexcept {
  switch (type) {
    case toml::node_type::none: return "nothing";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
  }
  return "a value";
}

std::vector<std::string_view> keys_in_file_order(const toml::table& table) {
  std::vector<std::pair<toml::source_position, std::string_view>> keys;
  for (const auto& [key, node] : table) {
    const toml::source_position at = key.source().begin ? key.source().begin : node.source().begin;
    keys.emplace_back(at, key.str());
  }
  std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
    return std::pair(a.first.line, a.first.column) < std::pair(b.first.line, b.first.column);
  });
  std::vector<std::string_view> out;
  for (const auto& [at, key] : keys) out.push_back(key);
  return out;
}

TableReader::TableReader(ErrorSink& sink, const toml::table& table, std::string prefix)
    : sink_(sink), table_(table), prefix_(std::move(prefix)) {}

TableReader::TableReader(ErrorSink& sink, const toml::table& table, std::string prefix,
                         std::initializer_list<std::string_view> known)
    : TableReader(sink, table, std::move(prefix)) {
  for (std::string_view key : keys_in_file_order(table_)) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string expected;
    for (auto k : known) expected += (expected.empty() ? "" : ", ") + std::string(k);
    fail(key, "unknown key (expected one of: " + expected + ")");
    return;
  }
}

std::string TableReader::dotted(std::string_view key) const {
  return prefix_.empty() ? key_text(key) : prefix_ + "." + key_text(key);
}

std::uint32_t TableReader::table_line() const { return line_of_node(table_); }

std::uint32_t TableReader::line_of(std::string_view key) const {
  if (const toml::node* node = table_.get(key)) return line_of_node(*node);
  return table_line();
}

void TableReader::fail(std::string_view key, std::string message) const {
  sink_.fail(line_of(key), dotted(key), std::move(message));
}

const toml::node* TableReader::get(std::string_view key, Presence presence) const {
  if (sink_.failed()) return nullptr;
  const toml::node* node = table_.get(key);
  if (!node && presence == Presence::required) fail(key, "missing required value");
  return node;
}

void TableReader::wrong_type(std::string_view key, const toml::node& node, std::string_view expected) const {
  fail(key, "expected " + std::string(expected) + ", got " + std::string(type_phrase(node.type())));
}

const toml::table* TableReader::table(std::string_view key, Presence presence) const {
  const toml::node* node = get(key, presence);
  if (!node) return nullptr;
  if (!node->is_table()) {
    wrong_type(key, *node, "a table");
    return nullptr;
  }
  return node->as_table();
}

std::optional<std::string> TableReader::string(std::string_view key, Presence presence) const {
  const toml::node* node = get(key, presence);
  if (!node) return std::nullopt;
  if (!node->is_string()) {
    wrong_type(key, *node, "a string");
    return std::nullopt;
  }
  return node->as_string()->get();
}

std::optional<std::vector<std::string>> TableReader::strings(std::string_view key, Presence presence) const {
  const toml::node* node = get(key, presence);
  if (!node) return std::nullopt;
  if (node->is_string()) return std::vector<std::string>{node->as_string()->get()};
  const toml::array* array = node->as_array();
  if (!array) {
    wrong_type(key, *node, "a string or an array of strings");
    return std::nullopt;
  }
  if (array->empty()) {
    fail(key, "expected at least one value, got an empty array");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const toml::node& element : *array) {
    if (!element.is_string()) {
      sink_.fail(line_of_node(element), dotted(key),
                 "expected an array of strings, got " + std::string(type_phrase(element.type())) + " in it");
      return std::nullopt;
    }
    out.push_back(element.as_string()->get());
  }
  return out;
}

std::optional<Address> TableReader::parse_address_at(std::string_view key, std::string_view text) const {
  auto parsed = parse_address(text);
  if (!parsed) {
    fail(key, "'" + std::string(text) + "': " + parsed.error().message());
    return std::nullopt;
  }
  return *parsed;
}

std::optional<Address> TableReader::address(std::string_view key, Presence presence) const {
  const toml::node* node = get(key, presence);
  if (!node) return std::nullopt;
  if (!node->is_string()) {
    wrong_type(key, *node, "an address string");
    return std::nullopt;
  }
  return parse_address_at(key, node->as_string()->get());
}

std::optional<std::uint64_t> TableReader::unsigned_integer(std::string_view key, Presence presence) const {
  const toml::node* node = get(key, presence);
  if (!node) return std::nullopt;
  if (!node->is_integer()) {
    wrong_type(key, *node, "an integer");
    return std::nullopt;
  }
  const std::int64_t value = node->as_integer()->get();
  if (value < 0) {
    fail(key, "expected a non-negative integer, got " + std::to_string(value));
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(value);
}

std::optional<double> TableReader::non_negative_number(std::string_view key, Presence presence) const {
  const toml::node* node = get(key, presence);
  if (!node) return std::nullopt;
  double value = 0;
  if (node->is_integer())
    value = static_cast<double>(node->as_integer()->get());
  else if (node->is_floating_point())
    value = node->as_floating_point()->get();
  else {
    wrong_type(key, *node, "a number");
    return std::nullopt;
  }
  if (!(value >= 0) || std::isinf(value)) {
    fail(key, "expected a finite non-negative number");
    return std::nullopt;
  }
  return value;
}

std::optional<std::vector<Hash>> TableReader::hashes(std::string_view key, Presence presence) const {
  const toml::node* node = get(key, presence);
  if (!node) return std::nullopt;
  const toml::array* array = node->as_array();
  if (!array) {
    wrong_type(key, *node, "an array of 32-byte hex strings");
    return std::nullopt;
  }
  std::vector<Hash> out;
  for (const toml::node& element : *array) {
    const auto* text = element.as_string();
    auto hash = text ? Hash::from_hex(text->get()) : Result<Hash>{};
    if (!text || !hash || text->get().size() != 66) {
      sink_.fail(line_of_node(element), dotted(key),
                 text ? "'" + text->get() + "': expected 0x and 64 hex digits"
                      : "expected an array of 32-byte hex strings, got " + std::string(type_phrase(element.type())) +
                            " in it");
      return std::nullopt;
    }
    out.push_back(*hash);
  }
  return out;
}

std::optional<std::string> TableReader::choice(std::string_view key, std::initializer_list<std::string_view> choices,
                                               Presence presence) const {
  auto text = string(key, presence);
  if (!text) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *text) != choices.end()) return text;
  std::string expected;
  for (auto c : choices) expected += (expected.empty() ? "\"" : ", \"") + std::string(c) + "\"";
  fail(key, "'" + *text + "': expected one of " + expected);
  return std::nullopt;
}

}  // namespace sluice::config
