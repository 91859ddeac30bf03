#pragma once
/// Lets doctest print `rpc::RpcResult<T>` values in CHECK failures (boost::system::result streams its error
/// with operator<<, which chain/rpc/error.hpp does not declare). Remove if error.hpp grows one.

#include "chain/rpc/error.hpp"

#include <ostream>

namespace sluice::rpc {
inline std::ostream& operator<<(std::ostream& os, const RpcError& error) { return os << error.describe(); }
}  // namespace sluice::rpc
