#pragma once
/// Typed reads from a toml++ table that name file, line and dotted key in every error (internal to config/).
/// The first error wins: after it, every read returns nothing and the loader stops at the next check, so the
/// user sees the error that comes first in reading order (unknown keys of a table before its missing ones).

#include "chain/address.hpp"
#include "chain/hash.hpp"
#include "config/config_error.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

/// Holds the file name and the first error.
class ErrorSink {
 public:
  explicit ErrorSink(std::string file) : file_(std::move(file)) {}
  bool failed() const noexcept { return error_.has_value(); }
  /// Records an error at `line` (0 becomes 1: a region toml++ does not know) unless one is already recorded.
  void fail(std::uint32_t line, std::string key, std::string message);
  const std::optional<ConfigError>& error() const noexcept { return error_; }

 private:
  std::string file_;
  std::optional<ConfigError> error_;
};

/// "a string", "an integer", ... for messages.
std::string_view type_phrase(toml::node_type type) noexcept;

enum class Presence { required, optional };

/// The keys of `table` in file order (toml++ iterates tables sorted by key; the user wrote them in this order).
std::vector<std::string_view> keys_in_file_order(const toml::table& table);

class TableReader {
 public:
  /// Checks right away that every key of `table` is in `known` (an unknown key is an error naming the known ones).
  /// `prefix` is the table's dotted path ("" for the root).
  TableReader(ErrorSink& sink, const toml::table& table, std::string prefix,
              std::initializer_list<std::string_view> known);
  /// A table whose keys are free (e.g. [tokens]): no unknown-key check.
  TableReader(ErrorSink& sink, const toml::table& table, std::string prefix);

  bool failed() const noexcept { return sink_.failed(); }
  ErrorSink& sink() const noexcept { return sink_; }
  const toml::table& table() const noexcept { return table_; }
  std::string dotted(std::string_view key) const;
  /// Line of `key` if present, else of the table.
  std::uint32_t line_of(std::string_view key) const;
  std::uint32_t table_line() const;
  bool has(std::string_view key) const { return table_.contains(key); }
  void fail(std::string_view key, std::string message) const;

  const toml::table* table(std::string_view key, Presence presence) const;
  std::optional<std::string> string(std::string_view key, Presence presence) const;
  /// A string, or an array of strings (at least one element when present).
  std::optional<std::vector<std::string>> strings(std::string_view key, Presence presence) const;
  std::optional<Address> address(std::string_view key, Presence presence) const;
  std::optional<std::uint64_t> unsigned_integer(std::string_view key, Presence presence) const;
  /// An integer or a float, >= 0.
  std::optional<double> non_negative_number(std::string_view key, Presence presence) const;
  /// An array of 32-byte 0x-hex values.
  std::optional<std::vector<Hash>> hashes(std::string_view key, Presence presence) const;
  /// One of `choices` (exact, lowercase).
  std::optional<std::string> choice(std::string_view key, std::initializer_list<std::string_view> choices,
                                    Presence presence) const;

  /// Parses `text` as an address for `key` (EIP-55 checked), recording an error if it is not one.
  std::optional<Address> parse_address_at(std::string_view key, std::string_view text) const;

 private:
  const toml::node* get(std::string_view key, Presence presence) const;
  void wrong_type(std::string_view key, const toml::node& node, std::string_view expected) const;

  ErrorSink& sink_;
  const toml::table& table_;
  std::string prefix_;
};

}  // namespace sluice::config
