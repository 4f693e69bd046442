#include "plugin/host_api.h"

#include "log/log.h"

#include <cmath>

namespace mcpgw::plugin {
namespace {

std::string_view View(const char* p, size_t n) { return p && n ? std::string_view(p, n) : std::string_view(); }

void SetResult(mcpgw_call* call, const char* json, size_t len) {
  if (call == nullptr) return;
  call->result.assign(View(json, len));
  call->has_result = true;
}

void SetError(mcpgw_call* call, const char* message, size_t len) {
  if (call != nullptr) call->error.assign(View(message, len));
}

int Cancelled(const mcpgw_call* call) {
  return call != nullptr && call->observer != nullptr && call->observer->Cancelled() ? 1 : 0;
}

int NoWait(const mcpgw_call* call) { return call != nullptr && call->nowait ? 1 : 0; }

void Progress(mcpgw_call* call, double progress, double total, const char* message, size_t len) {
  if (call == nullptr || call->observer == nullptr || !std::isfinite(progress)) return;
  std::optional<double> t;
  if (total >= 0 && std::isfinite(total)) t = total;
  call->observer->Progress(progress, t, View(message, len));
}

void Log(mcpgw_call* call, mcpgw_log_level level, const char* logger, const char* data, size_t len) {
  if (call == nullptr || call->observer == nullptr || level < MCPGW_LOG_DEBUG || level > MCPGW_LOG_EMERGENCY) return;
  call->observer->Log(level, logger ? std::string_view(logger) : std::string_view(), View(data, len));
}

void HostLog(mcpgw_host* host, mcpgw_log_level level, const char* message, size_t len) {
  const log::Level mapped = level <= MCPGW_LOG_DEBUG    ? log::Level::kDebug
                            : level <= MCPGW_LOG_NOTICE  ? log::Level::kInfo
                            : level <= MCPGW_LOG_WARNING ? log::Level::kWarning
                                                         : log::Level::kError;
  log::Write(mapped, "plugin_log",
             {{"plugin", host ? host->name : std::string("?")}, {"message", std::string(View(message, len))}});
}

void ListChanged(mcpgw_host* host, mcpgw_list_kind kind) {
  if (host == nullptr || host->creating || host->events == nullptr) return;
  if (kind != MCPGW_LIST_TOOLS && kind != MCPGW_LIST_RESOURCES && kind != MCPGW_LIST_PROMPTS) return;
  host->events->ListChanged(kind);
}

void ResourceUpdated(mcpgw_host* host, const char* uri, size_t len) {
  if (host == nullptr || host->creating || host->events == nullptr || len == 0) return;
  host->events->ResourceUpdated(std::string(View(uri, len)));
}

}  // namespace

const mcpgw_host_api* HostApi() {
  static const mcpgw_host_api api = [] {
    mcpgw_host_api a{};
    a.struct_size = sizeof(mcpgw_host_api);
    a.abi_version = MCPGW_PLUGIN_ABI_VERSION;
    a.set_result = &SetResult;
    a.set_error = &SetError;
    a.cancelled = &Cancelled;
    a.progress = &Progress;
    a.log = &Log;
    a.host_log = &HostLog;
    a.list_changed = &ListChanged;
    a.resource_updated = &ResourceUpdated;
    a.nowait = &NoWait;
    return a;
  }();
  return &api;
}

}  // namespace mcpgw::plugin
