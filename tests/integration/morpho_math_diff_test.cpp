// Differential: strategy/morpho math against the real Morpho Blue 1.0.0 on a devnet (scripts/devnet: the
// package's bytecode, IrmMock, FeedRatioOracle over owner-set USD feeds). Every expected value is what the contract
// itself computes, read with a plain JSON-RPC client (tests/support/json_rpc.hpp), never through Sluice's RPC code:
//  - accrual: accrue_interest of the state and IRM rate read at a block, to the timestamp of the block where an
//    `accrueInterest(params)` transaction lands, equals market(id) after it, field by field (one market with a 10%
//    fee; blocks 1 day, 1 second and, at the end, 1 year apart);
//  - health: after a 25% collateral crash, is_healthy equals whether an eth_call of liquidate(params, borrower, 1, 0,
//    "") from the liquidator reverts with "position is healthy" (and when it succeeds, it repays what liquidate()
//    predicts); liquidation_price p* is checked with the oracle's code overridden (eth_call state override) to
//    return exactly p* (liquidatable) and p* + 1 (healthy);
//  - liquidation: real liquidate transactions (at a fixed next timestamp) by a third of the collateral or half the
//    shares, then by liquidate_max's amounts, emit a Liquidate event whose amounts, and leave a market and position,
//    equal the prediction to the wei.

#include "chain/abi/signature.hpp"
#include "chain/bytes.hpp"
#include "chain/keccak.hpp"
#include "strategy/morpho/liquidation_price.hpp"
#include "strategy/morpho/math.hpp"
#include "tests/support/anvil.hpp"
#include "tests/support/devnet.hpp"
#include "tests/support/json_rpc.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::morpho;
using namespace sluice::test;

namespace {

/// 64 hex digits of a 32-byte ABI word.
std::string word(const U256& v) { return to_hex(ByteView{v.to_be().data(), 32}).substr(2); }
std::string word(const Address& a) { return std::string(24, '0') + a.hex().substr(2); }
std::string word(const Hash& h) { return h.hex().substr(2); }

std::string selector(const char* signature) { return abi::selector_of(signature).hex(); }

std::string params_words(const MarketParams& p) {
  return word(p.loan_token) + word(p.collateral_token) + word(p.oracle) + word(p.irm) + word(p.lltv);
}

/// Word `i` of a 0x-prefixed hex blob.
U256 word_at(const std::string& hex, std::size_t i) {
  return U256::from_hex("0x" + hex.substr(2 + 64 * i, 64)).value();
}

struct Chain {
  RpcClient rpc;
  std::string morpho;

  std::string call(const std::string& to, const std::string& data, const std::string& block) {
    return rpc.call("eth_call", R"([{"to":")" + to + R"(","data":")" + data + R"("},")" + block + "\"]");
  }

  MarketState market(const MarketId& id, const std::string& block) {
    const std::string r = call(morpho, selector("market(bytes32)") + word(id), block);
    MarketState s;
    s.total_supply_assets = word_at(r, 0);
    s.total_supply_shares = word_at(r, 1);
    s.total_borrow_assets = word_at(r, 2);
    s.total_borrow_shares = word_at(r, 3);
    s.last_update = word_at(r, 4).limbs[0];
    s.fee = word_at(r, 5);
    return s;
  }

  Position position(const MarketId& id, const Address& user, const std::string& block) {
    const std::string r = call(morpho, selector("position(bytes32,address)") + word(id) + word(user), block);
    return Position{word_at(r, 0), word_at(r, 1), word_at(r, 2)};
  }

  U256 price(const MarketParams& p, const std::string& block) {
    return word_at(call(p.oracle.hex(), selector("price()"), block), 0);
  }

  U256 borrow_rate(const MarketParams& p, const MarketState& s, const std::string& block) {
    const std::string market_words = word(s.total_supply_assets) + word(s.total_supply_shares) +
                                     word(s.total_borrow_assets) + word(s.total_borrow_shares) +
                                     word(U256{s.last_update}) + word(s.fee);
    return word_at(call(p.irm.hex(),
                        selector("borrowRateView((address,address,address,address,uint256),"
                                 "(uint128,uint128,uint128,uint128,uint128,uint128))") +
                            params_words(p) + market_words,
                        block),
                   0);
  }

  std::uint64_t timestamp(const std::string& block) {
    const std::string body = rpc.call_raw("eth_getBlockByNumber", "[\"" + block + "\",false]");
    simdjson::dom::parser parser;
    return std::stoull(std::string(std::string_view(parser.parse(body)["result"]["timestamp"])), nullptr, 16);
  }
  std::string latest() { return rpc.call("eth_blockNumber", "[]"); }

