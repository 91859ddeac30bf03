#include "keeper/book/aave_oracle_reader.hpp"

#include "chain/abi.hpp"

namespace sluice::keeper {

boost::asio::awaitable<boost::system::result<Address, std::string>> read_aave_oracle(rpc::Client& client,
                                                                                      const Address& provider,
                                                                                      std::uint64_t block) {
  using Out = boost::system::result<Address, std::string>;
  const abi::Function f = abi::Function::parse("getPriceOracle()(address)").value();
  rpc::CallRequest request;
  request.to = provider;
  request.data = abi::encode_call(f, {}).value();
  auto data = co_await client.call(request, rpc::BlockTag(block));
  if (!data)
    co_return Out(boost::system::in_place_error,
                  "reading the AaveOracle from the PoolAddressesProvider: " + data.error().describe());
  auto decoded = abi::decode_output(f, *data);
  if (!decoded || decoded->empty() || !(*decoded)[0].get_if<Address>())
    co_return Out(boost::system::in_place_error,
                  "PoolAddressesProvider " + to_checksum(provider) +
                      " did not answer getPriceOracle() with an address (is [aave] pool_addresses_provider right?)");
  co_return *(*decoded)[0].get_if<Address>();
}

}  // namespace sluice::keeper
