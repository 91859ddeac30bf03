// Differential test: `sluice chain sig | abi-encode | abi-decode` against Foundry's cast 1.7.1 on random
// signatures, types (nested tuples and arrays, static and dynamic, every base type) and values. Stdout must be
// byte-identical, and where cast fails sluice must fail too. Seed: SLUICE_DIFF_SEED (default fixed).

#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

using sluice::test::run_process;

std::uint64_t seed() {
  if (const char* s = std::getenv("SLUICE_DIFF_SEED")) return std::strtoull(s, nullptr, 10);
  return 20240611;
}

struct Gen {
  std::mt19937_64 rng;
  explicit Gen(std::uint64_t s) : rng(s) {}

  std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng); }
  std::string hex_digits(std::size_t n_bytes, bool upper_ok = false) {
    static const char* lower = "0123456789abcdef";
    static const char* upper = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < 2 * n_bytes; ++i) out += (upper_ok && chance(0.3) ? upper : lower)[below(16)];
    return out;
  }
};

/// A type tree mirrored here independently of the library under test.
struct T {
  enum K { Uint, Int, Address, Bool, FixedBytes, Bytes, String, Array, FixedArray, Tuple } k;
  unsigned size = 0;
  std::vector<T> children;

  std::string canonical() const {
    switch (k) {
      case Uint: return "uint" + std::to_string(size);
      case Int: return "int" + std::to_string(size);
      case Address: return "address";
      case Bool: return "bool";
      case FixedBytes: return "bytes" + std::to_string(size);
      case Bytes: return "bytes";
      case String: return "string";
      case Array: return children[0].canonical() + "[]";
      case FixedArray: return children[0].canonical() + "[" + std::to_string(size) + "]";
      case Tuple: {
        std::string s = "(";
        for (std::size_t i = 0; i < children.size(); ++i) s += (i ? "," : "") + children[i].canonical();
        return s + ")";
      }
    }
    return {};
  }

  /// A human-written spelling: `uint` for uint256, `tuple(...)`, as cast accepts.
  std::string written(Gen& g) const {
    switch (k) {
      case Uint: return size == 256 && g.chance(0.3) ? "uint" : canonical();
      case Int: return size == 256 && g.chance(0.3) ? "int" : canonical();
      case Array: return children[0].written(g) + "[]";
      case FixedArray: return children[0].written(g) + "[" + std::to_string(size) + "]";
      case Tuple: {
        std::string s = g.chance(0.15) ? "tuple(" : "(";
        for (std::size_t i = 0; i < children.size(); ++i) s += (i ? "," : "") + children[i].written(g);
        return s + ")";
      }
      default: return canonical();
    }
  }
};

T random_type(Gen& g, int depth) {
  const std::size_t pick = g.below(depth >= 3 ? 7 : 10);
  switch (pick) {
    case 0: return {T::Uint, static_cast<unsigned>(8 * (1 + g.below(32))), {}};
    case 1: return {T::Int, static_cast<unsigned>(8 * (1 + g.below(32))), {}};
    case 2: return {T::Address, 0, {}};
    case 3: return {T::Bool, 0, {}};
    case 4: return {T::FixedBytes, static_cast<unsigned>(1 + g.below(32)), {}};
    case 5: return {T::Bytes, 0, {}};
    case 6: return {T::String, 0, {}};
    case 7: return {T::Array, 0, {random_type(g, depth + 1)}};
    case 8: return {T::FixedArray, static_cast<unsigned>(1 + g.below(3)), {random_type(g, depth + 1)}};
    default: {
      T t{T::Tuple, 0, {}};
      const std::size_t n = 1 + g.below(3);
      for (std::size_t i = 0; i < n; ++i) t.children.push_back(random_type(g, depth + 1));
      return t;
    }
  }
}

/// Random decimal digits of a number below 2^bits (as text), biased towards small and boundary values.
std::string random_magnitude(Gen& g, unsigned bits, bool& is_zero) {
  // Build a random number of up to `bits` bits as hex, then let cast/sluice read it in some notation.
  const unsigned used = g.chance(0.3) ? static_cast<unsigned>(1 + g.below(std::min(bits, 20u))) : static_cast<unsigned>(1 + g.below(bits));
  std::string hex;
  const unsigned nibbles = (used + 3) / 4;
  for (unsigned i = 0; i < nibbles; ++i) {
    unsigned max = 16;
    if (i == 0 && used % 4) max = 1u << (used % 4);
    hex += "0123456789abcdef"[g.below(max)];
  }
  is_zero = hex.find_first_not_of('0') == std::string::npos;
  return hex;
}