  /// Sends a transaction from an unlocked (dev or impersonated) account; returns the receipt's "result" text.
  /// Throws if it reverted. The gas is explicit: anvil's estimate for setFee ran out of gas.
  std::string send(const std::string& from, const std::string& to, const std::string& data) {
    const std::string hash = rpc.call(
        "eth_sendTransaction", R"([{"from":")" + from + R"(","to":")" + to + R"(","gas":"0x2dc6c0","data":")" + data + R"("}])");
    const std::string receipt = rpc.wait_for_receipt(hash);
    if (receipt.find(R"("status":"0x1")") == std::string::npos) {
      // Replayed on the block it failed in (a failed transaction changes no contract state) for the reason.
      const std::string replay = rpc.call_raw(
          "eth_call", R"([{"from":")" + from + R"(","to":")" + to + R"(","data":")" + data + R"("},"latest"])");
      throw std::runtime_error("transaction reverted: " + replay.substr(0, 600));
    }
    return receipt;
  }
};

std::string liquidate_data(const MarketParams& p, const Address& borrower, const U256& seized, const U256& repaid) {
  return selector("liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)") +
         params_words(p) + word(borrower) + word(seized) + word(repaid) + word(U256{9 * 32}) + word(U256{});
}

/// Runtime code returning `price` (as one word) to any call: the oracle replaced through an eth_call state override.
std::string constant_code(const U256& price) { return "0x7f" + word(price) + "60005260206000f3"; }

struct Borrower {
  Address address;
  std::size_t market = 0;
};

void check_same_state(const MarketState& got, const MarketState& expected) {
  CHECK(got.total_supply_assets == expected.total_supply_assets);
  CHECK(got.total_supply_shares == expected.total_supply_shares);
  CHECK(got.total_borrow_assets == expected.total_borrow_assets);
  CHECK(got.total_borrow_shares == expected.total_borrow_shares);
  CHECK(got.last_update == expected.last_update);
  CHECK(got.fee == expected.fee);
}

}  // namespace

