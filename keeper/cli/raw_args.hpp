#pragma once
/// The raw command line, kept so that commands can apply cast's (clap's) rule for values that start with '-':
/// such a value is an unknown flag unless it comes after a "--" separator.

#include <string_view>

namespace sluice::cli {

/// Records argv; main calls this once before parsing.
void remember_argv(int argc, const char* const* argv);

/// Throws CliError if `value` starts with '-' (and is longer than "-") and appears before any "--" on the
/// command line, as clap rejects it ("unexpected argument").
void reject_unseparated_hyphen_value(std::string_view value);

}  // namespace sluice::cli
