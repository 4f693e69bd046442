// The MCP server semantics, once, for every front door.
//
// Given a Request (already framed by a transport) the core runs the
// pipeline's stages, then answers the method: lifecycle and version
// negotiation, tool/resource/prompt/completion calls routed to the plugin,
// pagination, progress, logging, cancellation and result decoration for the
// protocol version in force. It never sees a socket or a header.
#pragma once

#include "mcp/exchange.h"
#include "mcp/responder.h"
#include "pipeline/pipeline.h"

#include "timing/timeout_list.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <unordered_map>
#include <vector>
#include <memory>
#include <string>

namespace mcpgw::metrics {
class Metrics;
}

namespace mcpgw::mcp {

struct CoreOptions {
  std::size_t page_size = 100;
  std::chrono::milliseconds request_timeout{30'000};
  std::string server_name = "mcp-gateway";
  std::string server_version = "0.1.0";
  bool audit_tool_calls = false;  // a tool_call line in the audit log per tools/call
  // `auth:` is configured: tools/list shows a caller only the tools its
  // scopes let it call (ADR 0026).
  bool authorize = false;
};

class Core {
 public:
  Core(pipeline::Pipeline pipeline, CoreOptions options, timing::TimeoutList& timeouts, metrics::Metrics* metrics);

  // Handles one request or notification. Returns the handle a transport
  // uses to cancel it (stream closed); the Responder is finished exactly once.
  std::shared_ptr<Cancellable> Handle(pipeline::Request request, std::shared_ptr<Responder> responder);

  const CoreOptions& options() const { return options_; }

  // Requests handled but not yet answered.
  std::size_t in_flight() const { return in_flight_.load(); }

  // Ends the open subscriptions/listen streams of `backend` (every one when
  // null) with their completion result (graceful closure); called when the
  // gateway starts draining, and for a route a reload retires.
  void CloseListenStreams(const Backend* backend = nullptr);

 private:
  using Ptr = std::shared_ptr<Exchange>;

  // After the pipeline: answers a denial, or arms the deadline and dispatches.
  void Continue(const Ptr& ex, std::optional<pipeline::Denial> denial);
  // Maps a denial to its reply (status, headers, JSON-RPC error).
  void Deny(const Ptr& ex, const pipeline::Denial& denial);
  void Dispatch(const Ptr& ex);
  void Initialize(const Ptr& ex);
  void Discover(const Ptr& ex);
  void SetLogLevel(const Ptr& ex);
  void ListTools(const Ptr& ex);
  void CallTool(const Ptr& ex);
  void ListFromPlugin(const Ptr& ex, plugin::Operation op, const char* key);
  void ReadResource(const Ptr& ex);
  void Subscribe(const Ptr& ex, bool subscribe);
  void GetPrompt(const Ptr& ex);
  void Complete(const Ptr& ex);
  void Listen(const Ptr& ex);
  void HandleNotification(const Ptr& ex);

  // Runs `request` on the backend's plugin; `on_reply` turns the plugin's
  // answer into the reply (on a plugin worker thread).
  void CallPlugin(const Ptr& ex, plugin::PluginRequest request,
                  std::function<void(const Ptr&, plugin::PluginReply)> on_reply);

  // Replies with `result`, decorated for the request's protocol version.
  void Succeed(const Ptr& ex, nlohmann::json result, bool cacheable, std::string_view cache_scope = "public");
  // The same for a plugin's result text whose shape `ScanResult` checked:
  // forwards the bytes, adding what the protocol version needs, without
  // parsing them into a tree (falls back to Succeed when it must merge).
  void SucceedRaw(const Ptr& ex, std::string body, bool is_error, bool reserved_keys, bool cacheable,
                  std::string_view cache_scope);
  void Fail(const Ptr& ex, int code, const std::string& message, nlohmann::json data = nullptr, int http_status = 200);
  // Maps a non-OK plugin status to the protocol's error.
  void FailFromPlugin(const Ptr& ex, const plugin::PluginReply& reply);

  nlohmann::json ServerInfo(const Backend& backend) const;

  pipeline::Pipeline pipeline_;
  CoreOptions options_;
  timing::TimeoutList& timeouts_;
  metrics::Metrics* metrics_;
  std::atomic<std::size_t> in_flight_{0};
  std::mutex listen_mu_;
  // Open subscriptions/listen streams. Nothing else holds them between
  // notifications, so the core does until each one ends.
  std::unordered_map<const Exchange*, std::shared_ptr<Exchange>> listen_streams_;
};

}  // namespace mcpgw::mcp
