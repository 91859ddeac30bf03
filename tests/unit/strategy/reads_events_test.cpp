// Unit tests of the protocol reads and event decoders: calldata and topic0 against `cast calldata` /
// `cast sig-event` (Foundry 1.7.1; the values are quoted next to each check), decoders on return data and logs built
// here with our ABI encoder, and malformed logs and return data, which must fail with an error naming the event or
// call rather than crash.

#include "chain/abi/encode.hpp"
#include "strategy/aave/events.hpp"
#include "strategy/aave/reads.hpp"
#include "strategy/core/feed_events.hpp"
#include "strategy/core/token_reads.hpp"
#include "strategy/morpho/events.hpp"
#include "strategy/morpho/reads.hpp"

#include <doctest/doctest.h>

using namespace sluice;

namespace {

Address addr(const char* s) { return parse_address(s).value(); }
Hash h(const char* s) { return Hash::from_hex(s).value(); }
Hash topic_of(const Address& a) {
  Hash t;
  std::copy(a.bytes.begin(), a.bytes.end(), t.bytes.begin() + 12);
  return t;
}
Hash topic_of(const U256& v) { return [&] { const auto be = v.to_be(); return Hash::from_view(ByteView(be.data(), be.size())).value(); }(); }
Bytes words(std::initializer_list<U256> ws) {
  Bytes out;
  for (const auto& w : ws) abi::append_word(out, w);
  return out;
}
CallOutcome ok(Bytes data) { return CallOutcome{true, std::move(data), {}}; }

const Address kPool = addr("0x94099942864EA81cCF197E9D71ac53310b1468D8");
const Address kWeth = addr("0x5FbDB2315678afecb367f032d93F642f64180aa3");
const Address kUser = addr("0x0E5166287B30c2B4278463A2Be7272F984ABF5BC");
const morpho::MarketId kMarket = h("0xceedfe348d852a2f253851d53f9c9a498449993928c98a33f8b29f5e5ab396c3");

}  // namespace

TEST_CASE("aave reads: calldata equals cast calldata") {
  // cast calldata "getReserveData(address)" 0x5FbDB2315678afecb367f032d93F642f64180aa3
  const auto c = aave::reads::reserve_data(kPool, kWeth);
  CHECK(c.to == kPool);
  CHECK(to_hex(c.data) == "0x35ea6a750000000000000000000000005fbdb2315678afecb367f032d93f642f64180aa3");
}

TEST_CASE("morpho reads: position calldata equals cast calldata, and decodes") {
  // cast calldata "position(bytes32,address)" <id> <user>
  const auto c = morpho::reads::position(kPool, kMarket, kUser);
  CHECK(to_hex(c.data) ==
        "0x93c52062ceedfe348d852a2f253851d53f9c9a498449993928c98a33f8b29f5e5ab396c3"
        "0000000000000000000000000e5166287b30c2b4278463a2be7272f984abf5bc");
  // cast abi-encode "f(uint256,uint128,uint128)" 5 6 7
  const auto p = morpho::reads::decode_position(ok(words({5, 6, 7}))).value();
  CHECK(p.supply_shares == U256{5});
  CHECK(p.borrow_shares == U256{6});
  CHECK(p.collateral == U256{7});
  // A uint128 field with high bits set is rejected (strict decoding), as is short data and a revert.
  U256 big = U256{1} << 200;
  CHECK(!morpho::reads::decode_position(ok(words({5, big, 7}))));
  CHECK(!morpho::reads::decode_position(ok(words({5, 6}))));
  const auto reverted = morpho::reads::decode_position(CallOutcome{false, {}, "execution reverted"});
  REQUIRE(!reverted);
  CHECK(reverted.error().subject == "Morpho.position");
}

