// Captures what the process writes to file descriptor 2 (the gateway's log:
// JSON lines on stderr) into a temporary file the test can read at any time,
// for waiting on a log line and for asserting what a log never contains.
// Restores stderr when it goes.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace mcpgw::testing {

class StderrCapture {
 public:
  StderrCapture()
      : path_((std::filesystem::temp_directory_path() /
               ("mcpgw-stderr-" + std::to_string(::getpid()) + "-" + std::to_string(++count_)))
                  .string()) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int fd = ::open(path_.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0600);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~StderrCapture() {
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    std::filesystem::remove(path_);
  }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  std::string Text() const {
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  std::size_t Count(std::string_view needle) const {
    const std::string text = Text();
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
    return count;
  }

 private:
  static inline int count_ = 0;
  std::string path_;
  int saved_ = -1;
};

}  // namespace mcpgw::testing
