#include "tests/support/anvil.hpp"

#include <doctest/doctest.h>

using namespace sluice::test;

TEST_CASE("anvil fixture: a node starts on a free port, answers chain id 31337 and is gone afterwards") {
  std::string url;
  {
    Anvil anvil;
    url = anvil.http_url();
    CHECK(json_rpc_result_string(json_rpc(url, "eth_chainId", "[]")) == "0x7a69");
    CHECK(json_rpc_result_string(json_rpc(url, "eth_blockNumber", "[]")) == "0x0");
  }
  CHECK_THROWS(json_rpc(url, "eth_chainId", "[]"));
}
