#include "keeper/cli/raw_args.hpp"

#include "keeper/cli/cli_error.hpp"

#include <string>
#include <vector>

namespace sluice::cli {
namespace {
std::vector<std::string> g_before_separator;  ///< arguments before the first "--"
}  // namespace

void remember_argv(int argc, const char* const* argv) {
  g_before_separator.clear();
  for (int i = 1; i < argc; ++i) {
    if (std::string_view{argv[i]} == "--") break;
    g_before_separator.emplace_back(argv[i]);
  }
}

void reject_unseparated_hyphen_value(std::string_view value) {
  if (value.size() < 2 || value.front() != '-') return;
  for (const auto& arg : g_before_separator) {
    if (arg == value)
      throw CliError("unexpected argument '" + std::string(value) + "'; to pass it as a value, use '-- " +
                     std::string(value) + "'");
  }
}

}  // namespace sluice::cli
