// Differential: strategy/aave account math against the real Aave v3.0 Pool on a devnet (scripts/devnet, 40
// borrowers, seed 7). The market (reserves, indexes, rates, eMode categories, oracle prices) and every borrower's
// balances are read with plain eth_calls at one block; account_data at that block's timestamp must equal
// Pool.getUserAccountData at that block in all six fields, for every borrower. Three blocks: after 30 days of
// interest; after a 40% WETH drop with eMode category 1 priced by the WBTC source (so eMode accounts take another
// asset's price); and, for each account liquidatable there, a real liquidationCall (reverted afterwards) whose
// LiquidationCall event and treasury transfer must equal liquidation()'s outcome; then every WETH liquidation
// price, set on the WETH feed, must put the pool's health factor on the predicted side of 1 (and one unit more on
// the other side).

#include "chain/abi/signature.hpp"
#include "chain/address.hpp"
#include "chain/u256.hpp"
#include "strategy/aave/liquidation_price.hpp"
#include "strategy/aave/math.hpp"
#include "tests/support/anvil.hpp"
#include "tests/support/devnet.hpp"
#include "tests/support/json_rpc.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::aave;
using namespace sluice::test;

namespace {

std::string hex_quantity(std::uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(n));
  return buf;
}

std::string selector(const char* canonical) { return abi::selector_of(canonical).hex(); }

/// A 32-byte ABI word (64 hex digits, no prefix).
std::string word_arg(const U256& v) {
  std::string h = v.to_hex().substr(2);
  return std::string(64 - h.size(), '0') + h;
}
std::string address_arg(const Address& a) { return std::string(24, '0') + a.hex().substr(2); }

U256 word(const std::string& result, std::size_t index) {
  if (result.size() < 2 + 64 * (index + 1)) throw std::runtime_error("short eth_call result: " + result);
  return U256::from_hex("0x" + result.substr(2 + 64 * index, 64)).value();
}
Address word_address(const std::string& result, std::size_t index) {
  return Address::from_hex("0x" + result.substr(2 + 64 * index + 24, 40)).value();
}

/// eth_call at a fixed block.
class Reader {
 public:
  Reader(RpcClient& rpc, std::uint64_t block) : rpc_(rpc), tag_(hex_quantity(block)) {}
  std::string call(const Address& to, const std::string& data) {
    return rpc_.call("eth_call", R"([{"to":")" + to.hex() + R"(","data":")" + data + R"("},")" + tag_ + R"("])");
  }
  std::string call(const Address& to, const char* signature, const Address& arg) {
    return call(to, selector(signature) + address_arg(arg));
  }

 private:
  RpcClient& rpc_;
  std::string tag_;
};

struct Addresses {
  Address pool, oracle, configurator;
};

MarketSnapshot read_market(RpcClient& rpc, const Addresses& a, std::uint64_t block) {
  Reader r(rpc, block);
  MarketSnapshot m;
  m.block = block;
  m.timestamp = std::stoull(rpc.call_field("eth_getBlockByNumber", R"([")" + hex_quantity(block) + R"(",false])",
                                           "timestamp"),
                            nullptr, 16);
  m.base_currency_unit = word(r.call(a.oracle, selector("BASE_CURRENCY_UNIT()")), 0);
  const std::string list = r.call(a.pool, selector("getReservesList()"));
  const std::size_t count = word(list, 1).to_uint64().value();
  m.reserves.resize(count);
  m.prices.resize(count);
  std::vector<std::uint8_t> categories;
  for (std::size_t i = 0; i < count; ++i) {
    const Address asset = word_address(list, 2 + i);
    const std::string d = r.call(a.pool, "getReserveData(address)", asset);
    const auto id = static_cast<std::uint16_t>(word(d, 7).to_uint64().value());
    Reserve& res = m.reserves.at(id);
    res.asset = asset;
    res.id = id;
    res.configuration_bitmap = word(d, 0);
    res.config = decode_reserve_config(res.configuration_bitmap);
    res.liquidity_index = word(d, 1);
    res.current_liquidity_rate = word(d, 2);
    res.variable_borrow_index = word(d, 3);
    res.current_variable_borrow_rate = word(d, 4);
    res.current_stable_borrow_rate = word(d, 5);
    res.last_update_timestamp = word(d, 6).to_uint64().value();
    res.a_token = word_address(d, 8);
    res.stable_debt_token = word_address(d, 9);
    res.variable_debt_token = word_address(d, 10);
    m.prices.at(id) = word(r.call(a.oracle, "getAssetPrice(address)", asset), 0);
    if (res.config.emode_category != 0) categories.push_back(res.config.emode_category);
  }
  std::sort(categories.begin(), categories.end());
  categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
  for (std::uint8_t id : categories) {
    // getEModeCategoryData returns a tuple with a string: word 0 is its offset, the fields follow.
    const std::string e = r.call(a.pool, selector("getEModeCategoryData(uint8)") + word_arg(U256{id}));
    EModeCategory c;
    c.id = id;
    c.ltv_bps = static_cast<std::uint16_t>(word(e, 1).to_uint64().value());
    c.liquidation_threshold_bps = static_cast<std::uint16_t>(word(e, 2).to_uint64().value());
    c.liquidation_bonus_bps = static_cast<std::uint16_t>(word(e, 3).to_uint64().value());
    c.price_source = word_address(e, 4);
    if (c.price_source != Address{}) c.price = word(r.call(a.oracle, "getAssetPrice(address)", c.price_source), 0);
    m.emodes.push_back(c);
  }
  return m;
}

