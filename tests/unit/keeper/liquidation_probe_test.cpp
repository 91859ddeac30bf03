#include "keeper/backtest/liquidation_probe.hpp"

#include "chain/keccak.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::keeper;

namespace {

const Address kPool = *parse_address("0x94099942864EA81cCF197E9D71ac53310b1468D8");
const Address kUsdc = *parse_address("0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9");
const Address kWeth = *parse_address("0x5FbDB2315678afecb367f032d93F642f64180aa3");
const Address kKeeper = *parse_address("0x5100000000000000000000000000000000005100");

}  // namespace

TEST_CASE("liquidation probe: calldata of probe(target, data, debtToken, collateralToken)") {
  const ProbeCall call{kKeeper, kPool, from_hex("0xdeadbeef").value(), kUsdc, kWeth};
  // cast calldata "probe(address,bytes,address,address)" 0x9409...68D8 0xdeadbeef 0xDc64...C6C9 0x5FbD...0aa3
  CHECK(to_hex(probe_calldata(call)) ==
        "0x59a1dead00000000000000000000000094099942864ea81ccf197e9d71ac53310b1468d8000000000000000000000000000000000"
        "0000000000000000000000000000080000000000000000000000000dc64a140aa3e981100a9beca4e685f962f0cf6c9000000000000"
        "0000000000005fbdb2315678afecb367f032d93f642f64180aa300000000000000000000000000000000000000000000000000000000"
        "00000004deadbeef00000000000000000000000000000000000000000000000000000000");
}

TEST_CASE("liquidation probe: the runtime code dispatches probe's selector") {
  const Bytes& code = liquidation_probe_code();
  REQUIRE(code.size() > 100);
  // The dispatcher compares the calldata's selector with PUSH4 0x59a1dead (cast sig
  // "probe(address,bytes,address,address)" = 0x59a1dead).
  const std::string hex = to_hex_no_prefix(code);
  CHECK(hex.find("6359a1dead") != std::string::npos);
  // No CBOR metadata tail: it always holds the key "solc" with the compiler version (0x64 "solc" 0x43 ...).
  CHECK(hex.find("64736f6c6343") == std::string::npos);
}

TEST_CASE("liquidation probe: code override merged into an existing entry for the keeper") {
  rpc::StateOverride overrides;
  rpc::AccountOverride keeper_entry;
  keeper_entry.balance = U256{7};
  keeper_entry.code = Bytes{0x00};
  overrides.emplace_back(kUsdc, rpc::AccountOverride{});
  overrides.emplace_back(kKeeper, keeper_entry);
  add_probe_code(overrides, kKeeper);
  REQUIRE(overrides.size() == 2);
  CHECK(overrides[1].first == kKeeper);
  CHECK(overrides[1].second.balance == U256{7});
  CHECK(overrides[1].second.code == liquidation_probe_code());
  CHECK(!overrides[0].second.code.has_value());

  add_probe_code(overrides, kWeth);  // no entry yet: appended
  REQUIRE(overrides.size() == 3);
  CHECK(overrides[2].first == kWeth);
  CHECK(overrides[2].second.code == liquidation_probe_code());
  CHECK(!overrides[2].second.balance.has_value());
}