/// Hex digits to decimal digits (schoolbook), so that numbers can also be written in decimal.
std::string hex_to_dec(const std::string& hex) {
  std::vector<int> dec{0};  // little-endian decimal digits
  for (char h : hex) {
    int carry = (h >= 'a') ? h - 'a' + 10 : h - '0';
    for (auto& d : dec) {
      const int v = d * 16 + carry;
      d = v % 10;
      carry = v / 10;
    }
    while (carry) {
      dec.push_back(carry % 10);
      carry /= 10;
    }
  }
  std::string out;
  for (auto it = dec.rbegin(); it != dec.rend(); ++it) out += static_cast<char>('0' + *it);
  const auto nz = out.find_first_not_of('0');
  return nz == std::string::npos ? "0" : out.substr(nz);
}

std::string random_string(Gen& g, bool in_list) {
  static const std::vector<std::string> pieces = {"a", "b", "Z", "0", "9", " ", "x y", "é", "日本", "🦀", "-", "_", ".",
                                                  "!", "\\", "'", "é", "\t", "\n", "\x01", "\x7f", "%", "[", "(", "}"};
  std::string s;
  const std::size_t n = g.below(g.chance(0.1) ? 40 : 8);
  for (std::size_t i = 0; i < n; ++i) {
    std::string p = pieces[g.below(pieces.size())];
    if (in_list && (p == "\\" || p == "'")) p = "q";
    s += p;
  }
  // Quoted strings can carry anything but their delimiter.
  if (in_list || g.chance(0.3)) return "\"" + s + "\"";
  // Unquoted top-level strings: cast trims trailing whitespace and takes a leading quote as a delimiter.
  while (!s.empty() && (s[0] == '\'' || s[0] == '"')) s.erase(0, 1);
  return s;
}

std::string random_value(Gen& g, const T& t, bool in_list) {
  const char* sep = g.chance(0.5) ? ", " : ",";
  switch (t.k) {
    case T::Uint: {
      bool zero = false;
      const std::string hex = random_magnitude(g, t.size, zero);
      if (g.chance(0.4)) return "0x" + hex;
      if (t.size >= 64 && g.chance(0.15)) {
        const std::size_t v = 1 + g.below(999);
        return g.chance(0.5) ? std::to_string(v) + "e" + std::to_string(g.below(10)) : std::to_string(v) + " gwei";
      }
      return hex_to_dec(hex);
    }
    case T::Int: {
      bool zero = false;
      std::string hex = random_magnitude(g, t.size - 1, zero);
      const bool negative = g.chance(0.5);
      const std::string sign = negative ? "-" : (g.chance(0.2) ? "+" : "");
      return g.chance(0.5) ? sign + "0x" + hex : sign + hex_to_dec(hex);
    }
    case T::Address: {
      std::string s = g.hex_digits(20, g.chance(0.2));
      return g.chance(0.9) ? "0x" + s : s;
    }
    case T::Bool: return g.chance(0.5) ? "true" : "false";
    case T::FixedBytes: return "0x" + g.hex_digits(t.size);
    case T::Bytes: return "0x" + g.hex_digits(g.below(g.chance(0.2) ? 70 : 5));
    case T::String: return random_string(g, in_list);
    case T::Array:
    case T::FixedArray: {
      const std::size_t n = t.k == T::FixedArray ? t.size : g.below(4);
      std::string s = "[";
      for (std::size_t i = 0; i < n; ++i) s += (i ? sep : "") + random_value(g, t.children[0], true);
      return s + "]";
    }
    case T::Tuple: {
      std::string s = "(";
      for (std::size_t i = 0; i < t.children.size(); ++i) s += (i ? sep : "") + random_value(g, t.children[i], true);
      return s + ")";
    }
  }
  return {};
}

struct Case {
  std::vector<std::string> argv;  ///< arguments after the command name
};

int g_cast_ok = 0;
int g_compared = 0;