UserState read_user(RpcClient& rpc, const Addresses& a, const MarketSnapshot& m, const Address& account) {
  Reader r(rpc, m.block);
  UserState u;
  u.account = account;
  u.config.bitmap = word(r.call(a.pool, "getUserConfiguration(address)", account), 0);
  u.emode_category = static_cast<std::uint8_t>(word(r.call(a.pool, "getUserEMode(address)", account), 0).limbs[0]);
  for (const Reserve& res : m.reserves) {
    if (!u.config.is_using_as_collateral_or_borrowing(res.id)) continue;
    UserReserve ur;
    ur.reserve_id = res.id;
    ur.scaled_a_token = word(r.call(res.a_token, "scaledBalanceOf(address)", account), 0);
    ur.scaled_variable_debt = word(r.call(res.variable_debt_token, "scaledBalanceOf(address)", account), 0);
    ur.stable_debt.principal = word(r.call(res.stable_debt_token, "principalBalanceOf(address)", account), 0);
    ur.stable_debt.rate = word(r.call(res.stable_debt_token, "getUserStableRate(address)", account), 0);
    ur.stable_debt.last_updated =
        word(r.call(res.stable_debt_token, "getUserLastUpdated(address)", account), 0).to_uint64().value();
    u.reserves.push_back(ur);
  }
  return u;
}

struct Tally {
  int accounts = 0, borrowing = 0, emode = 0, liquidatable = 0;
};

/// account_data for every account equals getUserAccountData at the snapshot's block.
Tally compare_accounts(RpcClient& rpc, const Addresses& a, const MarketSnapshot& m,
                       const std::vector<Address>& accounts, std::vector<UserState>* users_out) {
  Tally t;
  Reader r(rpc, m.block);
  for (const Address& account : accounts) {
    const UserState u = read_user(rpc, a, m, account);
    const std::string onchain = r.call(a.pool, "getUserAccountData(address)", account);
    const auto mine = account_data(m, u);
    INFO("account " << account.hex() << " at block " << m.block << " config " << u.config.bitmap.to_hex());
    REQUIRE(mine.has_value());
    CHECK(mine->total_collateral_base == word(onchain, 0));
    CHECK(mine->total_debt_base == word(onchain, 1));
    CHECK(available_borrows(*mine).value() == word(onchain, 2));
    CHECK(mine->avg_liquidation_threshold_bps == word(onchain, 3));
    CHECK(mine->avg_ltv_bps == word(onchain, 4));
    CHECK(mine->health_factor == word(onchain, 5));
    ++t.accounts;
    if (!mine->total_debt_base.is_zero()) ++t.borrowing;
    if (u.emode_category != 0) ++t.emode;
    if (mine->health_factor < U256{1'000'000'000'000'000'000ULL}) ++t.liquidatable;
    if (users_out != nullptr) users_out->push_back(u);
  }
  return t;
}

void advance(RpcClient& rpc, std::uint64_t seconds) {
  rpc.call_raw("evm_increaseTime", "[" + std::to_string(seconds) + "]");
  rpc.call_raw("evm_mine", "[]");
}

