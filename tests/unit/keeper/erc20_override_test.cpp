// ERC-20 storage slots of balanceOf / allowance under a probed layout, and how overrides merge. Golden slots come
// from Foundry's cast 1.7.1 (run once, values pasted):
//   Solidity order: `cast index address <owner> <k>`; nested: `cast index address <spender> <that slot>`.
//   Vyper order: `cast keccak $(cast concat-hex $(cast to-uint256 <k>) $(cast pad <owner> --len 32))`, and nested
//   `cast keccak $(cast concat-hex <that slot> $(cast pad <spender> --len 32))`.

#include "keeper/backtest/erc20_override.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::keeper;

namespace {

Address addr(const char* s) { return parse_address(s).value(); }
Hash h(const char* s) { return Hash::from_hex(s).value(); }

const Address kOwner = addr("0x30475Ca6Fd193384a0730E6D3eF3B0c805b9Fe50");
const Address kSpender = addr("0x94099942864EA81cCF197E9D71ac53310b1468D8");
const Address kToken = addr("0x5FbDB2315678afecb367f032d93F642f64180aa3");

Erc20Layout layout(std::uint32_t balance, std::uint32_t allowance, bool vyper = false) {
  Erc20Layout l;
  l.token = kToken;
  l.balance_index = balance;
  l.balance_vyper_order = vyper;
  l.allowance_index = allowance;
  l.allowance_vyper_order = vyper;
  return l;
}

}  // namespace

TEST_CASE("erc20 override: balance slots in Solidity order match cast index") {
  struct Case {
    std::uint32_t k;
    const char* slot;
  };
  for (const auto& c : {Case{0, "0x2e0de54459941e3ffdfe5c667e5f065579ed1502be09682006fa2cf0f9f950d0"},
                        Case{3, "0x22dec038387e28cf4e62b5debdc6f7ce08e4d254f6c6526780bc8439a7aa96d3"},
                        Case{5, "0x4b3d9586639186253978190fc4849f39815bc5759eeba3b976ab01be2bfd53b5"},
                        Case{9, "0xced3eff999afcfdd1ea319800d69c6880b7fff5afdb805a5a53e055034e273c6"},
                        Case{100, "0xcf55f8a4a29bfd8dad726fbccdb20918414b839505f48c27a8613fa374bef65c"}}) {
    INFO("k = ", c.k);
    CHECK(balance_slot(layout(c.k, 0), kOwner) == h(c.slot));
  }
}

TEST_CASE("erc20 override: allowance slots in Solidity order match nested cast index") {
  struct Case {
    std::uint32_t k;
    const char* slot;
  };
  for (const auto& c : {Case{4, "0x177c1d71e924c280d017fb05d48c2e5d4f5a7e80871f382b20caf61d9d9b3335"},
                        Case{6, "0xb416f787f67025d35f3b4794b4ccf5c24776d7b8209cc125b3e3f9eb27453695"},
                        Case{10, "0x3625bfa5d67298d098cef7e4cd987b0a4bf3e99a34b2db49dad1d005bb2654e9"}}) {
    INFO("k = ", c.k);
    CHECK(allowance_slot(layout(0, c.k), kOwner, kSpender) == h(c.slot));
  }
}

TEST_CASE("erc20 override: Vyper order hashes the index first") {
  const auto l = layout(5, 6, true);
  CHECK(balance_slot(l, kOwner) == h("0xb988a596cc8a1543d0d298d5b1ae105670ba09f40bd15a6c41e2f18fd1c92fed"));
  CHECK(allowance_slot(l, kOwner, kSpender) ==
        h("0x6aeb54ab34f3d650122861b353c44fbf8cf5a33dcbf9737d1b739ae71d2b7f41"));
  // The key order matters: the Solidity slots of the same indexes differ.
  CHECK(balance_slot(layout(5, 6), kOwner) != balance_slot(l, kOwner));
}

TEST_CASE("erc20 override: add_erc20_override merges into the token's entry") {
  const auto l = layout(5, 6);
  const Address other = addr("0x0165878A594ca255338adfa4d48449f69242Eb8F");
  rpc::StateOverride overrides;
  rpc::AccountOverride unrelated;
  unrelated.balance = U256{1};
  overrides.emplace_back(other, unrelated);

  const std::array<Address, 2> spenders{kSpender, other};
  add_erc20_override(overrides, l, kOwner, U256{1000}, spenders);
  REQUIRE(overrides.size() == 2);
  CHECK(overrides[0].first == other);
  CHECK(!overrides[0].second.state_diff);
  REQUIRE(overrides[1].first == kToken);
  REQUIRE(overrides[1].second.state_diff);
  CHECK(!overrides[1].second.state);
  const auto& diff = *overrides[1].second.state_diff;
  REQUIRE(diff.size() == 3);
  CHECK(diff[0].first == balance_slot(l, kOwner));
  CHECK(diff[0].second == Hash{U256{1000}.to_be()});
  CHECK(diff[1].first == allowance_slot(l, kOwner, kSpender));
  CHECK(diff[1].second == Hash{U256::max().to_be()});
  CHECK(diff[2].first == allowance_slot(l, kOwner, other));

  // A second owner adds slots; the same owner again replaces its balance rather than duplicating the slot.
  add_erc20_override(overrides, l, kSpender, U256{7}, {});
  add_erc20_override(overrides, l, kOwner, U256{2000}, spenders);
  REQUIRE(overrides.size() == 2);
  REQUIRE(overrides[1].second.state_diff->size() == 4);
  CHECK(diff[0].second == Hash{U256{2000}.to_be()});
  CHECK(diff[3].first == balance_slot(l, kSpender));
  CHECK(diff[3].second == Hash{U256{7}.to_be()});
}

TEST_CASE("erc20 override: an existing full state replacement takes the slots") {
  const auto l = layout(3, 4);
  rpc::StateOverride overrides;
  rpc::AccountOverride full;
  full.state.emplace();
  overrides.emplace_back(kToken, full);
  add_erc20_override(overrides, l, kOwner, U256{5}, {});
  REQUIRE(overrides.size() == 1);
  CHECK(!overrides[0].second.state_diff);
  REQUIRE(overrides[0].second.state->size() == 1);
  CHECK(overrides[0].second.state->front().first == balance_slot(l, kOwner));
}
