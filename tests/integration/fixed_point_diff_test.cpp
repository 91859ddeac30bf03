// Differential test of chain/fixed_point against the real Solidity libraries (Aave v3 WadRayMath and
// PercentageMath from @aave/core-v3 1.19.3, Morpho Blue MathLib, SharesMathLib and UtilsLib from
// @morpho-org/morpho-blue 1.0.0), compiled with solc-js 0.8.19 into tests/contracts/MathHarness.sol, deployed on
// a real anvil and evaluated with eth_call. Every function gets kInputsPerFunction random inputs (fixed seed,
// overridable with SLUICE_DIFF_SEED) of mixed magnitudes plus inputs next to its overflow guard and next to its
// rounding boundaries; the C++ result must equal the contract's, and nullopt must coincide with a revert.

#include "chain/fixed_point.hpp"
#include "chain/keccak.hpp"
#include "tests/support/anvil.hpp"
#include "tests/support/diff_seed.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace sluice;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kInputsPerFunction = 1536;
constexpr std::size_t kBatchSize = 256;  ///< inputs per eth_call
const U256 kMax = U256::max();

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- the harness contract: compiled once per content hash into the build dir ----

/// Creation bytecode of MathHarness (hex, no 0x). The cache key covers the harness, the compile script and the
/// lockfile that pins the library and compiler versions, so any change recompiles.
std::string harness_bytecode() {
  const fs::path source_dir = SLUICE_SOURCE_DIR;
  const fs::path harness = source_dir / "tests/contracts/MathHarness.sol";
  const fs::path compiler = source_dir / "tests/contracts/compile.js";
  const std::string key =
      read_file(harness) + read_file(compiler) + read_file(source_dir / "scripts/package-lock.json");
  const fs::path cache_dir = fs::path(SLUICE_BINARY_DIR) / "tests/contracts";
  const fs::path cached = cache_dir / ("MathHarness-" + keccak256(std::string_view{key}).hex().substr(2, 16) + ".hex");
  if (fs::exists(cached)) return read_file(cached);

  const std::string node_modules = fs::path(SLUICE_NODE_BIN).parent_path().string();
  const auto r = test::run_process({"node", compiler.string(), node_modules, "solc0819", harness.string()});
  if (r.exit_code != 0) throw std::runtime_error("compiling MathHarness.sol failed (run scripts/setup?): " + r.err);
  std::string code = r.out.substr(0, r.out.find_first_of("\r\n"));
  fs::create_directories(cache_dir);
  const fs::path temp = cached.string() + ".tmp" + std::to_string(getpid());
  std::ofstream(temp, std::ios::binary) << code;
  fs::rename(temp, cached);  // atomic, so that parallel test processes never read half a file
  return code;
}

/// Deploys the harness from anvil's first (unlocked) dev account and returns its address.
std::string deploy_harness(test::RpcClient& rpc) {
  const std::string from = test::Anvil::dev_address(0);
  const std::string tx = rpc.call("eth_sendTransaction", R"([{"from":")" + from + R"(","data":"0x)" +
                                                             harness_bytecode() + R"(","gas":"0x1c9c380"}])");
  const std::string receipt = rpc.wait_for_receipt(tx);
  const std::string marker = R"("contractAddress":")";
  const auto at = receipt.find(marker);
  REQUIRE_MESSAGE(at != std::string::npos, "no contract address in " << receipt);
  return receipt.substr(at + marker.size(), 42);
}

// ---- batch calls: batch(bytes4 selector, uint256 arity, uint256[] args) returns (bool[] ok, uint256[] out) ----

std::string word_hex(const U256& v) { return to_hex_no_prefix(v.to_be()); }

std::string selector_hex(std::string_view signature) {
  return keccak256(signature).hex().substr(2, 8);
}

struct ChainResult {
  bool ok;
  U256 value;
};

