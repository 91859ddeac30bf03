#pragma once
/// Error plumbing for pure code: every module declares an `enum class` of its failures and gets a
/// `boost::system::error_category` for it through `SLUICE_ERROR_CATEGORY`, so results compose as
/// `boost::system::result<T>` and messages stay precise ("rlp: leading zero in integer").

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <type_traits>

namespace sluice {

template <class T>
using Result = boost::system::result<T>;

/// A category whose messages come from a `const char* describe(Enum)` found by ADL.
template <class Enum>
class EnumErrorCategory final : public boost::system::error_category {
 public:
  explicit EnumErrorCategory(const char* name) noexcept : name_(name) {}
  const char* name() const noexcept override { return name_; }
  std::string message(int value) const override { return describe(static_cast<Enum>(value)); }

 private:
  const char* name_;
};

}  // namespace sluice

/// Declares the category and `make_error_code` for `Enum` inside the enclosing namespace and registers
/// `Enum` as an error code enum. Use at namespace scope right after the enum and its `describe`.
#define SLUICE_ERROR_CATEGORY(Enum, category_name)                                              \
  inline const ::boost::system::error_category& Enum##_category() noexcept {                   \
    static const ::sluice::EnumErrorCategory<Enum> category{category_name};                     \
    return category;                                                                            \
  }                                                                                             \
  inline ::boost::system::error_code make_error_code(Enum e) noexcept {                         \
    return {static_cast<int>(e), Enum##_category()};                                            \
  }

#define SLUICE_ERROR_ENUM(qualified_enum)                                                      \
  template <>                                                                                   \
  struct boost::system::is_error_code_enum<qualified_enum> : std::true_type {};
