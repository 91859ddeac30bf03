#pragma once
/// simdjson helpers shared by the envelope and the typed decoders (internal to chain/rpc).

#include <simdjson.h>

#include <optional>
#include <string_view>

namespace sluice::rpc {

/// True when the whole document has been consumed (no trailing tokens). simdjson 3.0 has no document::at_end.
inline bool document_at_end(simdjson::ondemand::document& doc) {
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

/// True when `value` is JSON null. (simdjson's is_null() yields a result whose implicit bool conversion throws on
/// malformed input; never use it directly.)
inline bool is_json_null(simdjson::ondemand::value& value) {
  bool null = false;
  return value.is_null().get(null) == simdjson::SUCCESS && null;
}

/// The raw JSON text of `value` (object, array or scalar), pointing into the document; nullopt on bad JSON.
inline std::optional<std::string_view> raw_json_of(simdjson::ondemand::value& value) {
  simdjson::ondemand::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return std::nullopt;
  std::string_view raw;
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object o;
      if (value.get_object().get(o) != simdjson::SUCCESS || o.raw_json().get(raw) != simdjson::SUCCESS)
        return std::nullopt;
      return raw;
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array a;
      if (value.get_array().get(a) != simdjson::SUCCESS || a.raw_json().get(raw) != simdjson::SUCCESS)
        return std::nullopt;
      return raw;
    }
    default: {
      raw = value.raw_json_token();
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
        raw.remove_suffix(1);
      // Check the scalar is a real JSON token (raw_json_token does not validate it).
      if (type == simdjson::ondemand::json_type::string) {
        std::string_view s;
        if (value.get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
      } else if (type == simdjson::ondemand::json_type::number) {
        double d;
        if (value.get_double().get(d) != simdjson::SUCCESS) return std::nullopt;
      } else if (type == simdjson::ondemand::json_type::boolean) {
        bool b;
        if (value.get_bool().get(b) != simdjson::SUCCESS) return std::nullopt;
      } else if (type == simdjson::ondemand::json_type::null) {
        if (!is_json_null(value)) return std::nullopt;
      }
      return raw;
    }
  }
}

}  // namespace sluice::rpc