std::vector<ChainResult> call_batch(test::RpcClient& rpc, const std::string& harness, std::string_view signature,
                                    std::size_t arity, const U256* args, std::size_t count) {
  std::string data = "0x" + selector_hex("batch(bytes4,uint256,uint256[])");
  data += selector_hex(signature) + std::string(56, '0');  // bytes4 is left-aligned in its word
  data += word_hex(arity) + word_hex(0x60) + word_hex(count * arity);
  for (std::size_t i = 0; i < count * arity; ++i) data += word_hex(args[i]);
  const std::string result = rpc.call(
      "eth_call", R"([{"to":")" + harness + R"(","data":")" + data + R"(","gas":"0x3b9aca00"},"latest"])");
  const auto bytes = from_hex(result);
  REQUIRE(bytes.has_value());
  const Bytes& out = *bytes;
  const auto word = [&](std::size_t offset) {
    REQUIRE(offset + 32 <= out.size());
    return *U256::from_be(ByteView{out.data() + offset, 32});
  };
  const std::size_t ok_at = *word(0).to_uint64(), value_at = *word(32).to_uint64();
  REQUIRE(word(ok_at) == U256{count});
  REQUIRE(word(value_at) == U256{count});
  std::vector<ChainResult> results(count);
  for (std::size_t i = 0; i < count; ++i) {
    results[i].ok = !word(ok_at + 32 + 32 * i).is_zero();
    results[i].value = word(value_at + 32 + 32 * i);
  }
  return results;
}

// ---- input generators ----

using Rng = std::mt19937_64;

U256 random_bits(Rng& rng, unsigned bits) {
  if (bits == 0) return U256{};
  return U256{rng(), rng(), rng(), rng()} >> (256 - bits);
}

/// A value whose bit length is uniform in [0, 256], with the protocols' landmarks mixed in.
U256 mixed(Rng& rng) {
  static const U256 landmarks[] = {0,        1,        2,        3,     kHalfBps, kBpsScale,  kHalfWad,
                                   kWad,     kHalfRay, kRay,     kMax,  kMax - 1, kMax >> 1, U256{1} << 128,
                                   (U256{1} << 128) - 1};
  if (rng() % 16 == 0) return landmarks[rng() % std::size(landmarks)];
  return random_bits(rng, static_cast<unsigned>(rng() % 257));
}

U256 nonzero(const U256& v) { return v.is_zero() ? U256{1} : v; }

/// `x` itself half of the time, otherwise moved by 1 to 3 either way (clamped to [0, MAX]).
U256 jitter(Rng& rng, const U256& x) {
  if (rng() % 2 == 0) return x;
  const std::uint64_t step = 1 + rng() % 3;
  if (rng() % 2 == 0) return x >= U256{step} ? x - step : U256{};
  return x <= kMax - step ? x + step : kMax;
}

/// A random divisor of `n` built from its factors 2 and 5, so that multiples of it hit decimal halves exactly.
U256 decimal_divisor(Rng& rng, const U256& n) {
  U256 d{1};
  for (auto steps = rng() % 48; steps > 0; --steps) {
    const U256 next = d * U256{rng() % 2 == 0 ? 2U : 5U};
    if ((n % next).is_zero()) d = next;
  }
  return d;
}

/// A small divisor of `n` (random candidates up to 1000, else 1), so that q * divisor can equal `n` exactly.
U256 small_divisor(Rng& rng, const U256& n) {
  for (int attempt = 0; attempt < 32; ++attempt) {
    const U256 b{1 + rng() % 1000};
    if ((n % b).is_zero()) return b;
  }
  return U256{1};
}

/// An r for which MAX - r is a multiple of `scale`, so that a guard `a * scale > MAX - r` can be met with equality.
U256 aligned_offset(Rng& rng, const U256& scale) {
  return kMax % scale + scale * random_bits(rng, static_cast<unsigned>(rng() % 64));
}

using Generator = std::function<void(Rng&, U256*)>;

/// (a * b + scale/2) / scale: random, at the overflow guard, and a * b on or next to k * scale + scale/2.
Generator half_up_mul_inputs(U256 scale) {
  return [scale](Rng& rng, U256* x) {
    const U256 half = scale >> 1;
    switch (rng() % 4) {
      case 2:
        x[1] = rng() % 4 == 0 ? small_divisor(rng, kMax - half) : nonzero(mixed(rng));
        x[0] = jitter(rng, (kMax - half) / x[1]);
        break;
      case 3:
        x[1] = decimal_divisor(rng, half);
        x[0] = jitter(rng, (random_bits(rng, static_cast<unsigned>(rng() % 160)) * scale + half) / x[1]);
        break;
      default:
        x[0] = mixed(rng);
        x[1] = mixed(rng);
    }
    if (rng() % 2 == 0) std::swap(x[0], x[1]);
  };
}

