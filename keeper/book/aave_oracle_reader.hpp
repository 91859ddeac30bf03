#pragma once
/// The AaveOracle of a market when the config names none: PoolAddressesProvider.getPriceOracle() at a block.

#include "chain/address.hpp"
#include "chain/rpc/client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>

namespace sluice::keeper {

/// The oracle, or one line saying what failed (the RPC error, or an answer that is not an address).
boost::asio::awaitable<boost::system::result<Address, std::string>> read_aave_oracle(rpc::Client& client,
                                                                                      const Address& provider,
                                                                                      std::uint64_t block);

}  // namespace sluice::keeper
