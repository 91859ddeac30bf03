#include "keeper/cli/stdin_input.hpp"

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
  return line;
}

}  // namespace sluice::cli
