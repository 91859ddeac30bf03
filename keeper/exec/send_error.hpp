#pragma once
/// What a node's refusal of eth_sendRawTransaction means for the executor. Node messages differ (geth, reth,
/// Erigon, Nethermind, anvil); the phrases matched are the common ones.
#include <string_view>

namespace sluice::keeper {

enum class SendRefusal {
  already_known = 1,         ///< the node has this exact transaction: as good as accepted
  nonce_too_low,             ///< the nonce is mined already: resync nonces
  replacement_underpriced,   ///< same nonce pending with fees the node will not replace at this bump
  underpriced,               ///< below the node's minimum / the base fee
  insufficient_funds,        ///< gas x max fee + value above the balance
  other,
};

/// Classifies a node's error message (case-insensitive).
SendRefusal classify_send_error(std::string_view message) noexcept;
const char* send_refusal_name(SendRefusal refusal) noexcept;

}  // namespace sluice::keeper
