#include "keeper/cli/number_args.hpp"

#include "keeper/cli/cli_error.hpp"

#include <charconv>

namespace sluice::cli {

std::uint64_t parse_decimal_u64(std::string_view text, const std::string& what) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 10);
  if (text.empty() || text.front() < '0' || text.front() > '9' || end != text.data() + text.size())
    throw CliError(what + ": '" + std::string(text) + "' is not a decimal number");
  if (ec == std::errc::result_out_of_range)
    throw CliError(what + ": '" + std::string(text) + "' does not fit in 64 bits");
  return value;
}

}  // namespace sluice::cli
