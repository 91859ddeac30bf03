#pragma once
/// Small helpers for the daemon's hand-written JSON objects (one flat object per text).

#include "chain/rpc/json.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <string_view>

namespace sluice::keeper::json_fields {

/// `"name":` after a comma unless `out` is just "{".
inline void key(std::string& out, std::string_view name) {
  if (out.size() > 1) out += ',';
  rpc::append_json_string(out, name);
  out += ':';
}

inline void string_field(std::string& out, std::string_view name, std::string_view value) {
  key(out, name);
  rpc::append_json_string(out, value);
}

/// Fixed decimals; null when not finite.
inline std::string number(double value, int decimals) {
  return std::isfinite(value) ? fmt::format("{:.{}f}", value, decimals) : "null";
}

}  // namespace sluice::keeper::json_fields
