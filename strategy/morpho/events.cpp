#include "strategy/morpho/events.hpp"

#include "strategy/core/abi_io.hpp"

#include <cstdlib>
#include <string>

namespace sluice::morpho::events {

namespace {

enum class Effect { position, market, create };

struct Spec {
  abi::Event event;
  Effect effect;
  std::size_t account = 0;  ///< parameter index of the touched account (Effect::position)
  std::string subject;

  Spec(const char* declaration, Effect e, std::size_t account_param = 0)
      : event(abi_io::event(declaration)), effect(e), account(account_param), subject("Morpho event " + event.name) {}
};

const std::vector<Spec>& specs() {
  // Id is bytes32 and MarketParams the tuple (address,address,address,address,uint256) in the ABI.
  static const std::vector<Spec> s{
      {"Supply(bytes32 indexed id, address indexed caller, address indexed onBehalf, uint256 assets, "
       "uint256 shares)", Effect::position, 2},
      {"Withdraw(bytes32 indexed id, address caller, address indexed onBehalf, address indexed receiver, "
       "uint256 assets, uint256 shares)", Effect::position, 2},
      {"Borrow(bytes32 indexed id, address caller, address indexed onBehalf, address indexed receiver, "
       "uint256 assets, uint256 shares)", Effect::position, 2},
      {"Repay(bytes32 indexed id, address indexed caller, address indexed onBehalf, uint256 assets, "
       "uint256 shares)", Effect::position, 2},
      {"SupplyCollateral(bytes32 indexed id, address indexed caller, address indexed onBehalf, uint256 assets)",
       Effect::position, 2},
      {"WithdrawCollateral(bytes32 indexed id, address caller, address indexed onBehalf, address indexed receiver, "
       "uint256 assets)", Effect::position, 2},
      {"Liquidate(bytes32 indexed id, address indexed caller, address indexed borrower, uint256 repaidAssets, "
       "uint256 repaidShares, uint256 seizedAssets, uint256 badDebtAssets, uint256 badDebtShares)",
       Effect::position, 2},
      {"AccrueInterest(bytes32 indexed id, uint256 prevBorrowRate, uint256 interest, uint256 feeShares)",
       Effect::market},
      {"SetFee(bytes32 indexed id, uint256 newFee)", Effect::market},
      {"CreateMarket(bytes32 indexed id, (address,address,address,address,uint256) marketParams)", Effect::create},
  };
  return s;
}

MarketId id_of(const abi::Value& v) {
  const auto* b = v.get_if<Bytes>();
  MarketId id;
  if (b != nullptr && b->size() == id.size()) std::copy(b->begin(), b->end(), id.bytes.begin());
  return id;
}

const Spec& liquidate_spec() {
  static const Spec& s = []() -> const Spec& {
    for (const auto& spec : specs())
      if (spec.event.name == "Liquidate") return spec;
    std::abort();  // the table above lists it
  }();
  return s;
}

}  // namespace

const Hash& liquidate_topic() { return liquidate_spec().event.topic0; }

DecodeResult<Liquidation> decode_liquidate(const rpc::Log& log) {
  const Spec& s = liquidate_spec();
  auto values = abi_io::log_values(s.subject, s.event, log);
  if (!values) return values.error();
  const auto& v = *values;
  return Liquidation{id_of(v[0]),       abi_io::address(v[1]), abi_io::address(v[2]), abi_io::uint(v[3]),
                     abi_io::uint(v[4]), abi_io::uint(v[5]),    abi_io::uint(v[6]),    abi_io::uint(v[7])};
}

std::vector<Hash> topics() {
  std::vector<Hash> out;
  for (const auto& s : specs()) out.push_back(s.event.topic0);
  return out;
}

const Hash& create_market_topic() { return specs().back().event.topic0; }

DecodeResult<Touches> decode_log(const rpc::Log& log) {
  if (log.topics.empty()) return DecodeError{"Morpho log", "no topics"};
  for (const auto& s : specs()) {
    if (log.topics[0] != s.event.topic0) continue;
    auto values = abi_io::log_values(s.subject, s.event, log);
    if (!values) return values.error();
    Touches t;
    t.market = id_of((*values)[0]);
    // A position event changes the market's totals too (except SupplyCollateral/WithdrawCollateral, which
    // accrue interest first all the same): the market is always re-read with its positions.
    t.market_state = true;
    if (s.effect == Effect::position) t.account = abi_io::address((*values)[s.account]);
    if (s.effect == Effect::create) {
      const auto& p = abi_io::list((*values)[1]);
      t.created = MarketParams{abi_io::address(p[0]), abi_io::address(p[1]), abi_io::address(p[2]),
                               abi_io::address(p[3]), abi_io::uint(p[4])};
    }
    return t;
  }
  return DecodeError{"Morpho log", "unknown topic0 " + log.topics[0].hex()};
}

}  // namespace sluice::morpho::events
