#include "chain/abi/event.hpp"

namespace sluice::abi {

bool topic_is_hashed(const Type& type) noexcept {
  switch (type.kind) {
    case Kind::bytes:
    case Kind::string:
    case Kind::array:
    case Kind::fixed_array:
    case Kind::tuple: return true;
    default: return false;
  }
}

Result<std::vector<Value>> decode_log(const Event& event, std::span<const Hash> topics, ByteView data) {
  std::size_t indexed = 0;
  std::vector<Type> data_types;
  for (const auto& p : event.params) {
    if (p.indexed)
      ++indexed;
    else
      data_types.push_back(p.type);
  }
  const std::size_t first = event.anonymous ? 0 : 1;
  if (topics.size() != first + indexed) return Error::topic_count;
  if (!event.anonymous && topics[0] != event.topic0) return Error::selector_mismatch;

  auto unindexed = decode(data_types, data);
  if (!unindexed) return unindexed.error();

  std::vector<Value> out;
  out.reserve(event.params.size());
  std::size_t topic = first;
  std::size_t next_data = 0;
  for (const auto& p : event.params) {
    if (!p.indexed) {
      out.push_back(std::move((*unindexed)[next_data++]));
      continue;
    }
    const Hash& h = topics[topic++];
    if (topic_is_hashed(p.type)) {
      out.emplace_back(Bytes(h.bytes.begin(), h.bytes.end()));
      continue;
    }
    auto v = decode(std::span<const Type>(&p.type, 1), h.view());
    if (!v) return v.error();
    out.push_back(std::move((*v)[0]));
  }
  return out;
}

}  // namespace sluice::abi
