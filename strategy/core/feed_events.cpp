#include "strategy/core/feed_events.hpp"

#include "strategy/core/abi_io.hpp"

namespace sluice::feed_events {

namespace {

const abi::Event& answer_updated() {
  static const abi::Event e =
      abi_io::event("AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt)");
  return e;
}

}  // namespace

const Hash& answer_updated_topic() { return answer_updated().topic0; }

DecodeResult<AnswerUpdated> decode_answer_updated(const rpc::Log& log) {
  static constexpr const char* kSubject = "feed event AnswerUpdated";
  auto v = abi_io::log_values(kSubject, answer_updated(), log);
  if (!v) return v.error();
  const auto* current = (*v)[0].get_if<abi::Int>();
  if (current == nullptr || current->negative() || current->bits == U256{})
    return DecodeError{kSubject, "answer is not positive"};
  const U256 updated_at = abi_io::uint((*v)[2]);
  if (updated_at > U256{UINT64_MAX}) return DecodeError{kSubject, "updatedAt overflows 64 bits"};
  return AnswerUpdated{log.address, current->bits, abi_io::uint((*v)[1]), updated_at.limbs[0]};
}

}  // namespace sluice::feed_events
