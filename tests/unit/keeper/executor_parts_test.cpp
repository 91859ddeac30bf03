// The executor's pure parts: the journal's position text and back, the classes of a node's refusal of
// eth_sendRawTransaction, and rival liquidations found in a block's logs.

#include "keeper/exec/rivals.hpp"
#include "keeper/exec/send_error.hpp"
#include "keeper/exec/subject.hpp"
#include "strategy/aave/events.hpp"
#include "strategy/morpho/events.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::keeper;

namespace {

Address addr(const char* s) { return parse_address(s).value(); }
Hash h(const char* s) { return Hash::from_hex(s).value(); }
Hash topic_of(const Address& a) {
  Hash t;
  std::copy(a.bytes.begin(), a.bytes.end(), t.bytes.begin() + 12);
  return t;
}
Bytes word_of(const Address& a) {
  Bytes w(32, 0);
  std::copy(a.bytes.begin(), a.bytes.end(), w.begin() + 12);
  return w;
}
Bytes words(std::size_t n) { return Bytes(32 * n, 0); }

const Address kPool = addr("0x94099942864EA81cCF197E9D71ac53310b1468D8");
const Address kMorpho = addr("0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb");
const Address kSelf = addr("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
const Address kRival = addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
const Address kUser = addr("0x0E5166287B30c2B4278463A2Be7272F984ABF5BC");
const Hash kMarket = h("0xceedfe348d852a2f253851d53f9c9a498449993928c98a33f8b29f5e5ab396c3");

rpc::Log aave_liquidation(const Address& liquidator) {
  rpc::Log log;
  log.address = kPool;
  log.topics = {aave::events::liquidation_call_topic(), topic_of(kPool), topic_of(kPool), topic_of(kUser)};
  log.data = words(2);
  const Bytes w = word_of(liquidator);
  log.data.insert(log.data.end(), w.begin(), w.end());
  const Bytes f = words(1);
  log.data.insert(log.data.end(), f.begin(), f.end());
  return log;
}

rpc::Log morpho_liquidation(const Address& caller) {
  rpc::Log log;
  log.address = kMorpho;
  log.topics = {morpho::events::liquidate_topic(), kMarket, topic_of(caller), topic_of(kUser)};
  log.data = words(5);
  return log;
}

}  // namespace

TEST_CASE("executor parts: position subjects round-trip and malformed ones are refused") {
  const book::PositionKey aave{Protocol::aave_v3, kUser, {}};
  const book::PositionKey morpho{Protocol::morpho_blue, kUser, kMarket};
  CHECK(subject_of(aave) == "aave-v3:0x0E5166287B30c2B4278463A2Be7272F984ABF5BC");
  CHECK(subject_of(morpho) ==
        "morpho-blue:0xceedfe348d852a2f253851d53f9c9a498449993928c98a33f8b29f5e5ab396c3:"
        "0x0E5166287B30c2B4278463A2Be7272F984ABF5BC");
  CHECK(parse_subject(subject_of(aave)) == aave);
  CHECK(parse_subject(subject_of(morpho)) == morpho);
  for (const char* bad : {"", "aave-v3", "aave-v3:0x12", "compound:0x0E5166287B30c2B4278463A2Be7272F984ABF5BC",
                          "morpho-blue:0x0E5166287B30c2B4278463A2Be7272F984ABF5BC", "morpho-blue:0xzz:0x00"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_subject(bad).has_value());
  }
}

TEST_CASE("executor parts: node refusals of eth_sendRawTransaction are classified") {
  // Messages as geth (core/txpool errors), anvil and Nethermind word them.
  CHECK(classify_send_error("already known") == SendRefusal::already_known);
  CHECK(classify_send_error("transaction already imported") == SendRefusal::already_known);
  CHECK(classify_send_error("AlreadyKnown") == SendRefusal::already_known);
  CHECK(classify_send_error("nonce too low: next nonce 5, tx nonce 4") == SendRefusal::nonce_too_low);
  CHECK(classify_send_error("OldNonce") == SendRefusal::nonce_too_low);
  CHECK(classify_send_error("replacement transaction underpriced") == SendRefusal::replacement_underpriced);
  CHECK(classify_send_error("transaction underpriced") == SendRefusal::underpriced);
  CHECK(classify_send_error("max fee per gas less than block base fee") == SendRefusal::underpriced);
  CHECK(classify_send_error("insufficient funds for gas * price + value") == SendRefusal::insufficient_funds);
  CHECK(classify_send_error("execution reverted") == SendRefusal::other);
  CHECK(std::string(send_refusal_name(SendRefusal::nonce_too_low)) == "nonce_too_low");
}

TEST_CASE("executor parts: rival liquidations are those by anyone else, of the right emitter, not removed") {
  std::vector<rpc::Log> logs{aave_liquidation(kRival), aave_liquidation(kSelf), morpho_liquidation(kRival),
                             morpho_liquidation(kSelf)};
  rpc::Log removed = aave_liquidation(kRival);
  removed.removed = true;
  rpc::Log wrong_emitter = morpho_liquidation(kRival);
  wrong_emitter.address = kPool;
  rpc::Log malformed = aave_liquidation(kRival);
  malformed.data.resize(10);
  logs.push_back(removed);
  logs.push_back(wrong_emitter);
  logs.push_back(malformed);
  const auto rivals = rival_liquidations(logs, kPool, kMorpho, kSelf);
  REQUIRE(rivals.size() == 2);
  CHECK(rivals[0] == book::PositionKey{Protocol::aave_v3, kUser, {}});
  CHECK(rivals[1] == book::PositionKey{Protocol::morpho_blue, kUser, kMarket});
  CHECK(rival_liquidations(logs, Address{}, Address{}, kSelf).empty());
}