/// (a * scale + b/2) / b: random, at the overflow guard, and quotients on or next to an exact half
/// (b = 2 * scale * t, a = t * odd).
Generator half_up_div_inputs(U256 scale) {
  return [scale](Rng& rng, U256* x) {
    switch (rng() % 4) {
      case 2:
        x[1] = rng() % 2 == 0 ? aligned_offset(rng, scale) * 2 + U256{rng() % 2} : mixed(rng);
        x[0] = jitter(rng, (kMax - (x[1] >> 1)) / scale);
        break;
      case 3: {
        const U256 t = nonzero(random_bits(rng, static_cast<unsigned>(rng() % 80)));
        x[1] = scale * 2 * t;
        x[0] = jitter(rng, t * (random_bits(rng, static_cast<unsigned>(rng() % 90)) | U256{1}));
        break;
      }
      default:
        x[0] = mixed(rng);
        x[1] = mixed(rng);
    }
  };
}

/// (x * y) / d or (x * y + d - 1) / d (Morpho): random, x * y (+ d - 1) at 2^256, and x * y next to q * d.
Generator mul_div_inputs(bool up) {
  return [up](Rng& rng, U256* x) {
    switch (rng() % 4) {
      case 2: {
        x[2] = mixed(rng);
        const U256 limit = kMax - (up && !x[2].is_zero() ? x[2] - 1 : U256{});
        x[1] = rng() % 4 == 0 ? small_divisor(rng, limit) : nonzero(mixed(rng));
        x[0] = jitter(rng, limit / x[1]);
        break;
      }
      case 3:
        x[2] = nonzero(random_bits(rng, static_cast<unsigned>(rng() % 128)));
        x[1] = U256{1 + rng() % 4};
        x[0] = jitter(rng, random_bits(rng, static_cast<unsigned>(rng() % 120)) * x[2] / x[1]);
        break;
      default:
        for (int i = 0; i < 3; ++i) x[i] = mixed(rng);
    }
  };
}

/// wMulDown(x, y) = x * y / WAD: random, x * y at 2^256, and x * y next to a multiple of WAD.
void wad_mul_down_inputs(Rng& rng, U256* x) {
  switch (rng() % 4) {
    case 2:
      x[1] = rng() % 4 == 0 ? small_divisor(rng, kMax) : nonzero(mixed(rng));
      x[0] = jitter(rng, kMax / x[1]);
      break;
    case 3:
      x[1] = decimal_divisor(rng, kWad);
      x[0] = jitter(rng, random_bits(rng, static_cast<unsigned>(rng() % 180)) * (kWad / x[1]));
      break;
    default:
      x[0] = mixed(rng);
      x[1] = mixed(rng);
  }
}

/// wDivDown/wDivUp(x, y) = x * WAD / y: random, x * WAD (+ y - 1) at 2^256, and exact quotients
/// (y = d * t with d | WAD, x = q * t) and their neighbours.
Generator wad_div_inputs(bool up) {
  return [up](Rng& rng, U256* x) {
    switch (rng() % 4) {
      case 2:
        x[1] = up && rng() % 2 == 0 ? aligned_offset(rng, kWad) + 1 : mixed(rng);
        x[0] = jitter(rng, (kMax - (up && !x[1].is_zero() ? x[1] - 1 : U256{})) / kWad);
        break;
      case 3: {
        const U256 t = nonzero(random_bits(rng, static_cast<unsigned>(rng() % 64)));
        x[1] = decimal_divisor(rng, kWad) * t;
        x[0] = jitter(rng, random_bits(rng, static_cast<unsigned>(rng() % 100)) * t);
        break;
      }
      default:
        x[0] = mixed(rng);
        x[1] = mixed(rng);
    }
  };
}

/// The largest t with (t * t / 2e18) * t < 2^256: beyond it wTaylorCompounded's third term overflows.
U256 taylor_third_term_limit() {
  const auto fits = [](const U256& t) {
    const auto square = checked_mul(t, t);
    return square && checked_mul(*square / (kWad * 2), t).has_value();
  };
  U256 lo = U256{1} << 100, hi = U256{1} << 128;  // fits(lo) && !fits(hi)
  while (hi - lo > U256{1}) {
    const U256 mid = lo + ((hi - lo) >> 1);
    (fits(mid) ? lo : hi) = mid;
  }
  return lo;
}

/// wTaylorCompounded(x, n): random, realistic per-second rates and durations, x * n at 2^256, and x * n at the
/// limits where the second (t * t) and third (t^2/2 * t) terms overflow.
void taylor_inputs(Rng& rng, U256* x) {
  static const U256 third_limit = taylor_third_term_limit();
  switch (rng() % 4) {
    case 1:
      x[0] = random_bits(rng, static_cast<unsigned>(rng() % 42));  // up to ~4e12 per second
      x[1] = random_bits(rng, static_cast<unsigned>(rng() % 34));  // up to ~500 years in seconds
      break;
    case 2:
      x[1] = rng() % 4 == 0 ? small_divisor(rng, kMax) : nonzero(mixed(rng));
      x[0] = jitter(rng, kMax / x[1]);
      break;
    case 3:
      x[1] = U256{1};
      x[0] = jitter(rng, rng() % 2 == 0 ? third_limit : (U256{1} << 128) - 1);
      if (rng() % 2 == 0) std::swap(x[0], x[1]);
      break;
    default:
      x[0] = mixed(rng);
      x[1] = mixed(rng);
  }
}

