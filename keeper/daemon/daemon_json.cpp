#include "keeper/daemon/daemon_json.hpp"

#include "chain/rpc/json.hpp"

#include <fmt/format.h>

#include <cmath>

namespace sluice::keeper {

namespace {

void key(std::string& out, std::string_view name) {
  if (out.size() > 1) out += ',';
  rpc::append_json_string(out, name);
  out += ':';
}

void string_field(std::string& out, std::string_view name, std::string_view value) {
  key(out, name);
  rpc::append_json_string(out, value);
}

std::string number(double value, int decimals) {
  return std::isfinite(value) ? fmt::format("{:.{}f}", value, decimals) : "null";
}

}  // namespace

std::string health_json(const HealthView& v) {
  std::string out = "{";
  string_field(out, "status", v.stopping ? "stopping" : v.head ? "ok" : "starting");
  key(out, "head");
  out += v.head ? std::to_string(*v.head) : "null";
  key(out, "head_age_seconds");
  out += v.head_age_seconds ? number(*v.head_age_seconds, 3) : "null";
  key(out, "endpoints");
  out += '[';
  for (std::size_t i = 0; i < v.endpoints.size(); ++i) {
    if (i > 0) out += ',';
    rpc::append_json_string(out, v.endpoints[i]);
  }
  out += ']';
  key(out, "endpoint_in_use");
  out += std::to_string(v.endpoint_in_use);
  string_field(out, "signer", to_checksum(v.signer));
  key(out, "signer_balance_wei");
  if (v.signer_balance_wei)
    rpc::append_json_string(out, v.signer_balance_wei->to_dec());
  else
    out += "null";
  key(out, "inventory");
  out += '{';
  for (std::size_t i = 0; i < v.inventory.size(); ++i) {
    if (i > 0) out += ',';
    rpc::append_json_string(out, v.inventory[i].first);
    out += ':';
    rpc::append_json_string(out, v.inventory[i].second.to_dec());
  }
  out += '}';
  key(out, "in_flight");
  out += std::to_string(v.in_flight);
  key(out, "dry_run");
  out += v.dry_run ? "true" : "false";
  out += '}';
  return out;
}

std::string event_json(const ExecutorEvent& e, std::int64_t unix_ms) {
  std::string out = "{";
  key(out, "time_ms");
  out += std::to_string(unix_ms);
  string_field(out, "event", event_kind_name(e.kind));
  string_field(out, "tx_kind", tx_kind_name(e.tx_kind));
  string_field(out, "subject", e.subject);
  string_field(out, "hash", e.hash.hex());
  key(out, "nonce");
  out += std::to_string(e.nonce);
  key(out, "block");
  out += std::to_string(e.block);
  key(out, "profit_usd");
  out += number(e.profit_usd, 2);
  string_field(out, "detail", e.detail);
  out += '}';
  return out;
}

}  // namespace sluice::keeper