void require_same(const std::string& command, const std::vector<std::string>& args, bool& failed) {
  std::vector<std::string> cast_argv{sluice::test::node_tool("cast"), command};
  std::vector<std::string> sluice_argv{SLUICE_BINARY, "chain", command};
  cast_argv.insert(cast_argv.end(), args.begin(), args.end());
  sluice_argv.insert(sluice_argv.end(), args.begin(), args.end());
  const auto c = run_process(cast_argv);
  const auto s = run_process(sluice_argv);
  const bool cast_ok = c.exit_code == 0, sluice_ok = s.exit_code == 0;
  ++g_compared;
  g_cast_ok += cast_ok;
  if (!cast_ok && std::getenv("SLUICE_DIFF_VERBOSE")) {
    std::string input = command;
    for (const auto& a : args) input += " '" + a + "'";
    MESSAGE("cast rejected: " << input << "\n" << c.err);
  }
  if (cast_ok != sluice_ok || (cast_ok && c.out != s.out)) {
    std::string input = command;
    for (const auto& a : args) input += " '" + a + "'";
    MESSAGE("input: " << input << "\ncast (" << c.exit_code << "): " << c.out << c.err << "\nsluice ("
                      << s.exit_code << "): " << s.out << s.err);
    failed = true;
  }
}

std::string run_cast(const std::vector<std::string>& args) {
  std::vector<std::string> argv{sluice::test::node_tool("cast")};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run_process(argv);
  return r.exit_code == 0 ? r.out.substr(0, r.out.find('\n')) : std::string{};
}

std::vector<T> random_params(Gen& g) {
  std::vector<T> types;
  const std::size_t n = g.chance(0.05) ? 0 : 1 + g.below(4);
  for (std::size_t i = 0; i < n; ++i) types.push_back(random_type(g, 0));
  return types;
}

std::string written_list(Gen& g, const std::vector<T>& types, bool decorate) {
  std::string s = "(";
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (i) s += decorate && g.chance(0.5) ? ", " : ",";
    s += types[i].written(g);
    if (decorate && g.chance(0.3)) s += g.chance(0.3) ? " memory p" + std::to_string(i) : " arg" + std::to_string(i);
  }
  return s + ")";
}

constexpr int kCases = 1000;

}  // namespace

TEST_CASE("abi cli: sig matches cast on random signatures") {
  Gen g(seed());
  bool failed = false;
  for (int i = 0; i < kCases && !failed; ++i) {
    const auto inputs = random_params(g);
    std::string sig = (g.chance(0.2) ? "function " : "") + std::string(g.chance(0.5) ? "f" : "do_it$") +
                      std::to_string(i) + written_list(g, inputs, g.chance(0.5));
    if (g.chance(0.3)) sig += std::string(g.chance(0.5) ? " returns " : "") + written_list(g, random_params(g), false);
    if (g.chance(0.05)) sig += g.chance(0.5) ? " external" : "x";  // "x" is rejected by both
    require_same("sig", {sig}, failed);
  }
  CHECK_FALSE(failed);
}

TEST_CASE("abi cli: abi-encode and abi-decode (outputs and --input) match cast on random values") {
  Gen g(seed() + 1);
  bool failed = false;
  for (int i = 0; i < kCases && !failed; ++i) {
    const auto types = random_params(g);
    std::vector<std::string> args;
    for (const auto& t : types) {
      std::string v = random_value(g, t, false);
      args.push_back(v);
    }
    const std::string inputs = written_list(g, types, false);
    std::vector<std::string> encode_args{"f" + inputs};
    if (g.chance(0.05)) encode_args.insert(encode_args.begin(), "--packed");
    encode_args.insert(encode_args.end(), args.begin(), args.end());
    require_same("abi-encode", encode_args, failed);
    if (failed || encode_args[0] == "--packed") continue;

    std::vector<std::string> cast_encode{"abi-encode"};
    cast_encode.insert(cast_encode.end(), encode_args.begin(), encode_args.end());
    const std::string encoded = run_cast(cast_encode);
    if (encoded.empty()) continue;
    if (g.chance(0.5))
      require_same("abi-decode", {"f()" + inputs, encoded}, failed);
    else
      require_same("abi-decode", {g.chance(0.5) ? "-i" : "--input", "f" + inputs + "(bool)", encoded}, failed);
    // Corrupted data: both must agree on failure and on what they print (alloy's decoder is lenient).
    if (!failed && g.chance(0.25) && encoded.size() > 2) {
      std::string bad = encoded;
      const std::size_t cut = 2 + g.below(bad.size() - 2);
      if (g.chance(0.5)) {
        bad.resize(cut - (cut % 2));
      } else {
        bad[cut] = "0123456789abcdef"[g.below(16)];
      }
      if (bad.size() > 2) require_same("abi-decode", {"f()" + inputs, bad}, failed);
    }
  }
  MESSAGE(g_compared << " comparisons so far, " << g_cast_ok << " where cast succeeded");
  // Random values are generated valid: nearly all must be accepted, or the test would compare only errors.
  CHECK(g_cast_ok > g_compared * 8 / 10);
  CHECK_FALSE(failed);
}

