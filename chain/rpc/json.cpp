#include "chain/rpc/json.hpp"

#include "chain/rpc/json_util.hpp"

#include <optional>

namespace sluice::rpc {

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0xf];
          out += kHex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

namespace {

void append_request(std::string& out, std::uint64_t id, std::string_view method, std::string_view params_json) {
  out += R"({"jsonrpc":"2.0","id":)";
  out += std::to_string(id);
  out += R"(,"method":)";
  append_json_string(out, method);
  out += R"(,"params":)";
  out += params_json.empty() ? std::string_view("[]") : params_json;
  out += '}';
}

RpcError malformed(std::string_view method, std::string message) {
  return make_error(ErrorKind::malformed_response, std::string(method), std::move(message));
}

/// The id of a response: a JSON number, or a string of decimal digits (some proxies stringify ids).
std::optional<std::uint64_t> read_id(simdjson::ondemand::value value) {
  std::uint64_t id = 0;
  if (value.get_uint64().get(id) == simdjson::SUCCESS) return id;
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS || text.empty() || text.size() > 19) return std::nullopt;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return id;
}

/// The node's error object as an RpcError (node_error), with revert data decoded.
RpcError read_error_object(simdjson::ondemand::value value, std::string_view method) {
  RpcError error = make_error(ErrorKind::node_error, std::string(method), {});
  simdjson::ondemand::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return malformed(method, "\"error\" is not an object");
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return malformed(method, "bad key in \"error\"");
    simdjson::ondemand::value v;
    if (field.value().get(v) != simdjson::SUCCESS) return malformed(method, "bad value in \"error\"");
    if (key == "code") {
      std::int64_t code = 0;
      if (v.get_int64().get(code) != simdjson::SUCCESS) return malformed(method, "error.code is not an integer");
      error.code = code;
    } else if (key == "message") {
      std::string_view message;
      if (v.get_string().get(message) != simdjson::SUCCESS) return malformed(method, "error.message is not a string");
      error.message = std::string(message);
    } else if (key == "data") {
      auto raw = raw_json_of(v);
      if (!raw) return malformed(method, "error.data is not valid JSON");
      // Revert data is a 0x-hex string; anything else is kept as raw JSON.
      std::string_view inner = *raw;
      bool hex = false;
      if (inner.size() >= 4 && inner.front() == '"' && inner.back() == '"' && inner.substr(1, 2) == "0x") {
        if (auto bytes = from_hex(inner.substr(1, inner.size() - 2))) {
          error.data = std::move(*bytes);
          hex = true;
        }
      }
      if (!hex) error.data_json = std::string(*raw);
    }
  }
  // Revert data: JSON-RPC code 3 (geth, anvil, reth: "execution reverted") or a message saying so.
  if ((error.code == 3 || error.message.find("revert") != std::string::npos) &&
      (!error.data.empty() || error.code == 3))
    error.revert = decode_revert(error.data);
  return error;
}

/// One response object: sets `id` (when present) and returns its result JSON or its error.
RpcResult<std::string> read_response_object(simdjson::ondemand::object object, std::string_view method,
                                            std::optional<std::uint64_t>& id) {
  std::optional<std::string> result;
  std::optional<RpcError> error;
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return malformed(method, "bad key in response");
    simdjson::ondemand::value v;
    if (field.value().get(v) != simdjson::SUCCESS) return malformed(method, "bad value in response");
    if (key == "id") {
      if (is_json_null(v)) continue;  // servers answer unparseable requests with id null
      id = read_id(v);
      if (!id) return malformed(method, "response id is not an unsigned integer");
    } else if (key == "result") {
      auto raw = raw_json_of(v);
      if (!raw) return malformed(method, "\"result\" is not valid JSON");
      result.emplace();
      result->reserve(raw->size() + simdjson::SIMDJSON_PADDING);
      result->assign(*raw);
    } else if (key == "error") {
      error = read_error_object(v, method);
      if (error->kind == ErrorKind::malformed_response) return *error;
    }
  }
  if (error) return *error;
  if (!result) return malformed(method, "response has neither \"result\" nor \"error\"");
  return std::move(*result);
}

}  // namespace

