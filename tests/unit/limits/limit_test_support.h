// What the limiter tests (local and Redis) build their cases from: a policy,
// the start of a window far from the epoch, and the facts of one request.
#pragma once

#include "config/config.h"
#include "limits/charges.h"
#include "limits/window.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcpgw::limits::test_support {

inline config::LimitPolicy Policy(std::string name, uint64_t limit, uint32_t window_s,
                                  std::vector<config::LimitDimension> by = {config::LimitDimension::kSubject},
                                  config::FailMode on_down = config::FailMode::kOpen) {
  config::LimitPolicy p;
  p.name = std::move(name);
  p.limit = limit;
  p.window_s = window_s;
  p.by = std::move(by);
  p.on_redis_down = on_down;
  return p;
}

// The start of a window of `window_s` (an arbitrary one, far from the epoch).
inline Clock::time_point WindowStart(uint32_t window_s, int64_t index = 29'000'000) {
  return Clock::time_point(std::chrono::seconds(int64_t{window_s} * index));
}

// A tools/call read_graph on route memory from 127.0.0.1; the views must
// outlive the facts.
inline RequestFacts Facts(std::string_view subject, std::string_view tenant = "acme") {
  RequestFacts f;
  f.route = "memory";
  f.method = "tools/call";
  f.tool = "read_graph";
  f.subject = subject;
  f.tenant = tenant;
  f.source = "127.0.0.1";
  return f;
}

}  // namespace mcpgw::limits::test_support
