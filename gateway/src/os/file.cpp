#include "os/file.h"

#include "os/unique_fd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
  const auto fail = [&](const std::string& what) {
    const std::string why = what + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());  // never leave a half-written copy behind
    return why;
  };
  {
    const UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode));
    if (!fd.valid()) return "cannot create " + tmp + ": " + std::strerror(errno);
    for (std::size_t done = 0; done < bytes.size();) {
      const ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (n == 0) errno = EIO;
        return fail("cannot write " + tmp);
      }
      done += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd.get(), mode) != 0 || ::fsync(fd.get()) != 0) return fail("cannot write " + tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("cannot rename to " + path);
  // The rename is durable once the directory is: without this, a power cut
  // can bring the old file back after the change was acknowledged.
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  const UniqueFd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fd.valid() || ::fsync(dir_fd.get()) != 0) return "cannot sync the directory " + dir + ": " + std::strerror(errno);
  return "";
}

}  // namespace mcpgw::os
