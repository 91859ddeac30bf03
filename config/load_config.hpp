#pragma once
/// Loading the keeper's TOML configuration (https://toml.io/en/v1.0.0) into `KeeperConfig`. Every error names the
/// file, the line and the dotted key: an unknown key (typos are errors, not silently ignored), a wrong type, a
/// missing required value, a malformed or badly checksummed (EIP-55) address. Never throws.

#include "config/config_error.hpp"
#include "config/keeper_config.hpp"

#include <filesystem>
#include <string_view>

namespace sluice::config {

/// Parses `text` as if read from `source` (used in messages and to resolve relative paths).
ConfigResult<KeeperConfig> parse_keeper_config(std::string_view text, const std::filesystem::path& source);

/// Reads and parses the file at `path`; an unreadable file is an error naming it.
ConfigResult<KeeperConfig> load_keeper_config(const std::filesystem::path& path);

}  // namespace sluice::config