std::uint64_t block_number(RpcClient& rpc) { return std::stoull(rpc.call("eth_blockNumber", "[]"), nullptr, 16); }

/// Sends a transaction from an unlocked or impersonated account and requires success; returns the receipt.
std::string send(RpcClient& rpc, const Address& from, const Address& to, const std::string& data) {
  const std::string hash = rpc.call("eth_sendTransaction", R"([{"from":")" + from.hex() + R"(","to":")" + to.hex() +
                                                               R"(","data":")" + data + R"(","gas":"0x1e8480"}])");
  const std::string receipt = rpc.wait_for_receipt(hash);
  if (receipt.find(R"("status":"0x1")") == std::string::npos)
    throw std::runtime_error("transaction failed: " + receipt.substr(0, 400));
  return receipt;
}

void impersonate(RpcClient& rpc, const Address& who) {
  rpc.call_raw("anvil_impersonateAccount", R"([")" + who.hex() + R"("])");
  rpc.call_raw("anvil_setBalance", R"([")" + who.hex() + R"(","0x3635c9adc5dea00000"])");
}

Address parse(const std::string& s) { return parse_address(s).value(); }

/// What one liquidationCall moved, from its receipt: the LiquidationCall event's debtToCover and
/// liquidatedCollateralAmount, and the collateral aToken's Transfer from the user to the treasury (the fee).
struct Moved {
  U256 debt, collateral, fee;
};

Moved moved(const std::string& receipt, const Address& pool, const Address& a_token, const Address& user,
            const Address& treasury) {
  static const Hash liquidation_call =
      abi::Event::parse("LiquidationCall(address,address,address,uint256,uint256,address,bool)").value().topic0;
  static const Hash transfer = abi::Event::parse("Transfer(address,address,uint256)").value().topic0;
  simdjson::dom::parser parser;
  simdjson::dom::array logs;
  if (parser.parse(receipt)["result"]["logs"].get_array().get(logs) != simdjson::SUCCESS)
    throw std::runtime_error("receipt without logs: " + receipt.substr(0, 300));
  Moved m;
  bool seen = false;
  for (auto log : logs) {
    std::string_view address, data, topic0;
    simdjson::dom::array topics;
    if (log["address"].get_string().get(address) || log["data"].get_string().get(data) ||
        log["topics"].get_array().get(topics) || topics.size() == 0 || topics.at(0).get_string().get(topic0))
      throw std::runtime_error("malformed log");
    const Address from = parse(std::string(address));
    const std::string hex(data);
    if (from == pool && topic0 == liquidation_call.hex()) {
      m.debt = word(hex, 0);
      m.collateral = word(hex, 1);
      seen = true;
    }
    if (from == a_token && topic0 == transfer.hex() && topics.size() == 3) {
      std::string_view t1, t2;
      if (topics.at(1).get_string().get(t1) || topics.at(2).get_string().get(t2)) throw std::runtime_error("topics");
      if (word_address(std::string(t1), 0) == user && word_address(std::string(t2), 0) == treasury) m.fee = word(hex, 0);
    }
  }
  if (!seen) throw std::runtime_error("no LiquidationCall event");
  return m;
}

}  // namespace

