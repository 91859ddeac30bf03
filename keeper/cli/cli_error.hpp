#pragma once
/// A user-facing command error: main prints "error: <what>" on one line and exits with code 2.

#include "chain/error.hpp"

#include <stdexcept>
#include <string>

namespace sluice::cli {

struct CliError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Unwraps a result or throws CliError("<context>: <error message>").
template <class T>
T value_or_fail(Result<T> r, const std::string& context) {
  if (!r) throw CliError(context + ": " + r.error().message());
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

}  // namespace sluice::cli
