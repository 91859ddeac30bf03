#include "keeper/daemon/block_queue.hpp"

#include <utility>

namespace sluice::keeper {

void BlockQueue::push(const rpc::FollowerItem& item, SteadyTime now) {
  if (item.kind == rpc::FollowerItem::Kind::log) {
    logs_.push_back(item.log);
    return;
  }
  if (heads_.empty()) first_ = now;
  last_ = now;
  heads_.push_back(item.head);
}

std::optional<BlockBatch> BlockQueue::take() {
  if (heads_.empty()) return std::nullopt;
  BlockBatch batch;
  batch.heads = std::exchange(heads_, {});
  batch.logs = std::exchange(logs_, {});
  batch.received = last_;
  batch.first_received = first_;
  coalesced_ += batch.heads.size() - 1;
  return batch;
}

}  // namespace sluice::keeper