TEST_CASE("aave reads: reserve data, user header and balances decode from built return data") {
  // ReserveData: 15 words.
  const Address a_token = addr("0x32Dc92525FB2d7C1aE42DA777418C0442061f5e5");
  const Address s_token = addr("0x25d0F4Cb2d9907EB935dFd1375c567FBc74Ff92B");
  const Address v_token = addr("0x101b7223b3F0D142e1C79522910DDd589CB657DB");
  const auto word_of = [](const Address& a) { return *U256::from_be(topic_of(a).view()); };
  const Bytes data = words({0xabcdefu, 11, 12, 13, 14, 15, 1700000000u, 2, word_of(a_token), word_of(s_token),
                            word_of(v_token), 0, 16, 17, 18});
  const auto r = aave::reads::decode_reserve_data(kWeth, ok(data)).value();
  CHECK(r.configuration_bitmap == U256{0xabcdefu});
  CHECK(r.liquidity_index == U256{11});
  CHECK(r.current_stable_borrow_rate == U256{15});
  CHECK(r.last_update_timestamp == 1700000000u);
  CHECK(r.id == 2);
  CHECK(r.a_token == a_token);
  CHECK(r.stable_debt_token == s_token);
  CHECK(r.variable_debt_token == v_token);
  CHECK(r.isolation_mode_total_debt == U256{18});
  CHECK(!aave::reads::decode_reserve_data(kWeth, ok(Bytes(data.begin(), data.end() - 32))));

  // A snapshot with reserve 2 only; the user borrows (bit 4) and uses it as collateral (bit 5).
  aave::MarketSnapshot market;
  market.reserves.resize(3);
  market.reserves[2] = r;
  const std::vector<CallOutcome> header{ok(words({0b110000})), ok(words({1}))};
  const auto hd = aave::reads::decode_user_header(header).value();
  CHECK(hd.emode_category == 1);
  CHECK(aave::reads::used_reserves(hd.config) == std::vector<std::uint16_t>{2});
  std::vector<ContractCall> calls;
  aave::reads::append_user_balance_calls(calls, market, kUser, hd.config);
  REQUIRE(calls.size() == 5);
  CHECK(aave::reads::user_balance_call_count(market, hd.config) == 5);
  CHECK(calls[0].to == a_token);
  CHECK(calls[1].to == v_token);
  CHECK(calls[4].to == s_token);
  const std::vector<CallOutcome> balances{ok(words({100})), ok(words({40})), ok(words({3})), ok(words({4})),
                                          ok(words({5}))};
  const auto u = aave::reads::decode_user(market, kUser, hd, balances).value();
  REQUIRE(u.reserves.size() == 1);
  CHECK(u.reserves[0].scaled_a_token == U256{100});
  CHECK(u.reserves[0].scaled_variable_debt == U256{40});
  CHECK(u.reserves[0].stable_debt.last_updated == 5);
  // Too few outcomes, an eMode over 255, a bitmap marking a reserve the snapshot lacks: errors.
  CHECK(!aave::reads::decode_user(market, kUser, hd, std::span(balances).first(4)));
  const std::vector<CallOutcome> bad_emode{ok(words({0})), ok(words({256}))};
  CHECK(!aave::reads::decode_user_header(bad_emode));
  aave::reads::UserHeader stale = hd;
  stale.config.bitmap = U256{1} << 7;  // reserve 3
  CHECK(!aave::reads::decode_user(market, kUser, stale, {}));
}

TEST_CASE("token reads: symbol as string or bytes32, non-positive feed answers refused") {
  const std::vector<abi::Type> string_type{abi::Type::string()};
  const std::vector<abi::Value> weth{std::string("WETH")};
  CHECK(token_reads::decode_symbol(ok(abi::encode(string_type, weth).value())).value() == "WETH");
  Bytes mkr(32, 0);
  mkr[0] = 'M', mkr[1] = 'K', mkr[2] = 'R';
  CHECK(token_reads::decode_symbol(ok(mkr)).value() == "MKR");
  CHECK(token_reads::decode_latest_answer(ok(words({1, 300000000000ull, 0, 0, 1}))).value() == U256{300000000000ull});
  CHECK(!token_reads::decode_latest_answer(ok(words({1, 0, 0, 0, 1}))));
  CHECK(!token_reads::decode_latest_answer(ok(words({1, ~U256{}, 0, 0, 1}))));  // -1
}

TEST_CASE("feed events: AnswerUpdated topic equals cast sig-event, decodes, refuses malformed logs") {
  // cast sig-event "AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt)"
  CHECK(feed_events::answer_updated_topic() == h("0x0559884fd3a460db3073b7fc896cc77986f16e378210ded43186175bf646fc5f"));
  rpc::Log log;
  log.address = kWeth;
  log.topics = {feed_events::answer_updated_topic(), topic_of(U256{270000000000ull}), topic_of(U256{7})};
  log.data = words({1700000000u});
  const auto a = feed_events::decode_answer_updated(log).value();
  CHECK(a.feed == kWeth);
  CHECK(a.answer == U256{270000000000ull});
  CHECK(a.round_id == U256{7});
  CHECK(a.updated_at == 1700000000u);
  rpc::Log short_topics = log;
  short_topics.topics.pop_back();
  const auto e = feed_events::decode_answer_updated(short_topics);
  REQUIRE(!e);
  CHECK(e.error().describe().find("AnswerUpdated") != std::string::npos);
  rpc::Log long_data = log;
  long_data.data.push_back(0);
  CHECK(!feed_events::decode_answer_updated(long_data));
  rpc::Log negative = log;
  negative.topics[1] = topic_of(~U256{});
  CHECK(!feed_events::decode_answer_updated(negative));
}