/// SharesMathLib(amount, totalAssets, totalShares): random, realistic totals, totals at 2^256 - virtual amount,
/// and amount * (total + virtual) at 2^256.
Generator shares_inputs(bool to_shares, bool up) {
  return [to_shares, up](Rng& rng, U256* x) {
    switch (rng() % 4) {
      case 1:
        x[1] = random_bits(rng, static_cast<unsigned>(rng() % 128));
        x[2] = random_bits(rng, static_cast<unsigned>(rng() % 150));
        x[0] = random_bits(rng, static_cast<unsigned>(rng() % 128));
        break;
      case 2:
        x[0] = mixed(rng);
        x[1] = rng() % 2 == 0 ? jitter(rng, kMax - kVirtualAssets) : mixed(rng);
        x[2] = rng() % 2 == 0 ? jitter(rng, kMax - kVirtualShares) : mixed(rng);
        break;
      case 3: {
        x[1] = random_bits(rng, static_cast<unsigned>(rng() % 200));
        x[2] = random_bits(rng, static_cast<unsigned>(rng() % 200));
        const U256 numerator = to_shares ? x[2] + kVirtualShares : x[1] + kVirtualAssets;
        const U256 denominator = to_shares ? x[1] + kVirtualAssets : x[2] + kVirtualShares;
        x[0] = jitter(rng, (kMax - (up ? denominator - 1 : U256{})) / numerator);
        break;
      }
      default:
        for (int i = 0; i < 3; ++i) x[i] = mixed(rng);
    }
  };
}

