#include "sys_error.h"

#include <cerrno>
#include <cstring>

namespace mcpgw::filesystem {
namespace {

struct ErrnoName {
  int code;
  const char* name;
  const char* description;  // libuv's wording, which Node puts in its messages
};

constexpr ErrnoName kErrnoNames[] = {
    {ENOENT, "ENOENT", "no such file or directory"},
    {ENOTDIR, "ENOTDIR", "not a directory"},
    {EISDIR, "EISDIR", "illegal operation on a directory"},
    {EACCES, "EACCES", "permission denied"},
    {EPERM, "EPERM", "operation not permitted"},
    {EEXIST, "EEXIST", "file already exists"},
    {ENOTEMPTY, "ENOTEMPTY", "directory not empty"},
    {ELOOP, "ELOOP", "too many symbolic links encountered"},
    {ENAMETOOLONG, "ENAMETOOLONG", "name too long"},
    {EXDEV, "EXDEV", "cross-device link not permitted"},
    {ENOSPC, "ENOSPC", "no space left on device"},
    {EDQUOT, "EDQUOT", "disk quota exceeded"},
    {EROFS, "EROFS", "read-only file system"},
    {EINVAL, "EINVAL", "invalid argument"},
    {EMFILE, "EMFILE", "too many open files"},
    {ENFILE, "ENFILE", "file table overflow"},
    {EFBIG, "EFBIG", "file too large"},
    {EBUSY, "EBUSY", "resource busy or locked"},
    {EIO, "EIO", "i/o error"},
    {EMLINK, "EMLINK", "too many links"},
    {ETXTBSY, "ETXTBSY", "text file is busy"},
    {EAGAIN, "EAGAIN", "resource temporarily unavailable"},
    {ENOMEM, "ENOMEM", "not enough memory"},
};

// A path longer than this is cut in messages: echoing a 64 KiB name back
// helps nobody read the error.
constexpr size_t kShownPathLimit = 256;

std::string Shown(std::string_view path) {
  if (path.size() <= kShownPathLimit) return std::string(path);
  return std::string(path.substr(0, kShownPathLimit)) + "... (" + std::to_string(path.size()) + " bytes)";
}

}  // namespace

std::string DescribeSysError(const SysError& error, std::string_view shown_path, std::string_view allowed_roots) {
  const std::string path = Shown(shown_path);
  switch (error.code) {
    case kEscapesRoot:
      return "Access denied - path outside allowed directories: " + path + " not in " + std::string(allowed_roots);
    case kSymlinkRefused:
      return "Access denied - symbolic links are not followed on this route: " + path;
    case kNotAPlainName:
      return "Invalid path - it must end in a file or directory name (not '.' or '..'): " + path;
    case kNotRegularFile:
      return "Not a regular file (a directory, FIFO, socket or device cannot be read): " + path;
    case kIsSymlink:
      return "Refused - " + path + " is a symbolic link; write to the file it points to instead";
    case kReadLimit:
      return "File too large to read: " + path;  // the caller appends the limit
    default:
      break;
  }
  for (const ErrnoName& known : kErrnoNames) {
    if (known.code == error.code) {
      return std::string(known.name) + ": " + known.description + ", " + error.syscall + " '" + path + "'";
    }
  }
  return std::string("E") + std::to_string(error.code) + ": " + std::strerror(error.code) + ", " + error.syscall +
         " '" + path + "'";
}

}  // namespace mcpgw::filesystem