TEST_CASE("aave math diff: account data, liquidations and liquidation prices against the devnet pool") {
  Devnet devnet(40);
  RpcClient rpc(devnet.at("/rpc_http"));
  const Address provider = parse(devnet.at("/aave/pool_addresses_provider"));
  Addresses a{parse(devnet.at("/aave/pool")), parse(devnet.at("/aave/oracle")), Address{}};
  a.configurator = word_address(Reader(rpc, block_number(rpc)).call(provider, selector("getPoolConfigurator()")), 0);
  std::vector<Address> accounts;
  for (const auto& s : devnet.strings_at("/borrowers")) accounts.push_back(parse(s));
  accounts.push_back(parse(devnet.at("/liquidator/address")));  // an account with an empty configuration

  // 1. Thirty days of interest: linear income and compounded debt accrued from the reserves' last updates.
  advance(rpc, 30 * 24 * 3600);
  const MarketSnapshot m1 = read_market(rpc, a, block_number(rpc));
  const Tally t1 = compare_accounts(rpc, a, m1, accounts, nullptr);
  MESSAGE("block " << m1.block << ": " << t1.accounts << " accounts, " << t1.borrowing << " borrowing, " << t1.emode
                   << " in eMode, " << t1.liquidatable << " liquidatable");
  CHECK(t1.borrowing >= 20);
  CHECK(t1.emode >= 1);

  // 2. WETH falls 40% and eMode category 1 ("ETH correlated") takes the WBTC price source (set by the devnet's
  //    pool admin, anvil account 0): eMode accounts now price their WETH at WBTC's price.
  const Address weth = parse(devnet.at("/tokens/WETH"));
  const Address wbtc = parse(devnet.at("/tokens/WBTC"));
  const Address feed = parse(devnet.at("/feeds/WETH"));
  const Address feed_owner = word_address(Reader(rpc, block_number(rpc)).call(feed, selector("owner()")), 0);
  {
    Reader r(rpc, block_number(rpc));
    const Address& owner = feed_owner;
    const U256 answer = word(r.call(feed, selector("latestAnswer()")), 0);
    impersonate(rpc, owner);
    send(rpc, owner, feed, selector("updateAnswer(int256)") + word_arg(answer * U256{6} / U256{10}));
    const EModeCategory& cat = m1.emodes.at(0);
    const std::string label = "ETH correlated";
    std::string label_hex;
    for (unsigned char ch : label) {
      char b[3];
      std::snprintf(b, sizeof b, "%02x", ch);
      label_hex += b;
    }
    send(rpc, Address::from_hex(Anvil::dev_address(0)).value(), a.configurator,
         selector("setEModeCategory(uint8,uint16,uint16,uint16,address,string)") + word_arg(U256{cat.id}) +
             word_arg(U256{cat.ltv_bps}) + word_arg(U256{cat.liquidation_threshold_bps}) +
             word_arg(U256{cat.liquidation_bonus_bps}) + address_arg(wbtc) + word_arg(U256{0xc0}) +
             word_arg(U256{label.size()}) + label_hex + std::string(64 - label_hex.size(), '0'));
  }
  advance(rpc, 24 * 3600);
  const MarketSnapshot m2 = read_market(rpc, a, block_number(rpc));
  REQUIRE(m2.emodes.at(0).price_source == wbtc);
  std::vector<UserState> users;
  const Tally t2 = compare_accounts(rpc, a, m2, accounts, &users);
  MESSAGE("block " << m2.block << ": " << t2.accounts << " accounts, " << t2.borrowing << " borrowing, " << t2.emode
                   << " in eMode, " << t2.liquidatable << " liquidatable");
  CHECK(t2.liquidatable >= 1);

  // 3. Every liquidatable account, every (collateral, debt) pair it has, the maximum debtToCover: a real
  //    liquidationCall in a block at a known timestamp, undone with evm_revert, against liquidation() at that
  //    timestamp. The liquidator (an impersonated fresh address) gets the debt tokens from each token's owner.
  const Address liquidator = Address::from_hex("0x000000000000000000000000000000000000beef").value();
  impersonate(rpc, liquidator);
  for (const Reserve& res : m2.reserves) {
    Reader r(rpc, block_number(rpc));
    const Address owner = word_address(r.call(res.asset, selector("owner()")), 0);
    impersonate(rpc, owner);
    send(rpc, owner, res.asset, selector("mint(address,uint256)") + address_arg(liquidator) +
                                    word_arg(U256{1} << 200));
    send(rpc, liquidator, res.asset, selector("approve(address,uint256)") + address_arg(a.pool) +
                                         word_arg(U256::max()));
  }
  int liquidations = 0, refusals = 0, full_close = 0, in_emode = 0, with_fee = 0, all_collateral = 0;
  const std::uint64_t latest = block_number(rpc);
  const std::uint64_t when =
      std::stoull(rpc.call_field("eth_getBlockByNumber", R"([")" + hex_quantity(latest) + R"(",false])", "timestamp"),
                  nullptr, 16) + 12;
  MarketSnapshot at = m2;
  at.timestamp = when;
  for (const UserState& u : users) {
    for (const Reserve& collateral : m2.reserves) {
      if (!u.config.is_using_as_collateral(collateral.id)) continue;
      for (const Reserve& debt : m2.reserves) {
        if (!u.config.is_borrowing(debt.id)) continue;
        const auto predicted = liquidation(at, u, {collateral.id, debt.id, U256::max()});
        const std::string snapshot = rpc.call("evm_snapshot", "[]");
        rpc.call_raw("evm_setNextBlockTimestamp", "[" + std::to_string(when) + "]");
        const std::string data = selector("liquidationCall(address,address,address,uint256,bool)") +
                                 address_arg(collateral.asset) + address_arg(debt.asset) + address_arg(u.account) +
                                 word_arg(U256::max()) + word_arg(U256{});
        INFO("liquidation of " << u.account.hex() << " collateral " << collateral.id << " debt " << debt.id);
        if (!predicted) {
          // The contract must refuse too (eth_call at the same timestamp is the pending block's).
          const std::string hash = rpc.call("eth_sendTransaction", R"([{"from":")" + liquidator.hex() + R"(","to":")" +
                                                                       a.pool.hex() + R"(","data":")" + data +
                                                                       R"(","gas":"0x1e8480"}])");
          const std::string receipt = rpc.wait_for_receipt(hash);
          CHECK(receipt.find(R"("status":"0x0")") != std::string::npos);
          CHECK(predicted.error() == AaveError::health_factor_not_below_threshold);
          ++refusals;
        } else {
          const Address treasury = word_address(Reader(rpc, latest).call(collateral.a_token,
                                                                         selector("RESERVE_TREASURY_ADDRESS()")), 0);
          const std::string receipt = send(rpc, liquidator, a.pool, data);
          const Moved got = moved(receipt, a.pool, collateral.a_token, u.account, treasury);
          CHECK(predicted->debt_repaid == got.debt);
          CHECK(predicted->collateral_to_liquidator == got.collateral);
          CHECK(predicted->protocol_fee == got.fee);
          ++liquidations;
          if (predicted->close_factor_bps == 10000) ++full_close;
          if (u.emode_category != 0) ++in_emode;
          if (!got.fee.is_zero()) ++with_fee;
          const UserReserve* held = u.reserve(collateral.id);
          if (held != nullptr && predicted->collateral_to_liquidator + predicted->protocol_fee ==
                                     collateral_balance(at, *held).value())
            ++all_collateral;
        }
        rpc.call_raw("evm_revert", "[\"" + snapshot + "\"]");
      }
    }
  }
  MESSAGE(liquidations << " liquidations (" << full_close << " at 100% close factor, " << in_emode << " in eMode, "
                       << with_fee << " with a protocol fee, " << all_collateral << " taking all the collateral) and "
                       << refusals << " refusals compared");
  CHECK(with_fee >= 1);
  CHECK(liquidations >= t2.liquidatable);

  // 4. Liquidation prices of WETH: with the WETH feed set to the exact boundary the pool's health factor is below
  //    1, one unit further from p* it is not, at the timestamp the math was given.
  std::uint16_t weth_id = 0;
  for (const Reserve& res : m2.reserves)
    if (res.asset == weth) weth_id = res.id;
  int crossings = 0, above = 0;
  for (const UserState& u : users) {
    const auto lp = liquidation_price(at, u, weth_id);
    REQUIRE(lp.has_value());
    if (!lp->has_value() || (*lp)->emode_source) continue;
    for (int side = 0; side < 2; ++side) {
      // side 0: the boundary itself (liquidatable); side 1: one unit further from p* (not liquidatable).
      const U256 price = side == 0 ? (*lp)->exact : (*lp)->liquidatable_below ? (*lp)->exact + U256{1}
                                                                               : (*lp)->exact - U256{1};
      const std::string snapshot = rpc.call("evm_snapshot", "[]");
      rpc.call_raw("evm_setNextBlockTimestamp", "[" + std::to_string(when) + "]");
      send(rpc, feed_owner, feed, selector("updateAnswer(int256)") + word_arg(price));
      const U256 hf = word(Reader(rpc, block_number(rpc)).call(a.pool, "getUserAccountData(address)", u.account), 5);
      const bool liquidatable = hf < U256{1'000'000'000'000'000'000ULL};
      INFO("WETH liquidation price of " << u.account.hex() << ": " << price.to_dec() << " (p* "
                                        << static_cast<double>((*lp)->price) << "), chain HF " << hf.to_dec());
      CHECK(liquidatable == (side == 0));
      rpc.call_raw("evm_revert", "[\"" + snapshot + "\"]");
    }
    ++crossings;
    if (!(*lp)->liquidatable_below) ++above;
  }
  MESSAGE(crossings << " WETH liquidation prices (" << above << " of net WETH debtors) checked on chain on both sides");
  CHECK(crossings >= 10);
}
