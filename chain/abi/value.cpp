#include "chain/abi/value.hpp"

namespace sluice::abi {
namespace {

bool fits_uint(const U256& v, std::size_t bits) noexcept { return v.bit_length() <= bits; }

bool fits_int(const Int& v, std::size_t bits) noexcept {
  if (bits >= 256) return true;
  // In range iff bits above N-1 are all copies of the sign bit.
  const U256 shifted = v.bits >> static_cast<unsigned>(bits - 1);
  return v.negative() ? shifted == (U256::max() >> static_cast<unsigned>(bits - 1)) : shifted.is_zero();
}

Result<void> check_impl(const Type& type, const Value& value, bool ranges) {
  switch (type.kind) {
    case Kind::uint_: {
      const auto* v = value.get_if<U256>();
      if (!v) return Error::type_mismatch;
      if (ranges && !fits_uint(*v, type.size)) return Error::value_out_of_range;
      return {};
    }
    case Kind::int_: {
      const auto* v = value.get_if<Int>();
      if (!v) return Error::type_mismatch;
      if (ranges && !fits_int(*v, type.size)) return Error::value_out_of_range;
      return {};
    }
    case Kind::address:
      if (!value.get_if<Address>()) return Error::type_mismatch;
      return {};
    case Kind::bool_:
      if (!value.get_if<bool>()) return Error::type_mismatch;
      return {};
    case Kind::fixed_bytes: {
      const auto* v = value.get_if<Bytes>();
      if (!v || v->size() != type.size) return Error::type_mismatch;
      return {};
    }
    case Kind::bytes:
      if (!value.get_if<Bytes>()) return Error::type_mismatch;
      return {};
    case Kind::string:
      if (!value.get_if<std::string>()) return Error::type_mismatch;
      return {};
    case Kind::array:
    case Kind::fixed_array:
    case Kind::tuple: {
      const auto* list = value.get_if<Value::List>();
      if (!list) return Error::type_mismatch;
      if (type.kind == Kind::fixed_array && list->size() != type.size) return Error::type_mismatch;
      if (type.kind == Kind::tuple && list->size() != type.children.size()) return Error::type_mismatch;
      for (std::size_t i = 0; i < list->size(); ++i) {
        const Type& t = type.kind == Kind::tuple ? type.children[i] : type.children[0];
        if (auto r = check_impl(t, (*list)[i], ranges); !r) return r;
      }
      return {};
    }
  }
  return Error::type_mismatch;
}

}  // namespace

Result<void> check(const Type& type, const Value& value) { return check_impl(type, value, true); }

namespace detail {
Result<void> check_shape(const Type& type, const Value& value, bool ranges) { return check_impl(type, value, ranges); }
}  // namespace detail

}  // namespace sluice::abi
