#pragma once
/// Aave v3.0's error codes (@aave/core-v3 1.19.3, protocol/libraries/helpers/Errors.sol): every revert of the Pool
/// is Error(string) with the code as a decimal string ("45"); this names the constant behind each code.
#include <string_view>

namespace sluice::plan {

/// The Errors.sol constant for a code ("HEALTH_FACTOR_NOT_BELOW_THRESHOLD" for 45); empty when no constant has it
/// (48 is unused in v3.0).
std::string_view aave_error_name(unsigned code) noexcept;

}  // namespace sluice::plan
