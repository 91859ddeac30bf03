#pragma once
/// Reading files that hold secrets (keystores, password files): refused when the group or others may read them,
/// as ssh does for private keys, so a leaked permission is noticed instead of silently accepted.

#include "chain/error.hpp"
#include "chain/secure_memory.hpp"

#include <string>

namespace sluice {

enum class SecretFileError {
  cannot_open = 1,  ///< missing, unreadable or not a regular file
  too_permissive,   ///< mode & 077 != 0
  too_large,        ///< over kMaxSecretFileSize: not a key file
  read_failed,
};
const char* describe(SecretFileError e) noexcept;
SLUICE_ERROR_CATEGORY(SecretFileError, "secret file")

/// Keystores are about 500 bytes; anything over this is not one.
inline constexpr std::size_t kMaxSecretFileSize = 1 << 20;

/// The whole content of a regular file whose mode grants nothing to group or others. The permission check is
/// made on the opened descriptor (fstat), so a file swapped after the check is not read.
Result<WipedString> read_secret_file(const std::string& path);

/// A password file's password: its content without trailing whitespace (newline, CR, tabs, spaces), as
/// `cast --password-file` reads it; leading whitespace is kept.
Result<WipedString> read_password_file(const std::string& path);

}  // namespace sluice

SLUICE_ERROR_ENUM(sluice::SecretFileError)
