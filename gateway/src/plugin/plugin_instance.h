// One configured plugin instance: created through the ABI, fed from its own
// bounded worker pool, destroyed after the pool drains.
//
// Decides nothing about MCP: it runs a plugin function for a principal and
// hands back the status and JSON the plugin produced.
#pragma once

#include "pipeline/principal.h"
#include "plugin/plugin_library.h"
#include "plugin/worker_pool.h"

#include <mcpgw/plugin.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace mcpgw::metrics {
class Metrics;
}

namespace mcpgw::plugin {

enum class Operation {
  kListTools,
  kCallTool,
  kListResources,
  kListResourceTemplates,
  kReadResource,
  kListPrompts,
  kGetPrompt,
  kComplete,
};
std::string_view OperationName(Operation op);

// Per-request hooks the plugin reaches through mcpgw_host_api.
class CallObserver {
 public:
  virtual ~CallObserver() = default;
  virtual bool Cancelled() const = 0;
  virtual void Progress(double progress, std::optional<double> total, std::string_view message) = 0;
  virtual void Log(mcpgw_log_level level, std::string_view logger, std::string_view data_json) = 0;
};

// Instance-wide events the plugin raises at any time.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void ListChanged(mcpgw_list_kind kind) = 0;
  virtual void ResourceUpdated(std::string uri) = 0;
};

struct PluginRequest {
  Operation op = Operation::kListTools;
  std::string name;       // tool or prompt name, or resource URI
  std::string arguments;  // JSON text: tool/prompt arguments, completion params
  Principal principal;
  std::shared_ptr<CallObserver> observer;  // may be null
};

struct PluginReply {
  mcpgw_status status = MCPGW_INTERNAL;
  std::string body;  // the result JSON when OK, else the error message
};

struct InstanceOptions {
  std::string name;
  std::string data_dir;
  std::string config_json = "{}";
  unsigned workers = 4;
  std::size_t queue_depth = 256;
};

class PluginInstance {
 public:
  static std::variant<std::unique_ptr<PluginInstance>, std::string> Create(std::shared_ptr<PluginLibrary> library,
                                                                          const InstanceOptions& options,
                                                                          EventSink* events,
                                                                          metrics::Metrics* metrics);
  ~PluginInstance();
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  // Whether the plugin implements `op` (a NULL pointer means it does not).
  bool Offers(Operation op) const;

  // Runs the request on a worker; `done` is called on that worker. Returns
  // false, without calling `done`, when the queue is full or stopping.
  bool TrySubmit(PluginRequest request, std::function<void(PluginReply)> done);

  // Runs the request on the calling thread (start-up, list refreshes).
  PluginReply Invoke(const PluginRequest& request);

  // For a plugin that takes no-wait calls (MCPGW_PLUGIN_NOWAIT), runs the
  // request on the calling I/O thread unless the plugin answers that it
  // would have to wait; nullopt then (and always for other plugins), and the
  // caller submits it to a worker. Never call it from inside a plugin call.
  std::optional<PluginReply> TryInvokeNoWait(const PluginRequest& request);

  // Stops taking work and waits for queued calls to finish.
  void Drain();

  const std::string& name() const { return options_.name; }
  std::size_t queue_depth() const { return pool_ ? pool_->depth() : 0; }
  const mcpgw_plugin& descriptor() const { return library_->descriptor(); }
  bool thread_safe() const { return (descriptor().flags & MCPGW_PLUGIN_THREAD_SAFE) != 0; }
  bool takes_nowait_calls() const {
    return thread_safe() && (descriptor().flags & MCPGW_PLUGIN_NOWAIT) != 0;
  }
  EventSink* events() const { return events_; }

 private:
  PluginInstance(std::shared_ptr<PluginLibrary> library, InstanceOptions options, EventSink* events,
                 metrics::Metrics* metrics);
  PluginReply Run(const PluginRequest& request, bool nowait);

  std::shared_ptr<PluginLibrary> library_;
  InstanceOptions options_;
  EventSink* events_;
  metrics::Metrics* metrics_;
  std::unique_ptr<mcpgw_host> host_;  // defined in host_api.h
  void* instance_ = nullptr;
  std::mutex serial_;  // held around calls when the plugin is not thread-safe
  std::unique_ptr<WorkerPool> pool_;
};

}  // namespace mcpgw::plugin
