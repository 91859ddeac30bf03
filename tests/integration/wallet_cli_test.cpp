// `sluice chain wallet-address` and `sluice chain mktx` as a user runs them: keystores next to cast, and every
// error path: exit code 2, one line on stderr, and never the private key.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

using sluice::test::run_process;

namespace {

const std::string kKey = "0x4646464646464646464646464646464646464646464646464646464646464646";
const std::string kKeyDigits = "4646464646464646464646464646464646464646464646464646464646464646";

/// The pbkdf2 test vector of the Web3 Secret Storage definition, with its 262,144 iterations.
const std::string kKeystore =
    R"({"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"6087dab2f9fdbbfaddc31a909735c1e6"},
"ciphertext":"5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46","kdf":"pbkdf2","kdfparams":{"c":262144,
"dklen":32,"prf":"hmac-sha256","salt":"ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
"mac":"517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"},"id":"3198bc9c-6672-5ab3-d995-4942343ae5b6",
"version":3})";

struct TempFile {
  std::string path;
  TempFile(const std::string& name, const std::string& content, mode_t mode) {
    path = (std::filesystem::temp_directory_path() / ("sluice_wallet_cli_" + std::to_string(::getpid()) + "_" + name))
               .string();
    std::ofstream(path, std::ios::binary) << content;
    ::chmod(path.c_str(), mode);
  }
  ~TempFile() { std::remove(path.c_str()); }
};

std::vector<std::string> sluice_chain(std::vector<std::string> args) {
  args.insert(args.begin(), {SLUICE_BINARY, "chain"});
  return args;
}

/// Runs a command that must fail as a usage error and checks the error's shape; returns stderr.
std::string expect_usage_error(const std::vector<std::string>& argv) {
  const auto r = run_process(argv);
  CAPTURE(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("error: ", 0) == 0);
  CHECK(r.err.find('\n') == r.err.size() - 1);  // exactly one line
  CHECK(r.err.find(kKeyDigits) == std::string::npos);
  CHECK(r.err.find("46464646") == std::string::npos);
  return r.err;
}

}  // namespace

TEST_CASE("wallet cli: keystore address matches cast wallet address --keystore --password-file") {
  TempFile keystore("ks.json", kKeystore, 0600);
  TempFile password("pw", "testpassword\n", 0600);
  const auto ours =
      run_process(sluice_chain({"wallet-address", "--keystore", keystore.path, "--password-file", password.path}));
  const auto theirs = run_process({sluice::test::node_tool("cast"), "wallet", "address", "--keystore", keystore.path,
                                   "--password-file", password.path});
  REQUIRE(theirs.exit_code == 0);
  CHECK(ours.exit_code == 0);
  CHECK(ours.out == theirs.out);
  CHECK(ours.out == "0x008AeEda4D805471dF9b2A5B0f38A0C3bCBA786b\n");
}

TEST_CASE("wallet cli: keystore errors: wrong password, permissions, missing password file") {
  TempFile keystore("ks2.json", kKeystore, 0600);
  TempFile wrong("pw_wrong", "not the password\n", 0600);
  CHECK(expect_usage_error(
            sluice_chain({"wallet-address", "--keystore", keystore.path, "--password-file", wrong.path})) ==
        "error: --keystore: keystore: wrong password (MAC mismatch)\n");
  TempFile open_keystore("ks3.json", kKeystore, 0644);
  TempFile right("pw_right", "testpassword", 0600);
  CHECK(expect_usage_error(
            sluice_chain({"wallet-address", "--keystore", open_keystore.path, "--password-file", right.path}))
            .find("chmod 600") != std::string::npos);
  TempFile open_password("pw_open", "testpassword", 0640);
  CHECK(expect_usage_error(
            sluice_chain({"wallet-address", "--keystore", keystore.path, "--password-file", open_password.path}))
            .find("--password-file") != std::string::npos);
  expect_usage_error(sluice_chain({"wallet-address", "--keystore", keystore.path}));
  expect_usage_error(sluice_chain({"wallet-address"}));
}

TEST_CASE("wallet cli: the private key never appears in an error, wherever it is misplaced") {
  const std::string to = "0x3535353535353535353535353535353535353535";
  const std::vector<std::string> base{"mktx",  "--private-key", kKey, "--chain-id", "1", "--nonce", "0", "--gas-limit",
                                      "21000", "--gas-price",   "1",  "--to",       to};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv = base;
    argv.insert(argv.end(), extra.begin(), extra.end());
    return sluice_chain(argv);
  };
  // Malformed keys (one hex digit short, one wrong digit, the key with a suffix).
  expect_usage_error(sluice_chain({"wallet-address", "--private-key", kKey.substr(0, 65)}));
  expect_usage_error(sluice_chain({"wallet-address", "--private-key", kKey.substr(0, 65) + "g"}));
  expect_usage_error(sluice_chain({"wallet-address", "--private-key", kKey + "00"}));
  expect_usage_error(sluice_chain({"mktx", "--private-key", kKey + "0", "--chain-id", "1", "--nonce", "0",
                                   "--gas-limit", "21000", "--gas-price", "1", "--to", to}));
  // The key given where something else belongs, or as a stray argument or a mistyped option.
  expect_usage_error(sluice_chain({"wallet-address", kKey}));
  expect_usage_error(sluice_chain({"wallet-address", "--privatekey=" + kKey}));
  expect_usage_error(sluice_chain({"wallet-address", "--keystore", kKey, "--password-file", kKey}));
  expect_usage_error(
      sluice_chain({"wallet-address", "--private-key", kKey, "--keystore", "x", "--password-file", "y"}));
  expect_usage_error(sluice_chain({kKey}));
  expect_usage_error(with({kKey}));
  expect_usage_error(with({"--data", kKey + "0"}));
  expect_usage_error(with({"--value", kKey + "00"}));
  expect_usage_error(with({"--nonce", kKey}));
  expect_usage_error(with({"--to", kKey}));
  expect_usage_error(with({"--private-key", kKey}));
  // Argument combinations.
  expect_usage_error(with({"--max-fee", "2", "--priority-fee", "1"}));
  expect_usage_error(with({"--create"}));
  expect_usage_error(sluice_chain({"mktx", "--private-key", kKey, "--chain-id", "1", "--nonce", "0", "--gas-limit",
                                   "21000", "--max-fee", "340282366920938463463374607431768211456",
                                   "--priority-fee", "2", "--to", to}));
  expect_usage_error(sluice_chain({"mktx", "--private-key", kKey, "--chain-id", "1", "--nonce", "0", "--gas-limit",
                                   "21000", "--max-fee", "1", "--to", to}));
  expect_usage_error(sluice_chain(
      {"mktx", "--private-key", kKey, "--chain-id", "1", "--nonce", "0", "--gas-limit", "21000", "--to", to}));
  expect_usage_error(sluice_chain({"mktx", "--private-key", kKey, "--chain-id", "18446744073709551616", "--nonce", "0",
                                   "--gas-limit", "21000", "--gas-price", "1", "--to", to}));
}
