// Polls a condition until it holds or a timeout passes: a readiness check
// for what another process or thread does, not a fixed sleep.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace mcpgw::testing {

inline bool Eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace mcpgw::testing
