#include "keeper/cli/stdin_input.hpp"

#include "keeper/cli/raw_args.hpp"

#include <iostream>
#include <iterator>

namespace sluice::cli {

std::string read_stdin_all() {
  std::ios::sync_with_stdio(false);
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

std::string read_stdin_line() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string positional_or_stdin_line(const CLI::Option& option, const std::string& value) {
  if (option.count() == 0) return read_stdin_line();
  reject_unseparated_hyphen_value(value);
  return value;
}

}  // namespace sluice::cli
