#pragma once
/// A configuration error: where (file and line, from toml++ source regions) and which dotted key was wrong.

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>

namespace sluice::config {

struct ConfigError {
  std::string file;        ///< path as given to the loader
  std::uint32_t line = 0;  ///< 1-based: the key's line, or its table's when missing; 0: none (unreadable file)
  std::string key;         ///< dotted key, e.g. "aave.pool"; empty for syntax errors
  std::string message;     ///< what was wrong

  /// "<file>:<line>: <key>: <message>" (no key part for syntax errors, no line part for an unreadable file).
  std::string describe() const;
};

std::ostream& operator<<(std::ostream& os, const ConfigError& error);

/// Thrown only by `ConfigResult<T>::value()` on an error; the loader itself never throws.
class ConfigException : public std::runtime_error {
 public:
  explicit ConfigException(ConfigError error) : std::runtime_error(error.describe()), error_(std::move(error)) {}
  const ConfigError& error() const noexcept { return error_; }

 private:
  ConfigError error_;
};

/// Found by ADL: `boost::system::result<T, ConfigError>::value()` throws this way.
[[noreturn]] void throw_exception_from_error(const ConfigError& error, const boost::source_location& location);

template <class T>
using ConfigResult = boost::system::result<T, ConfigError>;

}  // namespace sluice::config