std::string build_request(std::uint64_t id, std::string_view method, std::string_view params_json) {
  std::string out;
  out.reserve(64 + method.size() + params_json.size());
  append_request(out, id, method, params_json);
  return out;
}

std::string build_batch(std::uint64_t first_id, std::span<const RawCall> calls) {
  std::string out;
  std::size_t size = 2;
  for (const auto& c : calls) size += 64 + c.method.size() + c.params_json.size();
  out.reserve(size);
  out += '[';
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (i != 0) out += ',';
    append_request(out, first_id + i, calls[i].method, calls[i].params_json);
  }
  out += ']';
  return out;
}

void pad_for_simdjson(std::string& body) { body.reserve(body.size() + simdjson::SIMDJSON_PADDING); }

RpcResult<std::string> ResponseDecoder::decode_single(const std::string& body, std::uint64_t id,
                                                      std::string_view method) {
  if (body.capacity() < body.size() + simdjson::SIMDJSON_PADDING) {
    std::string padded = body;
    pad_for_simdjson(padded);
    return decode_single(padded, id, method);
  }
  simdjson::ondemand::document doc;
  if (parser_.iterate(body.data(), body.size(), body.capacity()).get(doc) != simdjson::SUCCESS)
    return malformed(method, "response is not JSON");
  simdjson::ondemand::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) return malformed(method, "response is not a JSON object");
  std::optional<std::uint64_t> got_id;
  auto result = read_response_object(object, method, got_id);
  if (!result && result.error().kind == ErrorKind::malformed_response) return result;
  if (!document_at_end(doc)) return malformed(method, "trailing data after the response");
  if (got_id != id) {
    // A node error with a null id (e.g. a parse error reported by the server) is still the node's answer.
    if (!result && !got_id) return result;
    return malformed(method, "response id does not match the request");
  }
  return result;
}

RpcResult<BatchResults> ResponseDecoder::decode_batch(const std::string& body, std::uint64_t first_id,
                                                      std::span<const RawCall> calls) {
  if (body.capacity() < body.size() + simdjson::SIMDJSON_PADDING) {
    std::string padded = body;
    pad_for_simdjson(padded);
    return decode_batch(padded, first_id, calls);
  }
  std::vector<std::optional<RpcResult<std::string>>> slots(calls.size());
  simdjson::ondemand::document doc;
  if (parser_.iterate(body.data(), body.size(), body.capacity()).get(doc) != simdjson::SUCCESS)
    return malformed("batch", "response is not JSON");
  simdjson::ondemand::array array;
  if (doc.get_array().get(array) != simdjson::SUCCESS) {
    // A server that rejects the whole batch answers with one error object.
    simdjson::ondemand::object object;
    if (doc.get_object().get(object) == simdjson::SUCCESS) {
      std::optional<std::uint64_t> ignored;
      auto single = read_response_object(object, "batch", ignored);
      if (!single) return single.error();
    }
    return malformed("batch", "batch response is not a JSON array");
  }
  for (auto element : array) {
    simdjson::ondemand::object object;
    if (element.get_object().get(object) != simdjson::SUCCESS)
      return malformed("batch", "batch response element is not an object");
    std::optional<std::uint64_t> id;
    // The method is not known until the id is read; name it in a second step.
    auto result = read_response_object(object, "batch", id);
    if (!id || *id < first_id || *id - first_id >= calls.size()) {
      if (!result && result.error().kind == ErrorKind::malformed_response) return result.error();
      return malformed("batch", "batch response has an unknown id");
    }
    const std::size_t index = *id - first_id;
    if (slots[index]) return malformed(calls[index].method, "duplicate id in batch response");
    if (!result) {
      RpcError e = result.error();  // boost::system::result::error() returns a copy
      e.method = calls[index].method;
      result = std::move(e);
    }
    slots[index] = std::move(result);
  }
  if (!document_at_end(doc)) return malformed("batch", "trailing data after the batch response");
  BatchResults out;
  out.reserve(calls.size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (slots[i]) out.push_back(std::move(*slots[i]));
    else out.push_back(malformed(calls[i].method, "no answer for this call in the batch response"));
  }
  return out;
}

}  // namespace sluice::rpc
