#include "chain/abi/type.hpp"

#include "chain/abi/type_spec.hpp"

namespace sluice::abi {

bool Type::is_dynamic() const noexcept {
  switch (kind) {
    case Kind::bytes:
    case Kind::string:
    case Kind::array: return true;
    case Kind::fixed_array: return children[0].is_dynamic();
    case Kind::tuple:
      for (const auto& c : children)
        if (c.is_dynamic()) return true;
      return false;
    default: return false;
  }
}

std::size_t Type::head_size() const noexcept {
  if (is_dynamic()) return 32;
  switch (kind) {
    case Kind::fixed_array: return size * children[0].head_size();
    case Kind::tuple: {
      std::size_t total = 0;
      for (const auto& c : children) total += c.head_size();
      return total;
    }
    default: return 32;
  }
}

std::string Type::canonical() const {
  switch (kind) {
    case Kind::uint_: return "uint" + std::to_string(size);
    case Kind::int_: return "int" + std::to_string(size);
    case Kind::address: return "address";
    case Kind::bool_: return "bool";
    case Kind::fixed_bytes: return "bytes" + std::to_string(size);
    case Kind::bytes: return "bytes";
    case Kind::string: return "string";
    case Kind::array: return children[0].canonical() + "[]";
    case Kind::fixed_array: return children[0].canonical() + "[" + std::to_string(size) + "]";
    case Kind::tuple: return canonical_list(children);
  }
  return {};
}

std::string canonical_list(const std::vector<Type>& types) {
  std::string out = "(";
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (i) out += ',';
    out += types[i].canonical();
  }
  out += ')';
  return out;
}

Result<Type> parse_type(std::string_view text) {
  std::string_view in = text;
  auto spec = consume_type_spec(in);
  if (!spec || !in.empty()) return Error::invalid_type;
  return spec->resolve();
}

}  // namespace sluice::abi
