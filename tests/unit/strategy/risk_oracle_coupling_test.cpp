// strategy/risk/oracle_coupling: each mode over a short market path, worked by hand, and the CLI text forms.

#include "strategy/risk/oracle_coupling.hpp"

#include "tests/unit/strategy/risk_test_support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::risk;

namespace {
/// Market prices per block after a sale (think USD with 2 decimals): 99.00, 97.00, 96.60, 95.00, 90.00;
/// the oracle starts at 100.00.
const std::vector<U256> kPath{9900, 9700, 9660, 9500, 9000};
const U256 kStart = 10000;

std::vector<U256> run(std::string_view mode, const std::vector<U256>& path = kPath) {
  const auto spec = parse_coupling(mode);
  REQUIRE(spec.has_value());
  return follow(*spec, kStart, path);
}
std::vector<U256> v(std::initializer_list<std::uint64_t> xs) { return {xs.begin(), xs.end()}; }
}  // namespace

TEST_CASE("oracle_coupling: none and full") {
  CHECK(run("none") == v({10000, 10000, 10000, 10000, 10000}));
  CHECK(run("full") == kPath);
}

TEST_CASE("oracle_coupling: lag in blocks") {
  // lag:2: block 0 and 1 still show the start price, block k >= 2 shows the market of block k - 2.
  CHECK(run("lag:2") == v({10000, 10000, 9900, 9700, 9660}));
  CHECK(run("lag:0") == kPath);
  CHECK(run("lag:9") == v({10000, 10000, 10000, 10000, 10000}));
  OracleCoupling o(*parse_coupling("lag:1"), kStart);
  CHECK(o.oracle_price() == kStart);
  CHECK(o.on_block(9900) == kStart);
  CHECK(o.on_block(9700) == U256{9900});
  CHECK(o.blocks() == 2);
}

TEST_CASE("oracle_coupling: Chainlink-style deviation threshold") {
  // deviation:1.5 from 100.00: 99.00 is 1.0% off (stays 100.00); 97.00 is 3.0% off (updates); 96.60 is
  // 0.41% from 97.00 (stays); 95.00 is 2.06% from 97.00 (updates); 90.00 is 5.26% from 95.00 (updates).
  CHECK(run("deviation:1.5") == v({10000, 9700, 9700, 9500, 9000}));
  // Strictly more than X%: exactly 1% does not update, 1.01% does.
  CHECK(run("deviation:1", v({9900, 9899})) == v({10000, 9899}));
  CHECK(run("deviation:1", v({10100, 10101})) == v({10000, 10101}));
  // With a heartbeat of 2 blocks the answer refreshes every second block even without deviation:
  // block 0: 1% < 5%, 1 block since start; block 1: 2 blocks -> 98.00; block 2: 1 block; block 3: 2 -> 97.00.
  CHECK(run("deviation:5:2", v({9900, 9800, 9750, 9700})) == v({10000, 9800, 9800, 9700}));
  // Seven decimals of a percent are kept exactly: 0.0000001% of 10^11 is 100 (strictly more needed).
  const auto fine = parse_coupling("deviation:0.0000001");
  REQUIRE(fine.has_value());
  CHECK(fine->deviation_ppb == 1);
  CHECK(follow(*fine, U256{100'000'000'000ULL}, v({99'999'999'900ULL, 99'999'999'899ULL})) ==
        v({100'000'000'000ULL, 99'999'999'899ULL}));
}

TEST_CASE("oracle_coupling: parsing the CLI forms") {
  CHECK(parse_coupling("none")->mode == CouplingMode::none);
  CHECK(parse_coupling("full")->mode == CouplingMode::full);
  CHECK(parse_coupling("lag:3")->lag_blocks == 3);
  CHECK(parse_coupling("deviation:0.5")->deviation_ppb == 5'000'000);
  CHECK_FALSE(parse_coupling("deviation:0.5")->heartbeat_blocks.has_value());
  CHECK(*parse_coupling("deviation:0.5:300")->heartbeat_blocks == 300);
  CHECK(parse_coupling("deviation:100")->deviation_ppb == 1'000'000'000);
  for (const char* text : {"none", "full", "lag:0", "lag:12", "deviation:0.5", "deviation:2", "deviation:0.125:3600",
                           "deviation:0.0000001"})
    CHECK(to_string(*parse_coupling(text)) == text);

  const auto err = [](std::string_view text) { return parse_coupling(text).error(); };
  CHECK(err("") == CouplingError::empty);
  CHECK(err("partial") == CouplingError::unknown_mode);
  CHECK(err("Full") == CouplingError::unknown_mode);
  CHECK(err("lag") == CouplingError::missing_parameter);
  CHECK(err("lag:") == CouplingError::missing_parameter);
  CHECK(err("deviation") == CouplingError::missing_parameter);
  CHECK(err("lag:-1") == CouplingError::invalid_lag);
  CHECK(err("lag:1.5") == CouplingError::invalid_lag);
  CHECK(err("lag:1000001") == CouplingError::invalid_lag);
  CHECK(err("deviation:0") == CouplingError::invalid_deviation);
  CHECK(err("deviation:-1") == CouplingError::invalid_deviation);
  CHECK(err("deviation:abc") == CouplingError::invalid_deviation);
  CHECK(err("deviation:100.5") == CouplingError::invalid_deviation);
  CHECK(err("deviation:.5") == CouplingError::invalid_deviation);
  CHECK(err("deviation:5.") == CouplingError::invalid_deviation);
  CHECK(err("deviation:0.12345678") == CouplingError::invalid_deviation);
  CHECK(err("deviation:0.5%") == CouplingError::invalid_deviation);
  CHECK(err("deviation:0.5:0") == CouplingError::invalid_heartbeat);
  CHECK(err("deviation:0.5:x") == CouplingError::invalid_heartbeat);
  CHECK(err("deviation:0.5:1:2") == CouplingError::unexpected_parameter);
  CHECK(err("full:1") == CouplingError::unexpected_parameter);
  CHECK(std::string(describe(CouplingError::invalid_lag)).find("lag") != std::string::npos);
}
