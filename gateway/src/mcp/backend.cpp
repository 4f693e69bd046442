#include "mcp/backend.h"

#include "jsonrpc/message.h"
#include "log/log.h"
#include "mcp/request_meta.h"

namespace mcpgw::mcp {

void Listener::Notify(const std::string& method, json params) const {
  params["_meta"][kMetaSubscriptionId] = subscription_id_;
  send_(jsonrpc::MakeNotification(method, std::move(params)));
}

Backend::Backend(const config::Route& route, plugin::PluginInstance* plugin,
                 std::shared_ptr<const session::SessionIdCodec> codec, metrics::Metrics* metrics)
    : route_(route), scope_policy_(std::make_shared<const auth::ScopePolicy>(route.scopes)), plugin_(plugin), sessions_(std::move(codec), route.name, metrics) {}

bool Backend::Serves(const config::Route& route) const {
  return route.name == route_.name && route.path == route_.path && route.resource == route_.resource &&
         route.plugin == route_.plugin && route.instructions == route_.instructions;
}

std::optional<std::string> Backend::LoadTools() {
  plugin::PluginRequest request;
  request.op = plugin::Operation::kListTools;
  const plugin::PluginReply reply = plugin_->Invoke(request);
  if (reply.status != MCPGW_OK) return "list_tools failed: " + reply.body;
  const json result = json::parse(reply.body, nullptr, false);
  auto built = ToolSet::FromListResult(result);
  if (auto* why = std::get_if<std::string>(&built)) return *why;
  tools_.Replace(std::get<std::shared_ptr<const ToolSet>>(built));
  return std::nullopt;
}

json Backend::Capabilities() const {
  json caps{{"tools", {{"listChanged", true}}}, {"logging", json::object()}};
  if (plugin_->Offers(plugin::Operation::kListResources)) {
    caps["resources"] = {{"subscribe", true}, {"listChanged", true}};
  }
  if (plugin_->Offers(plugin::Operation::kListPrompts)) caps["prompts"] = {{"listChanged", true}};
  if (plugin_->Offers(plugin::Operation::kComplete)) caps["completions"] = json::object();
  return caps;
}

void Backend::OnListChanged(mcpgw_list_kind kind) {
  if (kind != MCPGW_LIST_TOOLS) return Broadcast(kind);
  // Refresh the catalog on a plugin worker (never inline: the plugin may be
  // inside a serialised call right now), then tell clients.
  plugin::PluginRequest request;
  request.op = plugin::Operation::kListTools;
  // A backend retired meanwhile has no one left to tell.
  const bool queued = plugin_->TrySubmit(request, [weak = weak_from_this()](plugin::PluginReply reply) {
    const std::shared_ptr<Backend> self = weak.lock();
    if (!self) return;
    self->ToolListRefreshed(reply);
  });
  if (!queued) log::Warn("tool_list_refresh_dropped", {{"route", name()}, {"reason", "plugin queue full"}});
}

void Backend::ToolListRefreshed(const plugin::PluginReply& reply) {
  auto built = reply.status == MCPGW_OK ? ToolSet::FromListResult(json::parse(reply.body, nullptr, false))
                                        : decltype(ToolSet::FromListResult(json()))(reply.body);
  if (auto* why = std::get_if<std::string>(&built)) {
    log::Warn("tool_list_refresh_failed", {{"route", name()}, {"reason", *why}});
    return;
  }
  tools_.Replace(std::get<std::shared_ptr<const ToolSet>>(built));
  Broadcast(MCPGW_LIST_TOOLS);
}

void Backend::ReplaceScopes(const config::RouteScopes& scopes, bool authorized) {
  const bool calls_changed = authorized && scope_policy_.load()->CallsDifferFrom(scopes);
  scope_policy_.store(std::make_shared<const auth::ScopePolicy>(scopes));
  if (calls_changed) Broadcast(MCPGW_LIST_TOOLS);
}

void Backend::Broadcast(mcpgw_list_kind kind) {
  const char* method = kind == MCPGW_LIST_TOOLS       ? "notifications/tools/list_changed"
                       : kind == MCPGW_LIST_PROMPTS   ? "notifications/prompts/list_changed"
                                                      : "notifications/resources/list_changed";
  const json message = jsonrpc::MakeNotification(method, json::object());
  for (const auto& session : sessions_.All()) session->Emit(message);
  for (const auto& listener : LiveListeners()) {
    const auto& f = listener->filter();
    if ((kind == MCPGW_LIST_TOOLS && f.tools) || (kind == MCPGW_LIST_PROMPTS && f.prompts) ||
        (kind == MCPGW_LIST_RESOURCES && f.resources)) {
      listener->Notify(method, json::object());
    }
  }
}

void Backend::OnResourceUpdated(const std::string& uri) {
  const json message = jsonrpc::MakeNotification("notifications/resources/updated", {{"uri", uri}});
  for (const auto& session : sessions_.All()) {
    if (session->IsSubscribed(uri)) session->Emit(message);
  }
  for (const auto& listener : LiveListeners()) {
    if (listener->filter().resource_uris.count(uri) > 0) {
      listener->Notify("notifications/resources/updated", {{"uri", uri}});
    }
  }
}

void Backend::AddListener(const std::shared_ptr<Listener>& listener) {
  std::lock_guard lock(mu_);
  listeners_.push_back(listener);
}

void Backend::Retire(Backend* successor) {
  for (const auto& session : sessions_.EndAll(successor ? &successor->sessions_ : nullptr)) {
    if (auto channel = session->channel()) channel->Close();
  }
}

std::vector<std::shared_ptr<Listener>> Backend::LiveListeners() {
  std::vector<std::shared_ptr<Listener>> live;
  std::lock_guard lock(mu_);
  std::erase_if(listeners_, [&](const std::weak_ptr<Listener>& w) {
    auto l = w.lock();
    if (!l) return true;  // its stream has ended
    live.push_back(std::move(l));
    return false;  // (not `!l`: l was just moved from)
  });
  return live;
}

void PluginEventFanout::Add(std::shared_ptr<Backend> backend) {
  std::lock_guard lock(mu_);
  auto next = std::make_shared<std::vector<std::shared_ptr<Backend>>>(*backends_);
  next->push_back(std::move(backend));
  backends_ = std::move(next);
}

void PluginEventFanout::Remove(const Backend* backend) {
  std::lock_guard lock(mu_);
  auto next = std::make_shared<std::vector<std::shared_ptr<Backend>>>(*backends_);
  std::erase_if(*next, [backend](const std::shared_ptr<Backend>& b) { return b.get() == backend; });
  backends_ = std::move(next);
}

std::shared_ptr<const std::vector<std::shared_ptr<Backend>>> PluginEventFanout::Backends() const {
  std::lock_guard lock(mu_);
  return backends_;
}

// The snapshot is held in a variable: in `for (… : *Backends())` the
// shared_ptr would be a temporary of the range expression, gone before the
// loop runs (C++20), and a concurrent Remove could free the vector under it.
void PluginEventFanout::ListChanged(mcpgw_list_kind kind) {
  const auto backends = Backends();
  for (const auto& b : *backends) b->OnListChanged(kind);
}

void PluginEventFanout::ResourceUpdated(std::string uri) {
  const auto backends = Backends();
  for (const auto& b : *backends) b->OnResourceUpdated(uri);
}

}  // namespace mcpgw::mcp
