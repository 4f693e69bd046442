// Files a test writes for the code under test to read (keys, secrets, CA
// certificates): under <system temp>/mcpgw-<area>-<pid>/, so parallel test
// processes never share one, removed when the test process exits.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <system_error>

namespace mcpgw::testing {

// The directories TestDir made, removed when the process that made them exits
// (a forked child that exits normally leaves them to its parent).
class TestDirRegistry {
 public:
  ~TestDirRegistry() {
    if (::getpid() != owner_) return;
    std::error_code ignored;
    for (const auto& dir : dirs_) std::filesystem::remove_all(dir, ignored);
  }
  void Add(const std::filesystem::path& dir) {
    std::lock_guard lock(mutex_);
    dirs_.insert(dir);
  }

 private:
  const pid_t owner_ = ::getpid();
  std::mutex mutex_;
  std::set<std::filesystem::path> dirs_;
};

// The directory for `area`, created when missing.
inline std::string TestDir(const std::string& area) {
  static TestDirRegistry registry;
  const auto dir = std::filesystem::temp_directory_path() / ("mcpgw-" + area + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  registry.Add(dir);
  return dir.string();
}

// Writes `bytes` to `name` in TestDir(area) and returns its path.
inline std::string WriteTestFile(const std::string& area, const std::string& name, const std::string& bytes) {
  const std::string path = TestDir(area) + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  return path;
}

// The whole contents of the file at `path` ("" when it cannot be read).
inline std::string ReadTestFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace mcpgw::testing
