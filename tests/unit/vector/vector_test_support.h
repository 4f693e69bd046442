// Shared pieces of the vector plugin's unit tests: a private temporary
// directory per test, a log recorder, and short ways to build arguments.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "log_sink.h"

namespace mcpgw::vector::testing {

// A fresh directory under /tmp, removed with everything in it at the end.
class TempDirectory {
 public:
  TempDirectory() {
    std::string pattern = "/tmp/mcpgw-vector-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Collects what the store logs, for assertions on level and content.
class LogRecorder {
 public:
  LogSink Sink() {
    return [this](mcpgw_log_level level, std::string_view message) {
      std::lock_guard lock(mutex_);
      lines_.emplace_back(level, std::string(message));
    };
  }
  size_t CountAtLeast(mcpgw_log_level level) const {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (const auto& line : lines_) n += line.first >= level ? 1 : 0;
    return n;
  }
  std::string All() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& line : lines_) out += line.second + "\n";
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<mcpgw_log_level, std::string>> lines_;
};

inline LogSink DiscardLog() {
  return [](mcpgw_log_level, std::string_view) {};
}

inline nlohmann::json Doc(const std::string& id, const std::string& text,
                          nlohmann::json metadata = nlohmann::json::object()) {
  return nlohmann::json{{"id", id}, {"text", text}, {"metadata", std::move(metadata)}};
}

}  // namespace mcpgw::vector::testing
