// Files a test writes for the code under test to read (keys, secrets, CA
// certificates): under <system temp>/mcpgw-<area>-<pid>/, so parallel test
// processes never share one.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace mcpgw::testing {

// The directory for `area`, created when missing.
inline std::string TestDir(const std::string& area) {
  const auto dir = std::filesystem::temp_directory_path() / ("mcpgw-" + area + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
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
