#include "keeper/cli/chain_commands.hpp"
#include "keeper/cli/cli_error.hpp"
#include "keeper/cli/hash_text.hpp"
#include "keeper/cli/number_args.hpp"
#include "keeper/cli/raw_args.hpp"
#include "keeper/cli/stdin_input.hpp"

#include <fmt/core.h>

#include <memory>

namespace sluice::cli {

namespace {

struct KeccakArgs {
  std::optional<std::string> data;
};

struct ChecksumArgs {
  std::optional<std::string> address;
  std::optional<std::string> chain_id;
};

}  // namespace

void add_chain_hash_commands(CLI::App& chain) {
  auto keccak_args = std::make_shared<KeccakArgs>();
  CLI::App* keccak = chain.add_subcommand(
      "keccak", "Keccak-256 of DATA: 0x-prefixed hex is hashed as bytes, anything else as UTF-8 text (stdin if absent)");
  keccak->add_option("data", keccak_args->data, "hex data (0x...) or text");
  keccak->callback([keccak_args] {
    if (keccak_args->data) reject_unseparated_hyphen_value(*keccak_args->data);
    const std::string input = keccak_args->data ? *keccak_args->data : read_stdin_all();
    fmt::print("{}\n", value_or_fail(keccak_text(as_bytes(input)), "keccak: invalid hex data"));
  });

  auto checksum_args = std::make_shared<ChecksumArgs>();
  CLI::App* checksum = chain.add_subcommand(
      "to-checksum", "EIP-55 checksummed form of ADDRESS (EIP-1191 with CHAIN_ID); reads stdin if absent");
  checksum->alias("to-check-sum-address");
  checksum->add_option("address", checksum_args->address, "40 hex digits, 0x optional, any case");
  checksum->add_option("chain_id", checksum_args->chain_id, "chain id for an EIP-1191 checksum");
  checksum->callback([checksum_args] {
    if (checksum_args->address) reject_unseparated_hyphen_value(*checksum_args->address);
    if (checksum_args->chain_id) reject_unseparated_hyphen_value(*checksum_args->chain_id);
    const std::string address = checksum_args->address ? *checksum_args->address : read_stdin_line();
    std::optional<std::uint64_t> chain_id;
    if (checksum_args->chain_id) chain_id = parse_decimal_u64(*checksum_args->chain_id, "to-checksum: chain id");
    fmt::print("{}\n", value_or_fail(checksum_text(address, chain_id),
                                     "to-checksum: invalid address '" + address + "'"));
  });
}

}  // namespace sluice::cli
