#include "strategy/core/decode_error.hpp"

#include <ostream>

namespace sluice {

std::ostream& operator<<(std::ostream& os, const DecodeError& error) { return os << error.describe(); }

void throw_exception_from_error(const DecodeError& error, const boost::source_location&) {
  throw DecodeException(error);
}

}  // namespace sluice