TEST_CASE("aave events: each followed event touches the right account; malformed logs fail naming the event") {
  // cast sig-event "Supply(address indexed reserve, address user, address indexed onBehalfOf, uint256 amount,
  // uint16 indexed referralCode)"
  const Hash supply = h("0x2b627736bca15cd5381dcf80b0bf11fd197d01a037c52b927a881a10fb73ba61");
  const auto topics = aave::events::pool_account_topics();
  CHECK(std::find(topics.begin(), topics.end(), supply) != topics.end());
  const Address caller = addr("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  rpc::Log log;
  log.address = kPool;
  log.topics = {supply, topic_of(kWeth), topic_of(kUser), topic_of(U256{0})};
  log.data = words({*U256::from_be(topic_of(caller).view()), 1000});
  const auto t = aave::events::decode_pool_log(log).value();
  CHECK(t.accounts == std::vector<Address>{kUser});  // onBehalfOf, not the caller
  CHECK(!t.market);

  rpc::Log bad = log;
  bad.data.resize(32);
  const auto e = aave::events::decode_pool_log(bad);
  REQUIRE(!e);
  CHECK(e.error().subject == "Aave event Supply");
  rpc::Log unknown = log;
  unknown.topics[0] = Hash{};
  CHECK(!aave::events::decode_pool_log(unknown));
  rpc::Log empty;
  CHECK(!aave::events::decode_pool_log(empty));

  // cast sig-event "BalanceTransfer(address indexed from, address indexed to, uint256 value, uint256 index)"
  CHECK(aave::events::balance_transfer_topic() ==
        h("0x4beccb90f994c31aced7a23b5611020728a23d8ec5cddd1a3e9d97b96fda8666"));
  rpc::Log transfer;
  transfer.topics = {aave::events::balance_transfer_topic(), topic_of(kUser), topic_of(caller)};
  transfer.data = words({5, 6});
  CHECK(aave::events::decode_a_token_log(transfer).value().accounts == std::vector<Address>{kUser, caller});
  // An address topic with dirty high bytes is not an address.
  transfer.topics[1].bytes[0] = 1;
  CHECK(!aave::events::decode_a_token_log(transfer));

  const auto market_topics = aave::events::pool_market_topics();
  REQUIRE(market_topics.size() == 1);  // ReserveDataUpdated
  rpc::Log updated;
  updated.topics = {market_topics[0], topic_of(kWeth)};
  updated.data = words({1, 2, 3, 4, 5});
  const auto m = aave::events::decode_pool_log(updated).value();
  CHECK(m.market);
  CHECK(m.accounts.empty());
}

TEST_CASE("morpho events: positions, market state and CreateMarket; malformed logs fail naming the event") {
  // cast sig-event "CreateMarket(bytes32 indexed id, (address,address,address,address,uint256) marketParams)"
  CHECK(morpho::events::create_market_topic() ==
        h("0xac4b2400f169220b0c0afdde7a0b32e775ba727ea1cb30b35f935cdaab8683ac"));
  const auto w = [](const Address& a) { return *U256::from_be(topic_of(a).view()); };
  rpc::Log create;
  create.topics = {morpho::events::create_market_topic(), kMarket};
  create.data = words({w(addr("0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9")), w(kWeth), w(kUser), w(kPool),
                       U256{860000000000000000ull}});
  const auto c = morpho::events::decode_log(create).value();
  CHECK(c.market == kMarket);
  REQUIRE(c.created);
  CHECK(c.created->collateral_token == kWeth);
  CHECK(c.created->lltv == U256{860000000000000000ull});
  CHECK(!c.account);

  // Borrow(id, caller, onBehalf indexed, receiver indexed, assets, shares): onBehalf is touched.
  const auto topics = morpho::events::topics();
  const auto borrow_topic = abi::Event::parse(
      "Borrow(bytes32 indexed id, address caller, address indexed onBehalf, address indexed receiver, "
      "uint256 assets, uint256 shares)").value().topic0;
  CHECK(std::find(topics.begin(), topics.end(), borrow_topic) != topics.end());
  rpc::Log borrow;
  borrow.topics = {borrow_topic, kMarket, topic_of(kUser), topic_of(kPool)};
  borrow.data = words({w(kWeth), 10, 20});
  const auto b = morpho::events::decode_log(borrow).value();
  CHECK(b.account == kUser);
  CHECK(b.market_state);
  borrow.topics.pop_back();
  const auto e = morpho::events::decode_log(borrow);
  REQUIRE(!e);
  CHECK(e.error().subject == "Morpho event Borrow");
  create.data.resize(100);
  CHECK(!morpho::events::decode_log(create));
}
