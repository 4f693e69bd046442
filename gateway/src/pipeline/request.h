// One MCP request as every front door hands it to the pipeline.
//
// Transports fill it from their wire format and never decide anything else;
// the stages and the core read it. It carries no credential once the
// authentication stage has turned the credential into a principal.
#pragma once

#include "mcp/protocol_version.h"
#include "pipeline/principal.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mcpgw::mcp {
class Backend;
class Session;
struct Tool;
}  // namespace mcpgw::mcp

namespace mcpgw::pipeline {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// One rate-limit policy's state as its RateLimit-Policy and RateLimit
// headers report it (and a 429's JSON-RPC error data).
struct LimitState {
  std::string policy;
  uint64_t limit = 0;
  uint32_t window_s = 0;
  uint64_t remaining = 0;
  uint32_t reset_s = 0;  // seconds until more quota (RateLimit `t`)
};

struct Request {
  // Where: the backend (route) this request addresses, held until the
  // request ends (a reload may retire the route meanwhile).
  std::shared_ptr<mcp::Backend> backend;
  // What: the JSON-RPC message.
  json id;  // null for a notification
  std::string method;
  json params = json::object();
  // How: protocol era and version in force for this request.
  mcp::Era era = mcp::Era::kSession;
  std::string protocol_version;
  std::shared_ptr<mcp::Session> session;  // session era, after initialize
  // Who.
  Principal principal;
  std::string source_address;
  // Resolved by the core before the stages run.
  const mcp::Tool* tool = nullptr;  // tools/call of a known tool
  // When.
  Clock::time_point received = Clock::now();
  Clock::time_point deadline = Clock::time_point::max();
  // Left by the rate-limit stage when it lets the request pass and
  // rate_limits.headers is `always`: each applied policy's state, for the
  // answer's RateLimit headers. (Mutable: the stages see the request const.)
  mutable std::vector<LimitState> granted_limits;

  bool is_notification() const { return id.is_null(); }
};

}  // namespace mcpgw::pipeline