TEST_CASE("abi cli: inputs cast rejects are rejected") {
  bool failed = false;
  const std::vector<std::vector<std::string>> encode_cases = {
      {"f(uint8)", "256"},   {"f(uint256)", "-1"},       {"f(int8)", "128"},          {"f(int8)", "-256"},
      {"f(uint256)", "1.5"}, {"f(uint256)", "1e-1"},     {"f(uint256)", "1 seconds"}, {"f(bool)", "1"},
      {"f(bool)", "True"},   {"f(bytes4)", "0x12"},      {"f(bytes)", "0x123"},       {"f(bytes)", ""},
      {"f(address)", "0x1234"}, {"f(uint256[2])", "[1]"}, {"f(uint256[])", "[,]"},   {"f(uint256[])", "[1,,]"},
      {"f(string)", "\"ab"}, {"f(string)", "\"ab\" "},   {"f(uint256)"},              {"f(uint256)", "1", "2"},
      {"f(uint7)", "1"},     {"uint256", "1"},           {"f(uint256)", " 1"},        {"f(bool[])", "[true ,false]"},
      {"f(uint256)", "0x"},  {"f(uint256)", "1_000"},    {"f(uint[])", " [1]"},       {"f(uint256)", "1e80"},
      {"f(int256)", "57896044618658097711785492504343953926634992332820282019728792003956564819968"},
      // accepted by cast, with its quirks
      {"f(int8)", "-129"},   {"f(int8)", "-255"},        {"f(uint256)", "1.5e3"},     {"f(uint256)", "0b101"},
      {"f(uint256)", "0o17"}, {"f(uint256)", "1.5 gwei"}, {"f(uint256)", "1 "},       {"f(string)", " hi "},
      {"f(string[])", "[a b, c]"}, {"f(string[])", "[it's]"}, {"f(uint[])", "[1,2,]"}, {"f(uint[])", "[ ]"},
      {"f((uint,string))", " ( 1 , \"x\" )"}, {"f(address)", "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96044"},
      {"f(string)", "-x"},   {"f(int256)", "-1 ether"},  {"f()"},
  };
  for (const auto& c : encode_cases) require_same("abi-encode", c, failed);
  const std::string one = "0x0000000000000000000000000000000000000000000000000000000000000001";
  const std::vector<std::vector<std::string>> decode_cases = {
      {"f()(uint256)", "0x01"}, {"f()()", "0x"}, {"f(uint256)", one}, {"f()(uint256)", "0x0g"},
      {"f()(uint256)", one.substr(0, 65)}, {"f()(uint7)", one}, {"f()(foo)", one}, {"(uint256)", one},
      {"f()(bool)", "0x0000000000000000000000000000000000000000000000000000000000000002"},
      {"f()(uint8)", "0x0000000000000000000000000000000000000000000000000000000000000100"},
      {"f()(string)", "0x0000000000000000000000000000000000000000000000000000000000000020"
                      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
      {"f()(uint256[])", "0x0000000000000000000000000000000000000000000000000000000000000020"
                         "00000000000000000000000000000000000000000000000000000000ffffffff"},
      {"f()(string)", "0x0000000000000000000000000000000000000000000000000000000000000020"
                      "0000000000000000000000000000000000000000000000000000000000000002ff61"},
  };
  for (const auto& c : decode_cases) require_same("abi-decode", c, failed);
  const std::vector<std::string> sig_cases = {
      "f(uint7)", "f(Foo)", "f(,)", "f", "", " f(uint)", "f(uint256 a b)", "f(uint) anonymous", "f(uint) x",
      "f(uint) view external", "f(uint[0])", "f(uint[01])", "f(uint [2])", "event E(uint)", "f(uint)returns",
      "f(uint) : (uint)", "function  f(uint) external view returns (uint)", "f(())", "f(()[])", "1f(uint)",
  };
  for (const auto& s : sig_cases) require_same("sig", {s}, failed);
  CHECK_FALSE(failed);
}
