#include "config/config_error.hpp"

namespace sluice::config {

std::string ConfigError::describe() const {
  std::string out = file + (line ? ":" + std::to_string(line) : std::string()) + ": ";
  if (!key.empty()) out += key + ": ";
  return out + message;
}

std::ostream& operator<<(std::ostream& os, const ConfigError& error) { return os << error.describe(); }

void throw_exception_from_error(const ConfigError& error, const boost::source_location&) {
  throw ConfigException(error);
}

}  // namespace sluice::config
