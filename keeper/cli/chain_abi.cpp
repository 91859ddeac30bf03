#include "keeper/cli/chain_abi.hpp"

#include "chain/abi.hpp"
#include "keeper/cli/cli_error.hpp"

namespace sluice::cli {
namespace {

abi::Function parse_function(std::string_view signature) {
  return value_or_fail(abi::Function::parse(signature), "could not parse function signature '" +
                                                            std::string(signature) + "'");
}

}  // namespace

std::string abi_sig(std::string_view signature) {
  const auto canonical =
      value_or_fail(abi::canonical_function_signature(signature), "could not parse function signature");
  return abi::selector_of(canonical).hex() + "\n";
}

std::string abi_encode(std::string_view signature, const std::vector<std::string>& args, bool packed) {
  const abi::Function function = parse_function(signature);
  if (args.size() != function.inputs.size())
    throw CliError("expected " + std::to_string(function.inputs.size()) + " arguments, got " +
                   std::to_string(args.size()));
  std::vector<abi::Value> values;
  values.reserve(args.size());
  for (std::size_t i = 0; i < args.size(); ++i)
    values.push_back(value_or_fail(abi::parse_value(function.inputs[i], args[i]),
                                   "argument " + std::to_string(i + 1) + " ('" + args[i] + "') as " +
                                       function.inputs[i].canonical()));
  // cast accepts some negative ints wider than their type and encodes them sign-extended; so do we.
  const abi::EncodeOptions as_cast{.check_ranges = false};
  const Bytes encoded = value_or_fail(packed ? abi::encode_packed(function.inputs, values, as_cast)
                                             : abi::encode(function.inputs, values, as_cast),
                                      "could not encode");
  return to_hex(encoded) + "\n";
}

std::string abi_decode(std::string_view signature, std::string_view hex, bool input) {
  const abi::Function function = parse_function(signature);
  const Bytes data = value_or_fail(from_hex(hex), "invalid hex data");
  const auto& types = input ? function.inputs : function.outputs;
  if (types.empty()) throw CliError("no data was decoded: the signature has no " +
                                    std::string(input ? "input" : "output") + " types");
  const auto values = value_or_fail(abi::decode(types, data, abi::Validation::lenient), "ABI decoding failed");
  return abi::format_values(types, values);
}

}  // namespace sluice::cli
