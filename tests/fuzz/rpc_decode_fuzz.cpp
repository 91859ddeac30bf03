// libFuzzer target: the JSON-RPC response decoders on arbitrary bytes: the envelope (single and batch) and every
// typed result decoder. Checks that nothing crashes (run under ASan/UBSan), and that every failure is an
// RpcError naming the method it was decoding.

#include "chain/rpc/decode.hpp"
#include "chain/rpc/json.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace sluice;
using namespace sluice::rpc;

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

template <class T>
void check_named(const RpcResult<T>& r, std::string_view method) {
  if (!r) require(r.error().method == method);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static ResponseDecoder decoder;
  static JsonParser parser;
  std::string body(reinterpret_cast<const char*>(data), size);
  pad_for_simdjson(body);

  check_named(decoder.decode_single(body, 1, "eth_call"), "eth_call");
  const RawCall calls[] = {{"eth_chainId", "[]"}, {"eth_getLogs", "[]"}, {"eth_call", "[]"}};
  if (auto batch = decoder.decode_batch(body, 1, calls)) {
    require(batch->size() == 3);
    for (std::size_t i = 0; i < 3; ++i) check_named((*batch)[i], calls[i].method);
  }

  const std::string_view json(body);
  check_named(decode_u64_result(parser, json, "eth_chainId"), "eth_chainId");
  check_named(decode_u256_result(parser, json, "eth_gasPrice"), "eth_gasPrice");
  check_named(decode_bytes_result(parser, json, "eth_call"), "eth_call");
  check_named(decode_hash_result(parser, json, "eth_getStorageAt"), "eth_getStorageAt");
  check_named(decode_block_header(parser, json), "eth_getBlockByNumber");
  check_named(decode_logs(parser, json), "eth_getLogs");
  check_named(decode_receipt(parser, json), "eth_getTransactionReceipt");
  check_named(decode_transaction(parser, json), "eth_getTransactionByHash");
  check_named(decode_fee_history(parser, json), "eth_feeHistory");
  check_named(decode_log(parser, json), "eth_subscription");
  return 0;
}
