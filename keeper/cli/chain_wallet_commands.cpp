#include "chain/secure_memory.hpp"
#include "keeper/cli/chain_commands.hpp"
#include "keeper/cli/cli_error.hpp"
#include "keeper/cli/wallet_tool.hpp"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

namespace sluice::cli {

namespace {

/// CLI11 would echo unexpected arguments in its error ("The following arguments were not expected: ..."), and a
/// mistyped option such as `--privatekey=<key>` would put the key on stderr. Subcommands that take secrets
/// therefore collect extras themselves and reject them without echoing.
void reject_extras(const CLI::App& command) {
  if (!command.remaining().empty())
    throw CliError(std::to_string(command.remaining().size()) +
                   " unexpected argument(s) (not shown, they may contain a secret); see --help");
}

void wipe_secret(std::string& s) noexcept { secure_wipe(s); }
void wipe_secret(std::optional<std::string>& s) noexcept {
  if (s) secure_wipe(*s);
}

/// Wipes, on every way out of a command, the copies of a secret option that we and CLI11 hold.
template <class Secret>
class SecretOptionGuard {
 public:
  SecretOptionGuard(Secret& value, CLI::Option* option) : value_(value), option_(option) {}
  SecretOptionGuard(const SecretOptionGuard&) = delete;
  SecretOptionGuard& operator=(const SecretOptionGuard&) = delete;
  ~SecretOptionGuard() {
    wipe_secret(value_);
    option_->clear();
  }

 private:
  Secret& value_;
  CLI::Option* option_;
};

void add_wallet_address(CLI::App& chain) {
  auto args = std::make_shared<WalletAddressArgs>();
  CLI::App* cmd = chain.add_subcommand("wallet-address",
                                       "Print the checksummed address of a private key or keystore "
                                       "(like cast wallet address)");
  cmd->allow_extras();
  CLI::Option* key = cmd->add_option("--private-key", args->private_key, "Private key, 64 hex digits");
  cmd->add_option("--keystore", args->keystore, "Web3 Secret Storage v3 key file (mode 600)");
  cmd->add_option("--password-file", args->password_file, "File holding the keystore password (mode 600)");
  cmd->callback([cmd, key, args] {
    const SecretOptionGuard guard(args->private_key, key);
    reject_extras(*cmd);
    std::fputs(wallet_address_text(*args).c_str(), stdout);
  });
}

void add_mktx(CLI::App& chain) {
  auto args = std::make_shared<MktxArgs>();
  CLI::App* cmd = chain.add_subcommand("mktx", "Build and sign a transaction offline, print it raw (like cast mktx)");
  cmd->allow_extras();
  CLI::Option* key = cmd->add_option("--private-key", args->private_key, "Private key, 64 hex digits")->required();
  cmd->add_option("--chain-id,--chain", args->chain_id, "Chain id (EIP-155)")->required();
  cmd->add_option("--nonce", args->nonce, "Sender nonce")->required();
  cmd->add_option("--gas-limit", args->gas_limit, "Gas limit")->required();
  cmd->add_option("--to", args->to, "Recipient address");
  cmd->add_flag("--create", args->create, "Contract creation: --data is the init code");
  cmd->add_option("--value", args->value, "Wei to send (decimal or 0x hex)");
  cmd->add_option("--data", args->data, "Calldata, hex");
  cmd->add_option("--gas-price", args->gas_price, "Legacy transaction: gas price in wei");
  cmd->add_flag("--legacy", args->legacy, "Legacy transaction (with --gas-price)");
  cmd->add_option("--max-fee,--max-fee-per-gas", args->max_fee, "EIP-1559: max fee per gas in wei");
  cmd->add_option("--priority-fee,--priority-gas-price,--max-priority-fee-per-gas", args->priority_fee,
                  "EIP-1559: max priority fee per gas in wei");
  cmd->callback([cmd, key, args] {
    const SecretOptionGuard guard(args->private_key, key);
    reject_extras(*cmd);
    std::fputs(mktx_text(*args).c_str(), stdout);
  });
}

}  // namespace

void add_chain_wallet_commands(CLI::App& chain) {
  add_wallet_address(chain);
  add_mktx(chain);
}

}  // namespace sluice::cli
