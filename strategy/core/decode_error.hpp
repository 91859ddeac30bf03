#pragma once
/// Failures of decoding chain data in strategy code (a call's return data, an event log): the error names what
/// was being decoded ("Aave Pool.getReserveData", "Morpho event Borrow") and why, so a keeper log line says
/// which read or which log was at fault. Never thrown by the decoders; `.value()` on a failed result throws
/// `DecodeException` (tests, start-up code).

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <utility>

namespace sluice {

struct DecodeError {
  /// Two-argument only, so that a `DecodeResult<std::string>` never mistakes a string for an error.
  DecodeError() = default;
  DecodeError(std::string what, std::string why) : subject(std::move(what)), reason(std::move(why)) {}

  std::string subject;  ///< what was decoded, e.g. "Aave event Supply"
  std::string reason;   ///< why it failed, e.g. "expected 3 topics, got 2"
  /// "<subject>: <reason>".
  std::string describe() const { return subject + ": " + reason; }
  friend bool operator==(const DecodeError&, const DecodeError&) = default;
};

std::ostream& operator<<(std::ostream& os, const DecodeError& error);

class DecodeException : public std::runtime_error {
 public:
  explicit DecodeException(const DecodeError& error) : std::runtime_error(error.describe()) {}
};

/// Found by ADL: `DecodeResult<T>::value()` throws this way.
[[noreturn]] void throw_exception_from_error(const DecodeError& error, const boost::source_location& location);

template <class T>
using DecodeResult = boost::system::result<T, DecodeError>;

}  // namespace sluice
