// Differential tests: `sluice chain mktx` and `sluice chain wallet-address` against Foundry's `cast mktx` and
// `cast wallet address` on random inputs (fixed seed, overridable with SLUICE_DIFF_SEED). Output must be
// byte-identical; inputs cast rejects must be rejected too.
#include "chain/u256.hpp"
#include "tests/support/diff_seed.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using namespace sluice;
using sluice::test::run_process;

namespace {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed) {}
  std::uint64_t u64() { return gen_(); }
  std::uint64_t below(std::uint64_t n) { return gen_() % n; }
  bool percent(unsigned p) { return below(100) < p; }
  /// A value of `bits` random bits at most (the top one not forced).
  U256 bits(unsigned n) {
    const U256 v{gen_(), gen_(), gen_(), gen_()};
    return n == 0 ? U256{} : v >> (256 - n);
  }
  /// Mostly small numbers, sometimes 0 or the maximum, otherwise a random bit length up to `max_bits`.
  U256 number(unsigned max_bits) {
    switch (below(8)) {
      case 0: return 0;
      case 1: return U256::max() >> (256 - max_bits);
      case 2: return below(1000);
      default: return bits(static_cast<unsigned>(below(max_bits + 1)));
    }
  }
  std::string hex_bytes(std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
      const auto b = static_cast<unsigned>(gen_() & 0xff);
      s += digits[b >> 4];
      s += digits[b & 15];
    }
    return s;
  }

 private:
  std::mt19937_64 gen_;
};

/// 64 hex digits of a random valid key (random 32 bytes are below n with overwhelming probability), or an edge.
std::string random_key(Rng& rng) {
  switch (rng.below(50)) {
    case 0: return std::string(63, '0') + "1";
    case 1: return "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140";  // n - 1
    default: return rng.hex_bytes(32);
  }
}

/// Decimal or 0x-hex (sluice accepts both, cast gets decimal).
std::string sluice_number(Rng& rng, const U256& v) { return rng.percent(30) ? v.to_hex() : v.to_dec(); }

std::string join(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

}  // namespace

