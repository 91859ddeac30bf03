// Differential tests: `sluice chain to-rlp` / `from-rlp` against Foundry's `cast` on random inputs. Stdout must
// be byte-identical; where cast fails, sluice must fail with exit code 2 and one `error: ...` line.
// Seed: SLUICE_DIFF_SEED (decimal) overrides the fixed default.

#include "chain/bytes.hpp"
#include "chain/rlp.hpp"
#include "chain/u256.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace sluice;

namespace {

std::uint64_t seed() {
  const char* env = std::getenv("SLUICE_DIFF_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 0x5eed'0f'12bULL;
}

struct Outcome {
  bool ok = false;
  std::string out;
};

/// Runs both tools on the same arguments and checks that they agree; returns false on a mismatch.
bool agree(const std::vector<std::string>& args, const std::string& shown_input) {
  std::vector<std::string> cast_argv{test::node_tool("cast")};
  std::vector<std::string> sluice_argv{SLUICE_BINARY, "chain"};
  cast_argv.insert(cast_argv.end(), args.begin(), args.end());
  sluice_argv.insert(sluice_argv.end(), args.begin(), args.end());
  const auto cast = test::run_process(cast_argv);
  const auto ours = test::run_process(sluice_argv);
  INFO("command: ", args.size() > 2 ? args[0] + " " + args[1] : args[0]);
  INFO("input: ", shown_input);
  INFO("cast (exit ", cast.exit_code, "): ", cast.out, cast.err);
  INFO("sluice (exit ", ours.exit_code, "): ", ours.out, ours.err);
  if (cast.exit_code == 0) {
    CHECK(ours.exit_code == 0);
    CHECK(ours.out == cast.out);
    return ours.exit_code == 0 && ours.out == cast.out;
  }
  const bool one_error_line = ours.err.starts_with("error: ") && ours.err.find('\n') == ours.err.size() - 1;
  CHECK(ours.exit_code == 2);
  CHECK(ours.out.empty());
  CHECK(one_error_line);
  return ours.exit_code == 2 && ours.out.empty() && one_error_line;
}

// ---- random JSON-ish values for to-rlp ----

class ValueWriter {
 public:
  explicit ValueWriter(std::mt19937_64& rng) : rng_(rng) {}

  /// A random value; `invalid` is set when an element was deliberately made unacceptable to cast.
  std::string value(bool& invalid) {
    budget_ = 40;
    invalid_ = false;
    std::string out = space() + node(0) + space();
    invalid = invalid_;
    return out;
  }
  /// A bare top-level hex string (cast's non-JSON path), sometimes without 0x.
  std::string bare_hex() { return hex_digits(string_bytes(), rng_() % 3 == 0 ? "" : "0x"); }

 private:
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
  std::string space() { return pick(6) == 0 ? std::string(" \n\t\r").substr(pick(4), 1) : ""; }

  Bytes string_bytes() {
    // Lengths hit 0, single bytes below and above 0x80, and the 55/56 header boundary.
    static constexpr std::size_t kLengths[] = {0, 1, 1, 1, 2, 3, 20, 32, 54, 55, 56, 57, 64, 100};
    const std::size_t length = kLengths[pick(std::size(kLengths))] + (pick(4) == 0 ? pick(100) : 0);
    Bytes bytes(length);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng_());
    if (length == 1 && pick(2) == 0) bytes[0] &= 0x7f;
    return bytes;
  }
  std::string hex_digits(const Bytes& bytes, const char* prefix) {
    std::string digits = to_hex_no_prefix(bytes);
    if (pick(4) == 0)
      for (char& c : digits) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return prefix + digits;
  }

  std::string leaf() {
    --budget_;
    switch (pick(20)) {
      case 0: return "null";
      case 1: return std::to_string(rng_() >> pick(64));  // a JSON integer, up to 2^64-1
      case 2: {  // a big integer, sometimes past 2^256
        std::string digits = std::to_string(1 + pick(9));
        const std::size_t extra = pick(80);
        for (std::size_t i = 0; i < extra; ++i) digits += static_cast<char>('0' + pick(10));
        if (!U256::from_dec(digits)) invalid_ = true;  // 2^256 or more
        return digits;
      }
      case 3:
        if (pick(4) == 0) {  // odd-length hex, a fraction or a non-hex digit: both tools must refuse
          invalid_ = true;
          static const char* kBad[] = {"\"0x123\"", "1.5", "\"0xzz\"", "-1", "\"0X12\"", "true", "{}"};
          return kBad[pick(std::size(kBad))];
        }
        [[fallthrough]];
      default: return "\"" + hex_digits(string_bytes(), pick(5) == 0 ? "" : "0x") + "\"";
    }
  }

  std::string node(int depth) {
    // cast's to-rlp takes time exponential in the nesting depth, so depth stays small.
    if (depth >= 5 || budget_ <= 0 || pick(3) != 0) return leaf();
    const std::size_t width = pick(7);
    std::string out = "[" + space();
    for (std::size_t i = 0; i < width; ++i) {
      if (i > 0) out += space() + "," + space();
      out += node(depth + 1);
    }
    return out + space() + "]";
  }

  std::mt19937_64& rng_;
  int budget_ = 0;
  bool invalid_ = false;
};

// ---- random RLP for from-rlp ----

rlp::Item random_item(std::mt19937_64& rng, int depth, int& budget) {
  rlp::Item item;
  --budget;
  if (depth < 6 && budget > 0 && rng() % 3 == 0) {
    item.is_list = true;
    const std::size_t width = rng() % 7;
    for (std::size_t i = 0; i < width; ++i) item.items.push_back(random_item(rng, depth + 1, budget));
    return item;
  }
  static constexpr std::size_t kLengths[] = {0, 1, 1, 1, 2, 20, 32, 55, 56, 57, 100, 300};
  item.string.resize(kLengths[rng() % std::size(kLengths)]);
  for (auto& b : item.string) b = static_cast<std::uint8_t>(rng());
  if (item.string.size() == 1 && rng() % 2 == 0) item.string[0] &= 0x7f;
  return item;
}

std::string hex_arg(const Bytes& bytes, std::mt19937_64& rng) {
  std::string text = rng() % 4 == 0 ? to_hex_no_prefix(bytes) : to_hex(bytes);
  if (rng() % 5 == 0)
    for (std::size_t i = text.starts_with("0x") ? 2 : 0; i < text.size(); ++i)
      text[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
  return text;
}

}  // namespace

TEST_CASE("differential: sluice chain to-rlp matches cast to-rlp on 1,100 random values") {
  std::mt19937_64 rng{seed()};
  ValueWriter writer{rng};
  int mismatches = 0, refused = 0;
  for (int n = 0; n < 1100 && mismatches < 5; ++n) {
    bool invalid = false;
    const std::string value = n % 10 == 9 ? writer.bare_hex() : writer.value(invalid);
    refused += invalid ? 1 : 0;
    if (!agree({"to-rlp", value}, value)) ++mismatches;
  }
  CHECK(mismatches == 0);
  CHECK(refused > 20);  // the invalid branch really ran
}

TEST_CASE("differential: sluice chain from-rlp matches cast from-rlp on 1,000 random encodings") {
  std::mt19937_64 rng{seed() + 1};
  int mismatches = 0;
  for (int n = 0; n < 1000 && mismatches < 5; ++n) {
    int budget = 30;
    Bytes encoded = rlp::encode(random_item(rng, 0, budget));
    if (n % 8 == 7) encoded.push_back(static_cast<std::uint8_t>(rng()));  // cast ignores trailing bytes
    const std::string arg = hex_arg(encoded, rng);
    if (!agree({"from-rlp", arg}, arg)) ++mismatches;
  }
  CHECK(mismatches == 0);
}

TEST_CASE("differential: from-rlp --as-int matches cast on 300 integers and near-integers") {
  std::mt19937_64 rng{seed() + 2};
  int mismatches = 0;
  for (int n = 0; n < 300 && mismatches < 5; ++n) {
    Bytes payload(rng() % 34);  // up to 33 bytes: one past U256
    for (auto& b : payload) b = static_cast<std::uint8_t>(rng());
    if (!payload.empty() && rng() % 4 == 0) payload[0] = 0;  // a leading zero
    Bytes encoded;
    rlp::encode(encoded, payload);
    const std::string arg = hex_arg(encoded, rng);
    if (!agree({"from-rlp", "--as-int", arg}, arg)) ++mismatches;
  }
  CHECK(mismatches == 0);
}

TEST_CASE("differential: invalid and mutated encodings fail in both tools or decode alike (600 cases)") {
  // Hand-made non-canonical forms, then random corruptions of valid encodings: truncations, flipped bits,
  // and rewritten headers. Each must fail in both tools or print the same thing.
  std::vector<std::string> cases = {"0x8100", "0x817f", "0xb800", "0xb80100", "0xb837" + std::string(110, 'a'),
                                    "0xf800", "0xf80100", "0xf90000", "0xc1", "0xc28081", "0xc1c180",
                                    "0xbfffffffffffffffff", "0xffffffffffffffffff", "0x", "0xc10", "0XC0",
                                    "0xzz", "0x0x80"};
  std::mt19937_64 rng{seed() + 3};
  while (cases.size() < 600) {
    int budget = 20;
    Bytes encoded = rlp::encode(random_item(rng, 0, budget));
    switch (rng() % 3) {
      case 0: encoded.resize(rng() % encoded.size()); break;
      case 1: encoded[rng() % encoded.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
      default: encoded[0] = static_cast<std::uint8_t>(0x80 + rng() % 0x80); break;
    }
    cases.push_back(hex_arg(encoded, rng));
  }
  int mismatches = 0;
  for (const auto& arg : cases) {
    if (mismatches >= 5) break;
    if (!agree({"from-rlp", arg}, arg)) ++mismatches;
  }
  CHECK(mismatches == 0);
}
