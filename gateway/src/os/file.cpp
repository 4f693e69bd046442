#include "os/file.h"

#include "os/unique_fd.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace mcpgw::os {

std::optional<std::string> ReadFile(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string WriteFileAtomically(const std::string& path, const std::string& bytes, mode_t mode) {
  const std::string tmp = path + ".tmp";
  const UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!fd.valid()) return "cannot create " + tmp + ": " + std::strerror(errno);
  if (::write(fd.get(), bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()) ||
      ::fchmod(fd.get(), mode) != 0 || ::fsync(fd.get()) != 0) {
    return "cannot write " + tmp + ": " + std::strerror(errno);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return "cannot rename to " + path + ": " + std::strerror(errno);
  return "";
}

}  // namespace mcpgw::os
