// Parsing helpers shared by the configuration tests: relative paths resolve
// against /base, and a parse that goes the unexpected way is a test failure.
#pragma once

#include "config/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace mcpgw::config::testing {

// The smallest valid plugins and routes: the memory plugin on /mcp/memory.
inline constexpr const char* kMemoryRoute = R"(
plugins:
  - name: memory
    file: memory.so
routes:
  - name: memory
    path: /mcp/memory
    plugin: memory
)";

inline Config ParseOk(const std::string& yaml) {
  auto result = Parse(yaml, "/base");
  if (auto* errors = std::get_if<std::vector<std::string>>(&result)) {
    ADD_FAILURE() << "unexpected errors: " << (errors->empty() ? "" : errors->front());
    return Config{};
  }
  return std::get<Config>(result);
}

inline std::vector<std::string> Errors(const std::string& yaml) {
  auto result = Parse(yaml, "/base");
  if (std::holds_alternative<Config>(result)) {
    ADD_FAILURE() << "expected errors";
    return {};
  }
  return std::get<std::vector<std::string>>(result);
}

// Whether one of `errors` contains `needle`.
inline bool HasError(const std::vector<std::string>& errors, const std::string& needle) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const std::string& e) { return e.find(needle) != std::string::npos; });
}

}  // namespace mcpgw::config::testing
