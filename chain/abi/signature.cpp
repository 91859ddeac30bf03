#include "chain/abi/signature.hpp"

#include "chain/abi/type_spec.hpp"
#include "chain/keccak.hpp"

#include <array>

namespace sluice::abi {
namespace {

struct ParamSpec {
  TypeSpec type;
  bool indexed = false;
};

struct ParsedSignature {
  std::string name;
  std::vector<ParamSpec> inputs;
  std::vector<ParamSpec> outputs;
  bool anonymous = false;
};

constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t'; }

void skip_spaces(std::string_view& in) noexcept {
  while (!in.empty() && is_space(in[0])) in.remove_prefix(1);
}

/// Spaces then an optional identifier (alloy's `opt_ws_ident`).
std::string_view consume_ws_ident(std::string_view& in) noexcept {
  skip_spaces(in);
  std::size_t n = 0;
  while (n < in.size() && is_ident_char(in[n], n == 0)) ++n;
  const auto ident = in.substr(0, n);
  in.remove_prefix(n);
  return ident;
}

bool consume_word(std::string_view& in, std::string_view word) noexcept {
  if (!in.starts_with(word)) return false;
  in.remove_prefix(word.size());
  return true;
}

/// `type [storage] [indexed] [name]`.
std::optional<ParamSpec> consume_param(std::string_view& in) {
  auto type = consume_type_spec(in);
  if (!type) return std::nullopt;
  ParamSpec param{std::move(*type), false};
  auto word = consume_ws_ident(in);
  if (word == "storage" || word == "memory" || word == "calldata") word = consume_ws_ident(in);
  if (word == "indexed") {
    param.indexed = true;
    consume_ws_ident(in);
  }
  return param;
}

/// `( p1, p2, )`: a list of parameters with spaces after separators and an optional trailing comma.
std::optional<std::vector<ParamSpec>> consume_params(std::string_view& in) {
  if (in.empty() || in[0] != '(') return std::nullopt;
  in.remove_prefix(1);
  skip_spaces(in);
  std::vector<ParamSpec> params;
  if (auto first = consume_param(in)) {
    params.push_back(std::move(*first));
    while (!in.empty() && in[0] == ',') {
      std::string_view after = in.substr(1);
      skip_spaces(after);
      auto next = consume_param(after);
      if (!next) break;  // a trailing comma
      params.push_back(std::move(*next));
      in = after;
    }
  }
  if (!params.empty() && !in.empty() && in[0] == ',') in.remove_prefix(1);
  skip_spaces(in);
  if (in.empty() || in[0] != ')') return std::nullopt;
  in.remove_prefix(1);
  return params;
}

/// cast's grammar: [`function`|`event` ws] name ws? (params) [visibility] [mutability] [:] [returns] [(params)]
/// [anonymous].
std::optional<ParsedSignature> parse_signature(std::string_view in, std::string_view keyword) {
  if (in.starts_with(keyword) && in.size() > keyword.size() && is_space(in[keyword.size()])) {
    in.remove_prefix(keyword.size());
    skip_spaces(in);
  }
  ParsedSignature sig;
  std::size_t n = 0;
  while (n < in.size() && is_ident_char(in[n], n == 0)) ++n;
  if (n == 0) return std::nullopt;
  sig.name = std::string(in.substr(0, n));
  in.remove_prefix(n);
  skip_spaces(in);
  auto inputs = consume_params(in);
  if (!inputs) return std::nullopt;
  sig.inputs = std::move(*inputs);
  skip_spaces(in);
  for (std::string_view v : {"external", "public", "internal", "private"})
    if (consume_word(in, v)) break;
  skip_spaces(in);
  for (std::string_view m : {"view", "pure", "payable", "nonpayable"})
    if (consume_word(in, m)) break;
  skip_spaces(in);
  consume_word(in, ":");
  consume_word(in, "returns");
  skip_spaces(in);
  if (!in.empty() && in[0] == '(') {
    auto outputs = consume_params(in);
    if (!outputs) return std::nullopt;
    sig.outputs = std::move(*outputs);
  }
  skip_spaces(in);
  sig.anonymous = consume_word(in, "anonymous");
  if (!in.empty()) return std::nullopt;
  return sig;
}

Result<std::vector<Type>> resolve_all(const std::vector<ParamSpec>& params) {
  std::vector<Type> types;
  types.reserve(params.size());
  for (const auto& p : params) {
    auto t = p.type.resolve();
    if (!t) return t.error();
    types.push_back(std::move(*t));
  }
  return types;
}

}  // namespace

Selector selector_of(std::string_view canonical_signature) noexcept {
  const Hash h = keccak256(canonical_signature);
  Selector s;
  for (std::size_t i = 0; i < 4; ++i) s.bytes[i] = h.bytes[i];
  return s;
}

Result<std::string> canonical_function_signature(std::string_view text) {
  auto sig = parse_signature(text, "function");
  if (!sig || sig->anonymous) return Error::invalid_signature;
  std::string out = sig->name + "(";
  for (std::size_t i = 0; i < sig->inputs.size(); ++i) {
    if (i) out += ',';
    out += sig->inputs[i].type.canonical();
  }
  out += ')';
  return out;
}

Result<Function> Function::parse(std::string_view text) {
  auto sig = parse_signature(text, "function");
  if (!sig || sig->anonymous) return Error::invalid_signature;
  Function f;
  f.name = sig->name;
  auto inputs = resolve_all(sig->inputs);
  if (!inputs) return inputs.error();
  auto outputs = resolve_all(sig->outputs);
  if (!outputs) return outputs.error();
  f.inputs = std::move(*inputs);
  f.outputs = std::move(*outputs);
  f.signature = f.name + canonical_list(f.inputs);
  f.selector = selector_of(f.signature);
  return f;
}

Result<Event> Event::parse(std::string_view text) {
  auto sig = parse_signature(text, "event");
  if (!sig || !sig->outputs.empty()) return Error::invalid_signature;
  Event e;
  e.name = sig->name;
  e.anonymous = sig->anonymous;
  std::vector<Type> types;
  for (const auto& p : sig->inputs) {
    auto t = p.type.resolve();
    if (!t) return t.error();
    types.push_back(*t);
    e.params.push_back({std::move(*t), p.indexed});
  }
  e.signature = e.name + canonical_list(types);
  e.topic0 = keccak256(e.signature);
  return e;
}

}  // namespace sluice::abi
