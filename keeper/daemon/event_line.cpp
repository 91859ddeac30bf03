#include "chain/rpc/json.hpp"
#include "keeper/daemon/daemon_json.hpp"
#include "keeper/daemon/json_fields.hpp"

// Apart from daemon_json.cpp: it names the executor's and journal's enums, which link only with those modules.
namespace sluice::keeper {

using namespace json_fields;

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