TEST_CASE("morpho math diff: accrual, health, liquidation price and liquidations equal Morpho Blue's to the wei") {
  Devnet devnet(40);
  Chain chain{RpcClient(devnet.at("/rpc_http")), devnet.at("/morpho/morpho")};
  const std::string liquidator = devnet.at("/liquidator/address");
  simdjson::dom::parser json;
  std::string_view deployer_view;
  REQUIRE(json.parse(chain.rpc.call_raw("eth_accounts", "[]"))["result"].at(0).get_string().get(deployer_view) ==
          simdjson::SUCCESS);
  const std::string deployer(deployer_view);

  // Markets from the manifest: our market_id must match the id the devnet created them under, and Morpho's
  // idToMarketParams must hold the same params under it.
  std::vector<MarketParams> markets;
  std::vector<MarketId> ids;
  simdjson::dom::array manifest_markets = devnet.manifest().at_pointer("/morpho/markets").get_array();
  for (std::size_t i = 0; i < manifest_markets.size(); ++i) {
    const std::string base = "/morpho/markets/" + std::to_string(i);
    MarketParams p;
    p.loan_token = parse_address(devnet.at(base + "/loan_token")).value();
    p.collateral_token = parse_address(devnet.at(base + "/collateral_token")).value();
    p.oracle = parse_address(devnet.at(base + "/oracle")).value();
    p.irm = parse_address(devnet.at(base + "/irm")).value();
    p.lltv = U256::from_dec(devnet.at(base + "/lltv")).value();
    CHECK(market_id(p).hex() == devnet.at(base + "/id"));
    // Morpho's own record of the params under our id.
    CHECK(chain.call(chain.morpho, selector("idToMarketParams(bytes32)") + word(market_id(p)), "latest") ==
          "0x" + params_words(p));
    markets.push_back(p);
    ids.push_back(market_id(p));
  }
  REQUIRE(markets.size() >= 2);

  std::vector<Borrower> borrowers;
  simdjson::dom::parser borrowers_parser;
  for (simdjson::dom::element b : borrowers_parser.load(devnet.dir() + "/borrowers.json").get_array()) {
    if (std::string_view(b["protocol"]) != "morpho") continue;
    borrowers.push_back({parse_address(std::string_view(b["address"])).value(),
                         static_cast<std::size_t>(std::int64_t(b["market"]))});
  }
  REQUIRE(borrowers.size() >= 8);

  // A 10% fee on the first market (Morpho's owner is the deployer), so fee shares are minted too.
  chain.send(deployer, chain.morpho,
             selector("setFee((address,address,address,address,uint256),uint256)") + params_words(markets[0]) +
                 word(U256{100'000'000'000'000'000ULL}));
  // Each accrueInterest lands `jump` seconds after the block before it. (No evm_snapshot/evm_revert anywhere in
  // this test: anvil 1.7.1 was seen re-mining a reverted transaction of the same sender and nonce after a revert.)
  auto check_accrual = [&](std::uint64_t jump) {
    CAPTURE(jump);
    for (std::size_t m = 0; m < markets.size(); ++m) {
      CAPTURE(m);
      const std::string before_block = chain.latest();
      const MarketState before = chain.market(ids[m], before_block);
      const U256 rate = chain.borrow_rate(markets[m], before, before_block);
      const std::uint64_t at = chain.timestamp(before_block) + jump;
      chain.rpc.call_raw("evm_setNextBlockTimestamp", "[" + std::to_string(at) + "]");
      const std::string receipt = chain.send(
          deployer, chain.morpho,
          selector("accrueInterest((address,address,address,address,uint256))") + params_words(markets[m]));
      simdjson::dom::parser parser;
      const std::string mined{std::string_view(parser.parse(receipt)["result"]["blockNumber"])};
      REQUIRE(chain.timestamp(mined) == at);
      const auto predicted = accrue_interest(before, rate, at);
      REQUIRE(predicted.has_value());
      CHECK(predicted->total_borrow_assets > before.total_borrow_assets);
      check_same_state(chain.market(ids[m], mined), *predicted);
      if (m == 0) CHECK(predicted->total_supply_shares > before.total_supply_shares);
    }
  };
  check_accrual(86'400);
  check_accrual(1);

  // The liquidator pays in loan tokens: let Morpho pull them.
  chain.rpc.call_raw("anvil_impersonateAccount", "[\"" + liquidator + "\"]");
  for (const MarketParams& p : markets)
    chain.send(liquidator, p.loan_token.hex(), selector("approve(address,uint256)") +
                                                   word(parse_address(chain.morpho).value()) + word(U256::max()));

  // Crash the collateral: WETH and WBTC feeds to 75% (8-decimal answers, owner = deployer).
  for (const char* symbol : {"/feeds/WETH", "/feeds/WBTC"}) {
    const std::string feed = devnet.at(symbol);
    const U256 answer = word_at(chain.call(feed, selector("latestAnswer()"), "latest"), 0);
    chain.send(deployer, feed, selector("updateAnswer(int256)") + word(answer * U256{3} / U256{4}));
  }

  const std::string block = chain.latest();
  const std::uint64_t now = chain.timestamp(block);
  std::vector<MarketState> accrued;
  std::vector<U256> prices;
  for (std::size_t m = 0; m < markets.size(); ++m) {
    const MarketState s = chain.market(ids[m], block);
    // eth_call at a block runs with that block's timestamp: liquidate accrues to `now` first.
    accrued.push_back(accrue_interest(s, chain.borrow_rate(markets[m], s, block), now).value());
    prices.push_back(chain.price(markets[m], block));
  }

  const std::string healthy_revert = to_hex(as_bytes(std::string_view("position is healthy"))).substr(2);
  auto liquidate_call = [&](const Borrower& b, const U256& seized, const U256& repaid,
                            const std::string& overrides) {
    const std::string data = liquidate_data(markets[b.market], b.address, seized, repaid);
    return chain.rpc.call_raw("eth_call", R"([{"from":")" + liquidator + R"(","to":")" + chain.morpho +
                                              R"(","data":")" + data + R"("},")" + block + "\"" + overrides + "]");
  };
  std::size_t healthy_count = 0;
  std::size_t unhealthy_count = 0;
  std::vector<Borrower> unhealthy;
  for (const Borrower& b : borrowers) {
    CAPTURE(b.address.hex());
    const MarketParams& params = markets[b.market];
    const Position pos = chain.position(ids[b.market], b.address, block);
    REQUIRE_FALSE(pos.borrow_shares.is_zero());
    const bool healthy = is_healthy(params, accrued[b.market], pos, prices[b.market]).value();
    const std::string body = liquidate_call(b, U256{1}, U256{}, "");
    const bool refused_healthy = body.find(healthy_revert) != std::string::npos;
    CHECK(healthy == refused_healthy);
    if (healthy) {
      ++healthy_count;
    } else {
      ++unhealthy_count;
      unhealthy.push_back(b);
      // liquidate returns (seizedAssets, repaidAssets).
      std::string_view result;
      REQUIRE(json.parse(body)["result"].get_string().get(result) == simdjson::SUCCESS);
      const auto predicted = liquidate(params, accrued[b.market], pos, prices[b.market], U256{1}, U256{});
      REQUIRE(predicted.has_value());
      CHECK(word_at(std::string(result), 0) == U256{1});
      CHECK(word_at(std::string(result), 1) == predicted->repaid_assets);
    }

    // The exact crossing, with the oracle answering p* and then p* + 1.
    const auto crossing = liquidation_price(params, accrued[b.market], pos).value();
    REQUIRE(crossing.has_value());
    for (const U256& price : {*crossing, *crossing + U256{1}}) {
      const std::string overrides = R"(,{")" + params.oracle.hex() + R"(":{"code":")" + constant_code(price) + "\"}}";
      const bool refused = liquidate_call(b, U256{1}, U256{}, overrides).find(healthy_revert) != std::string::npos;
      CHECK(refused == (price != *crossing));
      CHECK(refused == is_healthy(params, accrued[b.market], pos, price).value());
    }
  }
  CHECK(healthy_count > 0);
  REQUIRE(unhealthy_count >= 3);

  // Real liquidations at a fixed next timestamp, on the state as it is just before each: for every unhealthy
  // borrower a partial one (a third of the collateral or half the shares, alternately), then liquidate_max's.
  const Hash liquidate_topic = keccak256(std::string_view(
      "Liquidate(bytes32,address,address,uint256,uint256,uint256,uint256,uint256)"));
  bool seized_all_branch = false;
  bool repaid_all_branch = false;
  std::size_t liquidations = 0;
  for (std::size_t i = 0; i < unhealthy.size(); ++i) {
    const Borrower& b = unhealthy[i];
    const MarketParams& params = markets[b.market];
    for (const int kind : {static_cast<int>(i % 2), 2}) {
      CAPTURE(b.address.hex());
      CAPTURE(kind);
      const std::string head = chain.latest();
      const std::uint64_t at = chain.timestamp(head) + 12;
      const Position pos = chain.position(ids[b.market], b.address, head);
      const MarketState s = chain.market(ids[b.market], head);
      const MarketState state = accrue_interest(s, chain.borrow_rate(params, s, head), at).value();
      const U256 price = chain.price(params, head);
      if (is_healthy(params, state, pos, price).value()) continue;  // the partial one may have healed it
      Result<LiquidationOutcome> predicted = MorphoError::overflow;
      U256 seized_in;
      U256 repaid_in;
      if (kind == 0) {
        seized_in = pos.collateral / U256{3};
        predicted = liquidate(params, state, pos, price, seized_in, U256{});
      } else if (kind == 1) {
        repaid_in = pos.borrow_shares / U256{2};
        predicted = liquidate(params, state, pos, price, U256{}, repaid_in);
      } else {
        predicted = liquidate_max(params, state, pos, price);
        REQUIRE(predicted.has_value());
        if (predicted->position_after.collateral.is_zero()) {
          seized_in = pos.collateral;  // the seize-all branch
          seized_all_branch = true;
        } else {
          repaid_in = pos.borrow_shares;
          repaid_all_branch = true;
        }
      }
      REQUIRE(predicted.has_value());
      const std::string amounts = "seized " + seized_in.to_dec() + " repaid shares " + repaid_in.to_dec() +
                                  " of collateral " + pos.collateral.to_dec() + " shares " + pos.borrow_shares.to_dec();
      CAPTURE(amounts);
      chain.rpc.call_raw("evm_setNextBlockTimestamp", "[" + std::to_string(at) + "]");
      const std::string receipt = chain.send(liquidator, chain.morpho, liquidate_data(params, b.address, seized_in,
                                                                                       repaid_in));
      simdjson::dom::parser parser;
      simdjson::dom::element result = parser.parse(receipt)["result"];
      const std::string mined{std::string_view(result["blockNumber"])};
      REQUIRE(chain.timestamp(mined) == at);
      int events = 0;
      for (simdjson::dom::element log : result["logs"].get_array()) {
        if (std::string_view(log["topics"].at(0)) != liquidate_topic.hex()) continue;
        ++events;
        const std::string data{std::string_view(log["data"])};
        CHECK(word_at(data, 0) == predicted->repaid_assets);
        CHECK(word_at(data, 1) == predicted->repaid_shares);
        CHECK(word_at(data, 2) == predicted->seized_assets);
        CHECK(word_at(data, 3) == predicted->bad_debt_assets);
        CHECK(word_at(data, 4) == predicted->bad_debt_shares);
      }
      CHECK(events == 1);
      ++liquidations;
      check_same_state(chain.market(ids[b.market], mined), predicted->state_after);
      const Position after = chain.position(ids[b.market], b.address, mined);
      CHECK(after.borrow_shares == predicted->position_after.borrow_shares);
      CHECK(after.collateral == predicted->position_after.collateral);
    }
  }
  CHECK(seized_all_branch);
  CHECK(repaid_all_branch);
  MESSAGE(borrowers.size(), " Morpho borrowers: ", healthy_count, " healthy, ", unhealthy_count, " unhealthy; ",
          liquidations, " liquidations sent");

  // Finally a year of interest on what is left.
  check_accrual(365ULL * 86'400ULL);
}
