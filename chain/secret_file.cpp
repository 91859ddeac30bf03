#include "chain/secret_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace sluice {

const char* describe(SecretFileError e) noexcept {
  switch (e) {
    case SecretFileError::cannot_open: return "cannot open the file (missing, unreadable or not a regular file)";
    case SecretFileError::too_permissive: return "file is accessible by group or others; restrict it with chmod 600";
    case SecretFileError::too_large: return "file is too large to be a key or password file";
    case SecretFileError::read_failed: return "cannot read the file";
  }
  return "secret file error";
}

namespace {

/// Closes the descriptor on every path out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<WipedString> read_secret_file(const std::string& path) {
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY)};
  if (file.fd < 0) return SecretFileError::cannot_open;
  struct stat st {};
  if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) return SecretFileError::cannot_open;
  if ((st.st_mode & 077) != 0) return SecretFileError::too_permissive;
  if (static_cast<std::size_t>(st.st_size) > kMaxSecretFileSize) return SecretFileError::too_large;

  WipedString content;
  std::string& s = content.value();
  s.reserve(static_cast<std::size_t>(st.st_size) + 1);  // read without reallocating (no unwiped copies)
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(file.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      secure_wipe(buffer, sizeof buffer);
      return SecretFileError::read_failed;
    }
    if (n == 0) break;
    if (s.size() + static_cast<std::size_t>(n) > kMaxSecretFileSize) {
      secure_wipe(buffer, sizeof buffer);
      return SecretFileError::too_large;
    }
    s.append(buffer, static_cast<std::size_t>(n));
  }
  secure_wipe(buffer, sizeof buffer);
  return content;
}

Result<WipedString> read_password_file(const std::string& path) {
  auto content = read_secret_file(path);
  if (!content) return content.error();
  std::string& s = content->value();
  std::size_t end = s.size();
  while (end > 0 && (s[end - 1] == '\n' || s[end - 1] == '\r' || s[end - 1] == ' ' || s[end - 1] == '\t' ||
                     s[end - 1] == '\v' || s[end - 1] == '\f'))
    --end;
  secure_wipe(s.data() + end, s.size() - end);
  s.resize(end);
  return content;
}

}  // namespace sluice
