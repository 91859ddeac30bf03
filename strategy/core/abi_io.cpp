#include "strategy/core/abi_io.hpp"

#include "chain/abi/decode.hpp"
#include "chain/abi/encode.hpp"
#include "chain/abi/event.hpp"
#include "chain/bytes.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace sluice::abi_io {

namespace {

[[noreturn]] void bad_literal(std::string_view what, std::string_view text) {
  std::fprintf(stderr, "sluice: malformed built-in %.*s signature: %.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(text.size()), text.data());
  std::abort();
}

}  // namespace

abi::Function function(std::string_view signature) {
  auto f = abi::Function::parse(signature);
  if (!f) bad_literal("function", signature);
  return std::move(*f);
}

abi::Event event(std::string_view declaration) {
  auto e = abi::Event::parse(declaration);
  if (!e) bad_literal("event", declaration);
  return std::move(*e);
}

ContractCall call(const Address& to, const abi::Function& f, std::initializer_list<abi::Value> args) {
  const std::vector<abi::Value> values(args);
  auto data = abi::encode_call(f, values);
  if (!data) bad_literal("call arguments for", f.signature);
  return ContractCall{to, std::move(*data)};
}

DecodeResult<std::vector<abi::Value>> returns(std::string_view subject, const abi::Function& f,
                                              const CallOutcome& outcome) {
  if (!outcome.ok)
    return DecodeError{std::string(subject), "call failed: " + (outcome.error.empty() ? "reverted" : outcome.error)};
  auto values = abi::decode_output(f, outcome.data);
  if (!values)
    return DecodeError{std::string(subject), "malformed return data (" + std::to_string(outcome.data.size()) +
                                                 " bytes): " + values.error().message()};
  return std::move(*values);
}

DecodeResult<std::vector<abi::Value>> log_values(std::string_view subject, const abi::Event& e,
                                                 const rpc::Log& log) {
  const auto fail = [&](std::string reason) { return DecodeError{std::string(subject), std::move(reason)}; };
  std::size_t indexed = 0, data_size = 0;
  bool dynamic = false;
  for (const auto& p : e.params) {
    if (p.indexed) {
      ++indexed;
    } else {
      data_size += p.type.head_size();
      dynamic = dynamic || p.type.is_dynamic();
    }
  }
  const std::size_t topics = indexed + (e.anonymous ? 0 : 1);
  if (log.topics.size() != topics)
    return fail("expected " + std::to_string(topics) + " topics, got " + std::to_string(log.topics.size()));
  if (!e.anonymous && log.topics[0] != e.topic0) return fail("topic0 is " + log.topics[0].hex() + ", not " + e.signature);
  // Static parameters fill exactly their heads; dynamic ones add tails, which the decoder bounds-checks.
  if (dynamic ? log.data.size() < data_size : log.data.size() != data_size)
    return fail("expected " + std::string(dynamic ? "at least " : "") + std::to_string(data_size) +
                " bytes of data, got " + std::to_string(log.data.size()));
  auto values = abi::decode_log(e, log.topics, log.data);
  if (!values) return fail(values.error().message());
  return std::move(*values);
}

U256 uint(const abi::Value& v) noexcept {
  if (const auto* u = v.get_if<U256>()) return *u;
  if (const auto* i = v.get_if<abi::Int>()) return i->bits;
  return U256{};
}

Address address(const abi::Value& v) noexcept {
  const auto* a = v.get_if<Address>();
  return a ? *a : Address{};
}

bool boolean(const abi::Value& v) noexcept {
  const auto* b = v.get_if<bool>();
  return b != nullptr && *b;
}

const std::vector<abi::Value>& list(const abi::Value& v) noexcept {
  static const std::vector<abi::Value> kEmpty;
  const auto* l = v.get_if<abi::Value::List>();
  return l ? *l : kEmpty;
}

std::string string(const abi::Value& v) {
  const auto* s = v.get_if<std::string>();
  return s ? *s : std::string{};
}

std::uint64_t u64(const abi::Value& v) noexcept { return uint(v).limbs[0]; }

}  // namespace sluice::abi_io
