#pragma once
/// The daemon's JSON texts, pure: /health (what an operator or a load balancer checks) and the --events lines
/// (one executor event per line, for the demo's live view and the end-to-end tests).

#include "chain/address.hpp"
#include "chain/u256.hpp"
#include "keeper/exec/executor.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::keeper {

struct HealthView {
  std::optional<std::uint64_t> head;       ///< newest block processed
  std::optional<double> head_age_seconds;  ///< wall time since that head was received
  std::vector<std::string> endpoints;      ///< the follower's URLs, redacted (rpc::redact_url)
  std::size_t endpoint_in_use = 0;         ///< index into `endpoints`
  Address signer;
  std::optional<U256> signer_balance_wei;  ///< native balance at `head`
  std::vector<std::pair<std::string, U256>> inventory;  ///< token symbol -> raw units on hand
  std::uint32_t in_flight = 0;             ///< transactions being tracked
  bool dry_run = false;
  bool stopping = false;                   ///< SIGTERM received: draining
};

/// {"status":"ok"|"stopping"|"starting","head":N,"head_age_seconds":x,"endpoints":[..],"endpoint_in_use":i,
///  "signer":"0x..","signer_balance_wei":"..","inventory":{"WETH":".."},"in_flight":n,"dry_run":b}
/// Amounts are decimal strings (they exceed a double's exact range).
std::string health_json(const HealthView& view);

/// One --events line (no newline): {"time_ms":unix ms,"event":"sent",...,"block":N,"profit_usd":x}.
std::string event_json(const ExecutorEvent& event, std::int64_t unix_ms);

}  // namespace sluice::keeper
