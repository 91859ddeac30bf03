#pragma once
/// Reading a command's input from standard input when it is not given as an argument, as cast does.

#include <CLI/CLI.hpp>

#include <string>

namespace sluice::cli {

/// All of standard input, byte for byte.
std::string read_stdin_all();

/// The first line of standard input without its line ending ("\n" or "\r\n").
std::string read_stdin_line();

/// A positional argument's value if it was given (a value that looks like a flag must follow "--", as in
/// cast), otherwise the first line of standard input.
std::string positional_or_stdin_line(const CLI::Option& option, const std::string& value);

}  // namespace sluice::cli