/// rayToWad(a): random, remainders on and next to 0.5e9, and the top of the range.
void ray_to_wad_inputs(Rng& rng, U256* x) {
  switch (rng() % 3) {
    case 0:
      x[0] = mixed(rng);
      break;
    case 1:
      x[0] = jitter(rng, random_bits(rng, static_cast<unsigned>(rng() % 220)) * kWadRayRatio + 500'000'000);
      break;
    default:
      x[0] = jitter(rng, kMax - U256{rng() % 2'000'000'000});
  }
}

/// wadToRay(a): random, and a * 1e9 at 2^256.
void wad_to_ray_inputs(Rng& rng, U256* x) {
  x[0] = rng() % 2 == 0 ? mixed(rng) : jitter(rng, kMax / kWadRayRatio);
}

/// zeroFloorSub(x, y): random, and y on and next to x.
void saturating_sub_inputs(Rng& rng, U256* x) {
  x[0] = mixed(rng);
  x[1] = rng() % 2 == 0 ? mixed(rng) : jitter(rng, x[0]);
}

// ---- the functions under test ----

struct Function {
  std::string signature;  ///< the harness function
  std::size_t arity;
  std::function<std::optional<U256>(const U256*)> ours;
  Generator inputs;
  bool can_revert = true;
};

void check_against_chain(const std::vector<Function>& functions) {
  const std::uint64_t seed = test::diff_seed(0x5eed'f1ced'0001ULL);
  MESSAGE("seed " << seed << " (override with SLUICE_DIFF_SEED)");
  test::Anvil anvil;
  test::RpcClient rpc(anvil.http_url());
  const std::string harness = deploy_harness(rpc);
  for (std::size_t f = 0; f < functions.size(); ++f) {
    const Function& fn = functions[f];
    INFO(fn.signature);
    Rng rng(seed + f);
    std::vector<U256> args(kInputsPerFunction * fn.arity);
    for (std::size_t i = 0; i < kInputsPerFunction; ++i) fn.inputs(rng, &args[i * fn.arity]);
    std::size_t mismatches = 0, reverts = 0;
    for (std::size_t start = 0; start < kInputsPerFunction; start += kBatchSize) {
      const std::size_t count = std::min(kBatchSize, kInputsPerFunction - start);
      const U256* batch = &args[start * fn.arity];
      const auto chain = call_batch(rpc, harness, fn.signature, fn.arity, batch, count);
      for (std::size_t i = 0; i < count; ++i) {
        const auto ours = fn.ours(&batch[i * fn.arity]);
        reverts += chain[i].ok ? 0 : 1;
        if (ours.has_value() == chain[i].ok && (!ours || *ours == chain[i].value)) continue;
        if (++mismatches <= 5) {
          std::string input;
          for (std::size_t k = 0; k < fn.arity; ++k) input += (k ? ", " : "") + batch[i * fn.arity + k].to_dec();
          FAIL_CHECK(fn.signature.substr(0, fn.signature.find('(')) << "(" << input << "): chain "
                                  << (chain[i].ok ? chain[i].value.to_dec() : std::string("reverts")) << ", ours "
                                  << (ours ? ours->to_dec() : std::string("nullopt")));
        }
      }
    }
    MESSAGE(fn.signature << ": " << kInputsPerFunction << " inputs, " << reverts << " revert on chain");
    CHECK_MESSAGE(mismatches == 0, mismatches << " of " << kInputsPerFunction << " inputs differ");
    // The generators must exercise both outcomes, or the revert conditions went untested.
    if (fn.can_revert) CHECK(reverts > kInputsPerFunction / 20);
    CHECK(reverts < kInputsPerFunction - kInputsPerFunction / 20);
  }
}

template <auto F>
std::optional<U256> unary(const U256* x) {
  return F(x[0]);
}
template <auto F>
std::optional<U256> binary(const U256* x) {
  return F(x[0], x[1]);
}
/// Typed, so that an overloaded name (checked_mul_div_down also divides by an InvariantDivisor128) picks this one.
using TernaryFunction = std::optional<U256> (*)(const U256&, const U256&, const U256&);
template <TernaryFunction F>
std::optional<U256> ternary(const U256* x) {
  return F(x[0], x[1], x[2]);
}

}  // namespace

TEST_CASE("fixed_point: Aave v3 WadRayMath and PercentageMath, differential against the Solidity on anvil") {
  const std::vector<Function> functions = {
      {"wadMul(uint256,uint256)", 2, binary<wad_mul_half_up>, half_up_mul_inputs(kWad)},
      {"wadDiv(uint256,uint256)", 2, binary<wad_div_half_up>, half_up_div_inputs(kWad)},
      {"rayMul(uint256,uint256)", 2, binary<ray_mul_half_up>, half_up_mul_inputs(kRay)},
      {"rayDiv(uint256,uint256)", 2, binary<ray_div_half_up>, half_up_div_inputs(kRay)},
      {"percentMul(uint256,uint256)", 2, binary<bps_mul_half_up>, half_up_mul_inputs(kBpsScale)},
      {"percentDiv(uint256,uint256)", 2, binary<bps_div_half_up>, half_up_div_inputs(kBpsScale)},
      {"rayToWad(uint256)", 1, unary<ray_to_wad_half_up>, ray_to_wad_inputs, false},
      {"wadToRay(uint256)", 1, unary<wad_to_ray>, wad_to_ray_inputs},
  };
  check_against_chain(functions);
}

TEST_CASE("fixed_point: Morpho Blue MathLib, SharesMathLib and UtilsLib, differential against the Solidity on anvil") {
  const std::vector<Function> functions = {
      {"mulDivDown(uint256,uint256,uint256)", 3, ternary<checked_mul_div_down>, mul_div_inputs(false)},
      {"mulDivUp(uint256,uint256,uint256)", 3, ternary<checked_mul_div_up>, mul_div_inputs(true)},
      {"wMulDown(uint256,uint256)", 2, binary<wad_mul_down>, wad_mul_down_inputs},
      {"wDivDown(uint256,uint256)", 2, binary<wad_div_down>, wad_div_inputs(false)},
      {"wDivUp(uint256,uint256)", 2, binary<wad_div_up>, wad_div_inputs(true)},
      {"wTaylorCompounded(uint256,uint256)", 2, binary<wad_taylor_compounded>, taylor_inputs},
      {"toSharesDown(uint256,uint256,uint256)", 3, ternary<to_shares_down>, shares_inputs(true, false)},
      {"toSharesUp(uint256,uint256,uint256)", 3, ternary<to_shares_up>, shares_inputs(true, true)},
      {"toAssetsDown(uint256,uint256,uint256)", 3, ternary<to_assets_down>, shares_inputs(false, false)},
      {"toAssetsUp(uint256,uint256,uint256)", 3, ternary<to_assets_up>, shares_inputs(false, true)},
      {"zeroFloorSub(uint256,uint256)", 2, binary<saturating_sub>, saturating_sub_inputs, false},
  };
  check_against_chain(functions);
}
