// libFuzzer target: every RLP decoder on arbitrary bytes, plus cast-compatible text parsing. Checks that
// nothing crashes (run under ASan/UBSan) and that whatever decodes is canonical: re-encoding it gives back
// exactly the bytes consumed.

#include "chain/rlp.hpp"
#include "keeper/cli/rlp_text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace sluice;

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

/// The bytes a decoder consumed from `before`, given what is left in `after`.
ByteView consumed(ByteView before, ByteView after) { return before.first(before.size() - after.size()); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input{data, size};

  if (const auto item = rlp::decode_item(input)) {
    const Bytes again = rlp::encode(*item);
    require(ByteView{again}.size() == input.size() && std::equal(again.begin(), again.end(), input.begin()));
  }

  ByteView view = input;
  if (const auto item = rlp::decode_next_item(view)) {
    const Bytes again = rlp::encode(*item);
    const ByteView used = consumed(input, view);
    require(again.size() == used.size() && std::equal(again.begin(), again.end(), used.begin()));
  } else {
    require(view.size() == input.size());  // untouched on failure
  }

  view = input;
  U256 integer;
  if (rlp::decode(view, integer)) {
    Bytes again;
    rlp::encode(again, integer);
    const ByteView used = consumed(input, view);
    require(again.size() == used.size() && std::equal(again.begin(), again.end(), used.begin()));
  }
  view = input;
  std::uint64_t small = 0;
  (void)rlp::decode(view, small);
  view = input;
  Address address;
  (void)rlp::decode(view, address);

  const std::string_view text{reinterpret_cast<const char*>(data), size};
  (void)cli::to_rlp_text(text);
  (void)cli::from_rlp_text(text, false);
  (void)cli::from_rlp_text(text, true);
  return 0;
}
