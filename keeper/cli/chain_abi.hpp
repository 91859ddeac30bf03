#pragma once
/// The logic behind `sluice chain sig | abi-encode | abi-decode`: each returns exactly what cast prints on
/// stdout (trailing newline included) and throws CliError for input cast rejects.

#include <string>
#include <string_view>
#include <vector>

namespace sluice::cli {

/// `cast sig <signature>`: the 4-byte selector as 0x-hex.
std::string abi_sig(std::string_view signature);

/// `cast abi-encode [--packed] <signature> <args...>`: the encoded inputs (no selector) as 0x-hex.
std::string abi_encode(std::string_view signature, const std::vector<std::string>& args, bool packed);

/// `cast abi-decode [--input] <signature> <hex>`: decodes the outputs of `f(inputs)(outputs)` (or the inputs with
/// `input`; like cast, the data must not start with a selector) leniently as alloy does, one value per line.
std::string abi_decode(std::string_view signature, std::string_view hex, bool input);

}  // namespace sluice::cli
