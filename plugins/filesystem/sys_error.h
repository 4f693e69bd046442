// Errors as values for the system-call layer: an errno plus the operation
// that failed, or the value the operation produced.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace mcpgw::filesystem {

// Codes beside errno values, for outcomes that are ours to name.
inline constexpr int kEscapesRoot = -1;      // openat2 refused: the path leads outside its root (EXDEV)
inline constexpr int kSymlinkRefused = -2;   // openat2 met a symlink on a route that forbids them
inline constexpr int kNotAPlainName = -3;    // the last component is empty, "." or ".." where a name is needed
inline constexpr int kReadLimit = -4;        // the file is larger than the configured read limit
inline constexpr int kNotRegularFile = -5;   // a read of a FIFO, socket or device
inline constexpr int kIsSymlink = -6;        // a write whose target is a symlink (refused, never followed)
inline constexpr int kTooManyEntries = -7;   // a directory holds more entries than a listing may gather

struct SysError {
  int code;             // errno, or one of the k* codes above
  const char* syscall;  // as Node names it: "open", "scandir", "mkdir", "rename", ...
};

template <typename T>
class [[nodiscard]] SysResult {
 public:
  SysResult(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  SysResult(SysError error) : state_(std::in_place_index<1>, error) {}       // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& operator*() & { return std::get<0>(state_); }
  T&& operator*() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &std::get<0>(state_); }
  const SysError& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, SysError> state_;
};

// What a failure means to the caller, in the style of Node's fs errors
// ("ENOENT: no such file or directory, open '<path>'") so clients written
// against the reference server read the same words. `shown_path` is the path
// as the caller wrote it: the host's real path never appears.
std::string DescribeSysError(const SysError& error, std::string_view shown_path, std::string_view allowed_roots);

}  // namespace mcpgw::filesystem
