#include "chain/rpc/error.hpp"

#include "chain/abi/decode.hpp"

#include <boost/throw_exception.hpp>

#include <array>
#include <ostream>

namespace sluice::rpc {

const char* to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::transport: return "transport error";
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::http_status: return "HTTP error";
    case ErrorKind::rate_limited: return "rate limited";
    case ErrorKind::malformed_response: return "malformed response";
    case ErrorKind::node_error: return "node error";
    case ErrorKind::no_healthy_endpoint: return "no healthy endpoint";
    case ErrorKind::invalid_argument: return "invalid argument";
  }
  return "unknown error";
}

namespace {

constexpr std::array<std::uint8_t, 4> kErrorStringSelector{0x08, 0xc3, 0x79, 0xa0};  // keccak("Error(string)")
constexpr std::array<std::uint8_t, 4> kPanicSelector{0x4e, 0x48, 0x7b, 0x71};        // keccak("Panic(uint256)")

/// Panic codes, https://docs.soliditylang.org/en/latest/control-structures.html#panic-via-assert-and-error-via-require
const char* panic_meaning(const U256& code) {
  const auto c = code.to_uint64();
  if (!c) return "unknown";
  switch (*c) {
    case 0x00: return "generic compiler panic";
    case 0x01: return "assert failed";
    case 0x11: return "arithmetic overflow or underflow";
    case 0x12: return "division or modulo by zero";
    case 0x21: return "invalid enum value";
    case 0x22: return "invalid storage byte array encoding";
    case 0x31: return "pop on empty array";
    case 0x32: return "array index out of bounds";
    case 0x41: return "out of memory";
    case 0x51: return "call to zero-initialized function";
    default: return "unknown";
  }
}

}  // namespace

RevertReason decode_revert(ByteView data) {
  RevertReason out;
  if (data.empty()) return out;
  out.kind = RevertReason::Kind::custom;
  if (data.size() < 4) return out;
  std::copy_n(data.begin(), 4, out.selector.bytes.begin());
  const ByteView args = data.subspan(4);
  if (std::equal(kErrorStringSelector.begin(), kErrorStringSelector.end(), data.begin())) {
    const abi::Type string_type = abi::parse_type("string").value();
    if (auto values = abi::decode(std::span(&string_type, 1), args, abi::Validation::lenient)) {
      if (const auto* s = (*values)[0].get_if<std::string>()) {
        out.kind = RevertReason::Kind::error_string;
        out.message = *s;
      }
    }
  } else if (std::equal(kPanicSelector.begin(), kPanicSelector.end(), data.begin())) {
    if (auto code = abi::decode_uint256(args)) {
      out.kind = RevertReason::Kind::panic;
      out.panic_code = *code;
    }
  }
  return out;
}

std::string RevertReason::describe() const {
  switch (kind) {
    case Kind::error_string: return "Error(\"" + message + "\")";
    case Kind::panic: return "Panic(" + panic_code.to_hex() + ": " + panic_meaning(panic_code) + ")";
    case Kind::custom: return "custom error " + selector.hex();
    case Kind::empty: return "empty revert data";
  }
  return "?";
}

bool RpcError::is_retryable() const noexcept {
  switch (kind) {
    case ErrorKind::transport:
    case ErrorKind::timeout:
    case ErrorKind::rate_limited: return true;
    case ErrorKind::http_status: return http_status && *http_status >= 500;
    default: return false;
  }
}

std::string RpcError::describe() const {
  std::string out = method.empty() ? std::string("rpc") : method;
  if (!endpoint.empty()) out += " at " + endpoint;
  out += ": ";
  out += to_string(kind);
  if (code) out += " " + std::to_string(*code);
  if (http_status) out += " (HTTP " + std::to_string(*http_status) + ")";
  if (!message.empty()) out += ": " + message;
  if (revert) out += " (revert: " + revert->describe() + ")";
  return out;
}

std::ostream& operator<<(std::ostream& os, const RpcError& error) { return os << error.describe(); }

void throw_exception_from_error(const RpcError& error, const boost::source_location&) {
  throw RpcException(error);
}

RpcError make_error(ErrorKind kind, std::string method, std::string message) {
  RpcError e;
  e.kind = kind;
  e.method = std::move(method);
  e.message = std::move(message);
  return e;
}

std::string redact_url(std::string_view url) {
  std::string_view scheme;
  if (const auto p = url.find("://"); p != std::string_view::npos) {
    scheme = url.substr(0, p + 3);
    url.remove_prefix(p + 3);
  }
  url = url.substr(0, url.find_first_of("/?#"));
  if (const auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);  // user:password@
  return std::string(scheme) + std::string(url);
}

}  // namespace sluice::rpc
