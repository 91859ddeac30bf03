#include "keeper/daemon/daemon_json.hpp"

#include "chain/rpc/json.hpp"
#include "keeper/daemon/json_fields.hpp"

namespace sluice::keeper {

using namespace json_fields;

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

}  // namespace sluice::keeper
