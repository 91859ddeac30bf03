#include "strategy/core/token_reads.hpp"

#include "chain/abi/decode.hpp"
#include "strategy/core/abi_io.hpp"

namespace sluice::token_reads {

namespace {

struct Abi {
  abi::Function symbol = abi_io::function("symbol()(string)");
  abi::Function symbol_bytes32 = abi_io::function("symbol()(bytes32)");
  abi::Function decimals = abi_io::function("decimals()(uint8)");
  abi::Function latest_round_data =
      abi_io::function("latestRoundData()(uint80,int256,uint256,uint256,uint80)");
};

const Abi& abi_() {
  static const Abi a;
  return a;
}

}  // namespace

ContractCall symbol(const Address& token) { return abi_io::call(token, abi_().symbol); }

DecodeResult<std::string> decode_symbol(const CallOutcome& outcome) {
  static constexpr const char* kSubject = "ERC20.symbol";
  if (outcome.ok && outcome.data.size() == 32) {  // bytes32: a string needs at least offset and length words
    auto v = abi_io::returns(kSubject, abi_().symbol_bytes32, outcome);
    if (!v) return v.error();
    const auto* raw = (*v)[0].get_if<Bytes>();
    std::string s;
    if (raw != nullptr)
      for (const auto b : *raw) {
        if (b == 0) break;
        s.push_back(static_cast<char>(b));
      }
    return s;
  }
  auto v = abi_io::returns(kSubject, abi_().symbol, outcome);
  if (!v) return v.error();
  return abi_io::string((*v)[0]);
}

ContractCall decimals(const Address& token) { return abi_io::call(token, abi_().decimals); }

DecodeResult<std::uint8_t> decode_decimals(const CallOutcome& outcome) {
  auto v = abi_io::returns("ERC20.decimals", abi_().decimals, outcome);
  if (!v) return v.error();
  return static_cast<std::uint8_t>(abi_io::u64((*v)[0]));
}

ContractCall latest_round_data(const Address& feed) { return abi_io::call(feed, abi_().latest_round_data); }

DecodeResult<U256> decode_latest_answer(const CallOutcome& outcome) {
  static constexpr const char* kSubject = "Feed.latestRoundData";
  auto v = abi_io::returns(kSubject, abi_().latest_round_data, outcome);
  if (!v) return v.error();
  const auto* answer = (*v)[1].get_if<abi::Int>();
  if (answer == nullptr || answer->negative() || answer->bits == U256{})
    return DecodeError{kSubject, "answer is not positive"};
  return answer->bits;
}

}  // namespace sluice::token_reads
