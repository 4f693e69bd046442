#include "plugin/plugin_instance.h"

#include "log/log.h"
#include "metrics/metrics.h"
#include "plugin/host_api.h"

#include <chrono>
#include <vector>

namespace mcpgw::plugin {
namespace {

mcpgw_str Str(std::string_view s) { return mcpgw_str{s.data(), s.size()}; }

// mcpgw_principal borrowing from a Principal for one call.
class PrincipalView {
 public:
  explicit PrincipalView(const Principal& p) {
    scopes_.reserve(p.scopes.size());
    for (const std::string& s : p.scopes) scopes_.push_back(Str(s));
    view_.struct_size = sizeof(mcpgw_principal);
    view_.subject = Str(p.subject);
    view_.tenant = Str(p.tenant);
    view_.client_id = Str(p.client_id);
    view_.scopes = scopes_.data();
    view_.scope_count = scopes_.size();
    view_.method = Str(p.method);
    view_.audience = Str(p.audience);
    view_.token_id = Str(p.token_id);
    view_.expires_at = p.expires_at.time_since_epoch().count();
  }
  const mcpgw_principal* get() const { return &view_; }

 private:
  std::vector<mcpgw_str> scopes_;
  mcpgw_principal view_{};
};

std::string_view StatusName(mcpgw_status s) {
  switch (s) {
    case MCPGW_OK: return "ok";
    case MCPGW_INVALID_PARAMS: return "invalid_params";
    case MCPGW_NOT_FOUND: return "not_found";
    case MCPGW_CANCELLED: return "cancelled";
    case MCPGW_UNAVAILABLE: return "unavailable";
    case MCPGW_INTERNAL: return "internal";
    case MCPGW_WOULD_BLOCK: return "would_block";
  }
  return "internal";
}

}  // namespace

std::string_view OperationName(Operation op) {
  switch (op) {
    case Operation::kListTools: return "list_tools";
    case Operation::kCallTool: return "call_tool";
    case Operation::kListResources: return "list_resources";
    case Operation::kListResourceTemplates: return "list_resource_templates";
    case Operation::kReadResource: return "read_resource";
    case Operation::kListPrompts: return "list_prompts";
    case Operation::kGetPrompt: return "get_prompt";
    case Operation::kComplete: return "complete";
  }
  return "unknown";
}

PluginInstance::PluginInstance(std::shared_ptr<PluginLibrary> library, InstanceOptions options, EventSink* events,
                               metrics::Metrics* metrics)
    : library_(std::move(library)), options_(std::move(options)), events_(events), metrics_(metrics) {}

std::variant<std::unique_ptr<PluginInstance>, std::string> PluginInstance::Create(
    std::shared_ptr<PluginLibrary> library, const InstanceOptions& options, EventSink* events,
    metrics::Metrics* metrics) {
  std::unique_ptr<PluginInstance> self(new PluginInstance(std::move(library), options, events, metrics));
  const mcpgw_plugin& d = self->descriptor();

  // The host handle must outlive destroy(): plugins may raise events until
  // destroy returns. Members are destroyed after ~PluginInstance's body.
  self->host_ = std::make_unique<mcpgw_host>();
  mcpgw_host* host = self->host_.get();
  host->name = options.name;
  host->events = events;
  mcpgw_plugin_init init{};
  init.struct_size = sizeof(init);
  init.api = HostApi();
  init.host = host;
  init.instance_name = Str(self->options_.name);
  init.config_json = Str(self->options_.config_json);
  init.data_dir = Str(self->options_.data_dir);

  char error[1024] = {0};
  const mcpgw_status status = d.create(&init, &self->instance_, error, sizeof error);
  if (status != MCPGW_OK || self->instance_ == nullptr) {
    self->instance_ = nullptr;
    error[sizeof error - 1] = '\0';
    return "plugin \"" + options.name + "\" (" + self->library_->path() + ") failed to start: " +
           (error[0] ? std::string(error) : std::string("no reason given"));
  }
  host->creating = false;
  const unsigned workers = self->thread_safe() ? options.workers : 1;
  self->pool_ = std::make_unique<WorkerPool>(options.name, workers, options.queue_depth);
  return self;
}

PluginInstance::~PluginInstance() {
  Drain();
  if (instance_ != nullptr) descriptor().destroy(instance_);
}

void PluginInstance::Drain() {
  if (pool_) pool_->Stop();
}

bool PluginInstance::Offers(Operation op) const {
  const mcpgw_plugin* d = &descriptor();
  switch (op) {
    case Operation::kListTools: return true;
    case Operation::kCallTool: return true;
    case Operation::kListResources: return MCPGW_HAS_FIELD(d, mcpgw_plugin, list_resources) && d->list_resources;
    case Operation::kListResourceTemplates:
      return MCPGW_HAS_FIELD(d, mcpgw_plugin, list_resource_templates) && d->list_resource_templates;
    case Operation::kReadResource: return MCPGW_HAS_FIELD(d, mcpgw_plugin, read_resource) && d->read_resource;
    case Operation::kListPrompts: return MCPGW_HAS_FIELD(d, mcpgw_plugin, list_prompts) && d->list_prompts;
    case Operation::kGetPrompt: return MCPGW_HAS_FIELD(d, mcpgw_plugin, get_prompt) && d->get_prompt;
    case Operation::kComplete: return MCPGW_HAS_FIELD(d, mcpgw_plugin, complete) && d->complete;
  }
  return false;
}

bool PluginInstance::TrySubmit(PluginRequest request, std::function<void(PluginReply)> done) {
  return pool_->TryPost([this, request = std::move(request), done = std::move(done)]() mutable {
    done(Invoke(request));
  });
}

PluginReply PluginInstance::Invoke(const PluginRequest& req) { return Run(req, false); }

std::optional<PluginReply> PluginInstance::TryInvokeNoWait(const PluginRequest& req) {
  if (!takes_nowait_calls()) return std::nullopt;
  PluginReply reply = Run(req, true);
  if (reply.status == MCPGW_WOULD_BLOCK) return std::nullopt;
  return reply;
}

PluginReply PluginInstance::Run(const PluginRequest& req, bool nowait) {
  if (!Offers(req.op)) return {MCPGW_NOT_FOUND, "this backend does not offer " + std::string(OperationName(req.op))};
  const mcpgw_plugin& d = descriptor();
  mcpgw_call call;
  call.observer = req.observer.get();
  call.nowait = nowait;
  const PrincipalView principal(req.principal);
  const mcpgw_str name = Str(req.name), args = Str(req.arguments);

  std::unique_lock<std::mutex> lock(serial_, std::defer_lock);
  if (!thread_safe()) lock.lock();
  const auto start = std::chrono::steady_clock::now();
  mcpgw_status status = MCPGW_INTERNAL;
  switch (req.op) {
    case Operation::kListTools: status = d.list_tools(instance_, &call, principal.get()); break;
    case Operation::kCallTool: status = d.call_tool(instance_, &call, principal.get(), name, args); break;
    case Operation::kListResources: status = d.list_resources(instance_, &call, principal.get()); break;
    case Operation::kListResourceTemplates:
      status = d.list_resource_templates(instance_, &call, principal.get());
      break;
    case Operation::kReadResource: status = d.read_resource(instance_, &call, principal.get(), name); break;
    case Operation::kListPrompts: status = d.list_prompts(instance_, &call, principal.get()); break;
    case Operation::kGetPrompt: status = d.get_prompt(instance_, &call, principal.get(), name, args); break;
    case Operation::kComplete: status = d.complete(instance_, &call, principal.get(), args); break;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (lock.owns_lock()) lock.unlock();

  PluginReply reply;
  if (status == MCPGW_WOULD_BLOCK && nowait) return {MCPGW_WOULD_BLOCK, {}};  // not a call: it runs again
  if (status < MCPGW_OK || status > MCPGW_INTERNAL) {
    log::Error("plugin_bad_status", {{"plugin", options_.name}, {"status", static_cast<int>(status)}});
    status = MCPGW_INTERNAL;
    call.error = "the backend returned an unknown status";
  }
  if (status == MCPGW_OK && !call.has_result) {
    log::Error("plugin_missing_result", {{"plugin", options_.name}, {"operation", OperationName(req.op)}});
    status = MCPGW_INTERNAL;
    call.error = "the backend returned no result";
  }
  reply.status = status;
  reply.body = status == MCPGW_OK ? std::move(call.result) : std::move(call.error);
  if (metrics_ != nullptr) metrics_->RecordPluginCall(options_.name, OperationName(req.op), StatusName(status), seconds);
  return reply;
}

}  // namespace mcpgw::plugin
