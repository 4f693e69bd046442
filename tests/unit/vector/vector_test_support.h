// Shared pieces of the vector plugin's unit tests: a private temporary
// directory per test, a log recorder, and short ways to build arguments.
#pragma once

#include "support/temp_dir.h"

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

using TempDirectory = mcpgw::testing::TempDir;

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
