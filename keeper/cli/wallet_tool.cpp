#include "keeper/cli/wallet_tool.hpp"

#include "chain/keystore.hpp"
#include "chain/secret_file.hpp"
#include "chain/transaction.hpp"
#include "keeper/cli/cli_error.hpp"

#include <cstdio>

namespace sluice::cli {

namespace {

// Errors name the option but never echo its value: a key pasted into the wrong option must not reach stderr.
// PrivateKeyError messages describe the problem only.

PrivateKey parse_private_key(const std::string& hex) {
  return value_or_fail(PrivateKey::from_hex(hex), "--private-key");
}

U256 parse_amount(const std::string& text, const std::string& option) {
  return value_or_fail(U256::parse(text), option);
}

/// A fee per gas. cast stores fees as u128 and fails on larger ones; no real fee comes near 2^128 wei.
U256 parse_fee(const std::string& text, const std::string& option) {
  const U256 fee = parse_amount(text, option);
  if (fee.bit_length() > 128) throw CliError(option + ": a fee per gas must be below 2^128 wei");
  return fee;
}

/// Chains on which cast 1.7.1 (alloy-chains' `is_legacy`) builds a legacy transaction even when EIP-1559 fees
/// are given, using the max fee as the gas price. Found by probing `cast mktx` over chain ids 1..4500 and every
/// chain id alloy-chains names.
bool cast_treats_as_legacy_chain(std::uint64_t chain_id) {
  static constexpr std::uint64_t kLegacyChains[] = {20,    30,    31,    69,    88,     148,    250,
                                                     4002,  42261, 42262, 50104, 61166, 978658, 531050104};
  for (std::uint64_t id : kLegacyChains)
    if (id == chain_id) return true;
  return false;
}

std::uint64_t parse_u64(const std::string& text, const std::string& option) {
  const U256 value = parse_amount(text, option);
  if (!value.fits_uint64()) throw CliError(option + ": does not fit in 64 bits");
  return value.limbs[0];
}

}  // namespace

std::string wallet_address_text(const WalletAddressArgs& args) {
  if (args.private_key && args.keystore)
    throw CliError("give either --private-key or --keystore with --password-file, not both");
  if (args.private_key) return to_checksum(address_of(parse_private_key(*args.private_key))) + "\n";
  if (!args.keystore) throw CliError("give --private-key, or --keystore with --password-file");
  if (!args.password_file) throw CliError("--keystore needs --password-file");
  const WipedString password = value_or_fail(read_password_file(*args.password_file), "--password-file");
  const PrivateKey key = value_or_fail(load_keystore(*args.keystore, password.value()), "--keystore");
  return to_checksum(address_of(key)) + "\n";
}

std::string mktx_text(const MktxArgs& args) {
  if (args.to.has_value() == args.create) throw CliError("give exactly one of --to <address> and --create");
  const bool eip1559 = args.max_fee || args.priority_fee;
  if (eip1559 && (args.gas_price || args.legacy))
    throw CliError("use either --gas-price (legacy) or --max-fee with --priority-fee (EIP-1559), not both");
  if (eip1559 && !(args.max_fee && args.priority_fee))
    throw CliError("an EIP-1559 transaction needs both --max-fee and --priority-fee");
  if (!eip1559 && !args.gas_price) throw CliError("give --gas-price (legacy) or --max-fee with --priority-fee");

  const std::uint64_t chain_id = parse_u64(args.chain_id, "--chain-id");
  const std::uint64_t nonce = parse_u64(args.nonce, "--nonce");
  const std::uint64_t gas_limit = parse_u64(args.gas_limit, "--gas-limit");
  std::optional<Address> to;
  if (args.to) to = value_or_fail(parse_address(*args.to), "--to");
  const U256 value = args.value ? parse_amount(*args.value, "--value") : U256{};
  Bytes data;
  if (args.data) data = value_or_fail(from_hex(*args.data), "--data");
  const PrivateKey key = parse_private_key(args.private_key);

  if (!eip1559 || cast_treats_as_legacy_chain(chain_id)) {
    LegacyTransaction tx;
    tx.chain_id = chain_id;  // always EIP-155, chain id 0 included, as cast signs
    tx.nonce = nonce;
    tx.gas_price = eip1559 ? parse_fee(*args.max_fee, "--max-fee") : parse_fee(*args.gas_price, "--gas-price");
    if (eip1559) {
      parse_fee(*args.priority_fee, "--priority-fee");
      std::fputs("warning: this chain has no EIP-1559 transactions (as cast treats it): signed a legacy "
                 "transaction with --max-fee as the gas price\n", stderr);
    }
    tx.gas_limit = gas_limit;
    tx.to = to;
    tx.value = value;
    tx.data = std::move(data);
    return to_hex(encode_raw(sign(tx, key))) + "\n";
  }
  Eip1559Transaction tx;
  tx.chain_id = chain_id;
  tx.nonce = nonce;
  tx.max_fee_per_gas = parse_fee(*args.max_fee, "--max-fee");
  tx.max_priority_fee_per_gas = parse_fee(*args.priority_fee, "--priority-fee");
  // EIP-1559 makes such a transaction invalid, so nodes reject it; cast signs it all the same, and so do we.
  if (tx.max_priority_fee_per_gas > tx.max_fee_per_gas)
    std::fputs("warning: --priority-fee is above --max-fee: nodes will reject this transaction (EIP-1559)\n", stderr);
  tx.gas_limit = gas_limit;
  tx.to = to;
  tx.value = value;
  tx.data = std::move(data);
  return to_hex(encode_raw(sign(tx, key))) + "\n";
}

}  // namespace sluice::cli
