// Differential tests: `sluice chain keccak` and `sluice chain to-checksum` against Foundry's cast on random inputs.

#include "tests/support/diff_seed.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using sluice::test::node_tool;
using sluice::test::ProcessResult;
using sluice::test::run_process;

namespace {

struct Case {
  std::vector<std::string> args;  ///< after the subcommand
  std::string stdin_data;
};

void check_same(const std::string& sluice_command, const std::string& cast_command, const Case& c) {
  std::vector<std::string> ours{SLUICE_BINARY, "chain", sluice_command};
  std::vector<std::string> theirs{node_tool("cast"), cast_command};
  ours.insert(ours.end(), c.args.begin(), c.args.end());
  theirs.insert(theirs.end(), c.args.begin(), c.args.end());
  const ProcessResult a = run_process(ours, c.stdin_data);
  const ProcessResult b = run_process(theirs, c.stdin_data);
  INFO("args: ", (c.args.empty() ? std::string("<stdin>") : c.args[0]), " stdin bytes: ", c.stdin_data.size());
  CHECK(a.out == b.out);
  CHECK((a.exit_code == 0) == (b.exit_code == 0));
  if (a.exit_code != 0) CHECK(a.exit_code == 2);
}

std::string random_hex_digits(std::mt19937_64& rng, std::size_t count) {
  static constexpr char kDigits[] = "0123456789abcdefABCDEF";
  std::string s;
  for (std::size_t i = 0; i < count; ++i) s += kDigits[rng() % 22];
  return s;
}

/// UTF-8 text mixing ASCII, white space and multi-byte characters.
std::string random_text(std::mt19937_64& rng, std::size_t count) {
  static const std::vector<std::string> kPieces = {"a", "Z", "0", "x", " ", "\t", "\n", "é", "€", "𝄞", "\u00a0",
                                                   "\u3000", "0x", "-", "\"", "'", "[", "(", ","};
  std::string s;
  for (std::size_t i = 0; i < count; ++i) s += kPieces[rng() % kPieces.size()];
  return s;
}

Case random_keccak_case(std::mt19937_64& rng) {
  Case c;
  const auto kind = rng() % 6;
  const std::size_t bytes = rng() % 4 == 0 ? 134 + rng() % 5 : rng() % 300;
  std::string data;
  switch (kind) {
    case 0: data = "0x" + random_hex_digits(rng, 2 * bytes); break;  // hex data
    case 1:  // hex with trailing white space, which cast trims
      data = "0x" + random_hex_digits(rng, 2 * bytes) + (rng() % 2 ? " " : "\u00a0\n");
      break;
    case 2: data = "0x" + random_hex_digits(rng, 2 * bytes + 1); break;  // odd digit count: both reject
    case 3: data = "0x" + random_hex_digits(rng, bytes) + "g"; break;    // bad digit: both reject
    default: data = random_text(rng, rng() % 80); break;                 // text, hashed as UTF-8
  }
  if (rng() % 4 == 0) {
    c.stdin_data = data;  // read from stdin, byte for byte
    if (rng() % 3 == 0) c.stdin_data += static_cast<char>(0x80 + rng() % 0x80);  // not UTF-8: hashed raw
  } else {
    c.args.push_back(data);
  }
  return c;
}

Case random_checksum_case(std::mt19937_64& rng) {
  Case c;
  std::string address = random_hex_digits(rng, 40);
  switch (rng() % 8) {
    case 0: address = random_hex_digits(rng, rng() % 45); break;  // wrong length
    case 1: address[rng() % 40] = 'g'; break;                     // bad digit
    case 2: break;                                                // no 0x
    default: address = "0x" + address; break;
  }
  c.args.push_back(address);
  if (rng() % 3 == 0) {
    const std::uint64_t chain_ids[] = {1, 30, 31, 137, 31337, rng() % 1000000, ~0ULL};
    c.args.push_back(std::to_string(chain_ids[rng() % 7]));
  }
  return c;
}

}  // namespace

TEST_CASE("differential: sluice chain keccak equals cast keccak on 1,200 random inputs") {
  std::mt19937_64 rng(sluice::test::diff_seed());
  for (int i = 0; i < 1200; ++i) check_same("keccak", "keccak", random_keccak_case(rng));
}

TEST_CASE("differential: sluice chain to-checksum equals cast to-check-sum-address on 1,200 random inputs") {
  std::mt19937_64 rng(sluice::test::diff_seed() + 1);
  for (int i = 0; i < 1200; ++i) check_same("to-checksum", "to-check-sum-address", random_checksum_case(rng));
}
