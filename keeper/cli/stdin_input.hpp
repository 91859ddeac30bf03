#pragma once
/// Reading a command's input from standard input when it is not given as an argument, as cast does.

#include <string>

namespace sluice::cli {

/// All of standard input, byte for byte.
std::string read_stdin_all();

/// The first line of standard input without its '\n'.
std::string read_stdin_line();

}  // namespace sluice::cli