TEST_CASE("differential: sluice chain mktx matches cast mktx on 1,000 random transactions") {
  const std::uint64_t seed = sluice::test::diff_seed(0x5100ce);
  Rng rng(seed);
  const std::string cast = sluice::test::node_tool("cast");
  int legacy_cases = 0, eip1559_cases = 0, creations = 0, cast_forced_legacy = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string key = random_key(rng);
    U256 chain_id;
    switch (rng.below(4)) {
      // Well-known chains, among them some that cast treats as having no EIP-1559 (30, 88, 250, 1101).
      case 0: chain_id = std::vector<std::uint64_t>{0, 1, 10, 30, 88, 137, 250, 1101, 8453, 31337, 11155111}[rng.below(11)]; break;
      default: chain_id = rng.number(64);
    }
    const U256 nonce = rng.number(64), gas_limit = rng.number(64), value = rng.number(256);
    const bool legacy = rng.percent(50), create = rng.percent(10);
    const std::string to = rng.hex_bytes(20);
    const std::size_t data_length = rng.percent(30) ? 0 : rng.below(rng.percent(10) ? 3000 : 200);
    const std::string data = rng.hex_bytes(data_length);
    // Fees: cast (alloy) holds them in 128 bits and panics above, so stay within.
    const U256 fee_a = rng.number(128), fee_b = rng.number(128);
    // Mostly priority <= max fee; sometimes above, which EIP-1559 forbids but cast signs all the same.
    const bool ordered = !rng.percent(15);
    const U256 max_fee = (fee_a < fee_b) == ordered ? fee_b : fee_a;
    const U256 priority_fee = (fee_a < fee_b) == ordered ? fee_a : fee_b;

    const std::string key_arg = rng.percent(50) ? "0x" + key : key;
    const std::string chain_flag = rng.percent(50) ? "--chain-id" : "--chain";
    const std::string chain_arg = sluice_number(rng, chain_id), nonce_arg = sluice_number(rng, nonce);
    const std::string gas_arg = sluice_number(rng, gas_limit), value_arg = sluice_number(rng, value);
    const std::string max_fee_arg = sluice_number(rng, max_fee), priority_arg = sluice_number(rng, priority_fee);
    const bool pass_value = !value.is_zero() || rng.percent(50), pass_data = data_length > 0 || rng.percent(50);
    const bool legacy_flag = rng.percent(50);
    auto sluice_argv = [&](bool as_legacy) {
      std::vector<std::string> argv{SLUICE_BINARY, "chain",   "mktx",    "--private-key", key_arg, chain_flag,
                                    chain_arg,     "--nonce", nonce_arg, "--gas-limit",   gas_arg};
      if (pass_value) argv.insert(argv.end(), {"--value", value_arg});
      if (as_legacy) {
        argv.insert(argv.end(), {"--gas-price", max_fee_arg});
        if (legacy_flag) argv.push_back("--legacy");
      } else {
        argv.insert(argv.end(), {"--max-fee", max_fee_arg, "--priority-fee", priority_arg});
      }
      if (pass_data) argv.insert(argv.end(), {"--data", "0x" + data});
      if (create)
        argv.push_back("--create");
      else
        argv.insert(argv.end(), {"--to", "0x" + to});
      return argv;
    };
    std::vector<std::string> theirs{
        cast,      "mktx",         "--private-key", "0x" + key,        "--chain", chain_id.to_dec(),
        "--nonce", nonce.to_dec(), "--gas-limit",   gas_limit.to_dec()};
    if (pass_value) theirs.insert(theirs.end(), {"--value", value.to_dec()});
    if (legacy)
      theirs.insert(theirs.end(), {"--gas-price", max_fee.to_dec(), "--legacy"});
    else
      theirs.insert(theirs.end(), {"--gas-price", max_fee.to_dec(), "--priority-gas-price", priority_fee.to_dec()});
    if (create) {
      theirs.insert(theirs.end(), {"--create", "0x" + data});
    } else {
      theirs.push_back("0x" + to);
      if (data_length > 0) theirs.push_back("0x" + data);
    }

    const auto expected = run_process(theirs);
    // For chain ids it knows to lack EIP-1559 (30, RSK, for one) cast builds a legacy transaction with the max
    // fee as gas price even when EIP-1559 fees are given; sluice does the same.
    const bool forced_legacy = !legacy && expected.out.rfind("0x02", 0) != 0;
    const std::vector<std::string> ours = sluice_argv(legacy);
    const auto actual = run_process(ours);
    INFO("seed " << seed << " case " << i << "\n  sluice: " << join(ours) << "\n  cast:   " << join(theirs)
                 << "\n  cast stderr: " << expected.err << "\n  sluice stderr: " << actual.err);
    REQUIRE(expected.exit_code == 0);
    REQUIRE(actual.exit_code == 0);
    REQUIRE(actual.out == expected.out);
    legacy_cases += legacy || forced_legacy;
    eip1559_cases += !(legacy || forced_legacy);
    creations += create;
    cast_forced_legacy += forced_legacy;
  }
  MESSAGE(legacy_cases << " legacy (" << cast_forced_legacy << " by cast's chain list), " << eip1559_cases
                       << " EIP-1559, " << creations << " contract creations");
  CHECK(legacy_cases > 300);
  CHECK(eip1559_cases > 300);
}

TEST_CASE("differential: sluice chain wallet-address matches cast wallet address on 1,000 random keys") {
  const std::uint64_t seed = sluice::test::diff_seed(0x5100ce) + 1;
  Rng rng(seed);
  const std::string cast = sluice::test::node_tool("cast");
  int invalid = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string key = random_key(rng);
    // About 5% keys cast must reject: zero, the order n and above, too short or too long.
    if (rng.percent(5)) {
      ++invalid;
      switch (rng.below(4)) {
        case 0: key = std::string(64, '0'); break;
        case 1: key = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"; break;
        case 2: key = "ffffffffffffffffffffffffffffffffffffffffffffffffffff" + rng.hex_bytes(6); break;
        default: key = rng.hex_bytes(rng.percent(50) ? 31 : 33); break;
      }
    }
    const std::string ours_key = rng.percent(50) ? "0x" + key : key;
    const auto expected = run_process({cast, "wallet", "address", "--private-key", "0x" + key});
    const auto actual = run_process({SLUICE_BINARY, "chain", "wallet-address", "--private-key", ours_key});
    INFO("seed " << seed << " case " << i << " key " << key << "\n  cast: " << expected.out << expected.err
                 << "\n  sluice: " << actual.out << actual.err);
    if (expected.exit_code != 0) {
      // Both reject; ours with exit code 2, one line, and without the key.
      CHECK(actual.exit_code == 2);
      CHECK(actual.out.empty());
      CHECK(actual.err.rfind("error: ", 0) == 0);
      CHECK(actual.err.find('\n') == actual.err.size() - 1);
      CHECK(actual.err.find(key) == std::string::npos);
      continue;
    }
    REQUIRE(actual.exit_code == 0);
    REQUIRE(actual.out == expected.out);
  }
  CHECK(invalid > 20);
}
