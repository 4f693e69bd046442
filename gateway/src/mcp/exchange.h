// One request in flight inside the core: what the plugin reaches through the
// host API (progress, log messages, cancellation) and the guarantee that the
// request is answered exactly once, by its result, its deadline or its
// cancellation, whichever comes first.
#pragma once

#include "mcp/responder.h"
#include "mcp/session.h"
#include "pipeline/request.h"
#include "plugin/plugin_instance.h"

#include "timing/timeout_list.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace mcpgw::metrics {
class Metrics;
}

namespace mcpgw::mcp {

class Exchange final : public plugin::CallObserver,
                       public Cancellable,
                       public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(pipeline::Request request, std::shared_ptr<Responder> responder, metrics::Metrics* metrics);
  ~Exchange() override;

  const pipeline::Request& request() const { return request_; }
  pipeline::Request& request() { return request_; }

  // Arms the deadline on `timeouts`; on expiry the request is answered with
  // a timeout error and marked cancelled for the plugin.
  void ArmDeadline(timing::TimeoutList& timeouts);

  // Answers the request unless it was answered already. `outcome` is the
  // metric label ("ok", "error", "tool_error", ...).
  void Finish(Reply reply, std::string_view outcome);
  bool finished() const { return finished_.load(); }

  // Streams a notification about this request to the client.
  void Notify(const nlohmann::json& notification);

  // Held by stream-shaped requests (subscriptions/listen) until they end.
  void Hold(std::shared_ptr<const void> resource) { held_ = std::move(resource); }

  // Runs once, when the request is answered (in-flight accounting).
  void set_on_finish(std::function<void()> callback) { on_finish_ = std::move(callback); }

  // plugin::CallObserver
  bool Cancelled() const override;
  void Progress(double progress, std::optional<double> total, std::string_view message) override;
  void Log(mcpgw_log_level level, std::string_view logger, std::string_view data_json) override;

  // Cancellable: the client cancelled or went away; end without a response.
  void Cancel() override;

  // The plugin stopped because Cancelled() said so: a timeout if the
  // deadline passed (the timer may not have fired yet), else Cancel().
  void EndStopped();

  // The pipeline has run: what its rate-limit stage left on the request
  // (granted_limits) is final and may be read by Finish on any thread. A
  // Finish before that (a cancel while a stage waited) sends no limit headers.
  // Also gives the responder that state for the head of an answer that
  // becomes a stream (rate_limits.headers: always).
  void PipelineDone();

  std::string tool_label;  // metric label for tools/call
  bool audited = false;    // write a tool_call line to the audit log when answered

 private:
  pipeline::Request request_;
  std::shared_ptr<Responder> responder_;
  metrics::Metrics* metrics_;
  std::atomic<bool> finished_{false};
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> pipeline_done_{false};
  // The rate-limit headers of an answer, built once by PipelineDone.
  Headers limit_headers_;
  std::mutex progress_mu_;
  std::optional<double> last_progress_;
  nlohmann::json progress_token_;
  std::optional<mcpgw_log_level> log_threshold_;
  std::mutex deadline_mu_;  // ArmDeadline against a Finish on another thread
  timing::TimeoutList* timeouts_ = nullptr;
  timing::TimeoutList::Handle deadline_;
  std::shared_ptr<const void> held_;
  std::function<void()> on_finish_;

  void Expire();
};

// Parses "debug" ... "emergency".
std::optional<mcpgw_log_level> ParseLogLevel(std::string_view name);
std::string_view LogLevelName(mcpgw_log_level level);

// RateLimit-Policy and RateLimit (draft-ietf-httpapi-ratelimit-headers,
// structured-field lists) for `limits`; none when empty.
Headers RateLimitHeaders(const std::vector<pipeline::LimitState>& limits);

}  // namespace mcpgw::mcp
