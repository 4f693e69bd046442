#include "mcp/exchange.h"

#include "audit/audit.h"
#include "jsonrpc/message.h"
#include "mcp/backend.h"
#include "mcp/request_meta.h"
#include "metrics/metrics.h"

#include <array>

namespace mcpgw::mcp {
namespace {

constexpr std::array<std::string_view, 8> kLevelNames = {"debug",    "info",  "notice", "warning",
                                                         "error", "critical", "alert",  "emergency"};


}  // namespace

std::optional<mcpgw_log_level> ParseLogLevel(std::string_view name) {
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == name) return static_cast<mcpgw_log_level>(i);
  }
  return std::nullopt;
}

std::string_view LogLevelName(mcpgw_log_level level) {
  const auto i = static_cast<std::size_t>(level);
  return i < kLevelNames.size() ? kLevelNames[i] : "info";
}

Exchange::Exchange(pipeline::Request request, std::shared_ptr<Responder> responder, metrics::Metrics* metrics)
    : request_(std::move(request)), responder_(std::move(responder)), metrics_(metrics) {
  const json& meta = request_.params.contains("_meta") ? request_.params["_meta"] : json();
  if (meta.is_object()) {
    if (auto t = meta.find("progressToken"); t != meta.end() && (t->is_string() || t->is_number_integer())) {
      progress_token_ = *t;
    }
  }
  if (request_.era == Era::kStateless) {
    // Stateless era: log messages only when this request asked for them.
    if (meta.is_object() && meta.contains(kMetaLogLevel) && meta[kMetaLogLevel].is_string()) {
      log_threshold_ = ParseLogLevel(meta[kMetaLogLevel].get<std::string>());
    }
  } else if (request_.session) {
    log_threshold_ = request_.session->log_level();
  } else {
    log_threshold_ = MCPGW_LOG_INFO;  // stdio before logging/setLevel
  }
}

Exchange::~Exchange() = default;

void Exchange::ArmDeadline(timing::TimeoutList& timeouts) {
  if (request_.deadline == pipeline::Clock::time_point::max()) return;
  // A cancel on another thread may finish the exchange meanwhile: either it
  // finds the deadline armed and cancels it, or this finds it finished.
  std::lock_guard lock(deadline_mu_);
  if (finished_.load()) return;
  timeouts_ = &timeouts;
  deadline_ = timeouts.Add(request_.deadline, [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->Expire();
  });
}

void Exchange::Expire() {
  cancelled_.store(true);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(request_.deadline - request_.received).count();
  Finish(Reply{jsonrpc::MakeError(request_.id, jsonrpc::code::kInternalError,
                                  "Request timed out after " + std::to_string(ms) +
                                      " ms; the backend did not answer in time")},
         "timeout");
}

Headers RateLimitHeaders(const std::vector<pipeline::LimitState>& limits) {
  if (limits.empty()) return {};
  std::string policy_header, state_header;
  for (const pipeline::LimitState& s : limits) {
    const std::string name = std::string(policy_header.empty() ? "" : ", ") + "\"" + s.policy + "\"";
    policy_header += name + ";q=" + std::to_string(s.limit) + ";w=" + std::to_string(s.window_s);
    state_header += name + ";r=" + std::to_string(s.remaining) + ";t=" + std::to_string(s.reset_s);
  }
  return {{"RateLimit-Policy", std::move(policy_header)}, {"RateLimit", std::move(state_header)}};
}

void Exchange::Finish(Reply reply, std::string_view outcome) {
  if (finished_.exchange(true)) return;
  const auto self = shared_from_this();  // on_finish_ may drop the last owner
  {
    std::lock_guard lock(deadline_mu_);
    if (timeouts_ != nullptr) timeouts_->Cancel(deadline_);
  }
  if (request_.session && !request_.is_notification()) request_.session->Untrack(request_.id);
  if ((metrics_ != nullptr || audited) && !request_.is_notification()) {
    const double seconds = std::chrono::duration<double>(pipeline::Clock::now() - request_.received).count();
    const std::string_view route = request_.backend ? std::string_view(request_.backend->name()) : "";
    if (metrics_ != nullptr) metrics_->RecordRequest(route, request_.method, tool_label, outcome, seconds);
    if (audited) {
      audit::ToolCall(route, tool_label, request_.principal.subject, request_.principal.tenant,
                      request_.principal.credential_id, outcome, seconds * 1000.0);
    }
  }
  held_.reset();
  // rate_limits.headers: always: what the request that passed left of each
  // quota (built by PipelineDone, maybe on another thread).
  if (pipeline_done_.load(std::memory_order_acquire)) {
    // Copied: PipelineDone may still be reading them on its thread.
    reply.headers.insert(reply.headers.end(), limit_headers_.begin(), limit_headers_.end());
  }
  reply.outcome = outcome;
  responder_->Finish(std::move(reply));
  if (auto done = std::move(on_finish_)) done();
}

void Exchange::Notify(const nlohmann::json& notification) {
  if (!finished_.load()) responder_->Notify(notification);
}

void Exchange::PipelineDone() {
  limit_headers_ = RateLimitHeaders(request_.granted_limits);
  pipeline_done_.store(true, std::memory_order_release);
  // Before the plugin runs, so before any notification turns the answer
  // into a stream. (A poll that fires while a stage still waits, longer than
  // server.poll_after_ms, starts its stream without them.)
  if (!limit_headers_.empty()) responder_->StreamHeaders(limit_headers_);
}

bool Exchange::Cancelled() const {
  return cancelled_.load() || finished_.load() || pipeline::Clock::now() >= request_.deadline;
}

void Exchange::Progress(double progress, std::optional<double> total, std::string_view message) {
  if (progress_token_.is_null()) return;
  {
    // Progress must increase with each notification (MCP progress spec).
    std::lock_guard lock(progress_mu_);
    if (last_progress_ && progress <= *last_progress_) return;
    last_progress_ = progress;
  }
  json params{{"progressToken", progress_token_}, {"progress", progress}};
  if (total) params["total"] = *total;
  if (!message.empty()) params["message"] = message;
  Notify(jsonrpc::MakeNotification("notifications/progress", std::move(params)));
}

void Exchange::Log(mcpgw_log_level level, std::string_view logger, std::string_view data_json) {
  if (!log_threshold_ || level < *log_threshold_) return;
  json data = json::parse(data_json, nullptr, false);
  if (data.is_discarded()) data = std::string(data_json);
  json params{{"level", LogLevelName(level)}, {"data", std::move(data)}};
  if (!logger.empty()) params["logger"] = logger;
  Notify(jsonrpc::MakeNotification("notifications/message", std::move(params)));
}

void Exchange::Cancel() {
  cancelled_.store(true);
  Finish(Reply{}, "cancelled");
}

void Exchange::EndStopped() {
  if (!cancelled_.load() && pipeline::Clock::now() >= request_.deadline) return Expire();
  Cancel();
}

}  // namespace mcpgw::mcp
