#pragma once
/// The logic of `sluice chain wallet-address` and `sluice chain mktx`: pure functions from parsed arguments to the
/// exact text printed, matching `cast wallet address` and `cast mktx` (Foundry 1.7.1) byte for byte.
/// Bad input throws CliError with one line that names the argument and never contains the private key.

#include <optional>
#include <string>

namespace sluice::cli {

/// Arguments of `wallet-address`: either a key, or a key file and its password file.
struct WalletAddressArgs {
  std::optional<std::string> private_key;    ///< 64 hex digits, 0x optional
  std::optional<std::string> keystore;       ///< path of a Web3 Secret Storage v3 file (mode 600)
  std::optional<std::string> password_file;  ///< path of a file holding the password (mode 600)
};

/// The checksummed address and a newline, as `cast wallet address` prints it.
std::string wallet_address_text(const WalletAddressArgs& args);

/// Arguments of `mktx`, as given on the command line. Integers are decimal or 0x-hex; amounts are in wei.
struct MktxArgs {
  std::string private_key;
  std::string chain_id;
  std::string nonce;
  std::string gas_limit;
  std::optional<std::string> to;  ///< unset requires `create`
  bool create = false;            ///< contract creation: `data` is the init code
  std::optional<std::string> value;
  std::optional<std::string> data;          ///< hex calldata
  std::optional<std::string> gas_price;     ///< legacy transaction
  std::optional<std::string> max_fee;       ///< EIP-1559: max fee per gas
  std::optional<std::string> priority_fee;  ///< EIP-1559: max priority fee per gas
  bool legacy = false;                      ///< asserts a legacy transaction (implied by --gas-price)
};

/// The raw signed transaction in hex and a newline, as `cast mktx` prints it: legacy (EIP-155) with
/// `--gas-price`, type 2 with `--max-fee` and `--priority-fee`.
std::string mktx_text(const MktxArgs& args);

}  // namespace sluice::cli
